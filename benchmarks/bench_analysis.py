"""Benchmark the investigation toolkit against networkx on the `large` world, and the widgets on `classroom`.

Run: .venv/bin/python benchmarks/bench_analysis.py  (prints a markdown table, writes benchmarks/results/analysis.md);
with --widgets, only the widget rows (writes benchmarks/results/widgets.md).
Needs the large world: `chainlab datasets build --profile large` (built on first use otherwise, ~30 s).

Each computation runs twice in the same process, once with chainlab.analysis (numpy/scipy) and once written
the usual networkx way from the same prepared arrays, and the two results are checked to be identical.
Targets: clustering at least 20 times faster than networkx and under 2 s; every widget interaction under 100 ms.
"""

from __future__ import annotations

import platform
import sys
import time
from pathlib import Path

import networkx as nx
import numpy as np

from chainlab.analysis.cluster import components, multi_input_links
from chainlab.analysis.coinjoin import coinjoin_mask
from chainlab.analysis.graph import NOT_SPENT, load_graph
from chainlab.analysis.taint import _haircut
from chainlab.analysis.trace import reach
from chainlab.world.build import build

RESULTS = Path(__file__).resolve().parent / "results" / "analysis.md"
WIDGET_RESULTS = RESULTS.with_name("widgets.md")
TRACE_HOPS = 10


def timed(function, *args):
    started = time.perf_counter()
    result = function(*args)
    return result, time.perf_counter() - started


def same_partition(labels: np.ndarray, groups) -> bool:
    """True when networkx's components are exactly the clusters in `labels`."""
    other = np.empty(labels.size, np.int64)
    for number, members in enumerate(groups):
        other[list(members)] = number
    pairs = np.unique(labels.astype(np.int64) * (other.max() + 1) + other).size
    return pairs == np.unique(labels).size == np.unique(other).size


def networkx_clusters(address_count: int, a: np.ndarray, b: np.ndarray):
    graph = nx.Graph()
    graph.add_nodes_from(range(address_count))
    graph.add_edges_from(zip(a.tolist(), b.tolist()))
    return list(nx.connected_components(graph))


def transaction_digraph(graph) -> nx.DiGraph:
    """Transactions as nodes, an edge per spent output from its creator to its spender, weighted by its share of the spender's inputs."""
    spent = np.flatnonzero(graph.out_spender != NOT_SPENT)
    creator, spender = graph.out_tx[spent], graph.out_spender[spent]
    weight = graph.out_value[spent] / graph.tx_input_value[spender]
    digraph = nx.DiGraph()
    digraph.add_nodes_from(range(graph.transactions))
    for u, v, w in zip(creator.tolist(), spender.tolist(), weight.tolist()):
        if digraph.has_edge(u, v):
            digraph[u][v]["weight"] += w
        else:
            digraph.add_edge(u, v, weight=w)
    return digraph


def networkx_haircut(digraph: nx.DiGraph, seed_share: dict[int, float]) -> np.ndarray:
    """Haircut taint share per transaction: the value-weighted mean of its inputs' shares, in topological order."""
    share = np.zeros(digraph.number_of_nodes())
    for tx in nx.topological_sort(digraph):
        share[tx] = seed_share.get(tx, 0.0) + sum(share[p] * d["weight"] for p, d in digraph.pred[tx].items())
    return share


