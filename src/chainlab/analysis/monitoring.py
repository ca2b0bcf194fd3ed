"""Transaction-monitoring rules a VASP runs on its own ledger (module 04), each returning the accounts it flags.

- structuring: several deposits just under a reporting threshold within a short window (FATF red-flag
  indicators, "Virtual Assets Red Flag Indicators of Money Laundering and Terrorist Financing", 2020);
- rapid in-and-out: a deposit withdrawn again, mostly, within hours.
Rules are tuned by trading alerts (work) against missed cases; `chainlab.analysis.metrics.score_sets` measures that.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .errors import AnalysisInputError
from .graph import seconds

LEDGER_COLUMNS = ("account_id", "timestamp", "direction", "value")


def structuring_alerts(
    ledger: pd.DataFrame, threshold: int, margin: float = 0.1, window_hours: float = 72, min_deposits: int = 3
) -> pd.DataFrame:
    """Accounts with at least `min_deposits` deposits in [threshold × (1 - margin), threshold) within `window_hours`.

    Columns: account_id, deposits (the most found in one window), first_deposit.
    """
    _check(ledger)
    if threshold <= 0 or not 0 < margin < 1 or window_hours <= 0 or min_deposits < 2:
        raise AnalysisInputError(
            "threshold and window must be positive, margin between 0 and 1, and min_deposits at least 2."
        )
    near = ledger[
        (ledger["direction"] == "deposit")
        & (ledger["value"] < threshold)
        & (ledger["value"] >= threshold * (1 - margin))
    ]
    near = near.sort_values(["account_id", "timestamp"])
    times = seconds(near["timestamp"])
    accounts = near["account_id"].to_numpy()
    # For each deposit, how many of the same account's near-threshold deposits fall in the window ending at it.
    group_start = np.searchsorted(accounts, accounts, side="left")
    key = pd.factorize(accounts)[0].astype(np.int64) * 10**12 + times
    in_window = (
        np.arange(key.size)
        - np.maximum(np.searchsorted(key, key - int(window_hours * 3600), side="left"), group_start)
        + 1
    )
    hits = pd.DataFrame({"account_id": accounts, "deposits": in_window, "first_deposit": near["timestamp"].to_numpy()})
    hits = hits[hits["deposits"] >= min_deposits]
    return hits.groupby("account_id", as_index=False).agg(
        deposits=("deposits", "max"), first_deposit=("first_deposit", "min")
    )


def rapid_in_out_alerts(
    ledger: pd.DataFrame, max_hours: float = 24, min_share: float = 0.8, min_cases: int = 1
) -> pd.DataFrame:
    """Accounts that, at least `min_cases` times, withdrew at least `min_share` of a deposit within `max_hours` of it.

    Columns: account_id, cases (how many deposits went out that fast), fastest_hours.
    """
    _check(ledger)
    if max_hours <= 0 or not 0 < min_share <= 1 or min_cases < 1:
        raise AnalysisInputError(
            "max_hours must be positive, min_share between 0 (excluded) and 1, and min_cases at least 1."
        )
    deposits = ledger[ledger["direction"] == "deposit"].sort_values("timestamp")
    withdrawals = ledger[ledger["direction"] == "withdrawal"].sort_values("timestamp")
    paired = pd.merge_asof(
        deposits,
        withdrawals[["account_id", "timestamp", "value"]].rename(columns={"timestamp": "out_at", "value": "out_value"}),
        left_on="timestamp",
        right_on="out_at",
        by="account_id",
        direction="forward",
        tolerance=pd.Timedelta(hours=max_hours),
    )
    fast = paired[paired["out_value"] >= min_share * paired["value"]].copy()
    fast["hours"] = (fast["out_at"] - fast["timestamp"]).dt.total_seconds() / 3600
    alerts = fast.groupby("account_id", as_index=False).agg(cases=("hours", "size"), fastest_hours=("hours", "min"))
    return alerts[alerts["cases"] >= min_cases].reset_index(drop=True)


def _check(ledger: pd.DataFrame) -> None:
    missing = [c for c in LEDGER_COLUMNS if c not in getattr(ledger, "columns", [])]
    if missing:
        raise AnalysisInputError(
            f"the ledger lacks column(s) {', '.join(missing)}; use chainlab.load('exchange_ledger')."
        )
