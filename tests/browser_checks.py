"""The browser tests' shared parts: one check per module's widget, and the test that runs a module and works it.

Two test files (test_browser.py and test_browser_modules.py) open half of the modules each, so that two test
workers can share the work; each file gets its own JupyterLab server (`lab_server` and `lab` in conftest.py).
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Locator, expect

import chainlab
from chainlab.analysis import cluster_with_heuristics, score_clustering
from chainlab.analysis.account import asset_movements, follow_funds
from chainlab.analysis.graph import build_graph
from chainlab.analysis.taint import taint
from chainlab.analysis.trace import trace
from chainlab.cases import m00, m04, m05, m06, m07, m08
from chainlab.chain import seed_phrases
from chainlab.chain.units import SATOSHI_PER_BTC
from chainlab.rules import legal
from chainlab.widgets.rule_tuner import rule_scores

from .browser_helpers import ARTIFACTS, CURRENT_NOTEBOOK, Lab
from .desk_requests import complete_request

expect.set_options(timeout=30_000)  # a shared 2-core machine: widgets can take seconds to render


def drag_slider(slider: Locator, fraction: float) -> None:
    """Drag a slider's handle with the mouse to `fraction` (0 to 1) of its track."""
    page = slider.page
    handle = slider.locator(".noUi-handle").first
    handle.scroll_into_view_if_needed()
    start, track = handle.bounding_box(), slider.locator(".noUi-base").bounding_box()
    y = start["y"] + start["height"] / 2
    page.mouse.move(start["x"] + start["width"] / 2, y)
    page.mouse.down()
    page.mouse.move(track["x"] + track["width"] * fraction, y, steps=5)
    page.mouse.up()


def check_filter_panel(notebook: Locator, notebook_dir: Path) -> None:
    """00: dragging the amount slider updates the pandas code and the row count, and the count is right."""
    panel = notebook.locator(".widget-vbox", has=notebook.page.locator(".widget-slider", has_text="min amount_btc"))
    count = panel.locator(".widget-html-content", has_text="rows match")
    with contextlib.chdir(notebook_dir):  # the kernel's folder decides the cohort seed: this is the table it shows
        transfers = m00.transfers()
    total = len(transfers)
    expect(count, "before any move the filter panel keeps every row").to_have_text(f"{total} of {total} rows match.")

    slider = panel.locator(".widget-slider", has_text="min amount_btc")
    drag_slider(slider, 0.3)
    chosen = float(slider.locator(".widget-readout").inner_text())
    kept = int((transfers["amount_btc"] >= chosen).sum())
    assert chosen > 0 and kept < total, f"dragging the slider to 30% chose {chosen} BTC, which filters out nothing"
    expect(panel.locator("pre"), "the shown pandas code follows the slider").to_contain_text(
        f'transfers["amount_btc"] >= {chosen:g})'
    )
    expect(count, "the row count follows the slider").to_have_text(f"{kept} of {total} rows match.")


def check_hash_avalanche(notebook: Locator, notebook_dir: Path) -> None:
    """01: typing a new second text shows both SHA-256 hashes and how many digits and bits differ."""
    avalanche = notebook.locator(".widget-vbox", has=notebook.page.locator(".widget-text", has_text="second text"))
    first = avalanche.locator(".widget-text", has_text="first text").locator("input").input_value()
    second = "Send 9 BTC to Mallory"
    avalanche.locator(".widget-text", has_text="second text").locator("input").fill(second)
    hash_a, hash_b = (hashlib.sha256(text.encode("utf-8")).hexdigest() for text in (first, second))
    digits = sum(a != b for a, b in zip(hash_a, hash_b))
    bits = bin(int(hash_a, 16) ^ int(hash_b, 16)).count("1")
    result = avalanche.locator(".widget-html-content").last
    expect(result).to_contain_text(f"first : {hash_a}")
    expect(result).to_contain_text(f"second: {hash_b}")
    expect(result).to_contain_text(f"{digits} of 64 hex digits and {bits} of 256 bits changed.")


