"""Change-address heuristics: which output of a payment goes back to the payer (module 06).

Each heuristic looks at one transaction with two or more outputs (not a coinbase or CoinJoin) and names the
change output only when exactly one output fits its rule:

- address type: the one output whose script type matches every input's type (wallets keep one type);
- round amount: the one output that is not a round number (payments are often round; change is what is left);
- fresh address: the one output paid to an address never seen before (wallets make a new change address);
- optimal change: the one output smaller than every input (otherwise a wallet would have used fewer inputs);
- wallet fingerprint: the one output spent later by a transaction with the payer's wallet habits (`wallet_fingerprints`:
  lock_time used or not, the inputs' sequence, their script type, how the fee rate is rounded), since the change
  goes back to the payer's wallet program and the payment usually to another.

Androulaki et al. (FC 2013) and Meiklejohn et al. (IMC 2013) introduced change heuristics of this kind;
they are guesses, so `find_change` can require several to agree, and tests measure how often each is right.
Möser and Narayanan (FC 2022) measured change heuristics against transactions whose change was known.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .coinjoin import coinjoin_mask
from .errors import AnalysisInputError
from .graph import UtxoGraph

HEURISTICS = ("address_type", "round_amount", "fresh_address", "optimal_change", "wallet_fingerprint")
NO_CHANGE = -1


def has_fingerprints(graph: UtxoGraph) -> bool:
    """True if the graph was built with the columns wallet fingerprints need (lock_time, fee, virtual_size, sequence)."""
    return all(x is not None for x in (graph.tx_lock_time, graph.tx_fee, graph.tx_vsize, graph.in_sequence))


def wallet_fingerprints(graph: UtxoGraph) -> pd.DataFrame:
    """Each transaction's wallet habits, one row per transaction (not coinbases), indexed by its hash.

    Columns: lock_time_used (lock_time is not 0), sequence (of its first input: 4294967293 = 0xFFFFFFFD signals
    replace-by-fee), input_type (its first input's script type), fee_rate_rounding ("whole" sat/vB, "0.1" or
    "finer": the fewest decimals of fee / virtual_size that give back the fee), and fingerprint (the four in one text,
    so that two fingerprints compare with ==).
    """
    prints = _habits(graph)
    prints["fingerprint"] = (
        np.where(prints["lock_time_used"], "lock_time set", "lock_time 0")
        + " | sequence "
        + prints["sequence"].map("{:#x}".format)
        + " | "
        + prints["input_type"]
        + " | fee rate "
        + prints["fee_rate_rounding"]
    )
    return prints


def _habits(graph: UtxoGraph) -> pd.DataFrame:
    if not has_fingerprints(graph):
        raise AnalysisInputError(
            "this graph has no wallet habits: build it with the transactions table "
            "(build_graph(inputs, outputs, transactions)), whose lock_time, fee and virtual_size columns they need, "
            "and an inputs table with its sequence column."
        )
    spends = np.flatnonzero(graph.tx_input_count > 0)
    first = graph.tx_inputs[spends]
    fee, size = graph.tx_fee[spends], graph.tx_vsize[spends]
    rate = fee / size
    rounding = np.full(spends.size, "finer", dtype=object)
    rounding[np.rint(np.round(rate, 1) * size) == fee] = "0.1"
    rounding[np.rint(np.round(rate) * size) == fee] = "whole"
    return pd.DataFrame(
        {
            "lock_time_used": graph.tx_lock_time[spends] != 0,
            "sequence": graph.in_sequence[first],
            "input_type": graph.out_type[graph.in_output[first]],
            "fee_rate_rounding": rounding,
        },
        index=pd.Index(graph.tx_hash[spends], name="transaction_hash"),
    )


def _fingerprint_codes(graph: UtxoGraph) -> np.ndarray:
    """Per transaction: a number that is the same for transactions with the same fingerprint; -1 for coinbases."""
    code = None
    for _, column in _habits(graph).items():
        values = pd.factorize(column)[0].astype(np.int64)
        code = values if code is None else code * (values.max() + 1) + values
    codes = np.full(graph.transactions, -1, np.int64)
    codes[graph.tx_input_count > 0] = code
    return codes


def spending_fingerprints(graph: UtxoGraph, transaction_hash: str) -> pd.DataFrame:
    """One row per output of a transaction: index, address, type, value, the transaction that spent it (spent_in;
    empty if unspent) and that transaction's wallet fingerprint (spender_fingerprint)."""
    tx = int(graph.tx_ids([transaction_hash])[0])
    outs = np.arange(graph.tx_outputs[tx], graph.tx_outputs[tx + 1])
    spender = graph.out_spender[outs]
    prints = wallet_fingerprints(graph)["fingerprint"]
    spent_in = np.where(spender >= 0, graph.tx_hash[np.maximum(spender, 0)], "")
    return pd.DataFrame(
        {
            "index": graph.out_index[outs],
            "address": graph.address[graph.out_address[outs]],
            "type": graph.out_type[outs],
            "value": graph.out_value[outs],
            "spent_in": spent_in,
            "spender_fingerprint": prints.reindex(spent_in).fillna("").to_numpy(),
        }
    )


