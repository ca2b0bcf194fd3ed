"""Hostile learner markup and hostile instructor inputs: inert notebooks, feedback leak readings, ids, zips, CSV cells.

Rendered HTML is checked with Python's own html.parser (through BeautifulSoup), a parser the
sanitiser does not use, so these tests do not grade the sanitiser with its own eyes.
"""

from __future__ import annotations

import base64
import csv
import json
import tracemalloc
import zipfile

import nbformat
import pytest
from bs4 import BeautifulSoup
from nbconvert import HTMLExporter

from chainlab import course
from chainlab.grading import autograde, collect, export, feedback, report, sanitize, status
from chainlab.grading.workspace import GradingError, Workspace

from .notebook_tools import copy_course_root

SLUG = "00_getting_started"
MARKER = "chainlab-pwned"
HOSTILE_MARKDOWN = [
    f"My answer: sorting by time shows the order of events.\n<script>document.title = '{MARKER}'</script>",
    f'<img src="x" onerror="document.title=\'{MARKER}\'"> still my answer',
    "[click me](javascript:alert(1)) and [also](JaVa\tScRiPt:alert(1))",
    '<iframe src="/api/contents"></iframe><object data="x.swf"></object><embed src="x.swf">',
    '<form action="/api/contents" method="post"><button>Send</button></form>',
    "<style>.jp-Cell, .nbgrader_cell { display: none }</style>Hidden grading boxes",
    '<svg><script>alert(1)</script></svg><svg onload="alert(1)"></svg>',
    '<div style="display:none">a hidden part</div><a href="data:text/html,<script>alert(1)</script>">data</a>',
    "$\\href{javascript:alert(1)}{a formula link}$",
]


def _hostile_notebook():
    cells = [nbformat.v4.new_markdown_cell(source) for source in HOSTILE_MARKDOWN]
    cells.append(nbformat.v4.new_raw_cell(f"<script>document.title = '{MARKER}'</script>"))
    code = nbformat.v4.new_code_cell("show()")
    code.outputs = [
        nbformat.v4.new_output(
            "display_data",
            data={
                "text/html": f"<script>document.title='{MARKER}'</script>",
                "application/javascript": f"document.title='{MARKER}'",
                "image/svg+xml": "<svg onload='alert(1)'/>",
                "application/vnd.jupyter.widget-view+json": {"model_id": "x", "version_major": 2, "version_minor": 0},
                "text/plain": "<a table>",
                "image/png": "iVBORw0KGgo=",
            },
        ),
        nbformat.v4.new_output("display_data", data={"text/html": f"<img src=x onerror=\"alert('{MARKER}')\">"}),
    ]
    cells.append(code)
    notebook = nbformat.v4.new_notebook(cells=cells)
    notebook.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}}}
    return notebook


def active_parts(page: str) -> list[str]:
    """Scripts, handlers, javascript: URLs, frames, plugins, forms and SVG in an HTML page, as a browser would run them."""
    soup = BeautifulSoup(page, "html.parser")
    found = [f"<{tag.name}>" for tag in soup.find_all(["script", "iframe", "object", "embed", "form", "svg", "style"])]
    for tag in soup.find_all(True):
        for name, value in tag.attrs.items():
            value = " ".join(value) if isinstance(value, list) else value
            if name.lower().startswith("on") or (name == "style" and "display" in value):
                found.append(f"{name}= on <{tag.name}>")
            if name in ("href", "src") and "".join(value.split()).lower().startswith(("javascript:", "data:text")):
                found.append(f"{value} on <{tag.name}>")
    return found


def _body(notebook) -> str:
    """The notebook as nbconvert's classic HTML (the template formgrader and the feedback pages extend), body only."""
    page, _ = HTMLExporter(template_name="classic").from_notebook_node(notebook)
    return str(BeautifulSoup(page, "html.parser").body)


def test_hostile_markup_renders_as_text_and_outputs_keep_only_text_and_images():
    notebook = _hostile_notebook()
    assert len(active_parts(_body(notebook))) >= 12, "the hostile notebook is active before it is cleaned"
    changes = sanitize.clean_notebook(notebook)
    body = _body(notebook)
    assert active_parts(body) == []
    assert MARKER in body and "sorting by time shows the order of events" in body, "the learner's words stay visible"
    assert "widgets" not in notebook.metadata
    first, second = notebook.cells[-1].outputs
    assert set(first.data) == {"text/plain", "image/png"} and set(second.data) == {"text/plain"}
    # one change per markdown cell, and one each for the raw cell, the code cell and the widget state
    assert len(changes) == len(HOSTILE_MARKDOWN) + 3


def test_metadata_the_page_templates_print_unescaped_is_removed():
    notebook = _hostile_notebook()
    cell = notebook.cells[-1]
    cell.metadata["chainlab_title"] = "<img src=x onerror=alert(1)>"
    cell.metadata["nbgrader"] = {
        "grade": True,
        "grade_id": '"><script>alert(1)</script>',
        "points": "<b>",
        "comment": "<script>",
    }
    notebook.cells[0].metadata["nbgrader"] = {
        "grade": True,
        "grade_id": "correct_total",
        "points": 1,
        "comment": "<script>",
    }
    sanitize.clean_notebook(notebook)
    assert cell.metadata == {} and notebook.cells[0].metadata["nbgrader"] == {
        "grade": True,
        "grade_id": "correct_total",
        "points": 1,
    }


