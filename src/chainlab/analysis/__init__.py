"""The investigation toolkit of modules 04-10: graph, tracing, taint, clustering, heuristics, exposure, evidence.

The functions a notebook needs are available here directly, e.g. `cl.analysis.trace(graph, addresses=[...])`;
each lives in the module named after its purpose (graph, trace, taint, cluster, change, coinjoin, peel,
exposure, evidence, monitoring, account, tokens, valuation, metrics).
"""

from .account import asset_movements, find_swaps, follow_funds, link_mixer, match_bridge
from .change import change_links, find_change, spending_fingerprints, wallet_fingerprints
from .cluster import Clustering, cluster_addresses, cluster_with_heuristics
from .coinjoin import find_coinjoins
from .errors import AnalysisInputError
from .evidence import attribution, evidence_report, membership_evidence, trace_evidence
from .exposure import exposure, exposure_summary, one_transaction_away, risk_list
from .graph import UtxoGraph, build_graph, load_graph, tables_from_spec
from .metrics import score_clustering, score_pairs, score_sets
from .monitoring import rapid_in_out_alerts, structuring_alerts
from .peel import chain_end, find_peel_chains
from .taint import compare_models, taint, taint_transaction
from .tokens import public_labels, token_balance, token_holdings
from .trace import amounts_reaching, reached_addresses, trace
from .valuation import value_in_usd

__all__ = [
    "AnalysisInputError",
    "Clustering",
    "UtxoGraph",
    "amounts_reaching",
    "asset_movements",
    "attribution",
    "build_graph",
    "chain_end",
    "change_links",
    "cluster_addresses",
    "cluster_with_heuristics",
    "compare_models",
    "evidence_report",
    "exposure",
    "exposure_summary",
    "find_change",
    "find_coinjoins",
    "find_peel_chains",
    "find_swaps",
    "follow_funds",
    "link_mixer",
    "load_graph",
    "match_bridge",
    "membership_evidence",
    "one_transaction_away",
    "public_labels",
    "rapid_in_out_alerts",
    "reached_addresses",
    "risk_list",
    "score_clustering",
    "score_pairs",
    "score_sets",
    "spending_fingerprints",
    "structuring_alerts",
    "tables_from_spec",
    "taint",
    "taint_transaction",
    "token_balance",
    "token_holdings",
    "trace",
    "trace_evidence",
    "value_in_usd",
    "wallet_fingerprints",
]
