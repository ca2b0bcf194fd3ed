"""A learner answers a module by answer panel only, in JupyterLab in a real browser, and is graded (browser test helper).

For each module: open the learner's notebook, Run All, choose the right answer in every panel (menus, a number,
an address or a transaction picked from the data) and press *Use this answer*; save; close and reopen the notebook
(no widget state survives that); Kernel → Restart Kernel and Run All: every check says Correct; Validate (nbgrader,
from the notebook toolbar) passes; the notebook and its answers file, as the learner hands them in, autograde to full
marks through real nbgrader, and the same submission with one panel left unanswered loses exactly that cell.

The walkthrough is also measured: the clicks it took and the words a learner reads (every text cell, every panel),
for the time estimate in docs/answer-panels.md. Screenshots and the measures go to test-artifacts/browser/.
"""

from __future__ import annotations

import ast
import json
import re
import shutil
import time

from nbgrader.api import Gradebook
from playwright.sync_api import expect

from chainlab.course import module
from chainlab.exercises import answer_widgets
from chainlab.exercises.answer_widgets import Menu, Number
from chainlab.exercises.core import exercises_of

from .answer_panels import right_choices
from .browser_helpers import ARTIFACTS, CURRENT_NOTEBOOK, Lab
from .notebook_tools import copy_course_root, nbgrader_steps

expect.set_options(timeout=30_000)

# In the page: the words a learner reads, in text cells and in the answer panels.
READ_TEXT_JS = """notebook => [
    ...document.querySelectorAll(`${notebook} .jp-MarkdownOutput, ${notebook} .chainlab-answer-panel`)
].map(element => element.innerText).join(' ')"""


def _label(field, code: str) -> str:
    """What the learner reads in the panel's menu for the choice `code`."""
    if isinstance(field, Menu):
        return next(label for label, option in field.options if option == code)
    return str(ast.literal_eval(code))  # a value picked from the data: the menu shows it as it is


def _answer_by_panel(lab: Lab, number: str, folder) -> int:
    """Choose the right answer in every panel of the notebook on show; return the clicks it took."""
    clicks = 0
    panels = lab.notebook.locator(".chainlab-answer-panel")
    expect(panels).to_have_count(len(exercises_of(number)))
    for index, (name, choice) in enumerate(right_choices(number, folder).items()):
        panel = panels.nth(index)
        panel.scroll_into_view_if_needed()
        form = exercises_of(number)[name].form
        menus, boxes = panel.locator("select"), panel.locator("input")
        for field in form.fields:
            if isinstance(field, Number):
                box = boxes.first
                box.fill(str(choice[field.name]))
                box.press("Tab")
                clicks += 2  # click into the box, type, leave it
            else:
                position = [f for f in form.fields if not isinstance(f, Number)].index(field)
                menus.nth(position).select_option(label=_label(field, choice[field.name]))
                clicks += 2  # open the menu, pick
        expect(panel, "the panel shows the line of code its choice stands for").to_contain_text(f"{name} = ")
        panel.get_by_role("button", name=answer_widgets.BUTTON).click()
        clicks += 1
        expect(panel).to_contain_text("Recorded")
    return clicks


def _wait_for_checks(lab: Lab, count: int, timeout: float = 240) -> None:
    boxes = lab.notebook.locator(".chainlab-feedback")
    correct = boxes.filter(has_text=re.compile(r"^\s*Correct:"))
    deadline = time.monotonic() + timeout
    while correct.count() < count:
        if time.monotonic() > deadline:
            raise AssertionError(
                f"after Restart and Run All, {correct.count()} of {count} checks say Correct: {[b.inner_text()[:80] for b in boxes.all()]}"
            )
        time.sleep(1)


