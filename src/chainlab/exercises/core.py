"""The exercise object every module uses: `check()`, tiered `hint()`, `solution()`.

Modelled on Kaggle learntools' problems. An exercise knows its objective and the
form of its answer (an `AnswerKind`), never the answer itself: it compares the
canonical form of the learner's value with a salted hash from the answer keys.

Two modes:
- interactive (a learner's kernel): feedback is shown, with Hint and Solution
  buttons, and Run All goes on;
- strict (nbgrader sets NBGRADER_EXECUTION when it validates or autogrades, and
  CHAINLAB_STRICT=1 does the same for the test suite): anything but a right
  answer raises `AnswerNotAccepted`, so the grade cell fails; no widget is shown
  (widgets in graded cells can stall autograding).

A check judges only what the answer cell just produced: when the last cell that
assigned the exercise's variable stopped with an error, the check says so
instead of judging the value left from an older run (see `runs`); when the
answer cell was edited and not run again, the page says so (see `verdict_view`).

In an assessment (the module's keys are an assessment's notice, see `keys`), a
check says only whether the answer has the right form, and `solution()` and the
last hint wait for the instructor's feedback; the grader judges the answers.
"""

from __future__ import annotations

import hashlib
import html
import importlib
import os
import re
from dataclasses import dataclass, field

from .. import progress
from . import keys, runs
from .answers import BLANK, AnswerKind, FormError, counted

HEAD_ROWS = 5  # how many rows pandas' .head() keeps
ASSESSMENT_NOTE = (
    "This is an assessment: the check looks only at the form of your answer, not at whether it is right. "
    "Your result comes with your feedback."
)


class AnswerNotAccepted(AssertionError):
    """Raised in strict mode when an answer is missing, malformed, wrong or stale; its message is the learner's feedback line."""


def strict_mode() -> bool:
    """True under nbgrader validation or autograding, or when CHAINLAB_STRICT=1."""
    return bool(os.environ.get("NBGRADER_EXECUTION")) or os.environ.get("CHAINLAB_STRICT") == "1"


@dataclass
class Feedback:
    """One verdict shown to the learner: correct, incorrect or not attempted."""

    status: str  # "correct" | "incorrect" | "unanswered" | "stale" (or "hint", "solution" for what the buttons show)
    message: str

    STYLES = {
        "correct": ("#e6f4ea", "#1e7b34", "Correct"),
        "incorrect": ("#fdecea", "#a61b1b", "Not yet"),
        "unanswered": ("#e8f0fe", "#1a4f9c", "Not answered yet"),
        "stale": ("#fff4e5", "#8a4b00", "Not checked"),
        "hint": ("#fff8e1", "#7a5b00", "Hint"),
        "solution": ("#f3e8fd", "#5b2a86", "Solution"),
        "right_form": ("#e8f0fe", "#1a4f9c", "Right form"),  # an assessment's check: the form only
        "wrong_form": ("#fff4e5", "#8a4b00", "Wrong form"),
        "withheld": ("#f1f3f4", "#3c4043", "Not during the assessment"),
    }

    def _repr_html_(self) -> str:
        background, colour, title = self.STYLES[self.status]
        body = re.sub(r"`([^`]+)`", r"<code>\1</code>", html.escape(self.message)).replace("\n", "<br>")
        if self.status == "solution":
            body = f"<pre style='margin:0.3em 0 0'>{html.escape(self.message)}</pre>"
        return (
            f"<div style='background:{background};border-left:4px solid {colour};padding:0.5em 0.8em;margin:0.3em 0'>"
            f"<strong style='color:{colour}'>{title}:</strong> {body}</div>"
        )

    def __str__(self) -> str:
        return f"{self.STYLES[self.status][2]}: {self.message}"

    __repr__ = __str__


def _in_kernel() -> bool:
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    return get_ipython() is not None


def _display(thing) -> None:
    from IPython.display import display

    display(thing)


