"""Cluster explorer (introduced in 06_clustering_and_attribution): an address's cluster, its tags, and why each member is in it.

`cluster_explorer` shows one clustering; `heuristics_explorer` lets the learner switch heuristics on and off and
shows each choice's precision and recall on addresses whose owner is known. The logic is in the pure functions
`explore_cluster` and `explore_heuristics` (the tests call them); the widgets only collect inputs and show HTML.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

import ipywidgets as widgets
import pandas as pd

from ..analysis.change import HEURISTICS as CHANGE_HEURISTICS
from ..analysis.cluster import HeuristicLinks
from ..analysis.errors import AnalysisInputError
from ..analysis.metrics import score_clustering
from .toolkit_html import message_html, table_html

if TYPE_CHECKING:
    from ..analysis.cluster import Clustering
    from ..analysis.graph import UtxoGraph


def explore_cluster(clustering: Clustering, tags: pd.DataFrame, address: str, member: str = "") -> str:
    """HTML: cluster size, the tags found in it (with source and confidence), its links, and why `member` is in it.

    (`chainlab.analysis.evidence.attribution` gives the same tags with the membership chain behind each.)
    """
    address, member = address.strip(), member.strip()
    if not address:
        return message_html("Type or paste an address to see its cluster.")
    try:
        members = clustering.members(address)
        why = clustering.explain(address, member) if member in members else None
    except AnalysisInputError as problem:
        return message_html(str(problem), problem=True)
    parts = [f"<b>{html.escape(address)}</b> is in a cluster of <b>{len(members):,}</b> address(es)."]
    if len(members) > 1000:
        parts.append(
            message_html("A cluster this big may be a super-cluster: check its links for a CoinJoin or a service.")
        )
    tagged = tags[tags["address"].isin(set(members))][["address", "label", "category", "source", "confidence"]]
    parts += [
        "<h4>Tags in the cluster</h4>",
        table_html(tagged, empty="No public tag in this cluster: it stays unattributed."),
    ]
    if member:
        if member not in members:
            parts.append(
                message_html(f"{member} is not in this cluster, so nothing joins it to {address}.", problem=True)
            )
        else:
            parts += [
                f"<h4>Why {html.escape(member)} is in the cluster</h4>",
                table_html(why, empty="That is the address itself."),
            ]
    parts += [
        "<h4>Links that built the cluster</h4>",
        table_html(
            clustering.links(address), rows=10, empty="No links: the address was never spent together with another."
        ),
    ]
    return "".join(parts)


def _address_member_and_report(address: str) -> tuple[widgets.Text, widgets.Combobox, widgets.HTML]:
    """The controls both explorers share: the address box, the "why is" member menu and the report."""
    box = widgets.Text(value=address, description="address", layout=widgets.Layout(width="80%"))
    member = widgets.Combobox(
        placeholder="pick or paste a cluster member",
        description="why is",
        ensure_option=False,
        layout=widgets.Layout(width="80%"),
    )
    return box, member, widgets.HTML()


def _offer_members(member: widgets.Combobox, clustering: Clustering, address: str) -> None:
    """Offer the first 200 members of the address's cluster in the menu (none while the address is not in the data)."""
    try:
        member.options = tuple(clustering.members(address.strip())[:200])
    except AnalysisInputError:
        member.options = ()


def cluster_explorer(clustering: Clustering, tags: pd.DataFrame, address: str) -> widgets.VBox:
    """An address box, a member menu (to ask why that member is in the cluster) and the cluster report."""
    box, member, result = _address_member_and_report(address)

    def refresh(_change=None) -> None:
        _offer_members(member, clustering, box.value)
        result.value = explore_cluster(clustering, tags, box.value, member.value)

    box.observe(refresh, names="value")
    member.observe(refresh, names="value")
    refresh()
    return widgets.VBox([box, member, result])


def explore_heuristics(
    clustering: Clustering, tags: pd.DataFrame, reference: pd.DataFrame, address: str, member: str = ""
) -> str:
    """HTML: the clustering's measured precision and recall on the `reference` addresses (address, owner), then its cluster report."""
    score = score_clustering(clustering, reference)
    known = int((clustering.graph.address_index.get_indexer(reference["address"]) >= 0).sum())
    measured = (
        f"<div style='background:#f4f6f8;padding:0.4em 0.6em;max-width:56em'><b>Measured on {known:,} addresses whose owner is confirmed:</b> "
        f"precision <b>{score.precision:.1%}</b> ({score.true_positives:,} of the {score.flagged:,} pairs these heuristics "
        f"put together really share an owner), recall <b>{score.recall:.1%}</b> (they join {score.true_positives:,} of the "
        f"{score.actual:,} pairs that share an owner). Largest cluster: <b>{int(clustering.sizes.max()):,}</b> addresses.</div>"
    )
    return measured + explore_cluster(clustering, tags, address, member)


def heuristics_explorer(graph: UtxoGraph, tags: pd.DataFrame, reference: pd.DataFrame, address: str) -> widgets.VBox:
    """Switches for the heuristics (CoinJoins skipped or not, each change heuristic), their error rates, and the cluster report."""
    skip = widgets.Checkbox(value=True, description="skip CoinJoins", indent=False)
    switches = {
        name: widgets.Checkbox(value=False, description=f"change: {name.replace('_', ' ')}", indent=False)
        for name in CHANGE_HEURISTICS
    }
    box, member, result = _address_member_and_report(address)
    links = HeuristicLinks.of(graph).find_all()  # found now (or kept from 06's error rates): a switch only joins them

    def refresh(_change=None) -> None:
        chosen = tuple(name for name, switch in switches.items() if switch.value)
        clustering = links.clustering(skip.value, chosen)
        _offer_members(member, clustering, box.value)
        result.value = explore_heuristics(clustering, tags, reference, box.value, member.value)

    for control in (skip, *switches.values(), box, member):
        control.observe(refresh, names="value")
    refresh()
    return widgets.VBox(
        [
            widgets.HBox([widgets.HTML("<b>multi-input</b> (always on)"), skip]),
            widgets.HBox(list(switches.values())),
            box,
            member,
            result,
        ]
    )