def test_plain_formatting_and_the_course_notebooks_are_left_exactly_as_they_are():
    plain = "A **bold** claim with a footnote<sup>1</sup>, a [source](https://example.org) and `x < 3`.\n\n| a | b |\n|---|---|\n| 1 | 2 |"
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(plain)])
    assert sanitize.clean_notebook(notebook) == [] and notebook.cells[0].source == plain
    for path in sorted((course.ROOT / "course").glob("*/*.ipynb")):
        assert sanitize.clean_notebook(json.loads(path.read_text())) == [], f"{path.name} would be changed"


@pytest.fixture
def ws(tmp_path):
    root = copy_course_root(tmp_path / "root", (SLUG,))
    return Workspace(root)


def _release_with(ws, *cells):
    notebook = nbformat.read(ws.course / SLUG / f"{SLUG}.ipynb", as_version=4)
    notebook.cells[1:1] = list(cells)
    return nbformat.writes(notebook)


def test_collect_puts_an_inert_notebook_where_formgrader_reads_it_and_notes_why(ws, tmp_path):
    inbox = tmp_path / "inbox" / "mallory"
    inbox.mkdir(parents=True)
    hostile = _hostile_notebook().cells
    (inbox / f"{SLUG}.ipynb").write_text(_release_with(ws, *hostile))
    records, _ = collect.collect(ws, SLUG, tmp_path / "inbox")
    submitted = nbformat.read(ws.submitted / "mallory" / SLUG / f"{SLUG}.ipynb", as_version=4)
    assert active_parts(_body(submitted)) == []
    assert any(
        note.startswith("made inert for formgrader: cell 2: markdown with <script>")
        for note in records["mallory"]["notes"]
    )


def test_autograded_outputs_are_made_inert_before_formgrader_shows_them(ws, tmp_path):
    job = autograde.Job("mallory", tmp_path / "job", "0" * 64)
    folder = job.root / "grading" / "autograded" / "mallory" / SLUG
    folder.mkdir(parents=True)
    (folder / f"{SLUG}.ipynb").write_text(_release_with(ws, _hostile_notebook().cells[-1]))
    installed = autograde.install_autograded(ws, SLUG, job, {})
    on_disk = nbformat.read(ws.autograded / "mallory" / SLUG / f"{SLUG}.ipynb", as_version=4)
    for notebook in (installed, on_disk):
        assert not any(
            "text/html" in output.get("data", {}) for cell in notebook.cells for output in cell.get("outputs", [])
        )


def test_formgraders_exporter_makes_learner_markup_inert_with_the_course_configuration():
    """The course's nbgrader configuration gives every HTML exporter (formgrader's; the feedback pages', see
    test_hostile_markup.py) the MakeInert step, also for a notebook autograded before collect cleaned it."""
    from traitlets.config import Config

    config = Config()
    feedback.configure(config)
    config.HTMLExporter.template_name = "classic"
    page, _ = HTMLExporter(config=config).from_notebook_node(_hostile_notebook())
    assert active_parts(str(BeautifulSoup(page, "html.parser").body)) == []


HIDDEN = 'assert n_transfers == len(transfers), "hidden: count every row"'
WORKED = 'big_transfers = transfers[transfers["amount_btc"] > 1]'


@pytest.mark.parametrize(
    "carried",
    [
        HIDDEN,
        HIDDEN[::-1],
        base64.b64encode(f"cell 3\n{HIDDEN}\n".encode()).decode(),
        "\n".join(base64.b64encode(HIDDEN.encode()).decode()[i : i + 16] for i in range(0, 100, 16)),
        f"b'{HIDDEN.encode().hex()}'",
    ],
    ids=["written", "reversed", "base64", "base64-wrapped", "hex"],
)
def test_the_leak_scan_reads_hidden_tests_however_they_are_encoded(carried):
    page = f"<pre>{carried.replace('<', '&lt;')}</pre>"
    assert feedback.leaks(page, [HIDDEN]) == [HIDDEN]
    assert feedback.leaks("<pre>n_transfers = len(transfers)</pre>", [HIDDEN]) == []


def test_worked_solutions_printed_by_the_learners_code_are_leaks_but_their_own_answer_code_is_not(ws):
    solutions = feedback.worked_solution_lines(ws, SLUG)
    assert any("transfers[" in line for line in solutions), "the instructor's solution lines are scanned for"
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(solutions[0])])
    assert feedback.leaks(feedback.printed_text(notebook), solutions) == [], "the learner's own code is not output"
    notebook.cells[0].outputs = [
        nbformat.v4.new_output("stream", name="stdout", text=base64.b64encode(solutions[0].encode()).decode())
    ]
    assert feedback.leaks(feedback.printed_text(notebook), solutions) == [solutions[0]]


