"""The exercise object every module uses: `check()`, tiered `hint()`, `solution()`.

Modelled on Kaggle learntools' problems. An exercise knows its objective and the
form of its answer (an `AnswerKind`), never the answer itself: it compares the
canonical form of the learner's value with a salted hash from the answer keys.

Two modes:
- interactive (a learner's kernel): feedback is shown and Run All goes on;
- strict (nbgrader sets NBGRADER_EXECUTION when it validates or autogrades, and
  CHAINLAB_STRICT=1 does the same for the test suite): anything but a right
  answer raises `AnswerNotAccepted`, so the grade cell fails.
"""

from __future__ import annotations

import html
import importlib
import os
from dataclasses import dataclass, field

from .. import progress
from . import keys
from .answers import BLANK, AnswerKind, FormError


class AnswerNotAccepted(AssertionError):
    """Raised in strict mode when an answer is missing, malformed or wrong."""


def strict_mode() -> bool:
    """True under nbgrader validation or autograding, or when CHAINLAB_STRICT=1."""
    return bool(os.environ.get("NBGRADER_EXECUTION")) or os.environ.get("CHAINLAB_STRICT") == "1"


@dataclass
class Feedback:
    """One verdict shown to the learner: correct, incorrect or not attempted."""

    status: str  # "correct" | "incorrect" | "unanswered"
    message: str

    STYLES = {
        "correct": ("#e6f4ea", "#1e7b34", "Correct"),
        "incorrect": ("#fdecea", "#a61b1b", "Not yet"),
        "unanswered": ("#e8f0fe", "#1a4f9c", "Not answered yet"),
        "hint": ("#fff8e1", "#7a5b00", "Hint"),
        "solution": ("#f3e8fd", "#5b2a86", "Solution"),
    }

    def _repr_html_(self) -> str:
        background, colour, title = self.STYLES[self.status]
        body = html.escape(self.message).replace("\n", "<br>")
        if self.status == "solution":
            body = f"<pre style='margin:0.3em 0 0'>{html.escape(self.message)}</pre>"
        return (
            f"<div style='background:{background};border-left:4px solid {colour};padding:0.5em 0.8em;margin:0.3em 0'>"
            f"<strong style='color:{colour}'>{title}:</strong> {body}</div>"
        )

    def __str__(self) -> str:
        return f"{self.STYLES[self.status][2]}: {self.message}"

    __repr__ = __str__


def show(feedback: Feedback) -> None:
    """Display feedback as a coloured box in Jupyter, or as text elsewhere."""
    try:
        from IPython import get_ipython
        from IPython.display import display

        if get_ipython() is not None:
            display(feedback)
            return
    except ImportError:
        pass
    print(feedback)


@dataclass(frozen=True)
class Slip:
    """A likely wrong method for an exercise: the code that computes it on the module's data, and the message it earns.

    The key builder runs `code` in the solution notebook, right after the exercise's solution cell, and
    stores the hash of its result; a learner's answer that matches it gets `message`.
    """

    code: str
    message: str


@dataclass
class Exercise:
    """One question: its objective, the form of its answer, hints from gentle to explicit.

    `module` and `name` make the id `NN.name`; `name` is also the variable the
    learner assigns and the nbgrader solution cell's id.
    """

    module: str
    name: str
    objective: str
    answer: AnswerKind
    hints: list[str]
    correct_note: str = ""
    title: str = ""  # the heading's words: "### Exercise N: <title> (P points)"
    task: str = ""  # what to put in the variable, as the notebook states it
    points: int = 1
    slips: list[Slip] = field(default_factory=list)
    attempts: int = field(default=0, init=False)
    hints_shown: int = field(default=0, init=False)

    @property
    def id(self) -> str:
        return f"{self.module}.{self.name}"

    def check(self, value=BLANK) -> None:
        """Say whether `value` is right; in strict mode raise unless it is."""
        __tracebackhide__ = True
        if keys.recording():
            keys.record(self.id, self._canonical_or_raise(value), self.answer.size(value))
            show(Feedback("correct", f"recorded the answer key for {self.id}"))
            return
        feedback = self.verdict(value)
        if feedback.status != "unanswered":
            self.attempts += 1
        if strict_mode() and feedback.status != "correct":
            raise AnswerNotAccepted(str(feedback))
        if not strict_mode():
            progress.record(self.id, feedback.status == "correct")
        show(feedback)

    def hint(self, tier: int | None = None) -> None:
        """Show the next hint (or hint number `tier`); later hints say more."""
        if tier is None:
            tier = min(self.hints_shown + 1, len(self.hints))
        if not 1 <= tier <= len(self.hints):
            show(Feedback("hint", f"There are {len(self.hints)} hints: use hint(1) to hint({len(self.hints)})."))
            return
        self.hints_shown = max(self.hints_shown, tier)
        more = " Run hint() again for a stronger hint." if tier < len(self.hints) else " That was the last hint; solution() shows a worked answer."
        show(Feedback("hint", f"({tier}/{len(self.hints)}) {self.hints[tier - 1]}{more}"))

    def solution(self) -> None:
        """Show a worked solution, once the learner has tried at least once."""
        if self.attempts == 0:
            show(Feedback("unanswered", f"Have a go first: put your answer in `{self.name}` and run the check. After one attempt, solution() shows a worked answer."))
            return
        show(Feedback("solution", keys.solution_code(self.id)))

    def _canonical_or_raise(self, value) -> str:
        if value is BLANK:
            raise AnswerNotAccepted(f"{self.id}: the solution left the answer blank")
        return self.answer.canonical(value)

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
            note = f" {self.correct_note}" if self.correct_note else ""
            return Feedback("correct", f"Well done.{note}")
        for variant in self.answer.variants(value):
            if keys.matches(key, "answer", variant.canonical):
                return Feedback("incorrect", variant.message)
        reason = self.answer.implausible(value)
        if reason:
            return Feedback("incorrect", reason)
        size = self.answer.size(value)
        if size is not None and not keys.matches(key, "size", str(size)):
            return Feedback("incorrect", f"Your answer has {size} item(s), which is not the right number. Check your condition (for example > versus >=) and try again.")
        if size is not None:
            return Feedback("incorrect", f"You have the right number of items ({size}), but not the right ones. Check which rows or values you picked.")
        return Feedback("incorrect", "That is not the expected answer yet. Check your steps, or ask for a hint().")


def exercises_of(module_number: str) -> dict[str, Exercise]:
    """The exercises of a course module (`"00"`, `"01"`, ...), by name."""
    namespace = vars(importlib.import_module(f"chainlab.exercises.m{module_number}"))
    return {value.name: value for value in namespace.values() if isinstance(value, Exercise)}



def compare_with_package(yours, package, what: str = "accounts") -> None:
    """Say whether a learner's set of ids agrees with the package's, without listing either (introduced in 04)."""
    if yours is BLANK or yours is None:
        show(Feedback("unanswered", f"Answer the exercise above first; then this cell compares your {what} with the package's."))
        return
    try:
        mine, theirs = set(yours), set(package)
    except TypeError:
        show(Feedback("incorrect", f"Your answer is not a list of {what}, so it cannot be compared."))
        return
    if mine == theirs:
        show(Feedback("correct", f"The package flags the same {len(theirs)} {what} as you."))
    else:
        show(Feedback("incorrect", f"The package and you differ: {len(mine - theirs)} of your {what} are not in its list, and it has {len(theirs - mine)} that yours lacks."))
