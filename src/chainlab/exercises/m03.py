"""Exercises of 03_legal_and_regulatory: travel rule, VASP registers, sanctions screening, legal instruments, seizure and evidence."""

from .answer_widgets import AnswerForm, Conditions, Menu, Number
from .answers import LabelSet
from .core import Exercise, Slip

MODULE = "03"

# The addresses that paid a listed address in one transaction (exercise 5's sent_to_listed), as the panel writes it
SENT_TO_LISTED = 'set(inputs[inputs["transaction_hash"].isin(outputs[outputs["address"].isin(listed)]["transaction_hash"])]["address"])'


def _travel_rule_form(table: str, amount_column: str, currency: str) -> AnswerForm:
    """The panel of a travel-rule threshold: where the coins go, which comparison, which amount."""
    return AnswerForm(
        f'{table}[{{counterparty}}({table}["{amount_column}"] {{comparison}} {{amount}})]["transfer_id"]',
        (
            Menu(
                "counterparty",
                "keep the transfers sent to",
                (
                    ("another VASP", f'({table}["counterparty"] == "vasp") & '),
                    ("a self-hosted wallet", f'({table}["counterparty"] == "self_hosted") & '),
                    ("anyone", ""),
                ),
            ),
            Menu(
                "comparison",
                f"whose amount in {currency} is",
                (("this amount or more, >=", ">="), ("more than this amount, >", ">")),
            ),
            Number("amount", "this amount", unit=currency),
        ),
    )


def _screening_form() -> AnswerForm:
    """The panel of a screening by regime and date: which regime's rows, and which dates, a hit must meet."""
    regimes = [
        (f"the listing is the {regime}'s", f'(screened["regime"] == "{regime}")') for regime in ("EU", "US", "UK", "UN")
    ]
    return AnswerForm(
        '{rows}["payment_id"]',
        (
            Conditions(
                "rows",
                "keep the rows of screened (a payment, one listing) that meet every condition ticked:",
                "screened",
                (
                    *regimes,
                    (
                        "the listing had begun by the day of the payment",
                        '(screened["listed_from"] <= screened["paid_at"])',
                    ),
                    (
                        "the listing had not ended by then (no end date, or a later one)",
                        '(screened["listed_until"].isna() | (screened["listed_until"] > screened["paid_at"]))',
                    ),
                ),
            ),
        ),
    )


fatf_full_information = Exercise(
    MODULE,
    "fatf_full_information",
    title="full information under the FATF standard",
    task="put the `transfer_id`s of the transfers that must carry the **full** originator and beneficiary information to another VASP under the FATF standard (threshold USD/EUR 1,000) in `fatf_full_information`.",
    objective="decide which transfers need full travel-rule information under the FATF standard.",
    answer=LabelSet(what="transfer ids"),
    hints=[
        "Under the FATF standard, full information travels to the other VASP when the transfer is USD/EUR 1,000 or more. A self-hosted wallet has no VASP to send it to.",
        'Keep the rows of transfers whose "counterparty" is "vasp" and whose "amount_eur" is 1,000 or more: "or more" means >=, not >.',
    ],
    slips=[
        Slip(
            'transfers[(transfers["counterparty"] == "vasp") & (transfers["amount_eur"] > 1000)]["transfer_id"]',
            "Your filter leaves out transfers of exactly EUR 1,000. The FATF threshold is 1,000 or more, which is >=.",
        ),
        Slip(
            'transfers[transfers["amount_eur"] >= 1000]["transfer_id"]',
            'Your list includes transfers to self-hosted wallets. Full information travels only to another VASP: add the condition on "counterparty".',
        ),
    ],
    form=_travel_rule_form("transfers", "amount_eur", "EUR"),
)

