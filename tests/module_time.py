"""How long a module takes a learner who struggles: the time model behind every module's stated minutes.

Counted from the learner's release and the module's exercises; priced with the rates of the browser walkthrough
of module 00 (docs/answer-panels.md), for a learner who reads every text cell and every hint, runs every code
cell, and answers each exercise wrong once before answering it right:

- reading at 200 words a minute: every text cell of the release and every hint but the last (all opened);
- 5 s an action: running a code cell; a panel's menu or number (2 actions), a tick box (1), "Use this answer"
  (1); saving, Restart and Run All, Validate (6 for the module);
- deciding an answer: 1 minute, twice (the wrong try and the right one);
- writing an answer in code, for an exercise without a panel: 10 minutes (novices needed 120-150 minutes for
  02 and 04 when each had six code exercises and stated 90: 5-10 minutes an exercise went on the syntax);
- writing a report (a written answer graded by rubric): 15 minutes each;
- exploring each of the module's widgets: 4 minutes.

Run `python -m tests.module_time` for the table; tests/test_module_time.py holds every module to it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import nbformat

from chainlab import course
from chainlab.exercises import answer_widgets
from chainlab.exercises.core import exercises_of

WORDS_A_MINUTE = 200
ACTION_SECONDS = 5
DECIDING_MINUTES = 1
TRIES = 2  # one wrong, then right
CODE_ANSWER_MINUTES = 10
WIDGET_MINUTES = 4
WRITTEN_ANSWER_MINUTES = 15
HAND_IN_ACTIONS = 6
MOST_MINUTES = 90  # the ceiling for any module's work

FIELD_ACTIONS = {answer_widgets.Menu: 2, answer_widgets.Number: 2, answer_widgets.PickFrom: 2}


@dataclass(frozen=True)
class ModuleTime:
    slug: str
    words: int
    code_cells: int
    panel_exercises: int
    code_exercises: int
    panel_actions: int
    widgets: int
    written_answers: int

    @property
    def minutes(self) -> float:
        actions = self.code_cells + TRIES * self.panel_actions + HAND_IN_ACTIONS
        exercises = self.panel_exercises + self.code_exercises
        return (
            self.words / WORDS_A_MINUTE
            + actions * ACTION_SECONDS / 60
            + exercises * TRIES * DECIDING_MINUTES
            + self.code_exercises * CODE_ANSWER_MINUTES
            + self.widgets * WIDGET_MINUTES
            + self.written_answers * WRITTEN_ANSWER_MINUTES
        )


def _words(text: str) -> int:
    return len(re.findall(r"\w+", text))


def _panel_actions(form) -> int:
    actions = 1  # "Use this answer"
    for gap in form.fields:
        actions += len(gap.options) // 2 if isinstance(gap, answer_widgets.Conditions) else FIELD_ACTIONS[type(gap)]
    return actions


def _graded_answer(cell) -> bool:
    grading = cell.metadata.get("nbgrader", {})
    return bool(grading.get("solution") and grading.get("grade"))


def module_time(slug: str, root: Path = course.ROOT) -> ModuleTime:
    """The counts of one module's learner release (`course/`) and exercises."""
    notebook = nbformat.read(root / "course" / slug / f"{slug}.ipynb", as_version=4)
    exercises = list(exercises_of(slug[:2]).values())
    text = [cell.source for cell in notebook.cells if cell.cell_type == "markdown"]
    code = [cell.source for cell in notebook.cells if cell.cell_type == "code"]
    paneled = [
        e for e in exercises if e.form is not None and any(f".{e.name}.answer_panel()" in source for source in code)
    ]
    return ModuleTime(
        slug=slug,
        words=sum(map(_words, text)) + sum(_words(hint) for exercise in exercises for hint in exercise.hints),
        code_cells=len(code),
        panel_exercises=len(paneled),
        code_exercises=len(exercises) - len(paneled),
        panel_actions=sum(_panel_actions(exercise.form) for exercise in paneled),
        widgets=sum(len(re.findall(r"\bwidgets\.\w+\(", source)) for source in code),
        written_answers=sum(1 for cell in notebook.cells if cell.cell_type == "markdown" and _graded_answer(cell)),
    )


def table() -> str:
    rows = [
        "| module | stated | model | words | code cells | exercises by panel / by code | written answers | widgets |",
        "|---|---:|---:|---:|---:|---|---:|---:|",
    ]
    for module in course.MODULES:
        time = module_time(module.slug)
        rows.append(
            f"| {module.slug} | {module.minutes} | {time.minutes:.0f} | {time.words:,} | {time.code_cells} "
            f"| {time.panel_exercises} / {time.code_exercises} | {time.written_answers} | {time.widgets} |"
        )
    return "\n".join(rows)


if __name__ == "__main__":
    print(table())
