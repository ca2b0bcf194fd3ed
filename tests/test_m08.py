"""Module 08 on the classroom worlds of every seed in tests/worlds.py: each slip gives another answer than the right
one and than every other slip, the right answers agree with the ground truth (answer keys the notebook never reads),
and the typology fingerprints widget tells the cases apart."""

from __future__ import annotations

import pytest

from chainlab.analysis.graph import load_graph
from chainlab.data import load, load_answer_key
from chainlab.exercises.core import exercises_of
from chainlab.widgets.typology_fingerprints import compare_typologies, fingerprint

from .notebook_tools import run_solution_code
from .worlds import SEEDS

EXERCISES = exercises_of("08")


@pytest.fixture(scope="module", params=SEEDS, ids=lambda seed: f"seed{seed}")
def solved(request):
    """The solution notebook's namespace after running all its code, on one seed's world."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CHAINLAB_SEED", str(request.param))
        load_graph.cache_clear()  # the notebook asks for the cohort's graph without naming the seed
        namespace = run_solution_code("08_crime_typologies")
        namespace["seed"] = request.param
        yield namespace
    load_graph.cache_clear()


def test_module_has_an_exercise_per_typology_each_with_slips():
    assert len(EXERCISES) >= 5
    for name, exercise in EXERCISES.items():
        assert len(exercise.slips) >= 2, f"{name} has fewer than two slips"


def test_the_data_refuses_every_slip_and_tells_them_apart(solved):
    for name, exercise in EXERCISES.items():
        right = exercise.answer.canonical(solved[name])
        wrong = [exercise.answer.canonical(eval(slip.code, solved)) for slip in exercise.slips]  # noqa: S307
        assert right not in wrong, f"seed {solved['seed']}: a slip of {name} gives the right answer"
        assert len(set(wrong)) == len(wrong), f"seed {solved['seed']}: two slips of {name} give the same answer"


def _paid_by(owner: dict[str, str], inputs, payment_hashes) -> dict[str, int]:
    """How many payments each true owner funded, one transaction before (by the answer keys, not by tags)."""
    spent = inputs[inputs["transaction_hash"].isin(payment_hashes)].drop_duplicates("transaction_hash")
    funders = inputs[inputs["transaction_hash"].isin(spent["spent_transaction_hash"])].drop_duplicates(
        "transaction_hash"
    )
    by_funding = dict(zip(funders["transaction_hash"], funders["address"].map(owner), strict=True))
    return spent["spent_transaction_hash"].map(by_funding).value_counts().to_dict()


def test_the_answers_are_the_cases_ground_truth(solved):
    seed = solved["seed"]
    owners = load_answer_key("address_owners", seed=seed)
    role = dict(zip(owners["address"], owners["role"], strict=True))
    flows = load_answer_key("flows", seed=seed)
    outputs = solved["outputs"]

    platform = set(owners.loc[owners["role"] == "fraud_ring", "address"])
    deposits = outputs[
        outputs["transaction_hash"].isin(flows.loc[flows["step"] == "victim_deposit", "transaction_hash"])
    ]
    deposits = deposits[deposits["address"].isin(platform)]
    assert solved["fraud_victims"] == deposits["address"].nunique()
    assert solved["fraud_loss_btc"] * 100_000_000 == pytest.approx(deposits["value"].sum(), abs=0.5)  # noqa: the check's own unit

    owner = dict(zip(owners["address"], owners["entity"], strict=True))
    donation_hashes = flows.loc[flows["step"] == "donation", "transaction_hash"]
    assert solved["donor_exchanges"].to_dict() == _paid_by(owner, solved["inputs"], donation_hashes)

    assert {role[a] for a in solved["top_vendors"]} == {"darknet_vendor"}
    payouts = outputs[outputs["transaction_hash"].isin(flows.loc[flows["step"] == "vendor_payout", "transaction_hash"])]
    vendors = payouts[payouts["address"].map(role) == "darknet_vendor"].groupby("address")["value"].sum()
    assert set(solved["top_vendors"]) == set(vendors.nlargest(3).index)

    ironvale = set(owners.loc[owners["entity"] == "Ironvale Trading Ltd", "address"])
    assert set(solved["sanctioned_new_addresses"]) == ironvale - set(solved["listed"])

    site = set(owners.loc[owners["role"] == "exploitation_site", "address"])
    paying = outputs[outputs["transaction_hash"].isin(flows.loc[flows["step"] == "user_payment", "transaction_hash"])]
    paying = paying[paying["address"].isin(site)]
    assert set(solved["site"]) == set(paying["address"]), "the seized server's tags list every paying user"
    assert solved["site_user_exchanges"].sum() == paying["address"].nunique()


def test_funding_exchange_names_only_exchanges_and_leaves_the_rest_missing(solved):
    from chainlab.cases import m08 as case

    donations = solved["donations"]
    named = case.funding_exchange(donations["transaction_hash"], seed=solved["seed"])
    assert named.notna().all() and set(named) <= set(load("exchanges", seed=solved["seed"])["exchange"])
    consolidations = solved["inputs"][solved["inputs"]["address"] == solved["donation"]]["transaction_hash"]
    assert case.funding_exchange(consolidations, seed=solved["seed"]).isna().all(), "donations are not withdrawals"


def test_the_fingerprints_tell_the_typologies_apart(solved):
    graph, cases = solved["graph"], solved["cases"]
    shapes = {name: fingerprint(graph, hashes) for name, hashes in cases.items()}
    assert shapes["sanctions evasion"]["span (days)"] < shapes["darknet market"]["span (days)"]
    assert shapes["terrorism financing"]["median amount (BTC)"] < shapes["ransomware"]["median amount (BTC)"]
    assert shapes["darknet market"]["transactions"] > shapes["ransomware"]["transactions"]
    assert shapes["exploitation site"]["many-to-one (consolidations)"] >= 1
    page = compare_typologies(graph, cases, list(cases), draw=False)
    assert all(name in page for name in cases) and "<table" in page
