"""Forward and backward tracing over the transaction graph, hop by hop, with the path behind every result (module 05).

Hops count transactions: tracing forward from an address, hop 1 is every transaction that spends the
address's coins, and the outputs of those transactions are what the address paid directly. Tracing
backward, hop 1 is every transaction that paid the address, and its inputs are who paid it.
A trace can stop at chosen addresses (such as exchanges): their coins are reported but not followed,
because after an exchange the coins are mixed with every other customer's.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .errors import AnalysisInputError
from .graph import NOT_SPENT, UtxoGraph, expand_ranges

DIRECTIONS = ("forward", "backward")
MAX_HOPS = 100


@dataclass(frozen=True, eq=False)
class Reach:
    """Which transactions a trace reached: hop (1 = first), and for each the transaction and output it came through."""

    hop: np.ndarray  # per transaction id: hop number, or 0 if not reached
    parent: np.ndarray  # per transaction id: the transaction it was reached from (-1 at hop 1)
    via_output: np.ndarray  # per transaction id: the output linking it to its parent (or to the start)

    @property
    def reached(self) -> np.ndarray:
        """Reached transaction ids, in hop order."""
        ids = np.flatnonzero(self.hop > 0)
        return ids[np.argsort(self.hop[ids], kind="stable")]


def reach(
    graph: UtxoGraph,
    first_hop: np.ndarray,
    first_via: np.ndarray,
    direction: str,
    hops: int,
    stopped_outputs: np.ndarray | None = None,
) -> Reach:
    """Breadth-first search over transactions from `first_hop` (hop 1), at most `hops` hops, one numpy step per hop.

    Forward, a transaction leads to the transactions spending its outputs; backward, to those that created
    its inputs. An output marked in `stopped_outputs` is never followed.
    """
    count = graph.transactions
    hop = np.zeros(count, np.int32)
    parent = np.full(count, -1, np.int64)
    via = np.full(count, -1, np.int64)
    first_hop, first = np.unique(first_hop, return_index=True)
    hop[first_hop], via[first_hop] = 1, first_via[first]
    frontier = first_hop
    for step in range(2, hops + 1):
        if frontier.size == 0:
            break
        if direction == "forward":
            owners, edges = expand_ranges(frontier, graph.tx_outputs[frontier], graph.tx_outputs[frontier + 1])
            targets = graph.out_spender[edges]
        else:
            owners, positions = expand_ranges(frontier, graph.tx_inputs[frontier], graph.tx_inputs[frontier + 1])
            edges = graph.in_output[positions]
            targets = graph.out_tx[edges]
        keep = targets != NOT_SPENT
        if stopped_outputs is not None:
            keep &= ~stopped_outputs[edges]
        keep[keep] = hop[targets[keep]] == 0
        targets, first = np.unique(targets[keep], return_index=True)
        hop[targets], parent[targets], via[targets] = step, owners[keep][first], edges[keep][first]
        frontier = targets
    return Reach(hop, parent, via)


def trace(
    graph: UtxoGraph,
    addresses: Iterable[str] | str | None = None,
    transactions: Iterable[str] | str | None = None,
    direction: str = "forward",
    hops: int = 3,
    stop_at: Iterable[str] | Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """Follow the money from addresses or transactions, `hops` transactions deep; one row per coin reached.

    Forward rows are the outputs of each reached transaction (who received); backward rows are its inputs
    (who paid). `stop_at` lists addresses (or maps address -> label, e.g. exchange names) whose coins are
    reported but not followed further. Columns: hop, transaction_hash, index, address, value, block_timestamp,
    stopped_at (label or empty), path (the transactions from the start to this one, in order).
    """
    if direction not in DIRECTIONS:
        raise AnalysisInputError(f"direction must be 'forward' or 'backward', not {direction!r}.")
    if isinstance(hops, bool) or not isinstance(hops, (int, np.integer)) or not 1 <= hops <= MAX_HOPS:
        raise AnalysisInputError(f"hops must be a whole number from 1 to {MAX_HOPS}, not {hops!r}.")
    stop_labels = _stop_labels(graph, stop_at)
    stopped = _outputs_paying(graph, stop_labels)
    first_hop, first_via = start_transactions(graph, addresses, transactions, direction)
    found = reach(graph, first_hop, first_via, direction, hops, stopped)
    return trace_table(graph, found, direction, stop_labels)


def start_transactions(graph: UtxoGraph, addresses, transactions, direction: str) -> tuple[np.ndarray, np.ndarray]:
    """Hop-1 transactions of a trace and the output linking each to the start (-1 when the start is the transaction)."""
    if addresses is None and transactions is None:
        raise AnalysisInputError("give the trace a start: addresses=[...] or transactions=[...].")
    tx_parts, via_parts = [], []
    if transactions is not None:
        tx = graph.tx_ids(transactions)
        tx_parts.append(tx)
        via_parts.append(np.full(tx.size, -1))
    if addresses is not None:
        outputs = graph.outputs_of_addresses(graph.address_ids(addresses))
        if direction == "forward":
            outputs = outputs[graph.out_spender[outputs] != NOT_SPENT]
            tx_parts.append(graph.out_spender[outputs])
        else:
            tx_parts.append(graph.out_tx[outputs])
        via_parts.append(outputs)
    return np.concatenate(tx_parts).astype(np.int64), np.concatenate(via_parts).astype(np.int64)


def trace_table(
    graph: UtxoGraph, found: Reach, direction: str, stop_labels: dict[int, str] | None = None
) -> pd.DataFrame:
    """The rows of a trace (see `trace`) from the transactions it reached."""
    reached = found.reached
    if direction == "forward":
        tx, rows = expand_ranges(reached, graph.tx_outputs[reached], graph.tx_outputs[reached + 1])
        address, value, index = graph.out_address[rows], graph.out_value[rows], graph.out_index[rows]
    else:
        tx, rows = expand_ranges(reached, graph.tx_inputs[reached], graph.tx_inputs[reached + 1])
        address, value, index = graph.in_address[rows], graph.in_value[rows], rows - graph.tx_inputs[tx]
    paths = transaction_paths(graph, found)
    labels = stop_labels or {}
    return pd.DataFrame(
        {
            "hop": found.hop[tx],
            "transaction_hash": graph.tx_hash[tx],
            "index": index,
            "address": graph.address[address],
            "value": value,
            "block_timestamp": pd.to_datetime(graph.tx_time[tx], unit="s", utc=True),
            "stopped_at": [labels.get(a, "") for a in address.tolist()],
            "path": [paths[t] for t in tx.tolist()],
        }
    )


def transaction_paths(graph: UtxoGraph, found: Reach) -> dict[int, tuple[str, ...]]:
    """For each reached transaction, the hashes of the transactions from the start to it."""
    paths: dict[int, tuple[str, ...]] = {}
    for tx in found.reached.tolist():
        parent = int(found.parent[tx])
        paths[tx] = (paths[parent] if parent >= 0 else ()) + (graph.tx_hash[tx],)
    return paths


def reached_addresses(table: pd.DataFrame) -> pd.DataFrame:
    """Each address a trace reached, with its nearest hop and the total value it received (or paid) there."""
    grouped = table.groupby("address", sort=False)
    return (
        pd.DataFrame(
            {
                "hop": grouped["hop"].min(),
                "value": grouped["value"].sum(),
                "transactions": grouped["transaction_hash"].nunique(),
            }
        )
        .reset_index()
        .sort_values(["hop", "value"], ascending=[True, False], ignore_index=True)
    )


def amounts_reaching(table: pd.DataFrame) -> pd.DataFrame:
    """Total value and number of coins that reached each stop (service) in a trace, largest first."""
    stops = table[table["stopped_at"] != ""]
    return (
        stops.groupby("stopped_at")
        .agg(value=("value", "sum"), coins=("value", "size"), first_hop=("hop", "min"))
        .reset_index()
        .sort_values("value", ascending=False, ignore_index=True)
    )


def stop_mask(graph: UtxoGraph, stop_at) -> np.ndarray | None:
    """Per output: True when it pays one of the `stop_at` addresses (as in `trace`); None when none of them is on the chain."""
    return _outputs_paying(graph, _stop_labels(graph, stop_at))


def _outputs_paying(graph: UtxoGraph, address_ids) -> np.ndarray | None:
    return np.isin(graph.out_address, np.fromiter(address_ids, np.int64)) if address_ids else None


def _stop_labels(graph: UtxoGraph, stop_at) -> dict[int, str]:
    if stop_at is None:
        return {}
    if isinstance(stop_at, str):
        stop_at = [stop_at]
    labels = dict(stop_at.items()) if isinstance(stop_at, (Mapping, pd.Series)) else {a: a for a in stop_at}
    known = graph.address_index.get_indexer(list(labels))
    # Stop addresses that never appear on this chain cannot be reached; they are simply not needed.
    return {int(i): str(label) for i, label in zip(known, labels.values()) if i >= 0}
