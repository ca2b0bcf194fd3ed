"""Exercises of 03_legal_and_regulatory: travel rule, VASP registers, sanctions screening and legal instruments."""

from .answers import LabelSet
from .core import Exercise, Slip

MODULE = "03"

fatf_full_information = Exercise(
    MODULE,
    "fatf_full_information",
    objective="Decide which transfers need full travel-rule information under the FATF standard.",
    answer=LabelSet(what="transfer ids"),
    hints=[
        "Under the FATF standard, full information travels to the other VASP when the transfer is USD/EUR 1,000 or more. A self-hosted wallet has no VASP to send it to.",
        'Keep the rows of transfers whose "counterparty" is "vasp" and whose "amount_eur" is 1,000 or more: "or more" means >=, not >.',
        'transfers[(transfers["counterparty"] == "vasp") & (transfers["amount_eur"] >= 1000)]["transfer_id"] is the pattern.',
    ],
    slips=[
        Slip(
            'transfers[(transfers["counterparty"] == "vasp") & (transfers["amount_eur"] > 1000)]["transfer_id"]',
            'Your filter leaves out transfers of exactly EUR 1,000. The FATF threshold is 1,000 or more, which is >=.',
        ),
        Slip(
            'transfers[transfers["amount_eur"] >= 1000]["transfer_id"]',
            'Your list includes transfers to self-hosted wallets. Full information travels only to another VASP: add the condition on "counterparty".',
        ),
    ],
)

eu_ownership_checks = Exercise(
    MODULE,
    "eu_ownership_checks",
    objective="Decide which transfers need the EU rule's ownership check on a self-hosted address.",
    answer=LabelSet(what="transfer ids"),
    hints=[
        "The EU rule adds one duty for self-hosted wallets: over EUR 1,000, check that the address belongs to the exchange's own customer.",
        'Keep the rows whose "counterparty" is "self_hosted" and whose "amount_eur" exceeds 1,000: "exceeding" means >, so exactly 1,000 does not count.',
        'transfers[(transfers["counterparty"] == "self_hosted") & (transfers["amount_eur"] > 1000)]["transfer_id"] is the pattern.',
    ],
    slips=[
        Slip(
            'transfers[(transfers["counterparty"] == "self_hosted") & (transfers["amount_eur"] >= 1000)]["transfer_id"]',
            'Your filter keeps transfers of exactly EUR 1,000. The EU rule applies to amounts exceeding 1,000, which is >.',
        ),
        Slip(
            'transfers[transfers["amount_eur"] > 1000]["transfer_id"]',
            'Your list includes transfers to other VASPs. The ownership check is for self-hosted wallets: add the condition on "counterparty".',
        ),
    ],
)

registered_on_case_day = Exercise(
    MODULE,
    "registered_on_case_day",
    objective="Look up VASPs in a register table and tell which registrations were in force on a given day.",
    answer=LabelSet(what="exchange names"),
    hints=[
        "Match the exchanges by their exact name (look-alike names are other firms), then check the dates of each entry.",
        'An entry is in force on case_day if "in_force_from" <= case_day, and "in_force_until" is empty (.isna()) or after case_day.',
        'Filter register with register["vasp_name"].isin(exchanges["exchange"]) & (register["in_force_from"] <= case_day) & (register["in_force_until"].isna() | (register["in_force_until"] > case_day)), then take "vasp_name".',
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
)

direct_hits = Exercise(
    MODULE,
    "direct_hits",
    objective="Screen withdrawal requests against a sanctions list for direct hits, at the date of each request.",
    answer=LabelSet(what="request ids"),
    hints=[
        "A direct hit is a request whose destination was on the list on the day of the request: listed before it, and not yet delisted.",
        'Start from matched (the requests joined to the list by address). Keep rows with "listed_at" <= "requested_at", and "delisted_at" empty (.isna()) or after "requested_at".',
        'matched[(matched["listed_at"] <= matched["requested_at"]) & (matched["delisted_at"].isna() | (matched["delisted_at"] > matched["requested_at"]))]["request_id"]',
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
            'Those are all the requests to an address that is, or was, on the list. Keep only those made while it was listed.',
        ),
    ],
)

one_hop_requests = Exercise(
    MODULE,
    "one_hop_requests",
    objective="Screen withdrawal requests for one-hop exposure to listed addresses.",
    answer=LabelSet(what="request ids"),
    hints=[
        "A destination has one-hop exposure if, in one transaction, it received coins from a listed address or sent coins to one, and it is not on the list itself.",
        "Build the set of addresses that sent coins to a listed address the same way as received_from_listed, swapping inputs and outputs; join the two sets with | and remove listed addresses with -.",
        'one_hop = (set(received_from_listed) | set(sent_to_listed)) - listed; then requests[requests["destination"].isin(one_hop)]["request_id"].',
    ],
    slips=[
        Slip(
            'requests[requests["destination"].isin(listed)]["request_id"]',
            "Those are requests to listed addresses themselves: direct hits, not one-hop exposure. Look for the addresses one transaction away from a listed address, and leave the listed ones out.",
        ),
    ],
)

mla_scenarios = Exercise(
    MODULE,
    "mla_scenarios",
    objective="Choose the legal instrument for a request to a VASP: which situations need mutual legal assistance.",
    answer=LabelSet(what="scenario ids"),
    hints=[
        "Work through each situation with the decision tree above. MLA is what is left when no faster route applies.",
        "MLA is needed to obtain data held abroad when no emergency applies, both countries are not EU member states, and no direct request under the Second Additional Protocol is possible (subscriber data only, and only where it is in force for both countries).",
        'legal.routes(scenarios) gives the instrument of each row; keep the scenario ids where it is "MLA request".',
    ],
    slips=[
        Slip(
            'scenarios[scenarios["provider"] == "abroad"]["scenario_id"]',
            'Not every request abroad needs MLA: an emergency, a preservation request, EU instruments and a direct request under the Second Additional Protocol are faster routes. Follow the decision tree for each situation.',
        ),
        Slip(
            'scenarios[(scenarios["provider"] == "abroad") & ~scenarios["life_at_risk"]]["scenario_id"]',
            'You set aside the emergency, but other situations abroad have a faster route too: preservation, EU instruments, or a direct request under the Second Additional Protocol. Follow the decision tree for each.',
        ),
    ],
)
