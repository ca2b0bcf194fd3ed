"""The investigation widgets of modules 04-10: their pure logic, then their callbacks driven as a learner would.

Bad input (unknown address, empty result, impossible range) must give a message in the widget, never a traceback.
"""

from __future__ import annotations

import datetime

import pandas as pd
import pytest

import chainlab as cl
from chainlab import widgets
from chainlab.analysis.account import asset_movements
from chainlab.analysis.cluster import cluster_addresses
from chainlab.analysis.graph import build_graph, load_graph, tables_from_spec
from chainlab.widgets.cluster_explorer import explore_cluster
from chainlab.widgets.request_builder import check_request, request_document
from chainlab.widgets.rule_tuner import rule_scores, tune_rules
from chainlab.widgets.token_flow_explorer import explore_token_flows
from chainlab.widgets.trace_explorer import explore_trace
from chainlab.widgets.typology_fingerprints import compare_typologies, fingerprint

COIN = 100_000_000
PROBLEM = "<b>Problem:</b>"


@pytest.fixture(scope="module")
def small_graph():
    return build_graph(
        *tables_from_spec(
            [
                dict(hash="t0", outputs=[("1Start", 10 * COIN), ("1Second", COIN)]),
                dict(
                    hash="t1",
                    inputs=[("t0", 0), ("t0", 1)],
                    outputs=[("3Exchange", 4 * COIN), ("1Next", 7 * COIN - 1000)],
                ),
                dict(hash="t2", inputs=[("t1", 1)], outputs=[("3Exchange", 7 * COIN - 2000)]),
            ]
        )
    )


def test_trace_explorer_shows_amounts_reaching_services(small_graph):
    page = explore_trace(small_graph, "1Start", 2, "haircut", {"3Exchange": "Exchange A"}, draw=True)
    assert "Exchange A" in page and "10.99998" in page and "<svg" in page and "</svg>" in page
    one_hop = explore_trace(small_graph, "1Start", 1, "poison", {"3Exchange": "Exchange A"}, draw=False)
    assert "poison_taint_btc" in one_hop and one_hop.count("<td>4.0</td>") == 2  # 4 BTC reached it, all poisoned


@pytest.mark.parametrize(
    "start, expected",
    [("1Typo", "not found on this chain"), ("  ", "Type or paste"), ("3Exchange", "has not spent any coins")],
)
def test_trace_explorer_explains_bad_starts(small_graph, start, expected):
    assert expected in explore_trace(small_graph, start, 3, "fifo", {}, draw=False)


def test_trace_explorer_widget_updates_without_tracebacks(small_graph):
    panel = widgets.trace_explorer(small_graph, "1Start", {"3Exchange": "Exchange A"})
    address, (hops, model, _draw), result = panel.children[0], panel.children[1].children, panel.children[2]
    assert "Exchange A" in result.value
    address.value = "1Nope"
    assert PROBLEM in result.value
    address.value, model.value, hops.value = "1Start", "fifo", 1
    assert "within 1 hop(s)" in result.value


def test_cluster_explorer_shows_tags_and_why_a_member_belongs(small_graph):
    clustering = cluster_addresses(small_graph)
    tags = pd.DataFrame(
        {
            "address": ["1Second"],
            "label": ["Shop"],
            "category": ["merchant"],
            "source": ["forum"],
            "confidence": ["low"],
        }
    )
    page = explore_cluster(clustering, tags, "1Start", "1Second")
    assert "cluster of <b>2</b>" in page and "Shop" in page and "t1" in page and "multi-input" in page
    assert "not in this cluster" in explore_cluster(clustering, tags, "1Start", "3Exchange")
    assert PROBLEM in explore_cluster(clustering, tags, "1Missing")
    panel = widgets.cluster_explorer(clustering, tags, "1Start")
    box, member, result = panel.children
    assert set(member.options) == {"1Start", "1Second"}
    member.value = "1Second"
    assert "Why 1Second" in result.value
    box.value = "bad address"
    assert PROBLEM in result.value and member.options == ()


@pytest.fixture(scope="module")
def ledger():
    base = pd.Timestamp("2024-06-01", tz="UTC")
    rows = [("A1", base + pd.Timedelta(hours=h), "deposit", 9_500_000) for h in (0, 5, 20)]  # structuring under 0.1 BTC
    rows += [
        ("A2", base, "deposit", 50_000_000),
        ("A2", base + pd.Timedelta(hours=2), "withdrawal", 49_000_000),
    ]  # rapid in-and-out
    rows += [("A3", base + pd.Timedelta(days=d), "deposit", 9_700_000) for d in (0, 10, 20)]  # slow, ordinary
    return pd.DataFrame(rows, columns=["account_id", "timestamp", "direction", "value"])


