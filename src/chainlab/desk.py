"""The request desk of 09_working_with_vasps: a fictional exchange's law-enforcement team answering one request.

`Desk(exchange).answer(fields)` takes the request builder's fields and either refuses the request, with every
reason a compliance team would give, or answers it: a return of DataFrames limited to the identified accounts
and the time range asked, and a response time (emergency: hours; ordinary: days).

The desk reads the world's exchange-held tables (kyc, deposit_addresses, logins, exchange_ledger) through
`chainlab.data.load`, never the answer keys. Those tables stay loadable by every learner: module 04 puts the
learner inside the exchange, as its anti-money-laundering analyst; module 09 puts the learner outside it, as
the police, and its notebook reaches the exchange's records only through this desk.

The response times and the 92-day limit are the fictional desk's own policy, not law.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from . import data
from .widgets.request_builder import check_request, data_kinds_of, identifiers_of

MAX_RANGE_DAYS = 92  # the desk's policy: about three months per request; wider is overbroad
RECORDS = ("kyc", "deposit addresses", "logins", "ledger", "linked accounts")  # data: preserved or produced
FUNDS = "funds"  # what a freeze holds
FREEZING_WORDS = ("freez", "restrain", "restraint", "seiz", "confiscat")
RESPONSE_HOURS = {"emergency disclosure": 4, "freeze": 12, "preservation": 24, "production": 72}
SLOWER_RANGE_DAYS = 31  # a production for more than this many days takes a day longer
SLOWER_IDENTIFIERS = 10  # ... and so does one with more identifiers than this


@dataclass
class Reply:
    """The desk's answer: refused with reasons, or accepted with a return and a response time."""

    exchange: str
    fields: dict
    reasons: list[str] = field(default_factory=list)
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    response_hours: int = 0
    notes: list[str] = field(default_factory=list)
    not_returned: dict[str, pd.DataFrame] = field(
        default_factory=dict
    )  # empty tables, with their columns, for the rest

    @property
    def accepted(self) -> bool:
        return not self.reasons

    @property
    def response_time(self) -> str:
        """The response time in words: hours under a day, else days."""
        if not self.accepted:
            return "no answer: the request was refused"
        if self.response_hours < 24:
            return f"{self.response_hours} hours"
        days = self.response_hours // 24
        return f"{days} day" + ("s" if days != 1 else "")

    @property
    def scope(self) -> list[str]:
        """What the desk accepted to act on, one line per item (empty when refused): the record of the request."""
        if not self.accepted:
            return []
        return [
            f"exchange: {self.fields['exchange']}",
            f"request type: {self.fields['request_type']}",
            f"from: {self.fields['date_from']}",
            f"to: {self.fields['date_to']}",
            *[f"identifier: {i}" for i in identifiers_of(self.fields)],
            *[f"data: {kind}" for kind in data_kinds_of(self.fields)],
        ]

    def __getattr__(self, name: str) -> pd.DataFrame:
        """Each table of the return by name: `reply.kyc`, `reply.logins`, `reply.ledger`, ...; a table the desk did not
        return (refused, or not asked for) is empty, with its columns."""
        tables, absent = self.__dict__.get("tables", {}), self.__dict__.get("not_returned", {})
        if name in tables:
            return tables[name]
        if name in absent:
            return absent[name]
        raise AttributeError(
            f"A reply has no table {name!r}; the tables a return can hold are: {', '.join(absent) or ', '.join(tables)}."
        )

    def summary(self) -> str:
        """The reply as a compliance team would write it, in plain text."""
        if not self.accepted:
            return "\n".join(
                [
                    f"{self.exchange} cannot act on this request:",
                    *[f"  - {r}" for r in self.reasons],
                    "Correct it and send it again.",
                ]
            )
        lines = [
            f"{self.exchange} accepts your {self.fields['request_type']} request. Response time: {self.response_time}."
        ]
        lines += self.notes
        lines += [f"  {name}: {len(table)} row(s)" for name, table in self.tables.items()]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        colour = "#1e7b34" if self.accepted else "#a61b1b"
        head, *rest = self.summary().splitlines()
        items = "".join(f"<li>{html.escape(line.strip(' -'))}</li>" for line in rest)
        return f"<div style='border-left:4px solid {colour};padding:0.3em 0.8em'><b>{html.escape(head)}</b><ul>{items}</ul></div>"

    def __repr__(self) -> str:
        return self.summary()


