"""The case of 07_ethereum_defi_and_bridges: the Lumen Lend exploit (ST-1), read from the learners' tables only.

- `case_picks()`: the accounts and transactions the module asks about (the exploiter from its public tag, the
  exploiter's gas-price fingerprint, an account that submits mixer withdrawals for the thief, a bridge deposit,
  a seeded EIP-1559 transaction for the fee exercise);
- `confirmed_withdrawals()`: the mixer withdrawals the case file confirms as the thief's, sealed so that printing
  them shows how many there are, never which (the shortlist's precision is measured against them).

Nothing here reads an answer key: every pick is made from `chainlab.load` tables, so the module works for every
cohort's world.
"""

from __future__ import annotations

from dataclasses import dataclass

from .. import cohort, data, seeding


@dataclass(frozen=True)
class CasePicks:
    """The addresses and transactions 07_ethereum_defi_and_bridges asks about."""

    exploiter: str  # the account publicly tagged "Lumen Lend Exploiter 1"
    gas_fingerprint: int  # the gas price (wei) the exploiter's transactions all pay
    fee_example: str  # an EIP-1559 (type 2) transaction whose fee the learner splits into burned and tip
    fresh_submitter: str  # a fresh account that submits mixer withdrawals at the exploiter's gas price
    bridge_deposit: str  # one of the thief's bridge deposits, of an amount another of his deposits shares


def _tables(seed, *names):
    return [data.load(name, seed=seed) for name in names]


def case_picks(seed: int | None = None) -> CasePicks:
    """The module's picks, found in the cohort's world the way an analyst would (tags, gas prices, events)."""
    seed = cohort.seed() if seed is None else seed
    tags, transactions, events = _tables(seed, "tags", "eth_transactions", "eth_events")
    exploiter = tags.loc[(tags["chain"] == "ethereum") & (tags["category"] == "exploiter"), "address"].iloc[0]
    fingerprint = int(transactions.loc[transactions["from_address"] == exploiter, "gas_price"].mode().iloc[0])
    candidates = transactions[
        (transactions["transaction_type"] == 2)
        & (transactions["receipt_status"] == 1)
        & (transactions["gas"] > transactions["receipt_gas_used"])
        & (transactions["max_priority_fee_per_gas"] > 0)
    ]
    fee_example = candidates["hash"].iloc[int(seeding.rng("m07.fee_example", seed).integers(len(candidates)))]
    senders = transactions[["hash", "from_address", "gas_price"]]
    withdrawals = events[events["event"] == "Withdrawal"].merge(senders, left_on="transaction_hash", right_on="hash")
    by_others = withdrawals[
        (withdrawals["from_address"] != withdrawals["account"]) & (withdrawals["gas_price"] == fingerprint)
    ]
    deposits = events[events["event"] == "BridgeDeposit"].merge(senders, left_on="transaction_hash", right_on="hash")
    thief_deposits = deposits[deposits["gas_price"] == fingerprint].sort_values("block_timestamp")
    shared = thief_deposits[thief_deposits["amount"].duplicated(keep=False)]
    asked = (shared if len(shared) else thief_deposits).sort_values(["amount", "block_timestamp"], kind="stable")
    bridge_deposit = asked["transaction_hash"].iloc[-1]  # the latest deposit of the largest shared amount
    return CasePicks(exploiter, fingerprint, fee_example, by_others["from_address"].iloc[0], bridge_deposit)


class SealedWithdrawals(frozenset):
    """Withdrawal transaction hashes used only to score a shortlist: the printout says how many, never which."""

    def __repr__(self) -> str:
        return f"<case file: {len(self)} mixer withdrawals confirmed as the thief's, sealed (used only to score shortlists)>"

    __str__ = __repr__


def confirmed_withdrawals(seed: int | None = None) -> SealedWithdrawals:
    """The withdrawals the ST-1 case file (the learners' table `st_case_file`) confirms as the thief's."""
    seed = cohort.seed() if seed is None else seed
    return SealedWithdrawals(data.load("st_case_file", seed=seed)["withdrawal_transaction_hash"])
