"""Every exercise's checker against a right, a wrong and an unanswered answer, in both modes.

The right answers come from running the instructor notebook's code, so no
expected value is written in this file.
"""

from __future__ import annotations

import json

import pandas as pd
import pytest

from chainlab import course
from chainlab.exercises import answers, keys
from chainlab.exercises.core import AnswerNotAccepted, Exercise, Feedback, exercises_of, feedback_box

from .notebook_tools import run_solution_code


def _cases():
    for module in course.MODULES:
        exercises = exercises_of(module.number)
        for name in sorted(exercises):
            yield pytest.param(module.slug, name, id=f"{module.number}.{name}")


@pytest.fixture(scope="session")
def solved():
    """Each module's notebook namespace after running its solution code."""
    return {module.slug: run_solution_code(module.slug) for module in course.MODULES}


def _exercise(slug: str, name: str) -> Exercise:
    return exercises_of(slug[:2])[name]


def a_wrong_answer(kind: answers.AnswerKind, right):
    """A well-formed answer that differs from `right`, for any answer kind."""
    if isinstance(kind, answers.Count):
        return int(right) + 1
    if isinstance(kind, answers.Amount):
        return right * 1.5 + 1
    if isinstance(kind, answers.Text):
        return right[:-1] + ("1" if right[-1] != "1" else "2")
    if isinstance(kind, answers.Choice):
        return next(option for option in kind.options if kind.canonical(option) != kind.canonical(right))
    if isinstance(kind, answers.LabelSet):
        labels = sorted(set(answers._as_labels(right, kind.what)))
        return labels[1:] if len(labels) > 1 else labels + ["not-the-answer"]
    if isinstance(kind, answers.Rows):
        return right.iloc[::-1] if kind.ordered and len(right) > 1 else right.iloc[1:]
    if isinstance(kind, answers.Row):
        changed = right.copy()
        changed[kind.key] = "0" * 64
        return changed
    if isinstance(kind, answers.CountsBy):
        changed = pd.Series(right).copy()
        changed.iloc[0] += 1
        return changed
    raise AssertionError(f"tests/test_exercises.py has no wrong answer for {type(kind).__name__}: add one")


@pytest.mark.parametrize("slug, name", list(_cases()))
def test_right_answer_is_accepted(slug, name, solved, monkeypatch):
    exercise = _exercise(slug, name)
    assert exercise.verdict(solved[slug][name]).status == "correct"
    monkeypatch.setenv("CHAINLAB_STRICT", "1")
    exercise.check(solved[slug][name])  # must not raise


@pytest.mark.parametrize("slug, name", list(_cases()))
def test_wrong_answer_is_refused_without_revealing_the_answer(slug, name, solved, monkeypatch):
    exercise = _exercise(slug, name)
    right = solved[slug][name]
    wrong = a_wrong_answer(exercise.answer, right)
    feedback = exercise.verdict(wrong)
    assert feedback.status == "incorrect"
    expected = exercise.answer.canonical(right)
    for part in expected.splitlines():
        if len(part) >= 3:
            assert part not in feedback.message, f"the feedback reveals part of the answer: {part!r}"
    monkeypatch.setenv("CHAINLAB_STRICT", "1")
    with pytest.raises(AnswerNotAccepted):
        exercise.check(wrong)


@pytest.mark.parametrize("slug, name", list(_cases()))
def test_unanswered_is_told_apart(slug, name, monkeypatch):
    exercise = _exercise(slug, name)
    feedback = exercise.verdict(answers.BLANK)
    assert feedback.status == "unanswered"
    assert "____" in feedback.message
    exercise.check(answers.BLANK)  # interactive: shows feedback, does not raise
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    with pytest.raises(AnswerNotAccepted, match="Not answered"):
        exercise.check(answers.BLANK)


@pytest.mark.parametrize("slug, name", list(_cases()))
def test_an_answer_of_the_wrong_type_says_what_form_is_expected(slug, name):
    exercise = _exercise(slug, name)
    odd = (
        3.5
        if isinstance(
            exercise.answer,
            (answers.Text, answers.Choice, answers.LabelSet, answers.Rows, answers.Row, answers.CountsBy),
        )
        else "some text"
    )
    feedback = exercise.verdict(odd)
    assert feedback.status == "incorrect"
    assert "Expected:" in feedback.message


@pytest.mark.parametrize("slug, name", list(_cases()))
def test_hints_go_from_gentle_to_explicit_and_solution_waits_for_an_attempt(slug, name, solved, capsys):
    exercise = Exercise(
        **{f: getattr(_exercise(slug, name), f) for f in ("module", "name", "objective", "answer", "hints")}
    )
    every_hint = exercise.all_hints()
    assert len(every_hint) == exercise.hint_count >= 2
    exercise.solution()
    assert "Have a go first" in capsys.readouterr().out
    for tier, text in enumerate(every_hint, start=1):
        exercise.hint()
        assert f"({tier}/{len(every_hint)}) {text}" in capsys.readouterr().out
    exercise.check(a_wrong_answer(exercise.answer, solved[slug][name]))
    capsys.readouterr()
    exercise.solution()
    assert keys.solution_code(exercise.id) in capsys.readouterr().out