def test_rule_tuner_scores_the_rules(ledger):
    table = rule_scores(ledger, {"A1", "A2"}, 0.1, 0.1, 72, 3, 24, 0.8).set_index("rule")
    assert table.loc["structuring", ["alerts", "true alerts"]].tolist() == [1, 1]
    assert table.loc["either rule", ["precision", "recall"]].tolist() == ["100%", "100%"]
    wide = rule_scores(ledger, {"A1", "A2"}, 0.1, 0.1, 24 * 30, 3, 24, 0.8).set_index("rule")
    assert wide.loc["structuring", "false alerts"] == 1  # a month-long window also catches the ordinary customer
    assert "precision" in tune_rules(ledger, {"A1"}, 0.1, 0.1, 72, 3, 24, 0.8)
    assert PROBLEM in tune_rules(ledger, set(), 0.1, 0.1, 72, 1, 24, 0.8)
    panel = widgets.rule_tuner(ledger, {"A1"})
    result = panel.children[-1]
    panel.children[4].value = 2  # deposits in window
    assert "structuring" in result.value


def test_token_flow_explorer():
    t0 = pd.Timestamp("2024-06-01", tz="UTC")
    transactions = pd.DataFrame(
        {
            "hash": ["x1", "x2"],
            "from_address": ["0xA", "0xB"],
            "to_address": ["0xB", "0xMixer"],
            "value": [2 * 10**18, 10**18],
            "receipt_status": [1, 1],
            "block_timestamp": [t0, t0 + pd.Timedelta(hours=1)],
        }
    )
    movements = asset_movements(transactions)
    page = explore_token_flows(movements, "0xA", 2, "all", set(), {"0xMixer": "Mixer"})
    assert "Mixer" in page and "<b>2</b> movements" in page
    assert "No NUSD left" in explore_token_flows(movements, "0xA", 2, "NUSD", set(), {})
    assert PROBLEM in explore_token_flows(movements, "0xZ", 2, "all", set(), {})
    panel = widgets.token_flow_explorer(movements, "0xA", set(), {"0xMixer": "Mixer"})
    panel.children[0].value = ""
    assert "Type or paste" in panel.children[-1].value


def test_typology_fingerprints(small_graph):
    shape = fingerprint(small_graph, ["t1", "t2"])
    assert shape["transactions"] == 2 and shape["median inputs"] == 1.5 and shape["span (days)"] == 0.0
    page = compare_typologies(small_graph, {"case A": ["t1"], "case B": ["t2"]}, ["case A", "case B"], draw=True)
    assert "case A" in page and "case B" in page and "data:image/png" in page
    assert PROBLEM in compare_typologies(small_graph, {"bad": ["ff" * 32]}, ["bad"], draw=False)
    assert "Pick at least one" in compare_typologies(small_graph, {"case A": ["t1"]}, [], draw=False)
    assert PROBLEM in widgets.typology_fingerprints(small_graph, {}).children[0].value


def good_request(**changes):
    fields = dict(
        exchange="Meridian Vault",
        request_type="production",
        legal_basis="Art. 18 Budapest Convention; order 2024/117",
        case_reference="RW-2024-17",
        identifiers="bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq\nMV-0001243",
        date_from=datetime.date(2024, 5, 1),
        date_to=datetime.date(2024, 7, 31),
        data_requested="KYC, logins, ledger",
        urgency_reason="",
    )
    return {**fields, **changes}


def test_request_builder_checks_fields_and_builds_the_document():
    assert check_request(good_request()) == []
    document = request_document(good_request())
    assert "Meridian Vault" in document and "  - MV-0001243" in document and "2024-05-01 to 2024-07-31" in document
    assert any("impossible" in p for p in check_request(good_request(date_from=datetime.date(2024, 8, 1))))
    assert any(
        "not a valid address" in p
        for p in check_request(good_request(identifiers="bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdx"))
    )
    assert check_request(good_request(identifiers="3" + "a" * 63)) == []  # a transaction hash is not an address
    assert any("emergency" in p for p in check_request(good_request(request_type="emergency disclosure")))
    panel = widgets.request_builder(["Meridian Vault"])
    assert "Still to fix" in panel.children[-1].value


def test_widgets_on_the_classroom_world():
    graph = load_graph("classroom")
    tags = cl.load("tags")
    exchanges = tags[tags["category"] == "exchange"].set_index("address")["label"]
    start = tags.loc[tags["category"] == "darknet_market", "address"].iloc[0]
    assert "Amounts reaching each service" in explore_trace(
        graph, start, 3, "haircut", dict(exchanges.items()), draw=False
    )
    assert "Tags in the cluster" in explore_cluster(cluster_addresses(graph), tags, start)
