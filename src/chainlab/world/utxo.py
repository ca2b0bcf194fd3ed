"""The UTXO (Bitcoin-like) chain: blocks, transactions, inputs and outputs, kept as integer arrays.

Scenarios add hand-written transactions with `send`; `traffic` adds the ordinary traffic in bulk;
`tables` turns everything into BigQuery-shaped Arrow tables once the world is complete.
"""

from __future__ import annotations

import hashlib
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pyarrow as pa

from ..chain.units import SATOSHI_PER_BTC
from . import encode
from .entities import (
    CHANGE_LAST,
    FEE_DECIMALS,
    INPUT_VSIZE,
    P2PKH,
    P2SH,
    P2TR,
    P2WPKH,
    SCRIPT_TYPES,
    SEQUENCE,
    SETS_LOCK_TIME,
    AddressBook,
    Growable,
)
from .profiles import WORLD_START

COIN = SATOSHI_PER_BTC
BLOCK_SUBSIDY = 312_500_000  # 3.125 coins, as after Bitcoin's April 2024 halving
DUST = 546
COINBASE_MATURITY = 100
TIMESTAMP = pa.timestamp("s", tz="UTC")


def block_times(rng: np.random.Generator, days: int) -> np.ndarray:
    """Block timestamps (seconds since 1970): block 0 at the world's start, then ~600 s apart (exponential)."""
    expected = days * 86_400 // 600
    gaps = np.maximum(1, np.rint(rng.exponential(600, size=expected * 2))).astype(np.int64)
    offsets = np.concatenate([[0], np.cumsum(gaps)])
    offsets = offsets[offsets < days * 86_400]
    return WORLD_START.astype(np.int64) + offsets


