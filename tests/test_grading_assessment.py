"""Assessment mode without running nbgrader: what the release ships, what the learner's check says, how the grader scores.

Module 00's solution code runs once in-process (its answers on the public seed); the
package's keys for that seed stand in for an instructor's keys.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import zipfile
from pathlib import Path

import nbformat
import pytest

import chainlab
from chainlab import cohort, course
from chainlab.cli import main
from chainlab.exercises import answer_widgets, keys
from chainlab.exercises.core import AnswerNotAccepted, Exercise, exercises_of
from chainlab.grading import assessment, autograde, record, release
from chainlab.grading import feedback as feedback_pages
from chainlab.grading.gradebook import CellScore
from chainlab.grading.limits import Limits
from chainlab.grading.workspace import GradingError, Workspace

from .notebook_tools import copy_course_root, run_solution_code
from .test_exercises import a_wrong_answer

SLUG = "00_getting_started"
HASH = re.compile(r"\b[0-9a-f]{32}\b")  # a salt or an answer hash (nbgrader's cell checksums look the same)


@pytest.fixture(scope="module")
def solved():
    return run_solution_code(SLUG)


@pytest.fixture(scope="module")
def instructor_keys():
    """Module 00's keys as an assessment's instructor holds them: hashes, salt, worked solutions and last hints."""
    table = json.loads((keys.PACKAGE_KEYS / f"{SLUG}.json").read_text())
    table |= keys.worked_answers(nbformat.read(course.ROOT / "solutions" / SLUG / f"{SLUG}.ipynb", as_version=4), "00")
    return table | {"mode": cohort.ASSESSMENT}


def _course_root(tmp_path, key_table: dict) -> Workspace:
    """A course root with module 00 released to a cohort of seed 41 whose instructor keys are `key_table`."""
    copy_course_root(tmp_path, (SLUG,))
    ws = Workspace(tmp_path)
    release.cohort_settings(ws, seed=41)
    (ws.cohort / cohort.KEYS_FOLDER).mkdir()
    (ws.cohort / cohort.KEYS_FOLDER / f"{SLUG}.json").write_text(json.dumps(key_table))
    return ws


def _shipped_text(archive, under: str = "") -> str:
    with zipfile.ZipFile(archive) as zipped:
        return "\n".join(zipped.read(name).decode() for name in zipped.namelist() if under in name)


def _secrets(key_table: dict) -> list[str]:
    """Every worked solution and last hint (as written and as JSON escapes it), the salt and every hash of a key table."""
    found = [key_table["salt"]]
    for code in [*key_table["solutions"].values(), *key_table["last_hints"].values()]:
        found += [code, json.dumps(code)[1:-1]]
    for fields in key_table["answers"].values():
        found += [value for value in fields.values() if value]
    return found


def test_an_assessment_release_ships_no_worked_solution_and_no_hash(tmp_path, instructor_keys):
    ws = _course_root(tmp_path / "assessment", instructor_keys)
    archive = release.write_release(ws, SLUG)
    shipped, key_files = _shipped_text(archive), _shipped_text(archive, under=cohort.FOLDER)
    assert [secret for secret in _secrets(instructor_keys) if secret in shipped] == []
    assert not HASH.search(key_files) and '"solutions"' not in key_files and '"salt"' not in key_files
    with zipfile.ZipFile(ws.releases / f"{SLUG}.zip") as zipped:
        notice = json.loads(zipped.read(f"{SLUG}/{cohort.FOLDER}/{cohort.KEYS_FOLDER}/{SLUG}.json"))
    assert notice == {"module": SLUG, "mode": cohort.ASSESSMENT}
    practice = instructor_keys.copy()
    practice.pop("mode")
    shipped = _shipped_text(release.write_release(_course_root(tmp_path / "practice", practice), SLUG))
    escaped = [json.dumps(code)[1:-1] for code in practice["solutions"].values()]
    assert all(text in shipped for text in [practice["salt"], *escaped]), "a practice release ships the keys, as before"


def _renderings(text: str) -> list[str]:
    """A text as written, as JSON escapes it and as Python's repr does (how it would sit in a key file or in source)."""
    return [text, json.dumps(text)[1:-1], repr(text)[1:-1]]