def _zip_raw_names(path, files: dict[bytes, str]):
    """A zip whose entry names are raw bytes with no UTF-8 flag, as Windows tools write them in the local code page."""

    class RawName(zipfile.ZipInfo):
        def _encodeFilenameFlags(self):  # noqa: N802 (zipfile's own name)
            return self.raw, self.flag_bits

    with zipfile.ZipFile(path, "w") as zipped:
        for raw, text in files.items():
            info = RawName(raw.decode("cp437"))
            info.raw = raw
            zipped.writestr(info, text)
    return path


def test_learner_ids_that_differ_in_non_latin_letters_or_punctuation_are_not_merged(ws, tmp_path):
    inbox = tmp_path / "inbox"
    learners = ("müller", "mäller", "o'brien", "o-brien", "Иван", "Пётр")
    for learner in learners:
        (inbox / learner).mkdir(parents=True)
        (inbox / learner / f"{SLUG}.ipynb").write_text(
            _release_with(ws, nbformat.v4.new_markdown_cell(f"By {learner}."))
        )
    records, _ = collect.collect(ws, SLUG, inbox)
    assert len(records) == len(learners) and "o-brien" in records
    for learner in learners:
        student = collect.safe_id(learner)
        assert f"By {learner}." in (ws.submitted / student / SLUG / f"{SLUG}.ipynb").read_text()
    for learner in ("o'brien", "o-brien", "Иван", "Пётр"):  # the same readable id: the report says so
        assert any("graded separately" in note for note in records[collect.safe_id(learner)]["notes"])
    needs_a_look = report.build(ws, SLUG).split("<h2>Needs a look</h2>")[1].split("<h2>")[0]
    assert needs_a_look.count("graded separately") == 4


def test_non_utf8_zip_names_keep_each_learner_apart(ws, tmp_path):
    names = {
        f"{name}/{SLUG}.ipynb".encode("cp1251"): _release_with(ws, nbformat.v4.new_markdown_cell(f"By {name}."))
        for name in ("Иван", "Пётр")
    }
    records, _ = collect.collect(ws, SLUG, _zip_raw_names(tmp_path / "lms.zip", names))
    assert len(records) == 2 and "unnamed" not in records and not (ws.grading / "replaced").exists()
    texts = {
        (ws.submitted / student / SLUG / f"{SLUG}.ipynb").read_text().count(f"By {name}.")
        for student in records
        for name in ("Иван", "Пётр")
    }
    assert texts == {0, 1}, "each learner's folder holds their own notebook"
    assert all("not UTF-8" in " ".join(record["notes"]) for record in records.values())


def test_a_zip_over_the_caps_is_refused_with_a_clear_message(ws, tmp_path, monkeypatch):
    archive = tmp_path / "many.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        for index in range(30):
            zipped.writestr(f"learner{index}/{SLUG}.ipynb", "{}")
    monkeypatch.setattr(collect, "MAX_ZIP_ENTRIES", 20)
    with pytest.raises(GradingError, match="holds 30 files; collect reads at most 20"):
        collect.collect(ws, SLUG, archive)
    monkeypatch.setattr(collect, "MAX_ZIP_ENTRIES", 100)
    monkeypatch.setattr(collect, "MAX_ZIP_BYTES", 50)
    with pytest.raises(GradingError, match="would unpack to .* GB; collect reads at most"):
        collect.collect(ws, SLUG, archive)


def test_a_small_zip_of_many_large_notebooks_is_read_one_at_a_time(ws, tmp_path):
    archive = tmp_path / "bomb.zip"
    big = b" " * (5 * 2**20)
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
        for index in range(10):
            zipped.writestr(f"eve/copy{index}.ipynb", big)
    assert archive.stat().st_size < 2**20, "a small zip"
    tracemalloc.start()
    try:
        records, _ = collect.collect(ws, SLUG, archive)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert records["eve"]["status"] == status.COLLECTED
    assert peak < 20 * 2**20, f"collect held {peak / 2**20:.0f} MB for 50 MB of entries: it should read one at a time"


def test_grades_csv_shows_formula_like_names_as_text(ws, tmp_path):
    inbox = tmp_path / "inbox"
    release = (ws.course / SLUG / f"{SLUG}.ipynb").read_text()
    names = ['=HYPERLINK("198.51.100.7","open")', "+1+1", "-2+3", "@SUM(A1)", " =1+1", "Ada Officer"]
    for index, name in enumerate(names):
        folder = inbox / f"{name}_{1000 + index}_assignsubmission_file_"
        folder.mkdir(parents=True)
        (folder / f"{SLUG}.ipynb").write_text(release)
    collect.collect(ws, SLUG, inbox)
    with open(export.export(ws, SLUG), newline="", encoding="utf-8") as file:
        shown = {row["student_id"]: row["name"] for row in csv.DictReader(file)}
    assert [shown[str(1000 + index)] for index in range(len(names))] == [f"'{name}" for name in names[:-1]] + [
        "Ada Officer"
    ]
