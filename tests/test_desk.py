"""The request desk (chainlab.desk): an accepted request, each reason to refuse one, and a return that holds only what was asked."""

from __future__ import annotations

import datetime

import pandas as pd
import pytest

import chainlab as cl
from chainlab import widgets
from chainlab.cases import m09 as case
from chainlab.desk import MAX_RANGE_DAYS, Desk
from chainlab.widgets.request_builder import check_request

from .desk_requests import complete_request

EXCHANGE = "Meridian Vault"


@pytest.fixture(scope="module")
def desk():
    return Desk(EXCHANGE)


@pytest.fixture(scope="module")
def facts():
    return case.load()


def request(facts, **changes) -> dict:
    return complete_request(facts, **{"exchange": EXCHANGE, **changes})


def test_a_complete_request_is_accepted_with_a_return_and_a_response_time_in_days(desk, facts):
    reply = desk.answer(request(facts))
    assert reply.accepted and reply.reasons == []
    assert set(reply.tables) == {"kyc", "deposit_addresses", "logins", "ledger", "linked_logins"}
    assert reply.response_hours >= 72 and reply.response_time.endswith("days")
    assert f"identifier: {facts.suspect_address}" in reply.scope and "request type: production" in reply.scope
    assert "accepts your production request" in reply.summary()
    deposits = cl.load("deposit_addresses")
    owner = deposits.loc[deposits["address"] == facts.suspect_address, "account_id"].iloc[0]
    assert list(reply.kyc["account_id"]) == [owner]


def test_emergency_requests_are_answered_in_hours_and_short_productions_faster(desk, facts):
    emergency = desk.answer(
        request(facts, request_type="emergency disclosure", urgency_reason="A named person is threatened tonight.")
    )
    assert emergency.accepted and emergency.response_hours < 24 and emergency.response_time.endswith("hours")
    short = desk.answer(request(facts, date_from=facts.last_day - datetime.timedelta(days=6)))
    long = desk.answer(request(facts))
    assert short.response_hours < long.response_hours


@pytest.mark.parametrize(
    "changes, reason",
    [
        (dict(legal_basis=""), "legal basis"),
        (dict(identifiers=""), "at least one identifier"),
        (dict(date_from=None), "time range"),
        (dict(date_from=datetime.date(2024, 1, 1), date_to=datetime.date(2024, 12, 31)), f"at most {MAX_RANGE_DAYS}"),
        (dict(date_from=datetime.date(2024, 8, 1), date_to=datetime.date(2024, 7, 1)), "impossible"),
        (dict(request_type="freeze", legal_basis="Freezing order 7/2024"), "A freeze holds funds, not records"),
        (dict(request_type="preservation", data_requested=["funds"]), "covers data, not funds"),
        (dict(request_type="freeze", data_requested=["funds"]), "freezing, restraint or seizure order"),
        (dict(exchange="Bluewater Digital Assets"), "addressed to Bluewater Digital Assets"),
        (dict(request_type="emergency disclosure"), "life or safety"),
        (dict(request_type=""), "request type"),
        (dict(data_requested=[]), "which data"),
        (dict(data_requested=["kyc", "passwords"]), "'passwords' is not a kind of data"),
        (dict(identifiers="bc1qfv39fmftvkv942036stgd0rjng8zscqwwrxay1"), "not a valid address"),
    ],
)
def test_each_reason_to_refuse(desk, facts, changes, reason):
    reply = desk.answer(request(facts, **changes))
    assert not reply.accepted and reply.tables == {} and reply.scope == []
    assert any(reason in r for r in reply.reasons), reply.reasons
    assert len(reply.reasons) == 1, f"one fault should give one reason: {reply.reasons}"
    assert "cannot act on this request" in reply.summary() and reply.response_time.startswith("no answer")
    assert reply.kyc.empty and list(reply.kyc.columns) == list(cl.load("kyc").columns)


def test_a_blank_request_is_refused_with_a_message_not_a_traceback(desk):
    from chainlab.exercises import ____

    reply = desk.answer(____)
    assert not reply.accepted and "dict of fields" in reply.reasons[0] and reply.ledger.empty


def test_the_return_holds_only_the_accounts_and_days_asked(desk, facts):
    whole = desk.answer(request(facts))
    first = whole.ledger["timestamp"].iloc[0].date() + datetime.timedelta(days=1)  # leaves out the first deposit
    reply = desk.answer(request(facts, date_from=first))
    accounts = set(reply.kyc["account_id"])
    start, end = pd.Timestamp(first, tz="UTC"), pd.Timestamp(facts.last_day, tz="UTC") + pd.Timedelta(days=1)
    for name in ("kyc", "deposit_addresses", "logins", "ledger"):
        assert set(getattr(reply, name)["account_id"]) <= accounts, name
        assert (getattr(reply, name)["exchange"] == EXCHANGE).all()
    for name in ("logins", "ledger"):
        times = getattr(reply, name)["timestamp"]
        assert ((times >= start) & (times < end)).all(), name
    ledger = cl.load("exchange_ledger")
    expected = ledger[
        ledger["account_id"].isin(accounts) & (ledger["timestamp"] >= start) & (ledger["timestamp"] < end)
    ]
    assert len(reply.ledger) == len(expected) and set(reply.ledger["transaction_hash"]) == set(
        expected["transaction_hash"]
    )
    assert len(reply.ledger) == len(whole.ledger) - 1


