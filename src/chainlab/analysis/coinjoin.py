"""CoinJoin detection with the equal-output rule (module 06).

A CoinJoin is one transaction built by many owners together: each puts in coins and takes out an output
of the same agreed amount (plus change), so no one can tell which equal output belongs to whom. The rule:
a transaction with at least `min_equal_outputs` outputs of one value, at least as many inputs, and inputs
from at least `min_input_addresses` addresses. CoinJoins break the common-input-ownership heuristic, so
clustering skips them. The rule is a heuristic: a batch of equal salaries paid from one wallet has equal
outputs too, which is why inputs from several addresses are required.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .graph import UtxoGraph


def equal_output_counts(graph: UtxoGraph) -> tuple[np.ndarray, np.ndarray]:
    """Per transaction: the largest number of outputs sharing one value, and that value."""
    order = np.lexsort((graph.out_value, graph.out_tx))
    tx, value = graph.out_tx[order], graph.out_value[order]
    run_start = np.flatnonzero(np.r_[True, (tx[1:] != tx[:-1]) | (value[1:] != value[:-1])])
    run_length = np.diff(np.r_[run_start, tx.size])
    run_tx = tx[run_start]
    by_length = np.lexsort((run_length, run_tx))  # the longest run of each transaction comes last
    last = by_length[np.r_[run_tx[by_length][1:] != run_tx[by_length][:-1], True]]
    count = np.zeros(graph.transactions, np.int64)
    denomination = np.zeros(graph.transactions, np.int64)
    count[run_tx[last]], denomination[run_tx[last]] = run_length[last], value[run_start[last]]
    return count, denomination


def distinct_input_addresses(graph: UtxoGraph) -> np.ndarray:
    """Per transaction: how many different addresses its inputs come from."""
    pairs = np.unique(graph.in_tx * (graph.address.size + 1) + graph.in_address)
    return np.bincount(pairs // (graph.address.size + 1), minlength=graph.transactions)


def coinjoin_mask(graph: UtxoGraph, min_equal_outputs: int = 3, min_input_addresses: int = 2) -> np.ndarray:
    """True for each transaction that the equal-output rule calls a CoinJoin."""
    equal, _ = equal_output_counts(graph)
    return (
        (equal >= min_equal_outputs)
        & (graph.tx_input_count >= equal)
        & (distinct_input_addresses(graph) >= min_input_addresses)
    )


def find_coinjoins(graph: UtxoGraph, min_equal_outputs: int = 3, min_input_addresses: int = 2) -> pd.DataFrame:
    """The transactions the equal-output rule calls CoinJoins, with the evidence for each."""
    equal, denomination = equal_output_counts(graph)
    found = np.flatnonzero(coinjoin_mask(graph, min_equal_outputs, min_input_addresses))
    return pd.DataFrame(
        {
            "transaction_hash": graph.tx_hash[found],
            "block_timestamp": pd.to_datetime(graph.tx_time[found], unit="s", utc=True),
            "input_count": graph.tx_input_count[found],
            "input_addresses": distinct_input_addresses(graph)[found],
            "output_count": graph.tx_output_count[found],
            "equal_outputs": equal[found],
            "denomination": denomination[found],
            "reason": [
                f"{e} outputs of exactly {d:,} satoshi from {i} inputs"
                for e, d, i in zip(
                    equal[found].tolist(), denomination[found].tolist(), graph.tx_input_count[found].tolist()
                )
            ],
        }
    )
