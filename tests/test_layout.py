"""The package's shape (issue: a layout for eleven modules): no import cycle, one home per course module, answer keys out of learners' code."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import networkx as nx
import pytest

from chainlab import course, seeding

PACKAGE = Path(course.__file__).resolve().parent
ROOT = course.ROOT


def module_name(path: Path, package: Path) -> str:
    parts = path.relative_to(package.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph(package: Path = PACKAGE) -> nx.DiGraph:
    """Every import between the package's own modules, those inside functions included (lazy imports are edges too)."""
    modules = {module_name(path, package): path for path in package.rglob("*.py")}
    graph = nx.DiGraph()
    graph.add_nodes_from(modules)
    for name, path in modules.items():
        is_package = path.name == "__init__.py"
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            targets = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = name.split(".")[: len(name.split(".")) - node.level + (1 if is_package else 0)]
                    stem = ".".join(base + ([node.module] if node.module else []))
                else:
                    stem = node.module or ""
                targets = [
                    f"{stem}.{alias.name}" if f"{stem}.{alias.name}" in modules else stem for alias in node.names
                ]
            for target in targets:
                while target and target not in modules:
                    target = target.rpartition(".")[0]
                if target and target != name and target.startswith("chainlab"):
                    graph.add_edge(name, target)
    return graph


def test_no_import_cycle_in_the_package():
    cycles = sorted(
        sorted(component) for component in nx.strongly_connected_components(import_graph()) if len(component) > 1
    )
    assert cycles == [], f"import cycles (lazy imports included): {cycles}"


def test_the_cycle_finder_sees_a_lazy_import_cycle(tmp_path):
    package = tmp_path / "chainlab"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("from . import b\n")
    (package / "b.py").write_text("def f():\n    from .a import x\n")
    components = [c for c in nx.strongly_connected_components(import_graph(package)) if len(c) > 1]
    assert components == [{"chainlab.a", "chainlab.b"}]


def test_every_course_module_has_one_home_in_each_place():
    for module in course.MODULES:
        number = module.number
        assert (ROOT / "solutions" / module.slug / f"{module.slug}.ipynb").is_file(), module.slug
        assert (PACKAGE / "exercises" / f"m{number}.py").is_file(), module.slug
        assert (PACKAGE / "cases" / f"m{number}.py").is_file(), module.slug


def test_no_top_level_module_holds_course_material():
    """Course-module material lives in cases/ and exercises/; the old top-level homes are gone."""
    for old in ("samples", "toychain", "assets", "legal", "legal_samples", "aml", "addresses"):
        assert not (PACKAGE / f"{old}.py").exists(), old


LEARNER_SIDE = (
    "analysis",
    "cases",
    "chain",
    "rules",
    "viz",
    "widgets",
    "exercises/core.py",
    "exercises/answers.py",
    "exercises/m",
)


def test_learner_side_code_never_reads_answer_keys():
    """Code a learner's kernel runs never asks for grading/ answer keys (only tests, the key builder and grading do)."""
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        relative = path.relative_to(PACKAGE).as_posix()
        if relative.startswith(LEARNER_SIDE) and re.search(r"\b(load_answer_key|answer_dir)\b", path.read_text()):
            offenders.append(relative)
    assert offenders == []


def test_each_random_stream_is_used_in_exactly_one_place():
    uses = {name: [] for name in seeding.STREAMS}
    for path in PACKAGE.rglob("*.py"):
        if path.name == "seeding.py":
            continue
        for name in re.findall(r"seeding\.rng\(\s*[\"']([\w.]+)[\"']", path.read_text()):
            uses.setdefault(name, []).append(path.relative_to(PACKAGE).as_posix())
    unknown = sorted(set(uses) - set(seeding.STREAMS))
    shared = {name: where for name, where in uses.items() if len(where) > 1}
    assert not unknown and not shared, f"unknown streams {unknown}; streams used in more than one place {shared}"


def test_named_streams_differ_and_unknown_names_are_refused():
    first, second = seeding.rng("m00.transfers", 7).integers(2**62), seeding.rng("m01.toychain", 7).integers(2**62)
    assert first != second and first == seeding.rng("m00.transfers", 7).integers(2**62)
    with pytest.raises(KeyError, match="add it to chainlab.seeding.STREAMS"):
        seeding.rng("no.such.stream", 7)


def test_one_name_per_unit():
    """Satoshi per bitcoin, wei per ether and wei per gwei are written out only in chain/units.py."""
    written_out = re.compile(r"\b(100_000_000|10\s*\*\*\s*8|10\s*\*\*\s*18|10\s*\*\*\s*9|1e8|1e18)\b")
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        if path.name == "units.py":
            continue
        for number, line in enumerate(path.read_text().splitlines(), 1):
            code = line.split("#")[0]
            code = re.sub(r"(\"[^\"]*\"|'[^']*')", "", code)  # numbers inside text (hints, docs) are prose
            if written_out.search(code):
                offenders.append(f"{path.relative_to(PACKAGE)}:{number}")
    assert offenders == []
