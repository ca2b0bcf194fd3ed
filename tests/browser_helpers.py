"""Drive the course in JupyterLab with Playwright and Debian's Chromium (used by test_browser.py).

`Lab` is one browser tab on a `lab_server.LabServer`, with the moves a learner makes: open a notebook,
Run All Cells from the Run menu, open nbgrader's assignment list.
"""

from __future__ import annotations

import re
import secrets
import time
from pathlib import Path

import nbformat
from playwright.sync_api import Locator, Page, expect

from chainlab.exercises.keys import solution_cells
from chainlab.grading.rubric import written_answers

from .lab_server import LabServer
from .notebook_tools import ROOT

ARTIFACTS = ROOT / "test-artifacts" / "browser"  # screenshots and logs of the browser tests (git-ignored)
MODULE_SLUGS = sorted(
    folder.name for folder in (ROOT / "course").iterdir() if (folder / f"{folder.name}.ipynb").is_file()
)
CHROMIUM = Path("/usr/bin/chromium")
# The system browser, quiet: without the background-networking flags Chromium calls home, and a closed network refuses it.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def answer_every_exercise(learner_notebook: Path, solution_notebook: Path) -> None:
    """Fill each answer cell of a learner's notebook with the instructor's solution, as a learner who got all right."""
    solution = nbformat.read(solution_notebook, as_version=4)
    solutions, written = solution_cells(solution), written_answers(solution)
    notebook = nbformat.read(learner_notebook, as_version=4)
    for cell in notebook.cells:
        grading = cell.metadata.get("nbgrader", {})
        if cell.cell_type == "code" and grading.get("solution"):
            cell.source = solutions[grading["grade_id"]]
        elif cell.cell_type == "markdown" and grading.get("solution"):
            cell.source = written[grading["grade_id"]]  # a written answer: the rubric's model answer will do
    nbformat.write(notebook, learner_notebook)


# The notebook on show: JupyterLab hides the other tabs' panels.
CURRENT_NOTEBOOK = ".jp-NotebookPanel:not(.lm-mod-hidden)"

# In the page: the kernel's status, and the prompt and code of every code cell that has code.
CELL_STATES_JS = """notebook => ({
    status: document.querySelector(`${notebook} .jp-Notebook-ExecutionIndicator`)?.dataset.status,
    cells: [...document.querySelectorAll(`${notebook} .jp-CodeCell`)]
        .map(cell => ({prompt: cell.querySelector('.jp-InputPrompt').textContent.trim(),
                       code: cell.querySelector('.cm-content').textContent.trim()}))
        .filter(cell => cell.code !== ''),
})"""

# In the page: the text of every output shown as an error (JupyterLab shows tracebacks with the stderr type),
# and of every widget that failed to render.
ERROR_OUTPUTS_JS = """notebook => [
    ...[...document.querySelectorAll(`${notebook} .jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]`)]
        .map(output => output.textContent).filter(text => text.includes('Traceback')),
    ...[...document.querySelectorAll(`${notebook} .jp-OutputArea-output`)]
        .map(output => output.textContent).filter(text => text.includes('Error displaying widget')),
]"""


# Errors JupyterLab logs about its own state, not about the page: its debugger panel asks the kernel for its state,
# and a kernel restarted meanwhile (Restart and Run All) cancels the question ("Canceled future for debug_request").
JUPYTERLAB_OWN_NOTICES = ("Could not restore the debugger state:",)


