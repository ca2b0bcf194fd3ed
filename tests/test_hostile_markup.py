"""A submission whose markdown holds a script, from collect to formgrader and the feedback page.

The scratch course's gradebook is filled in-process (nbgrader's own SaveCells, no
kernel), and the collected notebook stands in as its autograded copy: autograding
keeps a learner's markdown cells as submitted, so formgrader shows what collect wrote.
The browser test opens that submission in formgrader in Chromium: the script would set
the page title and write a file through the Jupyter API; neither may happen.
"""

from __future__ import annotations

import base64
import os
import shutil
import sys

import nbformat
import pytest
from bs4 import BeautifulSoup

from chainlab import cohort
from chainlab.exercises import keys
from chainlab.grading import collect, feedback, status
from chainlab.grading.workspace import Workspace

from .browser_helpers import ARTIFACTS
from .lab_server import LabServer
from .notebook_tools import copy_course_root

SLUG = "00_getting_started"
MARKER = "chainlab-pwned"
WRITTEN_ANSWER = "My answer: sorting by time shows the order of events."
# The attack: as formgrader's page, use the Jupyter API (same origin, the instructor's cookies) to write a file.
ATTACK = (
    f"document.title = '{MARKER}';"
    "fetch('/api/contents/pwned.txt', {method: 'PUT', headers: {'X-XSRFToken': (document.cookie.match(/_xsrf=([^;]*)/) || [])[1]},"
    " body: JSON.stringify({type: 'file', format: 'text', content: 'pwned'})});"
)


def _hostile_submission(release: nbformat.NotebookNode) -> nbformat.NotebookNode:
    notebook = nbformat.from_dict(release)
    markdown = nbformat.v4.new_markdown_cell(
        f'{WRITTEN_ANSWER}\n\n<script>{ATTACK}</script>\n\n<img src="missing.png" onerror="{ATTACK}">'
    )
    shown = nbformat.v4.new_code_cell("from IPython.display import HTML\nHTML(page)")
    shown.outputs = [
        nbformat.v4.new_output("display_data", data={"text/html": f"<script>{ATTACK}</script>", "text/plain": "<HTML>"})
    ]
    notebook.cells[1:1] = [markdown, shown]
    return notebook


def _fill_gradebook(ws: Workspace, students: list[str]) -> None:
    """The module and each learner's submission in the course gradebook, as generate_assignment and autograde leave them."""
    from nbgrader.api import Gradebook
    from nbgrader.preprocessors import ComputeChecksums, SaveCells

    url = f"sqlite:///{ws.grading / 'gradebook.db'}"
    source = nbformat.read(ws.solutions / SLUG / f"{SLUG}.ipynb", as_version=4)
    resources = {"nbgrader": {"db_url": url, "assignment": SLUG, "notebook": SLUG}}
    with Gradebook(url) as gradebook:
        gradebook.update_or_create_assignment(SLUG)
    SaveCells().preprocess(*ComputeChecksums().preprocess(source, resources))
    with Gradebook(url) as gradebook:
        for student in students:
            gradebook.update_or_create_student(student)
            gradebook.add_submission(SLUG, student)