def check_travel_rule_helper(notebook: Locator, notebook_dir: Path) -> None:
    """03: clicking "a self-hosted wallet" turns the panel's answer into what chainlab.legal decides for that case."""
    helper = notebook.locator(
        ".widget-vbox", has=notebook.page.locator(".widget-toggle-buttons", has_text="coins go to")
    )
    result = helper.locator(".widget-html-content").last
    amount = float(helper.locator(".widget-text", has_text="amount").locator("input").input_value())
    regime = legal.regime(next(iter(legal.REGIMES)))  # the rule the panel starts with
    to_vasp, to_own_wallet = (
        legal.travel_rule(regime.key, amount, regime.currencies[0], other_side)
        for other_side in ("vasp", "self_hosted")
    )
    assert to_vasp.reason != to_own_wallet.reason, "pick an amount for which the two counterparties differ"
    expect(result, "the panel starts with a transfer to another VASP").to_contain_text(to_vasp.reason)

    helper.get_by_role("button", name="a self-hosted wallet").click()
    expect(result).to_contain_text(to_own_wallet.reason)
    for duty in to_own_wallet.duties:
        expect(result).to_contain_text(duty)


def check_seed_phrase_checker(notebook: Locator, notebook_dir: Path) -> None:
    """02: clicking "Change one word" breaks the phrase, and the panel names the check that fails."""
    checker = notebook.locator(".widget-vbox", has=notebook.page.get_by_role("button", name="Change one word"))
    result = checker.locator(".widget-html-content").last
    phrase = checker.locator("textarea")
    assert seed_phrases.check_seed_phrase(phrase.input_value()).valid, "the checker starts on a valid phrase"
    expect(result).to_contain_text("Valid seed phrase")

    checker.get_by_role("button", name="Change one word").click()
    expect(result).to_contain_text("Not valid")
    verdict = seed_phrases.check_seed_phrase(phrase.input_value())
    assert not verdict.valid
    expect(result, "the panel says what chainlab.assets finds wrong with the changed phrase").to_contain_text(
        verdict.problem
    )


def check_rule_tuner(notebook: Locator, notebook_dir: Path) -> None:
    """04: moving "times at least" changes the rapid in-and-out rule's alerts, precision and recall to what rule_scores gives."""
    tuner = notebook.locator(".widget-vbox", has=notebook.page.locator(".widget-slider", has_text="times at least"))
    slider = tuner.locator(".widget-slider", has_text="times at least")
    drag_slider(slider, 0.5)
    cases = int(slider.locator(".widget-readout").inner_text())
    assert cases > 1, "dragging the slider to the middle should ask for more than one case"
    with contextlib.chdir(notebook_dir):  # the kernel's folder decides the cohort seed
        ledger = chainlab.load("exchange_ledger")
        scores = rule_scores(ledger, m04.case_file_accounts(), 0.25, 0.1, 72, 3, 24, 0.8, cases).set_index("rule")
    expected = [str(value) for value in scores.loc["rapid in-and-out"]]
    row = tuner.locator("tr", has_text="rapid in-and-out")
    expect(row.locator("td").last, "the table follows the slider").to_have_text(expected[-1])
    assert row.locator("td").all_inner_texts()[-len(expected) :] == expected


