"""Exercises of 10_capstone_investigation: the key findings of a case, from the complaint to the exchange's return."""

import json

from ..desk import RECORDS
from ..widgets.request_builder import REQUEST_TYPES
from .answer_widgets import AnswerForm, Menu
from .answers import Amount, LabelSet, Text
from .core import Exercise, Slip

MODULE = "10"
BTC_OR_SATOSHI = (("in BTC: divided by SATOSHI_PER_BTC", " / SATOSHI_PER_BTC"), ("in satoshi, as the chain counts", ""))

fraud_addresses = Exercise(
    MODULE,
    "fraud_addresses",
    title="the firm's addresses",
    objective="Cluster addresses with the multi-input heuristic to find the other victims' payments.",
    task=(
        "Put every address in the same multi-input cluster as the complaint's `reported_address` "
        "(the reported address too) in `fraud_addresses`."
    ),
    answer=LabelSet(what="addresses"),
    hints=[
        "The firm swept every fee together in one transaction: the addresses spent together there have one owner.",
        "`clustering.members(address)` lists every address in the same cluster as `address`.",
    ],
    slips=[
        Slip(
            "[complaint.reported_address]",
            "That is only the address the complaint names: the cluster holds the addresses of the other victims' "
            "payments too. Ask the clustering for every member.",
        ),
        Slip(
            "list(first_steps['address'])",
            "Those are the addresses the sweep paid (one hop forward): the task asks for the addresses spent "
            "together with the reported one, its cluster.",
        ),
    ],
    form=AnswerForm(
        "{addresses}",
        (
            Menu(
                "addresses",
                "the firm's addresses are",
                (
                    (
                        "every address in the reported address's cluster",
                        'clustering.members(complaint["reported_address"])',
                    ),
                    ("the reported address alone", '[complaint["reported_address"]]'),
                    ("the addresses the sweep paid (first_steps, one hop forward)", 'list(first_steps["address"])'),
                ),
            ),
        ),
    ),
)

total_proceeds_btc = Exercise(
    MODULE,
    "total_proceeds_btc",
    title="the total proceeds",
    objective="Total what every victim paid into the firm's addresses, in BTC.",
    task=(
        "Add up the `value` of every output paid to an address of the cluster `firm`, and put the total **in BTC** "
        "in `total_proceeds_btc`."
    ),
    answer=Amount(unit="BTC", minimum=0, maximum=21_000_000),
    hints=[
        "Every coin the firm's addresses received is a fee a victim paid: the outputs table lists them.",
        'Keep the rows of `outputs` whose "address" is in firm (use .isin()), then add up their "value".',
    ],
    slips=[
        Slip(
            "outputs.loc[outputs['address'].isin(firm), 'value'].sum()",
            "That total is in satoshi: divide it by SATOSHI_PER_BTC to get BTC.",
        ),
        Slip(
            "complaint.claimed_value / SATOSHI_PER_BTC",
            "That is what the one victim who complained paid: the total counts every victim's payments to the cluster.",
        ),
        Slip(
            "first_steps['value'].sum() / SATOSHI_PER_BTC",
            "That is what the sweep passed on, after its fee: the proceeds are what the victims paid in, before it.",
        ),
    ],
    form=AnswerForm(
        "{coins}{unit}",
        (
            Menu(
                "coins",
                "add up",
                (
                    (
                        "every output paid to an address of firm",
                        'outputs.loc[outputs["address"].isin(firm), "value"].sum()',
                    ),
                    ("what the complaint says the victim paid (claimed_value)", 'complaint["claimed_value"]'),
                    ("what the sweep paid on (first_steps)", 'first_steps["value"].sum()'),
                ),
            ),
            Menu("unit", "and give it", BTC_OR_SATOSHI),
        ),
    ),
)

cash_out_exchange = Exercise(
    MODULE,
    "cash_out_exchange",
    title="where the money was cashed out",
    objective="Follow a peel chain to its end and attribute the address it reaches from the tags.",
    task=(
        "Put the name of the exchange that the tags say holds `cash_out_address` (the address the peel chain "
        "ends at) in `cash_out_exchange`, spelt as in `names`."
    ),
    answer=Text(what="the exchange's name"),
    hints=[
        "`names` maps each address the tags call an exchange's to the exchange's name.",
        "Look the address up in `names` with square brackets.",
    ],
    slips=[
        Slip(
            "victim_exchange",
            "That is where the victim bought the coins before paying the firm: the task asks where the firm's money "
            "ended up.",
        ),
    ],
    form=AnswerForm(
        "{exchange}",
        (
            Menu(
                "exchange",
                "the exchange",
                (
                    ("the tags name for cash_out_address, where the peel chain ends", "names[cash_out_address]"),
                    ("where the victim bought the coins, victim_exchange", "victim_exchange"),
                ),
            ),
        ),
    ),
)

