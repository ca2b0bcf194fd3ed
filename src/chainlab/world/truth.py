"""Ground truth for grading: every address's owner, every criminal flow, the truth about tags, each case's answers."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .account import GWEI_PER_ETHER
from .entities import SOFTWARE
from .model import World
from .offchain import account_ids, claim_addresses
from .schema import TABLES


def answer_tables(
    world: World, address_text: pa.Array, tx_hash: pa.Array, eth_address: pa.Array, eth_hash: pa.Array
) -> dict[str, pa.Table]:
    """The answer-key tables; hashes and address texts are indexed by the chains' internal ids."""
    registry, book = world.registry, world.book
    entity = registry.wallet_entity.values[book.wallet.values]
    owners = pa.Table.from_pydict(
        {
            "address": address_text,
            "entity": pa.array(registry.entity_name).take(pa.array(entity)),
            "role": pa.array(registry.entity_role).take(pa.array(entity)),
            "wallet": book.wallet.values.astype(np.int64),
        },
        schema=TABLES["address_owners"].schema,
    )
    typology = {c.case_id: c.typology for c in world.cases}
    labels = sorted(world.btc_labels)
    flows = pa.Table.from_pydict(
        {
            "transaction_hash": tx_hash.take(pa.array([t for t, _, _ in labels], pa.int64())),
            "case_id": [c for _, c, _ in labels],
            "typology": [typology[c] for _, c, _ in labels],
            "step": [s for _, _, s in labels],
        },
        schema=TABLES["flows"].schema,
    )
    claims = world.tag_claims
    tag_truth = pa.Table.from_pydict(
        {
            "address": claim_addresses(claims, address_text, eth_address),
            "label": [c["label"] for c in claims],
            "correct": [c["correct"] for c in claims],
        },
        schema=TABLES["tag_truth"].schema,
    )
    return {
        "address_owners": owners,
        "flows": flows,
        "tag_truth": tag_truth,
        **_account_chain(world, eth_address, eth_hash),
        "aml_labels": _aml_labels(world),
        "transaction_wallets": _transaction_wallets(world, tx_hash),
    }


def _transaction_wallets(world: World, tx_hash: pa.Array) -> pa.Table:
    """Which wallet software made each UTXO-chain transaction, and which output (if any) is its change."""
    ledger = world.btc
    software = ledger.transaction_software()
    change_of = np.full(software.size, -1, np.int64)
    change = np.flatnonzero(ledger.out_change.values)
    change_of[ledger.out_tx.values[change]] = ledger.out_index.values[change]
    made = np.flatnonzero(software >= 0)
    return pa.Table.from_pydict(
        {
            "transaction_hash": tx_hash.take(pa.array(made)),
            "wallet_software": pa.array(SOFTWARE).take(pa.array(software[made].astype(np.int64))),
            "change_index": pa.array(change_of[made], mask=change_of[made] < 0),
        },
        schema=TABLES["transaction_wallets"].schema,
    )


