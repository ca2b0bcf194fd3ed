"""Trace explorer (introduced in 05_tracing_the_money): start address, hop limit and taint model; see where the money went.

The logic is `explore_trace` (a pure function the tests call); the widget only collects inputs and shows its HTML.
"""

from __future__ import annotations

import html

import ipywidgets as widgets
import pandas as pd

from ..analysis.errors import AnalysisInputError
from ..analysis.taint import MODELS, taint
from ..analysis.trace import amounts_reaching, trace
from ..chain.units import SATOSHI_PER_BTC
from .toolkit_html import message_html, table_html


def explore_trace(graph, start: str, hops: int, model: str, services: dict[str, str], draw: bool = True) -> str:
    """HTML for one setting: the amounts reaching each service (traced and tainted), the flow graph, the first coins."""
    start = start.strip()
    if not start:
        return message_html("Type or paste a start address.")
    try:
        traced = trace(graph, addresses=start, hops=hops, stop_at=services)
        tainted = taint(graph, addresses=start, model=model, hops=hops, stop_at=services)
    except AnalysisInputError as problem:
        return message_html(str(problem), problem=True)
    if traced.empty:
        return message_html(f"{start} has not spent any coins yet, so there is nothing to trace forward.")
    reaching = amounts_reaching(traced)
    taint_at = tainted.assign(stopped_at=tainted["address"].map(services)).dropna(subset=["stopped_at"])
    reaching["tainted_value"] = (
        reaching["stopped_at"].map(taint_at.groupby("stopped_at")["tainted_value"].sum()).fillna(0).astype("int64")
    )
    reaching["value_btc"] = reaching["value"] / SATOSHI_PER_BTC
    reaching[f"{model}_taint_btc"] = reaching["tainted_value"] / SATOSHI_PER_BTC
    parts = [
        f"<b>{traced['address'].nunique():,}</b> addresses reached within {hops} hop(s) from {html.escape(start)}.",
        "<h4>Amounts reaching each service</h4>",
        table_html(
            reaching[["stopped_at", "coins", "first_hop", "value_btc", f"{model}_taint_btc"]],
            empty="No listed service is reached within these hops: raise the hop limit.",
        ),
    ]
    if draw:
        from ..viz.flow import flow_graph_svg, flow_layout

        parts.append(flow_graph_svg(flow_layout(graph, traced, start, top=15)))
    parts += [
        "<h4>Largest coins reached</h4>",
        table_html(traced.nlargest(8, "value")[["hop", "address", "value", "stopped_at", "transaction_hash"]]),
    ]
    return "".join(parts)


def trace_explorer(graph, start: str, services: dict[str, str] | pd.Series, max_hops: int = 10) -> widgets.VBox:
    """Start-address box, hop slider and taint-model menu over `graph`; `services` maps address -> name (e.g. exchanges)."""
    services = dict(services.items())
    address = widgets.Text(
        value=start,
        description="start address",
        layout=widgets.Layout(width="80%"),
        style={"description_width": "initial"},
    )
    hops = widgets.IntSlider(value=3, min=1, max=max_hops, description="hops")
    model = widgets.Dropdown(options=MODELS, value="haircut", description="taint model")
    draw = widgets.Checkbox(value=False, description="draw the flow graph", layout=widgets.Layout(width="auto"))
    result = widgets.HTML()

    def refresh(_change=None) -> None:
        result.value = explore_trace(graph, address.value, hops.value, model.value, services, draw.value)

    for control in (address, hops, model, draw):
        control.observe(refresh, names="value")
    refresh()
    return widgets.VBox([address, widgets.HBox([hops, model, draw]), result])
