"""`chainlab new-module`: a new module's files, in the course's layout, that build their answer key and release."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import nbformat
import pytest

from chainlab import cli, course

pytestmark = pytest.mark.slow  # runs the new notebook in a kernel


@pytest.fixture()
def root(tmp_path):
    """A scratch course root holding a copy of the package."""
    shutil.copytree(course.ROOT / "src", tmp_path / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    (tmp_path / "solutions").mkdir()
    return tmp_path


def run_in(root, *code_lines):
    env = {**os.environ, "PYTHONPATH": str(root / "src")}
    return subprocess.run(
        [sys.executable, "-c", "\n".join(code_lines)], env=env, capture_output=True, text=True, timeout=240
    )


def test_new_module_writes_a_module_that_builds_its_key(root, capsys):
    assert cli.main(["new-module", "11", "cross_chain_cases", "Cross-chain cases", "60", "--root", str(root)]) == 0
    notebook = nbformat.read(root / "solutions" / "11_cross_chain_cases" / "11_cross_chain_cases.ipynb", as_version=4)
    ids = [cell.metadata.get("nbgrader", {}).get("grade_id") for cell in notebook.cells]
    assert {"setup", "n_rows", "correct_n_rows", "key-points"} <= set(ids)
    assert "from chainlab.cases import m11 as case" in notebook.cells[1].source
    result = run_in(
        root,
        "from chainlab import course, cli",
        "assert course.module('11').title == 'Cross-chain cases' and course.module('11').minutes == 60",
        "raise SystemExit(cli.main(['keys', '11', '--solutions', '" + str(root / "solutions") + "']))",
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert (root / "src" / "chainlab" / "exercises" / "keys" / "11_cross_chain_cases.json").is_file()


@pytest.mark.parametrize(
    "args, message",
    [
        (["1", "x", "X", "60"], "two digits"),
        (["11", "Cross Chain", "X", "60"], "lower-case words"),
        (["11", "x", "X", "200"], "15 to 90 minutes"),
        (["00", "getting_started", "X", "45"], "exists already"),
    ],
)
def test_new_module_refuses_bad_names_and_existing_modules(root, capsys, args, message):
    before = (root / "src" / "chainlab" / "course.py").read_text()
    assert cli.main(["new-module", *args, "--root", str(root)]) == 2
    assert message in capsys.readouterr().err
    assert (root / "src" / "chainlab" / "course.py").read_text() == before