def test_an_assessment_learner_holds_no_last_hint_neither_in_the_release_nor_in_the_package(tmp_path, instructor_keys):
    ws = _course_root(tmp_path, instructor_keys)
    learner_holds = _shipped_text(release.write_release(ws, SLUG))
    package = Path(chainlab.__file__).parent
    learner_holds += "\n".join(
        path.read_text(errors="ignore")
        for path in sorted(package.rglob("*"))
        if path.is_file() and path.suffix != ".pyc"
    )
    for module in course.MODULES:
        notebook = nbformat.read(course.ROOT / "solutions" / module.slug / f"{module.slug}.ipynb", as_version=4)
        last = keys.last_hints(notebook)
        assert set(last) == set(exercises_of(module.number)), f"{module.slug}: an exercise has no last hint"
        found = [hint for hint in last.values() for shown in _renderings(hint) if shown in learner_holds]
        assert found == [], f"{module.slug}: a learner of the assessment can read these last hints"
        held = [
            exercise.id for exercise in exercises_of(module.number).values() if set(exercise.hints) & set(last.values())
        ]
        assert held == [], f"{module.slug}: the exercises' own hints include their last hint"


def test_the_returned_feedback_shows_each_last_hint_and_worked_solution_escaped(tmp_path, instructor_keys):
    """A feedback page as `feedback_pages.generate` renders it (nbgrader's gradebook step left out), for an assessment's learner."""
    hostile = instructor_keys | {
        "last_hints": {**instructor_keys["last_hints"], "00.n_transfers": "<script>alert(1)</script>"}
    }
    ws = _course_root(tmp_path, hostile)
    config = ws.nbgrader_config()
    feedback_pages.configure(config)
    bootstrap = feedback_pages.NBGRADER_TEMPLATES.parent / "static" / "node_modules" / "bootstrap" / "dist" / "css"
    config.FeedbackExporter.extra_template_paths = [str(bootstrap)]  # as nbgrader's GenerateFeedback sets it
    submitted = nbformat.read(ws.course / SLUG / f"{SLUG}.ipynb", as_version=4)
    for cell in submitted.cells:  # the scores nbgrader's GetGrades puts on the graded cells
        if cell.metadata.get("nbgrader", {}).get("grade"):
            cell.metadata.nbgrader["score"] = 0
    resources = {"nbgrader": {"assignment": SLUG, "notebook": SLUG, "score": 0, "max_score": 0, "late_penalty": 0}}
    exporter = feedback_pages.FeedbackExporter(config=config)
    exporter.register_preprocessor(
        feedback_pages.NameExercises(config=config), enabled=True
    )  # after MakeInert, as nbgrader does
    submitted.cells[0].metadata["chainlab_last_hint"] = "planted by the learner"
    page, _ = exporter.from_notebook_node(submitted, resources)
    for name in exercises_of("00"):
        for part in ("solutions", "last_hints"):
            text = hostile[part][f"00.{name}"]
            assert html.escape(text, quote=False) in page.replace("&#34;", '"').replace("&#39;", "'"), f"{name}: {part}"
    assert "<script>alert(1)</script>" not in page and "planted by the learner" not in page
    assert feedback_pages.leak_report(page, feedback_pages.instructor_only_text(ws, SLUG)) == {}


def test_the_package_ships_no_worked_solution_and_an_assessment_refuses_keys_learners_may_hold(
    tmp_path, capsys, solved
):
    for module in course.MODULES:
        assert "solutions" not in json.loads((keys.PACKAGE_KEYS / f"{module.slug}.json").read_text())
    shutil.copy2(course.ROOT / "nbgrader_config.py", tmp_path)
    shutil.copytree(course.ROOT / "solutions" / SLUG, tmp_path / "solutions" / SLUG)
    with pytest.raises(GradingError, match="needs a cohort seed of its own"):
        release.release(Workspace(tmp_path), SLUG, assessment=True)
    assert main(["grade", "release", "00", "--assessment", "--root", str(tmp_path)]) == 2
    assert "needs a cohort seed of its own" in capsys.readouterr().err
    practised = tmp_path / "practised.json"
    practised.write_text(json.dumps({"module": SLUG, "salt": "00" * 16, "answers": {}}))
    with pytest.raises(GradingError, match="already released to this cohort for practice"):
        assessment.require_unreleased_keys(41, practised)
    exercise = exercises_of("00")["n_transfers"]
    records = [
        {"id": exercise.id, "canonical": exercise.answer.canonical(solved["n_transfers"])},
        {"id": "00.total_btc", "canonical": "1"},
    ]
    assert assessment.same_as_public(records, SLUG) == [exercise.id]


@pytest.fixture
def in_assessment(tmp_path, monkeypatch):
    """The learner's kernel of an assessment release of module 00 (its keys folder holds only the notice)."""
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    monkeypatch.delenv("CHAINLAB_STRICT", raising=False)
    (tmp_path / f"{SLUG}.json").write_text(json.dumps({"module": SLUG, "mode": cohort.ASSESSMENT}))
    monkeypatch.setenv("CHAINLAB_KEYS_DIR", str(tmp_path))
    return tmp_path


