"""The course server: a real JupyterHub on localhost (deploy/jupyterhub_config.py, classroom mode), driven in Chromium.

Three learners and one instructor. The instructor releases module 00 with a cohort seed to nbgrader's exchange;
a learner logs in, fetches it from the Assignment List, sees no instructor file or tool, solves it and submits;
the instructor collects from the exchange, autogrades with `chainlab grade` and returns feedback, and sees the
submission in formgrader; the learner fetches the feedback. The instructor's steps are the commands the instructor
types in the terminal of their JupyterLab, run here with that server's environment.
At the end the hub, the proxy, every single-user server and every kernel are gone.
"""

from __future__ import annotations

import os
import re
import secrets
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import psutil
import pytest
from playwright.sync_api import Page, expect

from chainlab import course
from chainlab.exercises.core import exercises_of

from .browser_helpers import CHROMIUM, answer_every_exercise
from .lab_server import free_port
from .notebook_tools import ROOT, copy_course_root

ARTIFACTS = ROOT / "test-artifacts" / "hub"
SLUG = "00_getting_started"
COHORT_SEED = 7  # one of tests/worlds.py's seeds: its world is already built
LEARNERS = ("learner1", "learner2", "learner3")
INSTRUCTOR = "instructor"
PROXY = ROOT / "deploy" / "proxy" / "node_modules" / ".bin" / "configurable-http-proxy"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason=f"no browser: {CHROMIUM} is missing. Run scripts/install-browser.sh as root (`make test` does).",
    ),
    pytest.mark.skipif(
        not PROXY.exists(),
        reason="JupyterHub's proxy is not installed: run scripts/install-proxy.sh (`make test` does; it needs npm).",
    ),
]
expect.set_options(timeout=60_000)  # a shared 2-core machine: a single-user server takes seconds to start


