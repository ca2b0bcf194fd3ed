"""Request builder (introduced in 09_working_with_vasps): fields checked as they are filled, a clean request to a VASP,
and, given a `chainlab.desk.Desk`, a button that sends it to that exchange's desk and shows the reply.

`check_request`, `request_document`, `identifiers_of` and `data_kinds_of` are pure functions the tests call; the
widget only shows their results.
"""

from __future__ import annotations

import html
import re
from datetime import date

import ipywidgets as widgets

from ..chain import addresses
from ..viz.flow import short
from .checked_box import day_box
from .toolkit_html import message_html, table_html

REQUEST_TYPES = ("preservation", "production", "emergency disclosure", "freeze")
DATA_KINDS = ("kyc", "deposit addresses", "logins", "ledger", "linked accounts", "funds")
DATA_KIND_MEANINGS = {
    "kyc": "the customer's identity file (KYC)",
    "deposit addresses": "which deposit addresses the exchange assigned to the account",
    "logins": "logins with their IP addresses and device ids",
    "ledger": "deposits credited and withdrawals paid",
    "linked accounts": "other accounts that logged in from the same IP addresses or devices",
    "funds": "the money held in the account (for a freeze)",
}
DATA_KIND_ALIASES = {
    "deposits and withdrawals": "ledger",
    "deposits": "ledger",
    "withdrawals": "ledger",
    "transactions": "ledger",
    "logins and devices": "logins",
    "devices": "logins",
    "balance": "funds",
}
FIELDS = (
    "exchange",
    "request_type",
    "legal_basis",
    "case_reference",
    "identifiers",
    "date_from",
    "date_to",
    "data_requested",
    "urgency_reason",
)


def identifiers_of(fields: dict) -> list[str]:
    """The request's identifiers, one per line or comma, in their order, without blanks or repeats."""
    found = [i.strip() for i in str(fields.get("identifiers", "")).replace(",", "\n").splitlines() if i.strip()]
    return list(dict.fromkeys(found))


def data_kinds_of(fields: dict) -> list[str]:
    """The kinds of data asked for (from DATA_KINDS), from a list of kinds or a comma-separated text; unknown words are left out."""
    asked = fields.get("data_requested", "")
    words = str(asked).split(",") if isinstance(asked, str) else [str(a) for a in asked]
    kinds = [DATA_KIND_ALIASES.get(w.strip().lower(), w.strip().lower()) for w in words if w.strip()]
    return [k for k in DATA_KINDS if k in kinds]


def _unknown_kinds(fields: dict) -> list[str]:
    asked = fields.get("data_requested", "")
    words = str(asked).split(",") if isinstance(asked, str) else [str(a) for a in asked]
    return [
        w.strip()
        for w in words
        if w.strip() and DATA_KIND_ALIASES.get(w.strip().lower(), w.strip().lower()) not in DATA_KINDS
    ]


def check_request(fields: dict) -> list[str]:
    """Problems that would slow the exchange's answer, in plain words (empty when the request is complete)."""
    problems = []
    for name, label in (
        ("exchange", "the exchange"),
        ("legal_basis", "the legal basis"),
        ("case_reference", "your case reference"),
    ):
        if not str(fields.get(name, "")).strip():
            problems.append(f"Name {label}.")
    if not data_kinds_of(fields):
        problems.append(f"Say which data you want: one or more of {', '.join(DATA_KINDS)}.")
    for word in _unknown_kinds(fields):
        problems.append(f"{word!r} is not a kind of data this form knows: choose from {', '.join(DATA_KINDS)}.")
    if fields.get("request_type") not in REQUEST_TYPES:
        problems.append(f"Choose the request type: {', '.join(REQUEST_TYPES)}.")
    identifiers = identifiers_of(fields)
    if not identifiers:
        problems.append("List at least one identifier (address, transaction hash or account id), one per line.")
    for identifier in identifiers:
        is_hash = re.fullmatch(r"(0x)?[0-9a-fA-F]{64}", identifier) is not None
        looks_like_address = identifier.lower().startswith(("1", "3", "bc1", "0x"))
        if looks_like_address and not is_hash and not addresses.check(identifier).valid:
            problems.append(
                f"{identifier} is not a valid address ({addresses.check(identifier).problem}); copy it again."
            )
    start, end = fields.get("date_from"), fields.get("date_to")
    if not isinstance(start, date) or not isinstance(end, date):
        problems.append("Give the time range: both a first and a last day.")
    elif start > end:
        problems.append(f"The time range is impossible: it starts ({start}) after it ends ({end}).")
    if fields.get("request_type") == "emergency disclosure" and not str(fields.get("urgency_reason", "")).strip():
        problems.append("An emergency request must say why life or safety is at risk right now.")
    return problems


