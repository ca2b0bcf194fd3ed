"""Rule tuner (introduced in 04_aml_monitoring_and_red_flags): monitoring thresholds on sliders, alerts and their precision/recall live.

The logic is `tune_rules` (a pure function the tests call). `suspicious_accounts` is the set the notebook
scores against (e.g. the accounts a module's case file marks as criminal).
"""

from __future__ import annotations

import ipywidgets as widgets
import pandas as pd

from ..analysis.errors import AnalysisInputError
from ..analysis.metrics import score_sets
from ..analysis.monitoring import rapid_in_out_alerts, structuring_alerts
from ..chain.units import SATOSHI_PER_BTC
from .toolkit_html import message_html, table_html


def rule_scores(
    ledger: pd.DataFrame,
    suspicious_accounts,
    threshold_btc: float,
    margin: float,
    window_hours: float,
    min_deposits: int,
    rapid_hours: float,
    rapid_share: float,
    rapid_cases: int = 1,
) -> pd.DataFrame:
    """Alerts of each rule and of both together, with precision and recall against `suspicious_accounts`."""
    structuring = structuring_alerts(ledger, int(threshold_btc * SATOSHI_PER_BTC), margin, window_hours, min_deposits)
    rapid = rapid_in_out_alerts(ledger, rapid_hours, rapid_share, rapid_cases)
    truth = set(suspicious_accounts)
    rows = []
    for name, flagged in (
        ("structuring", set(structuring["account_id"])),
        ("rapid in-and-out", set(rapid["account_id"])),
        ("either rule", set(structuring["account_id"]) | set(rapid["account_id"])),
    ):
        score = score_sets(flagged, truth)
        rows.append(
            {
                "rule": name,
                "alerts": score.flagged,
                "true alerts": score.true_positives,
                "false alerts": score.flagged - score.true_positives,
                "missed": score.actual - score.true_positives,
                "precision": "–" if not score.flagged else f"{score.precision:.0%}",
                "recall": "–" if not score.actual else f"{score.recall:.0%}",
            }
        )
    return pd.DataFrame(rows)


def tune_rules(ledger: pd.DataFrame, suspicious_accounts, *settings) -> str:
    """HTML of `rule_scores` for these settings, or a message saying which setting is impossible."""
    try:
        scores = rule_scores(ledger, suspicious_accounts, *settings)
    except AnalysisInputError as problem:
        return message_html(str(problem), problem=True)
    note = "Every false alert costs an analyst's time; every missed account is a case not reported."
    return table_html(scores) + message_html(note)


def rule_tuner(ledger: pd.DataFrame, suspicious_accounts, threshold_btc: float = 0.1) -> widgets.VBox:
    """Sliders for the structuring and rapid in-and-out rules over an exchange ledger; the score table updates live."""
    style = {"description_width": "initial"}
    threshold = widgets.FloatSlider(
        value=threshold_btc,
        min=0.01,
        max=max(2.0, threshold_btc),
        step=0.01,
        description="threshold (BTC)",
        readout_format=".2f",
        style=style,
    )
    # Shares on whole-percent sliders, so that a typed 30 means 30 % (on a 0-1 slider it became the maximum).
    margin = widgets.IntSlider(value=10, min=1, max=50, description="just under by (%)", style=style)
    window = widgets.FloatSlider(
        value=72, min=1, max=336, step=1, description="window (hours)", readout_format=".0f", style=style
    )
    count = widgets.IntSlider(value=3, min=2, max=10, description="deposits in window", style=style)
    rapid_hours = widgets.FloatSlider(
        value=24, min=1, max=168, step=1, description="out within (hours)", readout_format=".0f", style=style
    )
    rapid_share = widgets.IntSlider(value=80, min=10, max=100, step=5, description="share withdrawn (%)", style=style)
    rapid_cases = widgets.IntSlider(value=1, min=1, max=10, description="times at least", style=style)
    result = widgets.HTML()
    controls = (threshold, margin, window, count, rapid_hours, rapid_share, rapid_cases)

    def refresh(_change=None) -> None:
        values = [c.value / 100 if c in (margin, rapid_share) else c.value for c in controls]
        result.value = tune_rules(ledger, suspicious_accounts, *values)

    for control in controls:
        control.observe(refresh, names="value")
    refresh()
    return widgets.VBox(
        [
            widgets.HTML("<b>Structuring</b>"),
            threshold,
            margin,
            window,
            count,
            widgets.HTML("<b>Rapid in-and-out</b>"),
            rapid_hours,
            rapid_share,
            rapid_cases,
            result,
        ]
    )