def candidate_outputs(graph: UtxoGraph, heuristic: str, round_digits: int = 5) -> np.ndarray:
    """Per transaction: the output id `heuristic` names as change, or NO_CHANGE."""
    eligible = (graph.tx_output_count >= 2) & ~graph.tx_coinbase & (graph.tx_input_count > 0) & ~coinjoin_mask(graph)
    if heuristic == "address_type":
        type_code = pd.factorize(graph.out_type)[0]
        input_type = type_code[graph.in_output]
        lowest = np.full(graph.transactions, type_code.max() + 1)
        highest = np.full(graph.transactions, -1)
        np.minimum.at(lowest, graph.in_tx, input_type)
        np.maximum.at(highest, graph.in_tx, input_type)
        eligible &= lowest == highest
        fits = type_code == lowest[graph.out_tx]
    elif heuristic == "round_amount":
        fits = graph.out_value % (10**round_digits) != 0
    elif heuristic == "fresh_address":
        first_output = np.full(graph.address.size, graph.out_tx.size)
        np.minimum.at(first_output, graph.out_address, np.arange(graph.out_tx.size))
        fits = first_output[graph.out_address] == np.arange(graph.out_tx.size)
    elif heuristic == "wallet_fingerprint":
        codes = _fingerprint_codes(graph)
        spender = graph.out_spender
        fits = (spender >= 0) & (codes[np.maximum(spender, 0)] == codes[graph.out_tx])
    elif heuristic == "optimal_change":
        smallest_input = np.full(graph.transactions, np.iinfo(np.int64).max)
        np.minimum.at(smallest_input, graph.in_tx, graph.in_value)
        fits = graph.out_value < smallest_input[graph.out_tx]
    else:
        raise AnalysisInputError(f"unknown change heuristic {heuristic!r}; choose from {', '.join(HEURISTICS)}.")
    count = np.bincount(graph.out_tx[fits], minlength=graph.transactions)
    chosen = np.full(graph.transactions, NO_CHANGE, np.int64)
    single = fits & (count[graph.out_tx] == 1) & eligible[graph.out_tx]
    chosen[graph.out_tx[single]] = np.flatnonzero(single)
    return chosen


def find_change(graph: UtxoGraph, heuristics=None, agree: int = 1, round_digits: int = 5) -> pd.DataFrame:
    """Change outputs named by at least `agree` of `heuristics`, where none of them names a different output.

    Without `heuristics`: all of them (without the wallet fingerprint if the graph has no wallet habits).
    Columns: transaction_hash, index, address, value, heuristics (which ones named it).
    """
    if heuristics is None:
        heuristics = [h for h in HEURISTICS if h != "wallet_fingerprint" or has_fingerprints(graph)]
    heuristics = [heuristics] if isinstance(heuristics, str) else list(heuristics)
    if not heuristics or not 1 <= agree <= len(heuristics):
        raise AnalysisInputError(
            f"choose at least one heuristic and an `agree` from 1 to the number chosen ({len(heuristics)})."
        )
    votes = np.stack([candidate_outputs(graph, h, round_digits) for h in heuristics])
    named = votes != NO_CHANGE
    best = np.where(named, votes, -1).max(axis=0)
    consistent = ((votes == best) | ~named).all(axis=0)
    chosen = np.flatnonzero(consistent & (named.sum(axis=0) >= agree))
    outputs = best[chosen]
    return pd.DataFrame(
        {
            "transaction_hash": graph.tx_hash[chosen],
            "index": graph.out_index[outputs],
            "address": graph.address[graph.out_address[outputs]],
            "value": graph.out_value[outputs],
            "heuristics": [
                ", ".join(h for h, v in zip(heuristics, column) if v != NO_CHANGE)
                for column in votes[:, chosen].T.tolist()
            ],
        }
    )


def change_links(graph: UtxoGraph, change: pd.DataFrame) -> pd.DataFrame:
    """Clustering links from change outputs: the payer's first input address with the change address."""
    tx = graph.tx_ids(change["transaction_hash"])
    return pd.DataFrame(
        {
            "address_a": graph.address[graph.in_address[graph.tx_inputs[tx]]],
            "address_b": change["address"].to_numpy(),
            "transaction_hash": change["transaction_hash"].to_numpy(),
            "heuristic": "change (" + change["heuristics"] + ")",
        }
    )
