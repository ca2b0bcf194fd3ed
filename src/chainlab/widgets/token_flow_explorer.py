"""Token-flow explorer (introduced in 07_ethereum_defi_and_bridges): follow tokens and ETH from an account, across swaps, into mixers and bridges.

The logic is `explore_token_flows` (a pure function the tests call); the widget only collects inputs and shows its HTML.
"""

from __future__ import annotations

import html

import ipywidgets as widgets
import pandas as pd

from ..analysis.account import follow_funds
from ..analysis.errors import AnalysisInputError
from .toolkit_html import message_html, table_html


def explore_token_flows(
    movements: pd.DataFrame, start: str, hops: int, asset: str, pools: set[str], stops: dict[str, str]
) -> str:
    """HTML: where value went from `start` within `hops` hops (DEX `pools` passed through, `stops` reported), per hop and per stop."""
    start = start.strip()
    if not start:
        return message_html("Type or paste an account address (0x…).")
    try:
        flows = follow_funds(movements, start, hops, through=pools, stop_at=stops)
    except AnalysisInputError as problem:
        return message_html(str(problem), problem=True)
    if asset != "all":
        flows = flows[flows["asset"] == asset]
    if flows.empty:
        return message_html(f"No {'value' if asset == 'all' else asset} left {start} within {hops} hop(s).")
    by_hop = flows.groupby(["hop", "asset"], as_index=False).agg(
        movements=("amount", "size"), amount=("amount", "sum"), receivers=("to_address", "nunique")
    )
    stopped = (
        flows[flows["stopped_at"] != ""]
        .groupby(["stopped_at", "asset"], as_index=False)
        .agg(movements=("amount", "size"), amount=("amount", "sum"))
    )
    return "".join(
        [
            f"<b>{len(flows):,}</b> movements from {html.escape(start)} within {hops} hop(s).",
            "<h4>Per hop</h4>",
            table_html(by_hop),
            "<h4>Reaching mixers, bridges and other stops</h4>",
            table_html(stopped, empty="No stop reached within these hops."),
            "<h4>Movements</h4>",
            table_html(flows.drop(columns=["path", "value"]), rows=15),
        ]
    )


def token_flow_explorer(
    movements: pd.DataFrame, start: str, pools, stops: dict[str, str], max_hops: int = 6
) -> widgets.VBox:
    """Start account, hop slider and asset menu over `movements` (from `chainlab.analysis.account.asset_movements`)."""
    pools, stops = set(pools), dict(stops)
    address = widgets.Text(
        value=start,
        description="start account",
        layout=widgets.Layout(width="80%"),
        style={"description_width": "initial"},
    )
    hops = widgets.IntSlider(value=3, min=1, max=max_hops, description="hops")
    asset = widgets.Dropdown(options=["all", *sorted(movements["asset"].unique())], value="all", description="asset")
    result = widgets.HTML()

    def refresh(_change=None) -> None:
        result.value = explore_token_flows(movements, address.value, hops.value, asset.value, pools, stops)

    for control in (address, hops, asset):
        control.observe(refresh, names="value")
    refresh()
    return widgets.VBox([address, widgets.HBox([hops, asset]), result])
