"""The course's modules: slug, title and time estimate, in teaching order."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[2]
COURSE_START = pd.Timestamp("2024-03-04 08:00", tz="UTC")  # when the invented examples of 00 and 01 begin


@dataclass(frozen=True)
class Module:
    slug: str
    title: str
    minutes: int
    one_day_track: bool

    @property
    def number(self) -> str:
        return self.slug.split("_")[0]


MODULES = (
    Module("00_getting_started", "Using the lab", 45, True),
    Module("01_blockchain_fundamentals", "How a blockchain records value", 90, True),
    Module("02_crypto_assets_and_services", "What moves on chains and who handles it", 55, False),
    Module("03_legal_and_regulatory", "The rules VASPs and investigators work under", 90, True),
    Module("04_aml_monitoring_and_red_flags", "How exchanges detect laundering", 50, False),
    Module("05_tracing_the_money", "Following funds through a UTXO chain", 90, True),
    Module("06_clustering_and_attribution", "Who controls which addresses", 50, False),
    Module("07_ethereum_defi_and_bridges", "Tracing in the account model", 50, False),
    Module("08_crime_typologies", "Crime typologies: case labs", 40, False),
    Module("09_working_with_vasps", "Requests, preservation and returns: working with exchanges", 90, True),
    Module("10_capstone_investigation", "Capstone investigation: a case from complaint to evidence pack", 55, False),
)


def module(slug_or_number: str) -> Module:
    """Look a module up by slug (`01_blockchain_fundamentals`) or number (`01`)."""
    for candidate in MODULES:
        if slug_or_number in (candidate.slug, candidate.number):
            return candidate
    known = ", ".join(m.slug for m in MODULES)
    raise KeyError(f"No module {slug_or_number!r}. Known modules: {known}.")