def bench_large() -> list[dict]:
    build("large")  # the world itself, if missing (bench_world.py times that): not part of the row below
    graph, build_seconds = timed(load_graph, "large")
    rows = [
        dict(
            task=f"read the tables and build the transaction graph ({graph.transactions:,} transactions)",
            ours=build_seconds,
        )
    ]

    skip = coinjoin_mask(graph)
    a, b, _ = multi_input_links(graph, skip)
    labels, ours = timed(components, graph.address.size, a, b)
    groups, theirs = timed(networkx_clusters, graph.address.size, a, b)
    rows.append(
        dict(
            task=f"multi-input clustering ({graph.address.size:,} addresses, {a.size:,} links)",
            ours=ours,
            networkx=theirs,
            same=same_partition(labels, groups),
            target="≥ 20× and < 2 s",
        )
    )
    del groups

    digraph, nx_build = timed(transaction_digraph, graph)
    rows.append(dict(task="build the networkx transaction DiGraph (for the two rows below)", networkx=nx_build))
    start = int(np.argmax(np.where(graph.tx_block < 200, graph.tx_output_count, 0)))  # a busy early transaction
    found, ours = timed(reach, graph, np.array([start]), np.array([-1]), "forward", TRACE_HOPS)
    layers, theirs = timed(nx.single_source_shortest_path_length, digraph, start, TRACE_HOPS - 1)
    same = set(layers) == set(np.flatnonzero(found.hop > 0).tolist()) and all(
        found.hop[t] == h + 1 for t, h in layers.items()
    )
    rows.append(
        dict(
            task=f"{TRACE_HOPS}-hop forward trace ({len(layers):,} transactions reached)",
            ours=ours,
            networkx=theirs,
            same=same,
        )
    )

    seed_tx = int(np.argmax(np.where(graph.tx_block < 50, graph.tx_output_count, 0)))
    sources = np.arange(graph.tx_outputs[seed_tx], graph.tx_outputs[seed_tx + 1])
    # The solver behind taint(model="haircut"), without the per-row paths that the notebooks want but a benchmark does not.
    tainted, ours = timed(_haircut, graph, sources, np.ones(graph.transactions, bool))
    seed_share = {}
    for output in sources[graph.out_spender[sources] != NOT_SPENT].tolist():
        spender = int(graph.out_spender[output])
        seed_share[spender] = seed_share.get(spender, 0.0) + graph.out_value[output] / graph.tx_input_value[spender]
    share, theirs = timed(networkx_haircut, digraph, seed_share)
    expected = np.rint(graph.out_value * np.clip(share[graph.out_tx], 0, 1)).astype(np.int64)
    expected[sources] = graph.out_value[sources]
    rows.append(
        dict(
            task=f"haircut taint over the whole chain ({(tainted > 0).sum():,} outputs tainted)",
            ours=ours,
            networkx=theirs,
            same=bool(np.abs(tainted - expected).max() <= 1),
        )
    )
    return rows


