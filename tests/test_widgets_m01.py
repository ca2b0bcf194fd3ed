"""The widgets of 01_blockchain_fundamentals: their pure logic, and their callbacks driven as a learner would."""

from __future__ import annotations

import re

import pytest

from chainlab.chain import addresses, toychain
from chainlab.widgets import address_validator, hash_avalanche, tamper_chain
from chainlab.widgets.address_validator import verdict_html
from chainlab.widgets.hash_avalanche import changed_bits, changed_digits, compare_texts, comparison_html
from chainlab.widgets.tamper_chain import broken_links, chain_html, changed_hashes, summary

RED_DIGIT = "<span style='color:#c0392b;font-weight:bold'>"


@pytest.fixture(scope="module")
def chain():
    return toychain.build(5)


def test_changed_digits_and_bits_count_the_differences():
    assert changed_digits("00ff", "00ff") == () and changed_bits("00ff", "00ff") == 0
    assert changed_digits("00ff", "01fe") == (1, 3)
    assert changed_bits("00ff", "01fe") == 2
    assert changed_bits("0", "f") == 4


def test_one_changed_character_changes_the_hash_beyond_recognition():
    same = compare_texts("Send 1 BTC to Alice", "Send 1 BTC to Alice")
    assert same.hash_a == same.hash_b == toychain.sha256_hex("Send 1 BTC to Alice") and same.changed_bits == 0
    other = compare_texts("Send 1 BTC to Alice", "Send 2 BTC to Alice")
    assert len(other.changed_digits) > 48  # of 64
    assert 64 < other.changed_bits < 192  # of 256


def test_comparison_html_marks_exactly_the_changed_digits():
    comparison = compare_texts("a", "b")
    assert comparison_html(comparison).count(RED_DIGIT) == len(comparison.changed_digits)
    assert "identical" in comparison_html(compare_texts("a", "a"))


def test_hash_avalanche_updates_as_the_learner_types():
    panel = hash_avalanche("x", "x")
    first, second, result = panel.children
    assert "identical" in result.value
    second.value = "y"
    assert f"{len(compare_texts('x', 'y').changed_digits)} of 64" in result.value
    second.value = "\ud800"  # a lone surrogate cannot be encoded as UTF-8
    assert "cannot be hashed" in result.value


def test_verdict_names_the_failing_check(chain):
    good = chain.example_address
    assert "Valid" in verdict_html(good)
    typo = good[:-1] + ("2" if good[-1] != "2" else "3")
    assert "checksum" in verdict_html(typo) and "Not valid" in verdict_html(typo)
    assert "never uses the character(s) &#x27;l&#x27;" in verdict_html("1" + "l" * 33)
    assert "no checksum" in verdict_html("0x" + "ab" * 20)
    assert "Type or paste" in verdict_html("   ")


def test_the_typo_button_breaks_the_address_and_the_reset_button_restores_it(chain):
    panel = address_validator(chain.example_address)
    box, (typo, reset), result = panel.children[0], panel.children[1].children, panel.children[2]
    typo.click()
    assert box.value != chain.example_address and not addresses.is_valid(box.value)
    assert "Not valid" in result.value
    reset.click()
    assert box.value == chain.example_address and "Valid" in result.value
    box.value = ""
    typo.click()  # nothing to change: a message, not a traceback
    assert "too little" in result.value


def test_tampering_breaks_every_later_link_and_changes_every_later_hash(chain):
    original = chain.blocks
    assert broken_links(original, original) == [] and changed_hashes(original, original) == []
    tampered = toychain.rewrite(original, 4, 0, 0, 7)
    last = original[-1].height
    assert changed_hashes(original, tampered) == list(range(4, last + 1))
    assert broken_links(original, tampered) == list(range(5, last + 1))
    text = summary(original, tampered)
    assert f"{last - 3} block(s)" in text and f"{last - 4} link(s)" in text
    assert chain_html(original, tampered).count("&#x2717;") == last - 4
    newest = toychain.rewrite(original, last, 0, 0, 7)
    assert broken_links(original, newest) == [] and "the newest one" in summary(original, newest)
    assert "Nothing is changed" in summary(original, original)


def test_tamper_panel_reacts_to_a_new_value_and_resets_when_another_block_is_picked(chain):
    panel = tamper_chain(chain)
    block_pick, output_pick, new_value, picture, words = panel.children
    assert "Nothing is changed" in words.value
    new_value.value += 100_000_000
    changed = int(re.search(r"<b>(\d+) block\(s\)</b>", words.value).group(1))
    assert changed == chain.tip_height - block_pick.value + 1
    block_pick.value = 1
    assert "Nothing is changed" in words.value
    transaction_index, output_index = output_pick.value
    assert new_value.value == chain.blocks[1].transactions[transaction_index].outputs[output_index].value
