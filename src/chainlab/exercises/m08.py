"""Exercises of 08_crime_typologies: one investigative question per typology, on the synthetic world's cases."""

from ..chain.units import MAX_BTC
from .answer_widgets import AnswerForm, Menu
from .answers import Amount, Count, CountsBy, LabelSet
from .core import Exercise, Slip
from .m05 import BTC_OR_SATOSHI

MODULE = "08"

fraud_victims = Exercise(
    MODULE,
    "fraud_victims",
    title="the scam's victims",
    objective="Find every victim of an investment scam from one complaint, through the ring's cluster.",
    task="from `deposits`, the coins paid to the ring's addresses, put the **number of victims** in `fraud_victims` (the platform gave each victim one address of their own).",
    answer=Count(of="victims"),
    hints=[
        "Each victim paid into one platform address of their own, often several times: count addresses, not payments.",
        'The "address" column of deposits says which platform address, so which victim, each payment went to.',
    ],
    slips=[
        Slip(
            "len(deposits)",
            "You counted the payments, not the victims: each victim paid several times into the same platform address. Count the different addresses.",
        ),
        Slip(
            'deposits[deposits["address"] == complaint["reported_address"]]["address"].nunique()',
            "You counted only the victim who complained. The ring's cluster holds the other victims' platform addresses too: count every address in `deposits`.",
        ),
    ],
    form=AnswerForm(
        '{rows}["address"].{what}()',
        (
            Menu(
                "what",
                "count",
                (("the different addresses: one per victim", "nunique"), ("the payments: every row", "count")),
            ),
            Menu(
                "rows",
                "in",
                (
                    ("every payment to the ring's addresses (deposits)", "deposits"),
                    (
                        "only the payments to the complaint's address",
                        'deposits[deposits["address"] == complaint["reported_address"]]',
                    ),
                ),
            ),
        ),
    ),
)

fraud_loss_btc = Exercise(
    MODULE,
    "fraud_loss_btc",
    title="the scam's total loss",
    objective="Total what the victims of an investment scam paid, in the unit the chain records.",
    task="add up what the ring's addresses received (the rows of `deposits`) and put the total **in BTC** in `fraud_loss_btc`.",
    answer=Amount(unit="BTC", minimum=0, maximum=MAX_BTC),
    hints=[
        "Every row of deposits is one payment a victim made to the fake platform: the loss is their sum.",
        'deposits["value"].sum() is the total in satoshi.',
    ],
    slips=[
        Slip(
            'deposits["value"].sum()',
            "That is the total in satoshi. The answer is asked in BTC: divide by SATOSHI_PER_BTC.",
        ),
        Slip(
            'complaint["claimed_value"] / SATOSHI_PER_BTC',
            "That is one victim's loss, the one who complained. Add up every payment in `deposits`, from all the victims.",
        ),
        Slip(
            'outputs[outputs["transaction_hash"].isin(inputs[inputs["address"].isin(ring)]["transaction_hash"])]["value"].sum() / SATOSHI_PER_BTC',
            "You added up what the ring's addresses sent on (the consolidations), which is less: fees are gone, and the last payments were not swept yet. Add up what they received, the rows of `deposits`.",
        ),
    ],
    form=AnswerForm(
        "{coins}{unit}",
        (
            Menu(
                "coins",
                "add up",
                (
                    ("what the ring's addresses received (deposits)", 'deposits["value"].sum()'),
                    (
                        "what the ring's addresses sent on (its consolidations)",
                        'outputs[outputs["transaction_hash"].isin(inputs[inputs["address"].isin(ring)]["transaction_hash"])]["value"].sum()',
                    ),
                    ("the loss in the complaint (claimed_value)", 'complaint["claimed_value"]'),
                ),
            ),
            Menu("unit", "and give it", BTC_OR_SATOSHI),
        ),
    ),
)

