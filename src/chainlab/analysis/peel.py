"""Peel-chain detection (module 05): a large coin is spent again and again, each time "peeling" a small
payment off and sending the rest to a new address, hop after hop, often within hours.

A transaction is a peel step when it has at most `max_inputs` inputs and exactly two outputs, the smaller
being at most `max_peel_share` of the total; the next step is the transaction that spends its larger
output, if that is a peel step too and comes within `max_gap_hours`. Chains of at least `min_length`
steps are reported. Meiklejohn et al. ("A Fistful of Bitcoins", IMC 2013) followed such peeling chains
from thefts and Silk Road wallets to exchanges.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .graph import NOT_SPENT, UtxoGraph


def peel_steps(
    graph: UtxoGraph, max_inputs: int = 1, max_peel_share: float = 0.25
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per transaction: is it peel-shaped, its peeled (smaller) output and its remainder (larger) output."""
    two = graph.tx_output_count == 2
    first = graph.tx_outputs[:-1]
    second = np.minimum(first + 1, graph.out_tx.size - 1)
    larger_first = graph.out_value[first] >= graph.out_value[second]
    remainder = np.where(larger_first, first, second)
    peeled = np.where(larger_first, second, first)
    total = graph.out_value[first] + graph.out_value[second]
    shaped = (
        two
        & ~graph.tx_coinbase
        & (graph.tx_input_count >= 1)
        & (graph.tx_input_count <= max_inputs)
        & (graph.out_value[peeled] <= max_peel_share * np.maximum(total, 1))
    )
    return shaped, peeled, remainder


def find_peel_chains(
    graph: UtxoGraph, min_length: int = 4, max_gap_hours: float = 24, max_inputs: int = 1, max_peel_share: float = 0.25
) -> pd.DataFrame:
    """Every peel chain of at least `min_length` steps; one row per step (chain, step, transaction, peeled output)."""
    shaped, peeled, remainder = peel_steps(graph, max_inputs, max_peel_share)
    following = np.where(shaped, graph.out_spender[remainder], NOT_SPENT)
    linked = following != NOT_SPENT
    linked[linked] = shaped[following[linked]] & (
        graph.tx_time[following[linked]] - graph.tx_time[linked] <= max_gap_hours * 3600
    )
    following = np.where(linked, following, NOT_SPENT)
    has_predecessor = np.zeros(graph.transactions, bool)
    has_predecessor[following[linked]] = True
    rows = []
    for start in np.flatnonzero(linked & ~has_predecessor).tolist():
        chain, tx = [start], start
        while following[tx] != NOT_SPENT:
            tx = int(following[tx])
            chain.append(tx)
        if len(chain) >= min_length:
            rows += [(start, step, tx) for step, tx in enumerate(chain, 1)]
    chain_start, step, tx = (
        (np.array(column, np.int64) for column in zip(*rows)) if rows else (np.array([], np.int64),) * 3
    )
    out = peeled[tx]
    return pd.DataFrame(
        {
            "chain": pd.factorize(chain_start)[0] + 1,
            "step": step,
            "transaction_hash": graph.tx_hash[tx],
            "block_timestamp": pd.to_datetime(graph.tx_time[tx], unit="s", utc=True),
            "peeled_address": graph.address[graph.out_address[out]],
            "peeled_value": graph.out_value[out],
            "remainder_address": graph.address[graph.out_address[remainder[tx]]],
            "remainder_value": graph.out_value[remainder[tx]],
        }
    )


def chain_end(graph: UtxoGraph, chain: pd.DataFrame) -> pd.DataFrame:
    """Where one peel chain's last remainder went: the transaction spending it and who it paid (empty if unspent)."""
    last = graph.tx_ids([chain["transaction_hash"].iloc[-1]])[0]
    _, _, remainder = peel_steps(graph)
    spender = graph.out_spender[remainder[last]]
    if spender == NOT_SPENT:
        return pd.DataFrame(columns=["transaction_hash", "address", "value"])
    rows = np.arange(graph.tx_outputs[spender], graph.tx_outputs[spender + 1])
    return pd.DataFrame(
        {
            "transaction_hash": graph.tx_hash[spender],
            "address": graph.address[graph.out_address[rows]],
            "value": graph.out_value[rows],
        }
    )