def check_trace_explorer(notebook: Locator, notebook_dir: Path) -> None:
    """05: choosing FIFO and dragging the hop limit to its end turns the amounts reaching each exchange into what the toolkit traces."""
    explorer = notebook.locator(".widget-vbox", has=notebook.page.locator(".widget-dropdown", has_text="taint model"))
    result = explorer.locator(".widget-html-content").last
    explorer.locator(".widget-dropdown", has_text="taint model").locator("select").select_option("fifo")
    expect(result, "the amounts table shows the chosen model").to_contain_text("fifo_taint_btc")
    slider = explorer.locator(".widget-slider", has_text="hops")
    drag_slider(slider, 1.0)
    hops = int(slider.locator(".widget-readout").inner_text())
    start = explorer.locator(".widget-text", has_text="start address").locator("input").input_value()
    expect(result, "the trace follows the slider").to_contain_text(f"within {hops} hop(s) from {start}")
    with contextlib.chdir(notebook_dir):  # the kernel's folder decides the cohort seed
        graph = build_graph(chainlab.load("inputs"), chainlab.load("outputs"), chainlab.load("transactions"))
        exchanges = m05.exchange_names()
    traced = trace(graph, addresses=start, hops=hops, stop_at=exchanges)
    tainted = taint(graph, addresses=start, model="fifo", hops=hops, stop_at=exchanges)
    expected = (
        tainted.groupby(tainted["address"].map(exchanges))["tainted_value"]
        .sum()
        .reindex(traced["stopped_at"].unique(), fill_value=0)
    )
    expected = expected.drop("", errors="ignore") / SATOSHI_PER_BTC
    assert len(expected) >= 2 and (expected > 0).any(), (
        "the trace reaches two exchanges, and FIFO taint reaches one at least"
    )
    amounts = result.locator("table").first
    for exchange, btc in expected.items():
        cells = amounts.locator("tr", has_text=exchange).locator("td").all_inner_texts()
        assert abs(float(cells[-1]) - btc) < 1e-6, (
            f"{exchange}: the panel shows {cells[-1]} BTC under FIFO, the toolkit {btc}"
        )


def check_heuristics_explorer(notebook: Locator, notebook_dir: Path) -> None:
    """06: ticking "change: fresh address" changes the measured precision and recall to what score_clustering gives for that choice."""
    explorer = notebook.locator(
        ".widget-vbox", has=notebook.page.locator(".widget-checkbox", has_text="change: fresh address")
    )
    result = explorer.locator(".widget-html-content").last
    with contextlib.chdir(notebook_dir):  # the kernel's folder decides the cohort seed
        chain, reference = m06.graph(), m06.confirmed_owners()
        plain = score_clustering(cluster_with_heuristics(chain), reference)
        fresh = score_clustering(cluster_with_heuristics(chain, change_heuristics=("fresh_address",)), reference)
    expect(result, "the explorer starts with the multi-input heuristic alone").to_contain_text(
        f"precision {plain.precision:.1%}"
    )
    explorer.locator(".widget-checkbox", has_text="change: fresh address").locator("input").check()
    expect(result, "the measured precision follows the switch").to_contain_text(f"precision {fresh.precision:.1%}")
    expect(result).to_contain_text(f"recall {fresh.recall:.1%}")


# Widget texts that a box can cut off with an ellipsis: descriptions, checkbox and button labels, slider readouts.
OVERFLOWING_WIDGET_TEXT_JS = """(notebook) => {
  const texts = document.querySelector(notebook).querySelectorAll(
    '.jupyter-widgets .widget-label, .jupyter-widgets .widget-label-basic, .jupyter-widgets button, .jupyter-widgets .widget-readout');
  return [...texts].filter(el => el.clientWidth > 0 && el.scrollWidth > el.clientWidth + 1)
    .map(el => `"${el.textContent.trim()}" needs ${el.scrollWidth} px but its box has ${el.clientWidth} px`);
}"""


def cut_off_widget_texts(lab: Lab) -> list[str]:
    """The widget labels, buttons and readouts in the notebook on show whose text is wider than its box."""
    return lab.page.evaluate(OVERFLOWING_WIDGET_TEXT_JS, CURRENT_NOTEBOOK)


