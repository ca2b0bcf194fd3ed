"""The rules of 03_legal_and_regulatory as data: travel-rule regimes, the choice of legal instrument for data, and the orders that freeze funds.

Teaching material, not legal advice. Every rule here cites the public text it comes from;
the texts were checked on the day in `CHECKED`, and rules change: check the current text
before relying on one.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass

import pandas as pd

CHECKED = "1 December 2026"

# Where a counterparty's coins are held: with another VASP (an exchange, a custodian), or in a wallet its owner controls.
COUNTERPARTIES = ("vasp", "self_hosted")

FATF_R16_DATA = (
    "originator's name",
    "originator's account number or wallet address (or a unique transaction reference)",
    "originator's address, or national identity number, or customer identification number, or date and place of birth",
    "beneficiary's name",
    "beneficiary's account number or wallet address (or a unique transaction reference)",
)
FATF_R16_BELOW_THRESHOLD = (
    "originator's name",
    "originator's account number or wallet address (or a unique transaction reference)",
    "beneficiary's name",
    "beneficiary's account number or wallet address (or a unique transaction reference)",
)
EU_TFR_DATA = (
    "originator's name",
    "originator's distributed-ledger address, and crypto-asset account number where one is used",
    "originator's address (with country), official personal document number and customer identification number, or else date and place of birth",
    "originator's LEI (legal entity identifier), where the message format has a field for it and the originator gave it",
    "beneficiary's name",
    "beneficiary's distributed-ledger address, and crypto-asset account number where one is used",
    "beneficiary's LEI, where the message format has a field for it and it is available",
)
US_TRANSMITTAL_DATA = (
    "transmittor's name and address, and account number if the transfer is ordered from an account",
    "amount and date of the transmittal",
    "identity of the recipient's financial institution",
    "recipient's name, address and account number, as far as the transmittor's institution received them",
)
PH_CIRCULAR_1108_DATA = (
    "required and accurate originator information",
    "required beneficiary information",
)
KR_TRAVEL_RULE_DATA = (
    "originator's name",
    "beneficiary's name",
    "originator's virtual-asset address",
    "beneficiary's virtual-asset address",
    "on request of the receiving VASP or of KoFIU, within three business days: the originator's resident registration number",
)


@dataclass(frozen=True)
class TravelRuleRegime:
    """One travel rule: from what amount full information travels, and what it is."""

    key: str
    name: str
    currencies: tuple[str, ...]
    full_information_from: float  # full information must travel at or above this amount (0: always)
    data: tuple[str, ...]
    data_below_threshold: tuple[str, ...]  # what travels below it (empty: the rule does not apply below it)
    self_hosted_check_above: float | None  # above this amount, check the customer owns the self-hosted address
    citation: str

    def threshold_text(self) -> str:
        if self.full_information_from == 0:
            return "no threshold: every transfer"
        return f"{self.full_information_from:,.0f} {'/'.join(self.currencies)} or more"


REGIMES = {
    regime.key: regime
    for regime in (
        TravelRuleRegime(
            "FATF",
            "FATF standard (Recommendation 16, applied to VASPs by the Interpretive Note to Recommendation 15, para. 7(b))",
            ("USD", "EUR"),
            1_000,
            FATF_R16_DATA,
            FATF_R16_BELOW_THRESHOLD,
            None,
            "FATF Recommendations, INR.15 para. 7(b) and INR.16 (de minimis threshold of no more than USD/EUR 1,000)",
        ),
        TravelRuleRegime(
            "EU",
            "European Union: Regulation (EU) 2023/1113 (the Transfer of Funds Regulation), applies from 30 December 2024",
            ("EUR",),
            0,
            EU_TFR_DATA,
            (),
            1_000,
            "Regulation (EU) 2023/1113, Art. 14(1)-(2) (information), Art. 14(5) and 16(2) (self-hosted addresses, over EUR 1,000)",
        ),
        TravelRuleRegime(
            "US",
            "United States: the Bank Secrecy Act record-keeping and travel rule, 31 CFR 1010.410(e)-(f)",
            ("USD",),
            3_000,
            US_TRANSMITTAL_DATA,
            (),
            None,
            "31 CFR 1010.410(f): transmittals of funds of USD 3,000 or more",
        ),
        TravelRuleRegime(
            "PH",
            "Philippines: Bangko Sentral ng Pilipinas Circular No. 1108 (26 January 2021)",
            ("PHP",),
            50_000,
            PH_CIRCULAR_1108_DATA,
            (),
            None,
            "BSP Circular No. 1108, s. 2021: VA transfers of PHP 50,000 or more, or the equivalent in foreign currency",
        ),
        TravelRuleRegime(
            "KR",
            "South Korea: the Act on Reporting and Using Specified Financial Transaction Information, travel rule in force from 25 March 2022",
            ("KRW",),
            1_000_000,
            KR_TRAVEL_RULE_DATA,
            (),
            None,
            "Financial Services Commission, 'Enforcement of Travel Rule on VASPs to Take Effect from March 25' (24 March 2022): transfers to another VASP worth KRW 1 million or more",
        ),
    )
}


@dataclass(frozen=True)
class TravelRuleDecision:
    """What a travel rule asks of the sending VASP for one transfer."""

    regime: TravelRuleRegime
    full_information: bool  # the full list of originator and beneficiary information applies
    must_travel: tuple[str, ...]  # what goes to the other VASP (empty: nothing travels)
    duties: tuple[str, ...]  # other duties of the VASP for this transfer
    reason: str


def _amount(amount) -> float:
    if isinstance(amount, bool) or not isinstance(amount, numbers.Real):
        raise ValueError(f"The amount must be a number, like 1500 or 999.99; got {amount!r}.")
    value = float(amount)
    if math.isnan(value) or value < 0:
        raise ValueError(f"The amount must be 0 or more; got {amount!r}.")
    return value


def regime(key: str) -> TravelRuleRegime:
    """A travel-rule regime by key: FATF, EU, US, PH or KR."""
    try:
        return REGIMES[str(key).upper()]
    except KeyError:
        raise ValueError(f"No travel-rule regime {key!r}. Choose one of: {', '.join(REGIMES)}.") from None


def travel_rule(regime_key: str, amount, currency: str, counterparty: str) -> TravelRuleDecision:
    """Which information must travel with a crypto transfer under one regime.

    `amount` is in `currency`, which must be the regime's (USD or EUR for FATF, EUR for the EU,
    USD for the US, PHP for the Philippines, KRW for South Korea); `counterparty` is "vasp" (the coins go to or come
    from another VASP) or "self_hosted" (a wallet its owner controls, with no VASP behind it).
    """
    rules = regime(regime_key)
    value = _amount(amount)
    if str(currency).upper() not in rules.currencies:
        raise ValueError(
            f"The {rules.key} rule counts amounts in {' or '.join(rules.currencies)}; convert the amount first (you gave {currency!r})."
        )
    if counterparty not in COUNTERPARTIES:
        raise ValueError(f"The counterparty is 'vasp' or 'self_hosted'; got {counterparty!r}.")
    full = value >= rules.full_information_from
    duties: list[str] = []
    if (
        rules.self_hosted_check_above is not None
        and counterparty == "self_hosted"
        and value > rules.self_hosted_check_above
    ):
        duties.append(
            f"assess whether the self-hosted address is owned or controlled by the VASP's own customer (amount over {rules.self_hosted_check_above:,.0f} {rules.currencies[0]})"
        )
    if counterparty == "self_hosted":
        duties.insert(
            0,
            "no VASP receives the data: the VASP obtains the information from its customer and keeps it on record"
            if rules.key == "EU"
            else "no VASP receives the data, so nothing can travel; record keeping and risk-based checks still apply (see the national rule)",
        )
        return TravelRuleDecision(
            rules, full, (), tuple(duties), f"Self-hosted counterparty under the {rules.key} rule."
        )
    if full:
        return TravelRuleDecision(
            rules,
            True,
            rules.data,
            tuple(duties),
            f"{value:,.2f} is at or above the threshold ({rules.threshold_text()}).",
        )
    if rules.data_below_threshold:
        return TravelRuleDecision(
            rules,
            False,
            rules.data_below_threshold,
            tuple(duties),
            f"{value:,.2f} is below the threshold ({rules.threshold_text()}): the reduced list applies.",
        )
    return TravelRuleDecision(
        rules,
        False,
        (),
        tuple(duties),
        f"{value:,.2f} is below the threshold ({rules.threshold_text()}): this rule does not require data to travel.",
    )


# The legal instruments an investigator can use to get data from a VASP, in plain words.
# They concern data: funds are frozen, restrained or seized under other orders (FREEZING_ORDERS).
EMERGENCY = "emergency disclosure request"
PRESERVATION = "preservation request"
PRODUCTION = "production order"
EIO = "European Investigation Order"
EU_PRESERVATION = "European Preservation Order"
EU_PRODUCTION = "European Production Order"
DIRECT_REQUEST = "direct request under the Second Additional Protocol"
MLA = "MLA request"
INSTRUMENTS = (EMERGENCY, PRESERVATION, PRODUCTION, EIO, EU_PRESERVATION, EU_PRODUCTION, DIRECT_REQUEST, MLA)

GOALS = ("preserve", "obtain")
DATA_KINDS = ("subscriber", "transactions", "content")
LOCATIONS = ("domestic", "abroad")

# What stops funds moving, or takes them, in three jurisdictions: none of these is a data order.
FREEZING_ORDERS = {
    "US": "a seizure warrant or a restraining order for property subject to forfeiture (civil: 18 U.S.C. 981(b); criminal: 18 U.S.C. 982 and 21 U.S.C. 853(e)-(f))",
    "EU": "a freezing order under national law; across borders inside the EU, a freezing order recognised under Regulation (EU) 2018/1805",
    "PH": "a freeze order of the Court of Appeals on the AMLC's verified ex parte petition, for 20 days unless extended (RA 9160 s. 10, as amended by RA 10167)",
}
VASP_SERVICE_PROVIDER_DOUBT = (
    "whether a VASP is a 'service provider' in the sense of the Budapest Convention (Art. 1(c): a provider of communication, "
    "or of data processing or storage for it) is doubtful, so check that the requested country treats it as one"
)


@dataclass(frozen=True)
class Route:
    """The instrument to use, why, and the texts that provide for it."""

    instrument: str
    why: str
    basis: str


def _choice(value: str, options: tuple[str, ...], what: str) -> str:
    if value not in options:
        raise ValueError(f"{what} must be one of {', '.join(repr(o) for o in options)}; got {value!r}.")
    return value


def legal_route(
    life_at_risk: bool,
    goal: str,
    data: str,
    provider: str,
    both_in_eu: bool = False,
    both_budapest_parties: bool = False,
    protocol_in_force_for_both: bool = False,
    e_evidence_provider: bool = False,
    article_7_reserved: bool = False,
) -> Route:
    """The legal instrument for a request for data to a VASP, from the facts of the case.

    `goal` is "preserve" (stop data being deleted) or "obtain" (have it handed over); `data` is
    "subscriber" (who holds the account: KYC), "transactions" (logins, deposits, withdrawals) or
    "content" (messages); `provider` is "domestic" or "abroad" (seen from the investigator's country).
    `e_evidence_provider` says the provider also offers a service within Regulation (EU) 2023/1543
    (electronic communications, domain names and IP numbers, or a service that lets users communicate
    or store data), which a crypto exchange's deposits and withdrawals are very likely not;
    `article_7_reserved` says one of the two countries reserved Art. 7 of the Second Additional Protocol.
    """
    _choice(goal, GOALS, "The goal")
    _choice(data, DATA_KINDS, "The kind of data")
    _choice(provider, LOCATIONS, "Where the provider is")
    if life_at_risk:
        return Route(
            EMERGENCY,
            "A life is at risk: ask the provider to disclose now, through its emergency channel, and follow up with formal process.",
            "the provider's own emergency-request policy (US 18 U.S.C. 2702(b)(8) covers only communication and remote-computing providers); "
            "abroad: the 24/7 network (Budapest Convention Art. 35) and, where in force for both countries, Second Additional Protocol Arts 9-10",
        )
    if provider == "domestic":
        if goal == "preserve":
            return Route(
                PRESERVATION,
                "Ask the provider to keep a copy of the data while you obtain an order.",
                "national law, e.g. Philippines RA 10175 s. 13; Budapest Convention Art. 16. In the US, 18 U.S.C. 2703(f) binds only "
                "communication and remote-computing providers: ask an exchange to preserve, and serve the subpoena quickly",
            )
        return Route(
            PRODUCTION,
            "A court, grand jury or prosecutor orders the provider in your own country to hand the data over.",
            "national law, e.g. in the US a grand-jury or administrative subpoena for an exchange's records (United States v. Gratkowski, "
            "964 F.3d 307 (5th Cir. 2020)), in the Philippines a warrant to disclose computer data (RA 10175 s. 14); Budapest Convention Art. 18",
        )
    if both_in_eu:
        if e_evidence_provider:
            instrument = EU_PRESERVATION if goal == "preserve" else EU_PRODUCTION
            return Route(
                instrument,
                "Both countries are EU member states and the provider is a 'service provider' of the e-evidence Regulation: order it directly.",
                "Regulation (EU) 2023/1543, Art. 3(3) (who is a service provider; financial services are excluded), applies from 18 August 2026",
            )
        return Route(
            EIO,
            "Both countries are EU member states: a judicial authority of yours asks one of the other country's to carry out the measure, "
            "which it recognises and executes as if it were its own.",
            "Directive 2014/41/EU (European Investigation Order), Art. 1; a crypto exchange's records are very likely outside "
            "the e-evidence Regulation (EU) 2023/1543, whose Art. 3(3) excludes financial services",
        )
    if goal == "preserve":
        if both_budapest_parties:
            return Route(
                PRESERVATION,
                "Ask the other country, through its 24/7 point of contact, to have the data preserved while you prepare an MLA request.",
                "Budapest Convention Art. 29 (at least 60 days; no dual criminality, unless the requested Party reserved under Art. 29(4), "
                f"as Japan did) and Art. 35; {VASP_SERVICE_PROVIDER_DOUBT}",
            )
        return Route(
            PRESERVATION,
            "Ask the provider to preserve the data voluntarily, and the other country through police channels, while you prepare an MLA request.",
            "the provider's own policy; the MLA treaty between the two countries, if any",
        )
    if data == "subscriber" and protocol_in_force_for_both and not article_7_reserved:
        return Route(
            DIRECT_REQUEST,
            "Subscriber information from a provider abroad: an order sent directly to the provider, where the Protocol is in force for both countries and neither reserved Art. 7.",
            f"Second Additional Protocol to the Budapest Convention, Art. 7 (which a Party may reserve, Art. 7(9)(a): Japan did); {VASP_SERVICE_PROVIDER_DOUBT}",
        )
    return Route(
        MLA,
        "Data held abroad, with no direct route: your central authority asks the other country's to obtain it.",
        "the MLA treaty between the two countries; between its Parties, Budapest Convention Chapter III",
    )


SCENARIO_COLUMNS = (
    "life_at_risk",
    "goal",
    "data",
    "provider",
    "both_in_eu",
    "both_budapest_parties",
    "protocol_in_force_for_both",
    "e_evidence_provider",
    "article_7_reserved",
)


def routes(scenarios: pd.DataFrame) -> pd.Series:
    """The instrument for each row of a table with the columns of `legal_route`'s arguments."""
    missing = [column for column in SCENARIO_COLUMNS if column not in scenarios.columns]
    if missing:
        raise KeyError(f"The table needs the columns {', '.join(missing)}; it has {', '.join(scenarios.columns)}.")
    return scenarios.apply(lambda row: legal_route(**{c: row[c] for c in SCENARIO_COLUMNS}).instrument, axis=1)
