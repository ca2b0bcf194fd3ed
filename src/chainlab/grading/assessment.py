"""Assessment mode: the learner holds no keys, and the grader judges the recorded answers outside the kernel.

`chainlab grade release NN --assessment` marks the instructor's keys of the module
(grading/cohort/keys/NN_slug.json, never shipped) with `"mode": "assessment"`, and
ships in their place a notice with no salt, no hashes and no worked solutions
(`learner_keys`). In the learner's kernel, and in the kernel that autogrades a
submission (`kernel_keys`), a check then says only whether an answer has the right
form. The autograder records each answer's canonical form in the job's folder (see
`chainlab.grading.record`); `grade_recorded_answers` compares those with the
instructor's keys in the grading process, and `score_recorded_answers` writes the
verdicts into the test cells' scores.

What this does not stop: learners copying from each other, a learner who knows the
material, and a learner who reads the repository (solutions/, grading/): see README.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from .. import cohort
from ..exercises import keys as answer_keys
from ..exercises.core import exercises_of
from . import record
from .workspace import GradingError

if TYPE_CHECKING:
    from .gradebook import CellScore

RIGHT, WRONG, MISSING = "right", "wrong", "missing"
FAILED_CELL = "Your recorded answer is right, but this exercise's test cell did not pass (see its output), so it scores 0."
COMMENTS = {
    RIGHT: "Graded by the grader, outside your notebook, from the answer you recorded: right.",
    WRONG: "Graded by the grader, outside your notebook, from the answer you recorded: not right, so it scores 0.",
    MISSING: "No answer of the right form was recorded for this exercise, so it scores 0.",
}


def is_assessment(key_table: dict) -> bool:
    """True when an instructor's (or a learner's) key table belongs to an assessment release."""
    return key_table.get("mode") == cohort.ASSESSMENT


def require_unreleased_keys(seed: int, key_file: Path) -> None:
    """Refuse an assessment whose keys learners may already hold: on the public seed, or after a practice release to the cohort."""
    if seed == cohort.DEFAULT_SEED:
        raise GradingError(
            f"An assessment needs a cohort seed of its own: the package ships the public practice keys for seed {cohort.DEFAULT_SEED}, "
            "so learners could check their answers against them. Give the cohort its own seed at its first release "
            "(chainlab grade release NN --seed 41 --assessment); for a cohort already on the public seed, move grading/ aside first."
        )
    if key_file.exists() and not is_assessment(json.loads(key_file.read_text())):
        raise GradingError(
            f"{key_file.stem} was already released to this cohort for practice: that zip carried its keys and worked solutions. "
            "Assess it with a new cohort: move grading/ aside and release with a seed of its own."
        )


def same_as_public(records: list[dict], slug: str) -> list[str]:
    """The exercises whose right answer (`keybuilder.checked_answers` on the cohort's seed) the package's public keys also accept."""
    public_file = answer_keys.PACKAGE_KEYS / f"{slug}.json"
    if not public_file.exists():
        return []
    public = json.loads(public_file.read_text())
    return [
        entry["id"]
        for entry in records
        if entry["id"] in public["answers"]
        and answer_keys.digest(public["salt"], entry["id"], entry["canonical"]) == public["answers"][entry["id"]]["answer"]
    ]


def set_mode(key_file: Path, assessment: bool) -> None:
    """Mark the instructor's key table of a module as an assessment's, or as practice."""
    table = json.loads(key_file.read_text())
    table.pop("mode", None)
    if assessment:
        table["mode"] = cohort.ASSESSMENT
    key_file.write_text(json.dumps(table, indent=1) + "\n")


def learner_keys(key_table: dict) -> dict:
    """What a learner's kernel may hold of a module's keys: all of a practice release's, only a notice for an assessment."""
    if is_assessment(key_table):
        return {"module": key_table["module"], "mode": cohort.ASSESSMENT}
    return key_table


def kernel_keys(instructor_keys: Path, target: Path, notices_only: bool = False) -> None:
    """Write into `target` the keys the kernels that run submissions may see (`learner_keys` of each module).

    `notices_only` (the grading sandbox): an assessment's notice for every module, practice or not.
    """
    target.mkdir(parents=True, exist_ok=True)
    for key_file in sorted(instructor_keys.glob("*.json")):
        table = json.loads(key_file.read_text())
        table = learner_keys(table | {"mode": cohort.ASSESSMENT} if notices_only else table)
        (target / key_file.name).write_text(json.dumps(table, indent=1) + "\n")


def grade_recorded_answers(record_file: Path, instructor_keys: dict, module: str, names: list[str]) -> dict[str, str]:
    """Each exercise's verdict, RIGHT, WRONG or MISSING, from the last answer recorded for it, against the instructor's keys."""
    return {name: verdict for name, (verdict, _) in judge_recorded_answers(record_file, instructor_keys, module, names).items()}


def judge_recorded_answers(
    record_file: Path, instructor_keys: dict, module: str, names: list[str]
) -> dict[str, tuple[str, str | None]]:
    """Each exercise's verdict (as `grade_recorded_answers`) and, for a wrong answer that is a slip's (a likely wrong
    method, see `core.Slip`), that slip's message, as the learner's check would give it in practice; else None."""
    recorded = record.read(record_file)
    exercises = exercises_of(module)
    judged = {}
    for name in names:
        canonical = recorded.get(name)
        answer = instructor_keys["answers"].get(f"{module}.{name}")
        if not isinstance(canonical, str) or answer is None:
            judged[name] = (MISSING, None)
            continue
        key = {"salt": instructor_keys["salt"], "id": f"{module}.{name}", **answer}
        if answer_keys.matches(key, "answer", canonical):
            judged[name] = (RIGHT, None)
        else:
            slip = exercises[name].matching_slip(key, canonical) if name in exercises else None
            judged[name] = (WRONG, slip.message if slip else None)
    return judged


def score_recorded_answers(cells: list[CellScore], record_file: Path, instructor_keys: dict, module: str, names: list[str]) -> dict[str, str]:
    """In an assessment, score each `correct_<name>` cell by the grader's verdict; return the comments by exercise name.

    The verdict only takes away: a wrong or missing answer scores 0, and a right one keeps what nbgrader gave
    its cell (0 if a hidden test in it failed, or the kernel died before it ran). A wrong answer that is a slip's
    gets that slip's message too, as a practice check gives it: the comments reach the learner only with the
    returned feedback (during an assessment the learner's check said nothing of right or wrong), and a slip's
    message never states the answer.
    A practice release is left as nbgrader scored it (the re-check in `integrity` covers it): {} is returned.
    """
    if not is_assessment(instructor_keys):
        return {}
    judged = judge_recorded_answers(record_file, instructor_keys, module, names)
    comments = {}
    for cell in cells:
        name = cell.name.removeprefix("correct_")
        if cell.name == f"correct_{name}" and name in judged:
            verdict, slip_message = judged[name]
            passed = (cell.auto_score or 0) > 0
            cell.auto_score = cell.auto_score if verdict == RIGHT else 0.0
            comments[name] = FAILED_CELL if verdict == RIGHT and not passed else COMMENTS[verdict]
            if slip_message:
                comments[name] += f" {slip_message}"
    return comments