donor_exchanges = Exercise(
    MODULE,
    "donor_exchanges",
    title="the donors' exchanges",
    objective="Trace each donation to a campaign one transaction back, to the exchange where the donor bought the coins.",
    task="for the rows of `donations`, put the **number of donations per exchange** that paid the donors' coins in `donor_exchanges` (use `case.funding_exchange`).",
    answer=CountsBy(what="exchanges"),
    hints=[
        'case.funding_exchange(donations["transaction_hash"]) names, for each donation, the exchange whose withdrawal paid the donor\'s coins.',
        "Counting how often each name appears gives the donations per exchange: .value_counts().",
    ],
    slips=[
        Slip(
            'donations.assign(exchange=donations["transaction_hash"].map(case.funding_exchange(donations["transaction_hash"]))).groupby("exchange")["value"].sum()',
            "Those are the amounts (satoshi) per exchange, not the number of donations. Count the donations: .value_counts().",
        ),
        Slip(
            'case.funding_exchange(inputs[inputs["address"] == donation]["transaction_hash"]).value_counts()',
            "You started from the transactions that spent the campaign's coins (its consolidations): their coins came from the donations, not from an exchange. Start from the donations, the rows of `donations`.",
        ),
    ],
    form=AnswerForm(
        "{answer}",
        (
            Menu(
                "answer",
                "for each exchange",
                (
                    (
                        "count the donations it paid for: one transaction back from each donation",
                        'case.funding_exchange(donations["transaction_hash"]).value_counts()',
                    ),
                    (
                        "add up the amounts of the donations it paid for (satoshi)",
                        'donations.assign(exchange=donations["transaction_hash"].map(case.funding_exchange(donations["transaction_hash"]))).groupby("exchange")["value"].sum()',
                    ),
                    (
                        "count the campaign's own spending (its consolidations) it paid for",
                        'case.funding_exchange(inputs[inputs["address"] == donation]["transaction_hash"]).value_counts()',
                    ),
                ),
            ),
        ),
    ),
)

top_vendors = Exercise(
    MODULE,
    "top_vendors",
    title="the market's top vendors by payout",
    objective="Find a darknet market's vendors from its escrow cluster, and rank them by what the market paid them.",
    task="from `payouts` (every output of the transactions the escrow cluster spent), drop the escrow's own addresses, total the value per address, and put the **3 addresses paid most** in `top_vendors`.",
    answer=LabelSet(what="addresses"),
    hints=[
        "A payout transaction pays the vendors and sends the rest back to the escrow as change: the escrow's own addresses are not vendors.",
        'payouts[~payouts["address"].isin(escrow)] keeps the vendors\' coins; .groupby("address")["value"].sum() totals each.',
    ],
    slips=[
        Slip(
            'payouts.groupby("address")["value"].sum().nlargest(3).index',
            "Your list holds one of the market's own addresses: the change each payout sends back to the escrow. Drop the escrow's addresses (`escrow`) first.",
        ),
        Slip(
            'payouts[~payouts["address"].isin(escrow)]["address"].value_counts().nlargest(3).index',
            "You ranked the vendors by how many payouts they got. Rank them by how much they were paid: the sum of `value`.",
        ),
        Slip(
            'payouts[~payouts["address"].isin(escrow)].groupby("address")["value"].sum().nsmallest(3).index',
            "Those are the 3 vendors paid least. Keep the largest totals: .nlargest(3).",
        ),
    ],
    form=AnswerForm(
        "{rows}{measure}.{end}(3).index",
        (
            Menu(
                "rows",
                "from",
                (
                    ("the payouts to others than the escrow", 'payouts[~payouts["address"].isin(escrow)]'),
                    ("every output of the payouts, the escrow's change too", "payouts"),
                ),
            ),
            Menu(
                "measure",
                "rank each address by",
                (
                    ("the total value it was paid", '.groupby("address")["value"].sum()'),
                    ("the number of payouts it got", '["address"].value_counts()'),
                ),
            ),
            Menu("end", "and keep", (("the 3 largest", "nlargest"), ("the 3 smallest", "nsmallest"))),
        ),
    ),
)

