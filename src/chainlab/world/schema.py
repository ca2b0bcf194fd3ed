"""Every table the world writes: its columns, their types and what they mean (the source of datasets/README.md)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa

from ..cohort import DEFAULT_SEED

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


TABLES = {
    t.name: t
    for t in (
        Table(
            "blocks",
            "UTXO chain blocks (BigQuery `crypto_bitcoin.blocks`). Block 0 is the world's genesis block.",
            (
                ("hash", pa.string(), "block hash: SHA-256d of (previous_block_hash, merkle_root, timestamp, number)"),
                ("number", pa.int64(), "block height, from 0 (genesis)"),
                ("timestamp", TS, "when the block was mined (UTC); strictly increasing, ~600 s apart on average"),
                (
                    "previous_block_hash",
                    pa.string(),
                    "hash of the block before (64 zeros for genesis); not in BigQuery",
                ),
                (
                    "merkle_root",
                    pa.string(),
                    "SHA-256d of the block's transaction hashes in order (simplified Merkle root)",
                ),
                ("transaction_count", pa.int64(), "number of transactions in the block"),
            ),
        ),
        Table(
            "transactions",
            "UTXO chain transactions (BigQuery `crypto_bitcoin.transactions`). Values in satoshi.",
            (
                ("hash", pa.string(), "transaction id (64 hex digits; random, not computed from the content)"),
                ("virtual_size", pa.int64(), "estimated size in virtual bytes (fee / virtual_size = fee rate)"),
                ("block_number", pa.int64(), "height of the block holding the transaction"),
                ("block_timestamp", TS, "time of that block (UTC)"),
                ("input_count", pa.int64(), "number of inputs"),
                ("output_count", pa.int64(), "number of outputs"),
                ("input_value", pa.int64(), "sum of the inputs' values (satoshi); 0 for coinbase"),
                ("output_value", pa.int64(), "sum of the outputs' values (satoshi)"),
                ("fee", pa.int64(), "input_value - output_value (satoshi); 0 for coinbase"),
                (
                    "is_coinbase",
                    pa.bool_(),
                    "True for the block reward transaction (first in each block) and the genesis",
                ),
                (
                    "lock_time",
                    pa.int64(),
                    "nLockTime: 0, or the block height the wallet saw when it signed (anti fee-sniping: "
                    "the transaction cannot be mined before the next block); a wallet software habit",
                ),
            ),
        ),
        Table(
            "inputs",
            "Inputs: which earlier output each transaction spends (BigQuery `crypto_bitcoin.inputs`).",
            (
                ("transaction_hash", pa.string(), "the spending transaction"),
                ("block_number", pa.int64(), "block of the spending transaction"),
                ("block_timestamp", TS, "time of that block"),
                ("index", pa.int64(), "position of the input in the spending transaction, from 0"),
                ("spent_transaction_hash", pa.string(), "transaction that created the spent output"),
                ("spent_output_index", pa.int64(), "index of the spent output in that transaction"),
                (
                    "address",
                    pa.string(),
                    "address of the spent output (BigQuery: repeated `addresses`; here one string)",
                ),
                ("type", pa.string(), "script type of the spent output (see outputs.type)"),
                ("value", pa.int64(), "value of the spent output (satoshi)"),
                (
                    "sequence",
                    pa.int64(),
                    "nSequence: 4294967293 (0xFFFFFFFD) signals replace-by-fee (BIP 125); 4294967294 "
                    "(0xFFFFFFFE) and 4294967295 (0xFFFFFFFF) do not; a wallet software habit",
                ),
            ),
        ),
        Table(
            "outputs",
            "Outputs: who received how much (BigQuery `crypto_bitcoin.outputs`).",
            (
                ("transaction_hash", pa.string(), "the creating transaction"),
                ("block_number", pa.int64(), "block of that transaction"),
                ("block_timestamp", TS, "time of that block"),
                ("index", pa.int64(), "position of the output in the transaction, from 0"),
                ("address", pa.string(), "receiving address (BigQuery: repeated `addresses`; here one string)"),
                (
                    "type",
                    pa.string(),
                    "pubkeyhash (1...), scripthash (3...), witness_v0_keyhash (bc1q...), witness_v1_taproot (bc1p...)",
                ),
                ("value", pa.int64(), "amount (satoshi; 100,000,000 satoshi = 1 coin)"),
            ),
        ),
        Table(
            "eth_blocks",
            "Account-chain blocks (BigQuery `crypto_ethereum.blocks`): one every 12 s; only blocks holding "
            "transactions are listed, so numbers have gaps.",
            (
                ("number", pa.int64(), "block number (block 0 is the genesis, at the world's start)"),
                ("hash", pa.string(), "block hash (0x + 64 hex digits; random, not computed from the content)"),
                ("parent_hash", pa.string(), "hash of block number - 1 (which may be an unlisted empty block)"),
                ("timestamp", TS, "block time (UTC): the world's start + 12 s x number"),
                ("transaction_count", pa.int64(), "number of transactions in the block"),
                (
                    "gas_used",
                    pa.int64(),
                    "gas used by all the block's transactions, most of them other people's and not listed here",
                ),
                ("gas_limit", pa.int64(), "the block's gas limit (30,000,000); EIP-1559 targets half of it"),
                (
                    "base_fee_per_gas",
                    pa.int64(),
                    "EIP-1559 base fee of the block, in wei: burned for every gas used; it rises (by up to "
                    "1/8) after a block fuller than the target and falls after an emptier one",
                ),
            ),
        ),
        Table(
            "eth_transactions",
            "Account-chain transactions (BigQuery `crypto_ethereum.transactions`). Amounts in wei "
            "(1 ETH = 10**18 wei = 10**9 gwei).",
            (
                ("hash", pa.string(), "transaction hash (0x + 64 hex digits)"),
                ("nonce", pa.int64(), "the sender's count of earlier transactions, from 0"),
                ("transaction_index", pa.int64(), "position in the block, from 0"),
                ("from_address", pa.string(), "sender: always an externally owned account (EIP-55 checksummed)"),
                (
                    "to_address",
                    pa.string(),
                    "receiver: an account, or the contract called (token, DEX pool, mixer, bridge, ...)",
                ),
                (
                    "value",
                    pa.decimal128(38, 0),
                    "native coin sent, in wei (exact decimal; BigQuery: NUMERIC). Divide by 10**18 for ETH",
                ),
                ("gas", pa.int64(), "gas limit the sender allowed"),
                (
                    "gas_price",
                    pa.int64(),
                    "price paid per unit of gas, in wei (1 gwei = 10**9 wei); fee = receipt_gas_used x gas_price. "
                    "Type 2: the block's base fee (burned) plus the tip, at most max_fee_per_gas",
                ),
                (
                    "input",
                    pa.string(),
                    "method id: the first 4 bytes of the call data ('0x' for a plain transfer; 0xa9059cbb = "
                    "transfer(address,uint256)); the arguments are left out",
                ),
                ("receipt_gas_used", pa.int64(), "gas the transaction used"),
                (
                    "receipt_status",
                    pa.int64(),
                    "1 = succeeded, 0 = failed (a failed transaction moves nothing but still pays gas)",
                ),
                ("block_number", pa.int64(), "block holding the transaction"),
                ("block_timestamp", TS, "time of that block (UTC)"),
                (
                    "max_fee_per_gas",
                    pa.int64(),
                    "type 2 (EIP-1559): the most the sender would pay per gas, in wei (wallets offer twice "
                    "the base fee plus the tip); null for type 0",
                ),
                (
                    "max_priority_fee_per_gas",
                    pa.int64(),
                    "type 2: the tip per gas offered to the block's proposer, in wei; null for type 0",
                ),
                ("transaction_type", pa.int64(), "0 = legacy (one gas_price), 2 = EIP-1559 (max fee and tip)"),
                (
                    "receipt_effective_gas_price",
                    pa.int64(),
                    "price actually paid per gas, in wei: min(max_fee_per_gas, base fee + tip) "
                    "for type 2, gas_price for type 0",
                ),
            ),
        ),
        Table(
            "token_transfers",
            "Token Transfer events (BigQuery `crypto_ethereum.token_transfers`): who sent how many "
            "tokens to whom. Mints come from the zero address.",
            (
                ("token_address", pa.string(), "the token's contract (see `tokens`)"),
                ("from_address", pa.string(), "sender (0x000…000 for newly minted tokens)"),
                ("to_address", pa.string(), "receiver"),
                (
                    "value",
                    pa.decimal128(38, 0),
                    "amount in the token's smallest unit (exact decimal; BigQuery: STRING). Divide by 10**decimals",
                ),
                ("transaction_hash", pa.string(), "transaction that emitted the event"),
                ("log_index", pa.int64(), "position of the event among the block's events, from 0"),
                ("block_number", pa.int64(), "block"),
                ("block_timestamp", TS, "time of that block (UTC)"),
            ),
        ),
        Table(
            "eth_traces",
            "Internal transfers of the native coin made by contracts (BigQuery `crypto_ethereum.traces`, "
            "value-moving calls only): a DEX paying out a swap, a mixer paying a withdrawal.",
            (
                ("transaction_hash", pa.string(), "transaction in which the contract paid"),
                ("trace_address", pa.string(), "position of the call inside the transaction ('0', '1', ...)"),
                ("from_address", pa.string(), "the paying contract"),
                ("to_address", pa.string(), "receiver"),
                ("value", pa.decimal128(38, 0), "amount in wei"),
                ("trace_type", pa.string(), "call"),
                ("status", pa.int64(), "1 = succeeded"),
                ("block_number", pa.int64(), "block"),
                ("block_timestamp", TS, "time of that block (UTC)"),
            ),
        ),
        Table(
            "eth_events",
            "Decoded contract events other than token Transfers (what an explorer's 'Logs' tab shows): "
            "Swap (DEX), Deposit and Withdrawal (mixer), BridgeDeposit (bridge), AddressFrozen (stablecoin issuer).",
            (
                ("transaction_hash", pa.string(), "transaction that emitted the event"),
                (
                    "log_index",
                    pa.int64(),
                    "position of the event among the block's events (shared numbering with token_transfers)",
                ),
                ("block_number", pa.int64(), "block"),
                ("block_timestamp", TS, "time of that block (UTC)"),
                ("contract_address", pa.string(), "the contract that emitted it"),
                ("event", pa.string(), "Swap, Deposit, Withdrawal, BridgeDeposit or AddressFrozen"),
                (
                    "account",
                    pa.string(),
                    "the account the event is about: Swap: trader (who also receives); Deposit: depositor; "
                    "Withdrawal: recipient; BridgeDeposit: depositor; AddressFrozen: the frozen account",
                ),
                ("asset", pa.string(), "ETH or a token symbol: what `amount` counts (Swap: what the trader paid in)"),
                (
                    "amount",
                    pa.decimal128(38, 0),
                    "amount in the asset's smallest unit (wei for ETH); AddressFrozen: the balance frozen",
                ),
                ("asset_out", pa.string(), "Swap only: what the trader received"),
                ("amount_out", pa.decimal128(38, 0), "Swap only: amount received, smallest unit"),
                ("destination", pa.string(), "BridgeDeposit only: the UTXO-chain address the bridge pays"),
                (
                    "reference",
                    pa.string(),
                    "BridgeDeposit: deposit id; mixer Deposit: commitment; Withdrawal: nullifier hash "
                    "(random: they do not link a withdrawal to its deposit)",
                ),
            ),
        ),
        Table(
            "tokens",
            "Tokens on the account chain (BigQuery `crypto_ethereum.tokens`, plus who issues them).",
            (
                ("address", pa.string(), "token contract"),
                ("symbol", pa.string(), "ticker"),
                ("name", pa.string(), "name (fictional)"),
                ("decimals", pa.int64(), "number of decimals: 1 token = 10**decimals smallest units"),
                ("issuer", pa.string(), "company that issues and redeems it (fictional)"),
                ("freezable", pa.bool_(), "True if the issuer can freeze an address's tokens"),
            ),
        ),
        Table(
            "contracts",
            "Contracts on the account chain with their public (verified-source) names; all deployed in the "
            "genesis state.",
            (
                ("address", pa.string(), "contract address"),
                ("name", pa.string(), "public contract name (fictional)"),
                ("kind", pa.string(), "token, dex_pool, mixer, bridge or lending_protocol"),
                ("is_erc20", pa.bool_(), "True for token contracts"),
                ("block_number", pa.int64(), "block in which it was created (0 = genesis)"),
            ),
        ),
        Table(
            "tags",
            "Public attribution tags, as collected from explorers, forums and reports: incomplete and sometimes wrong.",
            (
                ("chain", pa.string(), "bitcoin or ethereum"),
                ("address", pa.string(), "the tagged address"),
                ("label", pa.string(), "what the source claims the address is"),
                (
                    "category",
                    pa.string(),
                    "exchange, mining_pool, gambling, otc_broker, mixer, darknet_market, ransomware, dex, "
                    "bridge, stablecoin, defi, exploiter, ...",
                ),
                ("source", pa.string(), "where the claim comes from (explorer label, forum post, victim report, ...)"),
                ("confidence", pa.string(), "the source's confidence: high, medium or low"),
                ("observed_at", TS, "when the source made the claim or it was collected (UTC)"),
            ),
        ),
        Table(
            "sanctions",
            "A synthetic sanctions list of crypto addresses (modelled on OFAC SDN digital-currency entries).",
            (
                ("entry_id", pa.string(), "list entry id"),
                ("name", pa.string(), "listed entity (fictional)"),
                ("chain", pa.string(), "bitcoin"),
                ("address", pa.string(), "listed address"),
                ("program", pa.string(), "sanctions programme (fictional)"),
                ("listed_at", TS, "when the address was added to the list"),
                ("delisted_at", TS, "when it was removed (null while listed)"),
            ),
        ),
        Table(
            "prices",
            "Hourly USD prices (synthetic, 2024-like).",
            (
                ("timestamp", TS, "start of the hour (UTC)"),
                ("symbol", pa.string(), "BTC or ETH (the stablecoin NUSD is worth 1 US dollar)"),
                ("price_usd", pa.float64(), "price of one coin in US dollars"),
            ),
        ),
        Table(
            "exchanges",
            "The VASPs (exchanges) of the world and their registration.",
            (
                ("exchange", pa.string(), "exchange name (fictional)"),
                ("jurisdiction", pa.string(), "country of registration"),
                ("register_entry", pa.string(), "registration on the national VASP register (fictional entries)"),
                ("kyc_policy", pa.string(), "strict (ID verified) or lax"),
            ),
        ),
        Table(
            "kyc",
            "Exchanges' customer records (KYC), as returned to a production order. All people are fictional.",
            (
                ("exchange", pa.string(), "exchange holding the record"),
                ("account_id", pa.string(), "the customer's account at that exchange"),
                ("full_name", pa.string(), "customer name (fictional)"),
                ("date_of_birth", pa.date32(), "date of birth"),
                ("nationality", pa.string(), "nationality"),
                ("id_document", pa.string(), "identity document number (fictional format)"),
                ("email", pa.string(), "e-mail (reserved example domains)"),
                ("opened_at", TS, "when the account was opened"),
            ),
        ),
        Table(
            "deposit_addresses",
            "Which deposit address an exchange assigned to which customer account.",
            (
                ("exchange", pa.string(), "exchange"),
                ("account_id", pa.string(), "customer account"),
                ("chain", pa.string(), "bitcoin or ethereum (customers who use the account chain have one of each)"),
                ("address", pa.string(), "the deposit address the exchange generated for this account"),
                ("assigned_at", TS, "when it was assigned"),
            ),
        ),
        Table(
            "logins",
            "Exchanges' login records: time, IP address (documentation ranges only) and device id.",
            (
                ("exchange", pa.string(), "exchange"),
                ("account_id", pa.string(), "customer account"),
                ("timestamp", TS, "login time"),
                ("ip_address", pa.string(), "source IP (192.0.2.0/24, 198.51.100.0/24 or 203.0.113.0/24)"),
                ("device_id", pa.string(), "device fingerprint"),
            ),
        ),
        Table(
            "exchange_ledger",
            "Exchanges' internal ledgers: UTXO-chain deposits credited and withdrawals paid, per account.",
            (
                ("exchange", pa.string(), "exchange"),
                ("account_id", pa.string(), "customer account"),
                ("timestamp", TS, "time of the on-chain transaction"),
                ("direction", pa.string(), "deposit or withdrawal"),
                ("transaction_hash", pa.string(), "on-chain transaction"),
                ("output_index", pa.int64(), "the output credited or paid"),
                ("address", pa.string(), "deposit address (deposit) or customer's address (withdrawal)"),
                ("value", pa.int64(), "amount (satoshi)"),
            ),
        ),
        Table(
            "complaints",
            "Victims' complaint reports to the police.",
            (
                ("complaint_id", pa.string(), "report number"),
                ("filed_at", TS, "when the report was filed"),
                ("reporter", pa.string(), "victim (fictional person or organisation)"),
                ("typology", pa.string(), "what the victim describes (ransomware, investment_fraud, ...)"),
                ("reported_address", pa.string(), "the address the victim paid"),
                ("reported_transaction", pa.string(), "one transaction the victim made"),
                ("claimed_value", pa.int64(), "total the victim says they lost (satoshi)"),
                ("narrative", pa.string(), "the victim's account in a sentence"),
            ),
        ),
        Table(
            "address_owners",
            "ANSWER KEY: who controls every address.",
            (
                ("address", pa.string(), "address"),
                ("entity", pa.string(), "owner's name"),
                ("role", pa.string(), "owner's role (exchange, retail_user, ransomware_group, ...)"),
                ("wallet", pa.int64(), "wallet number: addresses of one wallet may be spent together"),
            ),
            answer_key=True,
        ),
        Table(
            "flows",
            "ANSWER KEY: every criminal transaction with its case, typology and step.",
            (
                ("transaction_hash", pa.string(), "transaction"),
                ("case_id", pa.string(), "case (RW-1, DNM-1, PB-1, TF-1, SAN-1, AML-1, CE-1, ST-1)"),
                (
                    "typology",
                    pa.string(),
                    "ransomware, darknet_market, investment_fraud, terrorism_financing, sanctions_evasion, "
                    "aml_red_flags, child_exploitation, stablecoin_theft",
                ),
                ("step", pa.string(), "what the transaction does in the case (ransom_payment, peel, cash_out, ...)"),
            ),
            answer_key=True,
        ),
        Table(
            "account_owners",
            "ANSWER KEY: who controls every account-chain address (accounts and contracts).",
            (
                ("address", pa.string(), "address"),
                ("entity", pa.string(), "owner's name"),
                ("role", pa.string(), "owner's role (exchange, retail_user, thief, mixer, ...)"),
                ("is_contract", pa.bool_(), "True for contracts"),
            ),
            answer_key=True,
        ),
        Table(
            "eth_flows",
            "ANSWER KEY: every account-chain transaction of a criminal flow, with its case and step.",
            (
                ("transaction_hash", pa.string(), "account-chain transaction"),
                ("case_id", pa.string(), "case (ST-1)"),
                ("typology", pa.string(), "stablecoin_theft"),
                (
                    "step",
                    pa.string(),
                    "exploit, split, swap, mixer_deposit, mixer_withdrawal, issuer_freeze, bridge_deposit, ...",
                ),
            ),
            answer_key=True,
        ),
        Table(
            "mixer_links",
            "ANSWER KEY: which mixer withdrawal pays out which deposit (the link the mixer hides).",
            (
                ("pool_address", pa.string(), "the mixer pool"),
                ("denomination_ether", pa.int64(), "the pool's fixed amount (ETH)"),
                ("deposit_transaction_hash", pa.string(), "the deposit"),
                ("withdrawal_transaction_hash", pa.string(), "the withdrawal paying it out (null: still in the pool)"),
                ("recipient", pa.string(), "who received the withdrawal"),
                ("owner", pa.string(), "who made the deposit"),
                (
                    "relayer",
                    pa.string(),
                    "who sent the withdrawal and paid its gas when not the recipient (a relayer, or the "
                    "owner's own gas account); null: the recipient sent it itself",
                ),
                (
                    "gas_funder",
                    pa.string(),
                    "who sent the recipient ether for gas before it withdrew by itself (an exchange hot "
                    "wallet or the depositor: a link the mixer does not hide); null: none",
                ),
                ("case_id", pa.string(), "ST-1 for the thief's notes, else null"),
                (
                    "giveaways",
                    pa.string(),
                    "the thief's mistakes that link this pair, comma-separated: address_reuse, timing, "
                    "gas_price, multi_denomination (empty: not linkable by those heuristics)",
                ),
            ),
            answer_key=True,
        ),
        Table(
            "aml_case_file",
            "The closed AML-1 investigation's case file: the customers it confirmed as suspicious (module 04 scores "
            "its monitoring rules against it; like any case file, it is the investigators' finding, not the exchange's).",
            (
                ("exchange", pa.string(), "exchange"),
                ("account_id", pa.string(), "customer account confirmed as suspicious"),
            ),
        ),
        Table(
            "dnm_case_file",
            "The closed DNM-1 investigation's case file: every output of the Hollowreed Market's purchases, with its "
            "owner and whether it was change, as the seized market server showed them (module 06 measures change "
            "heuristics against it).",
            (
                ("transaction_hash", pa.string(), "a purchase: a buyer's payment to an escrow address of the market"),
                ("index", pa.int64(), "the output's position in the transaction"),
                ("address", pa.string(), "the output's address"),
                (
                    "owner",
                    pa.string(),
                    "who controls the address: the market, or a buyer by the file's number (B-01, ...)",
                ),
                ("change", pa.bool_(), "True if the output went back to the payer's own wallet"),
            ),
        ),
        Table(
            "st_case_file",
            "The closed ST-1 investigation's case file: the mixer withdrawals confirmed as the thief's (module 07 "
            "scores its mixer shortlists against it).",
            (
                ("pool_address", pa.string(), "the mixer pool"),
                ("withdrawal_transaction_hash", pa.string(), "a withdrawal that paid the thief"),
            ),
        ),
        Table(
            "aml_labels",
            "ANSWER KEY: exchange customers planted for module 04 and whether they are suspicious.",
            (
                ("exchange", pa.string(), "exchange"),
                ("account_id", pa.string(), "customer account"),
                (
                    "pattern",
                    pa.string(),
                    "structuring, rapid_in_and_out, lookalike_structuring or lookalike_in_and_out",
                ),
                (
                    "suspicious",
                    pa.bool_(),
                    "True for structuring and rapid in-and-out; look-alikes are ordinary customers",
                ),
            ),
            answer_key=True,
        ),
        Table(
            "transaction_wallets",
            "ANSWER KEY: the wallet software behind each UTXO-chain transaction (not coinbases) and its "
            "change output, to score change detection and wallet fingerprinting (module 06).",
            (
                ("transaction_hash", pa.string(), "transaction"),
                (
                    "wallet_software",
                    pa.string(),
                    "desktop_full_node (fee rate to 0.001 sat/vB, change anywhere and of the payment's "
                    "type, lock_time = height, RBF), desktop_light (0.1 sat/vB, change anywhere, "
                    "lock_time = height, RBF), mobile (whole sat/vB, change last, lock_time 0, no RBF) or "
                    "custodial (exchanges, pools, services: whole sat/vB, change last, lock_time 0, "
                    "sequence 0xFFFFFFFE)",
                ),
                (
                    "change_index",
                    pa.int64(),
                    "index of the output that returns change to the sender's wallet; null: no change",
                ),
            ),
            answer_key=True,
        ),
        Table(
            "tag_truth",
            "ANSWER KEY: whether each public tag is right.",
            (
                ("address", pa.string(), "tagged address"),
                ("label", pa.string(), "the tag's label"),
                ("correct", pa.bool_(), "True if the tag names the real owner"),
            ),
            answer_key=True,
        ),
    )
}

WORLD_FINGERPRINT = hashlib.sha256(
    b"".join(path.read_bytes() for path in sorted(Path(__file__).parent.rglob("*.py")))
).hexdigest()[:16]
"""The world's code (tables, columns and how they are drawn): a world whose manifest holds another one was built by other code."""

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
        "  Profiles: `classroom` (default, ~48,000 UTXO-chain transactions over 90 days) and `large` (over 1,000,000).",
        "- Each folder holds one Parquet file per table and `manifest.json` (rows and SHA-256 of every file, seed,",
        "  profile, package version). `chainlab datasets verify` checks files and chain invariants.",
        "- Answer keys (owners, criminal flows, tag truth, mixer links, AML labels) are written to `grading/world/<same folder name>/`,",
        "  never here.",
        "- Same seed + profile + package version = the same bytes.",
        "",
        "Conventions and deviations from BigQuery's `crypto_bitcoin`:",
        "",
        "- Amounts are satoshi in int64 (1 coin = 100,000,000 satoshi). Times are UTC timestamps (seconds).",
        "- `inputs.address` / `outputs.address` are single strings (BigQuery has a repeated `addresses` field).",
        "- Transaction hashes are random identifiers, not hashes of serialised transactions; block hashes do chain.",
        "- Fee rates follow a fee market (busier by day and on weekdays). Each wallet software has its habits (fee-rate",
        "  rounding, change position and type, `lock_time`, `sequence`): see the answer key `transaction_wallets`.",
        "- The chain starts at its own genesis block 0 (2024-05-01), whose coinbase hands out opening balances.",
        "- Addresses carry valid checksums (Base58Check, bech32, bech32m) but belong to no one in the real world.",
        "",
        "The account chain (Ethereum-like; tables `eth_*`, `token_transfers`, `tokens`, `contracts`) and BigQuery's `crypto_ethereum`:",
        "",
        "- Addresses are EIP-55 checksummed (mixed case); compare them as they are, or lower-cased on both sides.",
        "- Amounts are exact decimals (`decimal(38,0)`, Python `Decimal` in pandas) in the smallest unit: wei for ETH",
        "  (10**18 per ETH), 10**decimals per token (NUSD: 6). `float(value) / 1e18` gives ETH.",
        "- Blocks come every 12 s; only blocks with transactions are listed. Hashes are random identifiers.",
        "- `eth_transactions.input` keeps only the 4-byte method id; decoded events are in `eth_events`, and internal",
        "  payments of ETH by contracts in `eth_traces`. Only the exchanges' hot wallets, the stablecoin issuer and the DEX's",
        "  liquidity provider hold ether in the genesis state (not listed); everyone else received theirs in a listed transaction.",
        "- Gas follows EIP-1559 and is paid from the sender's balance: fee = `receipt_gas_used` x `gas_price` (the base fee, burned,",
        "  plus the tip); `eth_blocks.base_fee_per_gas` moves with the blocks' fullness (`gas_used` / `gas_limit`).",
        "- The bridge locks ETH here and pays coins on the UTXO chain to the `destination` of its `BridgeDeposit` event.",
        "",
    ]
    for table in TABLES.values():
        where = "grading/world/…" if table.answer_key else "datasets/…"
        lines += [f"## `{table.name}` ({where})", "", table.about, "", "| column | type | meaning |", "|---|---|---|"]
        lines += [f"| `{name}` | {kind} | {about} |" for name, kind, about in table.columns]
        lines.append("")
    return "\n".join(lines)
