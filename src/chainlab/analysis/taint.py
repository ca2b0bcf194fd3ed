"""Taint models: how much of each coin counts as "stolen" after it is mixed with clean coins (module 05).

The three classic models, as defined by Anderson, Shumailov, Ryan and Stajano, "Bitcoin Redemption:
a new approach to tainted coins" (arXiv:1510.05861, 2015; Financial Cryptography workshops 2016):

- poison: if any input of a transaction is tainted, every output is wholly tainted;
- haircut: each output carries the share of taint of the whole transaction (tainted input value /
  total input value), so taint is diluted but never lost;
- FIFO (first in, first out): the satoshi of the inputs, taken in input order, fill the outputs in
  output order (what is left pays the fee); a satoshi keeps its taint.

Textbook case (3 stolen and 7 clean coins in, ten 1-coin outputs): poison taints all 10 outputs, haircut
gives each 30 % taint, FIFO taints the first 3 outputs if the stolen input comes first (the last 3 if last).
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from .errors import AnalysisInputError
from .graph import NOT_SPENT, UtxoGraph
from .trace import reach, stop_mask, transaction_paths

MODELS = ("poison", "haircut", "fifo")

Intervals = list[tuple[int, int]]  # tainted satoshi of one coin, as [start, end) offsets inside it


def taint_transaction(input_values, input_tainted, output_values, model: str) -> np.ndarray:
    """Tainted amount of each output of one transaction, under `model` (the textbook calculation).

    Amounts may be in any unit (coins or satoshi); haircut amounts are not rounded.

    `input_tainted` holds each input's tainted satoshi. Under FIFO each input must be wholly tainted or
    wholly clean (a partly tainted input does not say which of its satoshi are tainted; `taint` tracks that).
    """
    inputs = np.asarray(input_values, np.float64)
    tainted = np.asarray(input_tainted, np.float64)
    outputs = np.asarray(output_values, np.float64)
    _check_model(model)
    if inputs.shape != tainted.shape or (tainted < 0).any() or (tainted > inputs).any():
        raise AnalysisInputError("give one tainted amount per input, each between 0 and that input's value.")
    if outputs.sum() > inputs.sum():
        raise AnalysisInputError(f"the outputs ({outputs.sum()}) spend more than the inputs hold ({inputs.sum()}).")
    if model == "poison":
        return outputs.copy() if tainted.any() else np.zeros_like(outputs)
    if model == "haircut":
        return outputs * (tainted.sum() / inputs.sum())
    if ((tainted != 0) & (tainted != inputs)).any():
        raise AnalysisInputError("under FIFO each input must be wholly tainted or wholly clean in this calculation.")
    spans = [[(0.0, v)] if t else [] for v, t in zip(inputs.tolist(), tainted.tolist())]
    return np.array([_length(s) for s in fifo_split(inputs.tolist(), spans, outputs.tolist())])


def fifo_split(input_values, input_intervals: list[Intervals], output_values) -> list[Intervals]:
    """FIFO: lay the inputs' satoshi end to end in input order and cut them into the outputs in output order.

    Returns each output's tainted intervals (offsets inside that output). Satoshi past the last output pay the fee.
    """
    tainted, position = [], 0
    for value, intervals in zip(input_values, input_intervals):
        tainted += [(position + a, position + b) for a, b in intervals]
        position += value
    result, start = [], 0
    for value in output_values:
        end = start + value
        result.append([(max(a, start) - start, min(b, end) - start) for a, b in tainted if a < end and b > start])
        start = end
    return result


def taint(
    graph: UtxoGraph,
    addresses: Iterable[str] | str | None = None,
    outputs: Iterable[tuple[str, int]] | None = None,
    model: str = "haircut",
    hops: int | None = None,
    stop_at=None,
) -> pd.DataFrame:
    """Spread taint forward from wholly tainted coins and report every output that carries some.

    The tainted coins are every coin received by `addresses` and/or the given (transaction hash, output index)
    pairs. `hops` limits how many transactions deep taint spreads (None: through the whole chain). `stop_at`
    lists addresses (such as exchanges, as in `trace`) whose coins keep their taint but are not followed, so
    that a service's own later payments and change do not count the same taint again.
    Columns: hop (0 for the tainted coins themselves), transaction_hash, index, address, value, tainted_value,
    taint_share (0 to 1), path (the transactions the taint came through, from the first spend to this one).
    """
    _check_model(model)
    sources = source_outputs(graph, addresses, outputs)
    depth = graph.transactions if hops is None else hops
    if isinstance(depth, bool) or not isinstance(depth, (int, np.integer)) or depth < 1:
        raise AnalysisInputError(f"hops must be a whole number of at least 1 (or None for no limit), not {hops!r}.")
    spent = sources[graph.out_spender[sources] != NOT_SPENT]
    stopped = stop_mask(graph, stop_at)
    found = reach(graph, graph.out_spender[spent], spent, "forward", int(depth), stopped)
    followed = np.ones(graph.out_tx.size, bool) if stopped is None else ~stopped  # a stopped coin passes no taint on
    if model == "poison":
        tainted = _poison(graph, found.hop > 0, sources)
    elif model == "haircut":
        tainted = _haircut(graph, sources, found.hop > 0, followed)
    else:
        tainted = _fifo(graph, sources, found.reached, followed)
    rows = np.flatnonzero(tainted > 0)
    paths = transaction_paths(graph, found)
    return pd.DataFrame(
        {
            "hop": found.hop[graph.out_tx[rows]],
            "transaction_hash": graph.tx_hash[graph.out_tx[rows]],
            "index": graph.out_index[rows],
            "address": graph.address[graph.out_address[rows]],
            "value": graph.out_value[rows],
            "tainted_value": tainted[rows],
            "taint_share": tainted[rows] / graph.out_value[rows],
            "path": [paths.get(t, ()) for t in graph.out_tx[rows].tolist()],
        }
    )


def compare_models(
    graph: UtxoGraph,
    addresses=None,
    outputs=None,
    hops: int | None = None,
    at: Iterable[str] | None = None,
    stop_at=None,
) -> pd.DataFrame:
    """Tainted value under each model side by side, per address (only `at`'s addresses if given, e.g. exchanges)."""
    columns = {}
    for model in MODELS:
        table = taint(graph, addresses, outputs, model, hops, stop_at)
        columns[model] = table.groupby("address")["tainted_value"].sum()
    compared = pd.DataFrame(columns).fillna(0).astype(np.int64)
    if at is not None:
        compared = compared.reindex(list(at), fill_value=0)
    return compared.rename_axis("address").reset_index()


def source_outputs(graph: UtxoGraph, addresses, outputs) -> np.ndarray:
    """Output ids of the tainted coins: every coin received by `addresses`, plus each (transaction hash, index)."""
    if addresses is None and outputs is None:
        raise AnalysisInputError(
            "say which coins are tainted: addresses=[...] or outputs=[(transaction_hash, index), ...]."
        )
    parts = []
    if addresses is not None:
        parts.append(graph.outputs_of_addresses(graph.address_ids(addresses)))
    if outputs is not None:
        parts.append(np.array([graph.output_id(h, int(i)) for h, i in outputs], np.int64))
    return np.unique(np.concatenate(parts))


def _poison(graph: UtxoGraph, reached_tx: np.ndarray, sources: np.ndarray) -> np.ndarray:
    tainted = np.where(reached_tx[graph.out_tx], graph.out_value, 0)
    tainted[sources] = graph.out_value[sources]
    return tainted


def _haircut(graph: UtxoGraph, sources: np.ndarray, within: np.ndarray, followed: np.ndarray) -> np.ndarray:
    """Haircut over the whole chain in one sparse triangular solve.

    x[t], the taint share of transaction t, is the value-weighted mean of its inputs' shares: a source coin
    has share 1, any other coin the share of the transaction that created it. In chain order this is the
    lower-triangular system (I - M) x = s, solved over the transactions in `within` (those the taint can
    reach within the hop limit); all others keep x = 0. A coin that is not `followed` (it paid a stop address)
    passes no taint on, even when a reached transaction spends it.
    """
    import scipy.sparse as sparse  # imported here: scipy's solver takes a moment to load, and only haircut needs it
    from scipy.sparse.linalg import spsolve_triangular

    creator = graph.out_tx[graph.in_output]
    if (creator >= graph.in_tx).any():
        raise AnalysisInputError(
            "the transactions are not in chain order (a transaction spends a later one); build the graph from the world's tables."
        )
    nodes = np.flatnonzero(within)  # only these can carry taint: solve the (much smaller) system over them
    local = np.full(graph.transactions, -1)
    local[nodes] = np.arange(nodes.size)
    is_source = np.zeros(graph.out_tx.size, bool)
    is_source[sources] = True
    rows = np.flatnonzero(within[graph.in_tx])
    weight = graph.in_value[rows] / np.maximum(graph.tx_input_value[graph.in_tx[rows]], 1)
    from_source = is_source[graph.in_output[rows]]
    s = np.bincount(local[graph.in_tx[rows[from_source]]], weights=weight[from_source], minlength=nodes.size)
    inner = ~from_source & (local[creator[rows]] >= 0) & followed[graph.in_output[rows]]
    coupling = sparse.csr_matrix(
        (weight[inner], (local[graph.in_tx[rows[inner]]], local[creator[rows[inner]]])), shape=(nodes.size,) * 2
    )
    share = np.zeros(graph.transactions)
    if s.any():
        share[nodes] = spsolve_triangular(sparse.eye(nodes.size, format="csr") - coupling, s, lower=True)
    tainted = np.rint(graph.out_value * np.clip(share[graph.out_tx], 0, 1)).astype(np.int64)
    tainted[sources] = graph.out_value[sources]
    return tainted


def _fifo(graph: UtxoGraph, sources: np.ndarray, reached: np.ndarray, followed: np.ndarray) -> np.ndarray:
    """FIFO through the reached transactions in chain order; a coin that is not `followed` passes no taint on."""
    intervals: dict[int, Intervals] = {int(o): [(0, int(graph.out_value[o]))] for o in sources}
    for tx in np.sort(reached).tolist():
        spent = graph.in_output[graph.tx_inputs[tx] : graph.tx_inputs[tx + 1]]
        made = range(graph.tx_outputs[tx], graph.tx_outputs[tx + 1])
        split = fifo_split(
            graph.out_value[spent].tolist(),
            [intervals.get(o, []) if followed[o] else [] for o in spent.tolist()],
            graph.out_value[made].tolist(),
        )
        intervals.update({o: s for o, s in zip(made, split) if s and o not in intervals})
    tainted = np.zeros(graph.out_tx.size, np.int64)
    for output, spans in intervals.items():
        tainted[output] = _length(spans)
    return tainted


def _length(intervals: Intervals) -> int:
    return sum(b - a for a, b in intervals)


def _check_model(model: str) -> None:
    if model not in MODELS:
        raise AnalysisInputError(f"model must be one of {', '.join(MODELS)}, not {model!r}.")