class Desk:
    """One exchange's law-enforcement desk, over one world (`profile`, `seed`)."""

    def __init__(self, exchange: str, profile: str = "classroom", seed: int | None = None):
        known = sorted(data.load("exchanges", profile, seed)["exchange"])
        if exchange not in known:
            raise ValueError(f"No exchange {exchange!r} in this world. The exchanges are: {', '.join(known)}.")
        self.exchange, self.profile, self.seed = exchange, profile, seed
        self._tables: dict[str, pd.DataFrame] = {}

    def _table(self, name: str) -> pd.DataFrame:
        if name not in self._tables:
            table = data.load(name, self.profile, self.seed)
            self._tables[name] = table[table["exchange"] == self.exchange].reset_index(drop=True)
        return self._tables[name]

    def refusals(self, fields: dict) -> list[str]:
        """Every reason to refuse the request (empty when it can be answered)."""
        reasons = check_request(fields)
        if str(fields.get("exchange", "")).strip() and fields.get("exchange") != self.exchange:
            reasons.append(
                f"This is {self.exchange}'s law-enforcement desk, but the request is addressed to "
                f"{fields.get('exchange')}. Send it to that exchange, or address it to {self.exchange}."
            )
        start, end = fields.get("date_from"), fields.get("date_to")
        if isinstance(start, date) and isinstance(end, date) and range_days(fields) > MAX_RANGE_DAYS:
            reasons.append(
                f"The time range covers {range_days(fields)} days; this desk answers at most {MAX_RANGE_DAYS} "
                "days per request. Narrow it to the days of the facts."
            )
        kinds, kind = data_kinds_of(fields), fields.get("request_type")
        if kind == "freeze" and any(k in RECORDS for k in kinds):
            reasons.append(
                "A freeze holds funds, not records: ask for the records in a separate production "
                "(or preservation) request."
            )
        if kind in ("preservation", "production", "emergency disclosure") and FUNDS in kinds:
            reasons.append(
                f"A {kind} request covers data, not funds: to stop the money moving, send a freeze "
                "request with a freezing, restraint or seizure order."
            )
        basis = str(fields.get("legal_basis", "")).lower()
        if kind == "freeze" and basis.strip() and not any(word in basis for word in FREEZING_WORDS):
            reasons.append(
                "A freeze needs a freezing, restraint or seizure order as its legal basis; a preservation "
                "or production order covers data only."
            )
        return reasons

    def accounts_of(self, identifiers: list[str]) -> tuple[list[str], list[str]]:
        """The exchange's accounts behind the identifiers (account ids, deposit addresses, transaction hashes), and the
        identifiers it holds nothing for."""
        kyc, deposits, ledger = self._table("kyc"), self._table("deposit_addresses"), self._table("exchange_ledger")
        accounts, unknown = [], []
        for identifier in identifiers:
            found = set(kyc.loc[kyc["account_id"] == identifier, "account_id"])
            found |= set(deposits.loc[deposits["address"].str.lower() == identifier.lower(), "account_id"])
            found |= set(ledger.loc[ledger["transaction_hash"] == identifier.lower(), "account_id"])
            accounts += sorted(found - set(accounts))
            if not found:
                unknown.append(identifier)
        return accounts, unknown

    def answer(self, fields: dict) -> Reply:
        """Refuse the request with its reasons, or answer it for exactly its identifiers and time range."""
        if not isinstance(fields, dict):
            reasons = [
                f"A request is a dict of fields, such as dict(exchange=..., request_type=..., ...); this is a "
                f"{type(fields).__name__}. Replace ____ with the request."
            ]
            return Reply(self.exchange, {}, reasons, not_returned=self._empty_tables())
        reply = Reply(self.exchange, dict(fields), self.refusals(fields))
        if reply.accepted:
            self._fill(reply, fields)
        reply.not_returned = {name: table for name, table in self._empty_tables().items() if name not in reply.tables}
        return reply

    def _empty_tables(self) -> dict[str, pd.DataFrame]:
        sources = {
            "kyc": "kyc",
            "deposit_addresses": "deposit_addresses",
            "logins": "logins",
            "ledger": "exchange_ledger",
            "linked_logins": "logins",
        }
        empty = {name: self._table(source).iloc[:0] for name, source in sources.items()}
        empty["frozen"] = pd.DataFrame({"account_id": pd.Series(dtype=str), "frozen_value": pd.Series(dtype="int64")})
        return empty

    def _fill(self, reply: Reply, fields: dict) -> None:
        """Put the return, the notes and the response time of an accepted request in `reply`."""
        accounts, unknown = self.accounts_of(identifiers_of(fields))
        if unknown:
            reply.notes.append(f"We hold no records for: {', '.join(unknown)}.")
        start = pd.Timestamp(fields["date_from"], tz="UTC")
        end = pd.Timestamp(fields["date_to"], tz="UTC") + pd.Timedelta(days=1)  # the last day is included, whole
        kind, kinds = fields["request_type"], data_kinds_of(fields)
        reply.response_hours = self._response_hours(fields)
        if kind == "preservation":
            reply.notes.append(
                f"Preserved for accounts {', '.join(accounts) or '(none)'}: {', '.join(kinds)}, "
                f"{fields['date_from']} to {fields['date_to']}. Nothing is handed over without a production order."
            )
        elif kind == "freeze":
            reply.tables["frozen"] = self._balances(accounts, end)
        else:
            reply.tables.update(self._records(accounts, kinds, start, end))

    def _response_hours(self, fields: dict) -> int:
        hours = RESPONSE_HOURS[fields["request_type"]]
        if fields["request_type"] == "production":
            hours += 24 * (range_days(fields) > SLOWER_RANGE_DAYS)
            hours += 24 * (len(identifiers_of(fields)) > SLOWER_IDENTIFIERS)
        return hours

    def _records(self, accounts: list[str], kinds: list[str], start, end) -> dict[str, pd.DataFrame]:
        tables = {}
        if "kyc" in kinds:
            tables["kyc"] = self._rows("kyc", accounts)
        if "deposit addresses" in kinds:
            tables["deposit_addresses"] = self._rows("deposit_addresses", accounts)
        logins = self._rows("logins", accounts, start, end)
        if "logins" in kinds:
            tables["logins"] = logins
        if "ledger" in kinds:
            tables["ledger"] = self._rows("exchange_ledger", accounts, start, end)
        if "linked accounts" in kinds:
            everyone = self._table("logins")
            in_range = everyone[(everyone["timestamp"] >= start) & (everyone["timestamp"] < end)]
            shared = in_range["ip_address"].isin(logins["ip_address"]) | in_range["device_id"].isin(logins["device_id"])
            tables["linked_logins"] = in_range[shared & ~in_range["account_id"].isin(accounts)].reset_index(drop=True)
        return tables

    def _rows(self, name: str, accounts: list[str], start=None, end=None) -> pd.DataFrame:
        table = self._table(name)
        keep = table["account_id"].isin(accounts)
        if start is not None:
            keep &= (table["timestamp"] >= start) & (table["timestamp"] < end)
        return table[keep].reset_index(drop=True)

    def _balances(self, accounts: list[str], end) -> pd.DataFrame:
        """What each account holds on the day the freeze is asked for: deposits credited minus withdrawals paid (satoshi)."""
        ledger = self._rows("exchange_ledger", accounts)
        ledger = ledger[ledger["timestamp"] < end]
        signed = ledger["value"].where(ledger["direction"] == "deposit", -ledger["value"])
        held = signed.groupby(ledger["account_id"]).sum().reindex(accounts, fill_value=0)
        return pd.DataFrame({"account_id": accounts, "frozen_value": held.to_numpy(dtype="int64")})


def range_days(fields: dict) -> int:
    """How many calendar days the request's time range covers, both ends included."""
    return (fields["date_to"] - fields["date_from"]).days + 1
