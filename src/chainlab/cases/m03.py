"""Case tables for 03_legal_and_regulatory: seeded transfers to judge, a VASP register and a withdrawal queue; fixed
requests to route, seizure requests, evidence exports, channels abroad, sanctions listings and Korean transfers.

Everything here is invented; names are fictional. The withdrawal queue reads the synthetic world
(sanctions list and chain) through `chainlab.load`. The seed is the cohort's (see `chainlab.cohort`).
"""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd

from .. import seeding
from ..analysis.exposure import one_transaction_away
from ..rules.legal import SCENARIO_COLUMNS

SENDING_VASP = "Kestrel Coin Markets"
CASE_DAY = pd.Timestamp("2024-06-15")  # the day of the deposit whose exchange the learner checks in the register
REGISTER_SNAPSHOT = pd.Timestamp("2024-07-31")  # the registers as they stood on this day


def transfers_to_judge(seed: int | None = None) -> pd.DataFrame:
    """Twelve outgoing crypto transfers of an EU exchange, in EUR, to another VASP or to a self-hosted wallet."""
    rng = seeding.rng("m03.transfers", seed)
    # Amounts on both sides of the thresholds (FATF: 1,000 or more; EU self-hosted check: over 1,000), and a transfer to
    # a VASP well over them, so that leaving out the counterparty condition always shows.
    edges = [(1000.00, "vasp"), (999.99, "vasp"), (1000.00, "self_hosted"), (1000.01, "self_hosted"), (1500.00, "vasp")]
    others = [
        (round(float(rng.lognormal(np.log(1200), 1.0)), 2), str(rng.choice(["vasp", "self_hosted"]))) for _ in range(7)
    ]
    rows = [edges[i] for i in rng.permutation(len(edges))] + others
    rows = [rows[i] for i in rng.permutation(len(rows))]
    counterparty_vasps = ["Harbourline Exchange", "Bluewater Digital Assets", "Nordlicht Krypto", "Meridian Vault"]
    return pd.DataFrame(
        {
            "transfer_id": [f"TR-{i + 1:02d}" for i in range(len(rows))],
            "sending_vasp": SENDING_VASP,
            "counterparty": [kind for _, kind in rows],
            "counterparty_name": [
                str(rng.choice(counterparty_vasps)) if kind == "vasp" else "self-hosted wallet" for _, kind in rows
            ],
            "amount_eur": [amount for amount, _ in rows],
        }
    )


FICTIONAL_ENTRIES = (  # register, entry id, name, country, status, first day in force
    ("AMF PSAN register", "E2022-041", "Puffin Ledger SAS", "France", "registered", "2022-03-08"),
    (
        "OAM register, virtual-currency section",
        "PSV-1187",
        "Gondola Cripto S.r.l.",
        "Italy",
        "registered",
        "2022-07-19",
    ),
    ("Banco de España register", "D901", "Alcazaba Activos Digitales S.L.", "Spain", "registered", "2022-02-14"),
    ("BSP VASP registry", "VASP-2021-07", "Sampaguita Coin Exchange Inc.", "Philippines", "registered", "2021-11-30"),
    ("FCA cryptoasset register", "HX-0420", "Harbourline Exchanges Ltd", "United Kingdom", "registered", "2022-05-03"),
    ("BaFin crypto custody licence", "NK-13", "Nordlicht Krypto Verwahrung GmbH", "Germany", "licensed", "2021-09-21"),
    ("Seychelles register (fictional)", "SC-0777", "Meridian Vault Ltd", "Seychelles", "registered", "2023-01-10"),
)


def vasp_register(seed: int | None = None) -> pd.DataFrame:
    """National VASP registers as they stood on REGISTER_SNAPSHOT: one row per entry, with the days it was in force.

    Holds the entries that the world's exchanges cite (`exchanges.register_entry`) and fictional
    firms with look-alike names; for one exchange the entry was withdrawn before CASE_DAY, and
    another was registered only after it (which ones depends on the seed).
    """
    from .. import load

    rng = seeding.rng("m03.register", seed)
    exchanges = load("exchanges", seed=seed)
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
    table = pd.DataFrame(
        rows, columns=["register", "entry_id", "vasp_name", "country", "status", "in_force_from", "in_force_until"]
    )
    return table.sort_values(["register", "vasp_name"]).reset_index(drop=True)