def check_request_builder(notebook: Locator, notebook_dir: Path) -> None:
    """09: "Send to the exchange" shows the desk's refusal for an empty request, then its return for a complete one."""
    from chainlab.cases import m09
    from chainlab.desk import Desk

    builder = notebook.locator(".widget-vbox", has=notebook.page.get_by_role("button", name="Send to the exchange"))
    send = builder.get_by_role("button", name="Send to the exchange")
    reply = builder.locator(".widget-html-content").last
    send.scroll_into_view_if_needed()
    send.click()
    expect(reply, "an empty request is refused with reasons").to_contain_text("cannot act on this request")
    expect(reply).to_contain_text("Name the legal basis.")

    with contextlib.chdir(notebook_dir):  # the kernel's folder decides the cohort seed
        case = m09.load()
        fields = complete_request(case, legal_basis="Production order 2024/311", data_requested=["kyc", "ledger"])
        expected = Desk(case.exchange).answer(fields)
    builder.locator(".widget-dropdown", has_text="exchange").locator("select").select_option(case.exchange)
    builder.locator(".widget-dropdown", has_text="request type").locator("select").select_option("production")
    builder.locator(".widget-text", has_text="legal basis").locator("input").fill(fields["legal_basis"])
    builder.locator(".widget-text", has_text="case reference").locator("input").fill(fields["case_reference"])
    builder.locator(".widget-textarea", has_text="identifiers").locator("textarea").fill(case.suspect_address)
    for box, day in zip(
        builder.locator('input[placeholder="YYYY-MM-DD"]').all(), (case.first_day, case.last_day), strict=True
    ):
        box.fill(str(day))
        box.press("Enter")
    for kind in fields["data_requested"]:
        builder.get_by_role("checkbox", name=kind, exact=True).check()
    expect(builder.locator(".widget-html-content", has_text="The request is complete")).to_be_visible()
    send.click()
    expect(reply, "a complete request gets the desk's return").to_contain_text(
        f"accepts your production request. Response time: {expected.response_time}."
    )
    expect(reply).to_contain_text(expected.kyc["account_id"].iloc[0])
    expect(reply.locator("table")).to_have_count(2)
    reply.scroll_into_view_if_needed()


def check_token_flow_explorer(notebook: Locator, notebook_dir: Path) -> None:
    """07: choosing NUSD in the asset menu shows as many NUSD movements from the exploiter as follow_funds finds within 3 hops."""
    explorer = notebook.locator(".widget-vbox", has=notebook.page.locator(".widget-text", has_text="start account"))
    result = explorer.locator(".widget-html-content").last
    expect(result).to_contain_text("movements from")
    with contextlib.chdir(notebook_dir):  # the kernel's folder decides the cohort seed
        tables = {
            name: chainlab.load(name)
            for name in ("eth_transactions", "token_transfers", "eth_traces", "tokens", "contracts")
        }
        exploiter = m07.case_picks().exploiter
    contracts = tables["contracts"]
    pools = set(contracts.loc[contracts["kind"] == "dex_pool", "address"])
    stops = {a: n for a, n in zip(contracts["address"], contracts["name"], strict=True) if a not in pools}
    movements = asset_movements(
        tables["eth_transactions"], tables["token_transfers"], tables["eth_traces"], tables["tokens"]
    )
    flows = follow_funds(movements, exploiter, 3, through=pools, stop_at=stops)
    assert explorer.locator(".widget-text", has_text="start account").locator("input").input_value() == exploiter
    explorer.locator(".widget-dropdown", has_text="asset").locator("select").select_option("NUSD")
    expect(result, "the panel counts the NUSD movements follow_funds finds").to_contain_text(
        f"{(flows['asset'] == 'NUSD').sum():,} movements from"
    )


def check_typology_fingerprints(notebook: Locator, notebook_dir: Path) -> None:
    """08: ticking "sanctions evasion" adds its column to the fingerprints, with as many transactions as the case has."""
    widget = notebook.locator(
        ".widget-vbox", has=notebook.page.locator(".widget-checkbox", has_text="draw amounts over time")
    ).last
    table = widget.locator(".widget-html-content").last
    expect(table, "the first two typologies are compared from the start").to_contain_text("darknet market")
    with contextlib.chdir(notebook_dir):  # the kernel's folder decides the cohort seed
        chain = m08.graph()
        evasion = m08.typology_transactions(chain)["sanctions evasion"]
    widget.locator(".widget-checkbox", has_text="sanctions evasion").locator("input").click()
    expect(table, "the ticked typology gets its column").to_contain_text("sanctions evasion")
    expect(table.locator("tr", has_text="transactions").first).to_contain_text(str(len(evasion)))