eu_ownership_checks = Exercise(
    MODULE,
    "eu_ownership_checks",
    title="the EU ownership check",
    task="put the `transfer_id`s of the transfers for which Kestrel Coin Markets must assess whether the self-hosted address is owned or controlled by its own customer (Regulation (EU) 2023/1113, Art. 14(5): transfers **exceeding EUR 1,000** to a self-hosted address) in `eu_ownership_checks`.",
    objective="decide which transfers need the EU rule's ownership check on a self-hosted address.",
    answer=LabelSet(what="transfer ids"),
    hints=[
        "The EU rule adds one duty for self-hosted wallets: over EUR 1,000, check that the address belongs to the exchange's own customer.",
        'Keep the rows whose "counterparty" is "self_hosted" and whose "amount_eur" exceeds 1,000: "exceeding" means >, so exactly 1,000 does not count.',
    ],
    slips=[
        Slip(
            'transfers[(transfers["counterparty"] == "self_hosted") & (transfers["amount_eur"] >= 1000)]["transfer_id"]',
            "Your filter keeps transfers of exactly EUR 1,000. The EU rule applies to amounts exceeding 1,000, which is >.",
        ),
        Slip(
            'transfers[transfers["amount_eur"] > 1000]["transfer_id"]',
            'Your list includes transfers to other VASPs. The ownership check is for self-hosted wallets: add the condition on "counterparty".',
        ),
    ],
    form=_travel_rule_form("transfers", "amount_eur", "EUR"),
)

registered_on_case_day = Exercise(
    MODULE,
    "registered_on_case_day",
    title="which exchanges were registered on the case day?",
    task="put the names of the world's exchanges (the `exchange` column of `exchanges`) whose register entry was **in force on `case_day`** in `registered_on_case_day`.",
    objective="look up VASPs in a register table and tell which registrations were in force on a given day.",
    answer=LabelSet(what="exchange names"),
    hints=[
        "Match the exchanges by their exact name (look-alike names are other firms), then check the dates of each entry.",
        'An entry is in force on case_day if "in_force_from" <= case_day, and "in_force_until" is empty (.isna()) or after case_day.',
    ],
    slips=[
        Slip(
            'register[(register["in_force_from"] <= case_day) & (register["in_force_until"].isna() | (register["in_force_until"] > case_day))]["vasp_name"]',
            'Your list includes firms that are not the world\'s exchanges (look-alike names). Keep only the names in exchanges["exchange"], with .isin().',
        ),
        Slip(
            'register[register["vasp_name"].isin(exchanges["exchange"]) & (register["in_force_from"] <= case_day)]["vasp_name"]',
            'Your list includes an entry that was no longer in force on case_day. Add the condition on "in_force_until".',
        ),
        Slip(
            'register[register["vasp_name"].isin(exchanges["exchange"]) & (register["in_force_until"].isna() | (register["in_force_until"] > case_day))]["vasp_name"]',
            'Your list includes an entry that came into force only after case_day. Add the condition on "in_force_from".',
        ),
    ],
    form=AnswerForm(
        '{rows}["vasp_name"]',
        (
            Conditions(
                "rows",
                "keep the register entries that meet every condition ticked:",
                "register",
                (
                    (
                        'named exactly as one of the world\'s exchanges, in exchanges["exchange"]',
                        'register["vasp_name"].isin(exchanges["exchange"])',
                    ),
                    ("in force from case_day or earlier", '(register["in_force_from"] <= case_day)'),
                    (
                        "not ended by case_day (no end date, or a later one)",
                        '(register["in_force_until"].isna() | (register["in_force_until"] > case_day))',
                    ),
                ),
            ),
        ),
    ),
)