@dataclass
class Hub:
    """JupyterHub in classroom mode on a free localhost port, for one scratch course root."""

    course_root: Path
    state: Path
    port: int = field(default_factory=free_port)
    learner_password: str = field(default_factory=lambda: secrets.token_hex(8))
    instructor_password: str = field(default_factory=lambda: secrets.token_hex(16))
    process: subprocess.Popen | None = None

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}/{path}"

    def environment(self) -> dict:
        return {
            **os.environ,
            "CHAINLAB_HUB_MODE": "classroom",
            "CHAINLAB_COURSE_ROOT": str(self.course_root),
            "CHAINLAB_HUB_STATE": str(self.state),
            "CHAINLAB_HUB_PORT": str(self.port),
            "CHAINLAB_HUB_API_PORT": str(free_port()),
            "CHAINLAB_LEARNERS": " ".join(LEARNERS),
            "CHAINLAB_INSTRUCTORS": INSTRUCTOR,
            "CHAINLAB_LEARNER_PASSWORD": self.learner_password,
            "CHAINLAB_INSTRUCTOR_PASSWORD": self.instructor_password,
        }

    def start(self, timeout: float = 120) -> None:
        self.state.mkdir(parents=True, exist_ok=True)
        bin_dir = Path(sys.executable).parent
        with (ARTIFACTS / "jupyterhub.log").open("wb") as log:
            self.process = subprocess.Popen(
                [str(bin_dir / "jupyterhub"), "-f", str(ROOT / "deploy" / "jupyterhub_config.py")],
                cwd=self.state, env=self.environment(), stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            )  # fmt: skip
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"JupyterHub exited with code {self.process.returncode}:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(self.url("hub/health"), timeout=2):
                    return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.5)
        raise RuntimeError(f"JupyterHub did not answer within {timeout:.0f} s:\n{self.log_tail()}")

    def stop(self) -> None:
        """SIGTERM: the hub stops every single-user server and the proxy, then exits."""
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def grade(self, *step: str) -> str:
        """Run `chainlab grade <step>` as the instructor would in their server's terminal: in the course root, with its settings."""
        env = {
            **os.environ,
            "JUPYTER_CONFIG_PATH": str(self.state / "jupyter-config" / "instructor"),
            "HOME": str(self.state / "home" / INSTRUCTOR),
            "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        }
        command = [str(Path(sys.executable).parent / "chainlab"), "grade", *step, "--root", str(self.course_root)]
        done = subprocess.run(command, cwd=self.course_root, env=env, capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, f"{' '.join(command)} failed:\n{done.stdout}\n{done.stderr}"
        return done.stdout

    def home(self, user: str) -> Path:
        return self.state / "home" / user

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join((ARTIFACTS / "jupyterhub.log").read_text(errors="replace").splitlines()[-lines:])


def log_in(page: Page, hub: Hub, user: str, password: str) -> None:
    """Log in on the hub's page and wait for the user's JupyterLab."""
    page.goto(hub.url("hub/login"))
    page.locator("#username_input").fill(user)
    page.locator("#password_input").fill(password)
    page.locator("#login_submit").click()
    expect(page.locator("#jp-main-dock-panel"), f"{user}'s JupyterLab opens").to_be_visible(timeout=120_000)
    assert f"/user/{user}/" in page.url


def open_assignment_list(page: Page, hub: Hub, user: str) -> None:
    page.goto(hub.url(f"user/{user}/lab"))
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile("^Nbgrader$")).click()
    page.locator('.lm-Menu-item[data-command="nbgrader:open-assignment-list"]').click()
    expect(page.locator("#released_assignments_list")).to_be_visible()


def processes_under(folder: Path) -> list[str]:
    """The processes still running whose working folder or command line is inside `folder`."""
    found = []
    for process in psutil.process_iter(["pid", "cwd", "cmdline"]):
        cwd, cmdline = process.info["cwd"] or "", " ".join(process.info["cmdline"] or [])
        if cwd.startswith(str(folder)) or str(folder) in cmdline:
            found.append(f"{process.info['pid']}: {cmdline[:120]}")
    return found


def test_a_learner_fetches_submits_and_gets_feedback_on_the_course_server(tmp_path, browser):
    """The session's Chromium (tests/conftest.py): each new page has a context, and so a log-in, of its own."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    hub = Hub(course_root=copy_course_root(tmp_path / "course_root"), state=tmp_path / "hub_state")
    learner = LEARNERS[0]
    try:
        hub.start()
        hub.grade("release", "00", "--seed", str(COHORT_SEED), "--exchange")
        page = browser.new_page()
        try:
            log_in(page, hub, learner, hub.learner_password)
            page.locator(".lm-MenuBar-itemLabel", has_text=re.compile("^Nbgrader$")).click()
            expect(page.locator('.lm-Menu-item[data-command="nbgrader:open-assignment-list"]')).to_be_visible()
            menu = page.locator(".lm-Menu").inner_text()
            assert "Formgrader" not in menu and "Create Assignment" not in menu, (
                f"a learner's Nbgrader menu offers instructor tools: {menu}"
            )
            page.keyboard.press("Escape")
            refused = page.request.get(hub.url(f"user/{learner}/formgrader"))
            assert refused.status == 404, f"a learner's server serves formgrader (HTTP {refused.status})"

            open_assignment_list(page, hub, learner)
            page.locator("#released_assignments_list .list_item", has_text=SLUG).get_by_role(
                "button", name="Fetch"
            ).click()
            fetched = page.locator("#fetched_assignments_list > .list_item", has_text=SLUG)
            expect(fetched).to_be_visible()
            listing = page.request.get(hub.url(f"user/{learner}/api/contents")).json()
            assert sorted(item["name"] for item in listing["content"]) == [SLUG], (
                "a learner's server shows their fetched module and nothing else"
            )
            module = hub.home(learner) / SLUG
            assert sorted(path.name for path in module.iterdir()) == [f"{SLUG}.ipynb", "chainlab_cohort"]
            assert f'"seed": {COHORT_SEED}' in (module / "chainlab_cohort" / "cohort.json").read_text()

            answer_every_exercise(module / f"{SLUG}.ipynb", hub.course_root / "solutions" / SLUG / f"{SLUG}.ipynb")
            fetched.get_by_role("button", name="Submit").click()
            expect(page.locator("#submitted_assignments_list .list_item", has_text=SLUG)).to_be_visible()
            page.screenshot(path=str(ARTIFACTS / "learner-submitted.png"))

            collected = hub.grade("collect", "00", "--exchange")
            assert f"{learner}: collected" in collected, collected
            graded = hub.grade("autograde", "00")
            assert "1 of 1 submissions of 00_getting_started graded" in graded, graded
            hub.grade("feedback", "00", "--exchange")

            teacher = browser.new_page()
            log_in(teacher, hub, INSTRUCTOR, hub.instructor_password)
            teacher.goto(hub.url(f"user/{INSTRUCTOR}/formgrader/manage_submissions/{SLUG}"))
            expect(teacher.locator("body"), "formgrader lists the learner's graded submission").to_contain_text(learner)
            teacher.screenshot(path=str(ARTIFACTS / "instructor-formgrader.png"))

            open_assignment_list(page, hub, learner)
            submitted = page.locator("#submitted_assignments_list .list_item", has_text=SLUG)
            submitted.get_by_role("button", name="Fetch Feedback").click()
            expect(submitted.get_by_text("(view feedback)")).to_be_visible()
            feedback = sorted((module / "feedback").glob(f"*/{SLUG}.html"))
            assert len(feedback) == 1, f"one feedback page fetched, found {feedback}"
            page.goto(hub.url(f"user/{learner}/files/{feedback[0].relative_to(hub.home(learner)).as_posix()}"))
            expect(page.locator("body"), "the feedback names each exercise by its title").to_contain_text("Exercise 1:")
            scores = re.findall(
                r"Exercise \d+: [^\n]*?\(Score: ([\d.]+) / ([\d.]+)\)", page.locator("body").inner_text()
            )
            assert len(scores) == len(exercises_of(course.module(SLUG).number)) and all(
                got == out_of for got, out_of in scores
            ), f"every exercise of the solved module scored full marks: {scores}"
            page.screenshot(path=str(ARTIFACTS / "learner-feedback.png"))
        finally:
            page.close()
    finally:
        hub.stop()
    time.sleep(2)
    leftover = processes_under(tmp_path)
    assert not leftover, f"still running after the hub stopped: {leftover}"
