"""Address clustering: which addresses one person or service controls (module 06).

Common-input-ownership (the "multi-input" heuristic, Meiklejohn et al., "A Fistful of Bitcoins", IMC 2013):
the inputs of one transaction are signed by one wallet, so their addresses share an owner. CoinJoins break
this (many owners sign one transaction), so they are skipped. Other heuristics (e.g. change detection) can
add their own links. Every link records the transaction and heuristic behind it, so a cluster can always
explain why two addresses are in it.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd
import scipy.sparse as sparse
from scipy.sparse.csgraph import breadth_first_order, connected_components

from .change import HEURISTICS as CHANGE_HEURISTICS
from .change import change_links, find_change
from .coinjoin import coinjoin_mask
from .errors import AnalysisInputError
from .graph import UtxoGraph

LINK_COLUMNS = ["address_a", "address_b", "transaction_hash", "heuristic"]


def multi_input_links(graph: UtxoGraph, skip: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(address a, address b, transaction) for every pair the multi-input heuristic joins: each transaction's
    first input address with each of its other input addresses. Transactions marked in `skip` give no links."""
    first_address = graph.in_address[graph.tx_inputs[graph.in_tx]]
    keep = graph.in_address != first_address
    if skip is not None:
        keep &= ~skip[graph.in_tx]
    return first_address[keep], graph.in_address[keep], graph.in_tx[keep]


