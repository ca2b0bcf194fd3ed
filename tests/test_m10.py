"""Module 10: the notebook finds the capstone case's true answers, its slips are refused by the data on every seed
of tests/worlds.py, a solution written on the default seed does not score on a cohort's, and the evidence pack is
self-contained and reproducible (a rebuild gives the same hash)."""

from __future__ import annotations

import os
import re

import nbformat
import pytest

from chainlab.analysis.graph import load_graph
from chainlab.chain.units import SATOSHI_PER_BTC
from chainlab.cohort import DEFAULT_SEED
from chainlab.evidence_pack import evidence_pack
from chainlab.exercises.core import exercises_of

from .notebook_tools import notebook_path
from .worlds import SEEDS, case_truth

SLUG = "10_capstone_investigation"
EXERCISES = exercises_of("10")
SKIPPED_ON_COHORTS = ("cl.widgets.", "heuristic_error_rates", "evidence_pack(", "cl.viz.flow_graph")


def _run(seed: int, folder, skip: tuple[str, ...] = ()) -> tuple[dict, dict]:
    """Run the solution's code cells in-process on `seed` (in `folder`); return the namespace and, per exercise,
    the right value and each slip's value, evaluated right after its solution cell as the key builder does."""
    notebook = nbformat.read(notebook_path("solutions", SLUG), as_version=4)
    previous, here = os.environ.get("CHAINLAB_SEED"), os.getcwd()
    os.environ["CHAINLAB_SEED"] = str(seed)
    load_graph.cache_clear()  # the notebook asks for the graph of "the cohort's seed" (seed=None)
    os.chdir(folder)
    namespace, values = {}, {}
    try:
        for index, cell in enumerate(notebook.cells):
            if cell.cell_type != "code" or any(word in cell.source for word in skip):
                continue
            exec(compile(cell.source, f"{SLUG}[cell {index}]", "exec"), namespace)  # noqa: S102 (our own notebook)
            name = cell.metadata.get("nbgrader", {}).get("grade_id")
            if cell.metadata.get("nbgrader", {}).get("solution") and name in EXERCISES:
                slips = [eval(slip.code, namespace) for slip in EXERCISES[name].slips]  # noqa: S307
                values[name] = (namespace[name], slips)
    finally:
        os.chdir(here)
        load_graph.cache_clear()
        if previous is None:
            os.environ.pop("CHAINLAB_SEED")
        else:
            os.environ["CHAINLAB_SEED"] = previous
    return namespace, values


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """Per seed: (namespace, exercise values); the default seed runs every cell, evidence pack included."""
    found = {}
    for seed in SEEDS:
        folder = tmp_path_factory.mktemp(f"seed{seed}")
        found[seed] = (*_run(seed, folder, () if seed == DEFAULT_SEED else SKIPPED_ON_COHORTS), folder)
    return found


def _truth(seed: int) -> dict:
    return case_truth(seed)["CAP-1"]


@pytest.mark.parametrize("seed", SEEDS)
def test_the_solution_finds_the_cases_true_answers(runs, seed):
    namespace, _, _ = runs[seed]
    truth = _truth(seed)
    assert set(namespace["fraud_addresses"]) == set(truth["fee_addresses"])
    assert round(namespace["total_proceeds_btc"] * SATOSHI_PER_BTC) == truth["total_proceeds_satoshi"]
    assert namespace["cash_out_exchange"] == truth["cash_out_exchange"]
    assert namespace["suspect_account"] == truth["suspect_account"]
    assert sorted(set(namespace["linked_accounts"])) == truth["device_linked_accounts"]
    network_only = set(namespace["reply"].linked_logins["account_id"]) - set(truth["device_linked_accounts"])
    assert set(truth["network_only_accounts"]) <= network_only, "the café's strangers are in the return, by IP only"


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("name", sorted(EXERCISES))
def test_the_data_refuses_every_slip_on_every_seed(runs, seed, name):
    _, values, _ = runs[seed]
    exercise = EXERCISES[name]
    right, slips = values[name]
    seen = {exercise.answer.canonical(right): "the right answer"}
    for slip, value in zip(exercise.slips, slips):
        canonical = exercise.answer.canonical(value)
        assert canonical not in seen, f"seed {seed}: slip {slip.code!r} gives the same answer as {seen[canonical]}"
        seen[canonical] = slip.code


