"""Change-address heuristics: which output of a payment goes back to the payer (module 06).

Each heuristic looks at one transaction with two or more outputs (not a coinbase or CoinJoin) and names the
change output only when exactly one output fits its rule:

- address type: the one output whose script type matches every input's type (wallets keep one type);
- round amount: the one output that is not a round number (payments are often round; change is what is left);
- fresh address: the one output paid to an address never seen before (wallets make a new change address);
- optimal change: the one output smaller than every input (otherwise a wallet would have used fewer inputs).

Androulaki et al. (FC 2013) and Meiklejohn et al. (IMC 2013) introduced change heuristics of this kind;
they are guesses, so `find_change` can require several to agree, and tests measure how often each is right.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .coinjoin import coinjoin_mask
from .errors import AnalysisInputError
from .graph import UtxoGraph

HEURISTICS = ("address_type", "round_amount", "fresh_address", "optimal_change")
NO_CHANGE = -1


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


def find_change(graph: UtxoGraph, heuristics=HEURISTICS, agree: int = 1, round_digits: int = 5) -> pd.DataFrame:
    """Change outputs named by at least `agree` of `heuristics`, where none of them names a different output.

    Columns: transaction_hash, index, address, value, heuristics (which ones named it).
    """
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
