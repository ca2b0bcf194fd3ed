"""Exposure: how much value reached an address from tagged or sanctioned addresses, directly or through others (modules 03, 04).

Direct exposure is one hop (the risky address paid the address in one transaction); indirect exposure
is two or more hops. `risk_list` gathers the risky addresses from the public tags and the sanctions list,
keeping each claim's source and confidence so that every exposure can say where its label came from.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .errors import AnalysisInputError
from .graph import NOT_SPENT, UtxoGraph
from .trace import MAX_HOPS, reach, trace_table

RISKY_CATEGORIES = ("darknet_market", "mixer", "ransomware", "terrorism_financing", "scam", "sanctioned")
RISK_COLUMNS = ["address", "category", "label", "source", "confidence"]


def risk_list(
    tags: pd.DataFrame | None = None,
    sanctions: pd.DataFrame | None = None,
    categories=RISKY_CATEGORIES,
    at: pd.Timestamp | str | None = None,
) -> pd.DataFrame:
    """Risky addresses from tags (only the given categories) and from the sanctions list (listed at time `at`, default: ever listed and not delisted)."""
    parts = []
    if tags is not None:
        chosen = tags[tags["category"].isin(list(categories))]
        parts.append(chosen[RISK_COLUMNS])
    if sanctions is not None:
        listed = sanctions
        if at is not None:
            when = pd.Timestamp(at, tz="UTC") if pd.Timestamp(at).tzinfo is None else pd.Timestamp(at)
            listed = listed[
                (listed["listed_at"] <= when) & (listed["delisted_at"].isna() | (listed["delisted_at"] > when))
            ]
        else:
            listed = listed[listed["delisted_at"].isna()]
        parts.append(
            pd.DataFrame(
                {
                    "address": listed["address"],
                    "category": "sanctioned",
                    "label": listed["name"] + " (" + listed["entry_id"] + ")",
                    "source": "sanctions list " + listed["program"],
                    "confidence": "high",
                }
            )
        )
    if not parts:
        raise AnalysisInputError("give tags=cl.load('tags') and/or sanctions=cl.load('sanctions').")
    return pd.concat(parts, ignore_index=True).drop_duplicates("address")


def exposure(
    graph: UtxoGraph, risky: pd.DataFrame, addresses=None, hops: int = 2, direction: str = "incoming"
) -> pd.DataFrame:
    """Every coin linking a risky address to `addresses` (all addresses if None) within `hops` hops.

    incoming: funds that came from a risky address (risky -> ... -> address); outgoing: funds that went to
    one (address -> ... -> risky). Columns: address, risky_address, category, label, source, confidence,
    hop, exposure (direct/indirect), transaction_hash, value, path.
    """
    if direction not in ("incoming", "outgoing"):
        raise AnalysisInputError(f"direction must be 'incoming' or 'outgoing', not {direction!r}.")
    if isinstance(hops, bool) or not isinstance(hops, (int, np.integer)) or not 1 <= hops <= MAX_HOPS:
        raise AnalysisInputError(f"hops must be a whole number from 1 to {MAX_HOPS}, not {hops!r}.")
    known = risky[graph.address_index.get_indexer(risky["address"]) >= 0]
    sources = graph.outputs_of_addresses(graph.address_ids(known["address"])) if len(known) else np.array([], np.int64)
    if direction == "incoming":
        sources = sources[graph.out_spender[sources] != NOT_SPENT]
        found = reach(graph, graph.out_spender[sources], sources, "forward", hops)
    else:
        found = reach(graph, graph.out_tx[sources], sources, "backward", hops)
    table = trace_table(graph, found, "forward" if direction == "incoming" else "backward")
    root = _roots(found)
    origin = graph.address[graph.out_address[found.via_output[root]]]
    table["risky_address"] = origin[graph.tx_index.get_indexer(table["transaction_hash"])] if len(table) else []
    if addresses is not None:
        table = table[table["address"].isin(list([addresses] if isinstance(addresses, str) else addresses))]
    table = table[table["address"] != table["risky_address"]]
    table = table.merge(known.rename(columns={"address": "risky_address"}), on="risky_address", how="left")
    table["exposure"] = np.where(table["hop"] == 1, "direct", "indirect")
    return table[
        [
            "address",
            "risky_address",
            "category",
            "label",
            "source",
            "confidence",
            "hop",
            "exposure",
            "transaction_hash",
            "value",
            "path",
        ]
    ].reset_index(drop=True)


def one_transaction_away(addresses: set[str], inputs: pd.DataFrame, outputs: pd.DataFrame) -> set[str]:
    """Addresses (outside `addresses`) that received from, or sent to, one of `addresses` in a single transaction."""
    spent_from = inputs[inputs["address"].isin(addresses)]["transaction_hash"]
    paid_to = outputs[outputs["address"].isin(addresses)]["transaction_hash"]
    near = set(outputs[outputs["transaction_hash"].isin(spent_from)]["address"]) | set(
        inputs[inputs["transaction_hash"].isin(paid_to)]["address"]
    )
    return near - set(addresses)


def exposure_summary(table: pd.DataFrame) -> pd.DataFrame:
    """Total exposure per address and category, direct and indirect side by side (satoshi)."""
    summary = table.pivot_table(
        index=["address", "category"], columns="exposure", values="value", aggfunc="sum", fill_value=0
    )
    return summary.reindex(columns=["direct", "indirect"], fill_value=0).reset_index().rename_axis(columns=None)


def _roots(found) -> np.ndarray:
    """Per transaction id: the hop-1 transaction its trace started from."""
    root = np.arange(found.hop.size)
    reached = found.reached
    for step in range(2, int(found.hop.max(initial=0)) + 1):
        at_step = reached[found.hop[reached] == step]
        root[at_step] = root[found.parent[at_step]]
    return root
