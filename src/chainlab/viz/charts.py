"""Charts for modules 04-10, drawn with matplotlib in the Okabe-Ito colour-blind-safe palette (see `palette`).

Amounts are shown in coins (BTC).
"""

from __future__ import annotations

import io

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from ..analysis.graph import UtxoGraph
from ..chain.units import SATOSHI_PER_BTC
from .flow import flow_layout, short, title
from .palette import CYCLE, PALETTE


def _axes(ax, size=(8, 4.5)):
    if ax is None:
        _, ax = plt.subplots(figsize=size)
    return ax


def flow_graph(graph: UtxoGraph, trace_table: pd.DataFrame, start: str, ax=None, top: int = 25):
    """The flow graph of a forward trace: addresses in columns by hop, arrows labelled with the amount (BTC).

    Shows the `top` largest coins with every transaction on their paths back to the start (see
    `flow.flow_layout`). Stops (e.g. exchanges) are orange, the start is blue.
    """
    ax = _axes(ax, (10, 5.5))
    layout = flow_layout(graph, trace_table, start, top)
    positions, flows = layout.positions, layout.flows
    # One artist per kind (all arrows, all dots) keeps redraws quick.
    if len(flows):
        (x0, y0), (x1, y1) = (
            np.array([positions[a] for a in flows["from_address"]]).T,
            np.array([positions[a] for a in flows["to_address"]]).T,
        )
        ax.quiver(
            x0,
            y0,
            (x1 - x0) * 0.97,
            (y1 - y0) * 0.97,
            angles="xy",
            scale_units="xy",
            scale=1,
            width=0.003,
            headwidth=5,
            headlength=7,
            color=PALETTE["sky_blue"],
        )
        for x, y, value in zip(x0 + (x1 - x0) * 0.4, y0 + (y1 - y0) * 0.4, flows["value"]):
            ax.text(
                x, y, f"{value / SATOSHI_PER_BTC:.4g}", fontsize=7, ha="center", va="bottom", color=PALETTE["black"]
            )
    ax.scatter(*zip(*positions.values()), s=80, c=[layout.colour(a) for a in positions], zorder=3)
    for address, (x, y) in positions.items():
        stop = layout.stopped.get(address)
        ax.text(x, y - 0.25, short(address) + (f"\n{stop}" if stop else ""), fontsize=7, ha="center", va="top")
    ax.set_xticks(range(layout.hops + 1), ["start"] + [f"hop {h}" for h in range(1, layout.hops + 1)])
    ax.set_yticks([])
    ax.set_ylim(-layout.rows + 0.3, 0.6)
    ax.set_title(title(layout))
    return ax


def money_flow_summary(
    table: pd.DataFrame, by: str = "stopped_at", value: str = "value", ax=None, title: str | None = None
):
    """Horizontal bars: total amount (BTC) per group, largest on top (e.g. what reached each exchange)."""
    ax = _axes(ax)
    totals = table[table[by].astype(str) != ""].groupby(by)[value].sum().sort_values() / SATOSHI_PER_BTC
    ax.barh(totals.index.astype(str), totals.to_numpy(), color=PALETTE["blue"])
    for y, amount in enumerate(totals.to_numpy()):
        ax.text(amount, y, f" {amount:.4g}", va="center", fontsize=8)
    ax.set_xlabel("BTC")
    ax.set_title(title or f"Total amount by {by}")
    return ax


def timeline(
    table: pd.DataFrame,
    time: str = "block_timestamp",
    value: str = "value",
    group: str | None = None,
    ax=None,
    title: str = "Timeline",
):
    """Each row as a stem at its time with its amount (BTC), coloured by `group` (up to eight groups)."""
    ax = _axes(ax)
    groups = [(None, table)] if group is None else list(table.groupby(group, sort=True))
    for colour, (name, rows) in zip(CYCLE, groups):
        ax.vlines(rows[time], 0, rows[value] / SATOSHI_PER_BTC, color=colour, lw=1.5)
        ax.scatter(
            rows[time], rows[value] / SATOSHI_PER_BTC, color=colour, s=18, label=None if name is None else str(name)
        )
    if group is not None:
        ax.legend(fontsize=8, frameon=False)
    ax.set_ylabel("BTC")
    ax.set_title(title)
    ax.figure.autofmt_xdate()
    return ax


def widget_axes(size: tuple[float, float]):
    """Axes on a figure that pyplot does not track: quicker to make, for a widget that turns it into a PNG."""
    return Figure(figsize=size).subplots()


def date_axis(ax, ticks: int = 7) -> None:
    """At most `ticks` concise date labels on the x axis (fewer ticks also draw faster)."""
    locator = mdates.AutoDateLocator(maxticks=ticks)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))


def figure_png(figure) -> bytes:
    """A figure as PNG bytes (for a widget's image), then closed so notebooks do not pile up figures."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=72)
    plt.close(figure)
    return buffer.getvalue()
