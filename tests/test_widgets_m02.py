"""The widgets of 02_crypto_assets_and_services: their pure logic, and their callbacks driven as a learner would."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd
import pytest

from chainlab.analysis import asset_movements
from chainlab.cases import m02
from chainlab.chain import seed_phrases
from chainlab.widgets import account_explorer, seed_phrase_checker
from chainlab.widgets.account_explorer import account_html
from chainlab.widgets.seed_phrase import checks_html

VALID = "legal winner thank year wave sausage worth useful legal winner thank yellow"  # a public BIP-39 test vector
USER, HOT, TOKEN = "0x" + "1a" * 20, "0x" + "2B" * 20, "0x" + "3c" * 20
T0 = pd.Timestamp("2024-05-01 10:15", tz="UTC")


def test_checks_html_marks_each_check():
    assert checks_html(VALID).count("passes") == 3 and "Valid seed phrase" in checks_html(VALID)
    typo = checks_html(VALID.replace("thank", "thenk", 1))
    assert typo.count("FAILS") == 1 and "not checked yet" in typo and "&#x27;thenk&#x27;" in typo
    swapped = checks_html("winner legal thank year wave sausage worth useful legal winner thank yellow")
    assert swapped.count("passes") == 2 and "checksum does not match" in swapped
    assert "11" in checks_html(" ".join(VALID.split()[:11])) and "Type or paste" in checks_html("  ")


def test_the_checker_buttons_break_and_restore_the_phrase():
    panel = seed_phrase_checker(VALID, seed=3)
    box, (change, drop, fresh, reset), result = panel.children[0], panel.children[1].children, panel.children[2]
    drop.click()
    assert len(box.value.split()) == 11 and "FAILS" in result.value
    reset.click()
    assert box.value == VALID and "Valid" in result.value
    change.click()
    assert len(box.value.split()) == 12 and result.value == checks_html(box.value)
    fresh.click()
    assert box.value != VALID and seed_phrases.check_seed_phrase(box.value).valid and "Valid" in result.value
    box.value = ""
    change.click()
    assert "empty" in result.value


@pytest.fixture()
def world():
    transactions = pd.DataFrame(
        {
            "hash": ["0x01", "0x02"],
            "from_address": [USER, HOT],
            "to_address": [HOT, USER],
            "value": [Decimal(2 * 10**18), Decimal(5 * 10**17)],
            "receipt_status": [1, 1],
            "block_timestamp": [T0, T0 + pd.Timedelta(hours=1)],
        }
    )
    token_transfers = pd.DataFrame(
        {
            "token_address": [TOKEN, TOKEN],
            "from_address": [m02.ZERO_ADDRESS, USER],
            "to_address": [USER, HOT],
            "value": [Decimal(3_000_000), Decimal(1_000_000)],
            "transaction_hash": ["0x03", "0x04"],
            "block_timestamp": [T0, T0],
        }
    )
    tokens = pd.DataFrame(
        {
            "address": [TOKEN],
            "symbol": ["NUSD"],
            "name": ["Northwind USD"],
            "decimals": [6],
            "issuer": ["Northwind Trust Co."],
            "freezable": [True],
        }
    )
    prices = pd.DataFrame(
        {
            "timestamp": [T0.floor("h"), T0.floor("h") + pd.Timedelta(hours=1)],
            "symbol": ["ETH", "ETH"],
            "price_usd": [1000.0, 3000.0],
        }
    )
    movements = asset_movements(transactions, token_transfers, tokens=tokens)
    return movements, token_transfers, tokens, prices, {HOT.lower(): "Example hot wallet"}


def test_account_html_shows_holdings_transfers_and_labels(world):
    text = account_html(USER.upper().replace("0X", "0x"), *world)  # typed in capitals: still found
    assert "no public label" in text and "Example hot wallet" in text
    assert "<td>NUSD</td>" in text and "<td>2.0</td>" in text  # 3 minted, 1 sent
    assert "1 received, 0.500000 ETH" in text and "1 sent, 2.000000 ETH" in text
    assert "<td>2,000.00</td>" in text and "<td>1,500.00</td>" in text  # each at the price of its own hour, to the cent
    assert "public label <b>Example hot wallet</b>" in account_html(HOT, *world)


def test_account_html_explains_what_it_cannot_show(world):
    assert "Type or paste" in account_html("  ", *world)
    assert "bitcoin" in account_html("bc1qxyz", *world)
    assert "3 character(s) after 0x" in account_html("0x123", *world)
    assert "another character" in account_html("0x" + "zz" * 20, *world)
    assert "No transfer to or from" in account_html("0x" + "ef" * 20, *world)


def test_account_explorer_updates_as_the_learner_types(world):
    panel = account_explorer(*world, examples=[USER, HOT], start=USER)
    box, result = panel.children
    assert box.options == (USER, HOT) and "no public label" in result.value
    box.value = HOT
    assert "Example hot wallet</b>" in result.value
    box.value = "0x12"
    assert "Problem:" in result.value
