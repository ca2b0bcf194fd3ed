"""Realism of freshly built classroom worlds: the off-chain records, the DEX, gas, prices and wallet habits behave as
on real chains, and `verify` catches a world where they do not."""

import shutil

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from chainlab.cohort import DEFAULT_SEED
from chainlab.data import answer_dir, dataset_dir
from chainlab.world.verify import InvariantError, verify

from .worlds import SEEDS, rewrite_table


def _table(root, name, seed=DEFAULT_SEED, answers=False):
    folder = (answer_dir if answers else dataset_dir)("classroom", seed, root)
    return pq.read_table(folder / f"{name}.parquet")


@pytest.mark.parametrize("seed", SEEDS)
def test_verify_checks_tags_swaps_and_logins(worlds, seed):
    report = "\n".join(verify("classroom", seed, root=worlds))
    for claim in (
        "tagged address on its own chain",
        "fit the pool's reserves at their place in the chain",
        "before the chain data ends",
    ):
        assert claim in report


def test_tag_truth_names_the_tagged_addresses(worlds):
    tags, truth = _table(worlds, "tags").to_pandas(), _table(worlds, "tag_truth", answers=True).to_pandas()
    ethereum = tags.chain == "ethereum"
    assert ethereum.sum() > 0
    assert truth.address[ethereum.to_numpy()].str.startswith("0x").all()
    assert (truth.address == tags.address).all()


