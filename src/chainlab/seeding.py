"""One way to draw random numbers: a named sub-stream of the seed, so that no two uses collide.

Every random draw in the package is `seeding.rng("name", seed)`. A stream's name is listed once in
STREAMS (a test checks each is used in one place), and it is turned into numbers by hashing, so two
names can never share a stream as numbered sub-streams did.
"""

from __future__ import annotations

import hashlib

import numpy as np

from . import cohort

STREAMS = {
    "m00.transfers": "the small transfer table of 00_getting_started",
    "m01.toychain": "the toy chain of 01_blockchain_fundamentals",
    "m02.seized_notes": "the seed phrases copied from seized notes in 02",
    "m02.case_picks": "the world's accounts and transactions that 02's exercises ask about",
    "m03.withdrawals": "the withdrawals screened in 03_legal_and_regulatory",
    "m03.transfers": "the travel-rule transfers of 03",
    "m03.register": "the VASP register of 03",
    "m04.customers": "the customers of 04_aml_monitoring_and_red_flags",
    "m04.alert_review": "the analysts' review of a monitoring rule's alerts in 04",
    "m06.change_puzzle": "the payments whose change is identified in 06_clustering_and_attribution",
    "m06.tag_notes": "the disputed address and dates of the tag notes of 06",
    "m06.fingerprint_example": "the payment whose change 06 finds by its wallet fingerprint",
    "m07.fee_example": "the EIP-1559 transaction whose fee 07_ethereum_defi_and_bridges splits into burned and tip",
    "widgets.seed_phrase": "the seed-phrase checker's example phrase",
    "widgets.address_validator": "the address validator's example addresses",
}


def stream_number(name: str) -> int:
    """A stable 64-bit number for a stream name."""
    if name not in STREAMS:
        raise KeyError(f"no random stream named {name!r}; add it to chainlab.seeding.STREAMS with what it draws")
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big")


def rng(name: str, seed: int | None = None) -> np.random.Generator:
    """The random generator of stream `name` under `seed` (default: the cohort's seed)."""
    return np.random.default_rng([cohort.seed() if seed is None else seed, stream_number(name)])
