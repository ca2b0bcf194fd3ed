"""World profiles (how big a world is) and seeded random sub-streams."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np

WORLD_START = np.datetime64("2024-05-01T00:00:00", "s")


@dataclass(frozen=True)
class Profile:
    """How big a world is: its span, its population and its traffic."""

    name: str
    days: int
    retail_users: int
    merchants: int
    retail_daily_activity: float  # chance that a retail wallet with coins spends on a given day
    withdrawal_batches_per_day: int  # per exchange hot wallet
    eth_users: int
    eth_daily_transfers: int


PROFILES = {
    "classroom": Profile(
        "classroom",
        days=90,
        retail_users=1_500,
        merchants=45,
        retail_daily_activity=0.2,
        withdrawal_batches_per_day=6,
        eth_users=400,
        eth_daily_transfers=60,
    ),
    "large": Profile(
        "large",
        days=90,
        retail_users=50_000,
        merchants=1_300,
        retail_daily_activity=0.2,
        withdrawal_batches_per_day=96,
        eth_users=4_000,
        eth_daily_transfers=900,
    ),
}


def profile(name: str) -> Profile:
    """The profile called `name`; a KeyError lists the known ones."""
    try:
        return PROFILES[name]
    except KeyError:
        raise KeyError(f"unknown profile {name!r}; known profiles: {', '.join(PROFILES)}") from None


def stream(seed: int, name: str) -> np.random.Generator:
    """An independent random stream for one part of the world, so adding a part reshuffles no other."""
    key = int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big")
    return np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(key,)))
