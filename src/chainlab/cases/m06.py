"""The case of 06_clustering_and_attribution: the Hollowreed Market, a yardstick for heuristics, and tag notes.

Everything here reads learner tables only (`chainlab.load`), never the answer keys:

- `escrow_address()`: the address a forum post tags as the market's escrow (the starting point);
- `vendor_address()`: the vendor the escrow paid most, of those who cash out without a CoinJoin;
- `confirmed_owners()`: addresses whose owner the exchanges' own records confirm (the yardstick);
- `confirmed_payments()`: outputs the exchanges' ledgers confirm as payments (so never change);
- `error_rates()`: for each choice of heuristics, the measured precision and recall of its clusters on the
  confirmed addresses (the "known error rate"), computed once per seed;
- `change_puzzle()`: a few transactions whose change the learner identifies;
- `fingerprint_example()`: a payment whose change the learner finds by its wallet fingerprint;
- `change_error_rates()`: each change heuristic's precision and recall on the closed DNM-1 case file (`dnm_case_file`);
- `tag_notes()`: the investigation team's own tag notes, with source, confidence and date.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd

from .. import seeding
from ..analysis.change import HEURISTICS as CHANGE_HEURISTICS
from ..analysis.change import NO_CHANGE, candidate_outputs, find_change
from ..analysis.cluster import HeuristicLinks, cluster_addresses
from ..analysis.coinjoin import find_coinjoins
from ..analysis.graph import UtxoGraph, load_graph
from ..analysis.metrics import score_clustering, score_sets

MARKET = "Hollowreed Market"


def _load(table: str, seed: int | None) -> pd.DataFrame:
    from ..data import load

    return load(table, seed=seed)


def graph(seed: int | None = None) -> UtxoGraph:
    """The transaction graph of the world's UTXO chain."""
    return load_graph("classroom", seed)


def escrow_address(seed: int | None = None) -> str:
    """The address a public forum post tags as the Hollowreed Market's escrow."""
    tags = _load("tags", seed)
    return tags[tags["label"] == f"{MARKET} escrow"]["address"].iloc[0]


def vendor_address(seed: int | None = None) -> str:
    """The address the market's escrow paid most, of those whose coins then leave in an ordinary (not CoinJoin) transaction."""
    chain = graph(seed)
    escrow = set(cluster_addresses(chain).members(escrow_address(seed)))
    inputs, outputs = _load("inputs", seed), _load("outputs", seed)
    payouts = inputs[inputs["address"].isin(escrow)]["transaction_hash"]
    paid = outputs[outputs["transaction_hash"].isin(payouts) & ~outputs["address"].isin(escrow)]
    mixed = inputs[inputs["transaction_hash"].isin(find_coinjoins(chain)["transaction_hash"])]["address"]
    totals = paid[~paid["address"].isin(mixed)].groupby("address")["value"].sum()
    return str(totals.sort_values(ascending=False, kind="stable").index[0])


def confirmed_owners(seed: int | None = None) -> pd.DataFrame:
    """Addresses whose owner the exchanges' records confirm: address, owner, evidence.

    - a deposit address belongs to the exchange that assigned it (`deposit_addresses`);
    - the addresses an exchange spent from to pay a withdrawal belong to that exchange (`exchange_ledger` + `inputs`);
    - a withdrawal address is the customer's, named by the KYC record of the account it was paid for (`kyc`).

    These are records, not heuristics, but records too can mislead: a customer may withdraw to someone else.
    """
    deposits = _load("deposit_addresses", seed)
    deposits = deposits[deposits["chain"] == "bitcoin"]
    ledger = _load("exchange_ledger", seed)
    withdrawals = ledger[ledger["direction"] == "withdrawal"]
    inputs = _load("inputs", seed)
    paid_from = inputs[["transaction_hash", "address"]].merge(
        withdrawals[["transaction_hash", "exchange"]].drop_duplicates(), on="transaction_hash"
    )
    kyc = _load("kyc", seed)
    customers = withdrawals.merge(kyc, on=["exchange", "account_id"])
    parts = [
        pd.DataFrame(
            {
                "address": deposits["address"],
                "owner": deposits["exchange"],
                "evidence": "deposit address the exchange assigned to account " + deposits["account_id"],
            }
        ),
        pd.DataFrame(
            {
                "address": paid_from["address"],
                "owner": paid_from["exchange"],
                "evidence": "the exchange spent it to pay withdrawal " + paid_from["transaction_hash"].str[:12] + "…",
            }
        ),
        pd.DataFrame(
            {
                "address": customers["address"],
                "owner": customers["full_name"] + " (born " + customers["date_of_birth"].astype(str) + ")",
                "evidence": "withdrawal paid for account " + customers["account_id"] + " at " + customers["exchange"],
            }
        ),
    ]
    return pd.concat(parts, ignore_index=True).drop_duplicates("address").reset_index(drop=True)


def confirmed_payments(seed: int | None = None) -> pd.DataFrame:
    """Outputs the exchanges' ledgers record as payments (a deposit credited, a withdrawal paid): never change.

    Columns: transaction_hash, index, direction, exchange.
    """
    ledger = _load("exchange_ledger", seed)
    return ledger.rename(columns={"output_index": "index"})[["transaction_hash", "index", "direction", "exchange"]]


SETTINGS = {
    "multi-input, CoinJoins skipped": dict(skip_coinjoins=True),
    "multi-input, CoinJoins not skipped": dict(skip_coinjoins=False),
    **{f"multi-input + change: {heuristic}": dict(change_heuristics=(heuristic,)) for heuristic in CHANGE_HEURISTICS},
}


