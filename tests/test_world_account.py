"""The account chain and the module 04/07/08 scenarios of freshly built classroom worlds: invariants, traceability from
the learners' tables alone, the heuristics' giveaways, and `verify` catching a broken world."""

import json
import shutil
from decimal import Decimal

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from chainlab.cohort import DEFAULT_SEED
from chainlab.data import answer_dir, dataset_dir
from chainlab.world.verify import InvariantError, verify

from .worlds import SEEDS, rewrite_table


def _tables(root, seed, *names):
    folder = dataset_dir("classroom", seed, root)
    return [pq.read_table(folder / f"{name}.parquet").to_pandas() for name in names]


def _answers(root, seed):
    return json.loads((answer_dir("classroom", seed, root) / "cases.json").read_text())


@pytest.mark.parametrize("seed", SEEDS)
def test_account_chain_invariants_hold(worlds, seed):
    report = "\n".join(verify("classroom", seed, root=worlds))
    for claim in (
        "valid EIP-55 checksums",
        "ever goes below zero",
        "after its freeze",
        "released once on the UTXO chain",
        "pays out at most what was deposited",
        "nonces count",
        "owner of every account-chain address",
    ):
        assert claim in report


@pytest.mark.parametrize("seed", SEEDS)
def test_stolen_stablecoins_can_be_followed_in_learner_tables(worlds, seed):
    theft = _answers(worlds, seed)["ST-1"]
    transfers, events, txs, outputs, deposits, tokens = _tables(
        worlds, seed, "token_transfers", "eth_events", "eth_transactions", "outputs", "deposit_addresses", "tokens"
    )
    exploit = transfers[transfers.transaction_hash == theft["exploit_transaction"]]
    assert (
        exploit.to_address.tolist() == [theft["exploiter"]] and int(exploit.value.iloc[0]) == theft["stolen_nusd_units"]
    )
    swaps = events[events.transaction_hash.isin(theft["swap_transactions"])]
    assert (
        set(swaps.event) == {"Swap"}
        and set(swaps.asset) == {"NUSD"}
        and set(swaps.account) <= set(theft["thief_accounts"])
    )

    # What the issuer could still freeze: NUSD held at the end by thief accounts that were not frozen.
    nusd = tokens.loc[tokens.symbol == "NUSD", "address"].iloc[0]
    moves = transfers[transfers.token_address == nusd]
    balance = (
        moves.groupby("to_address").value.sum().sub(moves.groupby("from_address").value.sum(), fill_value=Decimal(0))
    )
    frozen = set(events.loc[events.event == "AddressFrozen", "account"])
    assert frozen == {f["account"] for f in theft["frozen"]}
    free = balance.reindex([a for a in theft["thief_accounts"] if a not in frozen]).fillna(0)
    assert int(free.sum()) == theft["freezable_remaining_nusd_units"] > 0
    failed = txs[(txs.receipt_status == 0) & txs.from_address.isin(frozen)]
    assert len(failed) == 1

    for bridge in theft["bridge"]:
        if bridge["release_transaction"]:
            paid = outputs[
                (outputs.transaction_hash == bridge["release_transaction"]) & (outputs.address == bridge["destination"])
            ]
            assert int(paid.value.sum()) == bridge["released_satoshi"]
    account = deposits[(deposits.address == theft["cash_out_address"])]
    assert account.account_id.tolist() == [theft["cash_out_account"]]
    assert set(outputs.loc[outputs.transaction_hash.isin(theft["cash_out_transactions"]), "address"]) >= {
        theft["cash_out_address"]
    }


@pytest.mark.parametrize("seed", SEEDS)
def test_mixer_heuristics_find_the_thief_but_not_everything(worlds, seed):
    events, txs = _tables(worlds, seed, "eth_events", "eth_transactions")
    links = pq.read_table(answer_dir("classroom", seed, worlds) / "mixer_links.parquet").to_pandas()
    theft = links[links.case_id == "ST-1"]
    mixer = events[events.event.isin(["Deposit", "Withdrawal"])].merge(
        txs[["hash", "from_address", "gas_price"]], left_on="transaction_hash", right_on="hash"
    )
    deposits, withdrawals = mixer[mixer.event == "Deposit"], mixer[mixer.event == "Withdrawal"]
    # Gas price: the thief's deposits share one unusual price; withdrawals sent at that price are his.
    thief_price = deposits.loc[deposits.transaction_hash.isin(theft.deposit_transaction_hash), "gas_price"].unique()
    assert len(thief_price) == 1
    by_price = set(withdrawals.loc[withdrawals.gas_price == thief_price[0], "transaction_hash"])
    assert by_price == set(theft.loc[theft.giveaways.str.contains("gas_price"), "withdrawal_transaction_hash"])
    # Address reuse: a withdrawal paid to an address that deposited.
    reused = set(withdrawals.loc[withdrawals.account.isin(deposits.account), "transaction_hash"])
    assert reused == set(theft.loc[theft.giveaways.str.contains("address_reuse"), "withdrawal_transaction_hash"])
    assert (theft.giveaways == "").any() and len(links) > 2 * len(theft)