def components(address_count: int, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Connected components (cluster label per address) of the links a-b, with scipy's sparse graph routines."""
    links = sparse.coo_matrix((np.ones(a.size, np.int8), (a, b)), shape=(address_count, address_count))
    return connected_components(links, directed=False)[1]


@dataclass(frozen=True, eq=False)
class Clustering:
    """Cluster label of every address, and the links (with transaction and heuristic) that made the clusters."""

    graph: UtxoGraph
    labels: np.ndarray  # per address id
    link_a: np.ndarray
    link_b: np.ndarray
    link_tx: np.ndarray  # transaction id of each link
    link_heuristic: np.ndarray  # heuristic name of each link

    @cached_property
    def sizes(self) -> np.ndarray:
        return np.bincount(self.labels)

    def table(self) -> pd.DataFrame:
        """One row per address: address, cluster, cluster_size."""
        return pd.DataFrame(
            {"address": self.graph.address, "cluster": self.labels, "cluster_size": self.sizes[self.labels]}
        )

    def cluster_of(self, address: str) -> int:
        return int(self.labels[self.graph.address_ids([address])[0]])

    def members(self, address: str) -> list[str]:
        """Every address in the same cluster as `address`."""
        return self.graph.address[self.labels == self.cluster_of(address)].tolist()

    def largest(self, count: int = 10) -> pd.DataFrame:
        """The biggest clusters (a super-cluster far larger than the rest is a warning sign of a false link)."""
        top = np.argsort(-self.sizes, kind="stable")[:count]
        return pd.DataFrame(
            {
                "cluster": top,
                "cluster_size": self.sizes[top],
                "example_address": [self.graph.address[np.argmax(self.labels == c)] for c in top],
            }
        )

    def links(self, address: str | None = None) -> pd.DataFrame:
        """The links (address_a, address_b, transaction_hash, heuristic), all or those inside `address`'s cluster."""
        rows = (
            np.arange(self.link_a.size)
            if address is None
            else np.flatnonzero(self.labels[self.link_a] == self.cluster_of(address))
        )
        return self._link_rows(rows)

    def explain(self, address: str, other: str) -> pd.DataFrame:
        """Why two addresses share a cluster: the chain of links from one to the other (shortest in links).

        Each row is one step: two addresses, the transaction that links them and the heuristic. Empty if
        the addresses are in different clusters.
        """
        a, b = (int(i) for i in self.graph.address_ids([address, other]))
        if self.labels[a] != self.labels[b] or a == b:
            return self._link_rows(np.array([], np.int64))
        inside = np.flatnonzero(self.labels[self.link_a] == self.labels[a])
        nodes, local = np.unique(np.r_[self.link_a[inside], self.link_b[inside]], return_inverse=True)
        left, right = local[: inside.size], local[inside.size :]
        adjacency = sparse.coo_matrix((np.ones(inside.size), (left, right)), shape=(nodes.size,) * 2).tocsr()
        _, predecessors = breadth_first_order(adjacency, int(np.searchsorted(nodes, a)), directed=False)
        step_rows, node = [], int(np.searchsorted(nodes, b))
        link_of = {}
        for row, x, y in zip(inside.tolist(), left.tolist(), right.tolist()):
            link_of.setdefault((min(x, y), max(x, y)), row)
        while predecessors[node] >= 0:
            previous = int(predecessors[node])
            step_rows.append(link_of[(min(previous, node), max(previous, node))])
            node = previous
        return self._link_rows(np.array(step_rows[::-1], np.int64))

    def _link_rows(self, rows: np.ndarray) -> pd.DataFrame:
        address = self.graph.address
        return pd.DataFrame(
            {
                "address_a": address[self.link_a[rows]],
                "address_b": address[self.link_b[rows]],
                "transaction_hash": self.graph.tx_hash[self.link_tx[rows]],
                "heuristic": self.link_heuristic[rows],
            },
            columns=LINK_COLUMNS,
        )


def cluster_addresses(
    graph: UtxoGraph, skip_coinjoins: bool = True, extra_links: pd.DataFrame | None = None
) -> Clustering:
    """Cluster every address with the multi-input heuristic (skipping CoinJoins unless told not to).

    `extra_links` adds links from other heuristics: a DataFrame with columns address_a, address_b,
    transaction_hash and heuristic (e.g. `chainlab.analysis.change.change_links`).
    """
    parts = [_multi_input_rows(graph, skip_coinjoins)]
    if extra_links is not None:
        parts.append(_link_ids(graph, extra_links))
    return _clustering(graph, parts)


def _multi_input_rows(graph: UtxoGraph, skip_coinjoins: bool) -> tuple[np.ndarray, ...]:
    a, b, tx = multi_input_links(graph, coinjoin_mask(graph) if skip_coinjoins else None)
    return a, b, tx, np.full(a.size, "multi-input", dtype=object)


def _link_ids(graph: UtxoGraph, links: pd.DataFrame) -> tuple[np.ndarray, ...]:
    """A links table (LINK_COLUMNS) as ids: address a, address b, transaction, heuristic."""
    missing = [c for c in LINK_COLUMNS if c not in links.columns]
    if missing:
        raise AnalysisInputError(
            f"extra_links lacks column(s) {', '.join(missing)}; it needs {', '.join(LINK_COLUMNS)}."
        )
    return (
        graph.address_ids(links["address_a"]),
        graph.address_ids(links["address_b"]),
        graph.tx_ids(links["transaction_hash"]),
        links["heuristic"].to_numpy(object),
    )


def _clustering(graph: UtxoGraph, parts: list[tuple[np.ndarray, ...]]) -> Clustering:
    a, b, tx, heuristic = (np.concatenate(column) for column in zip(*parts))
    return Clustering(graph, components(graph.address.size, a, b), a, b, tx, heuristic)


class HeuristicLinks:
    """The links of the multi-input heuristic and of each change heuristic on one chain, each found once and kept,
    so that clustering with any mix of them takes milliseconds (module 06's error rates and heuristics explorer).
    `HeuristicLinks.of(graph)` gives the one kept for a graph."""

    _of_graph: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

    def __init__(self, graph: UtxoGraph):
        self.graph = graph
        self._kept: dict[tuple, tuple[np.ndarray, ...]] = {}

    @classmethod
    def of(cls, graph: UtxoGraph) -> HeuristicLinks:
        if graph not in cls._of_graph:
            cls._of_graph[graph] = cls(graph)
        return cls._of_graph[graph]

    def find_all(self) -> HeuristicLinks:
        """Find every heuristic's links now (CoinJoins skipped and not), so that no later clustering waits for one."""
        for skip_coinjoins in (True, False):
            self.multi_input(skip_coinjoins)
        for heuristic in CHANGE_HEURISTICS:
            self.change(heuristic)
        return self

    def _rows(self, key: tuple, find) -> tuple[np.ndarray, ...]:
        if key not in self._kept:
            self._kept[key] = find()
        return self._kept[key]

    def multi_input(self, skip_coinjoins: bool = True) -> tuple[np.ndarray, ...]:
        return self._rows(("multi-input", skip_coinjoins), lambda: _multi_input_rows(self.graph, skip_coinjoins))

    def change(self, heuristic: str) -> tuple[np.ndarray, ...]:
        graph = self.graph
        return self._rows(
            ("change", heuristic), lambda: _link_ids(graph, change_links(graph, find_change(graph, heuristic)))
        )

    def clustering(self, skip_coinjoins: bool = True, change_heuristics=()) -> Clustering:
        """Multi-input clusters plus the links of each named change heuristic, each applied on its own."""
        parts = [self.multi_input(skip_coinjoins), *(self.change(heuristic) for heuristic in change_heuristics)]
        return _clustering(self.graph, parts)


def cluster_with_heuristics(graph: UtxoGraph, skip_coinjoins: bool = True, change_heuristics=()) -> Clustering:
    """Multi-input clusters plus the links of each named change heuristic, each applied on its own (module 06)."""
    return HeuristicLinks.of(graph).clustering(skip_coinjoins, change_heuristics)
