"""Module 06 against the world's ground truth: its answers are right, its slips are refused, its error rates are true.

The notebook and chainlab.cases.m06 read learner tables only; these tests read the answer keys
(address_owners, flows) to check that what the learner is shown and asked agrees with the truth.
"""

from __future__ import annotations

import contextlib
import inspect
import io

import nbformat
import numpy as np
import pandas as pd
import pytest

import chainlab as cl
from chainlab.analysis import metrics
from chainlab.analysis.change import find_change
from chainlab.analysis.cluster import cluster_with_heuristics
from chainlab.cases import m06 as case
from chainlab.data import load_answer_key
from chainlab.exercises.core import exercises_of
from chainlab.widgets.cluster_explorer import explore_heuristics

from .notebook_tools import notebook_path, run_solution_code
from .worlds import SEEDS

SLUG = "06_clustering_and_attribution"


@pytest.fixture(scope="module")
def solved():
    with contextlib.redirect_stdout(io.StringIO()):
        return run_solution_code(SLUG)


@pytest.fixture(scope="module")
def owner():
    """The true owner (entity) of every address."""
    return load_answer_key("address_owners").set_index("address")["entity"]


@pytest.fixture(scope="module")
def chain():
    return case.graph()


@pytest.fixture(scope="module")
def reference():
    return case.confirmed_owners()


def _slip_cases():
    for name, exercise in sorted(exercises_of("06").items()):
        for number, _ in enumerate(exercise.slips):
            yield pytest.param(name, number, id=f"{name}-slip{number + 1}")


def test_every_exercise_has_slips():
    assert all(exercise.slips for exercise in exercises_of("06").values())


@pytest.mark.parametrize("name, number", list(_slip_cases()))
def test_the_data_refuses_each_slip(solved, name, number):
    exercise = exercises_of("06")[name]
    slip = exercise.slips[number]
    wrong = eval(slip.code, dict(solved))  # noqa: S307 (our own exercise definitions)
    assert exercise.answer.canonical(wrong) != exercise.answer.canonical(solved[name]), (
        f"{name}: the slip {slip.code!r} gives the right answer"
    )


def test_learner_code_never_reads_answer_keys():
    notebook = nbformat.read(notebook_path("solutions", SLUG), as_version=4)
    code = "\n".join(cell.source for cell in notebook.cells if cell.cell_type == "code")
    for text in (code, inspect.getsource(case)):
        assert "load_answer_key" not in text and "address_owners" not in text and "tag_truth" not in text
        assert "transaction_wallets" not in text


def test_the_escrow_cluster_is_all_the_market(solved, owner):
    members = solved["clusters"].members(solved["escrow"])
    assert len(members) == solved["escrow_cluster_size"] > 10
    assert set(owner.reindex(members)) == {case.MARKET}


def test_the_coinjoins_found_have_many_owners_and_include_the_vendors(solved, owner):
    inputs = solved["inputs"]
    found = set(solved["coinjoin_hashes"])
    owners_per_tx = inputs[inputs["transaction_hash"].isin(found)].assign(
        owner=lambda t: owner.reindex(t["address"]).to_numpy()
    )
    assert (owners_per_tx.groupby("transaction_hash")["owner"].nunique() >= 2).all()
    flows = load_answer_key("flows")
    assert set(flows[flows["step"] == "coinjoin"]["transaction_hash"]) <= found


def test_the_change_addresses_belong_to_the_payers(solved, owner):
    inputs = solved["inputs"]
    outputs = solved["outputs"]
    change = outputs[
        outputs["address"].isin(set(solved["change_addresses"])) & outputs["transaction_hash"].isin(solved["puzzle"])
    ]
    assert sorted(change["transaction_hash"]) == sorted(solved["puzzle"])
    payer = inputs.drop_duplicates("transaction_hash").set_index("transaction_hash")["address"]
    assert (
        owner.reindex(change["address"]).to_numpy()
        == owner.reindex(payer.reindex(change["transaction_hash"])).to_numpy()
    ).all()


def test_the_attributions_name_the_true_owners(solved, owner):
    assert owner[solved["disputed"]] == solved["disputed_exchange"]
    assert owner[solved["deposit"]] == solved["vendor_exchange"]
    assert load_answer_key("address_owners").set_index("address").loc[solved["vendor"], "role"] == "darknet_vendor"


def test_the_confirmed_false_positives_are_really_wrong(solved, owner):
    inputs = solved["inputs"]
    wrong = solved["wrong"]
    payer = inputs.drop_duplicates("transaction_hash").set_index("transaction_hash")["address"]
    payers = owner.reindex(payer.reindex(wrong["transaction_hash"])).to_numpy()
    assert len(wrong) > 0 and (owner.reindex(wrong["address"]).to_numpy() != payers).all()


def test_the_exchanges_records_agree_with_the_truth(reference, owner):
    """The exchange-held addresses are exact; a few withdrawals (under 1%) went to someone other than the customer."""
    exchange_held = reference[~reference["evidence"].str.startswith("withdrawal")]
    assert (owner.reindex(exchange_held["address"]).to_numpy() == exchange_held["owner"].to_numpy()).all()
    customers = reference[reference["evidence"].str.startswith("withdrawal")]
    named = customers["owner"].str.replace(r" \(born .*\)$", "", regex=True).to_numpy()
    assert (owner.reindex(customers["address"]).to_numpy() != named).mean() < 0.01


