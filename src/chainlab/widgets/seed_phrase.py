"""Seed-phrase checker (introduced in 02_crypto_assets_and_services): type a phrase, see which BIP-39 check it fails.

The logic is `checks_html` (a pure function the tests call); the widget only collects the text and shows that HTML.
"""

from __future__ import annotations

import html

import ipywidgets as widgets

from .. import seeding
from ..chain.seed_phrases import bip39_words, check_seed_phrase, new_seed_phrase

PASS, FAIL, NOT_RUN = ("#1e7b34", "passes"), ("#a61b1b", "FAILS"), ("#555555", "not checked yet")


def checks_html(text: str) -> str:
    """The three BIP-39 checks of `text`, one line each (passes, FAILS or not checked yet), then the verdict."""
    if not text.strip():
        return "Type or paste a seed phrase above: words separated by spaces."
    result = check_seed_phrase(text)
    lines = [
        ("every word is in the BIP-39 English list", PASS if not result.unknown_words else FAIL),
        (f"the number of words ({len(result.words)}) is 12, 15, 18, 21 or 24", PASS if result.count_ok else FAIL),
        ("the checksum matches", NOT_RUN if result.checksum_ok is None else PASS if result.checksum_ok else FAIL),
    ]
    items = "".join(
        f"<li>{html.escape(what)}: <b style='color:{colour}'>{outcome}</b></li>" for what, (colour, outcome) in lines
    )
    if result.valid:
        verdict = f"<span style='color:#1e7b34'><b>Valid seed phrase</b> of {len(result.words)} words.</span>"
    else:
        verdict = f"<span style='color:#a61b1b'><b>Not valid:</b> {html.escape(result.problem)}</span>"
    return f"<ul style='margin:0.2em 0'>{items}</ul>{verdict}"


def seed_phrase_checker(example: str, seed: int = 2) -> widgets.VBox:
    """A text box checked as you type; buttons that change one word, drop one word, make a new valid phrase, or restore `example`."""
    rng = seeding.rng("widgets.seed_phrase", seed)
    box = widgets.Textarea(value=example, description="phrase", layout=widgets.Layout(width="90%", height="4.5em"))
    change = widgets.Button(
        description="Change one word",
        tooltip="replace one word by another word of the list",
        layout=widgets.Layout(width="auto"),
    )
    drop = widgets.Button(description="Drop one word", layout=widgets.Layout(width="auto"))
    fresh = widgets.Button(
        description="New valid phrase",
        tooltip="a fresh random 12-word phrase (it protects nothing)",
        layout=widgets.Layout(width="auto"),
    )
    reset = widgets.Button(description="Back to the example", layout=widgets.Layout(width="auto"))
    result = widgets.HTML()

    def refresh(_change=None) -> None:
        result.value = checks_html(box.value)

    def edit(replace_word: bool) -> None:
        words = box.value.split()
        if not words:
            result.value = "The box is empty: press <b>Back to the example</b> or <b>New valid phrase</b> first."
            return
        at = int(rng.integers(len(words)))
        replacement = [bip39_words()[int(rng.integers(len(bip39_words())))]] if replace_word else []
        box.value = " ".join(words[:at] + replacement + words[at + 1 :])

    change.on_click(lambda _button: edit(True))
    drop.on_click(lambda _button: edit(False))
    fresh.on_click(lambda _button: setattr(box, "value", new_seed_phrase(rng)))
    reset.on_click(lambda _button: setattr(box, "value", example))
    box.observe(refresh, names="value")
    refresh()
    return widgets.VBox([box, widgets.HBox([change, drop, fresh, reset]), result])