def withdrawal_requests(seed: int | None = None) -> pd.DataFrame:
    """Withdrawal requests sent to one exchange over the world's 90 days, to be screened against the sanctions list.

    Destinations: listed addresses (before their listing, while listed, after a delisting), addresses one
    and two transactions away from a listed address, and ordinary customers' withdrawal addresses.
    """
    from .. import load

    rng = seeding.rng("m03.withdrawals", seed)
    sanctions = load("sanctions", seed=seed)
    inputs, outputs = load("inputs", seed=seed), load("outputs", seed=seed)
    ledger = load("exchange_ledger", seed=seed)
    listed = set(sanctions["address"])
    one_hop = one_transaction_away(listed, inputs, outputs)
    two_hop = one_transaction_away(one_hop | listed, inputs, outputs) - one_hop
    day = pd.Timedelta(days=1)

    requests: list[tuple[pd.Timestamp, str]] = []
    for _, entry in sanctions.iterrows():
        if pd.notna(entry["delisted_at"]):  # a delisted entry: a request while listed, and one after
            requests += [
                (entry["delisted_at"] - int(rng.integers(2, 6)) * day, entry["address"]),
                (entry["delisted_at"] + int(rng.integers(20, 40)) * day, entry["address"]),
            ]
    in_force = sanctions[sanctions["delisted_at"].isna()].sort_values("address")
    first, second = in_force.iloc[0], in_force.iloc[-1]
    requests += [
        (first["listed_at"] - int(rng.integers(3, 8)) * day, first["address"]),  # before its listing
        (second["listed_at"] + int(rng.integers(5, 12)) * day, second["address"]),
    ]
    received = outputs[outputs["address"].isin(one_hop | two_hop)].groupby("address")["block_timestamp"].min()
    for address in sorted(one_hop) + sorted(two_hop)[:2]:
        requests.append((received[address] + int(rng.integers(3, 30)) * day, address))
    ordinary = sorted(set(ledger[ledger["direction"] == "withdrawal"]["address"]) - listed - one_hop - two_hop)
    start, end = outputs["block_timestamp"].min(), outputs["block_timestamp"].max()
    for address in rng.choice(ordinary, size=14, replace=False):
        requests.append((start + (end - start) * float(rng.uniform(0.02, 0.98)), str(address)))

    table = pd.DataFrame(requests, columns=["requested_at", "destination"])
    table["requested_at"] = table["requested_at"].dt.floor("s") + pd.to_timedelta(
        rng.integers(0, 86_400, len(table)), unit="s"
    )
    table = table.sort_values("requested_at").reset_index(drop=True)
    table.insert(0, "request_id", [f"WR-{i + 1:03d}" for i in range(len(table))])
    table.insert(1, "exchange", SENDING_VASP)
    table.insert(2, "account_id", [f"KC-{n:05d}" for n in rng.choice(90_000, size=len(table), replace=False) + 10_000])
    table["amount_btc"] = np.round(rng.lognormal(np.log(0.3), 1.0, len(table)), 4)
    return table


SCENARIOS = (  # id, situation, life at risk, goal, data, provider, both in EU, both Budapest Parties, Protocol in force for both,
    # provider within the e-evidence Regulation, Art. 7 of the Protocol reserved
    (
        "S1",
        "A kidnapper holds a victim and demands bitcoin; the family paid into an account at a VASP abroad. You need the account holder's identity now.",
        True,
        "obtain",
        "subscriber",
        "abroad",
        False,
        True,
        False,
        False,
        False,
    ),
    (
        "S2",
        "Investment fraud: you need the KYC file of the customer behind a deposit address at a VASP in your own country.",
        False,
        "obtain",
        "subscriber",
        "domestic",
        False,
        True,
        False,
        False,
        False,
    ),
    (
        "S3",
        "The suspect's account at a VASP abroad may be closed and its records deleted before you can get a court order. Both countries are Parties to the Budapest Convention.",
        False,
        "preserve",
        "transactions",
        "abroad",
        False,
        True,
        False,
        False,
        False,
    ),
    (
        "S4",
        "You need an account's login records (IP addresses) from a VASP abroad. Both countries are Parties to the Budapest Convention; the Second Additional Protocol is not in force between them.",
        False,
        "obtain",
        "transactions",
        "abroad",
        False,
        True,
        False,
        False,
        False,
    ),
    (
        "S5",
        "You need the name and address of an account holder at a VASP abroad, in a country where the Second Additional Protocol is in force, as it is in yours; neither country reserved its Art. 7.",
        False,
        "obtain",
        "subscriber",
        "abroad",
        False,
        True,
        True,
        False,
        False,
    ),
    (
        "S6",
        "Your country and the VASP's are both EU member states (the case is from December 2026); you need the account's deposits and withdrawals from the crypto exchange.",
        False,
        "obtain",
        "transactions",
        "abroad",
        True,
        True,
        False,
        False,
        False,
    ),
    (
        "S7",
        "You need the messages a suspect exchanged with the support desk of a VASP abroad; that country is not a Party to the Budapest Convention.",
        False,
        "obtain",
        "content",
        "abroad",
        False,
        False,
        False,
        False,
        False,
    ),
    (
        "S8",
        "A VASP in your own country may delete an account's records under its retention policy before your order is signed.",
        False,
        "preserve",
        "transactions",
        "domestic",
        False,
        True,
        False,
        False,
        False,
    ),
    (
        "S9",
        "You need the name of an account holder at a VASP abroad. Your country has ratified the Second Additional Protocol; the VASP's country has only signed it.",
        False,
        "obtain",
        "subscriber",
        "abroad",
        False,
        True,
        False,
        False,
        False,
    ),
    (
        "S10",
        "You need the name of an account holder at a VASP abroad. The Second Additional Protocol is in force for both countries, but the VASP's country reserved the right not to apply its Art. 7, as Japan did.",
        False,
        "obtain",
        "subscriber",
        "abroad",
        False,
        True,
        True,
        False,
        True,
    ),
)