def show(feedback: Feedback) -> None:
    """Display feedback as a coloured box in Jupyter, or as text elsewhere."""
    if _in_kernel():
        _display(feedback)
    else:
        print(feedback)


def feedback_box(feedback: Feedback, exercise: Exercise):
    """A check's feedback with a Hint button and a Solution button (usable after a first answer of the right form, never in an assessment), or None in strict mode or without ipywidgets.

    The feedback gives way to a plain note in the page when the answer cell is edited and not run (see `verdict_view`).
    """
    if strict_mode():
        return None
    try:
        import ipywidgets as widgets

        from .verdict_view import VerdictView
    except ImportError:
        return None
    hint_button = widgets.Button(
        description="Hint", icon="lightbulb-o", tooltip="Show a hint; each click says a little more."
    )
    assessed = exercise.assessed()
    tried = exercise.attempts > 0 and not assessed
    if assessed:
        tooltip = "This is an assessment: the worked answer comes with your feedback."
    else:
        tooltip = (
            "Show a worked answer." if tried else "The worked answer opens after your first answer of the right form."
        )
    solution_button = widgets.Button(description="Solution", icon="eye", disabled=not tried, tooltip=tooltip)
    shown = widgets.Output()

    def add(extra: Feedback) -> None:
        with shown:
            _display(extra)

    hint_button.on_click(lambda _: add(exercise._hint()))
    solution_button.on_click(lambda _: add(exercise._solution()))
    buttons = widgets.HBox([hint_button, solution_button])
    verdict = VerdictView(
        variable=exercise.name,
        assigns=runs.assignment_pattern(exercise.name),
        verdict=feedback._repr_html_(),
        edited=edited_note(exercise.name)._repr_html_(),
        rerun=rerun_note(exercise.name)._repr_html_(),
    )
    box = widgets.VBox([verdict, buttons, shown])
    box.add_class("chainlab-feedback")
    return box


def edited_note(variable: str) -> Feedback:
    """What the page shows instead of a verdict while the answer cell has changes it has not run."""
    return Feedback(
        "stale",
        f"You changed your answer cell after it last ran, so `{variable}` still holds your earlier answer "
        "and this check cannot judge your change. Run the answer cell (Shift+Enter), then run this check again.",
    )


def rerun_note(variable: str) -> Feedback:
    """What the page shows once that edited answer cell has run again: the verdict was about the earlier answer."""
    return Feedback(
        "stale",
        f"Your answer cell ran again after this check, so `{variable}` may hold a new answer. "
        "Run this check again (Shift+Enter) to judge it.",
    )


class _WithFallback:
    """A widget that also carries the feedback as HTML and text, for pages and tools that cannot show widgets."""

    def __init__(self, widget, feedback: Feedback):
        self.widget, self.feedback = widget, feedback

    def _repr_mimebundle_(self, **kwargs):
        bundle = dict(self.widget._repr_mimebundle_(**kwargs))
        bundle.update({"text/plain": str(self.feedback), "text/html": self.feedback._repr_html_()})
        return bundle


@dataclass(frozen=True)
class Slip:
    """A likely wrong method for an exercise: the code that computes it on the module's data, and the message it earns.

    The key builder runs `code` in the solution notebook, right after the exercise's solution cell, and
    stores the hash of its result; a learner's answer that matches it gets `message`.
    """

    code: str
    message: str

    @property
    def key(self) -> str:
        """The slip's name in the answer keys: a short hash of its code."""
        return hashlib.sha256(self.code.encode()).hexdigest()[:16]


def notebook_namespace() -> dict:
    """The running notebook's variables (IPython's user_ns); empty outside IPython."""
    try:
        from IPython import get_ipython
    except ImportError:
        return {}
    shell = get_ipython()
    return shell.user_ns if shell is not None else {}


