"""The transaction graph of the UTXO chain, built once from the `inputs` and `outputs` tables (module 05).

A `UtxoGraph` numbers every transaction, output ("coin") and address with integers, so tracing, taint and
clustering run on numpy arrays. It offers two views an investigator meets in tools:

- transaction level (`transaction_flows`): transaction A -> transaction B when B spends an output of A;
- address level (`address_flows`): address X -> address Y when a transaction spending X's coins pays Y
  (the amount is split over the inputs in proportion to their values, since a UTXO transaction does not
  say which input paid which output).

`tables_from_spec` writes small hand-made chains (such as the textbook taint case) in the same table shape.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property, lru_cache

import numpy as np
import pandas as pd

from .errors import AnalysisInputError

NOT_SPENT = -1


@dataclass(frozen=True, eq=False)
class UtxoGraph:
    """Transactions, outputs, inputs and addresses of a UTXO chain as integer arrays.

    Transactions are numbered in chain order (block, then position); outputs are grouped by transaction
    (`tx_outputs[t]:tx_outputs[t+1]` are transaction t's outputs), and inputs likewise (`tx_inputs`).
    """

    tx_hash: np.ndarray  # transaction id -> hash
    tx_block: np.ndarray
    tx_time: np.ndarray  # seconds since 1970 (UTC)
    tx_coinbase: np.ndarray
    tx_outputs: np.ndarray  # CSR pointer into the output arrays, length transactions + 1
    tx_inputs: np.ndarray  # CSR pointer into the input arrays, length transactions + 1
    address: np.ndarray  # address id -> address text
    out_tx: np.ndarray
    out_index: np.ndarray
    out_address: np.ndarray
    out_type: np.ndarray  # script type text
    out_value: np.ndarray
    out_spender: np.ndarray  # spending transaction id, or NOT_SPENT
    in_tx: np.ndarray
    in_output: np.ndarray  # output id the input spends
    in_address: np.ndarray
    in_value: np.ndarray
    # Wallet habits (module 06's fingerprints), when the tables carry them (None otherwise):
    tx_lock_time: np.ndarray | None = None  # transactions.lock_time
    tx_fee: np.ndarray | None = None  # transactions.fee (satoshi)
    tx_vsize: np.ndarray | None = None  # transactions.virtual_size
    in_sequence: np.ndarray | None = None  # inputs.sequence

    @property
    def transactions(self) -> int:
        return self.tx_hash.size

    @cached_property
    def tx_input_value(self) -> np.ndarray:
        """Sum of each transaction's input values (0 for coinbases)."""
        return np.bincount(self.in_tx, weights=self.in_value, minlength=self.transactions).astype(np.int64)

    @property
    def tx_input_count(self) -> np.ndarray:
        return np.diff(self.tx_inputs)

    @property
    def tx_output_count(self) -> np.ndarray:
        return np.diff(self.tx_outputs)

    # -- looking things up by their text -----------------------------------------------------------

    def address_ids(self, addresses, *, what: str = "address") -> np.ndarray:
        """Integer ids of addresses given as text; an unknown one raises a message naming it."""
        return _lookup(
            self.address_index,
            addresses,
            what,
            "Check for a typo; an address that never received coins is not on the chain.",
        )

    def tx_ids(self, hashes) -> np.ndarray:
        """Integer ids of transactions given by hash; an unknown one raises a message naming it."""
        return _lookup(
            self.tx_index, hashes, "transaction", "Copy the full 64-character hash from the transactions table."
        )

    def output_id(self, tx_hash: str, index: int) -> int:
        """The id of output `index` of transaction `tx_hash`."""
        tx = int(self.tx_ids([tx_hash])[0])
        first, end = self.tx_outputs[tx], self.tx_outputs[tx + 1]
        if not 0 <= index < end - first:
            raise AnalysisInputError(
                f"transaction {tx_hash[:12]}… has {end - first} outputs (index 0 to {end - first - 1}), not index {index}."
            )
        return int(first + index)

    def outputs_of_addresses(self, address_ids: np.ndarray) -> np.ndarray:
        """Ids of every output paid to the given addresses."""
        return np.flatnonzero(np.isin(self.out_address, address_ids))

    @cached_property
    def address_index(self) -> pd.Index:
        return pd.Index(self.address)

    @cached_property
    def tx_index(self) -> pd.Index:
        return pd.Index(self.tx_hash)

    # -- the two views --------------------------------------------------------------------------------

    def transaction_flows(self) -> pd.DataFrame:
        """Transaction-level view: one row per spent output, from the transaction that created it to the one that spent it."""
        spent = np.flatnonzero(self.out_spender != NOT_SPENT)
        return pd.DataFrame(
            {
                "from_transaction": self.tx_hash[self.out_tx[spent]],
                "to_transaction": self.tx_hash[self.out_spender[spent]],
                "output_index": self.out_index[spent],
                "address": self.address[self.out_address[spent]],
                "value": self.out_value[spent],
            }
        )

    def address_flows(self, transactions: np.ndarray | None = None) -> pd.DataFrame:
        """Address-level view: value each input address sent to each output address, per transaction (all, or the given ids).

        Every output's value is shared over the transaction's inputs in proportion to their values.
        """
        rows = np.arange(self.in_tx.size) if transactions is None else np.flatnonzero(np.isin(self.in_tx, transactions))
        senders, receivers = expand_ranges(
            rows, self.tx_outputs[self.in_tx[rows]], self.tx_outputs[self.in_tx[rows] + 1]
        )
        tx = self.in_tx[senders]
        value = self.out_value[receivers] * self.in_value[senders] / self.tx_input_value[tx]
        flows = pd.DataFrame(
            {
                "transaction_hash": self.tx_hash[tx],
                "from_address": self.address[self.in_address[senders]],
                "to_address": self.address[self.out_address[receivers]],
                "value": value,
            }
        )
        return flows.groupby(["transaction_hash", "from_address", "to_address"], sort=False, as_index=False)[
            "value"
        ].sum()


def expand_ranges(owners: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every (owner, position) with position in owner's range [start, end): CSR rows expanded without a loop."""
    counts = ends - starts
    repeated = np.repeat(owners, counts)
    offsets = np.arange(repeated.size) - np.repeat(np.cumsum(counts) - counts, counts)
    return repeated, np.repeat(starts, counts) + offsets


def _lookup(index: pd.Index, values, what: str, advice: str) -> np.ndarray:
    values = [values] if isinstance(values, str) else list(values)
    ids = index.get_indexer(values)
    if (ids < 0).any():
        missing = [v for v, i in zip(values, ids) if i < 0]
        shown = ", ".join(repr(str(m)) for m in missing[:3]) + (" …" if len(missing) > 3 else "")
        raise AnalysisInputError(f"{len(missing)} {what}(es) not found on this chain: {shown}. {advice}")
    return ids.astype(np.int64)


def build_graph(inputs: pd.DataFrame, outputs: pd.DataFrame, transactions: pd.DataFrame | None = None) -> UtxoGraph:
    """The graph of the chain in the `inputs` and `outputs` tables (and `transactions`, for blocks and times).

    Without `transactions`, blocks and times come from the outputs table.
    """
    _require(
        inputs,
        ("transaction_hash", "index", "spent_transaction_hash", "spent_output_index", "address", "value"),
        "inputs",
    )
    _require(outputs, ("transaction_hash", "index", "address", "value"), "outputs")
    if transactions is not None:
        _require(transactions, ("hash", "block_number", "block_timestamp"), "transactions")
        order = transactions.sort_values("block_number", kind="stable")
        tx_hash = order["hash"].to_numpy(object)
        tx_block = order["block_number"].to_numpy(np.int64)
        tx_time = seconds(order["block_timestamp"])
        tx_coinbase = order["is_coinbase"].to_numpy(bool) if "is_coinbase" in order else np.zeros(tx_hash.size, bool)
        habits = [order[c].to_numpy(np.int64) if c in order else None for c in ("lock_time", "fee", "virtual_size")]
        tx_index = pd.Index(tx_hash)
        out_tx = tx_index.get_indexer(outputs["transaction_hash"])
        if (out_tx < 0).any():
            raise AnalysisInputError(
                "some outputs belong to transactions missing from the transactions table; load both tables from the same world."
            )
    else:
        first_seen = outputs.drop_duplicates("transaction_hash")
        sort_key = first_seen["block_number"] if "block_number" in first_seen else pd.Series(np.arange(len(first_seen)))
        first_seen = first_seen.iloc[np.argsort(sort_key.to_numpy(), kind="stable")]
        tx_hash = first_seen["transaction_hash"].to_numpy(object)
        tx_block = (
            first_seen["block_number"].to_numpy(np.int64) if "block_number" in first_seen else np.arange(tx_hash.size)
        )
        tx_time = seconds(first_seen["block_timestamp"]) if "block_timestamp" in first_seen else tx_block.copy()
        tx_index = pd.Index(tx_hash)
        out_tx = tx_index.get_indexer(outputs["transaction_hash"])
        spending = set(inputs["transaction_hash"]) - set(tx_hash)
        if spending:
            raise AnalysisInputError(
                f"{len(spending)} transaction(s) have inputs but no outputs, e.g. {sorted(spending)[0]!r}; every transaction needs at least one output."
            )
        tx_coinbase = ~np.isin(np.arange(tx_hash.size), tx_index.get_indexer(inputs["transaction_hash"]))
        habits = [None, None, None]
    out_order = np.lexsort((outputs["index"].to_numpy(), out_tx))
    out_tx = out_tx[out_order].astype(np.int64)
    out_index = outputs["index"].to_numpy(np.int64)[out_order]
    out_value = outputs["value"].to_numpy(np.int64)[out_order]
    out_type = (outputs["type"].to_numpy(object) if "type" in outputs else np.full(len(outputs), "", object))[out_order]

    in_tx = tx_index.get_indexer(inputs["transaction_hash"]).astype(np.int64)
    in_order = np.lexsort((inputs["index"].to_numpy(), in_tx))
    in_tx = in_tx[in_order]
    in_value = inputs["value"].to_numpy(np.int64)[in_order]
    in_sequence = inputs["sequence"].to_numpy(np.int64)[in_order] if "sequence" in inputs else None
    spent_tx = tx_index.get_indexer(inputs["spent_transaction_hash"].to_numpy()[in_order]).astype(np.int64)
    spent_index = inputs["spent_output_index"].to_numpy(np.int64)[in_order]
    out_key = out_tx * (1 << 24) + out_index
    in_key = spent_tx * (1 << 24) + spent_index
    in_output = np.searchsorted(out_key, in_key)
    found = (spent_tx >= 0) & (in_output < out_key.size)
    found[found] = out_key[in_output[found]] == in_key[found]
    if not found.all():
        raise AnalysisInputError(
            f"{(~found).sum()} input(s) spend outputs that are not in the outputs table; load both tables from the same world."
        )
    out_spender = np.full(out_tx.size, NOT_SPENT, np.int64)
    out_spender[in_output] = in_tx

    codes, address = pd.factorize(
        np.concatenate([outputs["address"].to_numpy(object)[out_order], inputs["address"].to_numpy(object)[in_order]])
    )
    transactions_count = tx_hash.size
    return UtxoGraph(
        tx_hash=tx_hash,
        tx_block=tx_block,
        tx_time=tx_time,
        tx_coinbase=tx_coinbase,
        tx_outputs=np.searchsorted(out_tx, np.arange(transactions_count + 1)),
        tx_inputs=np.searchsorted(in_tx, np.arange(transactions_count + 1)),
        address=np.asarray(address, dtype=object),
        out_tx=out_tx,
        out_index=out_index,
        out_address=codes[: out_tx.size].astype(np.int64),
        out_type=out_type,
        out_value=out_value,
        out_spender=out_spender,
        in_tx=in_tx,
        in_output=in_output.astype(np.int64),
        in_address=codes[out_tx.size :].astype(np.int64),
        in_value=in_value,
        tx_lock_time=habits[0],
        tx_fee=habits[1],
        tx_vsize=habits[2],
        in_sequence=in_sequence,
    )


@lru_cache(maxsize=4)
def load_graph(profile: str = "classroom", seed: int | None = None) -> UtxoGraph:
    """The transaction graph of a synthetic world (built once per session and kept)."""
    from ..data import load

    return build_graph(
        load("inputs", profile, seed), load("outputs", profile, seed), load("transactions", profile, seed)
    )


def tables_from_spec(transactions: list[dict], start: str = "2024-05-01") -> tuple[pd.DataFrame, pd.DataFrame]:
    """(inputs, outputs) tables for a small hand-made chain, for worked examples and tests.

    Each transaction is a dict: `hash`, `inputs` (list of (spent transaction hash, output index)) and
    `outputs` (list of (address, value in satoshi)); optional `type` per output is guessed from the address.
    Transactions come in chain order, one per block, an hour apart; a transaction without inputs mints coins.
    """
    outputs, inputs, created = [], [], {}
    for block, tx in enumerate(transactions):
        when = pd.Timestamp(start, tz="UTC") + pd.Timedelta(hours=block)
        for index, (spent_hash, spent_index) in enumerate(tx.get("inputs", [])):
            if (spent_hash, spent_index) not in created:
                raise AnalysisInputError(
                    f"transaction {tx['hash']!r} spends {spent_hash!r} output {spent_index}, which no earlier transaction created."
                )
            address, value = created.pop((spent_hash, spent_index))
            inputs.append(
                dict(
                    transaction_hash=tx["hash"],
                    block_number=block,
                    block_timestamp=when,
                    index=index,
                    spent_transaction_hash=spent_hash,
                    spent_output_index=spent_index,
                    address=address,
                    type=_guess_type(address),
                    value=value,
                )
            )
        for index, (address, value) in enumerate(tx["outputs"]):
            created[(tx["hash"], index)] = (address, int(value))
            outputs.append(
                dict(
                    transaction_hash=tx["hash"],
                    block_number=block,
                    block_timestamp=when,
                    index=index,
                    address=address,
                    type=_guess_type(address),
                    value=int(value),
                )
            )
    input_columns = [
        "transaction_hash",
        "block_number",
        "block_timestamp",
        "index",
        "spent_transaction_hash",
        "spent_output_index",
        "address",
        "type",
        "value",
    ]
    return pd.DataFrame(inputs, columns=input_columns), pd.DataFrame(outputs)


def _guess_type(address: str) -> str:
    for prefix, kind in (
        ("bc1p", "witness_v1_taproot"),
        ("bc1q", "witness_v0_keyhash"),
        ("3", "scripthash"),
        ("1", "pubkeyhash"),
    ):
        if address.startswith(prefix):
            return kind
    return "witness_v0_keyhash"


def seconds(timestamps: pd.Series) -> np.ndarray:
    """UTC timestamps as whole seconds since 1970 (int64), for fast arithmetic on times."""
    return pd.to_datetime(timestamps, utc=True).to_numpy(dtype="datetime64[s]").astype(np.int64)


def _require(table: pd.DataFrame, columns: tuple[str, ...], name: str) -> None:
    if not isinstance(table, pd.DataFrame):
        raise AnalysisInputError(
            f"the {name} table must be a pandas DataFrame (from chainlab.load({name!r})), not {type(table).__name__}."
        )
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise AnalysisInputError(
            f"the {name} table lacks column(s) {', '.join(missing)}; load it with chainlab.load({name!r})."
        )