accepted_scope = Exercise(
    MODULE,
    "accepted_scope",
    title="the request to the exchange",
    objective="Write a production request the exchange accepts, for the address where the money was cashed out.",
    task=(
        "Fill in `request` for a **production** request to `cash_out_exchange` about `cash_out_address`, from "
        "`first_day` to `last_day`, for the KYC file, the deposit addresses, the logins, the ledger and the linked "
        "accounts; the desk answers it, and `accepted_scope` is the reply's `.scope`."
    ),
    answer=LabelSet(what="lines of the accepted scope"),
    hints=[
        "Read the desk's reply under your request: if it lists reasons, fix each one and run the cells again.",
        "Module 09's request had the same fields: the exchange, the type, a legal basis, your reference, the "
        "identifier, both days and the five kinds of data.",
    ],
    slips=[
        Slip(
            'desk.answer({**request, "request_type": "preservation"}).scope',
            "A preservation keeps the records but hands nothing over: the case needs a production.",
        ),
        Slip(
            'desk.answer({**request, "data_requested": ["kyc", "deposit addresses", "logins", "ledger"]}).scope',
            "The request leaves out the linked accounts, which you need to find the co-conspirators.",
        ),
        Slip(
            'desk.answer({**request, "date_from": last_day}).scope',
            "The time range starts on the last day: it must run from first_day, the first payment, to last_day.",
        ),
        Slip("[]", "The desk refused this request: read its reasons in the reply, fix them and send it again."),
    ],
    form=AnswerForm(
        "(reply := desk.answer(request := dict(exchange={exchange}, request_type={request_type}, "
        'legal_basis="Production order no. 2024/517, investigating judge of the (fictional) Court of Example", '
        'case_reference="LR-2024-10", identifiers={identifiers}, date_from={date_from}, date_to=last_day, '
        'data_requested={data}, urgency_reason=""))).scope',
        (
            Menu(
                "exchange",
                "to the exchange",
                (
                    ("that holds cash_out_address, cash_out_exchange", "cash_out_exchange"),
                    ("where the victim bought the coins, victim_exchange", "victim_exchange"),
                ),
            ),
            Menu("request_type", "request type", tuple((kind, f'"{kind}"') for kind in REQUEST_TYPES)),
            Menu(
                "identifiers",
                "about the address",
                (
                    ("where the peel chain ends, cash_out_address", "cash_out_address"),
                    ("the complaint's reported address", 'complaint["reported_address"]'),
                ),
            ),
            Menu(
                "date_from",
                "from",
                (
                    ("the victim's payment, first_day", "first_day"),
                    ("the end of the peel chain, last_day", "last_day"),
                ),
            ),
            Menu(
                "data",
                "data requested",
                (
                    ("the five records", json.dumps(list(RECORDS))),
                    ("those without the linked accounts", json.dumps([r for r in RECORDS if r != "linked accounts"])),
                    ("the five records and the funds", json.dumps([*RECORDS, "funds"])),
                ),
            ),
        ),
    ),
)

suspect_account = Exercise(
    MODULE,
    "suspect_account",
    title="the suspect's account",
    objective="Read the exchange's return to name the account that received the end of the peel chain.",
    task=(
        "From the return's `deposit_addresses`, put the **account id** that `cash_out_address` belongs to in "
        "`suspect_account`."
    ),
    answer=Text(what="the account id", case_sensitive=True),
    hints=[
        "The return's deposit_addresses table says which account each deposit address was assigned to.",
        'Keep the row of reply.deposit_addresses whose "address" is cash_out_address.',
    ],
    slips=[
        Slip(
            'reply.kyc["full_name"].iloc[0]',
            "That is the customer's name: the task asks for the account id, which the next requests will quote.",
        ),
        Slip(
            'reply.kyc["email"].iloc[0]',
            "That is the customer's e-mail address: the task asks for the account id.",
        ),
    ],
    form=AnswerForm(
        "{value}",
        (
            Menu(
                "value",
                "the suspect's",
                (
                    (
                        "account id: the row of cash_out_address in reply.deposit_addresses",
                        'reply.deposit_addresses.loc[reply.deposit_addresses["address"] == cash_out_address, "account_id"].iloc[0]',
                    ),
                    ("full name, in reply.kyc", 'reply.kyc["full_name"].iloc[0]'),
                    ("e-mail, in reply.kyc", 'reply.kyc["email"].iloc[0]'),
                ),
            ),
        ),
    ),
)

linked_accounts = Exercise(
    MODULE,
    "linked_accounts",
    title="the co-conspirators' accounts",
    objective="Find the accounts linked to the suspect by a shared device, and leave out those that share only a network.",
    task=(
        "From `reply.linked_logins`, put the account ids of the **other** accounts that logged in from a device the "
        "suspect used (a `device_id` in `reply.logins`) in `linked_accounts`."
    ),
    answer=LabelSet(what="account ids"),
    hints=[
        "A shared device is a strong link; an IP address alone is shared by strangers on one network, such as a café's.",
        'Keep the rows of reply.linked_logins whose "device_id" is in reply.logins["device_id"] (use .isin()).',
    ],
    slips=[
        Slip(
            'reply.linked_logins[reply.linked_logins["ip_address"].isin(reply.logins["ip_address"])]["account_id"]',
            "Those accounts share an IP address with the suspect, and strangers on one network (a café's) do too. "
            "Keep the accounts that share a device.",
        ),
        Slip(
            'reply.linked_logins["account_id"]',
            "That is every account the exchange listed, linked by an IP address or a device. Keep those that share a device.",
        ),
        Slip(
            "list(linked_accounts) + [suspect_account]",
            "Your list includes the suspect's own account: the task asks for the other accounts.",
        ),
    ],
    form=AnswerForm(
        'list({logins}["account_id"]){own}',
        (
            Menu(
                "logins",
                "the accounts of the linked logins that share",
                (
                    (
                        "a device with the suspect",
                        'reply.linked_logins[reply.linked_logins["device_id"].isin(reply.logins["device_id"])]',
                    ),
                    (
                        "an IP address with the suspect",
                        'reply.linked_logins[reply.linked_logins["ip_address"].isin(reply.logins["ip_address"])]',
                    ),
                    ("an IP address or a device: every linked login", "reply.linked_logins"),
                ),
            ),
            Menu(
                "own",
                "and keep",
                (("only the other accounts", ""), ("those and the suspect's own account", " + [suspect_account]")),
            ),
        ),
    ),
)
