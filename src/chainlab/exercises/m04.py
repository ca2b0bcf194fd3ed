"""Exercises of 04_aml_monitoring_and_red_flags: structuring, rapid in-and-out, exposure, risk scores, precision and recall."""

from .answer_widgets import AnswerForm, Conditions, Menu
from .answers import LabelSet, Rows, WholeNumber
from .core import Exercise, Slip

MODULE = "04"
NEAR_THRESHOLD = 'deposits[(deposits["value_usd"] >= 9000) & (deposits["value_usd"] < 10000)]'
TRUE_ALERTS = '(review["alerted"] & (review["finding"] == "suspicious")).sum()'
SUSPICIOUS = '(review["finding"] == "suspicious").sum()'
# precision and recall are answered with one form: which rows to count, and what to divide by
SHARE_FORM = AnswerForm(
    "round({count}{share})",
    (
        Menu(
            "count",
            "count the customers of review who",
            (
                ("had an alert and were found suspicious", TRUE_ALERTS),
                ("had an alert", 'review["alerted"].sum()'),
                ("were found suspicious", SUSPICIOUS),
            ),
        ),
        Menu(
            "share",
            "and give, rounded to a whole number,",
            (
                ("their share of all alerts, in percent", ' * 100 / review["alerted"].sum()'),
                ("their share of all customers found suspicious, in percent", f" * 100 / {SUSPICIOUS}"),
                ("their share of every reviewed customer, in percent", " * 100 / len(review)"),
                ("their number", ""),
            ),
        ),
    ),
)

structuring_accounts = Exercise(
    MODULE,
    "structuring_accounts",
    title="detect structuring",
    task="in three steps: keep in `near` the deposits worth at least USD 9,000 and less than USD 10,000; count them per account in a moving 48-hour window (`in_48h`, as in the example); put the `account_id`s that reach **3 or more** in one window in `structuring_accounts`.",
    objective="detect structuring: several deposits just under a reporting threshold within a short window.",
    answer=LabelSet(what="account ids"),
    hints=[
        "Keep the deposits worth at least USD 9,000 and less than USD 10,000, then count them per account in a moving 48-hour window.",
        'near = deposits[(deposits["value_usd"] >= 9000) & (deposits["value_usd"] < 10000)]; then count with .set_index("timestamp").groupby("account_id")["value_usd"].rolling("48h").count(), as in the example above.',
    ],
    slips=[
        Slip(
            'near["account_id"].unique()',
            "Those are all the accounts with a near-threshold deposit. Keep only those with 3 or more within 48 hours.",
        ),
        Slip(
            'deposits.set_index("timestamp").groupby("account_id")["value_usd"].rolling("48h").count().loc[lambda counts: counts >= 3].index.get_level_values("account_id").unique()',
            "You counted all deposits in the window, not only those just under the threshold. Count the near deposits: start from near.",
        ),
    ],
    form=AnswerForm(
        '(in_48h := {rows}.set_index("timestamp").groupby("account_id")["value_usd"].rolling("48h").count())'
        '[in_48h >= {count}].index.get_level_values("account_id").unique()',
        (
            Menu(
                "rows",
                "count the deposits worth",
                (
                    ("USD 9,000 or more and less than USD 10,000", NEAR_THRESHOLD),
                    ("less than USD 10,000", 'deposits[deposits["value_usd"] < 10000]'),
                    ("USD 9,000 or more", 'deposits[deposits["value_usd"] >= 9000]'),
                    ("any amount: every deposit", "deposits"),
                ),
            ),
            Menu(
                "count",
                "in a moving 48-hour window, and keep the accounts that reach",
                (("3 or more in one window", "3"), ("2 or more in one window", "2"), ("1 or more in one window", "1")),
            ),
        ),
    ),
)

