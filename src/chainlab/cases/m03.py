"""Seeded case tables for 03_legal_and_regulatory: transfers to judge, a VASP register, a withdrawal queue, requests to route.

Everything here is invented; names are fictional. The withdrawal queue reads the synthetic world
(sanctions list and chain) through `chainlab.load`. The seed is the cohort's (see `chainlab.cohort`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import cohort
from ..analysis.exposure import one_transaction_away

SENDING_VASP = "Kestrel Coin Markets"
CASE_DAY = pd.Timestamp("2024-06-15")  # the day of the deposit whose exchange the learner checks in the register
REGISTER_SNAPSHOT = pd.Timestamp("2024-07-31")  # the registers as they stood on this day


def _rng(seed_value: int | None, stream: int) -> np.random.Generator:
    return np.random.default_rng([cohort.seed() if seed_value is None else seed_value, stream])


def transfers_to_judge(seed_value: int | None = None) -> pd.DataFrame:
    """Twelve outgoing crypto transfers of an EU exchange, in EUR, to another VASP or to a self-hosted wallet."""
    rng = _rng(seed_value, 1)
    # Amounts on both sides of the thresholds (FATF: 1,000 or more; EU self-hosted check: over 1,000).
    edges = [(1000.00, "vasp"), (999.99, "vasp"), (1000.00, "self_hosted"), (1000.01, "self_hosted")]
    others = [(round(float(rng.lognormal(np.log(1200), 1.0)), 2), str(rng.choice(["vasp", "self_hosted"]))) for _ in range(8)]
    rows = [edges[i] for i in rng.permutation(len(edges))] + others
    rows = [rows[i] for i in rng.permutation(len(rows))]
    counterparty_vasps = ["Harbourline Exchange", "Bluewater Digital Assets", "Nordlicht Krypto", "Meridian Vault"]
    return pd.DataFrame({
        "transfer_id": [f"TR-{i + 1:02d}" for i in range(len(rows))],
        "sending_vasp": SENDING_VASP,
        "counterparty": [kind for _, kind in rows],
        "counterparty_name": [str(rng.choice(counterparty_vasps)) if kind == "vasp" else "self-hosted wallet" for _, kind in rows],
        "amount_eur": [amount for amount, _ in rows],
    })


FICTIONAL_ENTRIES = (  # register, entry id, name, country, status, first day in force
    ("AMF PSAN register", "E2022-041", "Puffin Ledger SAS", "France", "registered", "2022-03-08"),
    ("OAM register, virtual-currency section", "PSV-1187", "Gondola Cripto S.r.l.", "Italy", "registered", "2022-07-19"),
    ("Banco de España register", "D901", "Alcazaba Activos Digitales S.L.", "Spain", "registered", "2022-02-14"),
    ("BSP VASP registry", "VASP-2021-07", "Sampaguita Coin Exchange Inc.", "Philippines", "registered", "2021-11-30"),
    ("FCA cryptoasset register", "HX-0420", "Harbourline Exchanges Ltd", "United Kingdom", "registered", "2022-05-03"),
    ("BaFin crypto custody licence", "NK-13", "Nordlicht Krypto Verwahrung GmbH", "Germany", "licensed", "2021-09-21"),
    ("Seychelles register (fictional)", "SC-0777", "Meridian Vault Ltd", "Seychelles", "registered", "2023-01-10"),
)


def vasp_register(seed_value: int | None = None) -> pd.DataFrame:
    """National VASP registers as they stood on REGISTER_SNAPSHOT: one row per entry, with the days it was in force.

    Holds the entries that the world's exchanges cite (`exchanges.register_entry`) and fictional
    firms with look-alike names; for one exchange the entry was withdrawn before CASE_DAY, and
    another was registered only after it (which ones depends on the seed).
    """
    from .. import load

    rng = _rng(seed_value, 2)
    exchanges = load("exchanges", seed=seed_value)
    cited = exchanges[exchanges["register_entry"].str.contains("fictional entry")]
    withdrawn, late = rng.choice(len(cited), size=2, replace=False)
    rows = []
    for position, (_, exchange) in enumerate(cited.iterrows()):
        register, entry = exchange["register_entry"].split(" (fictional entry ")
        first = CASE_DAY - pd.Timedelta(days=int(rng.integers(400, 1200)))
        until, status = pd.NaT, "registered"
        if position == withdrawn:
            until, status = CASE_DAY - pd.Timedelta(days=int(rng.integers(5, 40))), "withdrawn"
        if position == late:
            first = CASE_DAY + pd.Timedelta(days=int(rng.integers(3, 40)))
        rows.append((register, entry.rstrip(")"), exchange["exchange"], exchange["jurisdiction"], status, first, until))
    for register, entry, name, country, status, first in FICTIONAL_ENTRIES:
        rows.append((register, entry, name, country, status, pd.Timestamp(first), pd.NaT))
    table = pd.DataFrame(rows, columns=["register", "entry_id", "vasp_name", "country", "status", "in_force_from", "in_force_until"])
    return table.sort_values(["register", "vasp_name"]).reset_index(drop=True)


def withdrawal_requests(seed_value: int | None = None) -> pd.DataFrame:
    """Withdrawal requests sent to one exchange over the world's 90 days, to be screened against the sanctions list.

    Destinations: listed addresses (before their listing, while listed, after a delisting), addresses one
    and two transactions away from a listed address, and ordinary customers' withdrawal addresses.
    """
    from .. import load

    rng = _rng(seed_value, 3)
    sanctions = load("sanctions", seed=seed_value)
    inputs, outputs = load("inputs", seed=seed_value), load("outputs", seed=seed_value)
    ledger = load("exchange_ledger", seed=seed_value)
    listed = set(sanctions["address"])
    one_hop = one_transaction_away(listed, inputs, outputs)
    two_hop = one_transaction_away(one_hop | listed, inputs, outputs) - one_hop
    day = pd.Timedelta(days=1)

    requests: list[tuple[pd.Timestamp, str]] = []
    for _, entry in sanctions.iterrows():
        if pd.notna(entry["delisted_at"]):  # a delisted entry: a request while listed, and one after
            requests += [(entry["delisted_at"] - int(rng.integers(2, 6)) * day, entry["address"]),
                         (entry["delisted_at"] + int(rng.integers(20, 40)) * day, entry["address"])]
    in_force = sanctions[sanctions["delisted_at"].isna()].sort_values("address")
    first, second = in_force.iloc[0], in_force.iloc[-1]
    requests += [(first["listed_at"] - int(rng.integers(3, 8)) * day, first["address"]),  # before its listing
                 (second["listed_at"] + int(rng.integers(5, 12)) * day, second["address"])]
    received = outputs[outputs["address"].isin(one_hop | two_hop)].groupby("address")["block_timestamp"].min()
    for address in sorted(one_hop) + sorted(two_hop)[:2]:
        requests.append((received[address] + int(rng.integers(3, 30)) * day, address))
    ordinary = sorted(set(ledger[ledger["direction"] == "withdrawal"]["address"]) - listed - one_hop - two_hop)
    start, end = outputs["block_timestamp"].min(), outputs["block_timestamp"].max()
    for address in rng.choice(ordinary, size=14, replace=False):
        requests.append((start + (end - start) * float(rng.uniform(0.02, 0.98)), str(address)))

    table = pd.DataFrame(requests, columns=["requested_at", "destination"])
    table["requested_at"] = table["requested_at"].dt.floor("s") + pd.to_timedelta(rng.integers(0, 86_400, len(table)), unit="s")
    table = table.sort_values("requested_at").reset_index(drop=True)
    table.insert(0, "request_id", [f"WR-{i + 1:03d}" for i in range(len(table))])
    table.insert(1, "exchange", SENDING_VASP)
    table.insert(2, "account_id", [f"KC-{n:05d}" for n in rng.choice(90_000, size=len(table), replace=False) + 10_000])
    table["amount_btc"] = np.round(rng.lognormal(np.log(0.3), 1.0, len(table)), 4)
    return table


SCENARIOS = (  # id, situation, life at risk, goal, data, provider, both in EU, both Budapest Parties, Protocol in force for both
    ("S1", "A kidnapper holds a victim and demands bitcoin; the family paid into an account at a VASP abroad. You need the account holder's identity now.",
     True, "obtain", "subscriber", "abroad", False, True, False),
    ("S2", "Investment fraud: you need the KYC file of the customer behind a deposit address at a VASP in your own country.",
     False, "obtain", "subscriber", "domestic", False, True, False),
    ("S3", "The suspect's account at a VASP abroad may be closed and its records deleted before you can get a court order. Both countries are Parties to the Budapest Convention.",
     False, "preserve", "transactions", "abroad", False, True, False),
    ("S4", "You need an account's login records (IP addresses) from a VASP abroad. Both countries are Parties to the Budapest Convention; the Second Additional Protocol is not in force between them.",
     False, "obtain", "transactions", "abroad", False, True, False),
    ("S5", "You need the name and address of an account holder at a VASP abroad, in a country where the Second Additional Protocol is in force, as it is in yours.",
     False, "obtain", "subscriber", "abroad", False, True, True),
    ("S6", "Your country and the VASP's are both EU member states (the case is from December 2026); you need the account's deposits and withdrawals.",
     False, "obtain", "transactions", "abroad", True, True, False),
    ("S7", "You need the messages a suspect exchanged with the support desk of a VASP abroad; that country is not a Party to the Budapest Convention.",
     False, "obtain", "content", "abroad", False, False, False),
    ("S8", "A VASP in your own country may delete an account's records under its retention policy before your order is signed.",
     False, "preserve", "transactions", "domestic", False, True, False),
    ("S9", "You need the name of an account holder at a VASP abroad. Your country has ratified the Second Additional Protocol; the VASP's country has only signed it.",
     False, "obtain", "subscriber", "abroad", False, True, False),
)


def request_scenarios() -> pd.DataFrame:
    """Nine situations an investigator meets, with the facts that decide the legal instrument."""
    return pd.DataFrame(SCENARIOS, columns=["scenario_id", "situation", "life_at_risk", "goal", "data", "provider",
                                            "both_in_eu", "both_budapest_parties", "protocol_in_force_for_both"])
