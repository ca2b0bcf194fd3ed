"""The rules of 03_legal_and_regulatory (chainlab.legal) and its case tables (chainlab.legal_samples)."""

from __future__ import annotations

import pandas as pd
import pytest

from chainlab import analysis
from chainlab.cases import m03
from chainlab.rules import legal


@pytest.mark.parametrize(
    "key, currency, threshold",
    [
        ("FATF", "USD", 1_000),
        ("FATF", "EUR", 1_000),
        ("US", "USD", 3_000),
        ("PH", "PHP", 50_000),
        ("KR", "KRW", 1_000_000),
    ],
)
def test_full_information_starts_exactly_at_the_threshold(key, currency, threshold):
    assert legal.travel_rule(key, threshold, currency, "vasp").full_information
    assert not legal.travel_rule(key, threshold - 0.01, currency, "vasp").full_information


def test_fatf_below_the_threshold_still_sends_names_and_accounts():
    below = legal.travel_rule("FATF", 999.99, "EUR", "vasp")
    assert below.must_travel == legal.FATF_R16_BELOW_THRESHOLD
    assert all("name" in item or "account" in item for item in below.must_travel)
    assert len(legal.travel_rule("FATF", 1000, "EUR", "vasp").must_travel) > len(below.must_travel)


def test_us_and_philippine_rules_ask_nothing_to_travel_below_their_threshold():
    assert legal.travel_rule("US", 2_999.99, "USD", "vasp").must_travel == ()
    assert legal.travel_rule("PH", 49_999, "PHP", "vasp").must_travel == ()
    assert legal.travel_rule("KR", 999_999, "KRW", "vasp").must_travel == ()


def test_eu_rule_has_no_threshold_between_casps():
    for amount in (0, 0.01, 999.99, 1_000_000):
        decision = legal.travel_rule("EU", amount, "EUR", "vasp")
        assert decision.full_information and decision.must_travel == legal.EU_TFR_DATA


def test_eu_ownership_check_applies_only_over_1000_eur_to_self_hosted_wallets():
    def checks(amount, counterparty):
        return any(
            "owned or controlled" in duty for duty in legal.travel_rule("EU", amount, "EUR", counterparty).duties
        )

    assert checks(1000.01, "self_hosted") and not checks(1000, "self_hosted")
    assert not checks(50_000, "vasp")
    assert not any(
        "owned or controlled" in duty for duty in legal.travel_rule("FATF", 50_000, "EUR", "self_hosted").duties
    )


def test_nothing_travels_to_a_self_hosted_wallet():
    for key, currency in (("FATF", "USD"), ("EU", "EUR"), ("US", "USD"), ("PH", "PHP"), ("KR", "KRW")):
        decision = legal.travel_rule(key, 10**6, currency, "self_hosted")
        assert decision.must_travel == () and decision.duties


@pytest.mark.parametrize(
    "args, message",
    [
        (("EU", 100, "USD", "vasp"), "counts amounts in EUR"),
        (("PH", 100, "USD", "vasp"), "PHP"),
        (("FATF", "1000", "EUR", "vasp"), "must be a number"),
        (("FATF", -5, "EUR", "vasp"), "0 or more"),
        (("FATF", 10, "EUR", "wallet"), "'vasp' or 'self_hosted'"),
        (("UK", 10, "GBP", "vasp"), "Choose one of: FATF, EU, US, PH, KR"),
        (("KR", 10, "USD", "vasp"), "KRW"),
    ],
)
def test_bad_input_says_what_is_wrong(args, message):
    with pytest.raises(ValueError, match=message):
        legal.travel_rule(*args)


def route(**changes):
    facts = {
        "life_at_risk": False,
        "goal": "obtain",
        "data": "transactions",
        "provider": "abroad",
        "both_in_eu": False,
        "both_budapest_parties": True,
        "protocol_in_force_for_both": False,
        "e_evidence_provider": False,
        "article_7_reserved": False,
    }
    facts.update(changes)
    return legal.legal_route(**facts).instrument


def test_a_life_at_risk_comes_first():
    assert route(life_at_risk=True) == route(life_at_risk=True, provider="domestic", goal="preserve") == legal.EMERGENCY


def test_domestic_providers_get_preservation_then_production():
    assert route(provider="domestic", goal="preserve") == legal.PRESERVATION
    assert route(provider="domestic") == legal.PRODUCTION


def test_us_exchange_records_come_by_subpoena_not_the_stored_communications_act():
    basis = legal.legal_route(False, "obtain", "transactions", "domestic").basis
    assert "subpoena" in basis and "Gratkowski" in basis
    assert "2703" not in basis
    assert (
        "only communication and remote-computing providers"
        in legal.legal_route(False, "preserve", "transactions", "domestic").basis
    )
    assert (
        "only communication and remote-computing providers"
        in legal.legal_route(True, "obtain", "subscriber", "abroad").basis
    )