direct_hits = Exercise(
    MODULE,
    "direct_hits",
    title="direct hits",
    task="put the `request_id`s of the requests whose destination was listed on the day of the request in `direct_hits`.",
    objective="screen withdrawal requests against a sanctions list for direct hits, at the date of each request.",
    answer=LabelSet(what="request ids"),
    hints=[
        "A direct hit is a request whose destination was on the list on the day of the request: listed before it, and not yet delisted.",
        'Start from matched (the requests joined to the list by address). Keep rows with "listed_at" <= "requested_at", and "delisted_at" empty (.isna()) or after "requested_at".',
    ],
    slips=[
        Slip(
            'matched[matched["listed_at"] <= matched["requested_at"]]["request_id"]',
            'Your list includes requests made after the address was delisted. Add the condition on "delisted_at".',
        ),
        Slip(
            'matched[matched["delisted_at"].isna() | (matched["delisted_at"] > matched["requested_at"])]["request_id"]',
            'Your list includes requests made before the address was listed. Add the condition on "listed_at".',
        ),
        Slip(
            'matched["request_id"]',
            "Those are all the requests to an address that is, or was, on the list. Keep only those made while it was listed.",
        ),
    ],
    form=AnswerForm(
        '{rows}["request_id"]',
        (
            Conditions(
                "rows",
                "keep the rows of matched (requests to a listed address) that meet every condition ticked:",
                "matched",
                (
                    (
                        "the address was listed on or before the day of the request",
                        '(matched["listed_at"] <= matched["requested_at"])',
                    ),
                    (
                        "it was not delisted by then (no delisting date, or a later one)",
                        '(matched["delisted_at"].isna() | (matched["delisted_at"] > matched["requested_at"]))',
                    ),
                ),
            ),
        ),
    ),
)

one_hop_requests = Exercise(
    MODULE,
    "one_hop_requests",
    title="one-hop exposure",
    task="build `sent_to_listed` too (the inputs of the transactions that paid a listed address), combine it with `received_from_listed`, remove the listed addresses, and put the `request_id`s of the requests whose destination has one-hop exposure in `one_hop_requests`.",
    objective="screen withdrawal requests for one-hop exposure to listed addresses.",
    answer=LabelSet(what="request ids"),
    hints=[
        "A destination has one-hop exposure if, in one transaction, it received coins from a listed address or sent coins to one, and it is not on the list itself.",
        "Build the set of addresses that sent coins to a listed address the same way as received_from_listed, swapping inputs and outputs; join the two sets with | and remove listed addresses with -.",
    ],
    slips=[
        Slip(
            'requests[requests["destination"].isin(listed)]["request_id"]',
            "Those are requests to listed addresses themselves: direct hits, not one-hop exposure. Look for the addresses one transaction away from a listed address, and leave the listed ones out.",
        ),
        Slip(
            'requests[requests["destination"].isin(set(received_from_listed) - listed)]["request_id"]',
            "Those are only the destinations that received coins from a listed address. One-hop exposure also counts the addresses that sent coins to one: build sent_to_listed and combine the two sets with |.",
        ),
    ],
    form=AnswerForm(
        'requests[requests["destination"].isin({addresses})]["request_id"]',
        (
            Menu(
                "addresses",
                "keep the requests to the addresses that",
                (
                    (
                        "received coins from a listed address, or sent coins to one, and are not listed themselves",
                        f"(set(received_from_listed) | {SENT_TO_LISTED}) - listed",
                    ),
                    (
                        "received coins from a listed address, and are not listed themselves",
                        "set(received_from_listed) - listed",
                    ),
                    ("sent coins to a listed address, and are not listed themselves", f"{SENT_TO_LISTED} - listed"),
                    ("are on the list themselves", "listed"),
                ),
            ),
        ),
    ),
)

