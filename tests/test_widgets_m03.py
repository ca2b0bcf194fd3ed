"""The widgets of 03_legal_and_regulatory: their pure logic, and their callbacks driven as a learner would."""

from __future__ import annotations

from chainlab.rules import legal
from chainlab.widgets import legal_process_tree, travel_rule_helper
from chainlab.widgets.legal_process import route_html
from chainlab.widgets.travel_rule import decision_html


def test_decision_html_lists_what_travels_and_cites_the_source():
    text = decision_html("FATF", 1000, "vasp")
    assert "Full originator" in text and text.count("<li>") == len(legal.FATF_R16_DATA)
    assert "INR.16" in text and legal.CHECKED in text and "not legal advice" in text
    assert "reduced set" in decision_html("FATF", 999.99, "vasp")
    assert "Nothing has to travel" in decision_html("US", 2999, "vasp")


def test_decision_html_explains_bad_amounts():
    assert "0 or more" in decision_html("EU", -1, "vasp")


def test_travel_rule_helper_updates_as_the_learner_changes_the_controls():
    panel = travel_rule_helper(999.99)
    regime, amount_row, other_side, result = panel.children
    amount, currency = amount_row.children
    assert "reduced set" in result.value and currency.value == "USD or EUR"
    amount.value = 1000
    assert "Full originator" in result.value
    regime.value = "EU"
    assert currency.value == "EUR"
    other_side.value = "a self-hosted wallet"
    assert "owned or controlled" not in result.value
    amount.value = 1000.01
    assert "owned or controlled" in result.value
    regime.value = "PH"
    assert currency.value == "PHP" and "50,000" in result.value


def test_route_html_names_the_instrument_and_its_basis():
    text = route_html(
        life_at_risk=False, goal="obtain", data="subscriber", provider="abroad", protocol_in_force_for_both=True
    )
    assert legal.DIRECT_REQUEST in text and "Art. 7" in text and "not legal advice" in text and "seizure order" in text
    assert "must be one of" in route_html(life_at_risk=False, goal="take", data="subscriber", provider="abroad")


def test_legal_process_tree_follows_the_answers():
    tree = legal_process_tree()
    life, goal, data, provider, eu, e_evidence, _budapest, protocol, reserved, result = tree.children
    assert legal.PRESERVATION in result.value  # the first answers: keep the data, at a VASP in my country
    goal.value = "have it handed over"
    assert legal.PRODUCTION in result.value
    provider.value = "abroad"
    assert legal.MLA in result.value
    data.value = "who holds the account (subscriber, KYC)"
    protocol.value = True
    assert legal.DIRECT_REQUEST in result.value
    reserved.value = True
    assert legal.MLA in result.value
    eu.value = True
    assert legal.EIO in result.value
    e_evidence.value = True
    assert legal.EU_PRODUCTION in result.value
    life.value = True
    assert legal.EMERGENCY in result.value
