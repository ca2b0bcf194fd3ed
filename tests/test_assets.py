"""chainlab.assets: prices at the time, token balances from Transfer events, seed-phrase checks and the module's picks."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pandas as pd
import pytest

import chainlab as cl
from chainlab import analysis
from chainlab.analysis.errors import AnalysisInputError
from chainlab.cases import m02
from chainlab.chain import seed_phrases

A, B = "0x" + "a1" * 20, "0x" + "B2" * 20
TOKEN, OTHER_TOKEN = "0x" + "c3" * 20, "0x" + "d4" * 20
T0 = pd.Timestamp("2024-05-01 00:00", tz="UTC")


def _prices():
    hours = [T0, T0 + pd.Timedelta(hours=1)]
    return pd.DataFrame(
        {"timestamp": hours * 2, "symbol": ["ETH", "ETH", "BTC", "BTC"], "price_usd": [100.0, 200.0, 5.0, 6.0]}
    )


def _transfers(rows):
    return pd.DataFrame(
        [
            {
                "token_address": token,
                "from_address": sender,
                "to_address": receiver,
                "value": Decimal(value),
                "block_timestamp": T0,
            }
            for token, sender, receiver, value in rows
        ]
    )


def test_each_movement_takes_the_price_of_its_own_hour():
    movements = pd.DataFrame(
        {"block_timestamp": [T0 + pd.Timedelta(minutes=m) for m in (119, 30, 60)], "amount": [1.0, 2.0, 0.5]}
    )
    valued = analysis.value_in_usd(movements, _prices())
    assert valued["price_usd"].tolist() == [100.0, 200.0, 200.0]  # sorted by time; 01:00 exactly takes the 01:00 price
    assert valued["value_usd"].tolist() == [200.0, 100.0, 200.0]
    early = pd.DataFrame({"block_timestamp": [T0 - pd.Timedelta(minutes=1)], "amount": [1.0]})
    assert analysis.value_in_usd(early, _prices())["price_usd"].isna().all()


def test_value_in_usd_explains_bad_tables():
    with pytest.raises(AnalysisInputError, match="lacks column"):
        analysis.value_in_usd(pd.DataFrame({"block_timestamp": [T0]}), _prices())
    with pytest.raises(AnalysisInputError, match="no 'DOGE' prices"):
        analysis.value_in_usd(pd.DataFrame({"block_timestamp": [T0], "amount": [1.0]}), _prices(), symbol="DOGE")


def test_token_balance_is_what_came_in_minus_what_went_out_in_that_token_only():
    transfers = _transfers(
        [(TOKEN, m02.ZERO_ADDRESS, A, 100), (TOKEN, A, B, 30), (TOKEN, B, A, 5), (OTHER_TOKEN, B, A, 1000)]
    )
    assert analysis.token_balance(transfers, A, TOKEN) == 75
    assert analysis.token_balance(transfers, B.lower(), TOKEN.upper().replace("0X", "0x")) == 25  # case does not matter
    assert analysis.token_balance(transfers, m02.ZERO_ADDRESS, TOKEN) == -100  # mints come from the zero address


def test_token_balance_stays_exact_beyond_what_int64_can_hold():
    huge = 10**30 + 7
    transfers = _transfers([(TOKEN, m02.ZERO_ADDRESS, A, huge), (TOKEN, m02.ZERO_ADDRESS, A, huge), (TOKEN, A, B, 1)])
    assert analysis.token_balance(transfers, A, TOKEN) == 2 * huge - 1


def test_token_holdings_list_every_token_the_account_moved():
    tokens = pd.DataFrame(
        {
            "address": [TOKEN, OTHER_TOKEN],
            "symbol": ["NUSD", "XYZ"],
            "name": ["Northwind USD", "Other"],
            "decimals": [6, 0],
            "issuer": ["Northwind Trust Co.", "Nobody"],
            "freezable": [True, False],
        }
    )
    transfers = _transfers([(TOKEN, m02.ZERO_ADDRESS, A, 2_500_000), (TOKEN, A, B, 500_000)])
    holdings = analysis.token_holdings(transfers, tokens, A)
    assert holdings[["symbol", "balance", "smallest_units", "freezable"]].to_dict("records") == [
        {"symbol": "NUSD", "balance": 2.0, "smallest_units": 2_000_000, "freezable": True}
    ]
    assert analysis.token_holdings(transfers, tokens, "0x" + "ee" * 20).empty


def test_public_labels_key_addresses_in_small_letters():
    tags = pd.DataFrame({"chain": ["ethereum", "bitcoin"], "address": [A, "1Abc"], "label": ["Hot wallet", "Miner"]})
    contracts = pd.DataFrame({"address": [B], "name": ["Pool"]})
    assert analysis.public_labels(tags, contracts) == {A.lower(): "Hot wallet", B.lower(): "Pool"}


# Public BIP-39 test vectors (entropy 00...00 and 7f...7f, from the reference implementation): they protect nothing.
ZEROS = "abandon " * 11 + "about"
SEVENS = "legal winner thank year wave sausage worth useful legal winner thank yellow"


def test_known_phrases_pass_every_check_whatever_the_case_and_spacing():
    for phrase in (ZEROS, SEVENS, "  LEGAL winner thank year wave sausage worth useful legal winner thank   Yellow "):
        result = seed_phrases.check_seed_phrase(phrase)
        assert result.valid and result.checksum_ok and result.count_ok and not result.unknown_words
        assert "Valid" in str(result)


def test_each_fault_names_the_check_it_fails():
    wrong_word = seed_phrases.check_seed_phrase(SEVENS.replace("yellow", "year"))
    assert wrong_word.checksum_ok is False and "checksum does not match" in wrong_word.problem
    typo = seed_phrases.check_seed_phrase(ZEROS.replace("about", "abuot"))
    assert typo.unknown_words == ("abuot",) and typo.checksum_ok is None and "'about'" in typo.problem
    short = seed_phrases.check_seed_phrase("abandon " * 11)
    assert not short.count_ok and short.checksum_ok is None and "11 words" in short.problem
    assert "no words" in seed_phrases.check_seed_phrase("   ").problem
    assert "NOT a valid" in str(short)
    with pytest.raises(TypeError, match="text"):
        seed_phrases.check_seed_phrase(["abandon"] * 12)


def test_new_phrases_are_valid_reproducible_and_of_the_asked_length():
    first = seed_phrases.new_seed_phrase(np.random.default_rng(1))
    assert (
        first
        == seed_phrases.new_seed_phrase(np.random.default_rng(1))
        != seed_phrases.new_seed_phrase(np.random.default_rng(2))
    )
    assert seed_phrases.check_seed_phrase(first).valid and len(first.split()) == 12
    assert len(seed_phrases.new_seed_phrase(np.random.default_rng(1), 24).split()) == 24
    with pytest.raises(ValueError, match="12, 15, 18, 21 or 24"):
        seed_phrases.new_seed_phrase(np.random.default_rng(1), 13)


@pytest.mark.parametrize("seed", [2026, 7, 11])
def test_seized_notes_hold_two_valid_phrases_and_one_of_each_fault(seed):
    notes = m02.seized_notes(seed)
    checks = [seed_phrases.check_seed_phrase(phrase) for phrase in notes["phrase"]]
    assert sum(check.valid for check in checks) == 2
    faults = sorted(
        "word" if check.unknown_words else "count" if not check.count_ok else "checksum"
        for check in checks
        if not check.valid
    )
    assert faults == ["checksum", "checksum", "count", "word"]
    assert notes.equals(m02.seized_notes(seed))


def test_the_module_picks_fit_their_questions():
    picks = m02.case_picks()
    transactions, token_transfers, tokens = cl.load("eth_transactions"), cl.load("token_transfers"), cl.load("tokens")
    reported = transactions[transactions["hash"] == picks.reported_transaction].iloc[0]
    assert reported["input"] == "0x" and reported["receipt_status"] == 1 and int(reported["value"]) > 0
    plain_in = transactions[(transactions["to_address"] == picks.paid_account) & (transactions["input"] == "0x")]
    assert 4 <= len(plain_in) <= 8
    assert analysis.token_balance(token_transfers, picks.token_holder, tokens["address"].iloc[0]) > 0
    deposits = set(cl.load("deposit_addresses")["address"])
    assert picks.deposit_example in deposits and picks.deposit_example not in picks.candidates
    assert len(set(picks.candidates)) == 6 and len(deposits & set(picks.candidates)) == 2
    assert picks == m02.case_picks()
