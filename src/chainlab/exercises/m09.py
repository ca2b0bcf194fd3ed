"""Exercises of 09_working_with_vasps: a request the exchange accepts, reading its return, and choosing the measure."""

from dataclasses import dataclass

from .answer_widgets import AnswerForm, Menu
from .answers import Amount, Choice, LabelSet, Text
from .core import Exercise, Slip

MODULE = "09"
MEASURES = ("preservation", "freeze", "production")
REQUEST_TYPES = ("preservation", "production", "emergency disclosure", "freeze")  # as chainlab.desk knows them
RECORDS = '"kyc", "deposit addresses", "logins", "ledger"'  # and "linked accounts": the records the case asks for


@dataclass(frozen=True)
class Measure(Choice):
    """One of MEASURES. Its description names no option, so that a check's "not answered" message never lists the
    answer among the options (the task states them)."""

    options: tuple[str, ...] = MEASURES

    def describe(self) -> str:
        return "the measure's name as text (str), in quotes"


def _measure(name: str, situation: str, slips: list[Slip]) -> Exercise:
    return Exercise(
        MODULE,
        name,
        title=f"the measure for {situation}",
        objective="Choose preservation, freezing or production for a situation.",
        task=f'Put the measure that situation {situation} needs in `{name}`: "preservation", "freeze" or "production".',
        answer=Measure(),
        hints=[
            "Ask what must happen: keep records from being lost, hand records over, or stop money from moving.",
            "Preservation keeps data and hands nothing over; production hands data over; a freeze holds funds.",
        ],
        slips=slips,
        form=AnswerForm(
            "{measure}",
            (Menu("measure", f"the measure for {situation}", tuple((word, f'"{word}"') for word in MEASURES)),),
        ),
    )


measure_s1 = _measure(
    "measure_s1",
    "S1",
    [
        Slip('"preservation"', "A preservation keeps records; it does not stop the coins from being withdrawn."),
        Slip('"production"', "A production hands records over; it does not stop the coins from being withdrawn."),
    ],
)
measure_s2 = _measure(
    "measure_s2",
    "S2",
    [
        Slip('"freeze"', "A freeze holds funds; the worry here is losing the login records."),
        Slip(
            '"production"',
            "A production needs the order you do not have yet; until it comes, the records must be kept from being lost.",
        ),
    ],
)
measure_s3 = _measure(
    "measure_s3",
    "S3",
    [
        Slip(
            '"preservation"',
            "The order is already there: a preservation would only keep the records, not hand them over.",
        ),
        Slip('"freeze"', "A freeze holds funds; the judge's order here is for records."),
    ],
)


accepted_scope = Exercise(
    MODULE,
    "accepted_scope",
    title="a request the exchange accepts",
    objective="Write a request to an exchange that it can answer at once: exchange, type, legal basis, identifiers, time range and data.",
    task=(
        "Fill in `request` for a **production** request to the case's exchange, about `case.suspect_address`, "
        "from `case.first_day` to `case.last_day`, for the KYC file, the deposit addresses, the logins, the ledger and "
        "the linked accounts; send it with `desk.answer(request)`, and put the reply's `.scope` in `accepted_scope`."
    ),
    answer=LabelSet(what="lines of the accepted scope"),
    hints=[
        "Look at the desk's reply above your answer: if it lists reasons, fix each one and send the request again.",
        "Every field needs a value: the exchange's name as the desk spells it, the request type, a legal basis, your "
        "reference, the suspect address, both days and the five kinds of data.",
    ],
    slips=[
        Slip(
            'desk.answer({**request, "request_type": "preservation"}).scope',
            "A preservation request keeps the records but hands nothing over: ask for a production.",
        ),
        Slip(
            'desk.answer({**request, "data_requested": ["kyc", "deposit addresses", "logins", "ledger"]}).scope',
            "The request leaves out the linked accounts, which the next exercises need.",
        ),
        Slip(
            'desk.answer({**request, "date_from": case.last_day, "date_to": case.last_day}).scope',
            "The time range covers only the last day: it must run from case.first_day to case.last_day.",
        ),
        Slip(
            "[]", "The desk refused this request: read its reasons in the reply, fix them and send the request again."
        ),
    ],
    form=AnswerForm(
        "(reply := desk.answer(dict(exchange=case.exchange, request_type={request_type}, "
        'legal_basis="Production order no. 2024/311, investigating judge of the (fictional) Court of Example", '
        'case_reference="GO-2024-07", identifiers=case.suspect_address, date_from={date_from}, date_to=case.last_day, '
        'data_requested={data}, urgency_reason=""))).scope',
        (
            Menu("request_type", "request type", tuple((kind, f'"{kind}"') for kind in REQUEST_TYPES)),
            Menu(
                "date_from",
                "from",
                (
                    ("the first day of the facts, case.first_day", "case.first_day"),
                    ("the last day, case.last_day", "case.last_day"),
                ),
            ),
            Menu(
                "data",
                "data requested",
                (
                    ("the five records", f'[{RECORDS}, "linked accounts"]'),
                    ("those without the linked accounts", f"[{RECORDS}]"),
                    ("the five records and the funds", f'[{RECORDS}, "linked accounts", "funds"]'),
                ),
            ),
        ),
    ),
)

