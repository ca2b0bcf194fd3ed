"""Charts: they draw what they are given, in the colour-blind-safe palette, and render to PNG."""

from __future__ import annotations

import re
import subprocess
import sys

import matplotlib

matplotlib.use("Agg")

import matplotlib.colors as mcolors  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

from chainlab.analysis.graph import build_graph, tables_from_spec  # noqa: E402
from chainlab.analysis.trace import trace  # noqa: E402
from chainlab.viz import PALETTE, figure_png, flow_graph, money_flow_summary, timeline  # noqa: E402
from chainlab.viz.flow import flow_graph_svg, flow_layout  # noqa: E402

COIN = 100_000_000
OKABE_ITO = {"#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000"}


def test_palette_is_okabe_ito():
    assert set(PALETTE.values()) == OKABE_ITO


def test_flow_graph_labels_amounts_and_marks_stops():
    graph = build_graph(
        *tables_from_spec(
            [
                dict(hash="t0", outputs=[("1Start", 10 * COIN)]),
                dict(hash="t1", inputs=[("t0", 0)], outputs=[("3Exchange", 4 * COIN), ("1Next", 6 * COIN)]),
            ]
        )
    )
    table = trace(graph, addresses="1Start", hops=2, stop_at={"3Exchange": "Exchange A"})
    ax = flow_graph(graph, table, "1Start")
    texts = [t.get_text() for t in ax.texts]
    assert "4" in texts and "6" in texts and any("Exchange A" in t for t in texts)
    colours = {mcolors.to_hex(c).upper() for collection in ax.collections for c in collection.get_facecolors()}
    assert colours <= OKABE_ITO and mcolors.to_hex(PALETTE["orange"]).upper() in colours
    assert figure_png(ax.figure).startswith(b"\x89PNG")


def test_summary_and_timeline():
    table = pd.DataFrame(
        {
            "stopped_at": ["A", "B", "A", ""],
            "value": [COIN, 3 * COIN, COIN, 5 * COIN],
            "block_timestamp": pd.date_range("2024-05-01", periods=4, freq="D", tz="UTC"),
        }
    )
    ax = money_flow_summary(table)
    assert [b.get_width() for b in ax.patches] == [2.0, 3.0]  # the unlabelled row is left out; largest on top
    ax = timeline(table[table["stopped_at"] != ""], group="stopped_at")
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["A", "B"]
    plt.close("all")


def test_flow_graph_keeps_every_shown_coin_connected_to_the_start():
    graph = build_graph(
        *tables_from_spec(
            [
                dict(hash="t0", outputs=[("1Start", 10 * COIN), ("1Outsider", 20 * COIN)]),
                dict(hash="t1", inputs=[("t0", 0)], outputs=[("1Middle", 9 * COIN), ("1Start", 1 * COIN)]),
                dict(hash="t2", inputs=[("t1", 0), ("t0", 1)], outputs=[("3End", 29 * COIN)]),
            ]
        )
    )
    table = trace(graph, addresses="1Start", hops=3)
    ax = flow_graph(graph, table, "1Start", top=1)  # only the deepest, largest coin is "shown"
    labels = {t.get_text() for t in ax.texts}
    assert {"1Start", "1Middle", "3End"} <= labels, "the chain back to the start is drawn"
    assert "1Outsider" not in labels, "money from outside the trace is not drawn"
    arrows = next(c for c in ax.collections if hasattr(c, "U"))
    assert len(arrows.U) == 2, "two arrows: start -> middle -> end; the change back to the start is left out"


def test_flow_graph_svg_draws_the_same_layout_as_the_chart():
    graph = build_graph(
        *tables_from_spec(
            [
                dict(hash="t0", outputs=[("1Start", 10 * COIN)]),
                dict(hash="t1", inputs=[("t0", 0)], outputs=[("3Exchange", 4 * COIN), ("1Next<b>", 6 * COIN)]),
            ]
        )
    )
    table = trace(graph, addresses="1Start", hops=2, stop_at={"3Exchange": "Exchange A"})
    svg = flow_graph_svg(flow_layout(graph, table, "1Start"))
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert svg.count("<line ") == 2 and ">4</text>" in svg and ">6</text>" in svg, "one arrow per flow, labelled in BTC"
    assert ">Exchange A</text>" in svg and f"fill='{PALETTE['orange']}'" in svg and f"fill='{PALETTE['blue']}'" in svg
    assert "1Next&lt;b&gt;" in svg and "1Next<b>" not in svg, "addresses and names are escaped"
    assert {c.upper() for c in re.findall(r"#[0-9A-Fa-f]{6}", svg)} <= OKABE_ITO


def test_each_svg_drawing_refers_to_its_own_arrowhead():
    graph = build_graph(
        *tables_from_spec(
            [
                dict(hash="t0", outputs=[("1Start", 10 * COIN)]),
                dict(hash="t1", inputs=[("t0", 0)], outputs=[("1Next", 9 * COIN)]),
            ]
        )
    )
    layout = flow_layout(graph, trace(graph, addresses="1Start", hops=1), "1Start")
    ids = []
    for svg in (flow_graph_svg(layout), flow_graph_svg(layout)):
        (marker,) = re.findall(r"<marker id='([^']+)'", svg)
        assert re.findall(r"url\(#([^)]+)\)", svg) == [marker]
        ids.append(marker)
    assert ids[0] != ids[1], "two drawings on one page must not share an id"


def test_the_svg_flow_graph_and_the_palette_load_without_matplotlib():
    code = "import sys, chainlab.viz.flow, chainlab.viz; chainlab.viz.PALETTE; print('matplotlib' in sys.modules)"
    assert (
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
        == "False"
    )