@pytest.mark.parametrize("seed", SEEDS)
def test_aml_rules_catch_planted_customers_and_loose_rules_false_positives(worlds, seed):
    ledger, prices = _tables(worlds, seed, "exchange_ledger", "prices")
    labels = pq.read_table(answer_dir("classroom", seed, worlds) / "aml_labels.parquet").to_pandas()
    btc = prices[prices.symbol == "BTC"].set_index("timestamp").price_usd
    ledger["usd"] = ledger.value / 1e8 * btc.reindex(ledger.timestamp.dt.floor("h")).to_numpy()
    near = ledger[(ledger.direction == "deposit") & ledger.usd.between(8_000, 10_000)].sort_values("timestamp")

    def flagged(low, count, window):
        hits = set()
        for account, rows in near[near.usd >= low].groupby("account_id"):
            times = rows.timestamp.reset_index(drop=True)
            if any(times[i + count - 1] - times[i] <= window for i in range(len(times) - count + 1)):
                hits.add(account)
        return hits

    truth = labels.set_index("account_id").pattern
    strict, loose = flagged(9_000, 3, pd.Timedelta(hours=48)), flagged(8_000, 2, pd.Timedelta(days=7))
    assert set(truth[truth == "structuring"].index) <= strict and not strict & set(
        truth[truth.str.startswith("lookalike")].index
    )
    assert set(truth[truth == "lookalike_structuring"].index) <= loose

    deposits = ledger[ledger.direction == "deposit"][["account_id", "timestamp", "usd"]]
    pairs = deposits.merge(
        ledger[ledger.direction == "withdrawal"][["account_id", "timestamp", "usd"]],
        on="account_id",
        suffixes=("", "_out"),
    )
    quick = pairs[
        (pairs.timestamp_out > pairs.timestamp)
        & (pairs.timestamp_out - pairs.timestamp <= pd.Timedelta(hours=24))
        & (pairs.usd_out >= 0.9 * pairs.usd)
    ]
    assert set(truth[truth == "rapid_in_and_out"].index) <= set(quick.account_id)
    assert not set(quick.account_id) & set(truth[truth == "lookalike_in_and_out"].index)


def test_exploitation_site_payments_lead_to_exchange_customers(worlds):
    site = _answers(worlds, DEFAULT_SEED)["CE-1"]
    outputs, inputs, ledger = _tables(worlds, DEFAULT_SEED, "outputs", "inputs", "exchange_ledger")
    assert len(set(site["payment_addresses"])) == site["users"]
    paid = outputs[outputs.address.isin(site["payment_addresses"])]
    assert int(paid.value.sum()) == site["total_paid_satoshi"] and paid.value.max() < 0.01 * 1e8
    funding = inputs[inputs.transaction_hash.isin(paid.transaction_hash)]
    withdrawals = ledger[ledger.direction == "withdrawal"]
    traced = funding.merge(
        withdrawals,
        left_on=["spent_transaction_hash", "spent_output_index"],
        right_on=["transaction_hash", "output_index"],
    )
    assert set(traced.account_id) == set(site["user_accounts"])


@pytest.mark.parametrize(
    "damage, message",
    [
        ("overspend", "token balance goes below zero"),
        ("checksum", "invalid EIP-55"),
        ("mixer", "mixer pool pays out more"),
    ],
)
def test_verify_catches_a_broken_account_chain(worlds, tmp_path, damage, message):
    for part in ("datasets", "grading"):
        shutil.copytree(worlds / part, tmp_path / part)
    folder = dataset_dir("classroom", DEFAULT_SEED, tmp_path)
    if damage == "overspend":
        table = pq.read_table(folder / "token_transfers.parquet")
        values = table["value"].to_pylist()
        values[-1] = values[-1] * 1000 + 1
        rewrite_table(
            folder, "token_transfers", table.set_column(3, "value", pa.array(values, table.schema.field("value").type))
        )
    elif damage == "checksum":
        table = pq.read_table(folder / "eth_transactions.parquet")
        senders = table["from_address"].to_pylist()
        senders[0] = senders[0][:2] + senders[0][2:].swapcase()
        rewrite_table(folder, "eth_transactions", table.set_column(3, "from_address", pa.array(senders)))
    else:
        table = pq.read_table(folder / "eth_traces.parquet")
        mixers = set(pq.read_table(folder / "contracts.parquet").to_pandas().query("kind == 'mixer'").address)
        values = table["value"].to_pylist()
        first = next(i for i, payer in enumerate(table["from_address"].to_pylist()) if payer in mixers)
        values[first] = values[first] * 2
        rewrite_table(
            folder, "eth_traces", table.set_column(4, "value", pa.array(values, table.schema.field("value").type))
        )
    with pytest.raises(InvariantError, match=message):
        verify("classroom", DEFAULT_SEED, root=tmp_path)