@pytest.mark.parametrize(
    "damage, message",
    [
        ("tag_truth", "tag truth names a different address"),
        ("swap", "DEX swaps do not fit the pool's reserves"),
        ("login", "logins fall after the chain data ends"),
    ],
)
def test_verify_catches_wrong_tags_swaps_and_logins(worlds, tmp_path, damage, message):
    for part in ("datasets", "grading"):
        shutil.copytree(worlds / part, tmp_path / part)
    folder, keys = dataset_dir("classroom", DEFAULT_SEED, tmp_path), answer_dir("classroom", DEFAULT_SEED, tmp_path)
    if damage == "tag_truth":
        table = pq.read_table(keys / "tag_truth.parquet")
        owners = pq.read_table(keys / "address_owners.parquet")["address"].to_pylist()
        tags = pq.read_table(folder / "tags.parquet")
        row = tags["chain"].to_pylist().index("ethereum")
        addresses = table["address"].to_pylist()
        addresses[row] = owners[0]  # a Bitcoin address for an Ethereum tag: the old bug
        rewrite_table(keys, "tag_truth", table.set_column(0, "address", pa.array(addresses)))
    elif damage == "swap":
        events = pq.read_table(folder / "eth_events.parquet")
        swaps = np.flatnonzero(pc.equal(events["event"], "Swap").to_numpy(zero_copy_only=False))
        amounts = events["amount_out"].to_pylist()
        amounts[swaps[len(swaps) // 2]] = amounts[swaps[len(swaps) // 2]] * 2  # priced against the wrong reserves
        column = events.schema.get_field_index("amount_out")
        rewrite_table(
            folder,
            "eth_events",
            events.set_column(column, "amount_out", pa.array(amounts, events.schema.field("amount_out").type)),
        )
    else:
        logins = pq.read_table(folder / "logins.parquet")
        times = logins["timestamp"].cast(pa.timestamp("s", tz="UTC")).cast(pa.int64()).to_numpy().copy()
        times[-1] += 40 * 86_400
        times = pa.array(times).cast(pa.timestamp("s", tz="UTC"))
        column = logins.schema.get_field_index("timestamp")
        rewrite_table(folder, "logins", logins.set_column(column, "timestamp", times))
    with pytest.raises(InvariantError, match=message):
        verify("classroom", DEFAULT_SEED, root=tmp_path)


GENESIS_ROLES = {"exchange", "stablecoin_issuer", "liquidity_provider"}  # the only ether in the genesis state


def native_replay(root, seed=DEFAULT_SEED):
    """Every account's ether balance (gwei) after each change, in chain order, replayed from the learners' tables,
    and the accounts the genesis state funded (by the answer key's roles)."""
    txs = _table(root, "eth_transactions", seed).to_pandas()
    traces = _table(root, "eth_traces", seed).to_pandas()
    owners = _table(root, "account_owners", seed, answers=True).to_pandas()
    position = txs.set_index("hash").eval("block_number * 1000000 + transaction_index")
    ok = txs.receipt_status == 1
    fee = txs.receipt_gas_used.astype(object) * txs.gas_price.astype(object)
    value = txs.value.map(int).where(ok, 0)
    moves = pd.concat(
        [
            pd.DataFrame(
                {"account": txs.from_address, "position": position.to_numpy(), "change": -(value + fee), "kind": "sent"}
            ),
            pd.DataFrame(
                {"account": txs.to_address, "position": position.to_numpy(), "change": value, "kind": "received"}
            ),
            pd.DataFrame(
                {
                    "account": traces.from_address,
                    "position": traces.transaction_hash.map(position).to_numpy(),
                    "change": -traces.value.map(int),
                    "kind": "sent_internal",
                }
            ),
            pd.DataFrame(
                {
                    "account": traces.to_address,
                    "position": traces.transaction_hash.map(position).to_numpy(),
                    "change": traces.value.map(int),
                    "kind": "received",
                }
            ),
        ]
    )
    moves = moves[moves.change != 0].sort_values(
        ["account", "position", "change"], ascending=[True, True, False], kind="stable"
    )
    moves["balance"] = (moves.change.astype(float) / 1e9).groupby(moves.account).cumsum()  # gwei, to about 1e-6
    genesis = set(owners.loc[owners.role.isin(GENESIS_ROLES) & ~owners.is_contract, "address"])
    return moves, genesis


@pytest.mark.parametrize("seed", SEEDS)
def test_every_gas_payer_received_ether_first_and_no_balance_goes_negative(worlds, seed):
    moves, genesis = native_replay(worlds, seed)
    ordinary = moves[~moves.account.isin(genesis)]
    first_in = ordinary[ordinary.kind == "received"].groupby("account").position.min()
    first_out = ordinary[ordinary.kind == "sent"].groupby("account").position.min()
    assert len(first_out) > 100
    assert (first_in.reindex(first_out.index) < first_out).all(), "an account paid gas before it ever received ether"
    assert (ordinary.balance > -1).all(), "an account spent ether (or gas) it did not have"


def test_fees_follow_eip_1559(worlds):
    txs = _table(worlds, "eth_transactions").to_pandas()
    blocks = _table(worlds, "eth_blocks").to_pandas().set_index("number")
    base = txs.block_number.map(blocks.base_fee_per_gas)
    dynamic = txs[txs.transaction_type == 2]
    assert 0.8 < len(dynamic) / len(txs) < 1
    paid = (base[dynamic.index] + dynamic.max_priority_fee_per_gas).clip(upper=dynamic.max_fee_per_gas)
    assert (dynamic.receipt_effective_gas_price == paid).all() and (
        txs.gas_price == txs.receipt_effective_gas_price
    ).all()
    assert (txs.gas_price >= base).all(), "every transaction pays at least the block's base fee"
    # The base fee moves with block fullness: up after blocks fuller than half the gas limit, down after emptier ones.
    adjacent = blocks.index[1:][np.diff(blocks.index) == 1]
    before = blocks.loc[adjacent - 1]
    expected = before.base_fee_per_gas * (1 + (before.gas_used - before.gas_limit / 2) / (before.gas_limit / 2) / 8)
    assert len(adjacent) > 20
    assert np.allclose(blocks.loc[adjacent].base_fee_per_gas.to_numpy(), expected.to_numpy(), rtol=1e-3)
    hourly = blocks.groupby(pd.to_datetime(blocks.timestamp).dt.hour).base_fee_per_gas.median()
    assert hourly.max() > 1.3 * hourly.min(), "the base fee follows the day's demand"


@pytest.mark.parametrize("seed", SEEDS)
def test_dex_price_tracks_the_market(worlds, seed):
    events = _table(worlds, "eth_events", seed).to_pandas()
    prices = _table(worlds, "prices", seed).to_pandas()
    swaps = events[events.event == "Swap"].copy()
    ether = np.where(swaps.asset == "ETH", swaps.amount.map(float), swaps.amount_out.map(float)) / 1e18
    dollars = np.where(swaps.asset == "ETH", swaps.amount_out.map(float), swaps.amount.map(float)) / 1e6
    eth_usd = prices[prices.symbol == "ETH"].set_index("timestamp").price_usd
    ratio = dollars / ether / eth_usd.reindex(swaps.block_timestamp.dt.floor("h")).to_numpy()
    assert abs(np.median(ratio) - 1) < 0.02
    assert np.quantile(abs(ratio - 1), 0.9) < 0.03


@pytest.mark.parametrize("seed", SEEDS)
def test_btc_and_eth_move_together(worlds, seed):
    prices = _table(worlds, "prices", seed).to_pandas().pivot(index="timestamp", columns="symbol", values="price_usd")
    returns = np.log(prices).diff().dropna()
    assert 0.7 < returns.BTC.corr(returns.ETH) < 0.9  # the world's figure: 0.8


def test_wallet_software_leaves_its_fingerprints(worlds):
    txs = _table(worlds, "transactions").to_pandas()
    inputs = _table(worlds, "inputs").to_pandas()
    outputs = _table(worlds, "outputs").to_pandas()
    truth = _table(worlds, "transaction_wallets", answers=True).to_pandas()
    made = txs.merge(truth, left_on="hash", right_on="transaction_hash")
    assert set(made.wallet_software) == {"desktop_full_node", "desktop_light", "mobile", "custodial"}
    assert len(made) == (~txs.is_coinbase).sum()  # every transaction but the coinbases
    by = made.groupby("wallet_software")
    # lock_time: desktop wallets set the height they saw (below the block that mined them), the others 0.
    sets_height = by.apply(lambda g: ((g.lock_time > 0) & (g.lock_time < g.block_number)).mean(), include_groups=False)
    assert sets_height["desktop_full_node"] > 0.95 and sets_height["desktop_light"] > 0.95
    assert (made.loc[made.wallet_software.isin(["mobile", "custodial"]), "lock_time"] == 0).all()
    # Sequence: RBF signalled by desktop wallets only.
    sequence = inputs.merge(truth, on="transaction_hash").groupby("wallet_software").sequence.unique()
    assert list(sequence["desktop_full_node"]) == [0xFFFFFFFD] and list(sequence["mobile"]) == [0xFFFFFFFF]
    assert list(sequence["custodial"]) == [0xFFFFFFFE]
    # Fee-rate rounding: mobile and custodial pay whole satoshi per vbyte, full nodes mostly do not.
    whole = by.apply(
        lambda g: np.isclose(g.fee / g.virtual_size, np.round(g.fee / g.virtual_size), atol=0.02).mean(),
        include_groups=False,
    )
    assert whole["mobile"] > 0.8 and whole["custodial"] > 0.8 and whole["desktop_full_node"] < 0.4
    # Change position: last for mobile and custodial wallets, anywhere for desktop ones.
    with_change = made[made.change_index.notna() & (made.output_count > 1)]
    last = (with_change.change_index == with_change.output_count - 1).groupby(with_change.wallet_software).mean()
    assert (
        last["mobile"] == 1
        and last["custodial"] == 1
        and last["desktop_full_node"] < 0.8
        and last["desktop_light"] < 0.8
    )
    # Change type: full nodes match the payment's address type more often than light and mobile wallets do.
    rows = outputs.merge(
        with_change[["hash", "change_index", "wallet_software"]], left_on="transaction_hash", right_on="hash"
    )
    change_type = rows[rows["index"] == rows.change_index].set_index("hash").type
    payment_type = rows[rows["index"] != rows.change_index].groupby("hash").type.first()
    same = (
        (change_type == payment_type.reindex(change_type.index))
        .groupby(with_change.set_index("hash").wallet_software)
        .mean()
    )
    assert same["desktop_full_node"] > same["mobile"] + 0.2 and same["desktop_full_node"] > same["desktop_light"] + 0.2


def test_fee_rates_follow_daily_and_weekly_congestion(worlds):
    txs = _table(worlds, "transactions").to_pandas()
    txs = txs[~txs.is_coinbase]
    rate = txs.fee / txs.virtual_size
    hourly = rate.groupby(txs.block_timestamp.dt.hour).median()
    assert hourly.loc[13:17].mean() > 1.3 * hourly.loc[[0, 1, 2, 3, 22, 23]].mean()
    weekday = rate.groupby(txs.block_timestamp.dt.weekday >= 5).median()
    assert weekday[True] < 0.9 * weekday[False]
    per_hour = txs.groupby(txs.block_timestamp.dt.hour).size()
    assert per_hour.loc[13:17].mean() > 1.5 * per_hour.loc[[0, 1, 2, 3, 22, 23]].mean(), "more transactions by day"


def test_ordinary_traffic_hides_the_cases(worlds):
    txs = _table(worlds, "transactions").to_pandas()
    flows = _table(worlds, "flows", answers=True).to_pandas()
    blocks = txs.block_number.max() + 1
    assert (
        ~txs.is_coinbase
    ).sum() / blocks > 2.4  # transactions per block besides the coinbase (the classroom world had 1.75)
    assert len(flows) / len(txs) < 0.01


def test_every_taproot_output_key_is_on_the_curve(worlds):
    import coincurve
    from bip_utils import P2TRAddrDecoder

    outputs = _table(worlds, "outputs").to_pandas()
    taproot = outputs.loc[outputs.type == "witness_v1_taproot", "address"].unique()
    assert len(taproot) > 1_000
    for address in taproot:
        coincurve.PublicKeyXOnly(P2TRAddrDecoder.DecodeAddr(address, hrp="bc"))  # raises if not a point's x
