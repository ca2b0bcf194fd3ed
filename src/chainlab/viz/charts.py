"""Charts for modules 04-10, drawn with matplotlib in the Okabe-Ito colour-blind-safe palette.

Okabe & Ito, "Color Universal Design" (2002/2008, https://jfly.uni-koeln.de/color/): eight colours that
people with the common forms of colour blindness can tell apart. Amounts are shown in coins (BTC).
"""

from __future__ import annotations

import io

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from ..analysis.graph import UtxoGraph

PALETTE = {"orange": "#E69F00", "sky_blue": "#56B4E9", "green": "#009E73", "yellow": "#F0E442",
           "blue": "#0072B2", "vermillion": "#D55E00", "purple": "#CC79A7", "black": "#000000"}
CYCLE = [PALETTE[c] for c in ("blue", "orange", "green", "vermillion", "purple", "sky_blue", "yellow", "black")]
SATOSHI = 100_000_000


def _axes(ax, size=(8, 4.5)):
    if ax is None:
        _, ax = plt.subplots(figsize=size)
    return ax


def short(address: str) -> str:
    return address if len(address) <= 14 else f"{address[:8]}…{address[-4:]}"


def flow_graph(graph: UtxoGraph, trace_table: pd.DataFrame, start: str, ax=None, top: int = 25):
    """The flow graph of a forward trace: addresses in columns by hop, arrows labelled with the amount (BTC).

    Shows the `top` largest coins with every transaction on their paths back to the start, so each one
    stays connected; payments from an address to itself (change) are left out. Stops (e.g. exchanges)
    are orange, the start is blue.
    """
    ax = _axes(ax, (10, 5.5))
    shown = trace_table.nlargest(top, "value")
    on_paths = sorted({tx for path in shown["path"] for tx in path})
    hop_of = {start: 0}
    for row in trace_table[trace_table["transaction_hash"].isin(on_paths)].sort_values("hop").itertuples():
        hop_of.setdefault(row.address, int(row.hop))
    flows = graph.address_flows(graph.tx_ids(on_paths))
    flows = flows[flows["from_address"].isin(hop_of) & flows["to_address"].isin(hop_of) & (flows["from_address"] != flows["to_address"])]
    # Keep the shown coins' addresses and the addresses that pass money on towards them.
    keep = set(shown["address"]) | set(flows["from_address"]) | {start}
    flows = flows[flows["to_address"].isin(keep)].groupby(["from_address", "to_address"], as_index=False)["value"].sum()
    stopped = dict(zip(trace_table["address"], trace_table["stopped_at"]))
    positions, per_hop = {}, {}
    for address, hop in sorted(((a, h) for a, h in hop_of.items() if a in keep), key=lambda item: item[1]):
        positions[address] = (hop, -per_hop.setdefault(hop, 0))
        per_hop[hop] += 1
    # One artist per kind (all arrows, all dots) keeps redraws fast enough for a widget.
    if len(flows):
        (x0, y0), (x1, y1) = np.array([positions[a] for a in flows["from_address"]]).T, np.array([positions[a] for a in flows["to_address"]]).T
        ax.quiver(x0, y0, (x1 - x0) * 0.97, (y1 - y0) * 0.97, angles="xy", scale_units="xy", scale=1, width=0.003,
                  headwidth=5, headlength=7, color=PALETTE["sky_blue"])
        for x, y, value in zip(x0 + (x1 - x0) * 0.4, y0 + (y1 - y0) * 0.4, flows["value"]):
            ax.text(x, y, f"{value / SATOSHI:.4g}", fontsize=7, ha="center", va="bottom", color=PALETTE["black"])
    colours = [PALETTE["blue"] if a == start else PALETTE["orange"] if stopped.get(a) else PALETTE["green"] for a in positions]
    ax.scatter(*zip(*positions.values()), s=80, c=colours, zorder=3)
    for address, (x, y) in positions.items():
        ax.text(x, y - 0.25, short(address) + (f"\n{stopped[address]}" if stopped.get(address) else ""), fontsize=7, ha="center", va="top")
    ax.set_xticks(range(max(per_hop) + 1), ["start"] + [f"hop {h}" for h in range(1, max(per_hop) + 1)])
    ax.set_yticks([])
    ax.set_ylim(-max(per_hop.values()) + 0.3, 0.6)
    ax.set_title(f"Where the money went from {short(start)} (amounts in BTC; orange = stop, e.g. exchange)")
    return ax


def money_flow_summary(table: pd.DataFrame, by: str = "stopped_at", value: str = "value", ax=None, title: str | None = None):
    """Horizontal bars: total amount (BTC) per group, largest on top (e.g. what reached each exchange)."""
    ax = _axes(ax)
    totals = table[table[by].astype(str) != ""].groupby(by)[value].sum().sort_values() / SATOSHI
    ax.barh(totals.index.astype(str), totals.to_numpy(), color=PALETTE["blue"])
    for y, amount in enumerate(totals.to_numpy()):
        ax.text(amount, y, f" {amount:.4g}", va="center", fontsize=8)
    ax.set_xlabel("BTC")
    ax.set_title(title or f"Total amount by {by}")
    return ax


def timeline(table: pd.DataFrame, time: str = "block_timestamp", value: str = "value", group: str | None = None, ax=None, title: str = "Timeline"):
    """Each row as a stem at its time with its amount (BTC), coloured by `group` (up to eight groups)."""
    ax = _axes(ax)
    groups = [(None, table)] if group is None else list(table.groupby(group, sort=True))
    for colour, (name, rows) in zip(CYCLE, groups):
        ax.vlines(rows[time], 0, rows[value] / SATOSHI, color=colour, lw=1.5)
        ax.scatter(rows[time], rows[value] / SATOSHI, color=colour, s=18, label=None if name is None else str(name))
    if group is not None:
        ax.legend(fontsize=8, frameon=False)
    ax.set_ylabel("BTC")
    ax.set_title(title)
    ax.figure.autofmt_xdate()
    return ax


def figure_png(figure) -> bytes:
    """A figure as PNG bytes (for ipywidgets.Image), then closed so notebooks do not pile up figures."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=72)
    plt.close(figure)
    return buffer.getvalue()

