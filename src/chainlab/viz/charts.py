"""Charts for modules 04-10, drawn with matplotlib in the Okabe-Ito colour-blind-safe palette.

Okabe & Ito, "Color Universal Design" (2002/2008, https://jfly.uni-koeln.de/color/): eight colours that
people with the common forms of colour blindness can tell apart. Amounts are shown in coins (BTC).
"""

from __future__ import annotations

import io

import matplotlib.pyplot as plt
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

    Shows the `top` largest coins; stops (e.g. exchanges) are orange, the start is blue.
    """
    ax = _axes(ax, (10, 5.5))
    shown = trace_table.nlargest(top, "value")
    flows = graph.address_flows(graph.tx_ids(shown["transaction_hash"].unique()))
    hop_of = {start: 0}
    for row in shown.sort_values("hop").itertuples():
        hop_of.setdefault(row.address, int(row.hop))
    stopped = dict(zip(shown["address"], shown["stopped_at"]))
    flows = flows[flows["to_address"].isin(set(shown["address"])) & flows["from_address"].isin(hop_of)]
    flows = flows.groupby(["from_address", "to_address"], as_index=False)["value"].sum()
    positions, per_hop = {}, {}
    for address, hop in sorted(hop_of.items(), key=lambda item: item[1]):
        positions[address] = (hop, -per_hop.setdefault(hop, 0))
        per_hop[hop] += 1
    for row in flows.itertuples():
        (x0, y0), (x1, y1) = positions[row.from_address], positions[row.to_address]
        ax.annotate("", (x1, y1), (x0, y0), arrowprops=dict(arrowstyle="->", color=PALETTE["sky_blue"], lw=1))
        ax.text((x0 + x1) / 2, (y0 + y1) / 2, f"{row.value / SATOSHI:.4g}", fontsize=7, ha="center", color=PALETTE["black"])
    for address, (x, y) in positions.items():
        colour = PALETTE["blue"] if address == start else PALETTE["orange"] if stopped.get(address) else PALETTE["green"]
        ax.scatter([x], [y], s=80, color=colour, zorder=3)
        ax.text(x + 0.05, y + 0.15, short(address) + (f"\n{stopped[address]}" if stopped.get(address) else ""), fontsize=7)
    ax.set_xticks(range(max(per_hop) + 1), ["start"] + [f"hop {h}" for h in range(1, max(per_hop) + 1)])
    ax.set_yticks([])
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

