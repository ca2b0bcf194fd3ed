"""Prove a built world's invariants: files match the manifest, value is conserved, nothing is spent twice,
spends follow creation, blocks chain and move forward in time, addresses carry valid checksums, and the
ground truth agrees with the chain."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .. import addresses
from ..data import answer_dir, build_command, dataset_dir, resolve_seed
from . import encode, store
from .schema import ANSWER_TABLES, LEARNER_TABLES
from .utxo import BLOCK_SUBSIDY


class InvariantError(RuntimeError):
    """A built world breaks one of the chain's rules."""


def verify(profile: str = "classroom", seed: int | None = None, *, root: Path | None = None) -> list[str]:
    """Check everything; return one line per check passed, or raise naming the first failure and its fix."""
    seed = resolve_seed(seed)
    fix = build_command(profile, seed)
    folder, keys = dataset_dir(profile, seed, root), answer_dir(profile, seed, root)
    manifest = store.read_manifest(folder, fix)
    t = {name: store.read_table(folder, name, manifest, fix) for name in LEARNER_TABLES}
    key_manifest = store.read_manifest(keys, fix)
    answers = {name: store.read_table(keys, name, key_manifest, fix) for name in ANSWER_TABLES}
    if (manifest["profile"], manifest["seed"]) != (profile, seed):
        raise InvariantError(f"{folder / store.MANIFEST} describes profile {manifest['profile']} seed {manifest['seed']}. Fix: run `{fix} --force`.")
    report = [f"{len(t)} tables and {len(answers)} answer keys match their manifests and schemas"]
    failures = []

    def check(ok: bool, passed: str, failed: str) -> None:
        (report if ok else failures).append(passed if ok else failed)

    blocks, txs, inputs, outputs = (t[n] for n in ("blocks", "transactions", "inputs", "outputs"))
    times = blocks["timestamp"].cast(pa.int64()).to_numpy()
    check(bool(np.all(np.diff(times) > 0)) and np.array_equal(blocks["number"].to_numpy(), np.arange(blocks.num_rows)),
          f"{blocks.num_rows} blocks numbered in order with strictly increasing times", "block numbers or times are out of order")
    check(_blocks_chain(blocks, txs), "every block hash commits to its parent and its transactions",
          "a block's hash does not match its parent or its transactions")

    tx_hash = txs["hash"].to_numpy(zero_copy_only=False)
    position = {h: i for i, h in enumerate(tx_hash)} if txs.num_rows < 50_000 else None
    index_of = _indexer(tx_hash, position)
    check(len(set(tx_hash)) == tx_hash.size if position is None else len(position) == tx_hash.size,
          "transaction hashes are unique", "two transactions share a hash")
    in_tx = index_of(inputs["transaction_hash"])
    out_tx = index_of(outputs["transaction_hash"])
    in_values = inputs["value"].to_numpy()
    out_values = outputs["value"].to_numpy()
    input_value = np.bincount(in_tx, weights=in_values, minlength=txs.num_rows).astype(np.int64)
    output_value = np.bincount(out_tx, weights=out_values, minlength=txs.num_rows).astype(np.int64)
    fee = txs["fee"].to_numpy()
    coinbase = txs["is_coinbase"].to_numpy(zero_copy_only=False)
    ordinary = ~coinbase
    check(np.array_equal(input_value, txs["input_value"].to_numpy()) and np.array_equal(output_value, txs["output_value"].to_numpy())
          and np.all(input_value[ordinary] == output_value[ordinary] + fee[ordinary]) and np.all(fee >= 0),
          f"value conserved in all {int(ordinary.sum())} transactions (inputs = outputs + fee)",
          "a transaction's inputs do not equal its outputs plus fee")
    block_of_tx = txs["block_number"].to_numpy()
    fees_by_block = np.bincount(block_of_tx[ordinary], weights=fee[ordinary], minlength=blocks.num_rows).astype(np.int64)
    rewards = output_value[coinbase]
    reward_blocks = block_of_tx[coinbase]
    later = reward_blocks > 0
    check(np.array_equal(np.sort(reward_blocks), np.arange(blocks.num_rows))
          and np.all(rewards[later] == BLOCK_SUBSIDY + fees_by_block[reward_blocks[later]]),
          "one coinbase per block, paying the subsidy plus the block's fees", "a coinbase pays the wrong amount or is missing")

    spent_tx = index_of(inputs["spent_transaction_hash"])
    spent_key = spent_tx * 100_000 + inputs["spent_output_index"].to_numpy()
    out_key = out_tx * 100_000 + outputs["index"].to_numpy()
    order = np.argsort(out_key)
    found = np.searchsorted(out_key[order], spent_key)
    found = np.minimum(found, out_key.size - 1)
    exists = out_key[order][found] == spent_key
    spent_rows = order[found]
    check(bool(exists.all()), "every input spends an existing output", "an input spends an output that does not exist")
    check(np.unique(spent_key).size == spent_key.size, "no output is spent twice", "an output is spent twice")
    same = (out_values[spent_rows] == in_values) & pc.equal(outputs["address"].take(pa.array(spent_rows)), inputs["address"]).to_numpy(zero_copy_only=False)
    check(bool(same.all()), "inputs carry the value and address of the output they spend",
          "an input's value or address differs from the output it spends")
    check(bool(np.all(block_of_tx[in_tx] > block_of_tx[spent_tx])), "every spend comes in a later block than its output",
          "an output is spent before (or in the block where) it was created")

    distinct = pc.unique(pa.chunked_array([outputs["address"].combine_chunks()]).combine_chunks())
    bad = invalid_addresses(distinct)
    sample = distinct.take(pa.array(np.linspace(0, len(distinct) - 1, min(len(distinct), 2_000)).astype(np.int64))).to_pylist()
    check(not bad and all(addresses.is_valid(a) for a in sample),
          f"all {len(distinct)} addresses have valid checksums", f"invalid address checksum(s), e.g. {bad[:3]}")

    owners, flows = answers["address_owners"], answers["flows"]
    check(pc.all(pc.is_in(distinct, owners["address"])).as_py(), "the answer key names the owner of every address",
          "an address on the chain has no owner in the answer key")
    check(pc.all(pc.is_in(flows["transaction_hash"], txs["hash"])).as_py() and flows.num_rows > 0,
          f"all {flows.num_rows} labelled criminal flows are transactions on the chain", "a labelled flow is not on the chain")
    wallets = np.asarray(owners["wallet"].to_numpy())[_lookup(owners["address"], inputs["address"])]
    roles = owners["role"].take(pa.array(_lookup(owners["address"], outputs["address"]))).to_numpy(zero_copy_only=False)
    coordinated = np.zeros(txs.num_rows, bool)
    coordinated[out_tx[roles == "coinjoin_coordinator"]] = True
    multi = np.zeros(txs.num_rows, bool)
    first_wallet = np.full(txs.num_rows, -1)
    first_wallet[in_tx[::-1]] = wallets[::-1]
    multi[in_tx[wallets != first_wallet[in_tx]]] = True
    check(not np.any(multi & ~coordinated), "all inputs of a transaction share one owner, except in CoinJoins",
          "a transaction spends coins of several owners without being a CoinJoin")
    kyc_deposits = t["deposit_addresses"]
    deposit_owner = owners["entity"].take(pa.array(_lookup(owners["address"], kyc_deposits["address"])))
    check(pc.all(pc.equal(deposit_owner, kyc_deposits["exchange"])).as_py(),
          "every assigned deposit address belongs to its exchange", "a deposit address belongs to someone else")

    if failures:
        raise InvariantError(f"{folder}: {failures[0]}. Fix: run `{fix} --force` (and report a bug if it happens again).")
    return report


