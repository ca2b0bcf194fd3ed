"""Module 07 on the classroom world: every slip gives another answer than the right one, the right answers agree
with the answer keys (ground truth the notebook never reads), and the case file's precision is analysis.metrics'."""

from __future__ import annotations

import pytest

from chainlab.analysis import metrics
from chainlab.cases import m07 as case
from chainlab.data import load, load_answer_key
from chainlab.exercises.core import exercises_of

from .notebook_tools import run_solution_code

EXERCISES = exercises_of("07")


@pytest.fixture(scope="module")
def solved():
    """The solution notebook's namespace, after running all its code."""
    return run_solution_code("07_ethereum_defi_and_bridges")


@pytest.fixture(scope="module")
def owners():
    table = load_answer_key("account_owners")
    return dict(zip(table["address"], table["entity"], strict=True))


@pytest.fixture(scope="module")
def thief_links():
    links = load_answer_key("mixer_links")
    return links[links["case_id"] == "ST-1"]


def test_module_has_at_least_five_exercises_each_with_slips():
    assert len(EXERCISES) >= 5
    for name, exercise in EXERCISES.items():
        assert exercise.slips, f"{name} has no slips"
        assert exercise.title and exercise.task, name


@pytest.mark.parametrize("name, index", [(n, i) for n, e in EXERCISES.items() for i in range(len(e.slips))])
def test_the_data_refuses_every_slip(solved, name, index):
    exercise = EXERCISES[name]
    slip = exercise.slips[index]
    right = exercise.answer.canonical(solved[name])
    wrong = eval(slip.code, solved)  # noqa: S307 (the module's own slip code, run as the key builder runs it)
    assert exercise.answer.canonical(wrong) != right, (
        f"{name}: the slip {slip.code!r} gives the right answer on this world"
    )
    assert exercise.verdict(wrong).status == "incorrect"


def test_burned_fee_is_gas_used_times_the_blocks_base_fee(solved):
    row = load("eth_transactions").set_index("hash").loc[case.case_picks().fee_example]
    base_fee = load("eth_blocks").set_index("number").loc[row["block_number"], "base_fee_per_gas"]
    assert solved["burned_fee_gwei"] * 10**9 == pytest.approx(int(row["receipt_gas_used"]) * int(base_fee), rel=1e-12)
    assert int(base_fee) < int(row["receipt_effective_gas_price"]) <= int(row["max_fee_per_gas"])


def test_the_gas_funder_is_the_exploiter_and_owns_the_fresh_account(solved, owners):
    picks = case.case_picks()
    assert solved["gas_funder"] == picks.exploiter
    assert owners[picks.fresh_submitter] == owners[picks.exploiter] != "Quiet Relay"


def test_swap_proceeds_are_what_the_pool_paid_in_the_thiefs_swap_transactions(solved):
    flows = load_answer_key("eth_flows")
    swap_txs = set(flows.loc[flows["step"] == "swap", "transaction_hash"])
    traces = load("eth_traces")
    paid = traces[traces["transaction_hash"].isin(swap_txs)]["value"].map(int).sum()
    assert solved["swap_proceeds_wei"] == paid > 0


def test_confirmed_withdrawals_are_exactly_the_thiefs(thief_links):
    confirmed = case.confirmed_withdrawals()
    assert set(confirmed) == set(thief_links["withdrawal_transaction_hash"].dropna())
    assert str(len(confirmed)) in repr(confirmed) and not any(h in repr(confirmed) for h in confirmed)


def test_shortlist_precision_is_analysis_metrics_against_the_answer_key(solved, thief_links):
    truth = set(thief_links["withdrawal_transaction_hash"].dropna())
    score = metrics.score_sets(solved["mixer_shortlist"], truth)
    assert solved["shortlist_precision"] == round(100 * score.precision)
    assert 0 < score.precision < 1, "the 12-hour shortlist holds other users' withdrawals too"
    quick = metrics.score_sets(set(solved["quick_links"]["transaction_hash_withdrawal"]), truth)
    assert quick.precision > score.precision and quick.recall <= score.recall


def test_bridge_release_pays_the_asked_deposits_destination_and_is_the_thiefs(solved):
    picks = case.case_picks()
    events = load("eth_events")
    destination = events.loc[events["transaction_hash"] == picks.bridge_deposit, "destination"].iloc[0]
    outputs = load("outputs")
    assert destination in set(outputs.loc[outputs["transaction_hash"] == solved["bridge_release"], "address"])
    flows = load_answer_key("flows")
    assert solved["bridge_release"] in set(flows.loc[flows["step"] == "bridge_release", "transaction_hash"])
    eth_flows = load_answer_key("eth_flows")
    assert picks.bridge_deposit in set(eth_flows.loc[eth_flows["step"] == "bridge_deposit", "transaction_hash"])


def test_still_freezable_is_the_thiefs_unfrozen_nusd(solved, owners):
    from chainlab.analysis import token_balance

    token_transfers, tokens, events = load("token_transfers"), load("tokens"), load("eth_events")
    nusd, decimals = tokens["address"].iloc[0], int(tokens["decimals"].iloc[0])
    thief = owners[case.case_picks().exploiter]
    frozen = set(events.loc[events["event"] == "AddressFrozen", "account"])
    accounts = {a for a, entity in owners.items() if entity == thief} - frozen
    unfrozen = sum(token_balance(token_transfers, a, nusd) for a in accounts)
    assert solved["still_freezable_nusd"] == unfrozen / 10**decimals > 0


def test_picks_and_case_file_hold_in_another_cohorts_world():
    """The case is read from learner tables, so another seed's world gives its own thief's accounts and withdrawals."""
    seed = 7
    picks = case.case_picks(seed)
    owners = load_answer_key("account_owners", seed=seed).set_index("address")["entity"]
    assert owners[picks.fresh_submitter] == owners[picks.exploiter]
    links = load_answer_key("mixer_links", seed=seed)
    assert set(case.confirmed_withdrawals(seed)) == set(
        links.loc[links["case_id"] == "ST-1", "withdrawal_transaction_hash"].dropna()
    )
