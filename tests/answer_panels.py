"""A learner who answers by answer panel only: the right choice for each exercise of a module with panels (test helper).

The choices are the learner's input, written as a learner would pick them; whether they are right is
judged by the real checks against the hashed keys (a wrong entry here fails the tests that use it).
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from chainlab.cases import m01
from chainlab.chain import addresses
from chainlab.exercises import answer_widgets, m03, m05

PANEL_WALKTHROUGH_MODULES = ("00_getting_started", "01_blockchain_fundamentals")  # the round trip and the browser test
PANEL_MODULES = (
    *PANEL_WALKTHROUGH_MODULES,
    "03_legal_and_regulatory",
    "04_aml_monitoring_and_red_flags",
    "05_tracing_the_money",
    "09_working_with_vasps",
)  # every module with panels


def right_choices(module_number: str, folder: Path) -> dict[str, dict]:
    """The right choice for every exercise of a module, by exercise name; `folder` is the notebook's (it decides the cohort's data)."""
    if module_number == "00":
        return {
            "n_transfers": {"what": "len(transfers)"},
            "big_transfers": {"column": '"amount_btc"', "comparison": ">", "amount": 1},
            "transfers_by_time": {"column": '"timestamp"', "order": ""},
            "latest_transfer": {"table": 'transfers.sort_values("timestamp")', "position": "-1"},
            "sent_per_address": {"column": '"from_address"'},
            "total_btc": {"column": '"amount_btc"', "operation": "sum"},
        }
    if module_number == "01":
        with contextlib.chdir(folder):
            chain = m01.toy_chain()
        mistyped = next(a for a in chain.copied_addresses if not addresses.is_valid(a))
        return {
            "message_hash": {"text": "exhibit_label"},
            "mistyped_address": {"address": repr(mistyped)},
            "unconfirmed_fee": {"first": "waiting_inputs", "second": "waiting_outputs"},
            "largest_output_btc": {"operation": "max", "table": "outputs", "divisor": "100_000_000"},
            "suspect_balance": {"condition": '(outputs["address"] == suspect) & (outputs["is_spent"] == False)'},
            "reported_block": {"transaction": repr(chain.reported_transaction)},
        }
    if module_number == "03":
        vasp, self_hosted = (
            '(transfers["counterparty"] == "vasp") & ',
            '(transfers["counterparty"] == "self_hosted") & ',
        )
        in_force = [
            '(screened["listed_from"] <= screened["paid_at"])',
            '(screened["listed_until"].isna() | (screened["listed_until"] > screened["paid_at"]))',
        ]
        return {
            "fatf_full_information": {"counterparty": vasp, "comparison": ">=", "amount": 1000},
            "eu_ownership_checks": {"counterparty": self_hosted, "comparison": ">", "amount": 1000},
            "registered_on_case_day": {
                "rows": [
                    'register["vasp_name"].isin(exchanges["exchange"])',
                    '(register["in_force_from"] <= case_day)',
                    '(register["in_force_until"].isna() | (register["in_force_until"] > case_day))',
                ]
            },
            "direct_hits": {
                "rows": [
                    '(matched["listed_at"] <= matched["requested_at"])',
                    '(matched["delisted_at"].isna() | (matched["delisted_at"] > matched["requested_at"]))',
                ]
            },
            "one_hop_requests": {"addresses": f"(set(received_from_listed) | {m03.SENT_TO_LISTED}) - listed"},
            "mla_scenarios": {
                "rows": [
                    '(scenarios["life_at_risk"] == False)',
                    '(scenarios["provider"] == "abroad")',
                    '(scenarios["both_in_eu"] == False)',
                    '(scenarios["goal"] == "obtain")',
                    '((scenarios["data"] != "subscriber") | (scenarios["protocol_in_force_for_both"] == False)'
                    ' | (scenarios["article_7_reserved"] == True))',
                ]
            },
            "freeze_or_seize": {"what": 'requests_for_assets["concerns"] == "crypto-assets"', "held": ""},
            "unreliable_exports": {
                "rows": [
                    '(exports["sha256_now"] != exports["sha256_at_export"])',
                    'exports["data_source"].isna()',
                    'exports["block_height"].isna()',
                    'exports["observed_at"].isna()',
                ]
            },
            "egmont_requests": {
                "rows": ['(requests_abroad["sender"] == "FIU")', '(requests_abroad["recipient"] == "foreign FIU")']
            },
            "eu_listed_payments": {"rows": ['(screened["regime"] == "EU")', *in_force]},
            "us_hits_around_delisting": {"rows": ['(screened["regime"] == "US")', *in_force]},
            "kr_travel_rule": {
                "counterparty": '(kr["counterparty"] == "vasp") & ',
                "comparison": ">=",
                "amount": 1000000,
            },
        }
    if module_number == "04":
        true_alerts = '(review["alerted"] & (review["finding"] == "suspicious")).sum()'
        return {
            "structuring_accounts": {
                "rows": 'deposits[(deposits["value_usd"] >= 9000) & (deposits["value_usd"] < 10000)]',
                "count": "3",
            },
            "rapid_accounts": {
                "rows": [
                    '(pairs["direction"] == "deposit") & (pairs["next_direction"] == "withdrawal")',
                    '(pairs["next_timestamp"] - pairs["timestamp"] <= pd.Timedelta(hours=8))',
                    '(pairs["next_value"] >= 0.9 * pairs["value"])',
                ],
                "keep": "[cases >= 3]",
            },
            "exposed_accounts": {
                "deposits": 'set(deposit_senders[deposit_senders["sender"].isin(risky_addresses)]["account_id"])',
                "withdrawals": 'set(withdrawals[withdrawals["address"].isin(risky_addresses)]["account_id"])',
            },
            "review_queue": {
                "keep": '[scored["risk_score"] >= aml.REVIEW_SCORE]',
                "order": '["risk_score", "account_id"], ascending=[False, True]',
            },
            "alert_precision": {"count": true_alerts, "share": ' * 100 / review["alerted"].sum()'},
            "alert_recall": {"count": true_alerts, "share": ' * 100 / (review["finding"] == "suspicious").sum()'},
        }
    if module_number == "05":
        return {
            "reached_within_3": {"direction": '"forward"', "hops": "3", "start": ""},
            "total_ransom_btc": {"coins": 'payers["value"].sum()', "unit": " / SATOSHI_PER_BTC"},
            "peel_chain_end": {
                "transaction": next(
                    code
                    for label, code in m05.peel_chain_end.form.fields[0].options
                    if label.startswith("where our chain ends")
                )
            },
            "haircut_at_exchange": {
                "model": '"haircut"',
                "stop": ", stop_at=exchanges",
                "where": 'exchanges[exchanges == "Meridian Vault"].index',
                "unit": " / SATOSHI_PER_BTC",
            },
            "poison_excess_btc": {"rows": "compared", "other": '"haircut"', "unit": " / SATOSHI_PER_BTC"},
        }
    if module_number == "09":
        return {
            "measure_s1": {"measure": '"freeze"'},
            "measure_s2": {"measure": '"preservation"'},
            "measure_s3": {"measure": '"production"'},
            "accepted_scope": {
                "request_type": '"production"',
                "date_from": "case.first_day",
                "data": '["kyc", "deposit addresses", "logins", "ledger", "linked accounts"]',
            },
            "suspect_customer": {"column": '"full_name"'},
            "linked_accounts": {
                "logins": 'reply.linked_logins[reply.linked_logins["device_id"].isin(reply.logins["device_id"])]',
                "own": "",
            },
            "ring_received_btc": {
                "rows": 'reply.ledger[reply.ledger["transaction_hash"].isin(trail["transaction_hash"])]',
                "unit": " / SATOSHI_PER_BTC",
            },
        }
    raise KeyError(f"no panel answers written for module {module_number}")


def record_right_answers(module_number: str, folder: Path) -> Path:
    """Write the answers file a learner who chose right in every panel leaves next to the notebook."""
    path = answer_widgets.answers_file(module_number, folder)
    for name, choice in right_choices(module_number, folder).items():
        answer_widgets.record(module_number, name, choice, folder)
    return path