def _indexer(hashes: np.ndarray, position: dict | None):
    """A function mapping a column of transaction hashes to row numbers in `hashes`."""
    if position is not None:
        return lambda column: np.fromiter((position[h] for h in column.to_pylist()), np.int64, len(column))
    order = np.argsort(hashes)
    ordered = hashes[order]

    def index_of(column) -> np.ndarray:
        values = column.to_numpy(zero_copy_only=False)
        return order[np.searchsorted(ordered, values)]

    return index_of


def _lookup(keys: pa.ChunkedArray, values: pa.ChunkedArray) -> np.ndarray:
    return pc.index_in(values, value_set=keys.combine_chunks()).to_numpy(zero_copy_only=False).astype(np.int64)


def _blocks_chain(blocks: pa.Table, txs: pa.Table) -> bool:
    hashes = txs["hash"].to_pylist()
    numbers = txs["block_number"].to_numpy()
    starts = np.searchsorted(numbers, np.arange(blocks.num_rows + 1))
    previous = bytes(32)
    for number, (block_hash, parent, timestamp) in enumerate(zip(blocks["hash"].to_pylist(), blocks["previous_block_hash"].to_pylist(),
                                                                  blocks["timestamp"].cast(pa.int64()).to_pylist())):
        ids = b"".join(bytes.fromhex(h) for h in hashes[starts[number]:starts[number + 1]])
        root = hashlib.sha256(hashlib.sha256(ids).digest()).digest()
        header = previous + root + timestamp.to_bytes(8, "big") + number.to_bytes(8, "big")
        digest = hashlib.sha256(hashlib.sha256(header).digest()).digest()
        if parent != previous.hex() or block_hash != digest.hex():
            return False
        previous = digest
    return True


def invalid_addresses(texts: pa.Array) -> list[str]:
    """The addresses among `texts` whose checksum fails (vectorised; `chainlab.addresses` checks a sample)."""
    values = np.array(texts.to_pylist(), dtype=object)
    bad = []
    segwit = np.char.startswith(values.astype(str), "bc1")
    for version, prefix in ((0, "bc1q"), (1, "bc1p")):
        rows = values[np.char.startswith(values.astype(str), prefix)]
        if rows.size:
            chars = np.frombuffer("".join(rows).encode(), np.uint8).reshape(rows.size, -1)
            lookup = np.full(128, 255, np.uint8)
            lookup[encode.BECH32_DIGITS] = np.arange(32)
            data = lookup[chars[:, 3:]]
            expanded = np.concatenate([np.tile(np.array(encode.MAINNET_HRP_EXPANDED, np.uint8), (rows.size, 1)), data], axis=1)
            constant = 1 if version == 0 else encode.BECH32M_CONSTANT
            ok = (data != 255).all(axis=1) & (encode._bech32_polymod(expanded) == constant)
            bad += rows[~ok].tolist()
    for text in values[~segwit]:
        if not addresses.is_valid(text):
            bad.append(text)
    return bad
