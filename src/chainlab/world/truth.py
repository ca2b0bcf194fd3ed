"""Ground truth for grading: every address's owner, every criminal flow, the truth about tags, each case's answers."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from .model import World
from .offchain import account_ids
from .schema import TABLES


def answer_tables(world: World, address_text: pa.Array, tx_hash: pa.Array) -> dict[str, pa.Table]:
    registry, book = world.registry, world.book
    entity = registry.wallet_entity.values[book.wallet.values]
    owners = pa.Table.from_pydict({
        "address": address_text,
        "entity": pa.array(registry.entity_name).take(pa.array(entity)),
        "role": pa.array(registry.entity_role).take(pa.array(entity)),
        "wallet": book.wallet.values.astype(np.int64),
    }, schema=TABLES["address_owners"].schema)
    typology = {c.case_id: c.typology for c in world.cases}
    labels = sorted(world.btc_labels)
    flows = pa.Table.from_pydict({
        "transaction_hash": tx_hash.take(pa.array([t for t, _, _ in labels], pa.int64())),
        "case_id": [c for _, c, _ in labels], "typology": [typology[c] for _, c, _ in labels],
        "step": [s for _, _, s in labels]}, schema=TABLES["flows"].schema)
    claims = world.tag_claims
    tag_truth = pa.Table.from_pydict({
        "address": address_text.take(pa.array([c["address"] for c in claims], pa.int64())),
        "label": [c["label"] for c in claims], "correct": [c["correct"] for c in claims]}, schema=TABLES["tag_truth"].schema)
    return {"address_owners": owners, "flows": flows, "tag_truth": tag_truth}


def case_answers(world: World, address_text: pa.Array, tx_hash: pa.Array) -> dict:
    """The key findings of each case, in the words and identifiers a learner would report."""
    addr = lambda a: address_text[int(a)].as_py()  # noqa: E731
    tx = lambda t: tx_hash[int(t)].as_py()  # noqa: E731
    accounts = account_ids(world)
    exchange_of = lambda account: world.exchanges[int(world.account_exchange.values[account])].name  # noqa: E731
    names = world.registry.entity_name
    answers = {}
    for case in world.cases:
        f = case.facts
        if case.case_id == "RW-1":
            facts = {"ransom_addresses": [addr(p["address"]) for p in f["payments"]],
                     "victims": [p["victim"] for p in f["payments"]],
                     "ransom_payments": [tx(p["tx"]) for p in f["payments"]],
                     "total_ransom_satoshi": f["total_ransom"], "consolidation_address": addr(f["consolidation_address"]),
                     "peel_chain": [tx(p["tx"]) for p in f["peels"]], "final_cash_out": tx(f["final_cash_out"]["tx"]),
                     "cash_out_accounts": sorted({accounts[a] for a in f["mule_accounts"]}),
                     "cash_out_exchanges": sorted({exchange_of(a) for a in f["mule_accounts"]})}
        elif case.case_id == "DNM-1":
            vendors = sorted(f["vendors"], key=lambda v: -v["received"])
            facts = {"escrow_address": addr(f["escrow_address"]), "orders": f["orders"],
                     "vendors_by_payout": [{"vendor": v["handle"], "payout_address": addr(world.registry.wallet_home.values[v["wallet"]]),
                                            "received_satoshi": v["received"], "account": accounts[v["account"]],
                                            "account_holder": names[v["holder"]],
                                            "cash_out_exchange": v.get("cash_out_exchange"),
                                            "coinjoin": tx(v["coinjoin"]) if "coinjoin" in v else None} for v in vendors]}
        elif case.case_id == "PB-1":
            facts = {"victims": [{"name": v["name"], "platform_address": addr(v["address"]), "exchange": v["exchange"],
                                  "paid_satoshi": sum(p["value"] for p in v["payments"]),
                                  "payments": [tx(p["tx"]) for p in v["payments"]]} for v in f["victims"]],
                     "total_loss_satoshi": f["total_loss"], "sent_to_otc_satoshi": f["sent_to_otc"],
                     "sent_to_exchange_satoshi": f["sent_to_exchange"],
                     "launderer_accounts": [accounts[a] for a in f["launderer_accounts"]],
                     "launderer_names": [names[int(world.account_entity.values[a])] for a in f["launderer_accounts"]]}
        elif case.case_id == "TF-1":
            facts = {"donation_address": addr(f["donation_address"]), "donations": len(f["donors"]),
                     "total_donations_satoshi": f["total_donations"], "forwarded_to_otc_satoshi": f["forwarded_to_otc"],
                     "donor_exchanges": sorted({d["exchange"] for d in f["donors"]}),
                     "donations_by_exchange": {x: sum(1 for d in f["donors"] if d["exchange"] == x) for x in sorted({d["exchange"] for d in f["donors"]})}}
        else:  # SAN-1
            facts = {"listed_addresses": [addr(a) for a in f["listed_addresses"]],
                     "new_addresses": [addr(a) for a in f["new_addresses"]],
                     "direct_exposure_account": accounts[f["exchange_account"]],
                     "one_hop_exposure_account": accounts[f["one_hop_account"]]}
        answers[case.case_id] = {"typology": case.typology, "title": case.title, **facts}
    return answers