def fee_market(rng: np.random.Generator, times: np.ndarray) -> np.ndarray:
    """The going fee rate (satoshi per virtual byte) of each block: busier in the (European and American) working day,
    quieter at weekends, with congestion that drifts over hours and days."""
    hours = (times - times[0]) / 3_600
    hour_of_day = (times // 3_600) % 24
    weekday = (times // 86_400 + 3) % 7  # 1970-01-01 was a Thursday: 0 = Monday
    daily = 1 + 0.45 * np.sin(2 * np.pi * (hour_of_day - 9) / 24)
    weekly = np.where(weekday >= 5, 0.7, 1.0)
    steps = rng.normal(0, 0.12, int(hours[-1]) + 2)
    drift = np.empty_like(steps)  # hourly AR(1) congestion, half-life about a day
    level = 0.0
    for hour, step in enumerate(steps):
        level = 0.97 * level + step
        drift[hour] = level
    return 7.0 * daily * weekly * np.exp(drift[hours.astype(np.int64)])


def wallet_fee_rates(
    rng: np.random.Generator, going: np.ndarray | float, software: np.ndarray | int
) -> np.ndarray | float:
    """What wallets pay around the going rate: their estimates differ, and each software rounds in its own way."""
    going = np.asarray(going, float)
    rate = np.clip(going * rng.lognormal(0.0, 0.35, going.shape), 1.0, 300.0)
    scale = 10.0 ** FEE_DECIMALS[software]
    rounded = np.maximum(np.rint(rate * scale) / scale, 1.0)
    return rounded if rounded.ndim else float(rounded)


def vsize(input_kinds_vsize: np.ndarray | int, outputs: np.ndarray | int) -> np.ndarray | int:
    """An estimate of a transaction's virtual size from its inputs' sizes and its number of outputs."""
    return 11 + input_kinds_vsize + 31 * outputs


class UtxoLedger:
    """Every transaction, output and input of the UTXO chain, as growing integer arrays."""

    def __init__(self, times: np.ndarray, book: AddressBook, rng: np.random.Generator):
        self.times = times
        self.rng = rng
        self.book = book
        self.block_fees = np.zeros(times.size, np.int64)
        self.fee_rates = fee_market(rng, times)
        self.tx_block = Growable(np.int64)
        self.tx_order = Growable(np.float64)  # position inside its block
        self.tx_fee = Growable(np.int64)
        self.tx_coinbase = Growable(np.bool_)
        self.out_tx = Growable(np.int64, 1 << 16)
        self.out_index = Growable(np.int32, 1 << 16)
        self.out_address = Growable(np.int64, 1 << 16)
        self.out_value = Growable(np.int64, 1 << 16)
        self.out_block = Growable(np.int64, 1 << 16)
        self.out_reserved = Growable(np.bool_, 1 << 16)  # kept for a scenario: ordinary traffic never spends it
        self.out_spent = Growable(np.bool_, 1 << 16)
        self.out_change = Growable(np.bool_, 1 << 16)  # ground truth: the output returns change to the payer's wallet
        self.in_tx = Growable(np.int64, 1 << 16)
        self.in_index = Growable(np.int32, 1 << 16)
        self.in_output = Growable(np.int64, 1 << 16)
        self.genesis = self._add_tx(0, coinbase=True, fee=0, order=-1.0)
        self.genesis_outputs = 0

    # -- building blocks -------------------------------------------------------------------------

    def _add_tx(self, block: int, coinbase: bool, fee: int, order: float) -> int:
        self.tx_block.append(block)
        self.tx_order.append(order)
        self.tx_fee.append(fee)
        self.tx_coinbase.append(coinbase)
        self.block_fees[block] += 0 if coinbase else fee
        return self.tx_block.size - 1

    def add_txs(self, blocks: np.ndarray, orders: np.ndarray, fees: np.ndarray) -> np.ndarray:
        """Ordinary (non-coinbase) transactions in bulk; returns their ids."""
        ids = self.tx_block.extend(blocks)
        self.tx_order.extend(orders)
        self.tx_fee.extend(fees)
        self.tx_coinbase.extend(np.zeros(ids.size, np.bool_))
        np.add.at(self.block_fees, blocks, fees)
        return ids

    def add_outputs(self, txs, indices, addresses, values, blocks, reserved=False, change=False) -> np.ndarray:
        ids = self.out_tx.extend(txs)
        self.out_index.extend(indices)
        self.out_address.extend(addresses)
        self.out_value.extend(values)
        self.out_block.extend(blocks)
        self.out_reserved.extend(np.broadcast_to(reserved, ids.shape))
        self.out_spent.extend(np.zeros(ids.size, np.bool_))
        self.out_change.extend(np.broadcast_to(change, ids.shape))
        return ids

    def add_inputs(self, txs, indices, outputs) -> None:
        outputs = np.asarray(outputs, np.int64)
        spent = self.out_spent.values
        if spent[outputs].any() or not _distinct(outputs):
            raise ValueError("an output would be spent twice")
        spent[outputs] = True
        self.in_tx.extend(txs)
        self.in_index.extend(indices)
        self.in_output.extend(outputs)

    def block_at(self, timestamp: int) -> int:
        """The first block mined at or after `timestamp` (seconds since 1970)."""
        return int(np.searchsorted(self.times, timestamp))

    # -- scenario interface ----------------------------------------------------------------------

    def fund(self, addresses, values, reserved: bool = True) -> np.ndarray:
        """Opening balances paid to `addresses` in the genesis block; reserved coins wait for a scenario."""
        addresses = np.atleast_1d(addresses)
        indices = self.genesis_outputs + np.arange(addresses.size)
        self.genesis_outputs += addresses.size
        return self.add_outputs(
            np.full(addresses.size, self.genesis),
            indices,
            addresses,
            np.atleast_1d(values),
            np.zeros(addresses.size),
            reserved,
        )

    def send(
        self,
        inputs: list[int],
        payments: list[tuple[int, int | None]],
        when: int,
        change: int | None = None,
        fee_rate: float | None = None,
    ) -> tuple[int, list[int]]:
        """Spend `inputs` at time `when`: pay each (address, value); a value of None takes what is left.

        What remains after payments and fee goes to `change`. The fee rate is the going rate of the block (see
        `fee_market`), as a wallet would estimate it. Returns the transaction and its outputs.
        """
        inputs = [int(i) for i in inputs]
        software = int(
            self.book.registry.wallet_software.values[self.book.wallet.values[self.out_address.values[inputs[0]]]]
        )
        if fee_rate is None:
            fee_rate = wallet_fee_rates(
                self.rng, self.fee_rates[min(self.block_at(when), self.times.size - 1)], software
            )
        total = int(self.out_value.values[inputs].sum())
        kinds = self.book.kind.values[self.out_address.values[inputs]]
        outputs = len(payments) + (change is not None)
        fee = int(round(fee_rate * vsize(int(INPUT_VSIZE[kinds].sum()), outputs)))
        fixed = sum(v for _, v in payments if v is not None)
        rest = total - fee - fixed
        if rest < 0:
            raise ValueError(f"inputs hold {total} but payments and fee need {fixed + fee}")
        values = [rest if v is None else v for _, v in payments]
        rest = total - fee - sum(values)
        rows = [(a, v) for (a, _), v in zip(payments, values)]
        if change is not None and rest >= DUST:
            rows.append((change, rest))
        else:
            fee += rest
        block = max(self.block_at(when), int(self.out_block.values[inputs].max()) + 1)
        if block >= self.times.size:
            raise ValueError("the world ends before this transaction could be mined")
        tx = self._add_tx(block, coinbase=False, fee=fee, order=float(self.rng.random()))
        self.add_inputs([tx] * len(inputs), range(len(inputs)), inputs)
        with_change = len(rows) > len(payments)
        positions = np.arange(len(rows))
        if with_change and not CHANGE_LAST[software]:  # the change goes anywhere among the outputs
            slot = int(self.rng.integers(0, len(rows)))
            positions = np.r_[np.arange(slot), np.arange(slot + 1, len(rows)), slot]
        outs = self.add_outputs(
            [tx] * len(rows),
            positions,
            [a for a, _ in rows],
            [v for _, v in rows],
            [block] * len(rows),
            change=np.arange(len(rows)) == (len(payments) if with_change else -1),
        )
        return tx, [int(o) for o in outs]

    def coin_values(self, outputs: list[int]) -> list[int]:
        return [int(v) for v in self.out_value.values[outputs]]

    def add_coinbases(self, blocks: np.ndarray, miner_addresses: np.ndarray) -> None:
        """One coinbase per block paying the subsidy plus the block's fees to the block's miner."""
        txs = self.tx_block.extend(blocks)
        self.tx_order.extend(np.full(blocks.size, -1.0))
        self.tx_fee.extend(np.zeros(blocks.size, np.int64))
        self.tx_coinbase.extend(np.ones(blocks.size, np.bool_))
        self.add_outputs(txs, np.zeros(blocks.size), miner_addresses, BLOCK_SUBSIDY + self.block_fees[blocks], blocks)

    # -- output ----------------------------------------------------------------------------------

    def transaction_software(self) -> np.ndarray:
        """Each transaction's wallet software (by internal id): the software of its first input's wallet; -1 for
        coinbases."""
        software = np.full(self.tx_block.size, -1, np.int8)
        first = self.in_index.values == 0
        wallets = self.book.wallet.values[self.out_address.values[self.in_output.values[first]]]
        software[self.in_tx.values[first]] = self.book.registry.wallet_software.values[wallets]
        return software

    def lock_times(self, rng: np.random.Generator, software: np.ndarray) -> np.ndarray:
        """nLockTime by internal id: anti fee-sniping wallets set the height of the chain's tip when they signed (a
        block or a few before the one that mined it, now and then up to 100 lower); the others leave 0."""
        block = self.tx_block.values
        waited = rng.geometric(0.6, block.size) + np.where(
            rng.random(block.size) < 0.1, rng.integers(0, 100, block.size), 0
        )
        sets = (software >= 0) & SETS_LOCK_TIME[np.maximum(software, 0)]
        return np.where(sets, np.maximum(block - waited, 0), 0).astype(np.int64)

    def tables(self, rng: np.random.Generator, address_text: pa.Array) -> tuple[dict[str, pa.Table], np.ndarray]:
        """The chain as BigQuery-shaped tables (blocks, transactions, inputs, outputs) and each tx's row."""
        tx_count = self.tx_block.size
        order = np.lexsort((self.tx_order.values, self.tx_block.values))  # final position -> internal tx id
        position = np.empty(tx_count, np.int64)
        position[order] = np.arange(tx_count)
        raw_hashes = rng.integers(0, 256, size=(tx_count, 32), dtype=np.uint8)
        tx_hash = encode.hex_strings(raw_hashes)
        software = self.transaction_software()
        lock_time = self.lock_times(rng, software)

        out_rank = _sorted_by(position[self.out_tx.values], self.out_index.values)
        out_pos = position[self.out_tx.values[out_rank]]
        out_address = self.out_address.values[out_rank]
        out_value = self.out_value.values[out_rank]
        out_kind = self.book.kind.values[out_address]
        type_names = pa.array(SCRIPT_TYPES)
        outputs = pa.table(
            {
                "transaction_hash": tx_hash.take(pa.array(out_pos)),
                "block_number": self.tx_block.values[order][out_pos],
                "block_timestamp": pa.array(self.times[self.tx_block.values[order][out_pos]], TIMESTAMP),
                "index": self.out_index.values[out_rank],
                "address": address_text.take(pa.array(out_address)),
                "type": type_names.take(pa.array(out_kind)),
                "value": out_value,
            }
        )

        in_rank = _sorted_by(position[self.in_tx.values], self.in_index.values)
        in_pos = position[self.in_tx.values[in_rank]]
        spent = self.in_output.values[in_rank]
        spent_address = self.out_address.values[spent]
        inputs = pa.table(
            {
                "transaction_hash": tx_hash.take(pa.array(in_pos)),
                "block_number": self.tx_block.values[order][in_pos],
                "block_timestamp": pa.array(self.times[self.tx_block.values[order][in_pos]], TIMESTAMP),
                "index": self.in_index.values[in_rank],
                "spent_transaction_hash": tx_hash.take(pa.array(position[self.out_tx.values[spent]])),
                "spent_output_index": self.out_index.values[spent],
                "address": address_text.take(pa.array(spent_address)),
                "type": type_names.take(pa.array(self.book.kind.values[spent_address])),
                "value": self.out_value.values[spent],
                "sequence": SEQUENCE[np.maximum(software[self.in_tx.values[in_rank]], 0)],
            }
        )

        input_value = np.bincount(in_pos, weights=self.out_value.values[spent], minlength=tx_count).astype(np.int64)
        output_value = np.bincount(out_pos, weights=out_value, minlength=tx_count).astype(np.int64)
        input_count = np.bincount(in_pos, minlength=tx_count)
        output_count = np.bincount(out_pos, minlength=tx_count)
        input_vsize = np.bincount(in_pos, weights=INPUT_VSIZE[self.book.kind.values[spent_address]], minlength=tx_count)
        blocks_of_tx = self.tx_block.values[order]
        transactions = pa.table(
            {
                "hash": tx_hash,
                "virtual_size": vsize(input_vsize, output_count).astype(np.int64),
                "block_number": blocks_of_tx,
                "block_timestamp": pa.array(self.times[blocks_of_tx], TIMESTAMP),
                "input_count": input_count.astype(np.int64),
                "output_count": output_count.astype(np.int64),
                "input_value": input_value,
                "output_value": output_value,
                "fee": self.tx_fee.values[order],
                "is_coinbase": self.tx_coinbase.values[order],
                "lock_time": lock_time[order],
            }
        )
        return {
            "blocks": self._blocks_table(raw_hashes, blocks_of_tx),
            "transactions": transactions,
            "inputs": inputs,
            "outputs": outputs,
        }, position

    def _blocks_table(self, raw_hashes: np.ndarray, blocks_of_tx: np.ndarray) -> pa.Table:
        """Blocks whose hash commits to the previous block and to the block's transaction ids."""
        count = self.times.size
        starts = np.searchsorted(blocks_of_tx, np.arange(count + 1))
        previous = bytes(32)
        hashes, parents, roots = [], [], []
        flat = raw_hashes.tobytes()
        for number in range(count):
            root = hashlib.sha256(hashlib.sha256(flat[starts[number] * 32 : starts[number + 1] * 32]).digest()).digest()
            header = previous + root + int(self.times[number]).to_bytes(8, "big") + number.to_bytes(8, "big")
            digest = hashlib.sha256(hashlib.sha256(header).digest()).digest()
            parents.append(previous.hex())
            roots.append(root.hex())
            hashes.append(digest.hex())
            previous = digest
        return pa.table(
            {
                "hash": pa.array(hashes),
                "number": np.arange(count, dtype=np.int64),
                "timestamp": pa.array(self.times, TIMESTAMP),
                "previous_block_hash": pa.array(parents),
                "merkle_root": pa.array(roots),
                "transaction_count": np.diff(starts).astype(np.int64),
            }
        )


def _distinct(values: np.ndarray) -> bool:
    """Whether no value (a non-negative id) occurs twice, without sorting: each writes its position into a scratch
    array, and only one occurrence of a repeated value finds its own position there."""
    if values.size <= 64:
        return len(set(values.tolist())) == values.size
    marks = np.empty(int(values.max()) + 1, np.int64)
    positions = np.arange(values.size)
    marks[values] = positions
    return bool((marks[values] == positions).all())


def _sorted_by(major: np.ndarray, minor: np.ndarray) -> np.ndarray:
    """The order of rows by (major, minor), exactly as `np.lexsort((minor, major))` (a stable sort) gives it.

    Both are non-negative integers, so one key major * width + minor sorts them; when (as in a valid chain) no two rows
    share a key, the faster unstable sort gives the same order."""
    if major.size == 0:
        return np.arange(0)
    key = major.astype(np.int64) * (int(minor.max()) + 1) + minor
    order = np.argsort(key)
    if (np.diff(key[order]) == 0).any():
        order = np.argsort(key, kind="stable")
    return order


def encode_addresses(book: AddressBook, rng: np.random.Generator) -> pa.Array:
    """Every address's text, with a valid checksum, indexed by address id."""
    kinds = book.kind.values
    count = kinds.size
    hashes = rng.integers(0, 256, size=(count, 32), dtype=np.uint8)
    encoders = (
        (P2PKH, lambda h: encode.base58check(0x00, h[:, :20])),
        (P2SH, lambda h: encode.base58check(0x05, h[:, :20])),
        (P2WPKH, lambda h: encode.segwit(h[:, :20].copy(), 0)),
        (P2TR, lambda h: encode.segwit(encode.xonly_keys(rng, h.shape[0]), 1)),
    )  # output keys on the curve
    jobs = [(rows, encoder) for kind, encoder in encoders if (rows := np.flatnonzero(kinds == kind)).size]
    with ThreadPoolExecutor(max_workers=2) as pool:  # numpy and hashlib release the GIL for much of the work
        encoded = list(pool.map(lambda job: job[1](hashes[job[0]]), jobs))
    pieces = {number: (rows, text) for number, ((rows, _), text) in enumerate(zip(jobs, encoded))}
    ids = np.concatenate([rows for rows, _ in pieces.values()])
    strings = pa.concat_arrays([arr for _, arr in pieces.values()])
    back = np.empty(count, np.int64)
    back[ids] = np.arange(count)
    return strings.take(pa.array(back))