def request_scenarios() -> pd.DataFrame:
    """Ten situations an investigator meets, with the facts that decide the legal instrument for data."""
    return pd.DataFrame(
        SCENARIOS,
        columns=["scenario_id", "situation", *SCENARIO_COLUMNS],
    )


ASSET_REQUESTS = (  # id, what the officer asks for, what it concerns, who holds it
    ("F1", "freeze a copy of the account's login records until the court order arrives", "records", "exchange"),
    ("F2", "stop all withdrawals from the suspect's exchange account", "crypto-assets", "exchange"),
    ("F3", "hand over the KYC file of the account holder", "records", "exchange"),
    ("F4", "transfer the account's 3.2 BTC to an address the agency controls", "crypto-assets", "exchange"),
    (
        "F5",
        "move the 2 BTC of the wallet found on the suspect's laptop to an address the agency controls",
        "crypto-assets",
        "self-hosted wallet",
    ),
    ("F6", "keep the account's deposit and withdrawal history for 90 days", "records", "exchange"),
    ("F7", "freeze the suspect's exchange account so that no coin can leave it", "crypto-assets", "exchange"),
    (
        "F8",
        "sweep the coins of a seized hardware wallet to an address the agency controls",
        "crypto-assets",
        "self-hosted wallet",
    ),
)


def asset_requests() -> pd.DataFrame:
    """Eight things an officer may ask for in a fraud case: some concern records (data), some the coins themselves."""
    return pd.DataFrame(ASSET_REQUESTS, columns=["request_id", "what_is_asked", "concerns", "held_by"])


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


EVIDENCE_EXPORTS = (  # id, what was exported, data source, block height, observed at (UTC), changed since export
    (
        "E1",
        "transactions of the victim's deposit address",
        "own full node, Bitcoin Core 27.0",
        851_200,
        "2024-07-02 09:14",
        False,
    ),
    ("E2", "outputs of the ransom payment", "own full node, Bitcoin Core 27.0", 851_230, "2024-07-02 10:02", True),
    (
        "E3",
        "transactions of the exchange's hot wallet",
        "own full node, Bitcoin Core 27.0",
        851_305,
        "2024-07-02 14:40",
        False,
    ),
    ("E4", "cluster of the suspect's addresses", None, 851_400, "2024-07-03 11:25", False),
    (
        "E5",
        "sweep transactions to the exchange hot wallet",
        "public block explorer, page saved as PDF",
        851_410,
        "2024-07-03 11:31",
        False,
    ),
    ("E6", "token transfers of the stablecoin payment", "own archive node, Ethereum", None, "2024-07-04 08:50", False),
    (
        "E7",
        "inputs of the withdrawal to the self-hosted wallet",
        "own full node, Bitcoin Core 27.0",
        851_515,
        "2024-07-04 09:12",
        True,
    ),
    ("E8", "balance of the seized wallet's addresses", "own full node, Bitcoin Core 27.0", 851_600, None, False),
)


