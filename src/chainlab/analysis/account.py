"""Tracing in the account model (module 07): asset movements, token flows, swaps, bridges and mixer heuristics.

Works on tables shaped like BigQuery's `crypto_ethereum`: transactions (native coin sent with a call),
token_transfers (ERC-20 Transfer events), traces (coin paid out by contracts) and the decoded events.

Mixer heuristics (fixed-denomination pools such as Tornado Cash): a deposit and a withdrawal are linked
when the withdrawal goes to the depositor or an address it dealt with (address reuse), follows the
deposit closely (timing), pays the same unusual gas price (gas price), or when one address deposits into
the same set of pools that one recipient withdraws from (multiple denominations). Heuristics of this
kind are studied by Wang et al., "On How Zero-Knowledge Proof Blockchain Mixers Improve, and Worsen
User Privacy" (WWW 2023); each is a lead to check, not proof.
"""

from __future__ import annotations

from collections import Counter

import numpy as np
import pandas as pd

from ..chain.units import WEI_PER_GWEI
from .errors import AnalysisInputError
from .graph import seconds

MOVEMENT_COLUMNS = ["transaction_hash", "block_timestamp", "asset", "from_address", "to_address", "value", "amount"]
ETHER_DECIMALS = 18


def asset_movements(
    transactions: pd.DataFrame | None = None,
    token_transfers: pd.DataFrame | None = None,
    traces: pd.DataFrame | None = None,
    tokens: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Every movement of value in one table: ETH sent by transactions and paid by contracts, and token transfers.

    `value` is exact (smallest unit, Python int); `amount` is in whole ETH or tokens (using `tokens`' decimals).
    Failed transactions move nothing and are left out.
    """
    parts = []
    if transactions is not None:
        sent = transactions[transactions["receipt_status"] == 1] if "receipt_status" in transactions else transactions
        sent = sent[sent["value"].map(int) > 0]
        parts.append(
            pd.DataFrame(
                {
                    "transaction_hash": sent["hash"],
                    "block_timestamp": sent["block_timestamp"],
                    "asset": "ETH",
                    "from_address": sent["from_address"],
                    "to_address": sent["to_address"],
                    "value": sent["value"].map(int),
                }
            )
        )
    if traces is not None:
        paid = traces[traces["status"] == 1] if "status" in traces else traces
        parts.append(
            pd.DataFrame(
                {
                    "transaction_hash": paid["transaction_hash"],
                    "block_timestamp": paid["block_timestamp"],
                    "asset": "ETH",
                    "from_address": paid["from_address"],
                    "to_address": paid["to_address"],
                    "value": paid["value"].map(int),
                }
            )
        )
    if token_transfers is not None:
        symbols = dict(zip(tokens["address"], tokens["symbol"])) if tokens is not None else {}
        parts.append(
            pd.DataFrame(
                {
                    "transaction_hash": token_transfers["transaction_hash"],
                    "block_timestamp": token_transfers["block_timestamp"],
                    "asset": token_transfers["token_address"].map(lambda a: symbols.get(a, a)),
                    "from_address": token_transfers["from_address"],
                    "to_address": token_transfers["to_address"],
                    "value": token_transfers["value"].map(int),
                }
            )
        )
    if not parts:
        raise AnalysisInputError(
            "give at least one of transactions=, token_transfers=, traces= (tables from chainlab.load)."
        )
    movements = pd.concat(parts, ignore_index=True)
    decimals = {
        "ETH": ETHER_DECIMALS,
        **(dict(zip(tokens["symbol"], tokens["decimals"])) if tokens is not None else {}),
    }
    scale = movements["asset"].map(lambda a: 10 ** int(decimals.get(a, 0)))
    movements["amount"] = [v / s for v, s in zip(movements["value"], scale)]
    return movements.sort_values("block_timestamp", kind="stable", ignore_index=True)[MOVEMENT_COLUMNS]


def follow_funds(
    movements: pd.DataFrame,
    start: str,
    hops: int = 3,
    since=None,
    through: set[str] | frozenset = frozenset(),
    stop_at: dict[str, str] | None = None,
) -> pd.DataFrame:
    """Follow value out of `start`, hop by hop, never back in time: from each address, only movements after funds arrived there.

    Addresses in `through` (e.g. DEX pools) pass funds on only within the same transaction (the swap's
    payout), not to everyone they ever paid. Addresses in `stop_at` (address -> label, e.g. bridges,
    mixers, exchanges) are reported but not followed. Columns: hop, the movement's columns, stopped_at, path.
    """
    if isinstance(hops, bool) or not isinstance(hops, (int, np.integer)) or hops < 1:
        raise AnalysisInputError(f"hops must be a whole number of at least 1, not {hops!r}.")
    if not ((movements["from_address"] == start) | (movements["to_address"] == start)).any():
        raise AnalysisInputError(
            f"{start!r} never sent or received anything in these movements; check the address (0x + 40 hex digits)."
        )
    stop_at = stop_at or {}
    senders = movements["from_address"].to_numpy(object)
    order = np.argsort(senders, kind="stable")
    sorted_senders = senders[order]
    receivers = movements["to_address"].to_numpy(object)
    times = seconds(movements["block_timestamp"])
    tx_hashes = movements["transaction_hash"].to_numpy(object)
    start_time = seconds(pd.Series([pd.Timestamp(since)]))[0] if since is not None else times.min(initial=0)
    seen, frontier = {start}, [(start, start_time, None, ())]
    picked, hop_of, path_of = [], [], []
    for hop in range(1, hops + 1):
        following = []
        for address, when, via_tx, path in frontier:
            rows = order[
                np.searchsorted(sorted_senders, address, "left") : np.searchsorted(sorted_senders, address, "right")
            ]
            rows = rows[tx_hashes[rows] == via_tx] if address in through else rows[times[rows] >= when]
            for row in rows.tolist():
                receiver, step_path = receivers[row], path + (tx_hashes[row],)
                picked.append(row), hop_of.append(hop), path_of.append(step_path)
                if receiver in through:  # a pool: follow only this transaction's payout
                    following.append((receiver, times[row], tx_hashes[row], step_path))
                elif receiver not in seen and receiver not in stop_at:
                    seen.add(receiver)
                    following.append((receiver, times[row], tx_hashes[row], step_path))
        frontier = following
    flows = movements.iloc[picked].reset_index(drop=True)
    flows.insert(0, "hop", hop_of)
    flows["stopped_at"] = flows["to_address"].map(lambda a: stop_at.get(a, ""))
    flows["path"] = path_of
    return flows[["hop", *MOVEMENT_COLUMNS, "stopped_at", "path"]]


def find_swaps(movements: pd.DataFrame, pools) -> pd.DataFrame:
    """Swaps: in one transaction, a trader pays asset A into a pool and the pool pays asset B back to that trader."""
    pools = set(pools)
    paid_in = movements[movements["to_address"].isin(pools)]
    paid_out = movements[movements["from_address"].isin(pools)]
    swaps = paid_in.merge(
        paid_out,
        left_on=["transaction_hash", "to_address", "from_address"],
        right_on=["transaction_hash", "from_address", "to_address"],
        suffixes=("_in", "_out"),
    )
    swaps = swaps[swaps["asset_in"] != swaps["asset_out"]]
    return pd.DataFrame(
        {
            "transaction_hash": swaps["transaction_hash"],
            "block_timestamp": swaps["block_timestamp_in"],
            "trader": swaps["from_address_in"],
            "pool": swaps["to_address_in"],
            "asset_in": swaps["asset_in"],
            "amount_in": swaps["amount_in"],
            "asset_out": swaps["asset_out"],
            "amount_out": swaps["amount_out"],
        }
    ).reset_index(drop=True)


def match_bridge(deposits: pd.DataFrame, releases: pd.DataFrame, max_delay_hours: float = 12) -> pd.DataFrame:
    """Match bridge deposits (columns transaction_hash, block_timestamp, destination) to their releases on the
    other chain (columns transaction_hash, block_timestamp, address, value): the first payment to the
    deposit's destination address after the deposit, within `max_delay_hours`."""
    for name, table, needed in (
        ("deposits", deposits, ("transaction_hash", "block_timestamp", "destination")),
        ("releases", releases, ("transaction_hash", "block_timestamp", "address", "value")),
    ):
        missing = [c for c in needed if c not in table.columns]
        if missing:
            raise AnalysisInputError(f"{name} lacks column(s) {', '.join(missing)}.")
    pairs = deposits.merge(releases, left_on="destination", right_on="address", suffixes=("_deposit", "_release"))
    pairs["delay"] = pairs["block_timestamp_release"] - pairs["block_timestamp_deposit"]
    pairs = pairs[(pairs["delay"] >= pd.Timedelta(0)) & (pairs["delay"] <= pd.Timedelta(hours=max_delay_hours))]
    pairs = pairs.sort_values("delay").drop_duplicates("transaction_hash_deposit")
    return pairs[
        [
            "transaction_hash_deposit",
            "block_timestamp_deposit",
            "destination",
            "transaction_hash_release",
            "block_timestamp_release",
            "value",
            "delay",
        ]
    ].sort_values("block_timestamp_deposit", ignore_index=True)


MIXER_HEURISTICS = ("address_reuse", "timing", "gas_price", "multi_denomination")


def link_mixer(
    deposits: pd.DataFrame,
    withdrawals: pd.DataFrame,
    transactions: pd.DataFrame,
    heuristics=MIXER_HEURISTICS,
    max_minutes: float = 180,
    round_gas_wei: int = WEI_PER_GWEI // 10,
) -> pd.DataFrame:
    """Candidate (deposit, withdrawal) pairs of one mixer, with the heuristics that link each.

    `deposits` and `withdrawals` are the mixer's Deposit and Withdrawal events (columns transaction_hash,
    block_timestamp, contract_address = pool, account = depositor or recipient); `transactions` gives gas
    prices and who dealt with whom. Only pairs in the same pool, withdrawal after deposit, are considered.
    Timing links a withdrawal within `max_minutes` of the deposit; a gas price is unusual when it is not a
    multiple of `round_gas_wei` (wallets propose round prices, default 0.1 gwei; a hand-typed one stands out).
    """
    unknown = set(heuristics) - set(MIXER_HEURISTICS)
    if unknown:
        raise AnalysisInputError(
            f"unknown mixer heuristic(s) {', '.join(sorted(unknown))}; choose from {', '.join(MIXER_HEURISTICS)}."
        )
    gas = dict(zip(transactions["hash"], transactions["gas_price"]))
    pairs = deposits.merge(withdrawals, on="contract_address", suffixes=("_deposit", "_withdrawal"))
    pairs = pairs[pairs["block_timestamp_withdrawal"] > pairs["block_timestamp_deposit"]].copy()
    found = pd.DataFrame(False, index=pairs.index, columns=list(heuristics))
    if "address_reuse" in heuristics:
        dealt = set(zip(transactions["from_address"], transactions["to_address"]))
        found["address_reuse"] = [
            d == w or (d, w) in dealt or (w, d) in dealt
            for d, w in zip(pairs["account_deposit"], pairs["account_withdrawal"])
        ]
    if "timing" in heuristics:
        found["timing"] = (pairs["block_timestamp_withdrawal"] - pairs["block_timestamp_deposit"]) <= pd.Timedelta(
            minutes=max_minutes
        )
    if "gas_price" in heuristics:
        deposit_gas = pairs["transaction_hash_deposit"].map(gas)
        found["gas_price"] = (deposit_gas == pairs["transaction_hash_withdrawal"].map(gas)) & (
            deposit_gas % round_gas_wei != 0
        )
    if "multi_denomination" in heuristics:
        deposited = deposits.groupby("account")["contract_address"].agg(
            lambda pools: tuple(sorted(Counter(pools).items()))
        )
        withdrawn = withdrawals.groupby("account")["contract_address"].agg(
            lambda pools: tuple(sorted(Counter(pools).items()))
        )
        d_sets, w_sets = pairs["account_deposit"].map(deposited), pairs["account_withdrawal"].map(withdrawn)
        found["multi_denomination"] = (d_sets == w_sets) & (d_sets.map(len) >= 2)
    linked = found.any(axis=1)
    result = pairs.loc[
        linked,
        [
            "contract_address",
            "transaction_hash_deposit",
            "account_deposit",
            "block_timestamp_deposit",
            "transaction_hash_withdrawal",
            "account_withdrawal",
            "block_timestamp_withdrawal",
        ],
    ]
    result = result.rename(
        columns={"contract_address": "pool", "account_deposit": "depositor", "account_withdrawal": "recipient"}
    )
    result["heuristics"] = [", ".join(h for h in heuristics if row[h]) for _, row in found[linked].iterrows()]
    result["score"] = found[linked].sum(axis=1).to_numpy()
    return result.sort_values(["score", "block_timestamp_deposit"], ascending=[False, True], ignore_index=True)
