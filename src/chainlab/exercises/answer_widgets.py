"""Answer panels: answer an exercise without writing code, graded like code (introduced in 00).

An exercise may carry an `AnswerForm`: a line of code with a few gaps (which column,
which comparison, which number, which address, which conditions a row must meet ...). Its panel, shown by
`ex.<name>.answer_panel()` under the exercise heading, offers a menu or a box per gap
and shows the finished line of code as the learner chooses, so a learner who wants
to can learn it. Nothing is judged in the panel.

Design: never grade on widget state. nbgrader's headless validate and autograde
never see widget state, and committed notebooks carry none. So when the learner
presses **Use this answer**, the panel writes the choice to a small file next to
the notebook, `NN_slug.answers.json` (in the kernel's folder, which is the
notebook's folder in JupyterLab, in nbgrader's validate and in its autograde).
The check reads it: when the answer cell left the blank `____` as it is, the
check rebuilds the line of code from the recorded choice, runs it in the notebook
and judges its value exactly as it would judge the code answer (same slips, hints
and solution); it also gives the answer's variable that value, so later cells and
the grader's re-check see it. An answer cell that finishes with its blank gets the
recorded value at once too (a kernel hook, `install`), so an instructor's hidden
test that reads the variable before the check sees it. When the blank was filled,
the code answer wins; an answer cell that stopped with an error gets nothing, and
the check says so (the stale-verdict rule, see `runs`).
The file survives saving, closing, reopening, a kernel restart and Run All; it
goes with the notebook when nbgrader submits the assignment folder, and
`chainlab grade collect` and `chainlab grade autograde` carry it along. A learner
who hands in by an LMS must upload both files (docs/answer-panels.md).

Why not write the chosen code into the answer cell from the browser: ipywidgets
cannot edit another cell, so that needs a JupyterLab extension of the course's
own, which nbgrader's and JupyterLab's upgrades would keep breaking.

Safety: the file is the learner's, so it is never run as code. A recorded choice
is accepted only when every menu's choice is one of the menu's own options, every
ticked condition is one of the conditions offered, every number is a number and
every value picked from the data is one of the values the panel offered; the line of code is then built from the course's template and
those literals alone.
"""

from __future__ import annotations

import html
import json
import math
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from .. import course
from . import runs
from .answers import BLANK
from .core import Feedback, _in_kernel, notebook_namespace, strict_mode

ANSWERS_SUFFIX = ".answers.json"
BUTTON = "Use this answer"
_panels_shown: set[str] = set()  # ids of the exercises whose panel this kernel showed (a code-only release shows none)
PANEL_LINE = "Answer chosen in the panel: "  # how a panel shows its recorded answer as text (nbgrader, no widgets)
_bound: dict[str, object] = {}  # the value each exercise's variable last took from its panel, by exercise id


class BadChoice(ValueError):
    """A recorded choice the form does not offer (a hand-edited or outdated answers file)."""


@dataclass(frozen=True)
class Menu:
    """A gap filled by choosing one of fixed options: (what the learner reads, the code it stands for)."""

    name: str
    label: str
    options: tuple[tuple[str, str], ...]

    def offered(self, namespace: dict) -> list[tuple[str, str]]:
        return list(self.options)

    def code(self, chosen, namespace: dict) -> str:
        if chosen not in [code for _, code in self.options]:
            raise BadChoice(f"“{chosen}” is not one of the choices for {self.label}")
        return chosen


@dataclass(frozen=True)
class Number:
    """A gap filled by typing a number, shown with its unit."""

    name: str
    label: str
    unit: str = ""

    def offered(self, namespace: dict) -> None:
        return None

    def code(self, chosen, namespace: dict) -> str:
        if isinstance(chosen, bool) or not isinstance(chosen, (int, float)) or not math.isfinite(chosen):
            raise BadChoice(f"{chosen!r} is not a number for {self.label}")
        return repr(int(chosen)) if float(chosen).is_integer() else repr(float(chosen))