def _account_chain(world: World, eth_address: pa.Array, eth_hash: pa.Array) -> dict[str, pa.Table]:
    names = pa.array(list(world.registry.entity_name) + ["(nobody: the zero address)"])
    roles = pa.array(list(world.registry.entity_role) + ["zero_address"])
    entity = world.eth.account_entity.values.astype(np.int64)
    entity = np.where(entity < 0, len(names) - 1, entity)
    owners = pa.Table.from_pydict(
        {
            "address": eth_address,
            "entity": names.take(pa.array(entity)),
            "role": roles.take(pa.array(entity)),
            "is_contract": world.eth.account_contract.values,
        },
        schema=TABLES["account_owners"].schema,
    )
    typology = {c.case_id: c.typology for c in world.cases}
    labels = sorted(world.eth_labels)
    flows = pa.Table.from_pydict(
        {
            "transaction_hash": eth_hash.take(pa.array([t for t, _, _ in labels], pa.int64())),
            "case_id": [c for _, c, _ in labels],
            "typology": [typology[c] for _, c, _ in labels],
            "step": [s for _, _, s in labels],
        },
        schema=TABLES["eth_flows"].schema,
    )
    theft = {id(n) for case in world.cases if case.case_id == "ST-1" for n in case.facts["notes"]}
    notes = [n for ether in sorted(world.mixers) for n in world.mixers[ether].notes]
    withdrawn = [n.withdrawal_tx >= 0 for n in notes]
    links = pa.Table.from_pydict(
        {
            "pool_address": eth_address.take(pa.array([n.pool.account for n in notes], pa.int64())),
            "denomination_ether": [n.pool.denomination // GWEI_PER_ETHER for n in notes],
            "deposit_transaction_hash": eth_hash.take(pa.array([n.deposit_tx for n in notes], pa.int64())),
            "withdrawal_transaction_hash": eth_hash.take(
                pa.array([n.withdrawal_tx if w else None for n, w in zip(notes, withdrawn)], pa.int64())
            ),
            "recipient": eth_address.take(
                pa.array([n.recipient if w else None for n, w in zip(notes, withdrawn)], pa.int64())
            ),
            "owner": [world.registry.entity_name[n.owner] for n in notes],
            "relayer": eth_address.take(
                pa.array(
                    [n.submitter if w and n.submitter != n.recipient else None for n, w in zip(notes, withdrawn)],
                    pa.int64(),
                )
            ),
            "gas_funder": eth_address.take(
                pa.array(
                    [n.gas_funder if w and n.gas_funder >= 0 else None for n, w in zip(notes, withdrawn)], pa.int64()
                )
            ),
            "case_id": ["ST-1" if id(n) in theft else None for n in notes],
            "giveaways": [",".join(n.heuristics) if id(n) in theft else None for n in notes],
        },
        schema=TABLES["mixer_links"].schema,
    )
    return {"account_owners": owners, "eth_flows": flows, "mixer_links": links}


def _aml_labels(world: World) -> pa.Table:
    accounts = account_ids(world)
    rows = world.aml_labels
    return pa.Table.from_pydict(
        {
            "exchange": [r["exchange"] for r in rows],
            "account_id": [accounts[r["account"]] for r in rows],
            "pattern": [r["pattern"] for r in rows],
            "suspicious": [r["suspicious"] for r in rows],
        },
        schema=TABLES["aml_labels"].schema,
    )


def aml_case_file(aml_labels: pa.Table) -> pa.Table:
    """The learners' AML-1 case file: the suspicious rows of the answer key, without the pattern that gives each away."""
    confirmed = aml_labels.filter(aml_labels["suspicious"]).select(["exchange", "account_id"])
    return confirmed.cast(TABLES["aml_case_file"].schema)


def dnm_case_file(world: World, address_text: pa.Array, tx_hash: pa.Array) -> pa.Table:
    """The learners' DNM-1 case file: every output of the market's purchases (buyer to escrow), with its owner and
    whether it was change, as the seized market server showed the investigators. Buyers are named by a number of the
    file (B-01, ...) and vendor payouts are left out, so the file answers no other exercise."""
    ledger = world.btc
    txs = sorted({t for t, case, step in world.btc_labels if case == "DNM-1" and step == "purchase"})
    outs = np.flatnonzero(np.isin(ledger.out_tx.values, txs))
    outs = outs[np.lexsort((ledger.out_index.values[outs], ledger.out_tx.values[outs]))]
    address = ledger.out_address.values[outs]
    entity = world.registry.wallet_entity.values[world.book.wallet.values[address]]
    market = next(c.facts["market_entity"] for c in world.cases if c.case_id == "DNM-1")
    buyers = {e: f"buyer B-{n + 1:02d}" for n, e in enumerate(dict.fromkeys(int(e) for e in entity if e != market))}
    owner = [world.registry.entity_name[market] if e == market else buyers[int(e)] for e in entity]
    return pa.Table.from_pydict(
        {
            "transaction_hash": tx_hash.take(pa.array(ledger.out_tx.values[outs])),
            "index": ledger.out_index.values[outs].astype(np.int64),
            "address": address_text.take(pa.array(address)),
            "owner": owner,
            "change": ledger.out_change.values[outs],
        },
        schema=TABLES["dnm_case_file"].schema,
    )


def st_case_file(mixer_links: pa.Table) -> pa.Table:
    """The learners' ST-1 case file: the mixer withdrawals the investigators confirmed as the thief's (not which
    deposit each paid out, nor how they were linked)."""
    thief = mixer_links.filter(
        pc.and_(pc.equal(mixer_links["case_id"], "ST-1"), pc.is_valid(mixer_links["withdrawal_transaction_hash"]))
    )
    return thief.select(["pool_address", "withdrawal_transaction_hash"]).cast(TABLES["st_case_file"].schema)


def case_answers(
    world: World, address_text: pa.Array, tx_hash: pa.Array, eth_address: pa.Array, eth_hash: pa.Array
) -> dict:
    """The key findings of each case, in the words and identifiers a learner would report."""
    addr = lambda a: address_text[int(a)].as_py()  # noqa: E731
    tx = lambda t: tx_hash[int(t)].as_py()  # noqa: E731
    account = lambda a: eth_address[int(a)].as_py()  # noqa: E731
    eth_tx = lambda t: eth_hash[int(t)].as_py()  # noqa: E731
    accounts = account_ids(world)
    exchange_of = lambda account: world.exchanges[int(world.account_exchange.values[account])].name  # noqa: E731
    names = world.registry.entity_name
    answers = {}
    for case in world.cases:
        f = case.facts
        if case.case_id == "RW-1":
            facts = {
                "ransom_addresses": [addr(p["address"]) for p in f["payments"]],
                "victims": [p["victim"] for p in f["payments"]],
                "ransom_payments": [tx(p["tx"]) for p in f["payments"]],
                "total_ransom_satoshi": f["total_ransom"],
                "consolidation_address": addr(f["consolidation_address"]),
                "peel_chain": [tx(p["tx"]) for p in f["peels"]],
                "final_cash_out": tx(f["final_cash_out"]["tx"]),
                "cash_out_accounts": sorted({accounts[a] for a in f["mule_accounts"]}),
                "cash_out_exchanges": sorted({exchange_of(a) for a in f["mule_accounts"]}),
            }
        elif case.case_id == "DNM-1":
            vendors = sorted(f["vendors"], key=lambda v: -v["received"])
            facts = {
                "escrow_address": addr(f["escrow_address"]),
                "orders": f["orders"],
                "vendors_by_payout": [
                    {
                        "vendor": v["handle"],
                        "payout_address": addr(world.registry.wallet_home.values[v["wallet"]]),
                        "received_satoshi": v["received"],
                        "account": accounts[v["account"]],
                        "account_holder": names[v["holder"]],
                        "cash_out_exchange": v.get("cash_out_exchange"),
                        "coinjoin": tx(v["coinjoin"]) if "coinjoin" in v else None,
                    }
                    for v in vendors
                ],
            }
        elif case.case_id == "PB-1":
            facts = {
                "victims": [
                    {
                        "name": v["name"],
                        "platform_address": addr(v["address"]),
                        "exchange": v["exchange"],
                        "paid_satoshi": sum(p["value"] for p in v["payments"]),
                        "payments": [tx(p["tx"]) for p in v["payments"]],
                    }
                    for v in f["victims"]
                ],
                "total_loss_satoshi": f["total_loss"],
                "sent_to_otc_satoshi": f["sent_to_otc"],
                "sent_to_exchange_satoshi": f["sent_to_exchange"],
                "launderer_accounts": [accounts[a] for a in f["launderer_accounts"]],
                "launderer_names": [names[int(world.account_entity.values[a])] for a in f["launderer_accounts"]],
            }
        elif case.case_id == "TF-1":
            facts = {
                "donation_address": addr(f["donation_address"]),
                "donations": len(f["donors"]),
                "total_donations_satoshi": f["total_donations"],
                "forwarded_to_otc_satoshi": f["forwarded_to_otc"],
                "donor_exchanges": sorted({d["exchange"] for d in f["donors"]}),
                "donations_by_exchange": {
                    x: sum(1 for d in f["donors"] if d["exchange"] == x)
                    for x in sorted({d["exchange"] for d in f["donors"]})
                },
            }
        elif case.case_id == "AML-1":
            facts = {
                "threshold_usd": f["threshold_usd"],
                "window_hours": f["window_hours"],
                "customers": [
                    {
                        "exchange": c["exchange"],
                        "account": accounts[c["account"]],
                        "pattern": c["pattern"],
                        "suspicious": c["suspicious"],
                    }
                    for c in f["customers"]
                ],
            }
        elif case.case_id == "CE-1":
            facts = {
                "users": len(f["users"]),
                "payment_addresses": [addr(u["address"]) for u in f["users"]],
                "payments": sum(len(u["payments"]) for u in f["users"]),
                "total_paid_satoshi": f["total_paid"],
                "cashed_out_satoshi": f["cashed_out"],
                "operator_accounts": [accounts[a] for a in f["operator_accounts"]],
                "users_by_exchange": {
                    x: sum(1 for u in f["users"] if u["exchange"] == x)
                    for x in sorted({u["exchange"] for u in f["users"]})
                },
                "user_accounts": sorted(accounts[u["account"]] for u in f["users"]),
            }
        elif case.case_id == "ST-1":
            facts = _theft_answers(world, f, account, eth_tx, addr, tx, accounts)
        elif case.case_id == "SAN-1":
            facts = {
                "listed_addresses": [addr(a) for a in f["listed_addresses"]],
                "new_addresses": [addr(a) for a in f["new_addresses"]],
                "direct_exposure_account": accounts[f["exchange_account"]],
                "one_hop_exposure_account": accounts[f["one_hop_account"]],
            }
        elif case.case_id == "CAP-1":
            facts = _capstone_answers(world, f, addr, tx, accounts)
        else:
            raise ValueError(f"no answers written for case {case.case_id}")
        answers[case.case_id] = {"typology": case.typology, "title": case.title, **facts}
    return answers


def _capstone_answers(world, f, addr, tx, accounts) -> dict:
    """Module 10's findings: the victims' fees, the pool, the peels, the exchange, the suspect and the linked accounts."""
    fees = [fee for victim in f["victims"] for fee in victim["fees"]]
    return {
        "victims": [v["name"] for v in f["victims"]],
        "fee_addresses": [addr(fee["address"]) for fee in fees],
        "fee_payments": [tx(fee["tx"]) for fee in fees],
        "total_proceeds_satoshi": f["total_proceeds"],
        "pool_address": addr(f["pool"]),
        "peel_chain": [tx(p["tx"]) for p in f["peels"]],
        "final_cash_out": tx(f["final_cash_out"]["tx"]),
        "cash_out_exchange": f["exchange"],
        "suspect_account": accounts[f["suspect_account"]],
        "suspect_name": world.registry.entity_name[int(world.account_entity.values[f["suspect_account"]])],
        "device_linked_accounts": sorted(accounts[a] for a in [*f["mule_accounts"], f["recruiter_account"]]),
        "network_only_accounts": sorted(accounts[a] for a in f["stranger_accounts"]),
    }


def _theft_answers(world, f, account, eth_tx, addr, tx, accounts) -> dict:
    """Module 07's findings: the thief's accounts, the swap, the freeze, the mixer links, the bridge and the cash-out."""
    ledger = world.eth
    thief_accounts = [
        f["main"],
        f["gas"],
        *f["splits"],
        f["hidden"],
        *sorted({n.recipient for n in f["notes"]} - set(f["splits"])),
    ]
    frozen = {x["account"] for x in f["frozen"]}
    still = {
        account(a): ledger.balance("NUSD", a)
        for a in thief_accounts
        if a not in frozen and ledger.balance("NUSD", a) > 0
    }
    return {
        "stolen_nusd_units": f["stolen"],
        "exploit_transaction": eth_tx(f["exploit"]),
        "exploiter": account(f["main"]),
        "thief_accounts": [account(a) for a in thief_accounts],
        "swap_transactions": [eth_tx(t) for t in f["swaps"]],
        "frozen": [
            {"account": account(x["account"]), "freeze_transaction": eth_tx(x["tx"]), "nusd_units": x["amount"]}
            for x in f["frozen"]
        ],
        "freezable_remaining": still,
        "freezable_remaining_nusd_units": sum(still.values()),
        "mixer_deposits": [eth_tx(n.deposit_tx) for n in f["notes"]],
        "mixer_links": [
            {
                "deposit": eth_tx(n.deposit_tx),
                "withdrawal": eth_tx(n.withdrawal_tx),
                "recipient": account(n.recipient),
                "denomination_ether": n.pool.denomination // GWEI_PER_ETHER,
                "giveaways": n.heuristics,
            }
            for n in f["notes"]
        ],
        "bridge": [
            {
                "deposit_transaction": eth_tx(d.tx),
                "reference": d.reference,
                "depositor": account(d.depositor),
                "destination": addr(d.destination),
                "release_transaction": tx(d.release_tx) if d.release_tx >= 0 else None,
                "released_satoshi": d.released,
            }
            for d in f["bridged"]
        ],
        "cash_out_exchange": world.exchanges[int(world.account_exchange.values[f["mule_account"]])].name,
        "cash_out_account": accounts[f["mule_account"]],
        "cash_out_address": addr(f["cash_out_address"]),
        "cash_out_transactions": [tx(t) for t in f["cash_outs"]],
        "gas_funded_by_exchange_account": accounts[f["thief_exchange_account"]],
    }
