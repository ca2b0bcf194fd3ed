"""Prove a built world's invariants: files match the manifest, value is conserved, nothing is spent twice,
spends follow creation, blocks chain and move forward in time, addresses carry valid checksums, and the
ground truth agrees with the chain."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..chain import addresses
from ..chain.units import SATOSHI_PER_BTC, WEI_PER_ETH, WEI_PER_GWEI
from . import encode, store
from .account import SLOT_SECONDS
from .defi import BRIDGE_FEE
from .paths import answer_dir, build_command, dataset_dir, resolve_seed
from .schema import ANSWER_TABLES, LEARNER_TABLES
from .utxo import BLOCK_SUBSIDY

ZERO_ADDRESS = "0x" + "0" * 40


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
        raise InvariantError(
            f"{folder / store.MANIFEST} describes profile {manifest['profile']} seed {manifest['seed']}. Fix: run `{fix} --force`."
        )
    report = [f"{len(t)} tables and {len(answers)} answer keys match their manifests and schemas"]
    failures = []

    def check(ok: bool, passed: str, failed: str) -> None:
        (report if ok else failures).append(passed if ok else failed)

    blocks, txs, inputs, outputs = (t[n] for n in ("blocks", "transactions", "inputs", "outputs"))
    times = blocks["timestamp"].cast(pa.int64()).to_numpy()
    check(
        bool(np.all(np.diff(times) > 0)) and np.array_equal(blocks["number"].to_numpy(), np.arange(blocks.num_rows)),
        f"{blocks.num_rows} blocks numbered in order with strictly increasing times",
        "block numbers or times are out of order",
    )
    check(
        _blocks_chain(blocks, txs),
        "every block hash commits to its parent and its transactions",
        "a block's hash does not match its parent or its transactions",
    )

    tx_hash = txs["hash"].to_numpy(zero_copy_only=False)
    position = {h: i for i, h in enumerate(tx_hash)} if txs.num_rows < 50_000 else None
    index_of = _indexer(tx_hash, position)
    check(
        len(set(tx_hash)) == tx_hash.size if position is None else len(position) == tx_hash.size,
        "transaction hashes are unique",
        "two transactions share a hash",
    )
    in_tx = index_of(inputs["transaction_hash"])
    out_tx = index_of(outputs["transaction_hash"])
    in_values = inputs["value"].to_numpy()
    out_values = outputs["value"].to_numpy()
    input_value = np.bincount(in_tx, weights=in_values, minlength=txs.num_rows).astype(np.int64)
    output_value = np.bincount(out_tx, weights=out_values, minlength=txs.num_rows).astype(np.int64)
    fee = txs["fee"].to_numpy()
    coinbase = txs["is_coinbase"].to_numpy(zero_copy_only=False)
    ordinary = ~coinbase
    check(
        np.array_equal(input_value, txs["input_value"].to_numpy())
        and np.array_equal(output_value, txs["output_value"].to_numpy())
        and np.all(input_value[ordinary] == output_value[ordinary] + fee[ordinary])
        and np.all(fee >= 0),
        f"value conserved in all {int(ordinary.sum())} transactions (inputs = outputs + fee)",
        "a transaction's inputs do not equal its outputs plus fee",
    )
    block_of_tx = txs["block_number"].to_numpy()
    fees_by_block = np.bincount(block_of_tx[ordinary], weights=fee[ordinary], minlength=blocks.num_rows).astype(
        np.int64
    )
    rewards = output_value[coinbase]
    reward_blocks = block_of_tx[coinbase]
    later = reward_blocks > 0
    check(
        np.array_equal(np.sort(reward_blocks), np.arange(blocks.num_rows))
        and np.all(rewards[later] == BLOCK_SUBSIDY + fees_by_block[reward_blocks[later]]),
        "one coinbase per block, paying the subsidy plus the block's fees",
        "a coinbase pays the wrong amount or is missing",
    )

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
    same = (out_values[spent_rows] == in_values) & pc.equal(
        outputs["address"].take(pa.array(spent_rows)), inputs["address"]
    ).to_numpy(zero_copy_only=False)
    check(
        bool(same.all()),
        "inputs carry the value and address of the output they spend",
        "an input's value or address differs from the output it spends",
    )
    check(
        bool(np.all(block_of_tx[in_tx] > block_of_tx[spent_tx])),
        "every spend comes in a later block than its output",
        "an output is spent before (or in the block where) it was created",
    )

    distinct = pc.unique(pa.chunked_array([outputs["address"].combine_chunks()]).combine_chunks())
    bad = invalid_addresses(distinct)
    sample = distinct.take(
        pa.array(np.linspace(0, len(distinct) - 1, min(len(distinct), 2_000)).astype(np.int64))
    ).to_pylist()
    check(
        not bad and all(addresses.is_valid(a) for a in sample),
        f"all {len(distinct)} addresses have valid checksums",
        f"invalid address checksum(s), e.g. {bad[:3]}",
    )

    owners, flows = answers["address_owners"], answers["flows"]
    check(
        pc.all(pc.is_in(distinct, owners["address"])).as_py(),
        "the answer key names the owner of every address",
        "an address on the chain has no owner in the answer key",
    )
    check(
        pc.all(pc.is_in(flows["transaction_hash"], txs["hash"])).as_py() and flows.num_rows > 0,
        f"all {flows.num_rows} labelled criminal flows are transactions on the chain",
        "a labelled flow is not on the chain",
    )
    wallets = np.asarray(owners["wallet"].to_numpy())[_lookup(owners["address"], inputs["address"])]
    roles = owners["role"].take(pa.array(_lookup(owners["address"], outputs["address"]))).to_numpy(zero_copy_only=False)
    coordinated = np.zeros(txs.num_rows, bool)
    coordinated[out_tx[roles == "coinjoin_coordinator"]] = True
    multi = np.zeros(txs.num_rows, bool)
    first_wallet = np.full(txs.num_rows, -1)
    first_wallet[in_tx[::-1]] = wallets[::-1]
    multi[in_tx[wallets != first_wallet[in_tx]]] = True
    check(
        not np.any(multi & ~coordinated),
        "all inputs of a transaction share one owner, except in CoinJoins",
        "a transaction spends coins of several owners without being a CoinJoin",
    )
    kyc_deposits = t["deposit_addresses"]
    both = pa.concat_tables(
        [owners.select(["address", "entity"]), answers["account_owners"].select(["address", "entity"])]
    )
    deposit_owner = both["entity"].take(pa.array(_lookup(both["address"], kyc_deposits["address"])))
    check(
        pc.all(pc.equal(deposit_owner, kyc_deposits["exchange"])).as_py(),
        "every assigned deposit address belongs to its exchange",
        "a deposit address belongs to someone else",
    )

    _verify_account_chain(t, answers, check)
    _verify_records(t, answers, check)

    if failures:
        raise InvariantError(
            f"{folder}: {failures[0]}. Fix: run `{fix} --force` (and report a bug if it happens again)."
        )
    return report


def _verify_account_chain(t: dict, answers: dict, check) -> None:
    """The account chain's rules: checksums, balances, the issuer's freeze, the bridge and the mixer pools."""
    blocks, txs, transfers, events, traces = (
        t[n] for n in ("eth_blocks", "eth_transactions", "token_transfers", "eth_events", "eth_traces")
    )
    columns = [
        txs["from_address"],
        txs["to_address"],
        transfers["token_address"],
        transfers["from_address"],
        transfers["to_address"],
        traces["from_address"],
        traces["to_address"],
        events["contract_address"],
        events["account"],
        t["tokens"]["address"],
        t["contracts"]["address"],
        pc.filter(t["deposit_addresses"]["address"], pc.equal(t["deposit_addresses"]["chain"], "ethereum")),
        pc.filter(t["tags"]["address"], pc.equal(t["tags"]["chain"], "ethereum")),
    ]
    distinct = pc.unique(pa.concat_arrays([pa.chunked_array(c).combine_chunks() for c in columns]).drop_null())
    bad = invalid_eip55(distinct)
    check(
        not bad,
        f"all {len(distinct)} account-chain addresses have valid EIP-55 checksums",
        f"invalid EIP-55 address(es), e.g. {bad[:3]}",
    )
    owners = answers["account_owners"]
    check(
        pc.all(pc.is_in(distinct, owners["address"])).as_py(),
        "the answer key names the owner of every account-chain address",
        "an account-chain address has no owner in the answer key",
    )

    numbers = blocks["number"].to_numpy()
    times = blocks["timestamp"].cast(pa.int64()).to_numpy()
    tx_blocks = txs["block_number"].to_numpy()
    check(
        bool(np.all(np.diff(numbers) > 0) and np.all(np.diff(times) == np.diff(numbers) * SLOT_SECONDS))
        and np.array_equal(
            np.bincount(np.searchsorted(numbers, tx_blocks), minlength=numbers.size),
            blocks["transaction_count"].to_numpy(),
        ),
        f"{blocks.num_rows} account-chain blocks 12 s apart, each holding the transactions it counts",
        "account-chain blocks are out of order or miscount their transactions",
    )
    check(
        pc.count_distinct(txs["hash"]).as_py() == txs.num_rows,
        "account-chain transaction hashes are unique",
        "two account-chain transactions share a hash",
    )
    senders = txs["from_address"].to_numpy(zero_copy_only=False)
    order = np.lexsort((txs["transaction_index"].to_numpy(), tx_blocks, senders))
    nonces = txs["nonce"].to_numpy()[order]
    first = np.r_[True, senders[order][1:] != senders[order][:-1]]
    expected = np.arange(order.size) - np.maximum.accumulate(np.where(first, np.arange(order.size), 0))
    check(
        np.array_equal(nonces, expected),
        "every sender's nonces count 0, 1, 2, ... in chain order",
        "a sender's nonces skip or repeat",
    )

    ok_tx = pc.is_in(
        transfers["transaction_hash"], pc.filter(txs["hash"], pc.equal(txs["receipt_status"], 1))
    ).to_numpy(zero_copy_only=False)
    check(
        bool(ok_tx.all()), "token transfers happen only in successful transactions", "a failed transaction moved tokens"
    )
    position = transfers["block_number"].to_numpy() * 1_000_000 + transfers["log_index"].to_numpy()
    token = transfers["token_address"].to_numpy(zero_copy_only=False)
    value = transfers["value"].cast(pa.int64()).to_numpy()
    source = transfers["from_address"].to_numpy(zero_copy_only=False)
    minted = source == ZERO_ADDRESS
    holder = np.concatenate([source[~minted], transfers["to_address"].to_numpy(zero_copy_only=False)])
    change = np.concatenate([-value[~minted], value])
    when = np.concatenate([position[~minted] * 2, position * 2 + 1])  # within one event, the debit comes first
    keys = np.char.add(np.concatenate([token[~minted], token]).astype(str), holder.astype(str))
    order = np.lexsort((when, keys))
    running = np.cumsum(change[order])
    starts = np.r_[True, keys[order][1:] != keys[order][:-1]]
    running -= np.repeat(np.r_[0, running][:-1][starts], np.diff(np.r_[np.flatnonzero(starts), order.size]))
    check(
        bool(np.all(running >= 0)),
        f"no token balance ever goes below zero ({transfers.num_rows} transfers replayed)",
        "a token balance goes below zero",
    )

    frozen = pc.filter(events, pc.equal(events["event"], "AddressFrozen"))
    late = [
        position[(token == row["contract_address"]) & (source == row["account"])].max(initial=-1)
        > row["block_number"] * 1_000_000 + row["log_index"]
        for row in frozen.to_pylist()
    ]
    check(
        not any(late),
        f"no frozen account sends the token after its freeze ({frozen.num_rows} freezes)",
        "a frozen account sent tokens after its freeze",
    )

    _verify_gas(blocks, txs, check)
    _verify_bridge(t, answers, events, check)
    _verify_dex(t, events, traces, check)
    _verify_mixers(t, events, traces, check)
    flows, links = answers["eth_flows"], answers["mixer_links"]
    check(
        pc.all(pc.is_in(flows["transaction_hash"], txs["hash"])).as_py()
        and flows.num_rows > 0
        and pc.all(pc.is_in(links["deposit_transaction_hash"], txs["hash"])).as_py(),
        f"all {flows.num_rows} labelled account-chain flows and every mixer link are transactions on the chain",
        "a labelled account-chain flow or mixer link is not on the chain",
    )


def _verify_gas(blocks: pa.Table, txs: pa.Table, check) -> None:
    """Gas as Ethereum charges it: used within the sender's limit (exactly 21,000 for a plain payment), the price
    EIP-1559 gives (base fee plus tip, capped by the max fee; never below the base fee), blocks that hold their
    transactions' gas, and a base fee that moves by at most 1/8 a block, with the block's fullness."""
    number = blocks["number"].to_numpy()
    base = blocks["base_fee_per_gas"].to_numpy()
    block_used, block_limit = blocks["gas_used"].to_numpy(), blocks["gas_limit"].to_numpy()
    row = np.searchsorted(number, txs["block_number"].to_numpy())
    used, limit = txs["receipt_gas_used"].to_numpy(), txs["gas"].to_numpy()
    plain = pc.equal(txs["input"], "0x").to_numpy(zero_copy_only=False)
    check(
        bool(np.all(used <= limit) and np.all(used[plain] == 21_000) and np.all(used[~plain] > 21_000)),
        f"all {txs.num_rows} account-chain transactions use no more gas than their limit (plain payments exactly 21,000)",
        "a transaction uses more gas than its limit, or a plain payment does not use exactly 21,000 gas",
    )
    price, effective = txs["gas_price"].to_numpy(), txs["receipt_effective_gas_price"].to_numpy()
    dynamic = txs["transaction_type"].to_numpy() == 2
    cap = txs["max_fee_per_gas"].to_numpy(zero_copy_only=False)[dynamic]
    tip = txs["max_priority_fee_per_gas"].to_numpy(zero_copy_only=False)[dynamic]
    check(
        bool(
            np.array_equal(price, effective)
            and np.all(price >= base[row])
            and np.array_equal(effective[dynamic], np.minimum(cap, base[row][dynamic] + tip))
        ),
        f"every transaction pays at least its block's base fee, and the {int(dynamic.sum())} EIP-1559 ones pay the "
        "base fee plus their tip, capped by their max fee",
        "a transaction's gas price is below its block's base fee, or not the base fee plus tip capped by the max fee",
    )
    held = np.bincount(row, weights=used, minlength=number.size)
    check(
        bool(np.all(held <= block_used) and np.all(block_used <= block_limit)),
        "every account-chain block's gas used covers its transactions' gas and stays within the block gas limit",
        "a block's gas used is less than its transactions' gas, or more than its gas limit",
    )
    adjacent = np.flatnonzero(np.diff(number) == 1)
    target = block_limit[adjacent] / 2
    expected = base[adjacent] * (1 + (block_used[adjacent] - target) / target / 8)
    check(
        adjacent.size > 0 and bool(np.allclose(base[adjacent + 1], expected, rtol=1e-3)),
        f"the base fee follows EIP-1559's rule over {adjacent.size} pairs of consecutive blocks (up after blocks fuller "
        "than half their gas limit, down after emptier ones, by at most 1/8)",
        "a block's base fee does not follow EIP-1559's rule from the block before it",
    )


def _verify_bridge(t: dict, answers: dict, events: pa.Table, check) -> None:
    deposits = pc.filter(events, pc.equal(events["event"], "BridgeDeposit")).to_pandas()
    outputs, inputs = t["outputs"], t["inputs"]
    owners = answers["address_owners"]
    bridge_addresses = pc.filter(owners["address"], pc.equal(owners["role"], "bridge"))
    release_txs = pc.unique(pc.filter(inputs["transaction_hash"], pc.is_in(inputs["address"], bridge_addresses)))
    releases = outputs.filter(
        pc.and_(
            pc.is_in(outputs["transaction_hash"], release_txs),
            pc.invert(pc.is_in(outputs["address"], bridge_addresses)),
        )
    ).to_pandas()
    prices = t["prices"].to_pandas().pivot(index="timestamp", columns="symbol", values="price_usd")
    paid = releases.set_index("address")
    end = t["blocks"]["timestamp"].cast(pa.int64()).to_numpy()[-1]
    matched = unmatched_late = 0
    wrong = []
    for row in deposits.itertuples():
        if row.destination not in paid.index:
            unmatched_late += int(row.block_timestamp.timestamp() > end - 2 * 3600)
            continue
        release = paid.loc[[row.destination]].iloc[0]
        hour = prices.loc[row.block_timestamp.floor("h")]
        expected = float(row.amount) / WEI_PER_ETH * hour["ETH"] / hour["BTC"] * SATOSHI_PER_BTC * (1 - BRIDGE_FEE)
        if release.block_timestamp < row.block_timestamp or abs(release.value - expected) > 0.001 * expected + 2:
            wrong.append(row.reference)
        matched += 1
    check(
        matched + unmatched_late == len(deposits) and not wrong and len(releases) == matched,
        f"every bridge deposit ({matched}) is released once on the UTXO chain, later, at the hour's price less the fee",
        f"bridge deposits and releases do not match (e.g. {wrong[:2]})",
    )


def _verify_dex(t: dict, events: pa.Table, traces: pa.Table, check) -> None:
    """Replay every DEX pool in chain order: each swap pays exactly what the constant-product rule (0.3% fee) gives
    for the pool's reserves just before it."""
    contracts, txs, transfers = t["contracts"], t["eth_transactions"], t["token_transfers"]
    chain_position = lambda table: table["block_number"].to_numpy() * 1_000_000 + table["transaction_index"].to_numpy()  # noqa: E731
    position_of = dict(zip(txs["hash"].to_pylist(), chain_position(txs).tolist()))
    replayed, broken = 0, []
    for pool in pc.filter(contracts["address"], pc.equal(contracts["kind"], "dex_pool")).to_pylist():
        paid_in = txs.filter(pc.and_(pc.equal(txs["to_address"], pool), pc.equal(txs["receipt_status"], 1)))
        paid_out = traces.filter(pc.equal(traces["from_address"], pool))
        tokens_in = transfers.filter(pc.equal(transfers["to_address"], pool))
        tokens_out = transfers.filter(pc.equal(transfers["from_address"], pool))
        flows = []  # (chain position, gwei change, token change)
        flows += [(p, _gwei(v), 0) for p, v in zip(chain_position(paid_in).tolist(), paid_in["value"].to_pylist())]
        flows += [
            (position_of[h], -_gwei(v), 0)
            for h, v in zip(paid_out["transaction_hash"].to_pylist(), paid_out["value"].to_pylist())
        ]
        flows += [
            (position_of[h], 0, int(v))
            for h, v in zip(tokens_in["transaction_hash"].to_pylist(), tokens_in["value"].to_pylist())
        ]
        flows += [
            (position_of[h], 0, -int(v))
            for h, v in zip(tokens_out["transaction_hash"].to_pylist(), tokens_out["value"].to_pylist())
        ]
        flows.sort(key=lambda f: f[0])
        swaps = events.filter(
            pc.and_(pc.equal(events["contract_address"], pool), pc.equal(events["event"], "Swap"))
        ).to_pylist()
        swaps.sort(key=lambda e: position_of[e["transaction_hash"]])
        gwei = units = 0
        next_flow = 0
        for swap in swaps:
            here = position_of[swap["transaction_hash"]]
            while next_flow < len(flows) and flows[next_flow][0] < here:
                gwei, units = gwei + flows[next_flow][1], units + flows[next_flow][2]
                next_flow += 1
            native_in = swap["asset"] == "ETH"
            amount_in = _gwei(swap["amount"]) if native_in else int(swap["amount"])
            amount_out = int(swap["amount_out"]) if native_in else _gwei(swap["amount_out"])
            reserve_in, reserve_out = (gwei, units) if native_in else (units, gwei)
            fair = reserve_out * amount_in * 997 // (reserve_in * 1000 + amount_in * 997)
            replayed += 1
            if amount_out != fair:
                broken.append(swap["transaction_hash"])
    check(
        not broken,
        f"all {replayed} DEX swaps fit the pool's reserves at their place in the chain (x * y = k, 0.3% fee)",
        f"{len(broken)} DEX swaps do not fit the pool's reserves at their place in the chain (e.g. {broken[:1]})",
    )


