"""Address validator (introduced in 01_blockchain_fundamentals): paste an address, see which check it fails."""

from __future__ import annotations

import html

import ipywidgets as widgets

from .. import seeding
from ..chain import addresses
from ..chain.toychain import with_typo


def verdict_html(text: str) -> str:
    """What `chainlab.addresses.check` says about `text`, in green (valid) or red (which check fails)."""
    if not text.strip():
        return "Type or paste an address above: it starts with 1, 3, bc1 or 0x."
    result = addresses.check(text)
    if result.valid:
        note = (
            " It has no checksum (all one case), so a typo in it could not be detected."
            if "no checksum" in result.kind
            else " Every check passes."
        )
        return f"<span style='color:#1e7b34'><b>Valid {html.escape(result.kind)} address.</b>{note}</span>"
    return f"<span style='color:#a61b1b'><b>Not valid ({html.escape(result.kind)}):</b> {html.escape(result.problem)}.</span>"


def address_validator(example: str, seed: int = 1) -> widgets.VBox:
    """A text box checked as you type, a button that makes a one-character typo, and one that restores `example`."""
    rng = seeding.rng("widgets.address_validator", seed)
    box = widgets.Text(value=example, description="address", layout=widgets.Layout(width="80%"))
    typo = widgets.Button(
        description="Make a typo", tooltip="change one character at random", layout=widgets.Layout(width="auto")
    )
    reset = widgets.Button(description="Back to the example", layout=widgets.Layout(width="auto"))
    result = widgets.HTML()

    def refresh(_change=None) -> None:
        result.value = verdict_html(box.value)

    def make_typo(_button) -> None:
        try:
            box.value = with_typo(box.value.strip(), rng)
        except ValueError:
            result.value = "The box holds too little to make a typo in: press <b>Back to the example</b> first."

    def restore(_button) -> None:
        box.value = example

    box.observe(refresh, names="value")
    typo.on_click(make_typo)
    reset.on_click(restore)
    refresh()
    return widgets.VBox([box, widgets.HBox([typo, reset]), result])