def request_document(fields: dict) -> str:
    """The request as plain text, ready to paste into the exchange's law-enforcement portal or a letter."""
    identifiers = identifiers_of(fields)
    lines = [
        f"To: {fields['exchange']}, law-enforcement response team",
        f"Request type: {fields['request_type']}",
        f"Our reference: {fields['case_reference']}",
        f"Legal basis: {fields['legal_basis']}",
        f"Time range: {fields['date_from']} to {fields['date_to']} (UTC)",
        "Identifiers:",
        *[f"  - {i}" for i in identifiers],
        "Data requested:",
        *[f"  - {kind}: {DATA_KIND_MEANINGS[kind]}" for kind in data_kinds_of(fields)],
    ]
    if str(fields.get("urgency_reason", "")).strip():
        lines.append(f"Urgency: {fields['urgency_reason']}")
    if fields.get("request_type") != "freeze":
        lines.append("Please preserve the data above while this request is processed, and do not notify the customer.")
    return "\n".join(lines)


def _for_screen(table):
    """A return's table as the panel shows it: without the exchange column (one exchange answers), hashes and addresses shortened."""
    shown = table.drop(columns=["exchange"], errors="ignore").copy()
    for column in ("transaction_hash", "address"):
        if column in shown:
            shown[column] = shown[column].map(short)
    return shown


def request_builder(exchanges: list[str], desk=None) -> widgets.VBox:
    """Form fields for a request to one of `exchanges`; problems are listed live, the document appears when there are none.

    With a `desk` (a `chainlab.desk.Desk`), a "Send to the exchange" button shows the desk's reply: its reasons for
    refusing, or the return's tables and the response time.
    """
    style, wide = {"description_width": "initial"}, widgets.Layout(width="80%")
    controls = {
        "exchange": widgets.Dropdown(options=["", *exchanges], description="exchange", style=style),
        "request_type": widgets.Dropdown(options=["", *REQUEST_TYPES], description="request type", style=style),
        "legal_basis": widgets.Text(description="legal basis", style=style, layout=wide),
        "case_reference": widgets.Text(description="case reference", style=style),
        "identifiers": widgets.Textarea(
            description="identifiers",
            placeholder="one address, transaction or account per line",
            style=style,
            layout=wide,
        ),
        "date_from": day_box("from"),
        "date_to": day_box("to"),
        "urgency_reason": widgets.Text(description="urgency (emergencies only)", style=style, layout=wide),
    }
    kinds = {
        kind: widgets.Checkbox(description=kind, indent=False, layout=widgets.Layout(width="auto", margin="0 1em 0 0"))
        for kind in DATA_KINDS
    }
    result, reply_box = widgets.HTML(), widgets.HTML()

    def fields() -> dict:
        values = {name: control.value for name, control in controls.items()}
        values["data_requested"] = [kind for kind, box in kinds.items() if box.value]
        return values

    def refresh(_change=None) -> None:
        problems = check_request(fields())
        if problems:
            result.value = (
                "<b>Still to fix:</b><ul>" + "".join(f"<li>{html.escape(p)}</li>" for p in problems) + "</ul>"
            )
        else:
            result.value = (
                message_html("The request is complete.") + f"<pre>{html.escape(request_document(fields()))}</pre>"
            )
        reply_box.value = ""

    def send(_button=None) -> None:
        reply = desk.answer(fields())
        parts = [reply._repr_html_()]
        parts += [
            f"<h4>{html.escape(name)}</h4>"
            + table_html(_for_screen(table), rows=8, empty="No rows for this account and time range.")
            for name, table in reply.tables.items()
        ]
        reply_box.value = "".join(parts)

    for control in [*controls.values(), *kinds.values()]:
        control.observe(refresh, names="value")
    data_row = widgets.HBox(
        [widgets.Label("data requested:"), *kinds.values()], layout=widgets.Layout(flex_flow="row wrap")
    )
    refresh()
    children = [*controls.values(), data_row, result]
    if desk is not None:
        button = widgets.Button(
            description="Send to the exchange", button_style="primary", layout=widgets.Layout(width="auto")
        )
        button.on_click(send)
        children += [button, reply_box]
    return widgets.VBox(children)
