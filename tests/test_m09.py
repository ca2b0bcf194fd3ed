"""Module 09's exercises on the classroom world: every slip is computed and gives an answer of its own, and the
notebook states each exercise exactly as chainlab.exercises.m09 defines it."""

from __future__ import annotations

import re

import nbformat
import pytest

from chainlab.cases import m09
from chainlab.desk import Desk
from chainlab.exercises import answers
from chainlab.exercises.core import exercises_of

from .desk_requests import complete_request
from .notebook_tools import notebook_path, run_solution_code
from .worlds import SEEDS

SLUG = "09_working_with_vasps"
EXERCISES = exercises_of("09")
LINKED_BY_DEVICE = 'reply.linked_logins[reply.linked_logins["device_id"].isin(reply.logins["device_id"])]["account_id"]'


@pytest.fixture(scope="module")
def solved():
    return run_solution_code(SLUG)


def _canonical(kind: answers.AnswerKind, value) -> str:
    return kind.canonical(value)


@pytest.mark.parametrize("name", sorted(EXERCISES))
def test_every_slip_differs_from_the_right_answer_and_from_the_other_slips(solved, name):
    exercise = EXERCISES[name]
    assert exercise.slips, f"{name} has no slips"
    right = _canonical(exercise.answer, solved[name])
    seen = {right: "the right answer"}
    for slip in exercise.slips:
        value = eval(slip.code, dict(solved))  # noqa: S307 (our own slip code, run as the key builder runs it)
        canonical = _canonical(exercise.answer, value)
        assert canonical not in seen, f"{name}: slip {slip.code!r} gives the same answer as {seen.get(canonical)}"
        seen[canonical] = slip.code
        assert exercise.verdict(value).status == "incorrect"


def test_the_linked_accounts_case_has_each_kind_of_link(solved):
    """The data behind exercise 'linked_accounts': a stranger on the suspect's IP address, and a linked account on the
    suspect's device that never shared an IP address with it."""
    reply = solved["reply"]
    linked, own = reply.linked_logins, reply.logins
    by_ip = set(linked.loc[linked["ip_address"].isin(own["ip_address"]), "account_id"])
    by_device = set(linked.loc[linked["device_id"].isin(own["device_id"]), "account_id"])
    assert by_ip - by_device and by_device - by_ip


def test_the_reconciliation_matches_the_chain(solved):
    """Every deposit the return credits is a payment on the chain's trail, for the same value."""
    reply, trail = solved["reply"], solved["trail"]
    matched = reply.ledger[reply.ledger["transaction_hash"].isin(trail["transaction_hash"])]
    joined = matched.merge(trail, on=["transaction_hash", "output_index", "address"], suffixes=("_ledger", "_chain"))
    assert len(joined) == len(matched) == len(reply.ledger)
    assert (joined["value_ledger"] == joined["value_chain"]).all()


def test_each_exercise_heading_states_the_exercise_as_defined():
    notebook = nbformat.read(notebook_path("solutions", SLUG), as_version=4)
    text = "\n\n".join(cell.source for cell in notebook.cells if cell.cell_type == "markdown")
    headings = re.findall(r"^### Exercise (\d+): (.+) \((\d+) points?\)$", text, flags=re.M)
    assert [int(n) for n, _, _ in headings] == list(range(1, len(EXERCISES) + 1))
    by_title = {e.title: e for e in EXERCISES.values()}
    for _, title, points in headings:
        exercise = by_title[title]
        block = (
            f"**Objective:** {exercise.objective}\n**Task:** {exercise.task}\n"
            f"**Answer form:** {exercise.answer.describe()}."
        )
        assert block in text, f"the heading of {exercise.name} does not state its objective, task and answer form"
        assert int(points) == exercise.points


@pytest.mark.parametrize("seed", [*SEEDS, 41])  # 41: the cohort seed of the run sheet and the grading workflow test
def test_the_linked_accounts_slips_give_answers_of_their_own_on_every_seed(seed):
    """On every cohort seed the logins hold a shared device without a shared IP address, and a shared IP address
    (a carrier's NAT, a café) without a shared device, so that each linked-accounts slip gives its own answer."""
    case = m09.load(seed)
    desk = Desk(case.exchange, seed=seed)
    namespace = {"reply": desk.answer(complete_request(case))}
    exercise = EXERCISES["linked_accounts"]
    right = eval(LINKED_BY_DEVICE, namespace)  # noqa: S307 (the solution's method)
    assert len(right), f"seed {seed}: no other account on the suspect's device"
    seen = {exercise.answer.canonical(right): "the right method"}
    namespace["linked_accounts"] = right  # as after the solution cell: a slip may build on the answer
    for slip in exercise.slips:
        canonical = exercise.answer.canonical(eval(slip.code, namespace))  # noqa: S307 (our own slip code)
        assert canonical not in seen, f"seed {seed}: slip {slip.code!r} gives the same answer as {seen[canonical]}"
        seen[canonical] = slip.code