def _autograde(root, slug: str, submissions: dict[str, tuple]) -> dict[str, dict[str, float]]:
    """Autograde each learner's (notebook, answers file or None) with real nbgrader; their scores by grade cell."""
    for student, (notebook, answers) in submissions.items():
        folder = root / "grading" / "submitted" / student / slug
        folder.mkdir(parents=True)
        shutil.copy2(notebook, folder / notebook.name)
        if answers is not None:
            (folder / f"{slug}.answers.json").write_text(answers)
    nbgrader_steps(root, [("generate_assignment", slug), *[("autograde", slug, student) for student in submissions]])
    with Gradebook(f"sqlite:///{root / 'grading' / 'gradebook.db'}") as gradebook:
        return {
            student: {
                g.name: g.score
                for nb in gradebook.find_submission(slug, student).notebooks
                for g in nb.grades
                if g.max_score
            }
            for student in submissions
        }


def walk_through_by_panel(browser, panel_server, slug: str, tmp_path) -> None:
    """The walkthrough of this module's docstring for one module, on `panel_server` (a `LabServer`)."""
    number = module(slug).number
    folder = panel_server.root / "course" / slug
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    lab = Lab(context.new_page(), panel_server)
    try:
        lab.open_notebook(f"course/{slug}/{slug}.ipynb")
        lab.run_all_cells()
        code_cells = len(lab.cell_states()["cells"])
        words = len(lab.page.evaluate(READ_TEXT_JS, CURRENT_NOTEBOOK).split())
        clicks = _answer_by_panel(lab, number, folder)
        lab.screenshot(ARTIFACTS / f"{slug}-panels-answered.png")
        lab.menu("File", "docmanager:save")
        clicks += 1
        expect(lab.page.locator(".lm-TabBar-tab.jp-mod-dirty"), "the notebook is saved").to_have_count(0)

        lab.open_notebook(f"course/{slug}/{slug}.ipynb")  # closed and opened again: widget state is gone
        lab.menu("Kernel", "runmenu:restart-and-run-all")
        lab.page.locator(".jp-Dialog .jp-mod-accept").click()
        clicks += 3
        _wait_for_checks(lab, len(exercises_of(number)))
        expect(lab.notebook.locator(".chainlab-answer-panel", has_text="Your recorded answer")).to_have_count(
            len(exercises_of(number))
        )
        lab.screenshot(ARTIFACTS / f"{slug}-panels-after-restart.png")
        first_check = lab.notebook.locator(".chainlab-feedback").first
        first_check.scroll_into_view_if_needed()
        first_check.locator("xpath=ancestor::div[contains(@class,'jp-Cell')][1]").screenshot(
            path=str(ARTIFACTS / f"{slug}-panel-check.png")
        )

        lab.notebook.locator(".jp-NotebookPanel-toolbar .validate-button").click()
        clicks += 2  # Validate, then Ok
        dialog = lab.page.locator(".jp-Dialog", has_text="Validation Results")
        expect(dialog.locator(".validation-success")).to_have_text(
            "Success! Your notebook passes all the tests.", timeout=180_000
        )
        dialog.screenshot(path=str(ARTIFACTS / f"{slug}-panels-validate.png"))
        assert not lab.browser_errors, lab.browser_errors
    finally:
        lab.screenshot(ARTIFACTS / f"{slug}-panels-last.png")
        context.close()
        panel_server.shut_down_kernels()

    answers_file = folder / f"{slug}.answers.json"
    handed_in = answers_file.read_text()
    one_left = json.loads(handed_in)
    unanswered = next(iter(one_left["answers"]))
    del one_left["answers"][unanswered]
    scores = _autograde(
        copy_course_root(tmp_path / "grading_root", slugs=(slug,)),
        slug,
        {
            "panel": (folder / f"{slug}.ipynb", handed_in),
            "one_unanswered": (folder / f"{slug}.ipynb", json.dumps(one_left)),
        },
    )
    assert scores["panel"] and all(score == 1 for score in scores["panel"].values()), scores["panel"]
    assert {cell for cell, score in scores["one_unanswered"].items() if score == 0} == {f"correct_{unanswered}"}

    measures = {"slug": slug, "code_cells_run": code_cells, "panel_and_menu_clicks": clicks, "words_read": words}
    (ARTIFACTS / f"{slug}-panel-walkthrough.json").write_text(json.dumps(measures, indent=1) + "\n")