@dataclass(frozen=True)
class PickFrom:
    """A gap filled by picking one value that the notebook's data holds: `values` names it, e.g. "chain.copied_addresses"."""

    name: str
    label: str
    values: str

    def offered(self, namespace: dict) -> list[tuple[str, str]]:
        found = eval(self.values, namespace)  # noqa: S307 (the course's own expression, never the learner's file)
        return [(str(value), repr(value)) for value in found]

    def code(self, chosen, namespace: dict) -> str:
        codes = [code for _, code in self.offered(namespace)]
        if chosen not in codes:
            raise BadChoice(f"{chosen} is not one of the values offered for {self.label}")
        return chosen


@dataclass(frozen=True)
class Conditions:
    """A gap filled by ticking any of fixed conditions, (what the learner reads, the code it stands for): the rows
    of `table` that meet every ticked condition (`join` " & ") or any of them (" | "); none ticked: the whole table."""

    name: str
    label: str
    table: str
    options: tuple[tuple[str, str], ...]
    join: str = " & "

    def offered(self, namespace: dict) -> list[tuple[str, str]]:
        return list(self.options)

    def code(self, chosen, namespace: dict) -> str:
        codes = [code for _, code in self.options]
        if not isinstance(chosen, (list, tuple)) or any(not isinstance(one, str) for one in chosen):
            raise BadChoice(f"{chosen!r} is not a list of the conditions ticked for {self.label}")
        for one in chosen:
            if one not in codes:
                raise BadChoice(f"“{one}” is not one of the conditions for {self.label}")
        ticked = [code for code in codes if code in chosen]  # the options' order, each once
        return f"{self.table}[{self.join.join(ticked)}]" if ticked else self.table


@dataclass(frozen=True)
class AnswerForm:
    """A line of code with gaps `{name}`, one per field; what an answer panel offers for one exercise."""

    template: str
    fields: tuple[Menu | Number | PickFrom | Conditions, ...]

    def code(self, choice: dict, namespace: dict) -> str:
        """The line of code `choice` (field name → chosen code) stands for; BadChoice if the form does not offer it."""
        if not isinstance(choice, dict):
            raise BadChoice("the recorded choice is not a set of fields")
        missing = [field.label for field in self.fields if field.name not in choice]
        if missing:
            raise BadChoice(f"nothing was chosen for {', '.join(missing)}")
        return self.template.format(**{field.name: field.code(choice[field.name], namespace) for field in self.fields})

    def resolve(self, exercise, value):
        """See `resolve` (the check calls it through the form, so the checker never imports this module)."""
        return resolve(exercise, value)

    def panel(self, exercise):
        """See `panel`."""
        return panel(exercise)


def answers_file(module_number: str, folder: Path | None = None) -> Path:
    """`NN_slug.answers.json` in `folder` (default: the kernel's folder, the notebook's)."""
    return (folder or Path.cwd()) / f"{course.module(module_number).slug}{ANSWERS_SUFFIX}"


def recorded(module_number: str, folder: Path | None = None) -> dict:
    """The choices recorded for a module's exercises, by exercise name ({} if there is no readable file)."""
    try:
        answers = json.loads(answers_file(module_number, folder).read_text(encoding="utf-8")).get("answers", {})
    except (OSError, ValueError, AttributeError):
        return {}
    return answers if isinstance(answers, dict) else {}


def record(module_number: str, name: str, choice: dict, folder: Path | None = None) -> Path:
    """Write `choice` for exercise `name` into the module's answers file (whole file replaced at once); return its path."""
    path = answers_file(module_number, folder)
    answers = recorded(module_number, folder)
    answers[name] = choice
    spare = path.with_name(path.name + ".tmp")
    spare.write_text(
        json.dumps({"module": module_number, "answers": answers}, indent=1, sort_keys=True) + "\n", encoding="utf-8"
    )
    os.replace(spare, path)
    return path


