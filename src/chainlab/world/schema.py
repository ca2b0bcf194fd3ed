"""Every table the world writes: its columns, their types and what they mean (the source of datasets/README.md)."""

from __future__ import annotations

from ..cohort import DEFAULT_SEED

from dataclasses import dataclass

import pyarrow as pa

TS = pa.timestamp("s", tz="UTC")


@dataclass(frozen=True)
class Table:
    name: str
    about: str
    columns: tuple[tuple[str, pa.DataType, str], ...]
    answer_key: bool = False  # True: ground truth, written under grading/ only

    @property
    def schema(self) -> pa.Schema:
        return pa.schema([(name, kind) for name, kind, _ in self.columns])


TABLES = {t.name: t for t in (
    Table("blocks", "UTXO chain blocks (BigQuery `crypto_bitcoin.blocks`). Block 0 is the world's genesis block.", (
        ("hash", pa.string(), "block hash: SHA-256d of (previous_block_hash, merkle_root, timestamp, number)"),
        ("number", pa.int64(), "block height, from 0 (genesis)"),
        ("timestamp", TS, "when the block was mined (UTC); strictly increasing, ~600 s apart on average"),
        ("previous_block_hash", pa.string(), "hash of the block before (64 zeros for genesis); not in BigQuery"),
        ("merkle_root", pa.string(), "SHA-256d of the block's transaction hashes in order (simplified Merkle root)"),
        ("transaction_count", pa.int64(), "number of transactions in the block"),
    )),
    Table("transactions", "UTXO chain transactions (BigQuery `crypto_bitcoin.transactions`). Values in satoshi.", (
        ("hash", pa.string(), "transaction id (64 hex digits; random, not computed from the content)"),
        ("virtual_size", pa.int64(), "estimated size in virtual bytes (fee / virtual_size = fee rate)"),
        ("block_number", pa.int64(), "height of the block holding the transaction"),
        ("block_timestamp", TS, "time of that block (UTC)"),
        ("input_count", pa.int64(), "number of inputs"),
        ("output_count", pa.int64(), "number of outputs"),
        ("input_value", pa.int64(), "sum of the inputs' values (satoshi); 0 for coinbase"),
        ("output_value", pa.int64(), "sum of the outputs' values (satoshi)"),
        ("fee", pa.int64(), "input_value - output_value (satoshi); 0 for coinbase"),
        ("is_coinbase", pa.bool_(), "True for the block reward transaction (first in each block) and the genesis"),
    )),
    Table("inputs", "Inputs: which earlier output each transaction spends (BigQuery `crypto_bitcoin.inputs`).", (
        ("transaction_hash", pa.string(), "the spending transaction"),
        ("block_number", pa.int64(), "block of the spending transaction"),
        ("block_timestamp", TS, "time of that block"),
        ("index", pa.int64(), "position of the input in the spending transaction, from 0"),
        ("spent_transaction_hash", pa.string(), "transaction that created the spent output"),
        ("spent_output_index", pa.int64(), "index of the spent output in that transaction"),
        ("address", pa.string(), "address of the spent output (BigQuery: repeated `addresses`; here one string)"),
        ("type", pa.string(), "script type of the spent output (see outputs.type)"),
        ("value", pa.int64(), "value of the spent output (satoshi)"),
    )),
    Table("outputs", "Outputs: who received how much (BigQuery `crypto_bitcoin.outputs`).", (
        ("transaction_hash", pa.string(), "the creating transaction"),
        ("block_number", pa.int64(), "block of that transaction"),
        ("block_timestamp", TS, "time of that block"),
        ("index", pa.int64(), "position of the output in the transaction, from 0"),
        ("address", pa.string(), "receiving address (BigQuery: repeated `addresses`; here one string)"),
        ("type", pa.string(), "pubkeyhash (1...), scripthash (3...), witness_v0_keyhash (bc1q...), witness_v1_taproot (bc1p...)"),
        ("value", pa.int64(), "amount (satoshi; 100,000,000 satoshi = 1 coin)"),
    )),
    Table("tags", "Public attribution tags, as collected from explorers, forums and reports: incomplete and sometimes wrong.", (
        ("chain", pa.string(), "bitcoin"),
        ("address", pa.string(), "the tagged address"),
        ("label", pa.string(), "what the source claims the address is"),
        ("category", pa.string(), "exchange, mining_pool, gambling, otc_broker, mixer, darknet_market, ransomware, ..."),
        ("source", pa.string(), "where the claim comes from (explorer label, forum post, victim report, ...)"),
        ("confidence", pa.string(), "the source's confidence: high, medium or low"),
    )),
    Table("sanctions", "A synthetic sanctions list of crypto addresses (modelled on OFAC SDN digital-currency entries).", (
        ("entry_id", pa.string(), "list entry id"),
        ("name", pa.string(), "listed entity (fictional)"),
        ("chain", pa.string(), "bitcoin"),
        ("address", pa.string(), "listed address"),
        ("program", pa.string(), "sanctions programme (fictional)"),
        ("listed_at", TS, "when the address was added to the list"),
        ("delisted_at", TS, "when it was removed (null while listed)"),
    )),
    Table("prices", "Hourly USD prices (synthetic, 2024-like).", (
        ("timestamp", TS, "start of the hour (UTC)"),
        ("symbol", pa.string(), "BTC"),
        ("price_usd", pa.float64(), "price of one coin in US dollars"),
    )),
    Table("exchanges", "The VASPs (exchanges) of the world and their registration.", (
        ("exchange", pa.string(), "exchange name (fictional)"),
        ("jurisdiction", pa.string(), "country of registration"),
        ("register_entry", pa.string(), "registration on the national VASP register (fictional entries)"),
        ("kyc_policy", pa.string(), "strict (ID verified) or lax"),
    )),
    Table("kyc", "Exchanges' customer records (KYC), as returned to a production order. All people are fictional.", (
        ("exchange", pa.string(), "exchange holding the record"),
        ("account_id", pa.string(), "the customer's account at that exchange"),
        ("full_name", pa.string(), "customer name (fictional)"),
        ("date_of_birth", pa.date32(), "date of birth"),
        ("nationality", pa.string(), "nationality"),
        ("id_document", pa.string(), "identity document number (fictional format)"),
        ("email", pa.string(), "e-mail (reserved example domains)"),
        ("opened_at", TS, "when the account was opened"),
    )),
    Table("deposit_addresses", "Which deposit address an exchange assigned to which customer account.", (
        ("exchange", pa.string(), "exchange"),
        ("account_id", pa.string(), "customer account"),
        ("chain", pa.string(), "bitcoin"),
        ("address", pa.string(), "the deposit address the exchange generated for this account"),
        ("assigned_at", TS, "when it was assigned"),
    )),
    Table("logins", "Exchanges' login records: time, IP address (documentation ranges only) and device id.", (
        ("exchange", pa.string(), "exchange"),
        ("account_id", pa.string(), "customer account"),
        ("timestamp", TS, "login time"),
        ("ip_address", pa.string(), "source IP (192.0.2.0/24, 198.51.100.0/24 or 203.0.113.0/24)"),
        ("device_id", pa.string(), "device fingerprint"),
    )),
    Table("exchange_ledger", "Exchanges' internal ledgers: on-chain deposits credited and withdrawals paid, per account.", (
        ("exchange", pa.string(), "exchange"),
        ("account_id", pa.string(), "customer account"),
        ("timestamp", TS, "time of the on-chain transaction"),
        ("direction", pa.string(), "deposit or withdrawal"),
        ("transaction_hash", pa.string(), "on-chain transaction"),
        ("output_index", pa.int64(), "the output credited or paid"),
        ("address", pa.string(), "deposit address (deposit) or customer's address (withdrawal)"),
        ("value", pa.int64(), "amount (satoshi)"),
    )),
    Table("complaints", "Victims' complaint reports to the police.", (
        ("complaint_id", pa.string(), "report number"),
        ("filed_at", TS, "when the report was filed"),
        ("reporter", pa.string(), "victim (fictional person or organisation)"),
        ("typology", pa.string(), "what the victim describes (ransomware, investment_fraud, ...)"),
        ("reported_address", pa.string(), "the address the victim paid"),
        ("reported_transaction", pa.string(), "one transaction the victim made"),
        ("claimed_value", pa.int64(), "total the victim says they lost (satoshi)"),
        ("narrative", pa.string(), "the victim's account in a sentence"),
    )),
    Table("address_owners", "ANSWER KEY: who controls every address.", (
        ("address", pa.string(), "address"),
        ("entity", pa.string(), "owner's name"),
        ("role", pa.string(), "owner's role (exchange, retail_user, ransomware_group, ...)"),
        ("wallet", pa.int64(), "wallet number: addresses of one wallet may be spent together"),
    ), answer_key=True),
    Table("flows", "ANSWER KEY: every criminal transaction with its case, typology and step.", (
        ("transaction_hash", pa.string(), "transaction"),
        ("case_id", pa.string(), "case (RW-1, DNM-1, PB-1, TF-1, SAN-1)"),
        ("typology", pa.string(), "ransomware, darknet_market, investment_fraud, terrorism_financing, sanctions_evasion"),
        ("step", pa.string(), "what the transaction does in the case (ransom_payment, peel, cash_out, ...)"),
    ), answer_key=True),
    Table("tag_truth", "ANSWER KEY: whether each public tag is right.", (
        ("address", pa.string(), "tagged address"),
        ("label", pa.string(), "the tag's label"),
        ("correct", pa.bool_(), "True if the tag names the real owner"),
    ), answer_key=True),
)}

