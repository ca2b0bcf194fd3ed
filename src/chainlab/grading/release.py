"""Release a module to a cohort: the learner notebook, the cohort's seed and (for practice) its hashed answer keys.

`release(ws, "00", seed=41)`:
1. runs `nbgrader generate_assignment` (course/NN_slug/ and the gradebook's copy of the cells);
2. builds the module's keys for the cohort's seed (hashes, worked solutions, last hints), by
   running the solution notebook with CHAINLAB_SEED set, into grading/cohort/keys/:
   the instructor's keys, which the grader uses;
3. writes grading/release/NN_slug/ (the notebook plus a `chainlab_cohort/` folder,
   which chainlab reads in the learner's kernel, see `chainlab.cohort`) and the same
   as grading/release/NN_slug.zip to upload to an LMS.

Two modes. Practice (the default) ships the keys as they are: checks say right or
not yet, and `solution()` opens after an attempt of the right form; a learner can
read the worked solutions and brute-force the hashes of small answer spaces from
the zip, so practice scores certify nothing. An assessment (`assessment=True`)
ships only a notice that the module is an assessment (`assessment.learner_keys`):
checks judge the form alone, and the grader judges the recorded answers against
the instructor's keys (`assessment.grade_recorded_answers`). Releasing the module
again as practice, after the feedback, hands the learners the keys and worked answers.

A cohort keeps one seed: grading/cohort/cohort.json records it at the first release.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from contextlib import contextmanager
from pathlib import Path

import nbformat

from .. import cohort, learner_copy
from ..exercises import keybuilder
from ..exercises.answer_widgets import ANSWERS_SUFFIX
from . import answer_forms
from . import assessment as assessment_mode
from .workspace import GradingError, Workspace


def cohort_settings(ws: Workspace, seed: int | None = None, name: str | None = None) -> dict:
    """The cohort's settings, created on first use; a different seed for an existing cohort is refused."""
    settings_file = ws.cohort / cohort.SETTINGS_FILE
    if settings_file.exists():
        settings = cohort.read_settings(ws.cohort)
        if seed is not None and seed != settings["seed"]:
            raise GradingError(
                f"This cohort already uses seed {settings['seed']} ({settings_file}); its learners' data and keys follow it. "
                "To start a new cohort with another seed, move grading/ aside first."
            )
        return settings
    settings = {"name": name or "cohort", "seed": cohort.DEFAULT_SEED if seed is None else seed}
    ws.cohort.mkdir(parents=True, exist_ok=True)
    settings_file.write_text(json.dumps(settings, indent=1) + "\n")
    return settings


def cohort_keys(ws: Workspace, slug: str) -> dict:
    """The hashed key table of a released module, as built for this cohort."""
    path = ws.cohort / cohort.KEYS_FOLDER / f"{slug}.json"
    if not path.exists():
        raise GradingError(f"No answer keys for {slug} in {path.parent}. Release the module first: chainlab grade release {slug}")
    return json.loads(path.read_text())


def nbgrader_command(ws: Workspace, *args: str) -> subprocess.CompletedProcess:
    """Run an nbgrader command in the course root (nbgrader needs its venv's `alembic` on PATH)."""
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    done = subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=ws.root, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        last_lines = "\n".join(done.stderr.strip().splitlines()[-8:])
        raise GradingError(f"nbgrader {' '.join(args)} failed:\n{last_lines}")
    return done


@contextmanager
def seed_environment(seed: int):
    """Set CHAINLAB_SEED for kernels started inside the block."""
    previous = os.environ.get("CHAINLAB_SEED")
    os.environ["CHAINLAB_SEED"] = str(seed)
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop("CHAINLAB_SEED")
        else:
            os.environ["CHAINLAB_SEED"] = previous


def release(
    ws: Workspace, slug: str, seed: int | None = None, name: str | None = None, assessment: bool = False, answers: str = "both"
) -> Path:
    """Release `slug` to the cohort, for practice or as an assessment, answered in `answers` form (see `answer_forms`); return the zip to hand to learners."""
    if answers not in answer_forms.FORMS:
        raise GradingError(f"--answers must be one of {', '.join(answer_forms.FORMS)}, not {answers!r}.")
    settings = cohort_settings(ws, seed, name)
    keys_folder = ws.cohort / cohort.KEYS_FOLDER
    if assessment:
        assessment_mode.require_unreleased_keys(settings["seed"], keys_folder / f"{slug}.json")
    for line in learner_copy.rescue(ws.course, ws.root / learner_copy.WORKSPACE.name):
        print(line)
    nbgrader_command(ws, "generate_assignment", slug, "--force")
    with seed_environment(settings["seed"]):
        records = keybuilder.checked_answers(slug, ws.solutions)
    keybuilder.build(slug, ws.solutions, keys_folder, worked_solutions=True, records=records)
    assessment_mode.set_mode(keys_folder / f"{slug}.json", assessment)
    if assessment:
        public = assessment_mode.same_as_public(records, slug)
        if public:
            print(
                f"warning: {len(public)} exercise(s) of {slug} have the same right answer on the cohort's seed as on the public one "
                f"({', '.join(public)}): a learner can check them against the practice keys shipped with the package. "
                "Weigh them accordingly, or grade them by hand."
            )
    return write_release(ws, slug, answers)


def write_release(ws: Workspace, slug: str, answers: str = "both") -> Path:
    """grading/release/NN_slug/ and its zip: the learner notebook, the cohort's settings and the keys a learner may hold."""
    keys_folder = ws.cohort / cohort.KEYS_FOLDER
    target = ws.releases / slug
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(ws.course / slug, target, ignore=shutil.ignore_patterns(".ipynb_checkpoints", f"*{ANSWERS_SUFFIX}"))
    learner_notebook = target / f"{slug}.ipynb"
    nbformat.write(answer_forms.shape(nbformat.read(learner_notebook, as_version=4), answers), learner_notebook)
    shipped = target / cohort.FOLDER
    (shipped / cohort.KEYS_FOLDER).mkdir(parents=True)
    shutil.copy2(ws.cohort / cohort.SETTINGS_FILE, shipped / cohort.SETTINGS_FILE)
    learner_keys = assessment_mode.learner_keys(json.loads((keys_folder / f"{slug}.json").read_text()))
    (shipped / cohort.KEYS_FOLDER / f"{slug}.json").write_text(json.dumps(learner_keys, indent=1) + "\n")
    archive = ws.releases / f"{slug}.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as out:
        for file in sorted(target.rglob("*")):
            if file.is_file():
                out.write(file, file.relative_to(ws.releases))
    return archive
