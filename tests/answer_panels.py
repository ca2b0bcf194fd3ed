"""A learner who answers by answer panel only: the right choice for each exercise of a module with panels (test helper).

The choices are the learner's input, written as a learner would pick them; whether they are right is
judged by the real checks against the hashed keys (a wrong entry here fails the tests that use it).
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from chainlab.cases import m01
from chainlab.chain import addresses
from chainlab.exercises import answer_widgets, m03, m05, m06, m07

PANEL_WALKTHROUGH_MODULES = ("00_getting_started", "01_blockchain_fundamentals")  # the round trip and the browser test
PANEL_MODULES = (
    *PANEL_WALKTHROUGH_MODULES,
    "02_crypto_assets_and_services",
    "03_legal_and_regulatory",
    "04_aml_monitoring_and_red_flags",
    "05_tracing_the_money",
    "06_clustering_and_attribution",
    "07_ethereum_defi_and_bridges",
    "08_crime_typologies",
    "09_working_with_vasps",
    "10_capstone_investigation",
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
    if module_number == "02":
        return {
            "reported_value_eth": {"row": "reported_row", "divisor": "10**18"},
            "reported_fee_gwei": {
                "fee": 'int(reported_row["receipt_gas_used"]) * int(reported_row["gas_price"])',
                "divisor": "10**9",
            },
            "payments_usd": {"total": 'cl.analysis.value_in_usd(payments, prices)["value_usd"].sum()'},
            "holder_balance_nusd": {
                "units": "cl.analysis.token_balance(token_transfers, holder, nusd)",
                "divisor": " / 10**6",
            },
            "valid_notes": {"test": "seed_phrases.check_seed_phrase(phrase).valid"},
            "deposit_like_accounts": {
                "counted": 'movements[movements["from_address"] == address]["to_address"]',
                "comparison": "== 1",
            },
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
    if module_number == "06":
        return {
            "escrow_cluster_size": {"count": "len(clusters.members(escrow))"},
            "coinjoin_hashes": {"equal": "3", "inputs": ' & (shapes["input_addresses"] >= 2)'},
            "change_addresses": {"heuristics": '["address_type", "round_amount"], agree=2'},
            "fingerprint_change": {"output": 'spent_by[spent_by["spender_fingerprint"] == payer]["address"].iloc[0]'},
            "disputed_exchange": {"note": 'notes[notes["confidence"] == "high"]["label"].iloc[0]'},
            "vendor_exchange": {"tagged": f'tags[tags["address"].isin(clusters.members({m06.VENDOR_DEPOSIT}))]'},
            "fresh_false_positive_rate": {"count": m06.FRESH_CONFIRMED_PAYMENTS, "total": m06.FRESH_COVERED},
        }
    if module_number == "07":

        def option(exercise, label: str) -> str:
            """The code of the option a learner reads as `label`, in the menu of `exercise`'s form that offers it."""
            (menu,) = [field for field in exercise.form.fields if label in dict(field.options)]
            return dict(menu.options)[label]

        return {
            "burned_fee_gwei": {
                "gas": '"receipt_gas_used"',
                "price": option(m07.burned_fee_gwei, "the block's base fee: base_fee_per_gas in eth_blocks"),
                "unit": " / WEI_PER_GWEI",
            },
            "gas_funder": {
                "address": option(m07.gas_funder, "the first ETH movement whose to_address is fresh: its from_address")
            },
            "swap_proceeds_wei": {
                "rows": option(m07.swap_proceeds_wei, "of the accounts in split_accounts, paying in NUSD"),
                "column": '"amount_out"',
                "total": ".sum()",
                "unit": "",
            },
            "mixer_shortlist": {
                "deposits": "thief_deposits",
                "window": "12 * 60",
                "column": '"transaction_hash_withdrawal"',
            },
            "shortlist_precision": {
                "share": option(m07.shortlist_precision, "confirmed shortlisted ÷ shortlisted, for mixer_shortlist")
            },
            "bridge_release": {"deposit": "asked_deposit"},
            "still_freezable_nusd": {
                "amount": option(m07.still_freezable_nusd, "the balances of the accounts not frozen"),
                "unit": " / 10 ** nusd_decimals",
            },
        }
    if module_number == "08":
        return {
            "fraud_victims": {"what": "nunique", "rows": "deposits"},
            "fraud_loss_btc": {"coins": 'deposits["value"].sum()', "unit": " / SATOSHI_PER_BTC"},
            "donor_exchanges": {"answer": 'case.funding_exchange(donations["transaction_hash"]).value_counts()'},
            "top_vendors": {
                "rows": 'payouts[~payouts["address"].isin(escrow)]',
                "measure": '.groupby("address")["value"].sum()',
                "end": "nlargest",
            },
            "sanctioned_new_addresses": {
                "listed": "",
                "hop_2": ' + list(change[change["transaction_hash"].isin(moved[moved["hop"] == 2]["transaction_hash"])]["address"])',
            },
            "site_user_exchanges": {"measure": '["address"].nunique()'},
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
    if module_number == "10":
        return {
            "fraud_addresses": {"addresses": 'clustering.members(complaint["reported_address"])'},
            "total_proceeds_btc": {
                "coins": 'outputs.loc[outputs["address"].isin(firm), "value"].sum()',
                "unit": " / SATOSHI_PER_BTC",
            },
            "cash_out_exchange": {"exchange": "names[cash_out_address]"},
            "accepted_scope": {
                "exchange": "cash_out_exchange",
                "request_type": '"production"',
                "identifiers": "cash_out_address",
                "date_from": "first_day",
                "data": '["kyc", "deposit addresses", "logins", "ledger", "linked accounts"]',
            },
            "suspect_account": {
                "value": 'reply.deposit_addresses.loc[reply.deposit_addresses["address"] == cash_out_address, "account_id"].iloc[0]'
            },
            "linked_accounts": {
                "logins": 'reply.linked_logins[reply.linked_logins["device_id"].isin(reply.logins["device_id"])]',
                "own": "",
            },
        }
    raise KeyError(f"no panel answers written for module {module_number}")


def record_right_answers(module_number: str, folder: Path) -> Path:
    """Write the answers file a learner who chose right in every panel leaves next to the notebook."""
    path = answer_widgets.answers_file(module_number, folder)
    for name, choice in right_choices(module_number, folder).items():
        answer_widgets.record(module_number, name, choice, folder)
    return path
