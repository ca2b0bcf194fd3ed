"""The case of 05_tracing_the_money: a ransomware victim's complaint, and the exchanges' addresses a tracer stops at.

Everything comes from the world's public tables (`complaints`, `tags`, `exchanges`), never from its answer keys,
so the notebook's answers can be rebuilt from the data whatever the seed.
"""

from __future__ import annotations

import pandas as pd

from ..data import load


def complaint(profile: str = "classroom", seed: int | None = None) -> pd.Series:
    """The complaint that opens the case: the first ransomware report filed (one row of `complaints`)."""
    reports = load("complaints", profile, seed)
    ransomware = reports[reports["typology"] == "ransomware"].sort_values(["filed_at", "complaint_id"])
    if ransomware.empty:
        raise LookupError("this world has no ransomware complaint; module 05 needs the world's ransomware case (RW-1).")
    return ransomware.iloc[0]


def exchange_names(profile: str = "classroom", seed: int | None = None) -> pd.Series:
    """Every address the public tags call an exchange's, with the exchange's name (index: address; values: name).

    A tag's label names the exchange and sometimes the kind of address ("Meridian Vault deposit",
    "Meridian Vault hot wallet"); the name kept is the exchange's as the `exchanges` table spells it.
    """
    tags = load("tags", profile, seed)
    known = load("exchanges", profile, seed)["exchange"]
    exchange_tags = tags[(tags["category"] == "exchange") & (tags["chain"] == "bitcoin")]
    names = pd.Series(pd.NA, index=exchange_tags.index, dtype="object")
    for name in sorted(
        known, key=len, reverse=True
    ):  # longest first, so one name that starts another cannot steal its tags
        names = names.where(names.notna() | ~exchange_tags["label"].str.startswith(name), name)
    named = pd.Series(names.to_numpy(), index=exchange_tags["address"].to_numpy(), name="exchange").dropna()
    return named[~named.index.duplicated()].rename_axis("address")


def chain_through(chains: pd.DataFrame, trace_table: pd.DataFrame) -> pd.DataFrame:
    """The steps of the peel chain (rows of `find_peel_chains`) that a trace passes through first; empty if none."""
    met = trace_table.sort_values("hop", kind="stable")["transaction_hash"]
    numbers = chains.set_index("transaction_hash")["chain"].reindex(met).dropna()
    return chains[chains["chain"] == numbers.iloc[0]] if len(numbers) else chains.iloc[:0]