def test_inside_the_eu_a_crypto_exchange_gets_a_european_investigation_order():
    assert route(both_in_eu=True) == route(both_in_eu=True, goal="preserve") == legal.EIO
    assert "2014/41/EU" in legal.legal_route(False, "obtain", "transactions", "abroad", both_in_eu=True).basis
    assert route(both_in_eu=True, provider="domestic") == legal.PRODUCTION


def test_e_evidence_orders_only_for_providers_within_the_regulation():
    assert route(both_in_eu=True, e_evidence_provider=True) == legal.EU_PRODUCTION
    assert route(both_in_eu=True, e_evidence_provider=True, goal="preserve") == legal.EU_PRESERVATION
    assert route(e_evidence_provider=True) == legal.MLA  # outside the EU the Regulation does not help
    assert (
        "Art. 3(3)"
        in legal.legal_route(False, "obtain", "transactions", "abroad", both_in_eu=True, e_evidence_provider=True).basis
    )


def test_direct_request_only_for_subscriber_data_where_the_protocol_is_in_force_for_both():
    assert route(data="subscriber", protocol_in_force_for_both=True) == legal.DIRECT_REQUEST
    assert route(data="subscriber") == legal.MLA
    assert route(data="transactions", protocol_in_force_for_both=True) == legal.MLA


def test_a_reservation_of_article_7_rules_out_the_direct_request():
    assert route(data="subscriber", protocol_in_force_for_both=True, article_7_reserved=True) == legal.MLA
    basis = legal.legal_route(False, "obtain", "subscriber", "abroad", protocol_in_force_for_both=True).basis
    assert "Art. 7(9)" in basis and "service provider" in basis


def test_preservation_abroad_cites_article_29_between_budapest_parties():
    assert "Art. 29" in legal.legal_route(False, "preserve", "content", "abroad", both_budapest_parties=True).basis
    assert "Art. 29(4)" in legal.legal_route(False, "preserve", "content", "abroad", both_budapest_parties=True).basis
    assert "Art. 29" not in legal.legal_route(False, "preserve", "content", "abroad", both_budapest_parties=False).basis


def test_legal_route_refuses_unknown_facts():
    with pytest.raises(ValueError, match="The goal must be one of"):
        route(goal="seize")
    with pytest.raises(ValueError, match="Where the provider is"):
        route(provider="Mars")


def test_funds_are_frozen_by_orders_that_are_not_data_orders():
    assert set(legal.FREEZING_ORDERS) == {"US", "EU", "PH"}
    assert (
        "981" in legal.FREEZING_ORDERS["US"]
        and "2018/1805" in legal.FREEZING_ORDERS["EU"]
        and "Court of Appeals" in legal.FREEZING_ORDERS["PH"]
    )
    data_instruments = " ".join(legal.INSTRUMENTS)
    assert "freez" not in data_instruments and "seiz" not in data_instruments


def test_routes_gives_one_instrument_per_scenario_and_names_missing_columns():
    scenarios = m03.request_scenarios()
    instruments = legal.routes(scenarios)
    assert len(instruments) == len(scenarios) and set(instruments) <= set(legal.INSTRUMENTS)
    assert len(set(instruments)) >= 5  # the scenarios exercise most branches of the tree
    assert instruments[scenarios["scenario_id"] == "S6"].item() == legal.EIO
    with pytest.raises(KeyError, match="goal"):
        legal.routes(scenarios.drop(columns="goal"))


def test_transfers_straddle_both_thresholds():
    transfers = m03.transfers_to_judge(7)
    assert transfers["transfer_id"].is_unique
    vasp, hosted = transfers[transfers["counterparty"] == "vasp"], transfers[transfers["counterparty"] == "self_hosted"]
    assert {999.99, 1000.0} <= set(vasp["amount_eur"]) and {1000.0, 1000.01} <= set(hosted["amount_eur"])
    assert transfers.equals(m03.transfers_to_judge(7))
    assert not transfers.equals(m03.transfers_to_judge(8))


def in_force(register: pd.DataFrame, day: pd.Timestamp) -> pd.DataFrame:
    return register[
        (register["in_force_from"] <= day) & (register["in_force_until"].isna() | (register["in_force_until"] > day))
    ]


def test_register_has_one_withdrawn_and_one_late_entry_among_the_world_exchanges():
    register = m03.vasp_register()
    import chainlab

    names = set(chainlab.load("exchanges")["exchange"])
    cited = register[register["vasp_name"].isin(names)]
    assert len(cited) == 4  # every exchange that cites an entry, and not Meridian Vault, which cites none
    on_day = set(in_force(cited, m03.CASE_DAY)["vasp_name"])
    assert len(on_day) == 2
    assert (cited["status"] == "withdrawn").sum() == 1
    assert (cited["in_force_from"] > m03.CASE_DAY).sum() == 1
    look_alikes = register[~register["vasp_name"].isin(names)]["vasp_name"]
    assert any(name.startswith(known.split()[0]) for name in look_alikes for known in names)


