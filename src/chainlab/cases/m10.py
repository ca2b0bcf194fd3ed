"""The case of 10_capstone_investigation: a fund-recovery fraud, from one victim's complaint to the exchange.

Everything comes from the world's public tables (`complaints`, `tags`, `exchanges`, the chain, and the exchanges'
records behind `chainlab.desk`), never from its answer keys, so every answer can be rebuilt whatever the seed.
It reuses module 05's exchange names and peel-chain matching and module 06's yardstick of confirmed owners.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from ..analysis.cluster import cluster_addresses
from ..analysis.graph import UtxoGraph
from ..analysis.metrics import score_clustering
from ..analysis.peel import peel_steps
from ..analysis.trace import trace
from ..data import load
from .m05 import chain_through, exchange_names  # noqa: F401  (the notebook uses both, as module 05 did)
from .m06 import confirmed_owners, confirmed_payments

TYPOLOGY = "fund_recovery_fraud"


def complaint(profile: str = "classroom", seed: int | None = None) -> pd.Series:
    """The complaint that opens the case (one row of `complaints`)."""
    reports = load("complaints", profile, seed)
    found = reports[reports["typology"] == TYPOLOGY].sort_values(["filed_at", "complaint_id"])
    if found.empty:
        raise LookupError("this world has no fund-recovery fraud complaint; module 10 needs its case (CAP-1).")
    return found.iloc[0]


def bought_at(graph: UtxoGraph, reported_transaction: str, names: pd.Series) -> str:
    """Where the victim bought the coins: the exchange whose tagged address paid the victim, two hops back."""
    back = trace(graph, transactions=reported_transaction, direction="backward", hops=2, stop_at=names)
    named = back.loc[back["stopped_at"] != "", "stopped_at"]
    if named.empty:
        raise LookupError(f"no tagged exchange address within two hops before {reported_transaction}.")
    return str(named.iloc[0])


def day_of(graph: UtxoGraph, transaction_hash: str) -> date:
    """The day (UTC) a transaction was mined."""
    tx = int(graph.tx_ids([transaction_hash])[0])
    return pd.Timestamp(int(graph.tx_time[tx]), unit="s", tz="UTC").date()


def data_date(profile: str = "classroom", seed: int | None = None) -> date:
    """The day of the data set's last block: the "as of" date of every finding (the same on every rerun)."""
    return load("blocks", profile, seed)["timestamp"].max().date()


def peel_error_rate(graph: UtxoGraph, seed: int | None = None) -> dict:
    """How often the peel-shape rule ("the larger output is the sender's change") is wrong, measured on the
    peel-shaped transactions where an exchange's ledger confirms one output as a payment (so not change)."""
    shaped, peeled, remainder = peel_steps(graph)
    payments = confirmed_payments(seed)
    tx = graph.tx_ids(payments["transaction_hash"])
    known = np.zeros(graph.out_tx.size, bool)
    ok = tx >= 0
    first = graph.tx_outputs[tx[ok]]
    known[first + payments["index"].to_numpy()[ok]] = True
    checked = np.flatnonzero(shaped & (known[remainder] | known[peeled]))
    wrong = int(known[remainder[checked]].sum())
    return {
        "heuristic": "peel chain: the larger output of a peel-shaped transaction is change",
        "measured_on": f"{checked.size:,} peel-shaped transactions with an output an exchange confirms as a payment",
        "error_rate": round(wrong / max(checked.size, 1), 4),
    }


def heuristic_error_rates(graph: UtxoGraph, seed: int | None = None) -> pd.DataFrame:
    """The measured error rate of each heuristic the case relies on (module 06's yardstick, module 05's peel rule)."""
    score = score_clustering(cluster_addresses(graph), confirmed_owners(seed))
    rows = [
        {
            "heuristic": "common-input ownership (multi-input), CoinJoins skipped",
            "measured_on": f"{score.flagged:,} address pairs it joins whose owner the exchanges' records confirm",
            "error_rate": round(1 - score.precision, 4),
        },
        peel_error_rate(graph, seed),
    ]
    return pd.DataFrame(rows)