mla_scenarios = Exercise(
    MODULE,
    "mla_scenarios",
    title="which situations need mutual legal assistance?",
    task="work through each situation with the tree, and put the `scenario_id`s of the situations for which the right instrument is an **MLA request** in `mla_scenarios`.",
    objective="choose the legal instrument for a request to a VASP.",
    answer=LabelSet(what="scenario ids"),
    hints=[
        "Work through each situation with the decision tree above. MLA is what is left when no faster route applies.",
        "MLA is needed to obtain data held abroad when no emergency applies, both countries are not EU member states, and no direct request under the Second Additional Protocol is possible (subscriber data only, only where it is in force for both countries, and only if neither reserved Art. 7).",
    ],
    slips=[
        Slip(
            'scenarios[scenarios["provider"] == "abroad"]["scenario_id"]',
            "Not every request abroad needs MLA: an emergency, a preservation request, EU instruments and a direct request under the Second Additional Protocol are faster routes. Follow the decision tree for each situation.",
        ),
        Slip(
            'scenarios[(scenarios["provider"] == "abroad") & ~scenarios["life_at_risk"]]["scenario_id"]',
            "You set aside the emergency, but other situations abroad have a faster route too: preservation, EU instruments, or a direct request under the Second Additional Protocol. Follow the decision tree for each.",
        ),
    ],
    form=AnswerForm(
        '{rows}["scenario_id"]',
        (
            Conditions(
                "rows",
                "keep the situations that meet every condition ticked:",
                "scenarios",
                (
                    ("no life is at risk", '(scenarios["life_at_risk"] == False)'),
                    ("the VASP is abroad", '(scenarios["provider"] == "abroad")'),
                    ("the two countries are not both EU member states", '(scenarios["both_in_eu"] == False)'),
                    ("the goal is to obtain the data, not only to preserve it", '(scenarios["goal"] == "obtain")'),
                    (
                        "both countries are Parties to the Budapest Convention",
                        '(scenarios["both_budapest_parties"] == True)',
                    ),
                    (
                        "no direct request possible: not subscriber data, or the Protocol not in force for both, or Art. 7 reserved",
                        '((scenarios["data"] != "subscriber") | (scenarios["protocol_in_force_for_both"] == False)'
                        ' | (scenarios["article_7_reserved"] == True))',
                    ),
                ),
            ),
        ),
    ),
)

freeze_or_seize = Exercise(
    MODULE,
    "freeze_or_seize",
    title="data order or freezing order?",
    objective="Tell requests that concern data (preserved and produced) from requests that concern the coins (frozen and seized).",
    task="Put the `request_id`s of the requests in `requests_for_assets` that need a **freezing, restraint or seizure order**, not a preservation or production order, in `freeze_or_seize`.",
    answer=LabelSet(what="request ids"),
    hints=[
        "Ask of each request: does it concern records about the account (data), or the coins themselves? The word 'freeze' alone does not decide it.",
        'The "concerns" column says it: keep the rows whose "concerns" is "crypto-assets", wherever the coins are held.',
    ],
    slips=[
        Slip(
            'requests_for_assets[requests_for_assets["what_is_asked"].str.contains("freeze")]["request_id"]',
            "You picked the requests that use the word 'freeze'. 'Freeze a copy of the login records' asks to preserve data; "
            "decide by what the request concerns: records or the coins.",
        ),
        Slip(
            'requests_for_assets[(requests_for_assets["concerns"] == "crypto-assets") & (requests_for_assets["held_by"] == "exchange")]["request_id"]',
            "You kept only coins held at an exchange. Moving coins out of a self-hosted wallet found in a search takes control of them too, "
            "and needs its own seizure authority.",
        ),
    ],
    form=AnswerForm(
        'requests_for_assets[({what}){held}]["request_id"]',
        (
            Menu(
                "what",
                "keep the requests that",
                (
                    ("concern the coins themselves", 'requests_for_assets["concerns"] == "crypto-assets"'),
                    ("concern records about the account", 'requests_for_assets["concerns"] == "records"'),
                    ("use the word freeze", 'requests_for_assets["what_is_asked"].str.contains("freeze")'),
                ),
            ),
            Menu(
                "held",
                "held",
                (
                    ("anywhere", ""),
                    ("only at an exchange", ' & (requests_for_assets["held_by"] == "exchange")'),
                    ("only in a self-hosted wallet", ' & (requests_for_assets["held_by"] == "self-hosted wallet")'),
                ),
            ),
        ),
    ),
)

