"""Slips: each exercise's likely wrong methods are told apart by the data and get their own message.

The generic test runs every module's instructor notebook cell by cell and, right after each
exercise's solution cell, evaluates the exercise's slips there, as the key builder does.
"""

from __future__ import annotations

import json

import nbformat
import pytest

from chainlab import course
from chainlab.exercises import Count, Exercise, Slip, core, keybuilder, keys

from . import worlds
from .notebook_tools import notebook_path

SALT = "00" * 16


def _record(canonical: str, slips: dict[str, str]) -> dict:
    return {
        "id": "99.demo",
        "canonical": canonical,
        "size": None,
        "slips": {f"k{i}": {"code": code, "canonical": answer} for i, (code, answer) in enumerate(slips.items())},
    }


def test_the_key_builder_hashes_each_slip_answer_by_slip_key():
    hashes = keybuilder.slip_hashes(_record("7", {"a + 1": "8", "a - 1": "6"}), SALT)
    assert hashes == {"slip:k0": keys.digest(SALT, "99.demo", "8"), "slip:k1": keys.digest(SALT, "99.demo", "6")}


def test_the_key_builder_fails_when_a_slip_gives_the_right_answer():
    with pytest.raises(
        keybuilder.KeyBuildError,
        match=r"99\.demo, slip 'a \* 1'.*the right answer: the data cannot tell this slip from the right method.*Change the case data",
    ):
        keybuilder.slip_hashes(_record("7", {"a + 1": "8", "a * 1": "7"}), SALT)


def test_the_key_builder_fails_when_two_slips_give_the_same_answer():
    with pytest.raises(keybuilder.KeyBuildError, match=r"slip 'a - 1'.*same answer as slip 'a \+ 1'"):
        keybuilder.slip_hashes(_record("7", {"a + 1": "8", "a - 1": "8"}), SALT)


def test_the_key_builder_fails_on_a_slip_that_raises_or_has_the_wrong_form():
    record = {
        "id": "99.demo",
        "canonical": "7",
        "size": None,
        "slips": {"k0": {"code": "b + 1", "error": "NameError: name 'b' is not defined"}},
    }
    with pytest.raises(keybuilder.KeyBuildError, match=r"slip 'b \+ 1'.*NameError"):
        keybuilder.slip_hashes(record, SALT)


def _demo(slips) -> Exercise:
    return Exercise(
        "99", "demo", objective="Count the rows.", answer=Count(of="rows"), hints=["one", "two"], slips=slips
    )


def test_check_records_each_slip_answer_computed_in_the_notebook_namespace(tmp_path, monkeypatch):
    record_file = tmp_path / "answers.jsonl"
    monkeypatch.setenv(keys.RECORD_ENV, str(record_file))
    monkeypatch.setattr(core, "notebook_namespace", lambda: {"rows": [1, 2, 3]})
    exercise = _demo([Slip("len(rows) - 1", "You left out one row."), Slip("len(missing)", "no such name")])
    exercise.check(3)
    (record,) = [json.loads(line) for line in record_file.read_text().splitlines()]
    assert record["canonical"] == "3"
    slips = record["slips"]
    assert slips[exercise.slips[0].key] == {"code": "len(rows) - 1", "canonical": "2"}
    assert "NameError" in slips[exercise.slips[1].key]["error"]


def test_verdict_shows_the_matching_slip_message_and_nothing_else_matches(monkeypatch):
    exercise = _demo([Slip("a - 1", "You left out one row."), Slip("a + 1", "You counted the header too.")])
    key = {
        "salt": SALT,
        "id": "99.demo",
        "answer": keys.digest(SALT, "99.demo", "3"),
        "size": None,
        f"slip:{exercise.slips[0].key}": keys.digest(SALT, "99.demo", "2"),
        f"slip:{exercise.slips[1].key}": keys.digest(SALT, "99.demo", "4"),
    }
    monkeypatch.setattr(keys, "key_for", lambda exercise_id: key)
    assert exercise.verdict(3).status == "correct"
    assert exercise.verdict(2).message == "You left out one row."
    assert exercise.verdict(4).message == "You counted the header too."
    assert exercise.verdict(9).message not in {slip.message for slip in exercise.slips}


def test_keys_built_before_slips_existed_still_judge(monkeypatch):
    exercise = _demo([Slip("a - 1", "You left out one row.")])
    key = {"salt": SALT, "id": "99.demo", "answer": keys.digest(SALT, "99.demo", "3"), "size": None}
    monkeypatch.setattr(keys, "key_for", lambda exercise_id: key)
    assert exercise.verdict(2).status == "incorrect"
    assert exercise.verdict(2).message != "You left out one row."


