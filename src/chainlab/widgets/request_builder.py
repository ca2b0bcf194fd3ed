"""Request builder (introduced in 09_working_with_vasps): fields checked as they are filled, and a clean request to a VASP.

`check_request` and `request_document` are pure functions the tests call; the widget only shows their results.
"""

from __future__ import annotations

import html
import re
from datetime import date

import ipywidgets as widgets

from ..chain import addresses
from .toolkit_html import message_html

REQUEST_TYPES = ("preservation", "production", "emergency disclosure", "freeze")
FIELDS = ("exchange", "request_type", "legal_basis", "case_reference", "identifiers", "date_from", "date_to", "data_requested", "urgency_reason")


def check_request(fields: dict) -> list[str]:
    """Problems that would slow the exchange's answer, in plain words (empty when the request is complete)."""
    problems = []
    for name, label in (("exchange", "the exchange"), ("legal_basis", "the legal basis"), ("case_reference", "your case reference"),
                        ("data_requested", "the data you want")):
        if not str(fields.get(name, "")).strip():
            problems.append(f"Name {label}.")
    if fields.get("request_type") not in REQUEST_TYPES:
        problems.append(f"Choose the request type: {', '.join(REQUEST_TYPES)}.")
    identifiers = [i.strip() for i in str(fields.get("identifiers", "")).replace(",", "\n").splitlines() if i.strip()]
    if not identifiers:
        problems.append("List at least one identifier (address, transaction hash or account id), one per line.")
    for identifier in identifiers:
        is_hash = re.fullmatch(r"(0x)?[0-9a-fA-F]{64}", identifier) is not None
        looks_like_address = identifier.lower().startswith(("1", "3", "bc1", "0x"))
        if looks_like_address and not is_hash and not addresses.check(identifier).valid:
            problems.append(f"{identifier} is not a valid address ({addresses.check(identifier).problem}); copy it again.")
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
    identifiers = [i.strip() for i in str(fields["identifiers"]).replace(",", "\n").splitlines() if i.strip()]
    lines = [f"To: {fields['exchange']}, law-enforcement response team",
             f"Request type: {fields['request_type']}",
             f"Our reference: {fields['case_reference']}",
             f"Legal basis: {fields['legal_basis']}",
             f"Time range: {fields['date_from']} to {fields['date_to']} (UTC)",
             "Identifiers:", *[f"  - {i}" for i in identifiers],
             f"Data requested: {fields['data_requested']}"]
    if str(fields.get("urgency_reason", "")).strip():
        lines.append(f"Urgency: {fields['urgency_reason']}")
    lines.append("Please preserve the data above while this request is processed, and do not notify the customer.")
    return "\n".join(lines)


def request_builder(exchanges: list[str]) -> widgets.VBox:
    """Form fields for a request to one of `exchanges`; problems are listed live, the document appears when there are none."""
    style, wide = {"description_width": "initial"}, widgets.Layout(width="80%")
    controls = {
        "exchange": widgets.Dropdown(options=["", *exchanges], description="exchange", style=style),
        "request_type": widgets.Dropdown(options=["", *REQUEST_TYPES], description="request type", style=style),
        "legal_basis": widgets.Text(description="legal basis", style=style, layout=wide),
        "case_reference": widgets.Text(description="case reference", style=style),
        "identifiers": widgets.Textarea(description="identifiers", placeholder="one address, transaction or account per line", style=style, layout=wide),
        "date_from": widgets.DatePicker(description="from", style=style),
        "date_to": widgets.DatePicker(description="to", style=style),
        "data_requested": widgets.Textarea(description="data requested", placeholder="KYC, logins with IPs and devices, deposits and withdrawals…", style=style, layout=wide),
        "urgency_reason": widgets.Text(description="urgency (emergencies only)", style=style, layout=wide),
    }
    result = widgets.HTML()

    def refresh(_change=None) -> None:
        fields = {name: control.value for name, control in controls.items()}
        problems = check_request(fields)
        if problems:
            result.value = "<b>Still to fix:</b><ul>" + "".join(f"<li>{html.escape(p)}</li>" for p in problems) + "</ul>"
        else:
            result.value = message_html("The request is complete.") + f"<pre>{html.escape(request_document(fields))}</pre>"

    for control in controls.values():
        control.observe(refresh, names="value")
    refresh()
    return widgets.VBox([*controls.values(), result])
