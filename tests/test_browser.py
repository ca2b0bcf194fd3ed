"""The course in a real browser: JupyterLab in Debian's Chromium, driven by Playwright.

nbval runs kernels without a browser, so it cannot see a widget that fails to render,
an extension that fails to load or a notebook JupyterLab will not open. For every module
in course/, these tests open the learner's notebook in JupyterLab, Run All Cells, work one
of its widgets and check what the page then shows; then fetch the module from nbgrader's
assignment list and validate it there, unanswered (fails) and solved (passes).
In a solved 00, an answer cell edited and not run makes the check below it withdraw its verdict.
Screenshots and JupyterLab's log go to test-artifacts/browser/ (git-ignored), also when a test fails.
"""

from __future__ import annotations

import re
import shutil

import nbformat
import pytest
from playwright.sync_api import expect

from chainlab.course import module
from chainlab.exercises.core import edited_note, exercises_of, rerun_note
from chainlab.grading.rubric import written_answers

from .browser_checks import cut_off_widget_texts, run_module_and_work_its_widget
from .browser_helpers import ARTIFACTS, CHROMIUM, MODULE_SLUGS, answer_every_exercise

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason=f"no browser: {CHROMIUM} is missing and could not be installed. Run scripts/install-browser.sh as root (`make test` does), then test again.",
    ),
]

# The modules are shared between this file and test_browser_modules.py (one JupyterLab each, two test workers).
FIRST_MODULES = MODULE_SLUGS[:5]


@pytest.mark.parametrize("slug", FIRST_MODULES)
def test_module_runs_in_jupyterlab_and_its_widget_responds(lab, slug):
    run_module_and_work_its_widget(lab, slug)


def test_a_widget_keeps_its_value_and_says_why_after_bad_input(lab):
    """03's travel-rule helper: "hello" in the amount box gets a message in the widget, and the box shows the last good amount."""
    slug = "03_legal_and_regulatory"
    lab.open_notebook(f"course/{slug}/{slug}.ipynb")
    lab.run_all_cells()
    helper = lab.notebook.locator(
        ".widget-vbox", has=lab.page.locator(".widget-toggle-buttons", has_text="coins go to")
    ).first
    box = helper.locator(".widget-text", has_text="amount").locator("input")
    good = box.input_value()
    result = helper.locator(".widget-html-content").last
    shown = result.inner_text()
    box.fill("hello")
    box.press("Enter")
    note = helper.locator(".widget-html-content", has_text="is not a number")
    try:
        expect(note, "the widget says what was wrong with the input").to_contain_text("“hello” is not a number")
        expect(box, "the box shows the last good amount again").to_have_value(good)
        assert result.inner_text() == shown, "the answer stays the one for the last good amount"
        assert not cut_off_widget_texts(lab)
    finally:
        helper.screenshot(path=ARTIFACTS / "widget-after-bad-input.png")


@pytest.mark.parametrize("slug", ["00_getting_started"])
def test_a_check_shows_its_feedback_with_hint_and_solution_buttons(lab, slug):
    """After Run All, the first check says the blank is unanswered, with a Hint button (one click shows hint 1) and a Solution button kept for after a try."""
    first = next(iter(exercises_of(module(slug).number).values()))
    box = lab.notebook.locator(".chainlab-feedback").first
    try:
        lab.open_notebook(f"course/{slug}/{slug}.ipynb")
        lab.run_all_cells()
        box.scroll_into_view_if_needed()
        expect(box, "the first check judges the blank answer").to_contain_text("Not answered yet")
        hint, solution = box.get_by_role("button", name="Hint"), box.get_by_role("button", name="Solution")
        expect(hint).to_be_enabled()
        expect(solution, "the worked answer waits for a first attempt").to_be_disabled()
        hint.click()
        expect(box, "one click on Hint shows the first hint").to_contain_text(
            f"(1/{first.hint_count}) {first.hints[0].replace('`', '')}"
        )  # `code` shows as code
        assert not lab.browser_errors, f"{slug}: the browser reported errors: {lab.browser_errors}"
    finally:
        if box.count():
            box.screenshot(path=str(ARTIFACTS / f"{slug}-feedback.png"))
        lab.screenshot(ARTIFACTS / f"{slug}-feedback-page.png")


