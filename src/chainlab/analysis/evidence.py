"""The evidence trail (modules 05, 06, 10): every finding with the transaction, method and source behind it.

Each function returns rows in one shape (EVIDENCE_COLUMNS), so findings from clustering, attribution,
tracing and exposure stack into a single table an investigator can attach to a report (`evidence_report`).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .cluster import Clustering
from .errors import AnalysisInputError
from .graph import UtxoGraph

EVIDENCE_COLUMNS = ["finding", "subject", "transaction_hash", "method", "detail", "source", "confidence"]


def membership_evidence(clustering: Clustering, address: str, anchor: str) -> pd.DataFrame:
    """Why `address` is in the same cluster as `anchor`: one row per link on the chain between them."""
    steps = clustering.explain(anchor, address)
    if steps.empty and address != anchor:
        raise AnalysisInputError(f"{address} and {anchor} are in different clusters, so there is no link to explain.")
    return pd.DataFrame(
        {
            "finding": f"same owner as {anchor}",
            "subject": address,
            "transaction_hash": steps["transaction_hash"],
            "method": steps["heuristic"],
            "detail": "transaction spends coins of " + steps["address_a"] + " and " + steps["address_b"] + " together"
            if not steps.empty
            else [],
            "source": "on-chain",
            "confidence": "heuristic",
        },
        columns=EVIDENCE_COLUMNS,
    )


def attribution(clustering: Clustering, tags: pd.DataFrame, address: str) -> pd.DataFrame:
    """Who `address` belongs to, from the tags found anywhere in its cluster, each with how the cluster links them.

    A tag on the address itself is one row; a tag on another member adds the membership chain behind it.
    Conflicting tags all appear: weighing their sources and confidence is the investigator's call.
    """
    members = set(clustering.members(address))
    found = tags[tags["address"].isin(members)]
    rows = []
    for tag in found.itertuples():
        rows.append(
            pd.DataFrame(
                [
                    {
                        "finding": f"attributed to {tag.label} ({tag.category})",
                        "subject": address,
                        "transaction_hash": "",
                        "method": "tag" if tag.address == address else f"tag on cluster member {tag.address}",
                        "detail": f"tag says {tag.address} is {tag.label}",
                        "source": tag.source,
                        "confidence": tag.confidence,
                    }
                ]
            )
        )
        if tag.address != address:
            rows.append(membership_evidence(clustering, address, tag.address))
    return pd.concat(rows, ignore_index=True) if rows else pd.DataFrame(columns=EVIDENCE_COLUMNS)


def trace_evidence(graph: UtxoGraph, trace_row: pd.Series, start: str) -> pd.DataFrame:
    """The path behind one row of `trace` (or `exposure`): each transaction from `start` to the coin, in order."""
    rows = []
    for step, tx_hash in enumerate(trace_row["path"], 1):
        tx = int(graph.tx_ids([tx_hash])[0])
        when = pd.Timestamp(int(graph.tx_time[tx]), unit="s", tz="UTC")
        rows.append(
            {
                "finding": f"funds from {start} reach {trace_row['address']}",
                "subject": trace_row["address"],
                "transaction_hash": tx_hash,
                "method": f"trace hop {step}",
                "detail": f"{when:%Y-%m-%d %H:%M} UTC: {graph.tx_input_count[tx]} input(s), {graph.tx_output_count[tx]} output(s)"
                + (f"; final coin {int(trace_row['value']):,} satoshi" if step == len(trace_row["path"]) else ""),
                "source": "on-chain",
                "confidence": "fact",
            }
        )
    return pd.DataFrame(rows, columns=EVIDENCE_COLUMNS)


def evidence_report(*parts: pd.DataFrame, path: str | Path | None = None) -> pd.DataFrame:
    """Stack evidence tables into one numbered table (and write it as CSV to `path`, if given)."""
    for part in parts:
        if list(part.columns) != EVIDENCE_COLUMNS:
            raise AnalysisInputError(
                f"every part must have the evidence columns {EVIDENCE_COLUMNS}; got {list(part.columns)}."
            )
    report = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=EVIDENCE_COLUMNS)
    report.insert(0, "item", range(1, len(report) + 1))
    if path is not None:
        report.to_csv(path, index=False)
    return report
