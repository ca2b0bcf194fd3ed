"""Drive the course in JupyterLab with Playwright and Debian's Chromium (used by test_browser.py).

`LabServer` runs JupyterLab from this environment on a scratch copy of the course;
`Lab` is one browser tab on it, with the moves a learner makes: open a notebook,
Run All Cells from the Run menu, open nbgrader's assignment list.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from playwright.sync_api import Locator, Page, expect

from chainlab.exercises.keybuilder import solution_cells

CHROMIUM = Path("/usr/bin/chromium")
# The system browser, quiet: without the background-networking flags Chromium calls home, and a closed network refuses it.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"]

# User settings for the test's JupyterLab: render every cell (not only those in view), so the page holds all of
# the notebook; and no "Jupyter news?" pop-up over the page.
LAB_SETTINGS = {
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {"fetchNews": "false", "checkForUpdates": False},
}


def free_port() -> int:
    """A localhost TCP port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def answer_every_exercise(learner_notebook: Path, solution_notebook: Path) -> None:
    """Fill each answer cell of a learner's notebook with the instructor's solution, as a learner who got all right."""
    solutions = solution_cells(nbformat.read(solution_notebook, as_version=4))
    notebook = nbformat.read(learner_notebook, as_version=4)
    for cell in notebook.cells:
        grading = cell.metadata.get("nbgrader", {})
        if cell.cell_type == "code" and grading.get("solution"):
            cell.source = solutions[grading["grade_id"]]
    nbformat.write(notebook, learner_notebook)


@dataclass
class LabServer:
    """JupyterLab serving `root` on a free localhost port, with its own settings and a random token."""

    root: Path
    settings: Path
    log_path: Path
    port: int = field(default_factory=free_port)
    token: str = field(default_factory=lambda: secrets.token_hex(16))
    process: subprocess.Popen | None = None

    def url(self, path: str = "lab") -> str:
        return f"http://127.0.0.1:{self.port}/{path}?token={self.token}"

    def start(self, timeout: float = 90) -> None:
        """Start JupyterLab and wait until it answers; raise with its log if it does not."""
        for name, values in LAB_SETTINGS.items():
            (self.settings / name).parent.mkdir(parents=True, exist_ok=True)
            (self.settings / name).write_text(json.dumps(values))
        bin_dir = Path(sys.executable).parent
        env = {
            **os.environ,
            "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",  # nbgrader runs alembic from here
            "JUPYTERLAB_SETTINGS_DIR": str(self.settings),
            "JUPYTERLAB_WORKSPACES_DIR": str(self.settings / "workspaces"),
            "JUPYTER_CONFIG_DIR": str(self.settings / "config"),  # ignore the user's own ~/.jupyter
        }
        command = [
            str(bin_dir / "jupyter"), "lab", "--no-browser", "--allow-root", "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.port={self.port}", "--ServerApp.port_retries=0", f"--IdentityProvider.token={self.token}",
            f"--ServerApp.root_dir={self.root}",
        ]
        with self.log_path.open("wb") as log:
            # cwd=root: nbgrader's validate handler reads nbgrader_config.py from the server's working folder.
            self.process = subprocess.Popen(command, cwd=self.root, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"JupyterLab exited with code {self.process.returncode}:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(self.url("api/status"), timeout=2):
                    return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.5)
        raise RuntimeError(f"JupyterLab did not answer on port {self.port} within {timeout:.0f} s:\n{self.log_tail()}")

    def shut_down_kernels(self) -> None:
        """Shut down every kernel the server runs (the notebooks' kernels)."""
        with urllib.request.urlopen(self.url("api/kernels"), timeout=5) as response:
            for kernel in json.load(response):
                request = urllib.request.Request(self.url(f"api/kernels/{kernel['id']}"), method="DELETE")
                urllib.request.urlopen(request, timeout=30).close()

    def stop(self) -> None:
        """Shut down its kernels and the server, then kill what is left of its process group."""
        if self.process is None or self.process.poll() is not None:
            return
        try:
            self.shut_down_kernels()
        except OSError:
            pass  # the server is already going; SIGTERM below still stops it
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])


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


class Lab:
    """One browser tab on a `LabServer`: what a learner does in JupyterLab, with clear failures."""

    def __init__(self, page: Page, server: LabServer):
        self.page = page
        self.server = server
        self.browser_errors: list[str] = []
        page.on("pageerror", lambda error: self.browser_errors.append(f"uncaught: {error}"))
        page.on("console", lambda message: message.type == "error" and self.browser_errors.append(f"console: {message.text}"))

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
        expect(kernel_status, f"the kernel of {path} did not start").to_have_text(re.compile(r"\| Idle$"), timeout=timeout * 1000)

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
                raise AssertionError(f"Run All Cells queued no cell within {start_timeout:.0f} s (kernel {self.cell_states()['status']})")
            time.sleep(0.5)
        deadline = time.monotonic() + timeout
        while True:
            state = self.cell_states()
            not_run = [cell for cell in state["cells"] if not re.fullmatch(r"\[\d+\]:", cell["prompt"])]
            if state["status"] == "idle" and not not_run:
                return
            errors = self.error_outputs() if state["status"] == "idle" else []
            if errors:  # Run All stops at the first cell that raises
                raise AssertionError(f"Run All stopped at an error, {len(not_run)} cell(s) not run:\n{errors[0][:2000]}")
            if time.monotonic() > deadline:
                waiting = "; ".join(f"{cell['prompt']} {cell['code'][:60]}" for cell in not_run[:5])
                raise AssertionError(f"Run All did not finish in {timeout:.0f} s (kernel {state['status']}); cells not run: {waiting}")
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