def test_a_check_withdraws_its_verdict_when_the_answer_cell_is_edited_and_not_run(lab):
    """00, solved: edit the first answer cell to a wrong answer without running it. The check's Correct gives way to the
    edited-not-run note at once, and again when the check is run; running the answer cell asks for the check again,
    and the check then judges the new answer."""
    slug, name = "00_getting_started", "n_transfers"
    folder = lab.server.root / "course" / slug
    shutil.copy(folder / f"{slug}.ipynb", folder / "solved.ipynb")  # same folder: the same cohort's data
    answer_every_exercise(folder / "solved.ipynb", lab.server.root / "solutions" / slug / f"{slug}.ipynb")
    page, notebook = lab.page, lab.notebook
    answer = notebook.locator(".jp-CodeCell", has=page.locator(".cm-line", has_text=re.compile(rf"^{name} ="))).first
    check = notebook.locator(".jp-CodeCell", has=page.locator(".cm-line", has_text=f"ex.{name}.check({name})"))
    verdict = check.locator(".chainlab-feedback")
    edited, rerun = (note(name).message.split(",")[0] for note in (edited_note, rerun_note))

    def run(cell) -> None:
        cell.locator(".cm-content").click()
        page.keyboard.press("Shift+Enter")

    try:
        lab.open_notebook(f"course/{slug}/solved.ipynb")
        lab.run_all_cells()
        expect(verdict, "the solved notebook's check is right").to_have_text(re.compile(r"^\s*Correct:"))
        answer.locator(".cm-content").click()
        page.keyboard.press("Control+a")
        page.keyboard.insert_text(f"{name} = len(transfers) - 1")  # a wrong answer, not run
        expect(verdict, "an edit after the check withdraws its verdict").to_contain_text(edited)
        run(check)
        expect(verdict, "a check run after the edit does not judge the old value").to_contain_text(edited)
        expect(verdict).not_to_contain_text("Correct")
        check.screenshot(path=str(ARTIFACTS / f"{slug}-edited-answer-check.png"))
        run(answer)
        expect(verdict, "once the answer cell ran, the check asks to be run again").to_contain_text(rerun)
        run(check)
        expect(verdict, "the check judges the new answer").to_have_text(re.compile(r"^\s*Not yet:"))
        assert not lab.browser_errors, f"{slug}: the browser reported errors: {lab.browser_errors}"
    finally:
        lab.screenshot(ARTIFACTS / f"{slug}-edited-answer-page.png")


# The Assignment List fetches and validates every module the same way: 00, which teaches it, and 05, the one-day
# track's longest notebook, show it in the browser; every module is validated and autograded in test_roundtrip.py.
ASSIGNMENT_LIST_SLUGS = ("00_getting_started", "05_tracing_the_money")


@pytest.mark.parametrize("slug", ASSIGNMENT_LIST_SLUGS)
def test_module_validates_from_the_assignment_list(lab, slug):
    """Fetch from the assignment list; Validate fails while the exercises are blank and passes once they are solved."""
    page = lab.page
    try:
        lab.open_assignment_list()
        released = page.locator("#released_assignments_list .list_item", has_text=slug)
        released.get_by_role("button", name="Fetch").click()
        fetched = page.locator("#fetched_assignments_list > .list_item", has_text=slug)
        fetched.locator(".assignment-notebooks-link").click()
        validate = fetched.locator(".nested_list_item", has_text=slug).get_by_role("button", name="Validate")
        dialog = page.locator(".jp-Dialog", has_text="Validation Results")

        validate.click()
        failures = dialog.locator(".validation-failed p", has_text="The following cell failed:")
        written = written_answers(nbformat.read(lab.server.root / "solutions" / slug / f"{slug}.ipynb", as_version=4))
        expect(
            failures, "validating the blank release reports every check cell and every unwritten answer as failed"
        ).to_have_count(len(exercises_of(module(slug).number)) + len(written), timeout=180_000)
        dialog.get_by_role("button", name="Ok").click()

        answer_every_exercise(
            lab.server.root / slug / f"{slug}.ipynb", lab.server.root / "solutions" / slug / f"{slug}.ipynb"
        )
        validate.click()
        expect(dialog.locator(".validation-success"), "validating the solved notebook reports success").to_have_text(
            "Success! Your notebook passes all the tests.", timeout=180_000
        )
        assert not lab.browser_errors, f"{slug}: the browser reported errors: {lab.browser_errors}"
    finally:
        lab.screenshot(ARTIFACTS / f"{slug}-validate.png")