@pytest.mark.parametrize("setting", list(case.SETTINGS))
def test_the_error_rates_shown_are_those_of_the_world(chain, reference, owner, setting):
    """The live numbers equal analysis.metrics on the reference, and the world's truth on the same addresses."""
    shown = case.error_rates().set_index("heuristics").loc[setting]
    clustering = cluster_with_heuristics(chain, **case.SETTINGS[setting])
    live = metrics.score_clustering(clustering, reference)
    assert (shown["pairs_joined"], shown["pairs_right"], shown["pairs_same_owner"]) == (
        live.flagged,
        live.true_positives,
        live.actual,
    )
    assert shown["largest_cluster"] == clustering.sizes.max()
    on_chain = reference[reference["address"].isin(set(chain.address))]
    truth = metrics.score_pairs(
        clustering.labels[chain.address_ids(on_chain["address"])], owner.reindex(on_chain["address"]).to_numpy()
    )
    assert truth.flagged == live.flagged
    assert abs(truth.precision - live.precision) < 0.01 and abs(truth.recall - live.recall) < 0.1
    exchange_held = on_chain[~on_chain["evidence"].str.startswith("withdrawal")]
    assert metrics.score_clustering(clustering, exchange_held) == metrics.score_pairs(
        clustering.labels[chain.address_ids(exchange_held["address"])],
        owner.reindex(exchange_held["address"]).to_numpy(),
    )


def test_fresh_address_links_make_a_super_cluster_of_low_precision(chain, reference):
    rates = case.error_rates().set_index("heuristics")
    plain, fresh = rates.loc["multi-input, CoinJoins skipped"], rates.loc["multi-input + change: fresh_address"]
    assert fresh["largest_cluster"] > 10 * plain["largest_cluster"]
    assert fresh["precision"] < 0.5 < 0.95 < plain["precision"]


def test_the_explorer_shows_the_measured_precision_and_a_super_cluster_warning(chain, reference):
    tags = pd.DataFrame(columns=["address", "label", "category", "source", "confidence"])
    with_fresh = cluster_with_heuristics(chain, change_heuristics=("fresh_address",))
    score = metrics.score_clustering(with_fresh, reference)
    biggest = chain.address[np.argmax(with_fresh.labels == np.argmax(with_fresh.sizes))]
    page = explore_heuristics(with_fresh, tags, reference, biggest)
    assert f"precision <b>{score.precision:.1%}</b>" in page and f"recall <b>{score.recall:.1%}</b>" in page
    assert "super-cluster" in page


def test_error_rates_are_computed_once_per_seed():
    first = case.error_rates()
    first.loc[0, "precision"] = -1.0  # a caller's change does not reach the kept table
    assert case.error_rates().loc[0, "precision"] >= 0
    assert case._kept_error_rates.cache_info().hits >= 1


def test_the_fingerprint_change_is_the_payers_change(solved):
    truth = load_answer_key("transaction_wallets").set_index("transaction_hash")
    change_index = truth.loc[solved["example"], "change_index"]
    spent_by = solved["spent_by"]
    assert spent_by.loc[spent_by["index"] == change_index, "address"].tolist() == [solved["fingerprint_change"]]


@pytest.mark.parametrize("seed", SEEDS)
def test_the_case_file_is_the_truth_of_the_case(seed):
    """dnm_case_file (learners' table) agrees with the answer keys: owners, change outputs, and DNM-1's purchases."""
    case_file = cl.load("dnm_case_file", seed=seed)
    owners = load_answer_key("address_owners", seed=seed).set_index("address")["entity"]
    true_owner = owners.reindex(case_file["address"]).to_numpy()
    market = case_file["owner"] == case.MARKET
    assert (true_owner[market] == case.MARKET).all() and (true_owner[~market] != case.MARKET).all()
    buyers = pd.DataFrame({"file": case_file["owner"][~market], "truth": true_owner[~market]}).drop_duplicates()
    assert buyers["file"].is_unique and buyers["truth"].is_unique  # one number per buyer, one buyer per number
    flows = load_answer_key("flows", seed=seed)
    steps = flows[(flows["case_id"] == "DNM-1") & (flows["step"] == "purchase")]
    assert set(case_file["transaction_hash"]) == set(steps["transaction_hash"])
    wallets = load_answer_key("transaction_wallets", seed=seed).set_index("transaction_hash")["change_index"]
    change = case_file[case_file["change"]]
    assert (wallets.reindex(change["transaction_hash"]).to_numpy() == change["index"].to_numpy()).all()
    assert wallets.reindex(case_file["transaction_hash"].unique()).notna().sum() == len(change)


def test_the_change_error_rates_shown_are_those_of_the_truth(seed=None):
    """The rates measured on the case file equal analysis.metrics against transaction_wallets on the same transactions."""
    shown = case.change_error_rates(seed).set_index("heuristic")
    case_file = cl.load("dnm_case_file", seed=seed)
    wallets = load_answer_key("transaction_wallets", seed=seed)
    wallets = wallets[wallets["transaction_hash"].isin(case_file["transaction_hash"]) & wallets["change_index"].notna()]
    truth = set(zip(wallets["transaction_hash"], wallets["change_index"].astype(int)))
    for heuristic, row in shown.iterrows():
        found = find_change(case.graph(seed), heuristic)
        found = found[found["transaction_hash"].isin(case_file["transaction_hash"])]
        score = metrics.score_sets(zip(found["transaction_hash"], found["index"]), truth)
        assert (row["named"], row["right"]) == (score.flagged, score.true_positives), heuristic
    assert shown.loc["wallet_fingerprint", "named"] > 0


@pytest.mark.parametrize("seed", SEEDS)
def test_the_fingerprint_example_is_named_right_on_every_seed(seed):
    example = case.fingerprint_example(seed)
    found = find_change(case.graph(seed), "wallet_fingerprint")
    named = found.loc[found["transaction_hash"] == example, "index"].tolist()
    truth = load_answer_key("transaction_wallets", seed=seed).set_index("transaction_hash")
    assert named == [truth.loc[example, "change_index"]]