def _slip_cases():
    for module in course.MODULES:
        for name in sorted(core.exercises_of(module.number)):
            yield pytest.param(module.slug, name, id=f"{module.number}.{name}")


@pytest.fixture(scope="session")
def slip_values():
    """For each module: {exercise name: (right value, [each slip's value])}, evaluated right after its solution cell."""
    found = {}
    for module in course.MODULES:
        exercises = core.exercises_of(module.number)
        notebook = nbformat.read(notebook_path("solutions", module.slug), as_version=4)
        namespace: dict = {}
        values = {}
        for index, cell in enumerate(notebook.cells):
            if cell.cell_type != "code":
                continue
            exec(compile(cell.source, f"{module.slug}[cell {index}]", "exec"), namespace)  # noqa: S102 (our own notebook)
            meta = cell.get("metadata", {}).get("nbgrader", {})
            name = meta.get("grade_id")
            if meta.get("solution") and name in exercises:
                values[name] = (namespace[name], [eval(slip.code, namespace) for slip in exercises[name].slips])  # noqa: S307
        found[module.slug] = values
    return found


@pytest.mark.parametrize("slug, name", list(_slip_cases()))
def test_every_exercise_lists_slips(slug, name):
    exercise = core.exercises_of(slug[:2])[name]
    assert exercise.slips, f"{exercise.id} lists no slips (likely wrong methods)"
    assert len({slip.message for slip in exercise.slips}) == len(exercise.slips), (
        f"{exercise.id}: two slips share a message"
    )


@pytest.mark.parametrize("slug, name", list(_slip_cases()))
def test_each_slip_gives_its_own_answer_and_gets_its_own_message(slug, name, slip_values):
    exercise = core.exercises_of(slug[:2])[name]
    right, slip_answers = slip_values[slug][name]
    seen = {exercise.answer.canonical(right): "the right method"}
    for slip, value in zip(exercise.slips, slip_answers):
        canonical = exercise.answer.canonical(value)
        assert canonical not in seen, (
            f"{exercise.id}: slip {slip.code!r} gives the same answer as {seen.get(canonical)}"
        )
        seen[canonical] = f"slip {slip.code!r}"
        feedback = exercise.verdict(value)
        assert (feedback.status, feedback.message) == ("incorrect", slip.message), f"{exercise.id}: slip {slip.code!r}"


# The rows planted so that slips give other answers hold for every cohort seed, not only the public one.
SEEDS = [*range(40), 41, 99]


def test_the_00_transfers_plant_their_rows_for_every_seed():
    from chainlab.cases import m00

    for seed in SEEDS:
        transfers = m00.transfers(seed=seed)
        assert (transfers["amount_btc"] == 1).any(), f"seed {seed}: no transfer of exactly 1 BTC (> versus >=)"
        assert transfers["from_address"].nunique() > 5, (
            f"seed {seed}: .head() of the counts per sender would hold them all"
        )
        assert transfers["timestamp"].iloc[-1] not in (transfers["timestamp"].min(), transfers["timestamp"].max()), (
            f"seed {seed}"
        )
        assert (
            not transfers["from_address"]
            .value_counts()
            .sort_index()
            .equals(transfers["to_address"].value_counts().sort_index())
        ), f"seed {seed}"


def test_the_01_toy_chain_plants_its_cases_for_every_seed():
    from chainlab.chain import addresses, toychain

    for seed in SEEDS:
        chain = toychain.build(seed)
        block_of = {t.hash: b.height for b in chain.blocks for t in b.transactions}
        reported, example = block_of[chain.reported_transaction], block_of[chain.example_transaction]
        confirmations = chain.tip_height - reported + 1
        assert len({reported, example, chain.tip_height, confirmations}) == 4, (
            f"seed {seed}: the reported block is not told apart"
        )
        mistyped = [a for a in chain.copied_addresses if not addresses.is_valid(a)]
        assert len(mistyped) == 1 and mistyped[0] != mistyped[0].lower(), (
            f"seed {seed}: a lowercased copy would be the same address"
        )
        outputs = chain.outputs_table()
        mine = outputs[outputs["address"] == chain.suspect_address]
        assert mine["is_spent"].any() and not mine["is_spent"].all(), (
            f"seed {seed}: the suspect's balance needs both filters"
        )


def test_the_03_transfers_plant_their_edges_for_every_seed():
    from chainlab.cases import m03

    for seed in SEEDS:
        transfers = m03.transfers_to_judge(seed)
        rows = set(zip(transfers["counterparty"], transfers["amount_eur"]))
        assert {("vasp", 1000.0), ("self_hosted", 1000.0)} <= rows, f"seed {seed}: no transfer at exactly the threshold"
        assert any(kind == "vasp" and amount > 1000 for kind, amount in rows), f"seed {seed}"
        assert any(kind == "self_hosted" and amount >= 1000 for kind, amount in rows), f"seed {seed}"


