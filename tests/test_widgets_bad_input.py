"""Bad input in a widget gets a message in the widget, and the last good value stays in the box; tables keep amounts on screen."""

from __future__ import annotations

import datetime

import pandas as pd
import pytest

from chainlab import widgets
from chainlab.chain import toychain
from chainlab.widgets.checked_box import CheckedBox, day, decimal_number, whole_number
from chainlab.widgets.rule_tuner import tune_rules
from chainlab.widgets.tamper_chain import tamper_chain
from chainlab.widgets.toolkit_html import table_html
from chainlab.widgets.travel_rule import travel_rule_helper

PROBLEM = "<b>Problem:</b>"


@pytest.mark.parametrize(
    "text, says",
    [
        ("3.5", "not a whole number of satoshi"),
        ("1,000", "no thousands separators"),
        ("hello", "not a number"),
        ("", "empty"),
        ("-5", "out of range"),
    ],
)
def test_whole_number_refuses_with_a_reason(text, says):
    with pytest.raises(ValueError, match=says):
        whole_number(text, "satoshi", 0, 10**9)


def test_parsers_take_good_text():
    assert whole_number(" 12500 ", "satoshi") == 12500
    assert decimal_number("999.99", "EUR") == 999.99
    assert day("2024-06-15") == datetime.date(2024, 6, 15) and day("  ") is None
    with pytest.raises(ValueError, match="has a comma"):
        decimal_number("1,5", "EUR")
    with pytest.raises(ValueError, match="year-month-day"):
        day("hello")


def test_checked_box_keeps_the_last_good_value_and_says_why():
    seen = []
    box = CheckedBox(7, lambda text: whole_number(text, "blocks"), description="blocks")
    box.observe(lambda change: seen.append(change["new"]), names="value")
    box.box.value = "3.5"
    assert box.value == 7 and box.box.value == "7" and seen == []
    assert PROBLEM in box.note.value and "“3.5” is not a whole number of blocks" in box.note.value
    box.box.value = "35"
    assert box.value == 35 and seen == [35] and box.note.value == ""
    box.value = 40  # set from code: the box follows
    assert box.box.value == "40"


def test_tamper_panel_refuses_a_fraction_of_a_satoshi():
    panel = tamper_chain(toychain.build())
    new_value, picture, words = panel.children[2:]
    before, shown = new_value.value, (picture.value, words.value)
    new_value.box.value = "3.5"
    assert new_value.value == before and new_value.box.value == str(before)
    assert "not a whole number of satoshi" in new_value.note.value
    assert (picture.value, words.value) == shown, "the chain stays as it was for the last good value"


def test_travel_rule_amount_box_refuses_text_and_keeps_the_amount():
    panel = travel_rule_helper(999.99)
    amount = panel.children[1].children[0]
    result = panel.children[-1]
    shown = result.value
    amount.box.value = "hello"
    assert amount.value == 999.99 and amount.box.value == "999.99" and "not a number" in amount.note.value
    assert result.value == shown
    amount.box.value = "1000"
    assert amount.value == 1000 and "Full originator" in result.value and amount.note.value == ""


def test_request_builder_date_box_refuses_hello():
    panel = widgets.request_builder(["Meridian Vault"])
    date_from = next(
        child for child in panel.children if isinstance(child, CheckedBox) and child.box.description == "from"
    )
    date_from.box.value = "2024-05-01"
    assert date_from.value == datetime.date(2024, 5, 1)
    date_from.box.value = "hello"
    assert date_from.value == datetime.date(2024, 5, 1) and date_from.box.value == "2024-05-01"
    assert "year-month-day" in date_from.note.value


def test_rule_tuner_percent_sliders_take_whole_percents():
    t0 = pd.Timestamp("2024-06-01", tz="UTC")
    ledger = pd.DataFrame(
        {
            "account_id": ["A1"] * 3,
            "direction": ["deposit"] * 3,
            "value": [9_500_000] * 3,
            "transaction_hash": ["a", "b", "c"],
            "timestamp": [t0, t0 + pd.Timedelta(hours=1), t0 + pd.Timedelta(hours=2)],
            "address": ["x"] * 3,
        }
    )
    panel = widgets.rule_tuner(ledger, {"A1"})
    margin = panel.children[2]
    assert "(%)" in margin.description and margin.value == 10
    margin.value = 30  # typed "30" means 30 %
    assert panel.children[-1].value == tune_rules(ledger, {"A1"}, 0.1, 0.3, 72, 3, 24, 0.8, 1)


def test_tables_shorten_hashes_and_show_usd_to_the_cent():
    tx = "0x" + "ab" * 32
    page = table_html(
        pd.DataFrame({"transaction_hash": [tx], "ETH": [0.5], "USD_at_the_time": [1234.5], "label": ["<b>x</b>"]})
    )
    assert f'title="{tx}"' in page and f">{tx[:10]}…{tx[-6:]}<" in page
    assert "<td>1,234.50</td>" in page and "&lt;b&gt;x&lt;/b&gt;" in page


def test_the_filter_panel_table_keeps_the_amounts_in_view():
    from chainlab.cases import m00

    transfers = m00.transfers(seed=5)
    rows = widgets.filter_panel(transfers).children[-1].value
    first = transfers["tx_hash"].iloc[0]
    assert f">{first[:10]}…{first[-6:]}<" in rows and first not in rows.replace(f'title="{first}"', "")
    sender = transfers["from_address"].iloc[0]
    assert f">{sender[:10]}…{sender[-6:]}<" in rows
    assert f"<td>{transfers['amount_usd'].iloc[0]:,.2f}</td>" in rows