def _buttons(box) -> dict:
    (row,) = [child for child in box.children if type(child).__name__ == "HBox"]
    return {button.description: button for button in row.children}


def test_the_feedback_box_has_a_hint_button_and_a_solution_button_for_after_an_attempt(solved, monkeypatch, capsys):
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    monkeypatch.delenv("CHAINLAB_STRICT", raising=False)
    exercise = Exercise(
        **{
            f: getattr(_exercise("00_getting_started", "total_btc"), f)
            for f in ("module", "name", "objective", "answer", "hints")
        }
    )
    buttons = _buttons(feedback_box(exercise.verdict(answers.BLANK), exercise))
    assert set(buttons) == {"Hint", "Solution"} and buttons["Solution"].disabled and not buttons["Hint"].disabled
    buttons["Hint"].click()
    buttons["Hint"].click()
    shown = capsys.readouterr().out
    assert f"(1/{exercise.hint_count}) {exercise.hints[0]}" in shown and f"(2/{exercise.hint_count})" in shown
    exercise.check(a_wrong_answer(exercise.answer, solved["00_getting_started"]["total_btc"]))
    buttons = _buttons(feedback_box(Feedback("incorrect", "Not that."), exercise))
    assert not buttons["Solution"].disabled
    capsys.readouterr()
    buttons["Solution"].click()
    assert keys.solution_code(exercise.id) in capsys.readouterr().out


def test_under_nbgrader_a_check_shows_no_widget(monkeypatch):
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    exercise = _exercise("00_getting_started", "total_btc")
    assert feedback_box(Feedback("correct", "Well done."), exercise) is None


def test_amounts_in_the_wrong_unit_get_a_unit_hint(solved):
    for module in course.MODULES:
        for name, exercise in exercises_of(module.number).items():
            if isinstance(exercise.answer, answers.Amount) and exercise.answer.unit == "BTC":
                feedback = exercise.verdict(solved[module.slug][name] * 100_000_000)
                assert feedback.status == "incorrect" and "sat" in feedback.message


def test_answer_keys_hold_no_answer_in_clear(solved):
    for module in course.MODULES:
        table = (keys.PACKAGE_KEYS / f"{module.slug}.json").read_text()
        assert "solutions" not in json.loads(table), (
            f"{module.slug}.json ships worked solutions: `solution()` reads solutions/"
        )
        for name, exercise in exercises_of(module.number).items():
            # A worked solution that states its answer (a choice such as "freeze") is shown after a first try by design;
            # the hashes must not give away any other answer. (An assessment ships neither: tests/test_grading_assessment.py.)
            stated = keys.solution_code(f"{module.number}.{name}")
            for part in exercise.answer.canonical(solved[module.slug][name]).splitlines():
                if len(part) >= 4 and part not in stated:
                    assert part not in table, f"{module.slug}.json holds part of {name}'s answer in clear"
        assert set(json.loads(table)["answers"]) == {f"{module.number}.{n}" for n in exercises_of(module.number)}


def test_compare_with_package_says_agree_or_how_many_differ_without_listing(capsys):
    from chainlab.exercises import compare_with_package

    compare_with_package(["A-1", "A-2"], ["A-2", "A-1"])
    assert "same 2 accounts" in capsys.readouterr().out
    compare_with_package(["A-1", "A-9"], ["A-1", "A-2", "A-3"])
    out = capsys.readouterr().out
    assert "1 of your accounts are not in its list" in out and "2 that yours lacks" in out
    assert "A-2" not in out and "A-3" not in out and "A-9" not in out
    compare_with_package(answers.BLANK, ["A-1"])
    assert "Answer the exercise above first" in capsys.readouterr().out
    compare_with_package(7, ["A-1"])
    assert "not a list" in capsys.readouterr().out


def test_amounts_are_exact_for_large_whole_numbers_and_decimals():
    from decimal import Decimal

    wei = answers.Amount(unit="wei")
    assert wei.canonical(10**24 + 1) == str(10**24 + 1)  # a float would round this
    assert answers.Amount(unit="ETH").canonical(Decimal("1.000000000000000001")) == str(10**18 + 1)
    assert answers.Amount(unit="BTC").canonical(0.1 + 0.2) == "30000000"
    # 10**18 read as gwei or as wei, in wei: the slips a learner makes when a column is in another unit
    assert [v.canonical for v in answers.Amount(unit="ETH").variants(10**18)] == [str(10**27), str(10**18)]
