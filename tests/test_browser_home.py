"""The learner's set-up in a real browser: the course home opens on my-course/, shows a module done, and hides instructor tools."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from chainlab import learner_copy

from .browser_helpers import ARTIFACTS, Lab, answer_every_exercise
from .lab_server import LabServer
from .notebook_tools import ROOT, copy_course_root

FIRST = "00_getting_started/00_getting_started.ipynb"
pytestmark = pytest.mark.browser


@pytest.fixture()
def home_lab(browser, tmp_path, monkeypatch):
    """JupyterLab as `make lab` starts it, on a scratch my-course/, with a fresh progress file."""
    monkeypatch.setenv("CHAINLAB_PROGRESS_FILE", str(tmp_path / "progress.json"))
    root = copy_course_root(tmp_path / "root")
    learner_copy.sync(root / "course", root / "my-course")
    answer_every_exercise(root / "my-course" / FIRST, ROOT / "solutions" / FIRST)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    settings = tmp_path / "lab_settings"
    learner_copy.write_learner_settings(
        settings / "config"
    )  # the server reads its page settings from JUPYTER_CONFIG_DIR
    server = LabServer(root=root / "my-course", settings=settings, log_path=ARTIFACTS / "jupyterlab-home.log")
    server.start()
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        yield Lab(context.new_page(), server)
    finally:
        context.close()
        server.stop()


def _progress_row(lab: Lab, title: str):
    return lab.notebook.locator(".jp-RenderedHTMLCommon tr", has_text=title).last


def test_course_home_marks_a_module_done_after_its_checks_pass_and_a_restart(home_lab):
    lab = home_lab
    lab.open_notebook(learner_copy.HOME)
    expect(_progress_row(lab, "00 · Using the lab")).to_contain_text("0 of 6 exercises right")
    menu_bar = lab.page.locator(".lm-MenuBar-content").inner_text()
    assert "Formgrader" not in lab.page.content() and "Assignment List" not in menu_bar, (
        "a learner sees no instructor tools"
    )
    lab.open_notebook(FIRST)
    lab.run_all_cells()  # every answer filled in: every check says Correct and records it
    lab.open_notebook(learner_copy.HOME)
    lab.menu("Kernel", "runmenu:restart-and-run-all")  # a restart: the progress comes from the file, not the kernel
    confirm = lab.page.locator(".jp-Dialog .jp-mod-accept")
    if confirm.is_visible(timeout=5000):
        confirm.click()
    done = lab.notebook.locator(".jp-OutputArea-output tr", has_text="00 · Using the lab")
    expect(done).to_contain_text("done", timeout=60_000)
    expect(lab.notebook.locator(".jp-OutputArea-output")).to_contain_text(re.compile(r"Next: open \S*01 · "))
    done.scroll_into_view_if_needed()
    lab.screenshot(ARTIFACTS / "course_home_module_done.png")