@pytest.mark.parametrize("seed", [s for s in SEEDS if s != DEFAULT_SEED])
@pytest.mark.parametrize("name", ["fraud_addresses", "total_proceeds_btc", "suspect_account", "linked_accounts"])
def test_answers_written_on_the_default_seed_do_not_score_on_a_cohort_seed(runs, seed, name):
    """A check is passed only by the canonical answer its key was built from: a cohort's keys come from its own world."""
    kind = EXERCISES[name].answer
    default, cohort = runs[DEFAULT_SEED][1][name][0], runs[seed][1][name][0]
    assert kind.canonical(default) != kind.canonical(cohort)


def _rebuild(namespace, folder, **changes):
    parts = dict(
        case_reference="LR-2024-10",
        findings={"suspect account": namespace["suspect_account"], "linked accounts": namespace["linked_accounts"]},
        amounts=namespace["amounts"],
        attributions=namespace["attributed"],
        heuristics=namespace["heuristics"],
        figure=namespace["figure"],
        request=namespace["request"],
        reply=namespace["reply"],
        steps=namespace["steps"],
    )
    return evidence_pack(folder, **{**parts, **changes})


def test_a_rebuilt_evidence_pack_has_the_same_hash_and_bytes(runs, tmp_path):
    namespace, _, folder = runs[DEFAULT_SEED]
    first, second = _rebuild(namespace, tmp_path / "one"), _rebuild(namespace, tmp_path / "two")
    assert first.sha256 == second.sha256 and re.fullmatch(r"[0-9a-f]{64}", first.sha256)
    assert first.html_path.read_bytes() == second.html_path.read_bytes()
    assert first.pdf_path.read_bytes() == second.pdf_path.read_bytes(), "the PDF holds no creation date"
    notebook_pack = namespace["pack"]
    assert notebook_pack.html_path == folder / "evidence_pack" / "evidence_pack.html"
    changed = _rebuild(namespace, tmp_path / "three", steps={**namespace["steps"], "trace": {"hops": 14}})
    assert changed.sha256 != first.sha256, "the parameters of every step are part of the hashed content"


def test_the_evidence_pack_is_self_contained_and_shows_its_evidence(runs):
    namespace, _, _ = runs[DEFAULT_SEED]
    pack = namespace["pack"]
    page = pack.html_path.read_text()
    assert "<script" not in page.lower()
    assert not re.search(r"""(?:src|href)\s*=\s*["'](?!data:)""", page), "no link or source outside the file"
    assert "http://" not in page and "https://" not in page and "url(" not in page
    assert 'src="data:image/png;base64,' in page
    assert pack.sha256 in page
    for heading in ("Evidence table", "Flow chart", "The request", "The return", "Provenance"):
        assert heading in page
    for transaction in namespace["chain"]["transaction_hash"]:
        assert transaction in page, "every peel's transaction is on an amount's path"
    assert namespace["suspect_account"] in page and "scam-report website" in page
    assert "data set manifest SHA-256" in page and str(DEFAULT_SEED) in page
    assert pack.pdf_path is not None and pack.pdf_path.read_bytes().startswith(b"%PDF")


def test_a_refused_request_is_recorded_as_refused(runs, tmp_path):
    namespace, _, _ = runs[DEFAULT_SEED]
    refused = namespace["desk"].answer({**namespace["request"], "legal_basis": ""})
    pack = _rebuild(namespace, tmp_path, reply=refused)
    page = pack.html_path.read_text()
    assert "no request on record" in page and "cannot act on this request" in page


def test_the_written_report_is_a_manually_graded_cell_with_its_rubric():
    notebook = nbformat.read(notebook_path("solutions", SLUG), as_version=4)
    (cell,) = [c for c in notebook.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "written_report"]
    meta = cell.metadata["nbgrader"]
    assert cell.cell_type == "markdown" and meta["solution"] and meta["grade"] and not meta["task"]
    assert meta["points"] > 0 and "### BEGIN SOLUTION" in cell.source and "Marking" in cell.source