LEARNER_TABLES = tuple(name for name, t in TABLES.items() if not t.answer_key)
ANSWER_TABLES = tuple(name for name, t in TABLES.items() if t.answer_key)


def readme() -> str:
    """The text of datasets/README.md, generated from the table definitions."""
    lines = [
        "# Datasets",
        "",
        "Synthetic data for the labs, built by `chainlab datasets build` (or on first `chainlab.load(table)`).",
        "Everything here is generated; every person, company and address is fictional.",
        "",
        f"- `datasets/<profile>/`: the default world (seed {DEFAULT_SEED}); `datasets/<profile>-seed<N>/`: a cohort's world.",
        "  Profiles: `classroom` (default, ~35,000 UTXO-chain transactions over 90 days) and `large` (over 1,000,000).",
        "- Each folder holds one Parquet file per table and `manifest.json` (rows and SHA-256 of every file, seed,",
        "  profile, package version). `chainlab datasets verify` checks files and chain invariants.",
        "- Answer keys (address owners, criminal flows, tag truth) are written to `grading/world/<same folder name>/`,",
        "  never here.",
        "- Same seed + profile + package version = the same bytes.",
        "",
        "Conventions and deviations from BigQuery's `crypto_bitcoin`:",
        "",
        "- Amounts are satoshi in int64 (1 coin = 100,000,000 satoshi). Times are UTC timestamps (seconds).",
        "- `inputs.address` / `outputs.address` are single strings (BigQuery has a repeated `addresses` field).",
        "- Transaction hashes are random identifiers, not hashes of serialised transactions; block hashes do chain.",
        "- The chain starts at its own genesis block 0 (2024-05-01), whose coinbase hands out opening balances.",
        "- Addresses carry valid checksums (Base58Check, bech32, bech32m) but belong to no one in the real world.",
        "",
    ]
    for table in TABLES.values():
        where = "grading/world/…" if table.answer_key else "datasets/…"
        lines += [f"## `{table.name}` ({where})", "", table.about, "", "| column | type | meaning |", "|---|---|---|"]
        lines += [f"| `{name}` | {kind} | {about} |" for name, kind, about in table.columns]
        lines.append("")
    return "\n".join(lines)