sanctioned_new_addresses = Exercise(
    MODULE,
    "sanctioned_new_addresses",
    title="the sanctioned entity's new addresses",
    objective="Follow a listed entity's coins to the new addresses it moved them to, telling its own change from its payments.",
    task="put in `sanctioned_new_addresses` every address of the entity's own that is not on the list: the addresses at **hop 1** of `moved`, and the **change** (from `change`) of the transactions at **hop 2**.",
    answer=LabelSet(what="addresses"),
    hints=[
        "Hop 1 moved everything the listed addresses held to new addresses: those are the entity's. At hop 2 it paid others, keeping the change: that change is the entity's too.",
        'moved[moved["hop"] == 1]["address"] are the first new addresses; change[change["transaction_hash"].isin(moved[moved["hop"] == 2]["transaction_hash"])]["address"] are the others.',
    ],
    slips=[
        Slip(
            'moved[moved["hop"] == 1]["address"]',
            "Your list stops one hop short: at hop 2 the entity paid others and kept change at new addresses of its own. Add the change of the hop-2 transactions.",
        ),
        Slip(
            'moved["address"]',
            "Your list holds the entity's payees too: at hop 2, the round amounts went to others. Keep only the change of the hop-2 transactions.",
        ),
        Slip(
            'list(listed) + list(moved[moved["hop"] == 1]["address"]) + list(change[change["transaction_hash"].isin(moved[moved["hop"] == 2]["transaction_hash"])]["address"])',
            "Your list also holds the listed addresses themselves. The question asks for the new ones, not on the list: leave `listed` out.",
        ),
    ],
    form=AnswerForm(
        '{listed}list(moved[moved["hop"] == 1]["address"]){hop_2}',
        (
            Menu(
                "listed",
                "start with",
                (
                    ("the new addresses at hop 1", ""),
                    ("the listed addresses and the new ones at hop 1", "list(listed) + "),
                ),
            ),
            Menu(
                "hop_2",
                "and add from hop 2",
                (
                    (
                        "the change of the hop-2 transactions",
                        ' + list(change[change["transaction_hash"].isin(moved[moved["hop"] == 2]["transaction_hash"])]["address"])',
                    ),
                    ("every address hop 2 paid: payees and change", ' + list(moved[moved["hop"] == 2]["address"])'),
                    ("nothing", ""),
                ),
            ),
        ),
    ),
)

site_user_exchanges = Exercise(
    MODULE,
    "site_user_exchanges",
    title="the paying users' exchanges",
    objective="Trace payments to a site's per-user addresses back to the exchanges where each user bought the coins.",
    task="with the `exchange` column of `payments`, put the **number of paying users per exchange** in `site_user_exchanges` (each user has one address of their own).",
    answer=CountsBy(what="exchanges"),
    hints=[
        "A user may pay several times, always to their own address: count different addresses per exchange, not payments.",
        'payments.groupby("exchange")["address"] groups the users\' addresses by the exchange that paid their coins.',
    ],
    slips=[
        Slip(
            'payments["exchange"].value_counts()',
            "You counted payments, not users: several users paid more than once. Count the different addresses per exchange.",
        ),
        Slip(
            'payments.groupby("exchange")["value"].sum()',
            "Those are the amounts (satoshi) per exchange, not the number of users. Count the different addresses per exchange.",
        ),
    ],
    form=AnswerForm(
        'payments.groupby("exchange"){measure}',
        (
            Menu(
                "measure",
                "for each exchange",
                (
                    ("count the different addresses: one per user", '["address"].nunique()'),
                    ("count the payments", '["address"].count()'),
                    ("add up the amounts paid (satoshi)", '["value"].sum()'),
                ),
            ),
        ),
    ),
)
