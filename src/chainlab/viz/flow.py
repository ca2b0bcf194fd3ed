"""The flow graph of a forward trace: where it puts each address (`flow_layout`), and an SVG drawing for widgets.

`charts.flow_graph` draws the same layout with matplotlib for notebooks and reports; `flow_graph_svg` writes it
as SVG text, which a widget can show at once (matplotlib needs about 60-150 ms a drawing, too slow for a slider).
"""

from __future__ import annotations

import html
import uuid
from dataclasses import dataclass

import pandas as pd

from ..analysis.graph import UtxoGraph
from ..chain.units import SATOSHI_PER_BTC
from .palette import PALETTE


@dataclass(frozen=True)
class FlowLayout:
    """Addresses placed in columns by hop (`positions`: address -> (hop, -row)) and the amounts between them."""

    start: str
    positions: dict[str, tuple[int, int]]
    flows: pd.DataFrame  # from_address, to_address, value (satoshi)
    stopped: dict[str, str]  # address -> the service the trace stopped at ("" if none)

    @property
    def hops(self) -> int:
        return max(hop for hop, _ in self.positions.values())

    @property
    def rows(self) -> int:
        return 1 - min(row for _, row in self.positions.values())

    def colour(self, address: str) -> str:
        """Blue for the start, orange for a stop (e.g. an exchange), green for any other address."""
        if address == self.start:
            return PALETTE["blue"]
        return PALETTE["orange"] if self.stopped.get(address) else PALETTE["green"]


def short(address: str) -> str:
    return address if len(address) <= 14 else f"{address[:8]}…{address[-4:]}"


def flow_layout(graph: UtxoGraph, trace_table: pd.DataFrame, start: str, top: int = 25) -> FlowLayout:
    """The `top` largest coins of a trace, with every transaction on their paths back to the start, so each
    one stays connected; payments from an address to itself (change) are left out."""
    shown = trace_table.nlargest(top, "value")
    on_paths = sorted({tx for path in shown["path"] for tx in path})
    hop_of = {start: 0}
    for row in trace_table[trace_table["transaction_hash"].isin(on_paths)].sort_values("hop").itertuples():
        hop_of.setdefault(row.address, int(row.hop))
    flows = graph.address_flows(graph.tx_ids(on_paths))
    flows = flows[
        flows["from_address"].isin(hop_of)
        & flows["to_address"].isin(hop_of)
        & (flows["from_address"] != flows["to_address"])
    ]
    # Keep the shown coins' addresses and the addresses that pass money on towards them.
    keep = set(shown["address"]) | set(flows["from_address"]) | {start}
    flows = flows[flows["to_address"].isin(keep)].groupby(["from_address", "to_address"], as_index=False)["value"].sum()
    positions, per_hop = {}, {}
    for address, hop in sorted(((a, h) for a, h in hop_of.items() if a in keep), key=lambda item: item[1]):
        positions[address] = (hop, -per_hop.setdefault(hop, 0))
        per_hop[hop] += 1
    return FlowLayout(start, positions, flows, dict(zip(trace_table["address"], trace_table["stopped_at"])))


def title(layout: FlowLayout) -> str:
    return f"Where the money went from {short(layout.start)} (amounts in BTC; orange = stop, e.g. exchange)"


def flow_graph_svg(layout: FlowLayout, column: int = 150, row: int = 62) -> str:
    """The layout as an SVG picture: columns by hop, an arrow per flow labelled with its amount in BTC."""
    margin_x, top = column // 2, 52
    # A random arrowhead id: ids are shared by the whole page (every open notebook, every kernel), and a drawing
    # that used an arrowhead defined in a hidden output, such as another notebook's tab, would lose its arrowheads.
    arrow = f"chainlab-arrow-{uuid.uuid4().hex[:12]}"
    width, height = column * layout.hops + 2 * margin_x, top + row * layout.rows + 10

    def point(address: str) -> tuple[float, float]:
        hop, negative_row = layout.positions[address]
        return margin_x + hop * column, top + 12 - negative_row * row

    parts = [
        f"<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 {width} {height}' width='{width}' style='max-width:100%;height:auto'"
        " font-family='sans-serif' font-size='10'"
        f" role='img' aria-label='{html.escape(title(layout))}'>",
        f"<defs><marker id='{arrow}' viewBox='0 0 10 10' refX='10' refY='5' markerWidth='7' markerHeight='7' orient='auto'>"
        f"<path d='M0,0 L10,5 L0,10 z' fill='{PALETTE['sky_blue']}'/></marker></defs>",
        f"<text x='4' y='14' font-size='12'>{html.escape(title(layout))}</text>",
    ]
    parts += [
        f"<text x='{margin_x + hop * column}' y='34' text-anchor='middle' font-weight='bold'>{'start' if hop == 0 else f'hop {hop}'}</text>"
        for hop in range(layout.hops + 1)
    ]
    for flow in layout.flows.itertuples():
        (x0, y0), (x1, y1) = point(flow.from_address), point(flow.to_address)
        shorten = 7 / max(1.0, ((x1 - x0) ** 2 + (y1 - y0) ** 2) ** 0.5)  # stop at the dot's edge
        parts.append(
            f"<line x1='{x0:.1f}' y1='{y0:.1f}' x2='{x1 - (x1 - x0) * shorten:.1f}' y2='{y1 - (y1 - y0) * shorten:.1f}'"
            f" stroke='{PALETTE['sky_blue']}' stroke-width='1.5' marker-end='url(#{arrow})'/>"
        )
        parts.append(
            f"<text x='{x0 + (x1 - x0) * 0.4:.1f}' y='{y0 + (y1 - y0) * 0.4 - 3:.1f}' text-anchor='middle'>"
            f"{flow.value / SATOSHI_PER_BTC:.4g}</text>"
        )
    for address in layout.positions:
        x, y = point(address)
        stop = layout.stopped.get(address)
        parts.append(
            f"<circle cx='{x}' cy='{y}' r='6' fill='{layout.colour(address)}'><title>{html.escape(address)}</title></circle>"
        )
        parts.append(f"<text x='{x}' y='{y + 18}' text-anchor='middle'>{html.escape(short(address))}</text>")
        if stop:
            parts.append(
                f"<text x='{x}' y='{y + 30}' text-anchor='middle' font-weight='bold'>{html.escape(stop)}</text>"
            )
    return "".join(parts) + "</svg>"
