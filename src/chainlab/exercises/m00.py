"""Exercises of 00_getting_started: the smallest pandas steps an officer needs later."""

from .answers import Amount, Count, CountsBy, Row, Rows
from .core import Exercise

MODULE = "00"

n_transfers = Exercise(
    MODULE,
    "n_transfers",
    title="how many transfers?",
    task="put the number of rows of `transfers` in the variable `n_transfers`.",
    objective="read a DataFrame.",
    answer=Count(of="transfers"),
    hints=[
        "Each row of `transfers` is one transfer, so the answer is the number of rows.",
        "Python's len() gives the length of many things, tables included.",
        "Write len(transfers) in place of ____.",
    ],
)

big_transfers = Exercise(
    MODULE,
    "big_transfers",
    title="the big transfers",
    task="keep the transfers of **more than 1 BTC**, in the variable `big_transfers`.",
    objective="filter rows by a condition.",
    answer=Rows(key="tx_hash"),
    hints=[
        "A filter is a condition in square brackets: table[condition].",
        'The condition compares a column with a number: transfers["amount_btc"] > 1.',
        'Put the condition inside transfers[...]: transfers[transfers["amount_btc"] > 1]. Use > (more than), not >=.',
    ],
)

transfers_by_time = Exercise(
    MODULE,
    "transfers_by_time",
    title="put the transfers in time order",
    task="all the transfers, from the earliest to the latest, in `transfers_by_time`.",
    objective="sort rows.",
    answer=Rows(key="tx_hash", ordered=True),
    hints=[
        "Sorting a table by one column is .sort_values(column).",
        'The time of each transfer is in the column "timestamp".',
        'transfers.sort_values("timestamp") sorts from earliest to latest (ascending is the default).',
    ],
)

latest_transfer = Exercise(
    MODULE,
    "latest_transfer",
    title="the latest transfer",
    task="the most recent transfer, in `latest_transfer`.",
    objective="pick the latest row.",
    answer=Row(key="tx_hash"),
    hints=[
        "You sorted the transfers by time in the last exercise: the latest one is at the end.",
        ".iloc[-1] picks the last row of a table (.iloc[0] the first).",
        "transfers_by_time.iloc[-1] is the latest transfer.",
    ],
)

sent_per_address = Exercise(
    MODULE,
    "sent_per_address",
    title="transfers sent per address",
    task="how many transfers each address **sent**, in `sent_per_address`.",
    objective="count rows by a column.",
    answer=CountsBy(what="addresses"),
    hints=[
        'The sender of each transfer is in the column "from_address".',
        ".value_counts() counts how often each value appears in a column.",
        'transfers["from_address"].value_counts() gives one count per sending address.',
    ],
)

total_btc = Exercise(
    MODULE,
    "total_btc",
    title="the total value moved",
    task="the total of all transfers **in bitcoin**, in `total_btc`.",
    objective="sum a column.",
    answer=Amount(unit="BTC", minimum=0, maximum=21_000_000),
    hints=[
        'The value of each transfer in bitcoin is in the column "amount_btc".',
        ".sum() adds up every value in a column.",
        'transfers["amount_btc"].sum() is the total in BTC (not "amount_usd").',
    ],
)
