"""Travel-rule decision helper (introduced in 03_legal_and_regulatory): amount, counterparty and regime in, what must travel out."""

from __future__ import annotations

import html

import ipywidgets as widgets

from ..rules import legal
from .checked_box import CheckedBox, decimal_number

COUNTERPARTY_LABELS = {"another VASP": "vasp", "a self-hosted wallet": "self_hosted"}


def decision_html(regime_key: str, amount, counterparty: str) -> str:
    """What `chainlab.legal.travel_rule` decides, as HTML: the list that travels, other duties, and the source."""
    rules = legal.regime(regime_key)
    try:
        decision = legal.travel_rule(rules.key, amount, rules.currencies[0], counterparty)
    except ValueError as problem:
        return f"<span style='color:#a61b1b'>{html.escape(str(problem))}</span>"
    if decision.must_travel:
        title = (
            "Full originator and beneficiary information must travel:"
            if decision.full_information
            else "A reduced set of information must travel:"
        )
        body = (
            f"<b>{title}</b><ul>" + "".join(f"<li>{html.escape(item)}</li>" for item in decision.must_travel) + "</ul>"
        )
    else:
        body = "<b>Nothing has to travel to another VASP for this transfer.</b>"
    duties = "".join(f"<li>{html.escape(duty)}</li>" for duty in decision.duties)
    return (
        f"<div><i>{html.escape(rules.name)}</i><br>Threshold: {html.escape(rules.threshold_text())}. {html.escape(decision.reason)}<br>{body}"
        + (f"<br><b>Also:</b><ul>{duties}</ul>" if duties else "")
        + f"<small>Source: {html.escape(rules.citation)}. Checked {legal.CHECKED}; teaching material, not legal advice.</small></div>"
    )


def travel_rule_helper(amount: float = 1500.0) -> widgets.VBox:
    """Pick a regime, type an amount, say who is on the other side: the panel says what must travel."""
    regime = widgets.Dropdown(
        options=[(f"{key}: {rules.name.split(':')[0].split(' (')[0]}", key) for key, rules in legal.REGIMES.items()],
        description="rule",
        style={"description_width": "initial"},
        layout=widgets.Layout(width="60%"),
    )
    value = CheckedBox(
        amount,
        lambda text: decimal_number(text, "in the rule's currency"),
        show=lambda number: f"{number:g}" if abs(number) < 1e15 else f"{number:f}",
        description="amount",
        layout=widgets.Layout(width="26em"),
    )
    currency = widgets.HTML()
    other_side = widgets.ToggleButtons(
        options=list(COUNTERPARTY_LABELS), description="coins go to", style={"button_width": "auto"}
    )
    result = widgets.HTML()

    def refresh(_change=None) -> None:
        currency.value = " or ".join(legal.regime(regime.value).currencies)
        result.value = decision_html(regime.value, value.value, COUNTERPARTY_LABELS[other_side.value])

    for control in (regime, value, other_side):
        control.observe(refresh, names="value")
    refresh()
    return widgets.VBox([regime, widgets.HBox([value, currency]), other_side, result])
