"""Answer panels (no-code answers): every choice is a line of code that the check judges like code, the right
choice alone is right, slips keep their messages, a recorded answer is never run as code, and the instructor's
release forms, collect and autograde carry the answers file along."""

from __future__ import annotations

import contextlib
import html
import itertools
import json
import shutil
import zipfile

import nbformat
import pytest

from chainlab import analysis, course
from chainlab.exercises import AnswerNotAccepted, answer_widgets
from chainlab.exercises.answers import BLANK
from chainlab.exercises.core import exercises_of
from chainlab.grading import answer_forms, collect
from chainlab.grading.workspace import Workspace

from .answer_panels import PANEL_MODULES, record_right_answers, right_choices
from .notebook_tools import notebook_path, run_solution_code


@pytest.fixture(scope="module")
def solved():
    """Each panel module's solution run in one namespace (its data, and the right answers in its variables)."""
    with contextlib.redirect_stdout(None):
        return {course.module(slug).number: run_solution_code(slug, through_last_check=True) for slug in PANEL_MODULES}


def _every_choice(form, namespace, right: dict):
    """Every choice the form offers; a number box takes the right choice's number (a wrong one is judged like code)."""
    menus = []
    for field in form.fields:
        offered = field.offered(namespace)
        if isinstance(field, answer_widgets.Conditions):
            codes = [code for _, code in offered]
            menus.append(
                [list(ticked) for size in range(len(codes) + 1) for ticked in itertools.combinations(codes, size)]
            )
        else:
            menus.append([right[field.name]] if offered is None else [code for _, code in offered])
    for combination in itertools.product(*menus):
        yield {field.name: chosen for field, chosen in zip(form.fields, combination)}


# Slips of writing code that no panel choice stands for (a panel offers decisions, not every way to mistype one).
NOT_A_CHOICE = {
    "00.big_transfers": {'transfers[transfers["amount_btc"] > 1][["tx_hash", "amount_btc"]]'},  # keeping two columns
    "00.transfers_by_time": {"transfers", 'transfers.sort_values("timestamp").head()'},  # not sorting; .head()
    "00.sent_per_address": {'transfers["from_address"].value_counts().head()'},  # .head()
    "01.mistyped_address": {"[a for a in chain.copied_addresses if not addresses.is_valid(a)][0].lower()"},  # .lower()
    "01.unconfirmed_fee": {'waiting_inputs["value"].sum()', 'waiting_outputs["value"].sum()'},  # one total alone
    "05.poison_excess_btc": {'compared["poison"].sum() / SATOSHI_PER_BTC'},  # leaving out the subtraction
}


def _compare_models_once(monkeypatch):
    """Each distinct taint comparison computed once: 05's choices often differ only in the model column they read."""
    computed, compare = {}, analysis.compare_models

    def once(graph, addresses=None, outputs=None, hops=None, at=None, stop_at=None):
        key = (id(graph), addresses, outputs, hops, None if at is None else tuple(at), id(stop_at))
        if key not in computed:
            computed[key] = compare(graph, addresses, outputs, hops, at, stop_at)
        return computed[key]

    monkeypatch.setattr(analysis, "compare_models", once)