def resolve(exercise, value):
    """The answer to judge, and feedback that replaces the verdict (or None).

    The code answer when the blank was filled; else the value of the line of code the panel recorded
    (also bound to the exercise's variable in the notebook); else the blank, with a note on both ways to answer.
    """
    form = exercise.form
    from_panel = value is BLANK or (
        exercise.id in _bound and value is _bound[exercise.id]
    )  # still the panel's value (no cell assigned the variable since): a later choice replaces it
    if form is None or not from_panel:
        return value, None
    choice = recorded(exercise.module).get(exercise.name)
    if choice is None and exercise.id not in _panels_shown:
        return value, None
    if choice is None:
        return value, Feedback(
            "unanswered",
            f"Replace ____ with your answer ({exercise.answer.describe()}), "
            f"or make your choice in the answer panel above the answer cell and press {BUTTON}.",
        )
    namespace = notebook_namespace()
    try:
        code = form.code(choice, namespace)
        value = eval(code, namespace)  # noqa: S307 (the course's template filled with checked literals only)
    except Exception as problem:  # noqa: BLE001 (a bad file or a notebook whose earlier cells did not run)
        return BLANK, Feedback(
            "unanswered",
            f"The answer recorded with the panel could not be used ({problem}). "
            f"Run the cells above, then choose again in the panel and press {BUTTON}.",
        )
    namespace[exercise.name] = _bound[exercise.id] = value
    return value, None


def _loaded_exercise(name: str):
    """The exercise called `name` in the exercise modules this kernel imported, or None."""
    from .core import exercises_of

    imported = list(sys.modules)  # a copy: another thread may import while this runs
    for module_name in [loaded for loaded in imported if re.fullmatch(r"chainlab\.exercises\.m\d\d", loaded)]:
        exercise = exercises_of(module_name[-2:]).get(name)
        if exercise is not None and exercise.form is not None:
            return exercise
    return None


def _after_cell(result) -> None:
    """After a cell that finished and left an exercise's variable blank: give it the panel's recorded answer; after one
    that gave it a value of its own, that value is the answer (the panel no longer replaces it)."""
    info = result.info
    if result.error_before_exec or result.error_in_exec or info is None or not info.raw_cell:
        return
    namespace = notebook_namespace()
    for name in runs.assigned_names(info.raw_cell):
        if namespace.get(name) is not BLANK:
            for exercise_id in [key for key in _bound if key.endswith(f".{name}")]:
                del _bound[exercise_id]  # the learner's code gave it a value: the code answer wins
        elif (exercise := _loaded_exercise(name)) is not None:
            resolve(exercise, BLANK)


def install() -> None:
    """Hook the running IPython kernel, if there is one (once per kernel)."""
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython else None
    if shell is not None and _after_cell not in shell.events.callbacks["post_run_cell"]:
        shell.events.register("post_run_cell", _after_cell)


def panel(exercise):
    """The answer panel for `exercise`: a widget in a learner's kernel; a line of text under nbgrader, outside a kernel or without ipywidgets."""
    form = exercise.form
    _panels_shown.add(exercise.id)
    namespace = notebook_namespace()
    choice = recorded(exercise.module).get(exercise.name)
    if strict_mode() or not _in_kernel():
        return _Text(_recorded_line(form, choice, namespace))
    try:
        import ipywidgets as widgets
    except ImportError:
        return _Text(_recorded_line(form, choice, namespace))
    return _panel_widget(widgets, exercise, form, choice, namespace)


def _recorded_line(form: AnswerForm, choice, namespace: dict) -> str:
    if choice is None:
        return "No answer chosen in the panel yet."
    try:
        return f"{PANEL_LINE}{form.code(choice, namespace)}"
    except Exception as problem:  # noqa: BLE001
        return f"The answer chosen in the panel cannot be used ({problem})."


