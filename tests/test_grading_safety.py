"""Grading safety pieces without running nbgrader: cohort lookup, tamper scan and re-check, feedback leaks, limits, CLI errors."""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import sys
import tempfile
import time

import nbformat
import pytest

from chainlab import cohort
from chainlab.cli import main
from chainlab.exercises import keys
from chainlab.grading import autograde, feedback, integrity, sandbox, status
from chainlab.grading.limits import CUT_NOTE, Limits, install_kernelspec
from chainlab.grading.workspace import Workspace


def test_cohort_folder_beside_the_notebook_sets_seed_and_keys(tmp_path, monkeypatch):
    monkeypatch.delenv("CHAINLAB_SEED", raising=False)
    monkeypatch.delenv("CHAINLAB_KEYS_DIR", raising=False)
    notebook_dir = tmp_path / "course" / "00_getting_started"
    notebook_dir.mkdir(parents=True)
    monkeypatch.chdir(notebook_dir)
    assert cohort.seed() == cohort.DEFAULT_SEED and keys.keys_dir() == keys.PACKAGE_KEYS
    folder = tmp_path / "course" / cohort.FOLDER
    folder.mkdir()
    (folder / cohort.SETTINGS_FILE).write_text(json.dumps({"name": "spring", "seed": 41}))
    assert cohort.seed() == 41 and keys.keys_dir() == folder / cohort.KEYS_FOLDER
    monkeypatch.setenv("CHAINLAB_SEED", "7")
    monkeypatch.setenv("CHAINLAB_KEYS_DIR", str(tmp_path))
    assert cohort.seed() == 7 and keys.keys_dir() == tmp_path
    (folder / cohort.SETTINGS_FILE).write_text(json.dumps({"seed": "x"}))
    monkeypatch.delenv("CHAINLAB_SEED")
    with pytest.raises(ValueError, match="must be a whole number"):
        cohort.seed()


def _notebook(*sources, locked=()):
    cells = [nbformat.v4.new_code_cell(source) for source in sources]
    for index in locked:
        cells[index].metadata["nbgrader"] = {"grade_id": f"correct_{index}", "locked": True}
    return nbformat.v4.new_notebook(cells=cells)


def test_scan_flags_checker_and_key_tampering_but_not_ordinary_code():
    ordinary = _notebook("total = transfers['amount_btc'].sum()", "if a.check == b: pass")
    assert integrity.suspicious_code(ordinary) == []
    hostile = _notebook(
        "ex.total.check = lambda v: None",
        "from chainlab.exercises import keys\nkeys.key_for('00.x')",
        "open('../../solutions/x.ipynb')",
    )
    reasons = " ".join(integrity.suspicious_code(hostile))
    assert (
        "replaces part of an exercise's checker" in reasons
        and "answer keys" in reasons
        and "instructor files" in reasons
    )
    locked_only = _notebook("ex.total.check = lambda v: None", locked=(0,))
    assert integrity.suspicious_code(locked_only) == [], "locked cells are restored by nbgrader, not the learner's code"


def test_recording_cells_follow_test_cells_and_deleted_tests_are_recorded_at_the_end():
    notebook = _notebook("a = 1", "ex.a.check(a)", "b = 2")
    notebook.cells[1].metadata["nbgrader"] = {"grade_id": "correct_a"}
    integrity.add_answer_records(notebook, "00", ["a", "b"])
    sources = [cell.source for cell in notebook.cells]
    assert integrity.RECORD_MARKER in sources[2] and '"a"' in sources[2]
    assert integrity.RECORD_MARKER in sources[-1] and '"b"' in sources[-1]
    assert [cell.source for cell in integrity.remove_answer_records(notebook).cells] == [
        "a = 1",
        "ex.a.check(a)",
        "b = 2",
    ]


def test_reverify_accepts_only_answers_that_hash_to_the_key(tmp_path):
    salt = "00" * 16
    table = {"salt": salt, "answers": {"00.n": {"answer": keys.digest(salt, "00.n", "40"), "size": None}}}
    record = tmp_path / "answers.jsonl"
    record.write_text(
        '{"name": "n", "canonical": "39"}\nnot json\n{"name": "n", "canonical": "40"}\n{"name": "m", "canonical": "1"}\n'
    )
    assert integrity.reverify(record, table, "00") == {"n": True, "m": False}
    record.write_text('{"name": "n", "canonical": null}\n')
    assert integrity.reverify(record, table, "00") == {"n": False}
    assert integrity.reverify(tmp_path / "none.jsonl", table, "00") == {}


def test_hidden_test_output_is_replaced_in_feedback():
    cell = nbformat.v4.new_code_cell("### BEGIN HIDDEN TESTS\nassert x == 40\n### END HIDDEN TESTS\nex.x.check(x)")
    cell.outputs = [
        nbformat.v4.new_output("error", ename="AssertionError", evalue="expected 40", traceback=["assert x == 40"])
    ]
    cleaned, _ = feedback.RemoveHiddenTests().preprocess_cell(cell, {}, 0)
    assert cleaned.source == "ex.x.check(x)"
    assert "40" not in json.dumps(cleaned.outputs) and "did not pass" in cleaned.outputs[0].text
    assert feedback.leaks("<pre>assert x == 40</pre>", ["assert x == 40", "abc123"]) == ["assert x == 40"]