def test_the_04_review_tables_plant_their_cases_for_every_seed():
    import pandas as pd

    from chainlab.cases import m04
    from chainlab.rules import aml

    weights = pd.Series(aml.RED_FLAG_WEIGHTS)
    for seed in SEEDS:
        segment = m04.flagged_segment(seed)
        scores = segment[weights.index].mul(weights).sum(axis=1)
        assert (scores == aml.REVIEW_SCORE).any() and (scores < aml.REVIEW_SCORE).any(), f"seed {seed}"
        queue = segment.assign(risk_score=scores)[scores >= aml.REVIEW_SCORE]
        assert (
            queue.sort_values("risk_score", ascending=False)["account_id"].tolist()
            != queue.sort_values(["risk_score", "account_id"], ascending=[False, True])["account_id"].tolist()
        ), f"seed {seed}: ties already in order"
        review = m04.alert_review(seed)
        caught = int((review["alerted"] & (review["finding"] == "suspicious")).sum())
        shares = {
            round(100 * caught / whole)
            for whole in (int(review["alerted"].sum()), int((review["finding"] == "suspicious").sum()), len(review))
        }
        assert len(shares | {caught}) == 4, (
            f"seed {seed}: precision, recall, a share of everyone and the count are not all different"
        )


WORLD_SEEDS = [
    *worlds.SEEDS,
    41,
]  # the worlds these cases stand on take seconds to build: the test worlds' seeds and 41


@pytest.mark.parametrize("seed", WORLD_SEEDS)
def test_the_world_plants_what_the_02_03_04_slips_need_for_every_seed(seed):
    """02 Ex2: the reported payment's gas limit is above the gas it used. 03 Ex5: a request goes to an address that only
    sent coins to a listed address, and one to an address that only received from one. 04 Ex3: an account is exposed
    only through a deposit, and another only through a withdrawal. 04 Ex2: fast but partial withdrawals."""
    import pandas as pd

    from chainlab import data
    from chainlab.analysis.exposure import one_transaction_away
    from chainlab.cases import m02, m03

    transactions = data.load("eth_transactions", seed=seed).set_index("hash")
    reported = transactions.loc[m02.case_picks(seed).reported_transaction]
    assert reported["input"] == "0x" and reported["gas"] > reported["receipt_gas_used"], f"seed {seed}"

    inputs, outputs = data.load("inputs", seed=seed), data.load("outputs", seed=seed)
    sanctions, tags, ledger = (data.load(name, seed=seed) for name in ("sanctions", "tags", "exchange_ledger"))
    listed = set(sanctions["address"])
    spent_by_listed = inputs.loc[inputs["address"].isin(listed), "transaction_hash"]
    received = set(outputs.loc[outputs["transaction_hash"].isin(spent_by_listed), "address"])
    destinations = set(m03.withdrawal_requests(seed)["destination"])
    one_hop = one_transaction_away(listed, inputs, outputs) & destinations
    assert one_hop - received and one_hop & received, f"seed {seed}: one-hop exposure does not need both halves"

    risky = set(tags.loc[tags["category"].isin(["darknet_market", "mixer"]), "address"]) | listed
    senders = inputs[["transaction_hash", "address"]].rename(columns={"address": "sender"})
    deposits = ledger[ledger["direction"] == "deposit"].merge(senders, on="transaction_hash")
    withdrawals = ledger[ledger["direction"] == "withdrawal"]
    from_risky = set(deposits.loc[deposits["sender"].isin(risky), "account_id"])
    to_risky = set(withdrawals.loc[withdrawals["address"].isin(risky), "account_id"])
    assert from_risky - to_risky and to_risky - from_risky, f"seed {seed}: direct exposure does not need both halves"

    # 04 Ex2: an account with 3 fast deposits and withdrawals that take out far less than 90% of each deposit.
    ordered = ledger.sort_values(["account_id", "timestamp"])
    following = ordered.groupby("account_id")[["direction", "timestamp", "value"]].shift(-1).add_prefix("next_")
    pairs = pd.concat([ordered, following], axis=1)
    fast = (pairs["direction"] == "deposit") & (pairs["next_direction"] == "withdrawal")
    fast &= pairs["next_timestamp"] - pairs["timestamp"] <= pd.Timedelta(hours=8)
    whole = pairs[fast & (pairs["next_value"] >= 0.9 * pairs["value"])]["account_id"].value_counts()
    any_share = pairs[fast]["account_id"].value_counts()
    assert set(any_share[any_share >= 3].index) != set(whole[whole >= 3].index), (
        f"seed {seed}: the 90% rule is not needed"
    )
