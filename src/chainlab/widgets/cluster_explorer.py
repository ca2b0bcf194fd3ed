"""Cluster explorer (introduced in 06_clustering_and_attribution): an address's cluster, its tags, and why each member is in it.

The logic is `explore_cluster` (a pure function the tests call); the widget only collects inputs and shows its HTML.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

import ipywidgets as widgets
import pandas as pd

from ..analysis.errors import AnalysisInputError
from .toolkit_html import message_html, table_html

if TYPE_CHECKING:
    from ..analysis.cluster import Clustering


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
        parts.append(message_html("A cluster this big may be a super-cluster: check its links for a CoinJoin or a service."))
    tagged = tags[tags["address"].isin(set(members))][["address", "label", "category", "source", "confidence"]]
    parts += ["<h4>Tags in the cluster</h4>", table_html(tagged, empty="No public tag in this cluster: it stays unattributed.")]
    if member:
        if member not in members:
            parts.append(message_html(f"{member} is not in this cluster, so nothing joins it to {address}.", problem=True))
        else:
            parts += [f"<h4>Why {html.escape(member)} is in the cluster</h4>",
                      table_html(why, empty="That is the address itself.")]
    parts += ["<h4>Links that built the cluster</h4>", table_html(clustering.links(address), rows=10,
                                                                    empty="No links: the address was never spent together with another.")]
    return "".join(parts)


def cluster_explorer(clustering: Clustering, tags: pd.DataFrame, address: str) -> widgets.VBox:
    """An address box, a member menu (to ask why that member is in the cluster) and the cluster report."""
    box = widgets.Text(value=address, description="address", layout=widgets.Layout(width="80%"))
    member = widgets.Combobox(placeholder="pick or paste a cluster member", description="why is", ensure_option=False,
                              layout=widgets.Layout(width="80%"))
    result = widgets.HTML()

    def refresh(_change=None) -> None:
        try:
            member.options = tuple(clustering.members(box.value.strip())[:200])
        except AnalysisInputError:
            member.options = ()
        result.value = explore_cluster(clustering, tags, box.value, member.value)

    box.observe(refresh, names="value")
    member.observe(refresh, names="value")
    refresh()
    return widgets.VBox([box, member, result])