class _Ticks:
    """One checkbox per condition; its value is the list of the ticked conditions' code, as a menu's is its choice."""

    def __init__(self, widgets, offered: list[tuple[str, str]]):
        self.boxes = {
            code: widgets.Checkbox(value=False, description=label, indent=False, layout=widgets.Layout(width="auto"))
            for label, code in offered
        }

    @property
    def value(self) -> list[str]:
        return [code for code, box in self.boxes.items() if box.value]

    @value.setter
    def value(self, ticked) -> None:
        for code, box in self.boxes.items():
            box.value = code in ticked

    def observe(self, handler, names) -> None:
        for box in self.boxes.values():
            box.observe(handler, names=names)


class _Text:
    """A plain line for pages that show no widgets (nbgrader's runs)."""

    def __init__(self, text: str):
        self.text = text

    def __repr__(self) -> str:
        return self.text


def _panel_widget(widgets, exercise, form: AnswerForm, choice, namespace: dict):
    inputs = {}
    rows = []
    for field in form.fields:
        offered = field.offered(namespace)
        if isinstance(field, Conditions):
            box = _Ticks(widgets, offered)
            rows.append(widgets.VBox([widgets.Label(field.label), *box.boxes.values()]))
        elif offered is None:
            box = widgets.FloatText(value=0, layout=widgets.Layout(width="10em"))
            unit = widgets.HTML(html.escape(field.unit))
            rows.append(
                widgets.HBox(
                    [widgets.Label(field.label, layout=widgets.Layout(min_width="14em", width="auto")), box, unit]
                )
            )
        else:
            box = widgets.Dropdown(
                options=[("(choose)", None), *offered], value=None, layout=widgets.Layout(width="auto")
            )
            rows.append(
                widgets.HBox([widgets.Label(field.label, layout=widgets.Layout(min_width="14em", width="auto")), box])
            )
        inputs[field.name] = box
    if isinstance(choice, dict):
        for name, box in inputs.items():
            try:
                box.value = choice.get(name, box.value)
            except Exception:  # noqa: BLE001 (a value the panel no longer offers: left unchosen)
                pass
    code_line = widgets.HTML()
    status = widgets.HTML()
    use = widgets.Button(description=BUTTON, icon="check", button_style="primary", layout=widgets.Layout(width="auto"))

    def current() -> dict:
        return {name: box.value for name, box in inputs.items()}

    def show_code(_=None) -> None:
        try:
            line = f"{exercise.name} = {form.code(current(), namespace)}"
            code_line.value = f"The line of code your choice stands for: <code>{html.escape(line)}</code>"
            use.disabled = False
        except BadChoice:
            code_line.value = "Choose in every menu above; the line of code your choice stands for appears here."
            use.disabled = True

    def use_it(_) -> None:
        path = record(exercise.module, exercise.name, current())
        held = namespace.get(exercise.name)
        if held is BLANK or held is _bound.get(exercise.id):
            resolve(
                exercise, BLANK
            )  # the answer cell already ran with its blank: its variable takes the new choice now
        status.value = (
            f"<b>Recorded</b> in <code>{html.escape(path.name)}</code>, next to this notebook. "
            "Now run the check cell under the answer cell. "
            "Hand in this file with the notebook."
        )

    for box in inputs.values():
        box.observe(show_code, names="value")
    use.on_click(use_it)
    show_code()
    if choice is not None:
        status.value = f"Your recorded answer is shown above (from <code>{html.escape(answers_file(exercise.module).name)}</code>)."
    note = widgets.HTML(
        "<b>Answer without code:</b> choose below and press <i>" + BUTTON + "</i>. "
        "If you fill the blank ____ in the answer cell instead, the check uses your code."
    )
    box = widgets.VBox([note, *rows, code_line, use, status])
    box.add_class("chainlab-answer-panel")
    return box