def test_only_the_kinds_of_data_asked_are_returned(desk, facts):
    reply = desk.answer(request(facts, data_requested=["kyc"]))
    assert set(reply.tables) == {"kyc"}
    assert reply.logins.empty, "logins were not asked for"


def test_linked_logins_share_an_ip_or_a_device_with_the_suspect_and_exclude_the_suspect(desk, facts):
    reply = desk.answer(request(facts))
    linked, own = reply.linked_logins, reply.logins
    assert len(linked) > 0
    assert (linked["ip_address"].isin(own["ip_address"]) | linked["device_id"].isin(own["device_id"])).all()
    assert not linked["account_id"].isin(reply.kyc["account_id"]).any()
    assert linked["ip_address"].str.match(r"^(192\.0\.2|198\.51\.100|203\.0\.113)\.\d+$").all()


def test_accounts_are_found_by_address_account_id_or_transaction_hash_and_unknown_ones_are_named(desk, facts):
    by_address = desk.answer(request(facts))
    account = by_address.kyc["account_id"].iloc[0]
    by_account = desk.answer(request(facts, identifiers=account))
    by_transaction = desk.answer(request(facts, identifiers=by_address.ledger["transaction_hash"].iloc[0]))
    assert list(by_account.kyc["account_id"]) == list(by_transaction.kyc["account_id"]) == [account]
    other = cl.load("deposit_addresses").query("exchange != @EXCHANGE")["address"].iloc[0]
    reply = desk.answer(request(facts, identifiers=other))
    assert reply.accepted and reply.kyc.empty and any(other in note for note in reply.notes)


def test_preservation_hands_nothing_over_and_a_freeze_holds_the_balance(desk, facts):
    kept = desk.answer(request(facts, request_type="preservation"))
    assert kept.accepted and kept.tables == {} and any("Preserved" in note for note in kept.notes)
    ledger = cl.load("exchange_ledger")
    ledger = ledger[ledger["exchange"] == EXCHANGE]
    both = ledger.groupby("account_id")["direction"].nunique()
    account = both[both == 2].index[0]
    frozen = desk.answer(
        request(
            facts,
            request_type="freeze",
            identifiers=account,
            data_requested=["funds"],
            legal_basis="Freezing order 7/2024 of the Court of Example",
        )
    )
    until = pd.Timestamp(facts.last_day, tz="UTC") + pd.Timedelta(days=1)
    rows = ledger[(ledger["account_id"] == account) & (ledger["timestamp"] < until)]
    held = (
        rows.loc[rows["direction"] == "deposit", "value"].sum()
        - rows.loc[rows["direction"] == "withdrawal", "value"].sum()
    )
    assert frozen.accepted and frozen.response_hours < 24
    assert frozen.frozen["frozen_value"].tolist() == [held]


def test_an_unknown_exchange_is_refused_with_the_list_of_exchanges():
    with pytest.raises(ValueError, match="Meridian Vault"):
        Desk("Nowhere Exchange")


def test_the_request_builder_sends_to_the_desk_and_shows_its_reply(desk, facts):
    panel = widgets.request_builder(sorted(cl.load("exchanges")["exchange"]), desk=desk)
    labelled = {
        child: getattr(child, "box", child) for child in panel.children
    }  # a checked date box labels its text box
    controls = {label.description: child for child, label in labelled.items() if hasattr(label, "description")}
    send = next(child for child in panel.children if getattr(child, "description", "") == "Send to the exchange")
    reply_box = panel.children[-1]
    send.click()
    assert "cannot act on this request" in reply_box.value
    controls["exchange"].value = EXCHANGE
    controls["request type"].value = "production"
    controls["legal basis"].value = "Production order 2024/311"
    controls["case reference"].value = "GO-2024-07"
    controls["identifiers"].value = facts.suspect_address
    controls["from"].value, controls["to"].value = facts.first_day, facts.last_day
    data_row = next(child for child in panel.children if child.__class__.__name__ == "HBox")
    for box in data_row.children[1:]:
        box.value = box.description in ("kyc", "ledger")
    assert check_request({"exchange": EXCHANGE}) != []
    assert "The request is complete" in panel.children[-3].value
    send.click()
    assert "accepts your production request" in reply_box.value and "days" in reply_box.value
    expected = desk.answer(request(facts, data_requested=["kyc", "ledger"]))
    assert expected.kyc["account_id"].iloc[0] in reply_box.value and reply_box.value.count("<table") == 2
    first_hash = expected.ledger["transaction_hash"].iloc[0]
    assert first_hash not in reply_box.value and first_hash[:8] in reply_box.value, "hashes are shortened on screen"
