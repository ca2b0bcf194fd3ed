"""Hash avalanche (introduced in 01_blockchain_fundamentals): type two texts, see how different their SHA-256 hashes are."""

from __future__ import annotations

from dataclasses import dataclass

import ipywidgets as widgets

from ..chain.toychain import sha256_hex

HASH_BITS = 256


@dataclass(frozen=True)
class HashComparison:
    """Two texts' SHA-256 hashes, and how much they differ."""

    hash_a: str
    hash_b: str
    changed_digits: tuple[int, ...]  # positions (0 to 63) of the hex digits that differ
    changed_bits: int  # how many of the 256 bits differ


def changed_digits(hex_a: str, hex_b: str) -> tuple[int, ...]:
    """The positions where two hex strings of the same length differ."""
    return tuple(i for i, (a, b) in enumerate(zip(hex_a, hex_b)) if a != b)


def changed_bits(hex_a: str, hex_b: str) -> int:
    """How many bits differ between two hex numbers."""
    return bin(int(hex_a, 16) ^ int(hex_b, 16)).count("1")


def compare_texts(text_a: str, text_b: str) -> HashComparison:
    """Hash both texts with SHA-256 and measure the difference."""
    hash_a, hash_b = sha256_hex(text_a), sha256_hex(text_b)
    return HashComparison(hash_a, hash_b, changed_digits(hash_a, hash_b), changed_bits(hash_a, hash_b))


def comparison_html(comparison: HashComparison) -> str:
    """The two hashes, one above the other, with the differing hex digits of the second in red."""
    marked = "".join(
        f"<span style='color:#c0392b;font-weight:bold'>{digit}</span>" if i in comparison.changed_digits else digit
        for i, digit in enumerate(comparison.hash_b)
    )
    if not comparison.changed_digits:
        verdict = "The two texts are identical, so their hashes are identical too."
    else:
        verdict = (
            f"<b>{len(comparison.changed_digits)} of {len(comparison.hash_a)}</b> hex digits and "
            f"<b>{comparison.changed_bits} of {HASH_BITS}</b> bits changed."
        )
    return (
        f"<pre style='margin:0'>first : {comparison.hash_a}\nsecond: {marked}</pre>"
        f"<p style='margin:0.3em 0'>{verdict}</p>"
    )


def hash_avalanche(first: str = "Send 1 BTC to Alice", second: str = "Send 2 BTC to Alice") -> widgets.VBox:
    """Two text boxes; under them, both SHA-256 hashes with the changed digits marked, updated as you type."""
    box_a = widgets.Text(
        value=first,
        description="first text",
        style={"description_width": "initial"},
        layout=widgets.Layout(width="70%"),
    )
    box_b = widgets.Text(
        value=second,
        description="second text",
        style={"description_width": "initial"},
        layout=widgets.Layout(width="70%"),
    )
    result = widgets.HTML()

    def refresh(_change=None) -> None:
        try:
            result.value = comparison_html(compare_texts(box_a.value, box_b.value))
        except UnicodeEncodeError:
            result.value = "<b>That text holds a character that cannot be hashed as UTF-8.</b> Delete it, or retype it."

    box_a.observe(refresh, names="value")
    box_b.observe(refresh, names="value")
    refresh()
    return widgets.VBox([box_a, box_b, result])