def _fresh(name: str) -> Exercise:
    exercise = exercises_of("00")[name]
    return Exercise(**{f: getattr(exercise, f) for f in ("module", "name", "objective", "answer", "hints")})


def test_the_form_only_check_says_right_or_wrong_form_never_right_or_wrong(in_assessment, solved, monkeypatch):
    for name, exercise in exercises_of("00").items():
        right, wrong = solved[name], a_wrong_answer(exercise.answer, solved[name])
        told_right, told_wrong = exercise.form_verdict(right), exercise.form_verdict(wrong)
        assert told_right.status == told_wrong.status == "right_form" and str(told_right) == str(told_wrong)
        assert "assessment" in told_right.message and "comes with your feedback" in told_right.message
        odd = exercise.form_verdict(3.5 if name != "total_btc" else "3.5")
        assert odd.status == "wrong_form" and "Expected:" in odd.message
        for feedback in (told_right, told_wrong, odd):
            assert not str(feedback).startswith(("Correct", "Not yet")) and "Well done" not in feedback.message
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    exercises_of("00")["n_transfers"].check(solved["n_transfers"] + 1)  # right form: the notebook's test passes
    with pytest.raises(AnswerNotAccepted, match="Wrong form"):
        exercises_of("00")["n_transfers"].check("many")


def test_solution_and_the_last_hint_wait_for_the_feedback_in_an_assessment(in_assessment, solved, capsys):
    exercise = _fresh("total_btc")
    exercise.check("garbage")
    exercise.check(solved["total_btc"])
    capsys.readouterr()
    exercise.solution()
    shown = capsys.readouterr().out
    assert "This is an assessment: the worked answer comes with your feedback" in shown
    assert "amount_btc" not in shown and "sum()" not in shown
    every_hint = exercise.all_hints()
    for _ in every_hint:
        exercise.hint()
    shown = capsys.readouterr().out
    assert every_hint[-2] in shown and every_hint[-1] not in shown
    assert f"the last hint ({exercise.hint_count}/{len(every_hint)}) comes with your feedback" in shown
    with pytest.raises(keys.MissingKeys, match="part of an assessment"):
        keys.key_for(exercise.id)


def test_in_practice_the_solution_opens_only_after_an_answer_of_the_right_form(monkeypatch, capsys):
    monkeypatch.delenv("CHAINLAB_KEYS_DIR", raising=False)
    monkeypatch.setattr(cohort, "find_folder", lambda start=None: None)
    exercise = _fresh("total_btc")
    exercise.check("garbage")
    exercise.solution()
    assert "Have a go first" in capsys.readouterr().out
    exercise.check(1.0)
    exercise.solution()
    assert keys.solution_code(exercise.id) in capsys.readouterr().out and "amount_btc" in keys.solution_code(
        exercise.id
    )


def test_a_brute_force_from_the_release_files_has_nothing_to_attack(in_assessment, capsys, monkeypatch):
    monkeypatch.setattr(answer_widgets, "_bound", {})  # no answer-panel value left from another test in this process
    exercise = exercises_of("00")["n_transfers"]
    with pytest.raises(keys.MissingKeys):
        keys.key_for(exercise.id)  # no salt, no hash to try candidates against
    told = set()
    for candidate in range(100):
        exercise.check(candidate)
        told.add(capsys.readouterr().out)
    assert len(told) == 1, "the check must say the same for every candidate of the right form"
    assert not HASH.search((in_assessment / f"{SLUG}.json").read_text())


def test_the_grader_scores_right_wrong_and_missing_recorded_answers(tmp_path, monkeypatch, solved, instructor_keys):
    record_file = tmp_path / "answers.jsonl"
    monkeypatch.setenv(record.RECORD_ENV, str(record_file))
    names = ["n_transfers", "total_btc", "big_transfers", "latest_transfer"]
    record.answer("00", "n_transfers", solved)
    record.answer(
        "00", "total_btc", {"total_btc": a_wrong_answer(exercises_of("00")["total_btc"].answer, solved["total_btc"])}
    )
    record.answer("00", "big_transfers", {"big_transfers": "____"})  # not of the right form: recorded as unusable
    record_file.open("a").write("garbled line\n")
    verdicts = assessment.grade_recorded_answers(record_file, instructor_keys, "00", names)
    assert verdicts == {
        "n_transfers": "right",
        "total_btc": "wrong",
        "big_transfers": "missing",
        "latest_transfer": "missing",
    }
    cells = [CellScore(f"correct_{name}", 1.0, 1.0, False) for name in names] + [CellScore("why_sort", None, 2.0, True)]
    comments = assessment.score_recorded_answers(cells, record_file, instructor_keys, "00", names)
    assert [cell.auto_score for cell in cells] == [1.0, 0.0, 0.0, 0.0, None]
    assert set(comments) == set(names) and "scores 0" in comments["total_btc"]
    failed = [
        CellScore("correct_n_transfers", 0.0, 1.0, False)
    ]  # a hidden test in the cell failed: the verdict adds nothing
    comments = assessment.score_recorded_answers(failed, record_file, instructor_keys, "00", ["n_transfers"])
    assert failed[0].auto_score == 0.0 and "did not pass" in comments["n_transfers"]
    practice = {key: value for key, value in instructor_keys.items() if key != "mode"}
    untouched = [CellScore("correct_total_btc", 1.0, 1.0, False)]
    assert assessment.score_recorded_answers(untouched, record_file, practice, "00", names) == {}
    assert untouched[0].auto_score == 1.0