@pytest.mark.parametrize("slug", PANEL_MODULES)
def test_each_exercise_has_a_panel_only_the_right_choice_is_right_and_each_slip_is_a_choice_with_its_message(
    slug, solved, tmp_path, monkeypatch
):
    """Every choice is judged; a choice that makes a slip's answer takes the panel's own path (recorded file, blank
    answer cell) to that answer, so the check gives it the slip's message (test_slips proves each slip's answer gets
    its message; one check per module here proves the path end to end: scrypt makes each check cost)."""
    _compare_models_once(monkeypatch)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CHAINLAB_STRICT", "1")
    number = course.module(slug).number
    namespace = dict(solved[number])
    monkeypatch.setattr(answer_widgets, "notebook_namespace", lambda: namespace)
    right = right_choices(number, tmp_path)
    release = nbformat.read(notebook_path("course", slug), as_version=4)
    shown = [cell.source.split(".")[1] for cell in release.cells if answer_forms.is_panel_cell(cell)]
    assert shown == list(exercises_of(number)), "each exercise's panel is in the learner's notebook, in order"
    checked_end_to_end = False
    for name, exercise in exercises_of(number).items():
        assert exercise.form is not None, f"{exercise.id} has no answer panel"
        expected = exercise.answer.canonical(namespace[name])
        found = exercise.slip_answers(namespace)
        slips = {found[slip.key]["canonical"]: slip for slip in exercise.slips if "canonical" in found[slip.key]}
        gives_right, reached = [], {}
        for choice in _every_choice(exercise.form, namespace, right[name]):
            value = eval(exercise.form.code(choice, namespace), dict(namespace))  # a copy: 09's request sets `reply`
            canonical = exercise.answer.canonical(value)
            if canonical == expected:
                gives_right.append(choice)
            elif canonical in slips:
                reached.setdefault(slips[canonical], choice)
        assert right[name] in gives_right, f"{exercise.id}: the scripted right choice is not right"
        if name != "reported_block":  # several transactions share the reported one's block: each gives its number
            assert gives_right == [right[name]], f"{exercise.id}: more than one choice is right: {gives_right}"
        assert expected not in slips
        unchosen = {slip.code for slip in slips.values()} - {slip.code for slip in reached}
        assert unchosen == NOT_A_CHOICE.get(exercise.id, set()), f"{exercise.id}: no panel choice makes these slips"
        for slip, choice in reached.items():
            scratch = dict(namespace)  # 09's request panel sets `reply`: the later exercises keep the solution's
            monkeypatch.setattr(answer_widgets, "notebook_namespace", lambda scratch=scratch: scratch)
            answer_widgets.record(number, name, choice)
            value, note = answer_widgets.resolve(exercise, BLANK)
            assert note is None and slips.get(exercise.answer.canonical(value)) is slip, (exercise.id, choice)
            if not checked_end_to_end:
                with pytest.raises(AnswerNotAccepted) as verdict:
                    exercise.check(BLANK)
                assert str(verdict.value).endswith(slip.message), (exercise.id, choice)
                checked_end_to_end = True
    assert checked_end_to_end


def test_09s_request_types_are_the_desks():
    from chainlab.exercises import m09
    from chainlab.widgets.request_builder import REQUEST_TYPES

    assert m09.REQUEST_TYPES == REQUEST_TYPES