rapid_accounts = Exercise(
    MODULE,
    "rapid_accounts",
    title="detect rapid in-and-out",
    task="a *fast case* is a row of `pairs` that is a **deposit** whose next entry is a **withdrawal**, made **within 8 hours**, of **at least 90%** of the deposit's value.\nPut the `account_id`s with **3 or more** fast cases in `rapid_accounts`.",
    objective="detect rapid in-and-out: deposits withdrawn again, almost whole, within hours.",
    answer=LabelSet(what="account ids"),
    hints=[
        "Each row of `pairs` is a ledger entry with the same account's next entry beside it. A fast case is a deposit whose next entry is a withdrawal, within 8 hours, of at least 90% of the deposit.",
        'Four conditions joined with &: pairs["direction"] == "deposit", pairs["next_direction"] == "withdrawal", pairs["next_timestamp"] - pairs["timestamp"] <= pd.Timedelta(hours=8), pairs["next_value"] >= 0.9 * pairs["value"]. Then count the fast cases per account with .value_counts(), as in module 00.',
    ],
    slips=[
        Slip(
            "cases[cases > 3].index",
            "Your list leaves out accounts with exactly 3 fast cases. The rule is 3 or more, which is >=.",
        ),
        Slip(
            "cases.index",
            "Those are all the accounts with a fast case. Keep only those with 3 or more.",
        ),
        Slip(
            'pairs[(pairs["direction"] == "deposit") & (pairs["next_direction"] == "withdrawal") & (pairs["next_timestamp"] - pairs["timestamp"] <= pd.Timedelta(hours=8))].groupby("account_id").size().loc[lambda counts: counts >= 3].index',
            'Your fast cases include withdrawals of less than 90% of the deposit. Add the condition on "next_value".',
        ),
    ],
    form=AnswerForm(
        '(cases := {rows}["account_id"].value_counts()){keep}.index',
        (
            Conditions(
                "rows",
                "a fast case is a row of pairs that meets every condition ticked:",
                "pairs",
                (
                    (
                        "it is a deposit, and its next entry is a withdrawal",
                        '(pairs["direction"] == "deposit") & (pairs["next_direction"] == "withdrawal")',
                    ),
                    (
                        "the withdrawal came within 8 hours",
                        '(pairs["next_timestamp"] - pairs["timestamp"] <= pd.Timedelta(hours=8))',
                    ),
                    ("the withdrawal is at least 90% of the deposit", '(pairs["next_value"] >= 0.9 * pairs["value"])'),
                ),
            ),
            Menu(
                "keep",
                "keep the accounts with",
                (
                    ("3 or more fast cases", "[cases >= 3]"),
                    ("more than 3 fast cases", "[cases > 3]"),
                    ("at least one fast case", ""),
                ),
            ),
        ),
    ),
)

exposed_accounts = Exercise(
    MODULE,
    "exposed_accounts",
    title="direct exposure",
    task="put in `exposed_accounts` the `account_id`s that either received a deposit whose `sender` is in `risky_addresses`, or made a withdrawal whose `address` is in `risky_addresses`.",
    objective="compute direct exposure to sanctioned or darknet addresses, in deposits and in withdrawals.",
    answer=LabelSet(what="account ids"),
    hints=[
        "Two ways to be directly exposed: a deposit whose transaction spent coins of a risky address, or a withdrawal paid to a risky address.",
        'Deposits: keep the rows of deposit_senders whose "sender" is in risky_addresses (.isin). Withdrawals: keep the withdrawals whose "address" is in risky_addresses. Take "account_id" from both.',
    ],
    slips=[
        Slip(
            'set(deposit_senders["account_id"]) | set(withdrawals["account_id"])',
            "Those are all the accounts with a deposit or a withdrawal. Keep only those where the sender or the receiving address is in risky_addresses (.isin).",
        ),
        Slip(
            'set(deposit_senders[deposit_senders["sender"].isin(risky_addresses)]["sender"]) | set(withdrawals[withdrawals["address"].isin(risky_addresses)]["address"])',
            'Those are the risky addresses themselves. The task asks for the customers\' accounts: take the column "account_id".',
        ),
        Slip(
            "from_risky",
            "Those are only the accounts exposed through a deposit. The task also counts a withdrawal to a risky address: combine both sets with |.",
        ),
        Slip(
            "to_risky",
            "Those are only the accounts exposed through a withdrawal. The task also counts a deposit sent by a risky address: combine both sets with |.",
        ),
    ],
    form=AnswerForm(
        "{deposits} | {withdrawals}",
        (
            Menu(
                "deposits",
                "from the deposits, take",
                (
                    (
                        "the account_id of each deposit whose sender is in risky_addresses",
                        'set(deposit_senders[deposit_senders["sender"].isin(risky_addresses)]["account_id"])',
                    ),
                    (
                        "the sender of each deposit whose sender is in risky_addresses",
                        'set(deposit_senders[deposit_senders["sender"].isin(risky_addresses)]["sender"])',
                    ),
                    ("the account_id of every deposit", 'set(deposit_senders["account_id"])'),
                    ("nothing", "set()"),
                ),
            ),
            Menu(
                "withdrawals",
                "and from the withdrawals, take",
                (
                    (
                        "the account_id of each withdrawal whose address is in risky_addresses",
                        'set(withdrawals[withdrawals["address"].isin(risky_addresses)]["account_id"])',
                    ),
                    (
                        "the address of each withdrawal whose address is in risky_addresses",
                        'set(withdrawals[withdrawals["address"].isin(risky_addresses)]["address"])',
                    ),
                    ("the account_id of every withdrawal", 'set(withdrawals["account_id"])'),
                    ("nothing", "set()"),
                ),
            ),
        ),
    ),
)

