"""`chainlab new-module NN slug "Title" MINUTES`: the files of a new course module, in the course's one layout.

Writes `solutions/NN_slug/NN_slug.ipynb` (the skeleton every module shares, with one worked exercise),
`src/chainlab/cases/mNN.py`, `src/chainlab/exercises/mNN.py`, and adds the module to `course.py` and its
random stream to `seeding.py`. It refuses to overwrite anything. See CONTRIBUTING.md for the next steps.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat

from .course import ROOT

SLUG_PATTERN = re.compile(r"[a-z][a-z0-9_]*")


def _cell(kind: str, source: str, grade_id: str | None = None, **nbgrader) -> nbformat.NotebookNode:
    make = nbformat.v4.new_markdown_cell if kind == "markdown" else nbformat.v4.new_code_cell
    cell = make(source)
    if grade_id:
        cell.id = grade_id.replace("_", "-")
        cell.metadata["nbgrader"] = {
            "grade": False,
            "grade_id": grade_id,
            "locked": True,
            "schema_version": 3,
            "solution": False,
            "task": False,
            **nbgrader,
        }
    return cell


def notebook(number: str, slug: str, title: str, minutes: int) -> nbformat.NotebookNode:
    """The skeleton notebook: title, time, objectives, one section with its practice, key points, sources."""
    from .exercises.answers import Count

    form = Count(of="example rows").describe()
    cells = [
        _cell(
            "markdown",
            f"# {number} · {title}\n\n**Time:** about {minutes} minutes.\n\n"
            "**By the end you will be able to:**\n1. (an objective an officer can check)\n",
            "intro",
        ),
        _cell(
            "code",
            "import chainlab as cl\n"
            "from chainlab.exercises import ____            # the blank you replace in each answer\n"
            f"from chainlab.cases import m{number} as case        # this module's case data\n"
            f"from chainlab.exercises import m{number} as ex       # this module's exercises\n"
            "example = case.example_table()",
            "setup",
        ),
        _cell("markdown", "## 1. The first idea\n\nShow it before asking about it:"),
        _cell("code", "example.head()"),
        _cell(
            "markdown",
            f"### Exercise 1: count the rows (1 point)\n\n**Objective:** read a table.\n"
            f"**Task:** put the number of rows of `example` in `n_rows`.\n**Answer form:** {form}.",
        ),
        _cell(
            "code",
            "# The number of rows of example\nn_rows = (\n    ### BEGIN SOLUTION\n"
            "    # Last hint: len(...) gives the number of rows of a table.\n    len(example)\n"
            "    ### END SOLUTION\n)",
            "n_rows",
            solution=True,
            locked=False,
        ),
        _cell(
            "code",
            f'"""Checks n_rows: the number of rows of example."""\nfrom chainlab.exercises import m{number} as ex\nex.n_rows.check(n_rows)',
            "correct_n_rows",
            grade=True,
            points=1,
        ),
        _cell("markdown", "## Key points\n\n- (one line per idea the learner takes away)", "key-points"),
        _cell(
            "markdown", "## Sources and further reading\n\n- (a public primary source, with the date it was checked)"
        ),
    ]
    book = nbformat.v4.new_notebook(cells=cells)
    book.metadata = {
        "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    }
    return book


def case_module(number: str, slug: str) -> str:
    return f'''"""The case of {number}_{slug}: its seeded tables and teaching data."""

from __future__ import annotations

import pandas as pd

from .. import seeding


def example_table(seed: int | None = None) -> pd.DataFrame:
    """A small seeded table to start from (replace it with the module's case)."""
    rng = seeding.rng("m{number}.example", seed)
    return pd.DataFrame({{"value": rng.integers(1, 100, size=int(rng.integers(5, 15)))}})
'''


def exercise_module(number: str, slug: str) -> str:
    return f'''"""Exercises of {number}_{slug}."""

from .answers import Count
from .core import Exercise, Slip

MODULE = "{number}"

n_rows = Exercise(
    MODULE,
    "n_rows",
    title="count the rows",
    objective="read a table.",
    task="put the number of rows of `example` in `n_rows`.",
    answer=Count(of="example rows"),
    hints=[
        "Each row of `example` is one item, so the answer is the number of rows.",
    ],
    slips=[Slip("len(example) - 1", "You counted one row too few: count every row, the first one too.")],
)
'''


def new_module(
    number: str, slug: str, title: str, minutes: int, one_day_track: bool = False, root: Path = ROOT
) -> list[Path]:
    """Write a new module's files under `root`; return them. Refuses bad names and existing modules."""
    if not re.fullmatch(r"\d\d", number):
        raise ValueError(f"the module number is two digits, such as 11, not {number!r}.")
    if not SLUG_PATTERN.fullmatch(slug):
        raise ValueError(f"the slug is lower-case words joined by _, such as cross_chain_cases, not {slug!r}.")
    if not 15 <= minutes <= 90:
        raise ValueError(f"a module takes 15 to 90 minutes of work, not {minutes}; split a longer one in two.")
    package = root / "src" / "chainlab"
    full = f"{number}_{slug}"
    targets = {
        root / "solutions" / full / f"{full}.ipynb": None,
        package / "cases" / f"m{number}.py": case_module(number, slug),
        package / "exercises" / f"m{number}.py": exercise_module(number, slug),
    }
    course_file, seeding_file = package / "course.py", package / "seeding.py"
    course_text, seeding_text = course_file.read_text(), seeding_file.read_text()
    if f'Module("{number}_' in course_text or any(path.exists() for path in targets):
        raise ValueError(f"module {number} exists already; choose another number.")
    for path, text in targets.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        if text is None:
            nbformat.write(notebook(number, slug, title, minutes), path)
        else:
            path.write_text(text)
    line = f'    Module("{full}", {json.dumps(title)}, {minutes}, {one_day_track}),\n'
    course_file.write_text(
        re.sub(r"(MODULES = \((?:\n    Module\(.*\),)*\n)", lambda m: m.group(1) + line, course_text, count=1)
    )
    stream = f'    "m{number}.example": "the example table of {full}",\n'
    seeding_file.write_text(
        re.sub(r"(STREAMS = \{\n(?:    .*\n)*?)(\})", lambda m: m.group(1) + stream + m.group(2), seeding_text, count=1)
    )
    return [*targets, course_file, seeding_file]