class Lab:
    """One browser tab on a `LabServer`: what a learner does in JupyterLab, with clear failures."""

    def __init__(self, page: Page, server: LabServer):
        self.page = page
        self.server = server
        self.browser_errors: list[str] = []
        page.on("pageerror", lambda error: self.browser_errors.append(f"uncaught: {error}"))
        page.on(
            "console",
            lambda message: (
                message.type == "error"
                and not message.text.startswith(JUPYTERLAB_OWN_NOTICES)
                and self.browser_errors.append(f"console: {message.text}")
            ),
        )

    @staticmethod
    def fresh_workspace() -> str:
        """A new, empty JupyterLab workspace: no tabs restored from earlier tests."""
        return f"lab/workspaces/test-{secrets.token_hex(4)}"

    @property
    def notebook(self) -> Locator:
        """The notebook on show."""
        return self.page.locator(CURRENT_NOTEBOOK)

    def open_notebook(self, path: str, timeout: float = 60) -> None:
        """Open a notebook (path from the server root) and wait for its kernel; fail with JupyterLab's message if it will not open."""
        self.page.goto(self.server.url(f"{self.fresh_workspace()}/tree/{path}"))
        opened = self.notebook.locator(".jp-Cell").first
        refused = self.page.locator(".jp-Dialog")
        expect(opened.or_(refused)).to_be_visible(timeout=timeout * 1000)
        if refused.is_visible():
            raise AssertionError(f"JupyterLab would not open {path}: {refused.inner_text()}")
        # The status bar, not the toolbar's indicator: that one shows "idle" before the kernel is even connected.
        kernel_status = self.page.locator('#jp-main-statusbar .jp-StatusBar-TextItem[title^="Change kernel"]')
        expect(kernel_status, f"the kernel of {path} did not start").to_have_text(
            re.compile(r"\| Idle$"), timeout=timeout * 1000
        )

    def menu(self, menu: str, command: str) -> None:
        """Click a menu of the menu bar, then the item that runs `command`."""
        self.page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(f"^{menu}$")).click()
        self.page.locator(f'.lm-Menu-item[data-command="{command}"]').click()

    def run_all_cells(self, timeout: float = 180, start_timeout: float = 10) -> None:
        """Run → Run All Cells; wait until the kernel is idle and every code cell has an execution count."""
        self.menu("Run", "runmenu:run-all")
        started_by = time.monotonic() + start_timeout
        while not self.some_cell_started():
            if time.monotonic() > started_by:
                raise AssertionError(
                    f"Run All Cells queued no cell within {start_timeout:.0f} s (kernel {self.cell_states()['status']})"
                )
            time.sleep(0.5)
        deadline = time.monotonic() + timeout
        while True:
            state = self.cell_states()
            not_run = [cell for cell in state["cells"] if not re.fullmatch(r"\[\d+\]:", cell["prompt"])]
            if state["status"] == "idle" and not not_run:
                return
            errors = self.error_outputs() if state["status"] == "idle" else []
            if errors:  # Run All stops at the first cell that raises
                raise AssertionError(
                    f"Run All stopped at an error, {len(not_run)} cell(s) not run:\n{errors[0][:2000]}"
                )
            if time.monotonic() > deadline:
                waiting = "; ".join(f"{cell['prompt']} {cell['code'][:60]}" for cell in not_run[:5])
                raise AssertionError(
                    f"Run All did not finish in {timeout:.0f} s (kernel {state['status']}); cells not run: {waiting}"
                )
            time.sleep(0.5)

    def some_cell_started(self) -> bool:
        """Whether any code cell is queued, running or run."""
        return any(cell["prompt"] != "[ ]:" for cell in self.cell_states()["cells"])

    def cell_states(self) -> dict:
        """The kernel's status and, for each code cell with code, its prompt and code."""
        return self.page.evaluate(CELL_STATES_JS, CURRENT_NOTEBOOK)

    def error_outputs(self) -> list[str]:
        """The tracebacks and widget render errors the notebook on show holds."""
        return self.page.evaluate(ERROR_OUTPUTS_JS, CURRENT_NOTEBOOK)

    def open_assignment_list(self) -> None:
        """Nbgrader → Assignment List (the "Assignments" tab)."""
        self.page.goto(self.server.url(self.fresh_workspace()))
        self.menu("Nbgrader", "nbgrader:open-assignment-list")
        expect(self.page.locator("#released_assignments_list")).to_be_visible(timeout=30_000)

    def screenshot(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=path)
