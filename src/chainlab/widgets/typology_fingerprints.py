"""Typology fingerprints (introduced in 08_crime_typologies): the flow shape, amounts and timing of several cases side by side.

`fingerprint` (a pure function the tests call) measures one set of transactions; the widget compares the chosen ones.
"""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np
import pandas as pd

from ..analysis.errors import AnalysisInputError
from ..analysis.graph import UtxoGraph
from ..chain.units import SATOSHI_PER_BTC
from .toolkit_html import image_html, message_html


def fingerprint(graph: UtxoGraph, transactions) -> dict:
    """Shape, amounts and timing of a set of transactions (one case's flow)."""
    tx = np.unique(graph.tx_ids(list(transactions)))
    if tx.size == 0:
        raise AnalysisInputError("this typology has no transactions to measure.")
    times = np.sort(graph.tx_time[tx])
    values = graph.tx_input_value[tx]
    gaps = np.diff(times) / 3600
    return {
        "transactions": int(tx.size),
        "median inputs": float(np.median(graph.tx_input_count[tx])),
        "median outputs": float(np.median(graph.tx_output_count[tx])),
        "many-to-one (consolidations)": int(((graph.tx_input_count[tx] > 2) & (graph.tx_output_count[tx] == 1)).sum()),
        "median amount (BTC)": round(float(np.median(values)) / SATOSHI_PER_BTC, 4),
        "total moved (BTC)": round(float(values.sum()) / SATOSHI_PER_BTC, 4),
        "span (days)": round(float(times[-1] - times[0]) / 86_400, 1),
        "median gap (hours)": round(float(np.median(gaps)), 1) if gaps.size else 0.0,
    }


def compare_typologies(graph: UtxoGraph, typologies: dict[str, list[str]], chosen, draw: bool = True) -> str:
    """HTML: the fingerprints of the chosen typologies in columns, and their amounts over time."""
    chosen = list(chosen)
    if not chosen:
        return message_html("Pick at least one typology to see its fingerprint.")
    try:
        table = pd.DataFrame({name: fingerprint(graph, typologies[name]) for name in chosen})
    except AnalysisInputError as problem:
        return message_html(str(problem), problem=True)
    parts = [table.rename_axis("measure").reset_index().to_html(index=False)]
    if draw:
        from matplotlib.ticker import FormatStrFormatter, NullLocator

        from ..viz.charts import date_axis, figure_png, widget_axes
        from ..viz.palette import CYCLE

        ax = widget_axes((8, 3))
        for colour, name in zip(CYCLE, chosen):
            tx = graph.tx_ids(typologies[name])
            ax.scatter(
                pd.to_datetime(graph.tx_time[tx], unit="s"),
                graph.tx_input_value[tx] / SATOSHI_PER_BTC,
                s=14,
                color=colour,
                label=name,
            )
        ax.set_yscale("log")
        # Plain numbers (0.01, 0.1, 1) read better than powers of ten, and skipping the minor ticks and the
        # typesetting of exponents makes the chart draw several times faster.
        ax.yaxis.set_minor_locator(NullLocator())
        ax.yaxis.set_major_formatter(FormatStrFormatter("%g"))
        ax.set_ylabel("BTC moved (log scale)")
        ax.legend(fontsize=7, frameon=False)
        date_axis(ax)
        parts.append(image_html(figure_png(ax.figure), "amounts over time per typology"))
    return "".join(parts)


def typology_fingerprints(graph: UtxoGraph, typologies: dict[str, list[str]]) -> widgets.VBox:
    """Checkboxes for each typology (name -> its transactions' hashes); the comparison updates live."""
    if not typologies:
        return widgets.VBox(
            [
                widgets.HTML(
                    message_html("No typologies given: pass a dict of name -> transaction hashes.", problem=True)
                )
            ]
        )
    boxes = [
        widgets.Checkbox(value=i < 2, description=name, indent=False, layout=widgets.Layout(width="auto"))
        for i, name in enumerate(typologies)
    ]
    draw = widgets.Checkbox(
        value=False, description="draw amounts over time", indent=False, layout=widgets.Layout(width="auto")
    )
    result = widgets.HTML()

    def refresh(_change=None) -> None:
        result.value = compare_typologies(graph, typologies, [b.description for b in boxes if b.value], draw.value)

    for box in (*boxes, draw):
        box.observe(refresh, names="value")
    refresh()
    # Six or more names do not fit one line in a narrow notebook: let the checkboxes wrap onto the next line.
    return widgets.VBox([widgets.HBox(boxes, layout=widgets.Layout(flex_flow="row wrap")), draw, result])
