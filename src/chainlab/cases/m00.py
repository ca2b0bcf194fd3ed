"""The case of 00_getting_started: a small seeded table of bitcoin transfers.

They are invented: the addresses are valid in form but random, and belong to no one.
The seed is the cohort's (see `chainlab.cohort`): an instructor may give a cohort its own data.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import cohort
from ..chain.addresses import random_addresses
from ..chain.units import SATOSHI_PER_BTC
from ..course import COURSE_START

USD_PER_BTC = 65_000


def transfers(rows: int = 40, seed_value: int | None = None) -> pd.DataFrame:
    """A small table of bitcoin transfers between a handful of addresses, as a block explorer exports it."""
    rng = np.random.default_rng(cohort.seed() if seed_value is None else seed_value)
    people = random_addresses(rng, 8)
    senders = rng.choice(len(people), size=rows, p=_weights(rng, len(people)))
    receivers = (senders + rng.integers(1, len(people), size=rows)) % len(people)
    gaps = rng.exponential(scale=5.0, size=rows).cumsum()
    amounts_sat = np.round(rng.lognormal(mean=np.log(0.4e8), sigma=1.2, size=rows), -3).astype("int64")
    table = pd.DataFrame(
        {
            "tx_hash": [rng.bytes(32).hex() for _ in range(rows)],
            "timestamp": COURSE_START + pd.to_timedelta(np.round(gaps * 3600), unit="s"),
            "from_address": [people[i] for i in senders],
            "to_address": [people[i] for i in receivers],
            "amount_btc": amounts_sat / SATOSHI_PER_BTC,
        }
    )
    table["amount_usd"] = (table["amount_btc"] * USD_PER_BTC).round(2)
    # Shuffle the rows, so that sorting by time is a real step.
    return table.sample(frac=1.0, random_state=int(rng.integers(2**31))).reset_index(drop=True)


def _weights(rng: np.random.Generator, count: int) -> np.ndarray:
    raw = rng.dirichlet(np.ones(count) * 0.8)
    return raw / raw.sum()
