"""Module 05 on the classroom world: its case is the world's ransomware case, and the data refuses every slip.

The notebook's own code gives the answers (run in-process, no kernel); the world's answer keys say what is true.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from chainlab.analysis.graph import build_graph, tables_from_spec
from chainlab.analysis.taint import compare_models, taint, taint_transaction
from chainlab.analysis.trace import amounts_reaching, trace
from chainlab.cases import m05 as case
from chainlab.chain.units import SATOSHI_PER_BTC
from chainlab.data import load_answer_key
from chainlab.exercises.core import exercises_of

from .notebook_tools import run_solution_code
from .worlds import case_truth

SLUG = "05_tracing_the_money"
EXERCISES = exercises_of("05")
SLIPS = [
    pytest.param(name, number, id=f"{name}-slip{number}")
    for name, exercise in sorted(EXERCISES.items())
    for number in range(len(exercise.slips))
]


@pytest.fixture(scope="module")
def notebook():
    """The solution notebook's namespace after running all its code."""
    return run_solution_code(SLUG)


@pytest.fixture(scope="module")
def ransomware():
    return case_truth()["RW-1"]


def test_every_exercise_has_slips():
    assert len(EXERCISES) >= 5
    for name, exercise in EXERCISES.items():
        assert exercise.slips, f"{name} has no slips"
        assert exercise.title and exercise.task and exercise.objective


@pytest.mark.parametrize("name, number", SLIPS)
def test_the_data_refuses_each_slip(notebook, name, number):
    exercise = EXERCISES[name]
    slip = exercise.slips[number]
    right = exercise.answer.canonical(notebook[name])
    slipped = eval(slip.code, notebook)  # noqa: S307 (the module's own slip code, as the key builder runs it)
    assert exercise.answer.canonical(slipped) != right, (
        f"{name}: the slip {slip.code!r} gives the right answer on this world"
    )
    assert right not in slip.message and str(notebook[name]) not in slip.message, (
        "a slip's message must not state the answer"
    )


def test_slips_of_one_exercise_are_told_apart(notebook):
    for name, exercise in EXERCISES.items():
        answers = [exercise.answer.canonical(eval(slip.code, notebook)) for slip in exercise.slips]  # noqa: S307
        assert len(set(answers)) == len(answers), (
            f"{name}: two slips give the same answer, so their messages cannot both fit"
        )


def test_the_case_is_the_worlds_ransomware_case(notebook, ransomware):
    assert notebook["start"] in ransomware["ransom_addresses"]
    assert notebook["pool"] == ransomware["consolidation_address"]
    assert set(notebook["payers"]["address"]) == set(ransomware["ransom_addresses"])
    assert round(notebook["total_ransom_btc"] * SATOSHI_PER_BTC) == ransomware["total_ransom_satoshi"]
    assert notebook["peel_chain"]["transaction_hash"].tolist() == ransomware["peel_chain"]
    assert notebook["case_chain"]["transaction_hash"].tolist() == ransomware["peel_chain"]
    assert notebook["peel_chain_end"] == ransomware["final_cash_out"]


def test_the_exchanges_reached_are_the_cash_out_exchanges(notebook, ransomware):
    reached = set(amounts_reaching(notebook["traced"])["stopped_at"])
    assert reached == set(ransomware["cash_out_exchanges"])
    owners = load_answer_key("address_owners").set_index("address")["entity"]
    hits = notebook["hits"]
    assert (owners.reindex(hits["address"]).to_numpy() == hits["stopped_at"].to_numpy()).all(), (
        "every stop is really that exchange's address"
    )


def test_exchange_names_come_from_tags_and_are_mostly_right():
    names = case.exchange_names()
    owners = load_answer_key("address_owners").set_index("address")["entity"]
    right = (owners.reindex(names.index) == names).mean()
    assert right >= 0.95  # measured 98.7 %: two user-submitted tags name the wrong owner, as tags sometimes do
    assert names.index.is_unique


def test_the_complaint_opens_the_case(ransomware):
    complaint = case.complaint()
    assert complaint["typology"] == "ransomware" and complaint["reporter"] == ransomware["victims"][0]