def test_limits_refuse_nonsense_and_the_kernel_launcher_caps_memory(tmp_path):
    with pytest.raises(ValueError, match="must be longer than the cell limit"):
        Limits(cell_seconds=60, submission_seconds=30)
    spec = json.loads(
        (
            install_kernelspec(Limits(memory_mb=700), tmp_path) / "kernels" / "chainlab-graded" / "kernel.json"
        ).read_text()
    )
    assert spec["argv"][:5] == [sys.executable, "-m", "chainlab.grading.limits", "--memory-mb", "700"]
    code = (
        "import resource, sys, types\n"
        "import chainlab.grading.limits as limits\n"
        "app = types.SimpleNamespace(initialize=lambda argv: None, shell=types.SimpleNamespace(events=types.SimpleNamespace(register=lambda *a: None)))\n"
        "app.start = lambda: print(resource.getrlimit(resource.RLIMIT_AS)[0])\n"
        "sys.modules['ipykernel.kernelapp'] = types.SimpleNamespace(IPKernelApp=types.SimpleNamespace(instance=lambda: app))\n"
        "limits._launch(['--memory-mb', '700', '--file-mb', '64', '--processes', '0', '--output-kb', '1024'])\n"
    )
    shown = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert int(shown) == 700 * 1024 * 1024
    assert resource.getrlimit(resource.RLIMIT_AS)[0] != 700 * 1024 * 1024, "only the child was limited"


def test_the_graded_kernel_cuts_a_big_print_itself_and_each_cell_starts_afresh(tmp_path, monkeypatch):
    """The kernel, not only the worker, cuts printed output: ipykernel would otherwise hold a 100 MB print several
    times over (a kernel was once stopped past 900 MB for it) before the worker threw it away."""
    from nbclient import NotebookClient

    monkeypatch.setenv("JUPYTER_PATH", str(install_kernelspec(Limits(output_kb=4), tmp_path)))
    cells = [
        "print('x' * 100_000)\nprint('after')",
        "print('y' * 3000)",
        "print('z' * 3000, flush=True)\nprint('w' * 3000)",
    ]
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source) for source in cells])
    NotebookClient(notebook, timeout=60, kernel_name="chainlab-graded").execute()
    big, small, two = ([(output.name, output.text) for output in cell.outputs] for cell in notebook.cells)
    note = CUT_NOTE.format(kb=4) + "\n"
    assert big == [("stdout", "x" * 3 * 1024), ("stderr", note)], (
        "cut at a KB under the limit, then the note, then nothing"
    )
    assert small == [("stdout", "y" * 3000 + "\n")], "the next cell has its whole allowance again"
    assert "".join(text for _, text in two) == "z" * 3000 + "\n" + "w" * 71 + note, (
        "the allowance is per cell, not per print"
    )


def test_grade_command_errors_are_one_clear_line_and_exit_2(capsys, tmp_path):
    assert main(["grade", "collect", "00", str(tmp_path / "nowhere"), "--root", str(tmp_path)]) == 2
    assert "is not a course root" in capsys.readouterr().err
    assert main(["grade", "autograde", "00", "--cell-timeout", "0"]) == 2
    assert "must be a positive whole number" in capsys.readouterr().err


def test_a_killed_graders_work_folder_is_removed_by_the_next_run_and_a_running_ones_kept(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    owners = {
        "killed": f"{gone.stdout.strip()} 1",  # a process that has ended
        "reused": f"{os.getpid()} 1",  # this process's id, but another start: a later process given a dead one's id
        "running": f"{os.getpid()} {sandbox.process_start(os.getpid())}",
        "unowned": None,  # not a folder this grader made (or one being made right now)
    }
    for name, owner in owners.items():
        folder = tmp_path / f"{autograde.WORK_PREFIX}00_getting_started-{name}"
        (folder / "keys").mkdir(parents=True)
        if owner:
            (folder / autograde.OWNER_FILE).write_text(owner)
    autograde.remove_killed_graders_folders()
    left = sorted(path.name.rsplit("-", 1)[1] for path in tmp_path.glob(f"{autograde.WORK_PREFIX}*"))
    assert left == ["running", "unowned"]


def test_the_grading_lock_is_not_held_by_a_forked_worker(tmp_path):
    ws = Workspace(tmp_path)
    with status.exclusive(ws):
        child = os.fork()
        if child == 0:  # a worker, still alive after the grading process has let go
            time.sleep(3)
            os._exit(0)
    try:
        with status.exclusive(ws):
            pass
    finally:
        os.kill(child, signal.SIGKILL)
        os.waitpid(child, 0)


def test_an_answer_record_that_is_not_a_file_proves_nothing(tmp_path):
    (tmp_path / "answers.jsonl").mkdir()
    table = {"salt": "00" * 16, "answers": {}}
    assert integrity.reverify(tmp_path / "answers.jsonl", table, "00") == {}