def evidence_exports() -> pd.DataFrame:
    """An officer's log of blockchain exports: source, block height, time observed, and the file's SHA-256 then and now.

    `sha256_now` is the fingerprint of the file as it is today: where it differs from `sha256_at_export`,
    the file was changed after the export.
    """
    rows = []
    for export_id, content, source, height, observed, changed in EVIDENCE_EXPORTS:
        exported = f"{export_id}: {content}"
        rows.append(
            (
                export_id,
                content,
                source,
                height,
                pd.Timestamp(observed) if observed else pd.NaT,
                _sha256(exported),
                _sha256(exported + (" (edited)" if changed else "")),
            )
        )
    table = pd.DataFrame(
        rows,
        columns=["export_id", "what", "data_source", "block_height", "observed_at", "sha256_at_export", "sha256_now"],
    )
    table["block_height"] = table["block_height"].astype("Int64")
    return table


CHANNEL_REQUESTS = (  # id, who sends, to whom, what for
    ("C1", "FIU", "foreign FIU", "financial intelligence on a suspect's exchange deposits"),
    ("C2", "police investigator", "foreign FIU", "the suspicious-transaction reports filed on a suspect"),
    ("C3", "FIU", "foreign exchange's law-enforcement portal", "the KYC file of an account"),
    ("C4", "FIU", "foreign FIU", "whether a foreign exchange reported a customer"),
    ("C5", "police investigator", "foreign police, through Interpol", "a suspect's whereabouts"),
    ("C6", "prosecutor", "foreign central authority", "an exchange's records as evidence for trial"),
)


def channel_requests() -> pd.DataFrame:
    """Six requests for information abroad, by who sends them and to whom."""
    return pd.DataFrame(CHANNEL_REQUESTS, columns=["request_id", "sender", "recipient", "purpose"])


SANCTIONS_LISTINGS = (  # entity (fictional), regime, listed from, listed until (None: still listed)
    ("Fogline Mixer", "US", "2022-08-08", "2025-03-21"),
    ("Volga Coin Exchange", "US", "2022-04-05", None),
    ("Volga Coin Exchange", "UK", "2022-05-04", None),
    ("Volga Coin Exchange", "EU", "2025-02-24", None),
    ("Red Harbour Group", "UN", "2023-06-01", None),
    ("Red Harbour Group", "EU", "2023-06-09", None),
    ("Sable Lantern Ltd", "EU", "2024-01-15", "2025-01-15"),
)


def sanctions_listings() -> pd.DataFrame:
    """A fictional consolidated table of sanctions listings: one row per entity and regime, with the days in force.

    Modelled on real patterns: a mixer listed by the US only and later delisted; an exchange listed by the
    US, then the UK, and years later by the EU; a UN listing that the EU gives effect to a few days later.
    """
    table = pd.DataFrame(SANCTIONS_LISTINGS, columns=["entity", "regime", "listed_from", "listed_until"])
    table["listed_from"] = pd.to_datetime(table["listed_from"])
    table["listed_until"] = pd.to_datetime(table["listed_until"])
    return table


EXCHANGE_PAYMENTS = (  # id, day, counterparty
    ("P01", "2022-03-01", "Volga Coin Exchange"),
    ("P02", "2022-09-01", "Fogline Mixer"),
    ("P03", "2023-03-10", "Volga Coin Exchange"),
    ("P04", "2023-06-05", "Red Harbour Group"),
    ("P05", "2023-07-01", "Red Harbour Group"),
    ("P06", "2024-06-30", "Sable Lantern Ltd"),
    ("P07", "2025-03-03", "Volga Coin Exchange"),
    ("P08", "2025-03-20", "Fogline Mixer"),
    ("P09", "2025-03-24", "Fogline Mixer"),
    ("P10", "2025-06-02", "Sable Lantern Ltd"),
    ("P11", "2025-06-10", "Harbourline Exchange"),
)


def exchange_payments() -> pd.DataFrame:
    """Eleven outgoing payments of an exchange, by day and counterparty (fictional)."""
    table = pd.DataFrame(EXCHANGE_PAYMENTS, columns=["payment_id", "paid_at", "counterparty"])
    table["paid_at"] = pd.to_datetime(table["paid_at"])
    return table


KR_TRANSFERS = (  # id, amount in KRW, counterparty kind
    ("K1", 1_000_000, "vasp"),
    ("K2", 999_999, "vasp"),
    ("K3", 1_500_000, "self_hosted"),
    ("K4", 2_750_000, "vasp"),
    ("K5", 600_000, "vasp"),
    ("K6", 1_000_001, "vasp"),
    ("K7", 980_000, "self_hosted"),
)


def kr_transfers() -> pd.DataFrame:
    """Seven outgoing transfers of a fictional Korean exchange, in won (KRW), to another VASP or a self-hosted wallet."""
    return pd.DataFrame(KR_TRANSFERS, columns=["transfer_id", "amount_krw", "counterparty"])
