"""The case of 01_blockchain_fundamentals: a tiny invented blockchain to read and to tamper with."""

from __future__ import annotations

from ..chain.toychain import ToyChain, build


def toy_chain(seed: int | None = None) -> ToyChain:
    """The module's ten-block toy chain, drawn from `seed` (default: the cohort's), with a mistyped address to find."""
    return build(seed)