def test_kernels_that_run_submissions_get_only_the_notice(tmp_path, instructor_keys):
    source = tmp_path / "instructor"
    source.mkdir()
    (source / f"{SLUG}.json").write_text(json.dumps(instructor_keys))
    practice = {key: value for key, value in instructor_keys.items() if key != "mode"} | {
        "module": "01_blockchain_fundamentals"
    }
    (source / "01_blockchain_fundamentals.json").write_text(json.dumps(practice))
    assessment.kernel_keys(source, tmp_path / "kernel")
    assert json.loads((tmp_path / "kernel" / f"{SLUG}.json").read_text()) == {"module": SLUG, "mode": cohort.ASSESSMENT}
    assert json.loads((tmp_path / "kernel" / "01_blockchain_fundamentals.json").read_text()) == practice


def _finish_job(tmp_path, monkeypatch, key_table: dict, answers: dict, sandboxed: bool = False):
    """The autograde step's one call (`finish_job`) for recorded `answers`, with nbgrader's gradebook and files stubbed
    (every test cell passed the check inside the notebook); its outcome and the comments it merged, by exercise name."""
    job = autograde.Job("learner", tmp_path, "sha")
    job.sandbox_dir.mkdir()
    monkeypatch.setenv(record.RECORD_ENV, str(job.record_file))
    for name in answers:
        record.answer("00", name, answers)
    cells = [CellScore(f"correct_{name}", 1.0, 1.0, False) for name in answers]
    merged = {}
    monkeypatch.setattr(autograde.gradebook, "read_scores", lambda db, slug, student: (cells, None))
    monkeypatch.setattr(autograde, "install_autograded", lambda *args: nbformat.v4.new_notebook())
    monkeypatch.setattr(
        autograde.gradebook, "merge", lambda ws, slug, student, cells, timestamp, comments: merged.update(comments)
    )
    outcome = autograde.finish_job(
        None, SLUG, job, {"success": True}, key_table, list(answers), {}, Limits(), sandboxed
    )
    return outcome, merged


def test_autograde_takes_an_assessments_scores_from_the_grader_and_flags_nothing(
    tmp_path, monkeypatch, solved, instructor_keys
):
    """Both answers passed the form-only check inside the notebook."""
    answers = {"n_transfers": solved["n_transfers"], "total_btc": solved["total_btc"] + 1}
    outcome, merged = _finish_job(tmp_path, monkeypatch, instructor_keys, answers)
    assert (outcome["score"], outcome["max_score"], outcome["flags"]) == (1.0, 2.0, [])
    assert merged["n_transfers"].endswith("right.") and "scores 0" in merged["total_btc"]


@pytest.mark.parametrize("release_mode", ["practice, sandboxed", "assessment"])
def test_the_outside_judge_gives_a_slips_message_for_a_wrong_answer_that_is_that_slip(
    tmp_path, monkeypatch, solved, instructor_keys, release_mode
):
    """Judged outside the kernel, a slip's answer gets its message in the comment the feedback returns; another wrong
    answer gets no slip's message."""
    key_table = (
        instructor_keys if release_mode == "assessment" else {k: v for k, v in instructor_keys.items() if k != "mode"}
    )
    exercises = exercises_of("00")
    (columns,) = [slip for slip in exercises["n_transfers"].slips if slip.code == "len(transfers.columns)"]
    answers = {"n_transfers": eval(columns.code, dict(solved)), "total_btc": solved["total_btc"] + 1}  # noqa: S307
    outcome, merged = _finish_job(tmp_path, monkeypatch, key_table, answers, sandboxed=True)
    assert outcome["score"] == 0.0
    assert merged["n_transfers"] == f"{assessment.COMMENTS['wrong']} {columns.message}"
    assert merged["total_btc"] == assessment.COMMENTS["wrong"]