@pytest.fixture(scope="module")
def hostile_course(tmp_path_factory):
    """A scratch course holding mallory's hostile submission and eve's, whose output carries a worked solution, base64-encoded."""
    root = copy_course_root(tmp_path_factory.mktemp("hostile") / "course_root", (SLUG,))
    ws = Workspace(root)
    (ws.cohort / cohort.KEYS_FOLDER).mkdir(parents=True)
    shutil.copy2(keys.PACKAGE_KEYS / f"{SLUG}.json", ws.cohort / cohort.KEYS_FOLDER)
    release = nbformat.read(ws.course / SLUG / f"{SLUG}.ipynb", as_version=4)
    inbox = root.parent / "inbox"
    for student in ("mallory", "eve"):
        (inbox / student).mkdir(parents=True)
    nbformat.write(_hostile_submission(release), inbox / "mallory" / f"{SLUG}.ipynb")
    leaked = nbformat.from_dict(release)
    printer = nbformat.v4.new_code_cell("print(base64.b64encode(found))")
    carried = base64.b64encode(feedback.worked_solution_lines(ws, SLUG)[0].encode()).decode()
    printer.outputs = [nbformat.v4.new_output("stream", name="stdout", text=carried)]
    leaked.cells.insert(1, printer)
    nbformat.write(leaked, inbox / "eve" / f"{SLUG}.ipynb")

    with pytest.MonkeyPatch.context() as patch:
        # nbgrader's gradebook runs alembic from this environment's bin folder
        patch.setenv("PATH", f"{os.path.dirname(sys.executable)}{os.pathsep}{os.environ.get('PATH', '')}")
        records, _ = collect.collect(ws, SLUG, inbox)
        _fill_gradebook(ws, ["mallory", "eve"])
        for student in ("mallory", "eve"):
            shutil.copytree(ws.submitted / student / SLUG, ws.autograded / student / SLUG)
            records[student]["status"] = status.GRADED
        status.save(ws, SLUG, records)
        pages, withheld = feedback.generate(ws, SLUG)
    return ws, pages, withheld


def _learner_active_parts(page: str) -> list[str]:
    """Scripts and handlers on a page that carry the learner's attack (the page template's own scripts do not)."""
    soup = BeautifulSoup(page, "html.parser")
    found = [f"<script>{tag.get_text()[:40]}" for tag in soup.find_all("script") if MARKER in tag.get_text()]
    for tag in soup.find_all(True):
        found += [
            f"{name}= on <{tag.name}>"
            for name, value in tag.attrs.items()
            if name.startswith("on") and MARKER in str(value)
        ]
    return found


@pytest.mark.slow
def test_feedback_pages_carry_no_learner_script_and_withhold_a_carried_worked_solution(hostile_course):
    ws, pages, withheld = hostile_course
    assert [page.parent.parent.name for page in pages] == ["mallory"]
    page = pages[0].read_text(encoding="utf-8")
    assert _learner_active_parts(page) == []
    assert WRITTEN_ANSWER in BeautifulSoup(page, "html.parser").get_text(), "the learner's words are still on the page"
    first_title = next(iter(feedback.exercise_titles(SLUG).values()))
    assert f">{first_title}</a>" in page and "Test cell" not in page, "the page is the course's feedback template"
    assert "base64-encoded" in withheld["eve"][0] and not (ws.feedback / "eve" / SLUG / f"{SLUG}.html").exists()
    assert any("feedback withheld" in flag for flag in status.load(ws, SLUG)["eve"]["flags"]), (
        "eve is flagged in the report"
    )


@pytest.mark.browser
def test_formgrader_opens_a_submission_whose_markdown_holds_a_script_and_the_script_does_not_run(
    hostile_course, browser
):
    from nbgrader.api import Gradebook
    from playwright.sync_api import expect

    ws, _, _ = hostile_course
    with Gradebook(f"sqlite:///{ws.grading / 'gradebook.db'}") as gradebook:
        submission_id = gradebook.find_submission_notebook(SLUG, SLUG, "mallory").id
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    server = LabServer(root=ws.root, settings=ws.root.parent / "lab_settings", log_path=ARTIFACTS / "formgrader.log")
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    try:
        server.start()
        page.goto(server.url(f"formgrader/submissions/{submission_id}/"))
        answer = page.get_by_text(WRITTEN_ANSWER).first
        expect(answer, "formgrader shows the learner's markdown").to_be_visible(timeout=60_000)
        answer.scroll_into_view_if_needed()
        page.wait_for_load_state("networkidle")
        assert page.title() != MARKER, "the learner's script ran in the instructor's browser"
        assert not [url for url in requests if "pwned" in url], "the learner's script called the Jupyter API"
        assert not (ws.root / "pwned.txt").exists()
        expect(page.get_by_text("<script>").first, "the script is shown as text").to_be_visible()
    finally:
        page.screenshot(path=ARTIFACTS / "formgrader-hostile-markdown.png")
        context.close()
        server.stop()