def check_evidence_pack(notebook: Locator, notebook_dir: Path) -> None:
    """10: the trace explorer follows its hop slider; the evidence pack Run All wrote opens in Chromium on its own and
    shows the evidence table and the content hash the notebook printed."""
    explorer = notebook.locator(".widget-vbox", has=notebook.page.locator(".widget-dropdown", has_text="taint model"))
    slider = explorer.locator(".widget-slider", has_text="hops")
    drag_slider(slider, 1.0)
    hops = int(slider.locator(".widget-readout").inner_text())
    start = explorer.locator(".widget-text", has_text="start address").locator("input").input_value()
    expect(explorer.locator(".widget-html-content").last).to_contain_text(f"within {hops} hop(s) from {start}")
    printed = notebook.locator(".jp-OutputArea-output", has_text="SHA-256 of its content").locator("code").last
    printed.scroll_into_view_if_needed()
    digest = printed.inner_text().strip()
    assert len(digest) == 64, f"the notebook prints the pack's SHA-256, not {digest!r}"
    page = notebook.page.context.new_page()
    try:
        page.goto((notebook_dir / "evidence_pack" / "evidence_pack.html").as_uri())
        expect(page.get_by_role("heading", name="2. Evidence table")).to_be_visible()
        expect(page.locator(".stamp")).to_contain_text(digest)
        expect(page.locator("img[src^='data:image/png;base64,']")).to_be_visible()
        assert page.locator("table").count() >= 4, "findings, amounts, attributions, heuristics"
    finally:
        page.screenshot(path=str(ARTIFACTS / "10-evidence-pack.png"), full_page=True)
        page.close()


# Per module: work one of its widgets, in the notebook on show (after Run All), and check what the page shows.
WIDGET_CHECKS: dict[str, Callable[[Locator, Path], None]] = {
    "00_getting_started": check_filter_panel,
    "01_blockchain_fundamentals": check_hash_avalanche,
    "02_crypto_assets_and_services": check_seed_phrase_checker,
    "03_legal_and_regulatory": check_travel_rule_helper,
    "04_aml_monitoring_and_red_flags": check_rule_tuner,
    "05_tracing_the_money": check_trace_explorer,
    "06_clustering_and_attribution": check_heuristics_explorer,
    "09_working_with_vasps": check_request_builder,
    "07_ethereum_defi_and_bridges": check_token_flow_explorer,
    "08_crime_typologies": check_typology_fingerprints,
    "10_capstone_investigation": check_evidence_pack,
}


def run_module_and_work_its_widget(lab: Lab, slug: str) -> None:
    """Open course/<slug> in JupyterLab, Run All Cells, check there is no error, work the module's widget (WIDGET_CHECKS)
    and check that no widget text is cut off; a screenshot is kept either way."""
    if slug not in WIDGET_CHECKS:
        pytest.fail(
            f"course/{slug} has no widget check: add one to WIDGET_CHECKS in tests/browser_checks.py that works a widget of the module and checks what the page shows."
        )
    try:
        lab.open_notebook(f"course/{slug}/{slug}.ipynb")
        expect(
            lab.notebook.locator(".jp-NotebookPanel-toolbar .validate-button"),
            "nbgrader's Validate button is in the notebook toolbar",
        ).to_be_visible()
        lab.run_all_cells()
        errors = lab.error_outputs()
        assert not errors, f"{slug}: Run All Cells shows {len(errors)} error(s); the first:\n{errors[0][:2000]}"
        WIDGET_CHECKS[slug](lab.notebook, lab.server.root / "course" / slug)
        cut_off = cut_off_widget_texts(lab)
        assert not cut_off, f"{slug}: {len(cut_off)} widget text(s) do not fit their box: {cut_off}"
        assert not lab.browser_errors, f"{slug}: the browser reported errors: {lab.browser_errors}"
    finally:
        lab.screenshot(ARTIFACTS / f"{slug}.png")