def error_rates(seed: int | None = None) -> pd.DataFrame:
    """One row per heuristic setting: its largest cluster and its precision and recall on the addresses whose owner
    the exchanges' records confirm (`confirmed_owners`). Computed once per seed and kept: a copy is returned."""
    return _kept_error_rates(seed).copy()


@lru_cache(maxsize=4)
def _kept_error_rates(seed: int | None) -> pd.DataFrame:
    links, reference = HeuristicLinks.of(graph(seed)), confirmed_owners(seed)
    rows = []
    for setting, options in SETTINGS.items():
        clustering = links.clustering(**options)
        score = score_clustering(clustering, reference)
        rows.append(
            {
                "heuristics": setting,
                "largest_cluster": int(clustering.sizes.max()),
                "pairs_joined": score.flagged,
                "pairs_right": score.true_positives,
                "pairs_same_owner": score.actual,
                "precision": round(score.precision, 4),
                "recall": round(score.recall, 4),
            }
        )
    return pd.DataFrame(rows)


def change_puzzle(seed: int | None = None, count: int = 4) -> list[str]:
    """A few two-output payments, drawn at random, in which the address-type and round-amount heuristics name
    the same output as change and the fresh-address heuristic names the other one."""
    chain = graph(seed)
    agreed = find_change(chain, ["address_type", "round_amount"], agree=2)
    fresh = find_change(chain, "fresh_address")
    both = agreed.merge(fresh, on="transaction_hash", suffixes=("", "_fresh"))
    both = both[both["index"] != both["index_fresh"]]
    two_outputs = chain.tx_output_count[chain.tx_ids(both["transaction_hash"])] == 2
    candidates = both[two_outputs]["transaction_hash"].sort_values().to_numpy()
    rng = seeding.rng("m06.change_puzzle", seed)
    return sorted(rng.choice(candidates, count, replace=False).tolist())


def fingerprint_example(seed: int | None = None) -> str:
    """A payment with three or more outputs to different addresses, all spent later, whose change is not the last
    output, and whose change the wallet-fingerprint and round-amount heuristics both name (drawn at random)."""
    chain = graph(seed)
    named = candidate_outputs(chain, "wallet_fingerprint")
    txs = np.flatnonzero((named != NO_CHANGE) & (named == candidate_outputs(chain, "round_amount")))
    unspent = np.bincount(chain.out_tx[chain.out_spender < 0], minlength=chain.transactions)
    txs = txs[(chain.tx_output_count[txs] >= 3) & (unspent[txs] == 0) & (named[txs] != chain.tx_outputs[txs + 1] - 1)]
    payees = pd.DataFrame({"tx": chain.out_tx, "address": chain.out_address}).drop_duplicates()
    txs = txs[np.bincount(payees["tx"], minlength=chain.transactions)[txs] == chain.tx_output_count[txs]]
    candidates = np.sort(chain.tx_hash[txs].astype(str))
    return str(candidates[int(seeding.rng("m06.fingerprint_example", seed).integers(len(candidates)))])


def change_error_rates(seed: int | None = None) -> pd.DataFrame:
    """Each change heuristic on the closed DNM-1 case's transactions (`dnm_case_file`): how many change outputs it
    names there, how many of them the case file confirms as change, its precision and its recall."""
    case_file = _load("dnm_case_file", seed)
    truth = set(
        zip(case_file.loc[case_file["change"], "transaction_hash"], case_file.loc[case_file["change"], "index"])
    )
    rows = []
    for heuristic in CHANGE_HEURISTICS:
        found = find_change(graph(seed), heuristic)
        found = found[found["transaction_hash"].isin(case_file["transaction_hash"])]
        score = score_sets(zip(found["transaction_hash"], found["index"]), truth)
        rows.append(
            {
                "heuristic": heuristic,
                "named": score.flagged,
                "right": score.true_positives,
                "precision": round(score.precision, 4),
                "recall": round(score.recall, 4),
            }
        )
    return pd.DataFrame(rows)


def tag_notes(seed: int | None = None) -> pd.DataFrame:
    """The team's own tag notes (invented): address, label, source, confidence, noted_on.

    For one exchange deposit address of the chain, a block explorer labels the exchange (high confidence); weeks later a user on a forum claimed the same address for another exchange (low).
    """
    rng = seeding.rng("m06.tag_notes", seed)
    deposits = _load("deposit_addresses", seed)
    deposits = deposits[deposits["chain"] == "bitcoin"]
    chain = graph(seed)
    clusters = cluster_addresses(chain)
    on_chain = deposits[chain.address_index.get_indexer(deposits["address"]) >= 0]
    sizes = clusters.sizes[clusters.labels[chain.address_ids(on_chain["address"])]]
    untagged = ~on_chain["address"].isin(_load("tags", seed)["address"]).to_numpy()
    pool = on_chain[(sizes >= 5) & untagged].sort_values("address")
    pick = pool.iloc[int(rng.integers(len(pool)))]
    others = sorted(set(deposits["exchange"]) - {pick["exchange"]})
    wrong = others[int(rng.integers(len(others)))]
    noted = pd.Timestamp("2024-09-02", tz="UTC") + pd.Timedelta(days=int(rng.integers(0, 20)))
    return pd.DataFrame(
        [
            {
                "address": pick["address"],
                "label": pick["exchange"],
                "source": "explorer label",
                "confidence": "high",
                "noted_on": noted,
            },
            {
                "address": pick["address"],
                "label": wrong,
                "source": "user-submitted (forum)",
                "confidence": "low",
                "noted_on": noted + pd.Timedelta(days=int(rng.integers(20, 60))),
            },
        ]
    )
