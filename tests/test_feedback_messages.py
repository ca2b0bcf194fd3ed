"""Feedback that names the real mistake: each case the issue saw mislead a learner, through the real exercises and data."""

from __future__ import annotations

import pytest

from chainlab.analysis import token_balance
from chainlab.chain.seed_phrases import check_seed_phrase
from chainlab.exercises import Amount, Exercise, keys
from chainlab.exercises.answers import a_or_an, counted, plain_number, singular
from chainlab.exercises.core import exercises_of

from .notebook_tools import run_solution_code


@pytest.fixture(scope="module")
def solved():
    return {
        number: run_solution_code(slug)
        for number, slug in (
            ("00", "00_getting_started"),
            ("01", "01_blockchain_fundamentals"),
            ("02", "02_crypto_assets_and_services"),
            ("04", "04_aml_monitoring_and_red_flags"),
        )
    }


def _message(module: str, name: str, value) -> str:
    feedback = exercises_of(module)[name].verdict(value)
    assert feedback.status == "incorrect"
    return feedback.message


def test_a_wrong_order_is_called_a_wrong_order(solved):
    shuffled = solved["00"]["transfers_by_time"].sample(frac=1.0, random_state=3)
    assert "not in the asked order" in _message("00", "transfers_by_time", shuffled)


def test_right_rows_with_some_columns_dropped_are_told_to_keep_the_columns(solved):
    cut = solved["00"]["transfers_by_time"][["tx_hash", "timestamp"]]
    assert "not all the columns" in _message("00", "transfers_by_time", cut)


def test_head_gets_advice_about_head_not_about_a_condition(solved):
    message = _message("04", "review_queue", solved["04"]["review_queue"].head())
    assert ".head()" in message
    assert ">=" not in message and "condition" not in message


def test_a_usd_total_is_called_a_usd_total(solved):
    assert "US dollars" in _message("00", "total_btc", solved["00"]["transfers"]["amount_usd"].sum())


def test_a_negative_fee_is_called_a_subtraction_the_wrong_way_round(solved):
    assert "wrong way round" in _message("01", "unconfirmed_fee", -solved["01"]["unconfirmed_fee"])


def test_any_negative_amount_of_the_right_size_is_told_its_sign(monkeypatch):
    exercise = Exercise("99", "fee", objective="A fee.", answer=Amount(unit="sat"), hints=["a", "b"])
    salt = "11" * 16
    monkeypatch.setattr(
        keys,
        "key_for",
        lambda exercise_id: {"salt": salt, "id": "99.fee", "answer": keys.digest(salt, "99.fee", "4500"), "size": None},
    )
    assert "wrong way round" in exercise.verdict(-4500).message
    assert "negative" in exercise.verdict(-12).message and "e-" not in exercise.verdict(-12).message


def test_ten_to_the_six_instead_of_ten_to_the_eight_is_named(solved):
    outputs = solved["01"]["outputs"]
    assert "100,000,000 satoshi" in _message("01", "largest_output_btc", outputs["value"].max() / 1_000_000)


def test_token_smallest_units_are_named(solved):
    ns = solved["02"]
    assert "smallest units" in _message(
        "02", "holder_balance_nusd", token_balance(ns["token_transfers"], ns["holder"], ns["nusd"])
    )


def test_a_lowercased_address_is_told_about_capital_letters(solved):
    assert "capital letters" in _message("01", "mistyped_address", solved["01"]["mistyped_address"].lower())


def test_several_ids_in_one_string_are_told_to_quote_each(solved):
    for value in ("NOTE-2, NOTE-3", ["NOTE-2, NOTE-3"]):
        message = _message("02", "valid_notes", value)
        assert "['NOTE-2', 'NOTE-3']" in message and "['NOTE-2, NOTE-3']" not in message


def test_amounts_are_never_in_scientific_notation():
    message = _message("01", "largest_output_btc", 1e20)
    assert "100,000,000,000,000,000,000 BTC" in message and "e+" not in message
    assert (
        plain_number(0.00000015) == "0.00000015"
        and plain_number(21_000_000) == "21,000,000"
        and plain_number(2.5) == "2.5"
    )


def test_grammar_of_form_messages():
    assert "not an int" in _message("01", "message_hash", 5)
    assert "one per address;" in _message("00", "sent_per_address", 5)
    assert (
        a_or_an("Series") == "a Series"
        and counted(1, "note ids") == "1 note id"
        and counted(2, "addresses") == "2 addresses"
    )
    assert singular("addresses") == "address" and singular("transfer ids") == "transfer id"


def test_one_word_seed_phrase_says_one_word():
    problem = check_seed_phrase("abandon").problem
    assert "it has 1 word," in problem and "word(s)" not in check_seed_phrase("abandon zzzz").problem


def test_a_size_message_uses_the_answer_s_own_noun(solved):
    message = _message("04", "exposed_accounts", ["A-0"])
    assert "1 account id," in message and "item(s)" not in message