def _gwei(wei) -> int:
    return int(wei) // WEI_PER_GWEI


def _verify_records(t: dict, answers: dict, check) -> None:
    """Off-chain records agree with the chains: tags and their truth name the same addresses; logins fall while the
    account is open and the chain data runs."""
    tags, truth = t["tags"], answers["tag_truth"]
    same = (
        truth.num_rows == tags.num_rows
        and pc.all(pc.equal(truth["address"], tags["address"])).as_py()
        and pc.all(pc.equal(truth["label"], tags["label"])).as_py()
    )
    on_chain = {"bitcoin": answers["address_owners"]["address"], "ethereum": answers["account_owners"]["address"]}
    known = all(
        pc.all(pc.is_in(pc.filter(tags["address"], pc.equal(tags["chain"], chain)), addresses)).as_py()
        for chain, addresses in on_chain.items()
    )
    check(
        same and known,
        f"every tag's truth names the tagged address on its own chain ({tags.num_rows} tags)",
        "the tag truth names a different address than the tag, or a tag names an address not on its chain",
    )
    logins, kyc = t["logins"], t["kyc"]
    end = max(pc.max(t["blocks"]["timestamp"]).as_py(), pc.max(t["eth_blocks"]["timestamp"]).as_py())
    opened = dict(
        zip(
            zip(kyc["exchange"].to_pylist(), kyc["account_id"].to_pylist()),
            kyc["opened_at"].cast(pa.int64()).to_pylist(),
        )
    )
    login_opened = np.array(
        [opened[k] for k in zip(logins["exchange"].to_pylist(), logins["account_id"].to_pylist())], np.int64
    )
    times = logins["timestamp"].cast(pa.int64()).to_numpy()
    late = int((times > end.timestamp()).sum())
    early = int((times < login_opened).sum())
    check(
        late == 0 and early == 0,
        f"all {logins.num_rows} logins fall after their account opened and before the chain data ends",
        f"{late} logins fall after the chain data ends and {early} before their account opened",
    )


