"""Exercises of 00_getting_started: the smallest pandas steps an officer needs later."""

from .answer_widgets import AnswerForm, Menu, Number
from .answers import Amount, Count, CountsBy, Row, Rows
from .core import Exercise, Slip

BTC_OR_USD = (
    ("the amount in BTC, amount_btc", '"amount_btc"'),
    ("the amount in US dollars, amount_usd", '"amount_usd"'),
)

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
    ],
    slips=[
        Slip(
            "len(transfers.columns)",
            "That is the number of columns. Each transfer is a row: count the rows of transfers.",
        ),
        Slip(
            "len(transfers.head())",
            "That counts only the first rows that .head() shows. Count the rows of the whole table transfers.",
        ),
    ],
    form=AnswerForm(
        "{what}",
        (
            Menu(
                "what",
                "count",
                (
                    ("the rows of transfers", "len(transfers)"),
                    ("the columns of transfers", "len(transfers.columns)"),
                    ("the rows that .head() shows", "len(transfers.head())"),
                ),
            ),
        ),
    ),
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
    ],
    slips=[
        Slip(
            'transfers[transfers["amount_btc"] >= 1]',
            "Your filter also keeps the transfers of exactly 1 BTC: >= means 1 or more. The task asks for more than 1 BTC, which is >.",
        ),
        Slip(
            'transfers[transfers["amount_btc"] > 1][["tx_hash", "amount_btc"]]',
            "You have the right rows, but only some of the columns. Keep the filtered table whole, with all its columns.",
        ),
        Slip(
            'transfers[transfers["amount_usd"] > 1]',
            'Your filter compares the amount in US dollars with 1. Use the column in bitcoin, "amount_btc".',
        ),
        Slip(
            'transfers[transfers["amount_btc"] < 1]',
            "Your filter keeps the transfers of less than 1 BTC. Turn the comparison round: more than is >.",
        ),
    ],
    form=AnswerForm(
        "transfers[transfers[{column}] {comparison} {amount}]",
        (
            Menu("column", "keep the rows where", BTC_OR_USD),
            Menu(
                "comparison",
                "is",
                (
                    ("more than, >", ">"),
                    ("at least, >=", ">="),
                    ("less than, <", "<"),
                    ("at most, <=", "<="),
                    ("exactly, ==", "=="),
                ),
            ),
            Number("amount", "this amount", unit="(in the column's unit)"),
        ),
    ),
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
    ],
    slips=[
        Slip(
            'transfers.sort_values("timestamp", ascending=False)',
            "Your table runs from the latest transfer to the earliest. Sort from the earliest: leave out ascending=False.",
        ),
        Slip(
            "transfers",
            "This is the table as it came, not sorted. Sort it with .sort_values() on the time column.",
        ),
        Slip(
            'transfers.sort_values("timestamp").head()',
            "That is only the first rows that .head() shows. Keep every transfer: leave out .head().",
        ),
        Slip(
            'transfers.sort_values("amount_btc")',
            'Your table is sorted by amount. Sort it by the time of each transfer, the column "timestamp".',
        ),
    ],
    form=AnswerForm(
        "transfers.sort_values({column}{order})",
        (
            Menu(
                "column",
                "sort the transfers by",
                (("their time, timestamp", '"timestamp"'), *BTC_OR_USD),
            ),
            Menu(
                "order",
                "order",
                (("earliest (or smallest) first", ""), ("latest (or largest) first", ", ascending=False")),
            ),
        ),
    ),
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
    ],
    slips=[
        Slip(
            "transfers_by_time.iloc[0]",
            "That is the earliest transfer: .iloc[0] is the first row of a table sorted from earliest to latest. The latest is the last row.",
        ),
        Slip(
            "transfers.iloc[-1]",
            "That is the last row of transfers as it came, which is not sorted by time. Take the last row of the sorted table, transfers_by_time.",
        ),
    ],
    form=AnswerForm(
        "{table}.iloc[{position}]",
        (
            Menu(
                "table",
                "from",
                (
                    ("the transfers sorted by time", 'transfers.sort_values("timestamp")'),
                    ("the transfers as they came", "transfers"),
                ),
            ),
            Menu("position", "take", (("the first row, .iloc[0]", "0"), ("the last row, .iloc[-1]", "-1"))),
        ),
    ),
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
    ],
    slips=[
        Slip(
            'transfers["to_address"].value_counts()',
            'Those are the transfers each address received. Count by the sender\'s column, "from_address".',
        ),
        Slip(
            'transfers["from_address"].value_counts().head()',
            "That is only the first rows that .head() shows. Keep the count of every sending address: leave out .head().",
        ),
    ],
    form=AnswerForm(
        "transfers[{column}].value_counts()",
        (
            Menu(
                "column",
                "count the transfers by",
                (("the sender, from_address", '"from_address"'), ("the receiver, to_address", '"to_address"')),
            ),
        ),
    ),
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
    ],
    slips=[
        Slip(
            'transfers["amount_usd"].sum()',
            'That is the total in US dollars. Add up the column in bitcoin, "amount_btc".',
        ),
        Slip(
            'transfers["amount_btc"].mean()',
            "That is the average transfer (.mean()). The total adds every value up, with .sum().",
        ),
    ],
    form=AnswerForm(
        "transfers[{column}].{operation}()",
        (
            Menu("column", "of the column", BTC_OR_USD),
            Menu("operation", "take", (("the total, .sum()", "sum"), ("the average, .mean()", "mean"))),
        ),
    ),
)