review_queue = Exercise(
    MODULE,
    "review_queue",
    title="the review queue",
    task="give every customer of `segment` a `risk_score` column (the weighted sum of their red flags, with the weights `aml.RED_FLAG_WEIGHTS`), keep the customers whose score is at least `aml.REVIEW_SCORE`, and sort them **highest score first**, ties by `account_id` (A to Z).\nPut the table in `review_queue`.",
    objective="score customers' risk from weighted red-flag indicators and build the review queue.",
    answer=Rows(key="account_id", ordered=True),
    hints=[
        "Each customer's score is the sum, over the indicators, of weight × (1 if the flag is set, else 0). Keep the customers whose score is at least aml.REVIEW_SCORE, highest score first.",
        'weights = pd.Series(aml.RED_FLAG_WEIGHTS); segment[weights.index].mul(weights).sum(axis=1) is the score of every customer. Put it in a column "risk_score" with .assign(...).',
    ],
    slips=[
        Slip(
            'scored[scored["risk_score"] > aml.REVIEW_SCORE].sort_values(["risk_score", "account_id"], ascending=[False, True])',
            "Your queue leaves out customers whose score is exactly aml.REVIEW_SCORE. The queue takes scores at or above it, which is >=.",
        ),
        Slip(
            'scored[scored["risk_score"] >= aml.REVIEW_SCORE].sort_values("risk_score", ascending=False)',
            'Customers with the same score are not in the asked order. Break ties by account_id: sort by ["risk_score", "account_id"] with ascending=[False, True].',
        ),
        Slip(
            'scored[scored["risk_score"] >= aml.REVIEW_SCORE].sort_values(["risk_score", "account_id"])',
            "Your queue starts with the lowest score. The highest score comes first: ascending=[False, True].",
        ),
        Slip(
            'scored.sort_values(["risk_score", "account_id"], ascending=[False, True])',
            "Your queue holds every customer. Keep only those whose score is at least aml.REVIEW_SCORE.",
        ),
    ],
    form=AnswerForm(
        "(scored := segment.assign(risk_score=segment[list(aml.RED_FLAG_WEIGHTS)].mul(pd.Series(aml.RED_FLAG_WEIGHTS)).sum(axis=1)))"
        "{keep}.sort_values({order})",
        (
            Menu(
                "keep",
                "keep the customers whose score is",
                (
                    ("at least aml.REVIEW_SCORE", '[scored["risk_score"] >= aml.REVIEW_SCORE]'),
                    ("more than aml.REVIEW_SCORE", '[scored["risk_score"] > aml.REVIEW_SCORE]'),
                    ("anything: keep every customer", ""),
                ),
            ),
            Menu(
                "order",
                "sorted",
                (
                    (
                        "highest score first, ties by account_id (A to Z)",
                        '["risk_score", "account_id"], ascending=[False, True]',
                    ),
                    ("highest score first", '"risk_score", ascending=False'),
                    ("lowest score first, ties by account_id (A to Z)", '["risk_score", "account_id"]'),
                ),
            ),
        ),
    ),
)

alert_precision = Exercise(
    MODULE,
    "alert_precision",
    title="precision",
    task="from `review`, compute the rule's precision (alerts found suspicious ÷ all alerts) and put it in `alert_precision` **in percent, rounded to a whole number** with `round(...)`.",
    objective="measure a rule's precision: the share of its alerts that were really suspicious.",
    answer=WholeNumber(what="the precision in percent, rounded"),
    hints=[
        "Precision looks only at the rows with an alert: of those, how many did the analyst find suspicious?",
        'alerts = review[review["alerted"]]; true_alerts = (alerts["finding"] == "suspicious").sum(); precision = true_alerts / len(alerts).',
    ],
    slips=[
        Slip(
            'round(100 * (alerts["finding"] == "suspicious").sum() / len(review))',
            "You divided by every reviewed customer. Precision divides by the number of alerts: len(alerts).",
        ),
        Slip(
            'round(100 * (review["alerted"] & (review["finding"] == "suspicious")).sum() / (review["finding"] == "suspicious").sum())',
            "That is the recall: the share of suspicious customers that got an alert. Precision is the share of alerts that were suspicious.",
        ),
        Slip(
            'int((alerts["finding"] == "suspicious").sum())',
            "That is the number of true alerts. Precision is their share of all alerts, in percent.",
        ),
    ],
    form=SHARE_FORM,
)

alert_recall = Exercise(
    MODULE,
    "alert_recall",
    title="recall",
    task="from `review`, compute the rule's recall (suspicious customers with an alert ÷ all suspicious customers) and put it in `alert_recall` **in percent, rounded to a whole number**.",
    objective="measure a rule's recall: the share of the really suspicious customers that it alerted on.",
    answer=WholeNumber(what="the recall in percent, rounded"),
    hints=[
        "Recall looks only at the rows the analyst found suspicious: of those, how many had an alert?",
        'suspicious = review[review["finding"] == "suspicious"]; recall = suspicious["alerted"].sum() / len(suspicious).',
    ],
    slips=[
        Slip(
            'round(100 * suspicious["alerted"].sum() / len(review))',
            "You divided by every reviewed customer. Recall divides by the number of suspicious customers: len(suspicious).",
        ),
        Slip(
            "alert_precision",
            "That is the precision: the share of alerts that were suspicious. Recall is the share of suspicious customers that got an alert.",
        ),
        Slip(
            'int(suspicious["alerted"].sum())',
            "That is the number of suspicious customers with an alert. Recall is their share of all suspicious customers, in percent.",
        ),
    ],
    form=SHARE_FORM,
)