def _verify_mixers(t: dict, events: pa.Table, traces: pa.Table, check) -> None:
    contracts = t["contracts"].to_pandas()
    problems = []
    for pool in contracts.loc[contracts.kind == "mixer", "address"]:
        mine = (
            events.filter(pc.equal(events["contract_address"], pool))
            .to_pandas()
            .sort_values(["block_number", "log_index"])
        )
        mine = mine[mine.event.isin(["Deposit", "Withdrawal"])]
        balance = np.cumsum(np.where(mine.event == "Deposit", 1, -1))
        paid = traces.filter(pc.equal(traces["from_address"], pool)).to_pandas().groupby("transaction_hash").value.sum()
        deposits = mine[mine.event == "Deposit"].amount
        denomination = deposits.iloc[0] if len(deposits) else 0
        withdrawn = mine.loc[mine.event == "Withdrawal", "transaction_hash"]
        if (balance < 0).any() or (deposits != denomination).any() or (paid.reindex(withdrawn) != denomination).any():
            problems.append(pool)
    check(
        not problems,
        "every mixer pool pays out at most what was deposited, one fixed denomination per note",
        f"a mixer pool pays out more than was deposited or a wrong amount ({problems[:1]})",
    )


def invalid_eip55(texts: pa.Array) -> list[str]:
    """The account-chain addresses among `texts` whose EIP-55 capitalisation (checksum) is wrong."""
    values = texts.to_pylist()
    raw = np.frombuffer(b"".join(bytes.fromhex(v[2:]) for v in values), np.uint8).reshape(len(values), 20)
    expected = np.array(encode.eip55(raw).to_pylist(), dtype=object) if values else np.array([], dtype=object)
    return [v for v, e in zip(values, expected) if v != e]


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
    for number, (block_hash, parent, timestamp) in enumerate(
        zip(
            blocks["hash"].to_pylist(),
            blocks["previous_block_hash"].to_pylist(),
            blocks["timestamp"].cast(pa.int64()).to_pylist(),
        )
    ):
        ids = b"".join(bytes.fromhex(h) for h in hashes[starts[number] : starts[number + 1]])
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
            expanded = np.concatenate(
                [np.tile(np.array(encode.MAINNET_HRP_EXPANDED, np.uint8), (rows.size, 1)), data], axis=1
            )
            constant = 1 if version == 0 else encode.BECH32M_CONSTANT
            ok = (data != 255).all(axis=1) & (encode._bech32_polymod(expanded) == constant)
            bad += rows[~ok].tolist()
    for text in values[~segwit]:
        if not addresses.is_valid(text):
            bad.append(text)
    return bad