suspect_customer = Exercise(
    MODULE,
    "suspect_customer",
    title="who holds the suspect address",
    objective="Join the exchange's return to the on-chain deposits to identify the customer.",
    task=(
        "Join `trail` (the ring's payments on chain) to the return's `deposit_addresses` and then to its `kyc`, "
        "and put the **full name** of the customer who received the ring's latest payment in `suspect_customer`."
    ),
    answer=Text(what="the customer's full name", case_sensitive=True),
    hints=[
        "The address is what the chain and the return have in common; the account id links the return's tables to each other.",
        'Merge trail with reply.deposit_addresses on "address", then merge the result with reply.kyc on "account_id".',
    ],
    slips=[
        Slip(
            'trail.merge(reply.deposit_addresses, on="address").merge(reply.kyc, on="account_id")["account_id"].iloc[-1]',
            "That is the customer's account number: the task asks for the customer's full name.",
        ),
        Slip(
            'trail.merge(reply.deposit_addresses, on="address").merge(reply.kyc, on="account_id")["email"].iloc[-1]',
            "That is the customer's e-mail address: the task asks for the full name.",
        ),
    ],
    form=AnswerForm(
        'trail.merge(reply.deposit_addresses, on="address").merge(reply.kyc, on="account_id")[{column}].iloc[-1]',
        (
            Menu(
                "column",
                "the customer's",
                (
                    ("full name, full_name", '"full_name"'),
                    ("account number, account_id", '"account_id"'),
                    ("e-mail, email", '"email"'),
                ),
            ),
        ),
    ),
)

linked_accounts = Exercise(
    MODULE,
    "linked_accounts",
    title="accounts on the suspect's device",
    objective="Find accounts linked to a suspect by shared devices, and tell a strong link from a weak one.",
    task=(
        "From `reply.linked_logins`, put the account ids of the **other** accounts that logged in from a device the "
        "suspect used (a `device_id` in `reply.logins`) in `linked_accounts`."
    ),
    answer=LabelSet(what="account ids"),
    hints=[
        "A shared device is the strong link; an IP address alone can be shared by strangers behind one network.",
        'Keep the rows of reply.linked_logins whose "device_id" is in reply.logins["device_id"] (use .isin()).',
    ],
    slips=[
        Slip(
            'reply.linked_logins[reply.linked_logins["ip_address"].isin(reply.logins["ip_address"])]["account_id"]',
            "Those accounts share an IP address with the suspect: strangers behind one network, a café or a VPN share "
            "IP addresses too. The task asks for a shared device.",
        ),
        Slip(
            'reply.linked_logins[reply.linked_logins["ip_address"].isin(reply.logins["ip_address"]) '
            '& reply.linked_logins["device_id"].isin(reply.logins["device_id"])]["account_id"]',
            "You asked for the same IP address and the same device in one login; a phone used on another network "
            "is still the same device. Ask for a shared device only.",
        ),
        Slip(
            'reply.linked_logins["account_id"]',
            "That is every account the exchange listed, linked by an IP address or a device. Keep those that share a device.",
        ),
        Slip(
            'list(linked_accounts) + list(reply.logins["account_id"])',
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
                    (
                        "an IP address and a device, in one login",
                        'reply.linked_logins[reply.linked_logins["ip_address"].isin(reply.logins["ip_address"]) '
                        '& reply.linked_logins["device_id"].isin(reply.logins["device_id"])]',
                    ),
                    ("an IP address or a device: every linked login", "reply.linked_logins"),
                ),
            ),
            Menu(
                "own",
                "and keep",
                (
                    ("only the other accounts", ""),
                    ("those and the suspect's own account", ' + list(reply.logins["account_id"])'),
                ),
            ),
        ),
    ),
)

ring_received_btc = Exercise(
    MODULE,
    "ring_received_btc",
    title="reconcile the return with the chain",
    objective="Reconcile the amounts an exchange returns with the payments the chain shows.",
    task=(
        "Keep the rows of the return's `ledger` whose transaction is in `trail` (the ring's payments on chain), and put "
        "their total **in BTC** in `ring_received_btc`."
    ),
    answer=Amount(unit="BTC", minimum=0, maximum=21_000_000),
    hints=[
        "The exchange credits the value of each on-chain payment it receives: the two lists should agree row by row.",
        'Keep the ledger rows whose "transaction_hash" is in trail["transaction_hash"], then add up their "value".',
    ],
    slips=[
        Slip(
            'reply.ledger[reply.ledger["transaction_hash"].isin(trail["transaction_hash"])]["value"].sum()',
            "That total is in satoshi: divide it by SATOSHI_PER_BTC to get BTC.",
        ),
        Slip(
            'trail["value"].sum() / SATOSHI_PER_BTC',
            "That is every payment on the trail, including those into another address: keep the ledger rows of this "
            "customer whose transaction is on the trail.",
        ),
    ],
    form=AnswerForm(
        '{rows}["value"].sum(){unit}',
        (
            Menu(
                "rows",
                "add up the value of",
                (
                    (
                        "the ledger rows whose transaction is in trail",
                        'reply.ledger[reply.ledger["transaction_hash"].isin(trail["transaction_hash"])]',
                    ),
                    ("every payment on the trail", "trail"),
                ),
            ),
            Menu(
                "unit",
                "and give it",
                (
                    ("in BTC: divided by SATOSHI_PER_BTC", " / SATOSHI_PER_BTC"),
                    ("in satoshi, as the ledger counts", ""),
                ),
            ),
        ),
    ),
)