def test_chain_through_finds_nothing_when_the_trace_meets_no_chain(notebook):
    elsewhere = notebook["forward"].iloc[:0]
    assert case.chain_through(notebook["chains"], elsewhere).empty


def test_fifo_and_haircut_split_the_ransom_differently_between_exchanges(notebook):
    """The point section 5 makes: the models disagree on where the victim's money went, not only on how much."""
    by_exchange = notebook["compared"].groupby("exchange")[["poison", "haircut", "fifo"]].sum()
    paid = notebook["complaint"]["claimed_value"]
    assert by_exchange["fifo"].sum() == paid
    shares = by_exchange[["haircut", "fifo"]] / by_exchange[["haircut", "fifo"]].sum()
    assert (shares["haircut"] - shares["fifo"]).abs().max() > 0.05, "FIFO and haircut split the ransom differently"
    assert (by_exchange["haircut"] > 0).sum() == 2 and abs(
        by_exchange["haircut"].sum() - paid
    ) < 10_000  # fees take a little
    assert by_exchange["poison"].sum() > 10 * paid


def test_the_textbook_case():
    """3 stolen and 7 clean coins in, ten 1-coin coins out (Anderson et al.): 10, 3 and 3 coins' worth of taint."""
    poison, haircut, fifo = (
        taint_transaction([3, 7], [3, 0], [1] * 10, model) for model in ("poison", "haircut", "fifo")
    )
    assert poison.tolist() == [1] * 10
    assert np.allclose(haircut, 0.3)
    assert fifo.tolist() == [1, 1, 1] + [0] * 7
    assert taint_transaction([7, 3], [0, 3], [1] * 10, "fifo").tolist() == [0] * 7 + [1, 1, 1]


@pytest.fixture(scope="module")
def exchange_spends_again():
    """A victim's coin reaches an exchange, which spends it again with change to itself."""
    coin = SATOSHI_PER_BTC
    return build_graph(
        *tables_from_spec(
            [
                dict(hash="t0", outputs=[("1Victim", 2 * coin)]),
                dict(hash="t1", outputs=[("1Other", 2 * coin)]),
                dict(hash="t2", inputs=[("t0", 0)], outputs=[("1Group", 2 * coin - 1000)]),
                dict(hash="t3", inputs=[("t2", 0), ("t1", 0)], outputs=[("3Exchange", 4 * coin - 2000)]),
                dict(hash="t4", inputs=[("t3", 0)], outputs=[("1Customer", coin), ("3Exchange", 3 * coin - 3000)]),
            ]
        )
    )


@pytest.mark.parametrize("model", ["poison", "haircut", "fifo"])
def test_taint_stopped_at_an_exchange_counts_each_coin_once(exchange_spends_again, model):
    graph, stops = exchange_spends_again, {"3Exchange": "Exchange"}
    stopped = taint(graph, addresses="1Victim", model=model, stop_at=stops)
    assert set(stopped["transaction_hash"]) == {"t0", "t2", "t3"}, (
        "taint does not follow the exchange's own payment (t0 is the tainted coin itself)"
    )
    unstopped = taint(graph, addresses="1Victim", model=model)
    assert "t4" in set(unstopped["transaction_hash"])
    at_exchange = stopped.loc[stopped["address"] == "3Exchange", "tainted_value"].sum()
    traced = trace(graph, addresses="1Victim", hops=5, stop_at=stops)
    coin_exact = (
        traced.merge(unstopped, on=["transaction_hash", "index"]).query("stopped_at != ''")["tainted_value"].sum()
    )
    assert at_exchange == coin_exact  # the stopped taint is the taint of exactly the coins the trace stops at
    compared = compare_models(graph, addresses="1Victim", stop_at=stops, at=["3Exchange"]).set_index("address")
    assert compared.loc["3Exchange", model] == at_exchange


def test_stop_at_addresses_not_on_the_chain_change_nothing(exchange_spends_again):
    plain = taint(exchange_spends_again, addresses="1Victim", model="haircut")
    pd.testing.assert_frame_equal(
        plain, taint(exchange_spends_again, addresses="1Victim", model="haircut", stop_at=["1NotHere"])
    )
