"""Exercises of 03_legal_and_regulatory: travel rule, VASP registers, sanctions screening and legal instruments."""

from .answers import LabelSet
from .core import Exercise

MODULE = "03"

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
        'transfers[(transfers["counterparty"] == "vasp") & (transfers["amount_eur"] >= 1000)]["transfer_id"] is the pattern.',
    ],
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
        'transfers[(transfers["counterparty"] == "self_hosted") & (transfers["amount_eur"] > 1000)]["transfer_id"] is the pattern.',
    ],
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
        'Filter register with register["vasp_name"].isin(exchanges["exchange"]) & (register["in_force_from"] <= case_day) & (register["in_force_until"].isna() | (register["in_force_until"] > case_day)), then take "vasp_name".',
    ],
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
        'matched[(matched["listed_at"] <= matched["requested_at"]) & (matched["delisted_at"].isna() | (matched["delisted_at"] > matched["requested_at"]))]["request_id"]',
    ],
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
        'one_hop = (set(received_from_listed) | set(sent_to_listed)) - listed; then requests[requests["destination"].isin(one_hop)]["request_id"].',
    ],
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
        "MLA is needed to obtain data held abroad when no emergency applies, both countries are not EU member states, and no direct request under the Second Additional Protocol is possible (subscriber data only, and only where it is in force for both countries).",
        'Follow the tree with the columns: keep the rows where "life_at_risk" is False, "provider" is not "domestic", "both_in_eu" is False and "goal" is not "preserve", and where "data" is not "subscriber" or "protocol_in_force_for_both" is False (each condition in brackets, joined with & and |); then take "scenario_id".',
    ],
)