unreliable_exports = Exercise(
    MODULE,
    "unreliable_exports",
    title="which exports would not survive a challenge?",
    objective="Check a log of blockchain exports for the two defects that break the chain of custody: a changed file, or a missing record of where and when.",
    task="Put the `export_id`s of the exports in `exports` whose SHA-256 today differs from the one recorded at export, **or** that lack their data source, block height or time of observation, in `unreliable_exports`.",
    answer=LabelSet(what="export ids"),
    hints=[
        "Two defects count: the fingerprint changed (the file is not the one exported), or a field needed to repeat the export is empty.",
        'Compare "sha256_now" with "sha256_at_export" using !=, and test "data_source", "block_height" and "observed_at" with .isna(); join the four conditions with |.',
    ],
    slips=[
        Slip(
            'exports[exports["sha256_now"] != exports["sha256_at_export"]]["export_id"]',
            "You found the files that changed, but an unchanged file is still weak evidence if nobody can say where and when it was read: "
            "add the exports with an empty data source, block height or time of observation.",
        ),
        Slip(
            'exports[exports["data_source"].isna() | exports["block_height"].isna() | exports["observed_at"].isna()]["export_id"]',
            "You found the exports with a missing field, but not the files whose SHA-256 today differs from the one recorded at export.",
        ),
    ],
    form=AnswerForm(
        '{rows}["export_id"]',
        (
            Conditions(
                "rows",
                "keep the exports with any of the defects ticked:",
                "exports",
                (
                    (
                        "its SHA-256 today differs from the one recorded at export",
                        '(exports["sha256_now"] != exports["sha256_at_export"])',
                    ),
                    ("no data source", 'exports["data_source"].isna()'),
                    ("no block height", 'exports["block_height"].isna()'),
                    ("no time of observation", 'exports["observed_at"].isna()'),
                ),
                join=" | ",
            ),
        ),
    ),
)

egmont_requests = Exercise(
    MODULE,
    "egmont_requests",
    title="which requests can use the FIU-to-FIU channel?",
    objective="Tell which requests can travel through the Egmont Group's FIU-to-FIU channel.",
    task="Put the `request_id`s of the requests in `requests_abroad` that can go through the Egmont channel (an FIU asking a foreign FIU) in `egmont_requests`.",
    answer=LabelSet(what="request ids"),
    hints=[
        "The Egmont Group connects financial intelligence units (FIUs) with each other: both ends must be FIUs.",
        'Keep the rows whose "sender" is "FIU" and whose "recipient" is "foreign FIU".',
    ],
    slips=[
        Slip(
            'requests_abroad[requests_abroad["sender"] == "FIU"]["request_id"]',
            "You kept every request sent by an FIU, but an FIU writing to an exchange's portal is not using the Egmont channel: the recipient must be a foreign FIU too.",
        ),
        Slip(
            'requests_abroad[requests_abroad["recipient"] == "foreign FIU"]["request_id"]',
            "You kept every request to a foreign FIU, but a police investigator cannot use the Egmont channel directly: the sender must be an FIU (ask your own).",
        ),
    ],
    form=AnswerForm(
        '{rows}["request_id"]',
        (
            Conditions(
                "rows",
                "keep the requests that meet every condition ticked:",
                "requests_abroad",
                (
                    ("the sender is an FIU", '(requests_abroad["sender"] == "FIU")'),
                    ("the sender is a police investigator", '(requests_abroad["sender"] == "police investigator")'),
                    ("the recipient is a foreign FIU", '(requests_abroad["recipient"] == "foreign FIU")'),
                    (
                        "the recipient is foreign police, through Interpol",
                        '(requests_abroad["recipient"] == "foreign police, through Interpol")',
                    ),
                ),
            ),
        ),
    ),
)