def widget_interactions():
    """(name, function) pairs: each function makes one learner interaction on a classroom widget (its callback runs inside)."""
    import itertools

    import chainlab as cl
    from chainlab import widgets
    from chainlab.analysis.account import asset_movements
    from chainlab.analysis.cluster import cluster_addresses
    from chainlab.data import load_answer_key

    graph, tags = load_graph("classroom"), cl.load("tags")
    exchanges = tags[tags["category"] == "exchange"].set_index("address")["label"]
    flows, cases = load_answer_key("flows"), None
    cases = {case: rows["transaction_hash"].tolist() for case, rows in flows.groupby("case_id")}
    ransom = flows.loc[flows["step"] == "ransom_payment", "transaction_hash"].iloc[0]
    start = graph.address[graph.out_address[graph.tx_outputs[graph.tx_ids([ransom])[0]]]]
    contracts = cl.load("contracts")
    movements = asset_movements(
        cl.load("eth_transactions"), cl.load("token_transfers"), cl.load("eth_traces"), cl.load("tokens")
    )
    thief = (
        cl.load("eth_transactions")
        .set_index("hash")
        .loc[load_answer_key("eth_flows").query("step == 'exploit'")["transaction_hash"].iloc[0], "from_address"]
    )

    tuner = widgets.rule_tuner(
        cl.load("exchange_ledger"), set(load_answer_key("aml_labels").query("suspicious")["account_id"])
    )
    tracer = widgets.trace_explorer(graph, start, exchanges)
    clusters = widgets.cluster_explorer(cluster_addresses(graph), tags, exchanges.index[0])
    tokens = widgets.token_flow_explorer(
        movements,
        thief,
        set(contracts.query("kind == 'dex_pool'")["address"]),
        dict(contracts.query("kind in ('mixer', 'bridge')")[["address", "name"]].values),
    )
    typologies = widgets.typology_fingerprints(graph, cases)
    request = widgets.request_builder(sorted(cl.load("exchanges")["exchange"]))

    def cycling(control, values):
        values = itertools.cycle(values)
        return lambda: setattr(control, "value", next(values))

    hops, model, draw = tracer.children[1].children
    from chainlab.cases import m05

    case_tracer = widgets.trace_explorer(graph, m05.complaint()["reported_address"], m05.exchange_names(), max_hops=15)
    case_hops, case_model, case_draw = case_tracer.children[1].children
    case_hops.value = 15  # module 05 traces its case 15 hops deep, stopping at the exchanges
    from chainlab.cases import m06

    heuristics = widgets.heuristics_explorer(m06.graph(), tags, m06.confirmed_owners(), m06.escrow_address())
    skip_coinjoins, fresh_address = heuristics.children[0].children[1], heuristics.children[1].children[2]

    return [
        ("rule tuner: move the structuring window", cycling(tuner.children[3], [48, 72])),
        ("trace explorer: change the hop limit", cycling(hops, [4, 3])),
        ("trace explorer: change the taint model", cycling(model, ["fifo", "poison", "haircut"])),
        ("trace explorer: draw / hide the flow graph", cycling(draw, [True, False])),
        ("05's trace explorer (its case, 15 hops): change the hop limit", cycling(case_hops, [14, 15])),
        (
            "05's trace explorer (its case, 15 hops): change the taint model",
            cycling(case_model, ["fifo", "poison", "haircut"]),
        ),
        ("05's trace explorer (its case, 15 hops): draw / hide the flow graph", cycling(case_draw, [True, False])),
        (
            "cluster explorer: look up another address",
            cycling(clusters.children[0], [exchanges.index[1], exchanges.index[0]]),
        ),
        (
            "cluster explorer: ask why a member is in the cluster",
            cycling(clusters.children[1], [clusters.children[1].options[-1], ""]),
        ),
        ("06's heuristics explorer: tick / untick a change heuristic", cycling(fresh_address, [True, False])),
        ("06's heuristics explorer: untick / tick skip CoinJoins", cycling(skip_coinjoins, [False, True])),
        ("token-flow explorer: change the hop limit", cycling(tokens.children[1].children[0], [4, 3])),
        ("typology fingerprints: add / remove a typology", cycling(typologies.children[0].children[2], [True, False])),
        ("typology fingerprints: draw / hide the chart", cycling(typologies.children[1], [True, False])),
        ("request builder: type a case reference", cycling(request.children[3], ["RW-2024-17", "RW-2024-18"])),
    ]


def bench_widgets() -> list[dict]:
    """Each widget interaction on classroom data: the slowest of five runs (after one warm-up run)."""
    rows = []
    for name, interaction in widget_interactions():
        interaction()
        slowest = max(timed(interaction)[1] for _ in range(5))
        rows.append(dict(task=f"widget: {name}", ours=slowest, target="< 0.1 s"))
    return rows


def main() -> None:
    only_widgets = "--widgets" in sys.argv[1:]
    rows = bench_widgets() if only_widgets else bench_large() + bench_widgets()
    lines = [
        f"Analysis benchmark ({platform.machine()}, Python {platform.python_version()}, networkx {nx.__version__}, {time.strftime('%Y-%m-%d')})",
        "",
        "| task | chainlab (s) | networkx (s) | networkx / chainlab | same result | target |",
        "|---|---:|---:|---:|:---:|---|",
    ]
    for r in rows:
        ours, theirs = r.get("ours"), r.get("networkx")
        ratio = f"{theirs / ours:,.0f}×" if ours and theirs else ""
        same = {True: "yes", False: "**NO**"}.get(r.get("same"), "")
        lines.append(
            f"| {r['task']} | {'' if ours is None else f'{ours:.3f}'} | {'' if theirs is None else f'{theirs:.3f}'} | {ratio} | {same} | {r.get('target', '')} |"
        )
    text = "\n".join(lines) + "\n"
    results = WIDGET_RESULTS if only_widgets else RESULTS
    results.parent.mkdir(parents=True, exist_ok=True)
    results.write_text(text)
    print(text)
    if any(r.get("same") is False for r in rows):
        sys.exit("chainlab and networkx disagree: see the table above")


if __name__ == "__main__":
    main()
