"""Case tables of 09_working_with_vasps: the Golden Orchid investment fraud, from the victims' complaints to the
exchange deposit addresses where the ring cashed out. Everything here is found from public tables
(complaints, inputs, outputs, tags), as an investigator would find it before writing to an exchange.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .. import data

TYPOLOGY = "investment_fraud"


def fraud_complaints(seed: int | None = None) -> pd.DataFrame:
    """The victims' complaints about the fake trading platform (public: the police's own reports)."""
    complaints = data.load("complaints", seed=seed)
    return complaints[complaints["typology"] == TYPOLOGY].reset_index(drop=True)


def cash_outs(seed: int | None = None) -> pd.DataFrame:
    """The ring's payments into exchange deposit addresses, one row per payment.

    The trail: the platform addresses the victims paid (from the complaints) are swept together; each sweep pays an
    over-the-counter broker and sends the rest on; the rest is paid, whole, into one address that the exchange later
    sweeps into its hot wallet (tagged "explorer label" with the exchange's name): that address is a deposit address
    of that exchange.
    """
    inputs, outputs, tags = (data.load(name, seed=seed) for name in ("inputs", "outputs", "tags"))
    platform = set(fraud_complaints(seed)["reported_address"])
    exchange_of = tags[(tags["category"] == "exchange") & (tags["source"] == "explorer label")].set_index("address")[
        "label"
    ]

    def column(table: pd.DataFrame, name: str) -> list:
        return table[name].to_numpy(dtype=object).tolist()

    spender = dict(
        zip(
            zip(column(inputs, "spent_transaction_hash"), column(inputs, "spent_output_index")),
            column(inputs, "transaction_hash"),
        )
    )
    out_index, out_address = column(outputs, "index"), column(outputs, "address")
    rows_of: dict[str, list[int]] = {}  # transaction -> positions of its outputs in `outputs`
    for row, transaction_hash in enumerate(column(outputs, "transaction_hash")):
        rows_of.setdefault(transaction_hash, []).append(row)

    def onward(transaction_hash: str) -> list[str]:
        """The transactions that spend the outputs of one transaction."""
        keys = ((transaction_hash, out_index[row]) for row in rows_of[transaction_hash])
        return [spender[key] for key in keys if key in spender]

    rows = []
    for sweep in inputs.loc[inputs["address"].isin(platform), "transaction_hash"].unique():
        for split in onward(sweep):
            for payment in onward(split):
                if len(rows_of[payment]) != 1:
                    continue
                deposit = outputs.iloc[rows_of[payment][0]]
                swept_to = [out_address[row] for later in onward(payment) for row in rows_of[later]]
                named = [exchange_of[address] for address in swept_to if address in exchange_of.index]
                if named:
                    rows.append(
                        {
                            "transaction_hash": payment,
                            "block_timestamp": deposit["block_timestamp"],
                            "output_index": int(deposit["index"]),
                            "address": deposit["address"],
                            "value": int(deposit["value"]),
                            "exchange": named[0],
                        }
                    )
    if not rows:
        raise LookupError(
            "No payment of the fraud ring into an exchange deposit address was found in this world: the "
            "trail that chainlab.cases.m09.cash_outs follows (sweep, split, payment, exchange sweep) is not there."
        )
    return pd.DataFrame(rows).sort_values("block_timestamp").reset_index(drop=True)


@dataclass(frozen=True)
class Case:
    """What the module starts from: the trail, the exchange, the suspect address and the days of the facts."""

    trail: pd.DataFrame  # the ring's payments into exchange deposit addresses (cash_outs)
    exchange: str
    suspect_address: str
    first_day: object  # datetime.date
    last_day: object


def load(seed: int | None = None) -> Case:
    """The case as the tracing left it: the suspect address is the one that received the ring's latest cash-out."""
    trail = cash_outs(seed)
    latest = trail.iloc[-1]
    complaints = fraud_complaints(seed)
    transactions = data.load("transactions", seed=seed)
    first_paid = transactions.loc[
        transactions["hash"].isin(complaints["reported_transaction"]), "block_timestamp"
    ].min()
    return Case(
        trail=trail,
        exchange=str(latest["exchange"]),
        suspect_address=str(latest["address"]),
        first_day=first_paid.date(),
        last_day=latest["block_timestamp"].date(),
    )


SITUATIONS = pd.DataFrame(
    {
        "situation_id": ["S1", "S2", "S3"],
        "situation": [
            "The return shows the suspect's account still holds the ring's coins, and a new withdrawal address was added to it today.",
            "You have just found the account; the judge needs about two weeks to decide on a production order, and you fear the exchange's login records will be lost by then.",
            "The judge has issued an order for the account's identity file, logins and ledger.",
        ],
    }
)


_CASE: dict[int | None, Case] = {}


def __getattr__(name: str):
    """The cohort world's case facts as module attributes (`case.trail`, `case.suspect_address`, `case.first_day`, ...), found on first use."""
    if name in Case.__dataclass_fields__:
        if None not in _CASE:
            _CASE[None] = load()
        return getattr(_CASE[None], name)
    raise AttributeError(f"module 'chainlab.cases.m09' has no attribute {name!r}")
