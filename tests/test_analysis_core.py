"""The investigation toolkit on small hand-built chains whose right answers are known."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from chainlab.analysis.change import change_links, find_change
from chainlab.analysis.cluster import cluster_addresses
from chainlab.analysis.coinjoin import find_coinjoins
from chainlab.analysis.errors import AnalysisInputError
from chainlab.analysis.evidence import (
    EVIDENCE_COLUMNS,
    attribution,
    evidence_report,
    membership_evidence,
    trace_evidence,
)
from chainlab.analysis.exposure import exposure, exposure_summary, risk_list
from chainlab.analysis.graph import build_graph, tables_from_spec
from chainlab.analysis.metrics import score_pairs, score_sets
from chainlab.analysis.peel import chain_end, find_peel_chains
from chainlab.analysis.taint import compare_models, taint, taint_transaction
from chainlab.analysis.trace import amounts_reaching, reached_addresses, trace

COIN = 100_000_000


def graph_of(spec):
    return build_graph(*tables_from_spec(spec))


def textbook(stolen_first: bool = True):
    """3 stolen and 7 clean coins in one transaction, ten 1-coin outputs; then two outputs go on to an exchange."""
    coins = [("1Thief", 3 * COIN), ("1Clean", 7 * COIN)]
    return graph_of(
        [
            dict(hash="mint", outputs=coins if stolen_first else coins[::-1]),
            dict(hash="mix", inputs=[("mint", 0), ("mint", 1)], outputs=[(f"bc1qout{i}", COIN) for i in range(10)]),
            dict(hash="deposit", inputs=[("mix", 0), ("mix", 9)], outputs=[("3Exchange", 2 * COIN)]),
        ]
    )


# -- taint ------------------------------------------------------------------------------------------


def test_textbook_case_gives_the_literature_results():
    inputs, outputs = [3, 7], [1] * 10
    assert taint_transaction(inputs, [3, 0], outputs, "poison").tolist() == [1] * 10
    assert taint_transaction(inputs, [3, 0], outputs, "haircut") == pytest.approx([0.3] * 10)
    assert taint_transaction(inputs, [3, 0], outputs, "fifo").tolist() == [1, 1, 1] + [0] * 7
    # The stolen coins come second: FIFO now taints the last three outputs instead.
    assert taint_transaction([7, 3], [0, 3], outputs, "fifo").tolist() == [0] * 7 + [1, 1, 1]


def test_taint_transaction_rejects_impossible_input():
    with pytest.raises(AnalysisInputError, match="between 0 and"):
        taint_transaction([3, 7], [4, 0], [10], "haircut")
    with pytest.raises(AnalysisInputError, match="more than the inputs"):
        taint_transaction([3, 7], [3, 0], [11], "poison")
    with pytest.raises(AnalysisInputError, match="model must be one of"):
        taint_transaction([3], [3], [3], "lifo")


@pytest.mark.parametrize("stolen_first, fifo_tainted", [(True, {0, 1, 2}), (False, {7, 8, 9})])
def test_taint_over_the_graph_matches_the_textbook(stolen_first, fifo_tainted):
    graph = textbook(stolen_first)
    mix = lambda table: table[table["transaction_hash"] == "mix"].set_index("index")  # noqa: E731
    assert (mix(taint(graph, addresses="1Thief", model="poison"))["taint_share"] == 1).sum() == 10
    assert mix(taint(graph, addresses="1Thief", model="haircut"))["taint_share"].tolist() == pytest.approx([0.3] * 10)
    assert set(mix(taint(graph, addresses="1Thief", model="fifo")).index) == fifo_tainted
    at_exchange = taint(graph, addresses="1Thief", model="haircut").set_index("address").loc["3Exchange"]
    assert (
        at_exchange["path"] == ("mix", "deposit") and at_exchange["hop"] == 2
    )  # every traced amount says how it got there


def test_models_compared_on_the_same_case_at_the_exchange():
    compared = compare_models(textbook(True), addresses="1Thief", at=["3Exchange"]).set_index("address")
    # The exchange receives outputs 0 (stolen under FIFO) and 9 (clean under FIFO).
    assert compared.loc["3Exchange"].to_dict() == {"poison": 2 * COIN, "haircut": int(0.6 * COIN), "fifo": COIN}


def test_taint_stops_at_the_hop_limit():
    graph = textbook()
    assert set(taint(graph, addresses="1Thief", model="poison", hops=1)["transaction_hash"]) == {"mint", "mix"}
    with pytest.raises(AnalysisInputError, match="hops"):
        taint(graph, addresses="1Thief", hops=0)


# -- graph and tracing ----------------------------------------------------------------------------


def test_graph_views():
    graph = textbook()
    flows = graph.transaction_flows()
    assert len(flows) == 4 and set(flows["to_transaction"]) == {"mix", "deposit"}
    by_address = graph.address_flows().groupby(["from_address", "to_address"])["value"].sum()
    assert by_address[("1Thief", "bc1qout0")] == pytest.approx(0.3 * COIN)
    assert by_address[("bc1qout0", "3Exchange")] == pytest.approx(COIN)


def test_graph_rejects_tables_that_do_not_fit():
    inputs, outputs = tables_from_spec([dict(hash="a", outputs=[("1A", 5)])])
    with pytest.raises(AnalysisInputError, match="lacks column"):
        build_graph(inputs, outputs.drop(columns="value"))
    with pytest.raises(AnalysisInputError, match="which no earlier transaction created"):
        tables_from_spec([dict(hash="b", inputs=[("a", 0)], outputs=[("1B", 1)])])


def test_trace_forward_and_backward_with_paths():
    graph = textbook()
    forward = trace(graph, addresses="1Thief", hops=2)
    assert forward.groupby("hop")["transaction_hash"].unique().map(list).to_dict() == {1: ["mix"], 2: ["deposit"]}
    assert forward.set_index("address").loc["3Exchange", "path"] == ("mix", "deposit")
    backward = trace(graph, addresses="3Exchange", direction="backward", hops=2)
    assert set(backward[backward["hop"] == 2]["address"]) == {"1Thief", "1Clean"}
    assert reached_addresses(forward).iloc[0].to_dict() == {
        "address": "bc1qout0",
        "hop": 1,
        "value": COIN,
        "transactions": 1,
    }


def test_trace_stops_at_services_and_reports_what_reached_them():
    graph = graph_of(
        [
            dict(hash="t0", outputs=[("1Start", 10 * COIN)]),
            dict(hash="t1", inputs=[("t0", 0)], outputs=[("3Exchange", 4 * COIN), ("1Next", 6 * COIN)]),
            dict(hash="t2", inputs=[("t1", 0)], outputs=[("1Customer", 4 * COIN)]),
            dict(hash="t3", inputs=[("t1", 1)], outputs=[("3Exchange", 6 * COIN)]),
        ]
    )
    result = trace(graph, addresses="1Start", hops=5, stop_at={"3Exchange": "Exchange A"})
    assert "1Customer" not in set(result["address"])  # not followed past the exchange
    assert amounts_reaching(result).to_dict("records") == [
        {"stopped_at": "Exchange A", "value": 10 * COIN, "coins": 2, "first_hop": 1}
    ]
    assert set(trace(graph, addresses="1Start", hops=5)["address"]) >= {"1Customer"}
    assert trace(graph, transactions="t1", hops=1)["path"].tolist() == [("t1",), ("t1",)]


@pytest.mark.parametrize(
    "options, message",
    [
        (dict(addresses="1Nobody"), "not found on this chain"),
        (dict(transactions="ab" * 32), "not found on this chain"),
        (dict(), "give the trace a start"),
        (dict(addresses="1Thief", hops=0), "hops must be"),
        (dict(addresses="1Thief", direction="sideways"), "direction must be"),
    ],
)
def test_trace_explains_bad_input(options, message):
    with pytest.raises(AnalysisInputError, match=message):
        trace(textbook(), **options)


# -- clustering, CoinJoin, change, peel -----------------------------------------------------------


def heuristics_chain():
    """Alice spends two addresses together, pays a round 0.5 coin to Bob with fresh change; a 3-party CoinJoin."""
    return graph_of(
        [
            dict(
                hash="fund",
                outputs=[
                    ("bc1qalice1", 60_000_000),
                    ("bc1qalice2", 50_000_000),
                    ("1Bob", 1_000),
                    ("bc1pcarol", 30_000_000),
                    ("bc1pdave", 30_000_000),
                    ("bc1perin", 30_000_000),
                ],
            ),
            dict(
                hash="pay",
                inputs=[("fund", 0), ("fund", 1)],
                outputs=[("1Bob", 50_000_000), ("bc1qalice3", 59_990_000)],
            ),
            dict(
                hash="join",
                inputs=[("fund", 3), ("fund", 4), ("fund", 5)],
                outputs=[
                    ("bc1pc2", 10_000_000),
                    ("bc1pd2", 10_000_000),
                    ("bc1pe2", 10_000_000),
                    ("bc1pc3", 19_990_000),
                    ("bc1pd3", 19_980_000),
                    ("bc1pe3", 19_970_000),
                ],
            ),
        ]
    )


def test_multi_input_clustering_skips_coinjoins_and_explains_itself():
    graph = heuristics_chain()
    clustering = cluster_addresses(graph)
    assert sorted(clustering.members("bc1qalice1")) == ["bc1qalice1", "bc1qalice2"]
    assert clustering.members("bc1pcarol") == ["bc1pcarol"]  # the CoinJoin is not taken as common ownership
    assert sorted(cluster_addresses(graph, skip_coinjoins=False).members("bc1pcarol")) == [
        "bc1pcarol",
        "bc1pdave",
        "bc1perin",
    ]
    steps = clustering.explain("bc1qalice2", "bc1qalice1")
    assert steps[["transaction_hash", "heuristic"]].values.tolist() == [["pay", "multi-input"]]
    assert clustering.explain("bc1qalice1", "1Bob").empty


def test_coinjoin_detection_names_the_equal_outputs():
    found = find_coinjoins(heuristics_chain())
    assert found["transaction_hash"].tolist() == ["join"]
    assert found.iloc[0][["equal_outputs", "denomination", "input_addresses"]].tolist() == [3, 10_000_000, 3]


def test_change_heuristics_alone_and_combined():
    graph = heuristics_chain()
    expected = {("pay", 1)}
    for heuristic in ("address_type", "round_amount", "fresh_address"):
        found = find_change(graph, heuristic)
        assert set(zip(found["transaction_hash"], found["index"])) == expected, heuristic
    assert find_change(graph, "optimal_change").empty  # 0.5999 coin is not below the 0.5 coin input
    combined = find_change(graph, agree=3)
    assert combined.iloc[0]["heuristics"] == "address_type, round_amount, fresh_address"
    linked = cluster_addresses(graph, extra_links=change_links(graph, combined))
    assert sorted(linked.members("bc1qalice1")) == ["bc1qalice1", "bc1qalice2", "bc1qalice3"]
    assert linked.explain("bc1qalice1", "bc1qalice3")["heuristic"].str.startswith("change").all()
    with pytest.raises(AnalysisInputError, match="unknown change heuristic"):
        find_change(graph, "gut_feeling")


def test_peel_chain_found_with_its_end():
    spec, coin = [dict(hash="p0", outputs=[("bc1qhot0", 100 * COIN)])], ("p0", 0)
    for step in range(1, 6):
        spec.append(
            dict(
                hash=f"p{step}",
                inputs=[coin],
                outputs=[(f"3Peel{step}", 5 * COIN), (f"bc1qhot{step}", (100 - 5 * step) * COIN - step)],
            )
        )
        coin = (f"p{step}", 1)
    spec.append(dict(hash="end", inputs=[coin], outputs=[("3Cashout", 70 * COIN)]))
    graph = graph_of(spec)
    chains = find_peel_chains(graph, min_length=4)
    assert chains["transaction_hash"].tolist() == [f"p{s}" for s in range(1, 6)]
    assert chains["peeled_value"].eq(5 * COIN).all()
    assert chain_end(graph, chains)["address"].tolist() == ["3Cashout"]
    assert find_peel_chains(graph, min_length=6).empty
    assert find_peel_chains(graph, max_gap_hours=0.5).empty  # the steps are an hour apart


# -- exposure, evidence, metrics ------------------------------------------------------------------


def test_direct_and_indirect_exposure_to_a_sanctioned_address():
    graph = graph_of(
        [
            dict(hash="t0", outputs=[("1Listed", 10 * COIN), ("1Other", COIN)]),
            dict(hash="t1", inputs=[("t0", 0)], outputs=[("3DepositA", 4 * COIN), ("1Middle", 6 * COIN)]),
            dict(hash="t2", inputs=[("t1", 1)], outputs=[("3DepositB", 6 * COIN)]),
        ]
    )
    sanctions = pd.DataFrame(
        {
            "entry_id": ["X-1"],
            "name": ["Listed Co"],
            "chain": ["bitcoin"],
            "address": ["1Listed"],
            "program": ["P"],
            "listed_at": [pd.Timestamp("2024-01-01", tz="UTC")],
            "delisted_at": [pd.NaT],
        }
    )
    risky = risk_list(sanctions=sanctions)
    found = exposure(graph, risky, ["3DepositA", "3DepositB"], hops=2)
    assert found.set_index("address")[["exposure", "value"]].to_dict("index") == {
        "3DepositA": {"exposure": "direct", "value": 4 * COIN},
        "3DepositB": {"exposure": "indirect", "value": 6 * COIN},
    }
    assert exposure(graph, risky, ["3DepositB"], hops=1).empty
    assert exposure_summary(found).set_index("address").loc["3DepositB", "indirect"] == 6 * COIN
    outgoing = exposure(graph, risk_list(sanctions=sanctions.assign(address="3DepositB")), hops=2, direction="outgoing")
    assert set(outgoing["address"]) == {"1Middle", "1Listed"}


def test_evidence_trail_says_why_and_exports(tmp_path):
    graph = heuristics_chain()
    clustering = cluster_addresses(graph)
    tags = pd.DataFrame(
        {
            "chain": ["bitcoin"],
            "address": ["bc1qalice1"],
            "label": ["Alice's shop"],
            "category": ["merchant"],
            "source": ["forum post"],
            "confidence": ["low"],
        }
    )
    attributed = attribution(clustering, tags, "bc1qalice2")
    assert attributed["source"].tolist()[0] == "forum post" and "pay" in attributed["transaction_hash"].tolist()
    with pytest.raises(AnalysisInputError, match="different clusters"):
        membership_evidence(clustering, "1Bob", "bc1qalice1")
    traced = trace(graph, addresses="bc1qalice1", hops=1).iloc[0]
    steps = trace_evidence(graph, traced, "bc1qalice1")
    report = evidence_report(attributed, steps, path=tmp_path / "evidence.csv")
    assert list(report.columns) == ["item"] + EVIDENCE_COLUMNS and report["item"].tolist() == list(
        range(1, len(report) + 1)
    )
    assert pd.read_csv(tmp_path / "evidence.csv").shape == report.shape


def test_scores_count_pairs_and_sets():
    assert score_pairs([0, 0, 1, 1], ["a", "a", "a", "b"]).__dict__ == {"true_positives": 1, "flagged": 2, "actual": 3}
    score = score_sets({"t1", "t2", "t3"}, {"t2", "t3", "t4", "t5"})
    assert (score.precision, score.recall) == (pytest.approx(2 / 3), 0.5)
    assert np.isnan(score_sets([], ["x"]).precision)