@dataclass
class Exercise:
    """One question, written once: its title, objective, task, the form of its answer, hints from gentle to explicit.

    `hints` are the hints a learner may open at any time; the last hint, which all but gives the
    answer, is written beside the worked solution in solutions/ (see `keys.last_hint`), so that an
    assessment's learner does not hold it.

    `module` and `name` make the id `NN.name`; `name` is also the variable the
    learner assigns and the nbgrader solution cell's id. `brief()` is the
    notebook's heading block for the exercise (a test holds the notebooks to it).
    """

    module: str
    name: str
    objective: str
    answer: AnswerKind
    hints: list[str]  # all but the last hint
    title: str = ""  # the heading's words: "### Exercise N: <title> (P points)"
    task: str = ""  # what to put in the variable, as the notebook states it
    points: int = 1
    slips: list[Slip] = field(default_factory=list)
    form: object = None  # an answer_widgets.AnswerForm: the no-code way to answer (None: code only)
    attempts: int = field(default=0, init=False)
    hints_shown: int = field(default=0, init=False)

    @property
    def id(self) -> str:
        return f"{self.module}.{self.name}"

    @property
    def number(self) -> int | None:
        """The exercise's position among its module's exercises (1, 2, ...), in definition order; None if it is not one of them."""
        names = list(exercises_of(self.module))
        return names.index(self.name) + 1 if self.name in names else None

    def brief(self) -> str:
        """The notebook's heading block for this exercise: heading, objective, task and answer form."""
        points = f"{self.points} point{'' if self.points == 1 else 's'}"
        return (
            f"### Exercise {self.number}: {self.title} ({points})\n\n"
            f"**Objective:** {self.objective}\n"
            f"**Task:** {self.task}\n"
            f"**Answer form:** {self.answer.describe()}."
        )

    def check(self, value=BLANK) -> None:
        """Say whether `value` is right; in strict mode raise unless it is."""
        __tracebackhide__ = True
        if keys.recording():
            keys.record(self.key_record(value, notebook_namespace()))
            show(Feedback("correct", f"recorded the answer key for {self.id}"))
            return
        feedback = self.stale()
        if feedback is None:
            if self.form is not None:
                value, feedback = self.form.resolve(self, value)  # a blank: the answer panel's recorded choice
            feedback = feedback or (self.form_verdict(value) if keys.assessment(self.module) else self.verdict(value))
        if feedback.status in ("correct", "incorrect") and self.well_formed(value):
            self.attempts += 1  # a genuine attempt: an answer of the right form
        if strict_mode() and feedback.status not in ("correct", "right_form"):
            raise AnswerNotAccepted(f"Exercise {self.number or self.name} · {feedback}")
        if not strict_mode():
            progress.record(self.id, feedback.status == "correct")
        self._show_with_buttons(feedback)

    def answer_panel(self):
        """The no-code answer panel for this exercise (see `answer_widgets`)."""
        if self.form is None:
            raise ValueError(f"Exercise {self.id} has no answer panel: answer it in code, in the answer cell.")
        return self.form.panel(self)

    def stale(self) -> Feedback | None:
        """Feedback for a variable whose last assigning cell stopped with an error (its value is from an older run); else None."""
        run = runs.last_run(self.name)
        if run is None or run.ok:
            return None
        if run.error in ("SyntaxError", "IndentationError", "TabError"):
            what = f"Python could not read your answer cell ({run.error}), so it did not run"
        else:
            what = f"your answer cell stopped with an error ({run.error})"
        return Feedback(
            "stale",
            f"{what[:1].upper()}{what[1:]}: `{self.name}` may still hold a value from an earlier run, so it was not checked. "
            "Fix the error, run the answer cell again, then run this check.",
        )

    def assessed(self) -> bool:
        """True when this module was released as an assessment (see `keys.assessment`)."""
        try:
            return keys.assessment(self.module)
        except keys.MissingKeys:
            return False

    def well_formed(self, value) -> bool:
        """True when `value` has the answer's form (it may still be wrong)."""
        try:
            self.answer.canonical(value)
        except FormError:
            return False
        return True

    def hint(self, tier: int | None = None) -> None:
        """Show the next hint (or hint number `tier`); later hints say more."""
        show(self._hint(tier))

    @property
    def hint_count(self) -> int:
        """How many hints the exercise has: the open ones in `hints`, and the last one, written beside the worked solution."""
        return len(self.hints) + 1

    def all_hints(self) -> list[str]:
        """Every hint, the last included (read from the keys or solutions/, see `keys.last_hint`)."""
        return [*self.hints, keys.last_hint(self.id)]

    def _hint(self, tier: int | None = None) -> Feedback:
        count = self.hint_count
        if tier is None:
            tier = min(self.hints_shown + 1, count)
        if not 1 <= tier <= count:
            return Feedback("hint", f"There are {count} hints: use hint(1) to hint({count}).")
        last_open = count - 1 if self.assessed() else count
        if tier > last_open:
            return Feedback(
                "withheld",
                f"This is an assessment: the last hint ({tier}/{count}) comes with your feedback, when your instructor returns it.",
            )
        self.hints_shown = max(self.hints_shown, tier)
        if tier < last_open:
            more = " Ask again for a stronger hint."
        elif last_open < count:
            more = " The last hint comes with your feedback: this is an assessment."
        else:
            more = " That was the last hint; the Solution button (or solution()) shows a worked answer."
        text = self.hints[tier - 1] if tier <= len(self.hints) else keys.last_hint(self.id)
        return Feedback("hint", f"({tier}/{count}) {text}{more}")

    def solution(self) -> None:
        """Show a worked solution, once the learner has tried an answer of the right form (never during an assessment)."""
        show(self._solution())

    def _solution(self) -> Feedback:
        if self.assessed():
            return Feedback(
                "withheld",
                "This is an assessment: the worked answer comes with your feedback, when your instructor returns it.",
            )
        if self.attempts == 0:
            return Feedback(
                "unanswered",
                f"Have a go first: put an answer of the right form ({self.answer.describe()}) in `{self.name}` and run the check. "
                "After that attempt, the worked answer is one click away.",
            )
        return Feedback("solution", keys.solution_code(self.id))

    def _show_with_buttons(self, feedback: Feedback) -> None:
        """The feedback box with Hint and Solution buttons under it (plain feedback where widgets cannot show)."""
        box = feedback_box(feedback, self) if _in_kernel() else None
        if box is None:
            show(feedback)
        else:
            _display(_WithFallback(box, feedback))

    def _canonical_or_raise(self, value) -> str:
        if value is BLANK:
            raise AnswerNotAccepted(f"{self.id}: the solution left the answer blank")
        return self.answer.canonical(value)

    def key_record(self, value, namespace: dict) -> dict:
        """What the key builder stores for the right answer `value`: its canonical form, size, facets and the slips' answers."""
        return {
            "id": self.id,
            "canonical": self._canonical_or_raise(value),
            "size": self.answer.size(value),
            "facets": {facet.name: facet.canonical for facet in self.answer.facets(value)},
            "slips": self.slip_answers(namespace),
        }

    def slip_answers(self, namespace: dict) -> dict[str, dict]:
        """Each slip's canonical answer, computed in `namespace` (a notebook's variables), by slip key.

        A slip whose code fails, or gives an answer of the wrong form, is recorded with its `error`,
        for the key builder to report.
        """
        found = {}
        for slip in self.slips:
            try:
                value = eval(slip.code, namespace)  # noqa: S307 (the course's own slip code, in the instructor's notebook)
                found[slip.key] = {"code": slip.code, "canonical": self.answer.canonical(value)}
            except Exception as problem:  # noqa: BLE001 (reported by the key builder, with the slip's code)
                found[slip.key] = {"code": slip.code, "error": f"{type(problem).__name__}: {problem}"}
        return found

    def matching_slip(self, key: dict, canonical: str) -> Slip | None:
        """The slip whose recorded answer is `canonical`, if one is."""
        for slip in self.slips:
            if keys.matches(key, f"slip:{slip.key}", canonical):
                return slip
        return None

    def form_verdict(self, value) -> Feedback:
        """An assessment's check: whether `value` has the answer's form (type, unit, size), never whether it is right."""
        if value is BLANK or value is None or value is Ellipsis:
            return Feedback("unanswered", f"Replace ____ with your answer: {self.answer.describe()}. {ASSESSMENT_NOTE}")
        try:
            self.answer.canonical(value)
        except FormError as problem:
            return Feedback("wrong_form", f"{problem} Expected: {self.answer.describe()}. {ASSESSMENT_NOTE}")
        reason = self.answer.implausible(value)
        if reason:
            return Feedback("wrong_form", f"{reason} {ASSESSMENT_NOTE}")
        return Feedback(
            "right_form", f"Your answer has the form asked for: {self.answer.describe()}. {ASSESSMENT_NOTE}"
        )

    def verdict(self, value) -> Feedback:
        """Judge `value` without showing anything: correct, incorrect (with what is off) or unanswered."""
        if value is BLANK or value is None or value is Ellipsis:
            return Feedback("unanswered", f"Replace ____ with your answer: {self.answer.describe()}.")
        try:
            canonical = self.answer.canonical(value)
        except FormError as problem:
            return Feedback("incorrect", f"{problem} Expected: {self.answer.describe()}.")
        key = keys.key_for(self.id)
        if keys.matches(key, "answer", canonical):
            return Feedback("correct", "Well done.")
        slip = self.matching_slip(key, canonical)
        if slip is not None:
            return Feedback("incorrect", slip.message)
        for variant in self.answer.variants(value):
            if keys.matches(key, "answer", variant.canonical):
                return Feedback("incorrect", variant.message)
        for facet in self.answer.facets(value):
            if keys.matches(key, f"facet:{facet.name}", facet.canonical):
                return Feedback("incorrect", facet.message)
        reason = self.answer.implausible(value)
        if reason:
            return Feedback("incorrect", reason)
        size = self.answer.size(value)
        items = self.answer.items()
        if size is not None and not keys.matches(key, "size", str(size)):
            head = (
                f" If you used .head(), leave it out: it keeps only the first {HEAD_ROWS}." if size == HEAD_ROWS else ""
            )
            return Feedback(
                "incorrect",
                f"Your answer has {counted(size, items)}, which is not the right number.{head} Check which {items} you kept.",
            )
        if size is not None:
            return Feedback(
                "incorrect",
                f"You have the right number of {items} ({size}), but not the right ones. Check which {items} you kept.",
            )
        return Feedback("incorrect", "That is not the expected answer yet. Check your steps, or ask for a hint.")


def exercises_of(module_number: str) -> dict[str, Exercise]:
    """The exercises of a course module (`"00"`, `"01"`, ...), by name."""
    namespace = vars(importlib.import_module(f"chainlab.exercises.m{module_number}"))
    return {value.name: value for value in namespace.values() if isinstance(value, Exercise)}


def compare_with_package(yours, package, what: str = "accounts") -> None:
    """Say whether a learner's set of ids agrees with the package's, without listing either (introduced in 04)."""
    if yours is BLANK or yours is None:
        show(
            Feedback(
                "unanswered",
                f"Answer the exercise above first; then this cell compares your {what} with the package's.",
            )
        )
        return
    try:
        mine, theirs = set(yours), set(package)
    except TypeError:
        show(Feedback("incorrect", f"Your answer is not a list of {what}, so it cannot be compared."))
        return
    if mine == theirs:
        show(Feedback("correct", f"The package flags the same {len(theirs)} {what} as you."))
    else:
        show(
            Feedback(
                "incorrect",
                f"The package and you differ: {len(mine - theirs)} of your {what} are not in its list, and it has {len(theirs - mine)} that yours lacks.",
            )
        )
