"""The cases of 08_crime_typologies: where each typology's investigation starts, and the transactions of each case.

Everything here reads learner tables only (`chainlab.load`), never the answer keys:

- `fraud_complaint()`: the first investment-fraud complaint (the scam's start);
- `tagged_address(label)`, `tagged_addresses(label)`: the addresses public tags give that label (the campaign,
  the market, the site's users);
- `listed_addresses()`: the sanctions list's addresses of one listed entity;
- `funding_exchange(transactions)`: for each transaction, the exchange that paid the coins it spends;
- `typology_transactions(graph)`: each case's transactions, found from its start, for the fingerprints widget.
"""

from __future__ import annotations

import pandas as pd

from ..analysis.cluster import Clustering, cluster_addresses
from ..analysis.graph import UtxoGraph, load_graph
from ..data import load
from . import m05

CAMPAIGN = "Free Varnland Brigade donations"
MARKET = "Hollowreed Market escrow"
SITE = "Exploitation website user address (seized server)"
RANSOMWARE = "Black Lantern ransomware"
SANCTIONED = "Ironvale Trading Ltd"


def graph(seed: int | None = None) -> UtxoGraph:
    """The transaction graph of the world's UTXO chain."""
    return load_graph("classroom", seed)


def exchange_names(seed: int | None = None) -> pd.Series:
    """Every address the public tags call an exchange's, with the exchange's name (module 05's table)."""
    return m05.exchange_names(seed=seed)


def fraud_complaint(seed: int | None = None) -> pd.Series:
    """The first investment-fraud complaint filed (one row of `complaints`)."""
    reports = load("complaints", seed=seed)
    fraud = reports[reports["typology"] == "investment_fraud"].sort_values(["filed_at", "complaint_id"])
    if fraud.empty:
        raise LookupError(
            "this world has no investment-fraud complaint; module 08 needs the world's fraud case (PB-1)."
        )
    return fraud.iloc[0]


def tagged_addresses(label: str, seed: int | None = None) -> list[str]:
    """Every UTXO-chain address a public tag gives exactly this label."""
    tags = load("tags", seed=seed)
    found = tags[(tags["label"] == label) & (tags["chain"] == "bitcoin")]
    if found.empty:
        raise LookupError(f"no public tag is labelled {label!r}; the labels are in cl.load('tags')['label'].")
    return list(pd.unique(found["address"]))


def tagged_address(label: str, seed: int | None = None) -> str:
    """The first UTXO-chain address a public tag gives exactly this label."""
    return tagged_addresses(label, seed)[0]


def listed_addresses(name: str = SANCTIONED, seed: int | None = None) -> list[str]:
    """The addresses the sanctions list gives for `name`, still listed (not delisted)."""
    sanctions = load("sanctions", seed=seed)
    listed = sanctions[(sanctions["name"] == name) & sanctions["delisted_at"].isna()]
    if listed.empty:
        raise LookupError(
            f"nobody called {name!r} is on the sanctions list; the names are in cl.load('sanctions')['name']."
        )
    return list(listed["address"])


def listing_time(name: str = SANCTIONED, seed: int | None = None) -> pd.Timestamp:
    """When the sanctions list first named `name`: what it moves from then on is evasion."""
    sanctions = load("sanctions", seed=seed)
    listed = sanctions.loc[sanctions["name"] == name, "listed_at"]
    if listed.empty:
        raise LookupError(
            f"nobody called {name!r} is on the sanctions list; the names are in cl.load('sanctions')['name']."
        )
    return listed.min()


def funding_exchange(transactions, seed: int | None = None) -> pd.Series:
    """For each transaction hash: the exchange whose tagged addresses paid the coins it spends, one transaction back.

    The payer's coins came from an earlier transaction; if an exchange's tagged address paid into that one
    (a withdrawal), its name is given; otherwise the value is missing (NaN). Index: the transaction hashes given.
    """
    wanted = pd.Index(pd.unique(pd.Series(list([transactions] if isinstance(transactions, str) else transactions))))
    inputs = load("inputs", seed=seed)
    spent = inputs[inputs["transaction_hash"].isin(wanted)][["transaction_hash", "spent_transaction_hash"]]
    paid_from = inputs[inputs["transaction_hash"].isin(spent["spent_transaction_hash"])][
        ["transaction_hash", "address"]
    ]
    paid_from = paid_from.assign(exchange=paid_from["address"].map(exchange_names(seed))).dropna(subset=["exchange"])
    by_funding = paid_from.drop_duplicates("transaction_hash").set_index("transaction_hash")["exchange"]
    named = spent.assign(exchange=spent["spent_transaction_hash"].map(by_funding)).dropna(subset=["exchange"])
    return named.drop_duplicates("transaction_hash").set_index("transaction_hash")["exchange"].reindex(wanted)


def typology_transactions(
    chain: UtxoGraph, clusters: Clustering | None = None, seed: int | None = None
) -> dict[str, list[str]]:
    """Each case's transactions, found from its public start: every transaction paying or spending its cluster.

    Ransomware: the tagged ransom address's cluster; darknet market: the escrow's cluster; investment fraud: the
    complaint's platform address's cluster; terrorism financing: the tagged donation address; sanctions evasion:
    the listed addresses and the two transactions after them; exploitation site: the users' addresses from the seized server.
    """
    clusters = clusters or cluster_addresses(chain)
    inputs, outputs = load("inputs", seed=seed), load("outputs", seed=seed)

    def touching(addresses) -> list[str]:
        addresses = set(addresses)
        hashes = set(inputs.loc[inputs["address"].isin(addresses), "transaction_hash"])
        return sorted(hashes | set(outputs.loc[outputs["address"].isin(addresses), "transaction_hash"]))

    from ..analysis.trace import trace

    listed = listed_addresses(seed=seed)
    moved = trace(chain, addresses=listed, direction="forward", hops=2)
    return {
        "ransomware": touching(clusters.members(tagged_address(RANSOMWARE, seed))),
        "darknet market": touching(clusters.members(tagged_address(MARKET, seed))),
        "investment fraud": touching(clusters.members(fraud_complaint(seed)["reported_address"])),
        "terrorism financing": touching([tagged_address(CAMPAIGN, seed)]),
        "sanctions evasion": sorted(set(touching(listed)) | set(moved["transaction_hash"])),
        "exploitation site": touching(tagged_addresses(SITE, seed)),
    }