def test_the_check_judges_the_recorded_choice_for_a_blank_and_gives_the_variable_its_value(
    solved, tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CHAINLAB_STRICT", "1")
    namespace = dict(solved["00"], n_transfers=BLANK)
    monkeypatch.setattr(answer_widgets, "notebook_namespace", lambda: namespace)
    exercise = exercises_of("00")["n_transfers"]
    with pytest.raises(AnswerNotAccepted, match="Not answered yet"):
        exercise.check(BLANK)  # nothing recorded: an unanswered panel scores zero
    path = record_right_answers("00", tmp_path)
    assert path.name == "00_getting_started.answers.json"
    exercise.check(BLANK)  # passes
    assert namespace["n_transfers"] == len(namespace["transfers"]), "the grader's re-check reads the variable"
    with pytest.raises(AnswerNotAccepted, match="Not yet"):
        exercise.check(len(namespace["transfers"]) + 1)  # a filled blank wins over the panel
    answer_widgets.record("00", "n_transfers", {"what": "len(transfers.columns)"})  # the learner changes their mind
    with pytest.raises(AnswerNotAccepted) as verdict:
        exercise.check(namespace["n_transfers"])  # the variable still holds the panel's first answer
    assert str(verdict.value).endswith(exercise.slips[0].message), "the check judges the panel's latest choice"


def test_a_recorded_choice_the_panel_does_not_offer_is_refused_and_never_run(solved, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CHAINLAB_STRICT", "1")
    namespace = dict(solved["00"])
    monkeypatch.setattr(answer_widgets, "notebook_namespace", lambda: namespace)
    proof = tmp_path / "ran"
    answer_widgets.record("00", "n_transfers", {"what": f"open({str(proof)!r}, 'w') and len(transfers)"})
    answer_widgets.record(
        "00", "big_transfers", {"column": '"amount_btc"', "comparison": ">", "amount": "1); open('x', 'w'"}
    )
    for name, reason in (("n_transfers", "is not one of the choices"), ("big_transfers", "is not a number")):
        with pytest.raises(AnswerNotAccepted, match=reason):
            exercises_of("00")[name].check(BLANK)
    assert not proof.exists()
    namespace.update(solved["03"])  # ticked conditions: each must be one of those offered, in a list
    direct_hits = exercises_of("03")["direct_hits"]
    listed_then = direct_hits.form.fields[0].options[0][1]
    for ticked, reason in (
        ([listed_then, f"open({str(proof)!r}, 'w') is None"], "is not one of the conditions"),
        (listed_then, "is not a list"),
    ):
        answer_widgets.record("03", "direct_hits", {"rows": ticked})
        with pytest.raises(AnswerNotAccepted, match=reason):
            direct_hits.check(BLANK)
    assert not proof.exists()
    (tmp_path / "00_getting_started.answers.json").write_text("{not json")
    assert answer_widgets.recorded("00") == {}


@pytest.fixture
def learners_kernel(tmp_path, monkeypatch):
    """As in a learner's kernel in JupyterLab: widgets shown, checks not strict, the notebook's folder a scratch one."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CHAINLAB_STRICT", raising=False)
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    monkeypatch.setattr(answer_widgets, "_in_kernel", lambda: True)


def test_panels_show_their_code_line_and_record_the_choice(learners_kernel, monkeypatch, solved):
    """The panel widget itself: the line of code follows the menus; the button writes the file the check reads."""
    monkeypatch.setattr(answer_widgets, "notebook_namespace", lambda: solved["00"])
    panel = exercises_of("00")["total_btc"].answer_panel()
    menus = [child.children[1] for child in panel.children if hasattr(child, "children") and len(child.children) == 2]
    code_line, button = panel.children[-3], panel.children[-2]
    assert button.disabled and "Choose in every menu" in code_line.value
    menus[0].value, menus[1].value = '"amount_btc"', "sum"
    assert "total_btc = transfers[&quot;amount_btc&quot;].sum()" in code_line.value and not button.disabled
    button.click()
    assert answer_widgets.recorded("00")["total_btc"] == {"column": '"amount_btc"', "operation": "sum"}
    reopened = exercises_of("00")["total_btc"].answer_panel()
    assert "sum()" in reopened.children[-3].value, "a reopened notebook's panel shows the recorded choice"


def test_a_conditions_panel_ticks_show_their_filter_and_record_the_ticked_list(learners_kernel, monkeypatch, solved):
    monkeypatch.setattr(answer_widgets, "notebook_namespace", lambda: solved["03"])
    panel = exercises_of("03")["direct_hits"].answer_panel()
    listed_then, not_delisted = panel.children[1].children[1:]
    code_line, button = panel.children[-3], panel.children[-2]
    assert "direct_hits = matched[&quot;request_id&quot;]" in code_line.value, "nothing ticked: every row of matched"
    not_delisted.value = True
    listed_then.value = True
    conditions = [code for _, code in exercises_of("03")["direct_hits"].form.fields[0].options]
    assert html.escape(f"matched[{' & '.join(conditions)}]") in code_line.value, "in the options' order"
    button.click()
    assert answer_widgets.recorded("03")["direct_hits"] == {"rows": conditions}
    reopened = exercises_of("03")["direct_hits"].answer_panel()
    assert all(box.value for box in reopened.children[1].children[1:]), "a reopened notebook's panel shows the ticks"


@pytest.mark.parametrize("form", answer_forms.FORMS)
def test_release_forms(form):
    notebook = answer_forms.shape(nbformat.read(notebook_path("course", PANEL_MODULES[0]), as_version=4), form)
    text = "\n".join(cell.source for cell in notebook.cells)
    panels = [cell for cell in notebook.cells if answer_forms.is_panel_cell(cell)]
    hidden = [cell for cell in notebook.cells if cell.metadata.get("jupyter", {}).get("source_hidden")]
    graded = [cell for cell in notebook.cells if cell.metadata.get("nbgrader", {}).get("grade")]
    assert len(graded) == len(exercises_of("00")), "every graded cell stays"
    if form == "code":
        assert not panels and "answer panel" not in text and ".answers.json" not in text and "Replace `____`" in text
    else:
        assert len(panels) == len(exercises_of("00"))
        assert len(hidden) == (len(panels) if form == "widget" else 0)
    with pytest.raises(ValueError, match="must be one of"):
        answer_forms.shape(notebook, "pictures")


def test_collect_carries_the_answers_file_from_moodle_and_canvas(tmp_path):
    slug = PANEL_MODULES[0]
    shutil.copy2(course.ROOT / "nbgrader_config.py", tmp_path)
    shutil.copytree(
        course.ROOT / "course" / slug, tmp_path / "course" / slug, ignore=shutil.ignore_patterns("*.answers.json")
    )
    ws = Workspace(tmp_path)
    release_text = (ws.course / slug / f"{slug}.ipynb").read_text()
    answers = json.dumps({"module": "00", "answers": {"n_transfers": {"what": "len(transfers)"}}})
    archive = tmp_path / "lms.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr(f"Ada Officer_1001_assignsubmission_file_/{slug}.ipynb", release_text)
        zipped.writestr(f"Ada Officer_1001_assignsubmission_file_/{slug}.answers.json", answers)
        zipped.writestr(f"bo_22_33_{slug}.ipynb", release_text)
        zipped.writestr(f"bo_22_33_{slug}.answers.json", answers)
        zipped.writestr(f"cy_44_55_{slug}.ipynb", release_text)
    records, _ = collect.collect(ws, slug, archive)
    for student in ("1001", "bo"):
        assert (ws.submitted / student / slug / f"{slug}.answers.json").read_text() == answers
    assert not (ws.submitted / "cy" / slug / f"{slug}.answers.json").exists()
    assert records["1001"]["sha256"] != records["cy"]["sha256"], "a changed answers file is a changed submission"


def test_in_a_kernel_a_blank_answer_cell_takes_the_panels_answer_and_a_broken_one_is_not_judged(tmp_path, monkeypatch):
    """One kernel: after the answer cell runs with its blank, the variable holds the panel's answer (hidden tests see it);
    after the answer cell stops with an error, the check says so instead of judging the panel's answer."""
    from nbclient import NotebookClient
    from nbformat.v4 import new_code_cell, new_notebook

    monkeypatch.delenv("CHAINLAB_STRICT", raising=False)
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    record_right_answers("00", tmp_path)
    setup = "from chainlab.exercises import ____\nfrom chainlab.exercises import m00 as ex\nfrom chainlab.cases import m00 as case\ntransfers = case.transfers()"
    check = "from chainlab.exercises import m00 as ex\nex.n_transfers.check(n_transfers)"
    cells = [
        setup,
        "ex.n_transfers.answer_panel()",
        "n_transfers = (\n    ____\n)",
        "print(n_transfers == len(transfers))",
        check,
        "n_transfers = (len(transfer))",
        check,
    ]
    notebook = new_notebook(cells=[new_code_cell(source, id=f"cell-{i}") for i, source in enumerate(cells)])
    NotebookClient(
        notebook, allow_errors=True, kernel_name="python3", timeout=120, resources={"metadata": {"path": str(tmp_path)}}
    ).execute()
    assert "True" in notebook.cells[3].outputs[0]["text"]
    texts = [
        "".join(output.get("data", {}).get("text/plain", "") for output in cell.outputs) for cell in notebook.cells
    ]
    assert "Correct" in texts[4]
    stale = texts[6]
    assert "(NameError)" in stale and "Correct" not in stale


def test_09s_request_panel_sends_its_request_and_the_rest_of_the_notebook_reads_its_return(
    solved, tmp_path, monkeypatch
):
    """A learner who answers 09's Exercise 4 by panel leaves `request` blank (the desk refuses it); the panel's request
    then gives `reply` its return, so the later exercises (by panel too) read the same return as a code learner's."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CHAINLAB_STRICT", "1")
    solution = solved["09"]
    namespace = dict(solution, request=BLANK)
    namespace["reply"] = namespace["desk"].answer(BLANK)
    assert not namespace["reply"].accepted and namespace["reply"].kyc.empty
    monkeypatch.setattr(answer_widgets, "notebook_namespace", lambda: namespace)
    record_right_answers("09", tmp_path)
    for name in ("accepted_scope", "suspect_customer", "linked_accounts", "ring_received_btc"):
        exercises_of("09")[name].check(BLANK)  # passes
    assert namespace["reply"].accepted and namespace["reply"].scope == solution["reply"].scope


def test_10s_request_panel_gives_request_and_reply_so_the_evidence_pack_records_the_request_sent(
    solved, tmp_path, monkeypatch
):
    """As in 09, a learner who answers 10's Exercise 4 by panel leaves `request` blank; the panel's request also gives
    `request` its value (the evidence pack records it) and `reply` its return (the later exercises read it)."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CHAINLAB_STRICT", "1")
    solution = solved["10"]
    namespace = dict(solution, request=BLANK)
    namespace["reply"] = namespace["desk"].answer(BLANK)
    monkeypatch.setattr(answer_widgets, "notebook_namespace", lambda: namespace)
    record_right_answers("10", tmp_path)
    for name in ("accepted_scope", "suspect_account", "linked_accounts"):
        exercises_of("10")[name].check(BLANK)  # passes
    assert namespace["request"] == solution["request"]
    assert namespace["reply"].accepted and namespace["reply"].scope == solution["reply"].scope