def test_withdrawal_queue_holds_each_kind_of_screening_case():
    import chainlab

    requests = m03.withdrawal_requests()
    sanctions = chainlab.load("sanctions")
    inputs, outputs = chainlab.load("inputs"), chainlab.load("outputs")
    listed = set(sanctions["address"])
    matched = requests.merge(sanctions, left_on="destination", right_on="address")
    hit = (matched["listed_at"] <= matched["requested_at"]) & (
        matched["delisted_at"].isna() | (matched["delisted_at"] > matched["requested_at"])
    )
    assert hit.sum() >= 2 and (~hit).sum() >= 2  # hits, and requests to listed addresses outside their listing
    assert (matched["delisted_at"] < matched["requested_at"]).any()  # one after a delisting
    assert (matched["listed_at"] > matched["requested_at"]).any()  # one before a listing
    one_hop = analysis.one_transaction_away(listed, inputs, outputs)
    assert requests["destination"].isin(one_hop).sum() >= 2
    two_hop = analysis.one_transaction_away(one_hop | listed, inputs, outputs) - one_hop
    assert requests["destination"].isin(two_hop).any()
    assert requests["request_id"].is_unique and requests["requested_at"].is_monotonic_increasing


def test_one_transaction_away_follows_both_directions():
    inputs = pd.DataFrame({"transaction_hash": ["t1", "t2"], "address": ["listed", "payer"]})
    outputs = pd.DataFrame({"transaction_hash": ["t1", "t1", "t2"], "address": ["receiver", "listed", "listed"]})
    assert analysis.one_transaction_away({"listed"}, inputs, outputs) == {"receiver", "payer"}


def new_exercise_tables():
    listings, payments = m03.sanctions_listings(), m03.exchange_payments()
    return {
        "requests_for_assets": m03.asset_requests(),
        "exports": m03.evidence_exports(),
        "requests_abroad": m03.channel_requests(),
        "kr": m03.kr_transfers(),
        "screened": payments.merge(listings, left_on="counterparty", right_on="entity"),
    }


@pytest.mark.parametrize(
    "name",
    [
        "freeze_or_seize",
        "unreliable_exports",
        "egmont_requests",
        "eu_listed_payments",
        "us_hits_around_delisting",
        "kr_travel_rule",
    ],
)
def test_each_slip_of_the_added_exercises_gives_its_own_wrong_answer(name):
    from chainlab.exercises import m03 as m03_exercises

    exercise, tables = getattr(m03_exercises, name), new_exercise_tables()
    right = frozenset(eval(exercise.all_hints()[-1], {}, tables))  # the last hint is the worked pattern
    slips = [frozenset(eval(slip.code, {}, tables)) for slip in exercise.slips]
    assert right and len(slips) >= 2
    assert len({right, *slips}) == len(slips) + 1


def test_the_word_freeze_does_not_decide_whether_a_request_concerns_coins():
    requests = m03.asset_requests()
    worded = requests[requests["what_is_asked"].str.contains("freeze")]
    assert set(worded["concerns"]) == {"records", "crypto-assets"}
    assert (requests[requests["held_by"] == "self-hosted wallet"]["concerns"] == "crypto-assets").all()


def test_evidence_log_has_changed_files_and_missing_fields_and_real_fingerprints():
    import hashlib

    exports = m03.evidence_exports()
    changed = exports["sha256_now"] != exports["sha256_at_export"]
    missing = exports[["data_source", "block_height", "observed_at"]].isna().any(axis=1)
    assert changed.sum() >= 2 and missing.sum() >= 3 and not (changed & missing).any()
    first = exports.iloc[0]
    assert first["sha256_at_export"] == hashlib.sha256(f"{first['export_id']}: {first['what']}".encode()).hexdigest()


def test_sanctions_listings_differ_by_regime_and_payments_straddle_the_us_delisting():
    listings, payments = m03.sanctions_listings(), m03.exchange_payments()
    regimes = listings.groupby("entity")["regime"].apply(set)
    assert regimes["Fogline Mixer"] == {"US"} and {"US", "UK", "EU"} <= regimes["Volga Coin Exchange"]
    delisted = listings[(listings["entity"] == "Fogline Mixer")]["listed_until"].item()
    assert delisted == pd.Timestamp("2025-03-21")
    days = payments[payments["counterparty"] == "Fogline Mixer"]["paid_at"]
    assert (days < delisted).any() and (days > delisted).any()
    assert payments["payment_id"].is_unique and payments["paid_at"].is_monotonic_increasing


def test_korean_transfers_straddle_the_threshold():
    kr = m03.kr_transfers()
    to_vasps = set(kr[kr["counterparty"] == "vasp"]["amount_krw"])
    assert {999_999, 1_000_000, 1_000_001} <= to_vasps
    assert (kr[kr["counterparty"] == "self_hosted"]["amount_krw"] >= 1_000_000).any()
    assert all(
        legal.travel_rule("KR", amount, "KRW", "vasp").full_information == (amount >= 1_000_000) for amount in to_vasps
    )