eu_listed_payments = Exercise(
    MODULE,
    "eu_listed_payments",
    title="hits under the EU's list",
    objective="Screen payments against one regime's sanctions list, at the date of each payment: a listing in one regime is not a listing in all.",
    task="Kestrel Coin Markets is in France, so EU restrictive measures bind it. Put the `payment_id`s of the payments in `payments` whose counterparty was on the **EU** list on the day of the payment in `eu_listed_payments`.",
    answer=LabelSet(what="payment ids"),
    hints=[
        "Only the EU rows of the listings count here, and only for the days each was in force.",
        'From screened (payments joined to the listings), keep rows with "regime" == "EU", "listed_from" <= "paid_at", and "listed_until" empty (.isna()) or after "paid_at".',
    ],
    slips=[
        Slip(
            'screened[(screened["listed_from"] <= screened["paid_at"]) & (screened["listed_until"].isna() | (screened["listed_until"] > screened["paid_at"]))]["payment_id"]',
            "You counted a listing under any regime (US, UK, UN). Each regime has its own list: keep only the rows whose regime is EU.",
        ),
        Slip(
            'screened[screened["regime"] == "EU"]["payment_id"]',
            "You kept every payment to an entity the EU lists at some time. Compare the dates: a listing counts only from listed_from, and not after listed_until.",
        ),
    ],
    form=_screening_form(),
)

us_hits_around_delisting = Exercise(
    MODULE,
    "us_hits_around_delisting",
    title="US hits before and after a delisting",
    objective="Screen payments against the US list at their dates, before and after a delisting.",
    task="A US exchange made the same payments. Put the `payment_id`s of the payments in `payments` whose counterparty was on the **US** list on the day of the payment in `us_hits_around_delisting`.",
    answer=LabelSet(what="payment ids"),
    hints=[
        "The same test as for the EU list, with the US rows: the Fogline Mixer was delisted, so payments after that day are not hits.",
        'Keep rows of screened with "regime" == "US", "listed_from" <= "paid_at", and "listed_until" empty or after "paid_at".',
    ],
    slips=[
        Slip(
            'screened[(screened["regime"] == "US") & (screened["listed_from"] <= screened["paid_at"])]["payment_id"]',
            "You kept payments made after the listing began, but not only while it lasted: a payment after a delisting (listed_until) is not a hit.",
        ),
        Slip(
            'screened[screened["regime"] == "US"]["payment_id"]',
            "You kept every payment to an entity the US lists at some time; compare each payment's date with listed_from and listed_until.",
        ),
    ],
    form=_screening_form(),
)

kr_travel_rule = Exercise(
    MODULE,
    "kr_travel_rule",
    title="the Korean travel rule",
    objective="Apply South Korea's travel-rule threshold to transfers in won.",
    task="Put the `transfer_id`s of the transfers in `kr` that must carry the originator and beneficiary information under the Korean rule (transfers to another VASP worth **KRW 1 million or more**; FSC, 24 March 2022) in `kr_travel_rule`.",
    answer=LabelSet(what="transfer ids"),
    hints=[
        "The Korean rule applies between VASPs only, from KRW 1,000,000: 'or more' includes exactly 1,000,000.",
        'Keep the rows whose "counterparty" is "vasp" and whose "amount_krw" is >= 1000000.',
    ],
    slips=[
        Slip(
            'kr[(kr["counterparty"] == "vasp") & (kr["amount_krw"] > 1_000_000)]["transfer_id"]',
            "You used > (more than). The rule says 'KRW 1 million or more', which includes exactly 1,000,000: use >=.",
        ),
        Slip(
            'kr[kr["amount_krw"] >= 1_000_000]["transfer_id"]',
            "You kept transfers to self-hosted wallets too; the Korean rule applies when a VASP sends to another VASP.",
        ),
    ],
    form=_travel_rule_form("kr", "amount_krw", "KRW"),
)
