"""The case of 04_aml_monitoring_and_red_flags: the case file for scoring rules, an analysts' review, a flagged segment.

The exchange's risk-scoring policy is in `chainlab.rules.aml`.

- `case_file_accounts()`: the accounts the AML-1 case file confirms as suspicious, sealed so that printing
  them shows how many there are, never which (the rule tuner scores against them);
- `alert_review()`: a seeded, invented quality-assurance review of a monitoring rule, for measuring
  precision and recall by hand;
- `flagged_segment()`: a seeded, invented segment of customers whose red flags are already set, for
  practising risk scoring independently of the earlier exercises.
"""

from __future__ import annotations

from fractions import Fraction

import pandas as pd

from .. import seeding
from ..rules.aml import RED_FLAG_WEIGHTS, REVIEW_SCORE


class SealedAccounts(frozenset):
    """A set of account ids used only to score rules: its printout says how many accounts it holds, never which."""

    def __repr__(self) -> str:
        return f"<case file: {len(self)} confirmed suspicious accounts, sealed (used only to score rules)>"

    __str__ = __repr__


def case_file_accounts(seed: int | None = None) -> SealedAccounts:
    """The AML-1 case file's confirmed structuring and rapid in-and-out customers (the learners' table `aml_case_file`)."""
    from ..data import load

    return SealedAccounts(load("aml_case_file", seed=seed)["account_id"])


def flagged_segment(seed: int | None = None, size: int = 40) -> pd.DataFrame:
    """An invented segment of customers with their red flags set (one True/False column per flag of `RED_FLAG_WEIGHTS`).

    Seeded with the cohort's seed. Every flag occurs, some customers score below `REVIEW_SCORE` and one
    exactly at it (> versus >=), and customers who share a queued score stand out of account-id order
    (so the queue's tie-break matters).
    """
    rng = seeding.rng("m04.customers", seed)
    shares = {
        "structuring": 0.15,
        "rapid_in_and_out": 0.15,
        "direct_exposure": 0.2,
        "high_risk_jurisdiction": 0.15,
        "incomplete_kyc": 0.3,
    }
    while True:
        flags = pd.DataFrame({flag: rng.random(size) < share for flag, share in shares.items()})
        scores = flags.mul(pd.Series(RED_FLAG_WEIGHTS)).sum(axis=1)
        queued = scores[scores >= REVIEW_SCORE]
        if not (
            flags.any().all()
            and queued.duplicated().any()
            and (scores < REVIEW_SCORE).any()
            and (scores == REVIEW_SCORE).any()
        ):
            continue
        ids = [f"SG-{number:04d}" for number in rng.permutation(size) + 1]
        queue = pd.DataFrame({"account_id": ids, "risk_score": scores})[scores >= REVIEW_SCORE]
        by_score_only = queue.sort_values("risk_score", ascending=False)["account_id"].tolist()
        if (
            by_score_only
            != queue.sort_values(["risk_score", "account_id"], ascending=[False, True])["account_id"].tolist()
        ):
            break
    flags.insert(0, "account_id", ids)
    return flags


def _has_half_percent(part: int, whole: int) -> bool:
    """True if part/whole in percent ends in exactly .5, where rounding conventions disagree."""
    return (Fraction(100 * part, whole) - Fraction(1, 2)).denominator == 1


def alert_review(seed: int | None = None) -> pd.DataFrame:
    """A quality-assurance review of every customer in one segment: did the rule alert, and what did the analyst find?

    Columns: review_id, alerted (the rule raised an alert), finding ("suspicious" or "not suspicious",
    the analyst's conclusion after a full review), review_hours (analyst time spent). Invented data,
    seeded with the cohort's seed; precision and recall in percent never end in exactly .5, and they,
    their shares of every reviewed customer and the count of true alerts are five different numbers
    (so each likely wrong method gives another answer).
    """
    rng = seeding.rng("m04.alert_review", seed)
    while True:
        caught, false_alerts, missed, quiet = (
            int(rng.integers(low, high)) for low, high in ((4, 9), (12, 31), (1, 5), (18, 41))
        )
        everyone = caught + false_alerts + missed + quiet
        if (
            _has_half_percent(caught, caught + false_alerts)
            or _has_half_percent(caught, caught + missed)
            or _has_half_percent(caught, everyone)
        ):
            continue
        shares = {round(Fraction(100 * caught, whole)) for whole in (caught + false_alerts, caught + missed, everyone)}
        if len(shares | {caught}) == 4:
            break
    alerted = [True] * caught + [True] * false_alerts + [False] * missed + [False] * quiet
    finding = (
        ["suspicious"] * caught
        + ["not suspicious"] * false_alerts
        + ["suspicious"] * missed
        + ["not suspicious"] * quiet
    )
    # An alert takes an analyst one to four hours to clear; a customer without an alert gets a short look-back check.
    hours = [round(float(rng.uniform(1, 4) if flagged else rng.uniform(0.2, 0.6)), 1) for flagged in alerted]
    order = rng.permutation(len(alerted))
    table = (
        pd.DataFrame({"alerted": alerted, "finding": finding, "review_hours": hours}).iloc[order].reset_index(drop=True)
    )
    table.insert(0, "review_id", [f"QA-{number + 1:03d}" for number in range(len(table))])
    return table
