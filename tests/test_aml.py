"""chainlab.aml (module 04): the review table, the sealed case file, red-flag columns, and the rule tuner's wiring."""

from __future__ import annotations

from fractions import Fraction

import pandas as pd
import pytest

from chainlab import load
from chainlab.cases import m04
from chainlab.data import load_answer_key
from chainlab.rules import aml
from chainlab.widgets.rule_tuner import rule_scores, rule_tuner

SEEDS = range(2020, 2040)


def _percent(part: int, whole: int) -> Fraction:
    return Fraction(100 * part, whole)


@pytest.mark.parametrize("seed", SEEDS)
def test_alert_review_has_every_outcome_and_no_rounding_tie(seed):
    review = m04.alert_review(seed)
    assert list(review.columns) == ["review_id", "alerted", "finding", "review_hours"]
    assert review["review_id"].is_unique and set(review["finding"]) == set(aml.FINDINGS)
    outcomes = review.groupby(["alerted", "finding"]).size()
    assert len(outcomes) == 4, "the review holds true and false alerts, missed cases and quiet customers"
    caught = outcomes[(True, "suspicious")]
    precision = _percent(caught, review["alerted"].sum())
    recall = _percent(caught, (review["finding"] == "suspicious").sum())
    for share in (precision, recall):
        assert share - int(share) != Fraction(1, 2), "a share ending in .5 would make round() ambiguous"


def test_alert_review_is_seeded():
    assert m04.alert_review(7).equals(m04.alert_review(7))
    assert not m04.alert_review(7).equals(m04.alert_review(8))


def test_alerts_take_longer_to_review_than_look_back_checks():
    review = m04.alert_review(2026)
    assert review.loc[review["alerted"], "review_hours"].min() >= review.loc[~review["alerted"], "review_hours"].max()


def test_the_sealed_case_file_prints_how_many_but_never_which():
    case_file = m04.case_file_accounts()
    labels = load_answer_key("aml_labels")
    assert case_file == set(labels.loc[labels["suspicious"], "account_id"])
    for shown in (repr(case_file), str(case_file)):
        assert str(len(case_file)) in shown
        assert not any(account in shown for account in labels["account_id"])


@pytest.mark.parametrize("seed", range(10))
def test_the_flagged_segment_exercises_every_part_of_the_scoring(seed):
    segment = m04.flagged_segment(seed)
    flags = list(aml.RED_FLAG_WEIGHTS)
    assert list(segment.columns) == ["account_id", *flags] and segment["account_id"].is_unique
    assert segment[flags].any().all(), "every red flag occurs"
    scores = segment[flags].mul(pd.Series(aml.RED_FLAG_WEIGHTS)).sum(axis=1)
    assert scores[scores >= aml.REVIEW_SCORE].duplicated().any(), (
        "two queued customers share a score, so the tie-break matters"
    )
    assert (scores < aml.REVIEW_SCORE).any(), "some customers stay out of the queue"
    assert segment.equals(m04.flagged_segment(seed)), "the same seed gives the same segment"


def test_the_risk_policy_names_one_weight_per_red_flag_and_a_reachable_review_score():
    assert all(isinstance(points, int) and points > 0 for points in aml.RED_FLAG_WEIGHTS.values())
    assert min(aml.RED_FLAG_WEIGHTS.values()) < aml.REVIEW_SCORE <= max(aml.RED_FLAG_WEIGHTS.values())


def test_the_tuner_trades_false_alerts_for_recall_against_the_case_file():
    """Module 04's settings: the tight rules find the case file exactly; loosening adds only false alerts."""
    ledger = load("exchange_ledger")
    case_file = m04.case_file_accounts()
    tight = rule_scores(ledger, case_file, 0.25, 0.3, 72, 3, 8, 0.9, 3).set_index("rule")
    loose = rule_scores(ledger, case_file, 0.25, 0.3, 168, 2, 24, 0.8, 1).set_index("rule")
    assert tight.loc["either rule", "recall"] == "100%"
    assert loose.loc["either rule", "recall"] == "100%"
    assert loose.loc["either rule", "false alerts"] > 10 * max(tight.loc["either rule", "false alerts"], 1)


def test_the_tuner_widget_shows_scores_but_no_account():
    ledger = load("exchange_ledger")
    case_file = m04.case_file_accounts()
    panel = rule_tuner(ledger, case_file, threshold_btc=0.25)
    shown = panel.children[-1].value
    assert "precision" in shown and "recall" in shown
    assert not any(account in shown for account in case_file)
