"""Tamper with a block (introduced in 01_blockchain_fundamentals): change one amount, watch every later link break."""

from __future__ import annotations

import ipywidgets as widgets

from ..chain.toychain import WORK_PREFIX, Block, ToyChain, rewrite
from ..chain.units import MAX_BTC, SATOSHI_PER_BTC
from .checked_box import CheckedBox, whole_number

MAX_SATOSHI = MAX_BTC * SATOSHI_PER_BTC  # no amount can exceed all the bitcoin there will ever be


def changed_hashes(original: tuple[Block, ...], rewritten: tuple[Block, ...]) -> list[int]:
    """The heights of the blocks whose hash is no longer the one every honest copy recorded."""
    return [new.height for old, new in zip(original, rewritten) if old.hash != new.hash]


def broken_links(original: tuple[Block, ...], rewritten: tuple[Block, ...]) -> list[int]:
    """The heights of the blocks whose recorded link (the previous hash in the honest copy) no longer fits the block before."""
    return [original[h].height for h in range(1, len(original)) if original[h].previous_hash != rewritten[h - 1].hash]


def summary(original: tuple[Block, ...], rewritten: tuple[Block, ...]) -> str:
    """One paragraph on what the change did to hashes, links and proof of work."""
    changed = changed_hashes(original, rewritten)
    if not changed:
        return "Nothing is changed yet: every hash and every link is as every copy of the chain recorded it. Type a new value."
    broken = broken_links(original, rewritten)
    unworked = [b.height for b in rewritten if not b.has_proof_of_work]
    if changed[0] == rewritten[-1].height:
        story = f"You changed block {changed[0]}, the newest one: its hash changed, so it no longer matches any honest copy."
    else:
        story = (
            f"You changed block {changed[0]}. Its hash changed, so the next block's link to it broke; "
            "pointing that block at the new hash changed its hash in turn, and so on to the newest block."
        )
    return (
        f"{story} <b>{len(changed)} block(s)</b> now differ from every honest copy, <b>{len(broken)} link(s)</b> no longer match those copies, "
        f"and <b>{len(unworked)} block(s)</b> lack their proof of work (a hash starting with {WORK_PREFIX}): the forger would have to mine them all again."
    )


def chain_html(original: tuple[Block, ...], rewritten: tuple[Block, ...]) -> str:
    """The rewritten chain as a row of boxes: red where a hash changed or a link broke."""
    changed, broken = set(changed_hashes(original, rewritten)), set(broken_links(original, rewritten))
    parts = []
    for block in rewritten:
        if block.height:
            ok = block.height not in broken
            parts.append(
                f"<div style='align-self:center;font-size:1.4em;color:{'#1e7b34' if ok else '#c0392b'}'>{'&larr;' if ok else '&#x2717;'}</div>"
            )
        colour = "#fdecea" if block.height in changed else "#e6f4ea"
        work = "proof of work &#x2713;" if block.has_proof_of_work else "<b>no proof of work</b>"
        parts.append(
            f"<div style='background:{colour};border:1px solid #999;padding:4px 6px;font-family:monospace;font-size:0.85em'>"
            f"<b>block {block.height}</b><br>prev {block.previous_hash[:8]}&hellip;<br>hash {block.hash[:8]}&hellip;<br>{work}</div>"
        )
    return f"<div style='display:flex;flex-wrap:wrap;gap:4px'>{''.join(parts)}</div>"


def tamper_chain(chain: ToyChain) -> widgets.VBox:
    """Pick a block and one of its outputs, type a new value in satoshi, and see the chain's links react."""
    original = chain.blocks
    block_pick = widgets.Dropdown(
        options=[(f"block {b.height}", b.height) for b in original],
        value=original[len(original) // 2].height,
        description="block",
    )
    output_pick = widgets.Dropdown(description="output", layout=widgets.Layout(width="90%"))
    new_value = CheckedBox(
        0,
        lambda text: whole_number(text, "satoshi", 0, MAX_SATOSHI),
        description="new value (sat)",
        layout=widgets.Layout(width="22em"),
    )
    picture, words = widgets.HTML(), widgets.HTML()

    def list_outputs(_change=None) -> None:
        block = original[block_pick.value]
        output_pick.options = [
            (f"transaction {t.hash[:8]}..., output {n}: {o.value:,} sat to {o.address}", (ti, n))
            for ti, t in enumerate(block.transactions)
            for n, o in enumerate(t.outputs)
        ]
        output_pick.index = 0
        reset_value()  # also when the first output was already selected, which fires no change

    def reset_value(_change=None) -> None:
        transaction_index, output_index = output_pick.value
        new_value.value = original[block_pick.value].transactions[transaction_index].outputs[output_index].value
        refresh()

    def refresh(_change=None) -> None:
        transaction_index, output_index = output_pick.value
        rewritten = rewrite(original, block_pick.value, transaction_index, output_index, new_value.value)
        picture.value = chain_html(original, rewritten)
        words.value = f"<p>{summary(original, rewritten)}</p>"

    block_pick.observe(list_outputs, names="value")
    output_pick.observe(reset_value, names="value")
    new_value.observe(refresh, names="value")
    list_outputs()
    return widgets.VBox([block_pick, output_pick, new_value, picture, words])
