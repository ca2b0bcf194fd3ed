"""`chainlab grade <step> <module> ...`: the instructor's grading steps, one command each.

    chainlab grade release   00 [--seed 41] [--assessment]  learner zip with the cohort's seed and keys
                                                     (an assessment's zip holds no keys: the grader judges)
    chainlab grade collect   00 <folder or LMS zip>  into grading/submitted/
    chainlab grade autograde 00 [--workers N]        in parallel, with time and memory limits
    chainlab grade feedback  00                      HTML per learner + a zip, nothing hidden leaks
    chainlab grade export    00                      grading/reports/00_..-grades.csv
    chainlab grade report    00                      grading/reports/00_..-report.html
    chainlab grade run       00 <folder or LMS zip>  collect, autograde, feedback, export, report

Written answers are graded by hand in nbgrader's formgrader (`jupyter lab`, Nbgrader > Manage Assignments).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from .. import course
from .limits import Limits
from .workspace import GradingError, Workspace


def _release(ws: Workspace, slug: str, args) -> None:
    from .release import release

    archive = release(ws, slug, seed=args.seed, name=args.cohort_name, assessment=args.assessment)
    if args.assessment:
        print(f"released {slug} as an assessment: hand {archive} to learners (it carries the cohort's seed, no keys and no worked solutions)")
    else:
        print(f"released {slug}: hand {archive} to learners (it carries the cohort's seed and hashed keys)")


def _collect(ws: Workspace, slug: str, args) -> None:
    from .collect import collect

    records, unowned = collect(ws, slug, Path(args.source))
    for student, record in sorted(records.items()):
        notes = "".join(f"\n  note: {note}" for note in record.get("notes", []))
        print(f"{student}: {record['status']}{' (' + record['reason'] + ')' if record.get('reason') else ''}{notes}")
    if unowned:
        print(f"left out {len(unowned)} notebook(s) that name no learner: {', '.join(unowned[:5])}")


def _autograde(ws: Workspace, slug: str, args) -> None:
    from .autograde import autograde

    limits = Limits(cell_seconds=args.cell_timeout, memory_mb=args.memory_mb, submission_seconds=args.submission_timeout)
    records = autograde(ws, slug, limits, workers=args.workers, force=args.force, students=args.student)
    graded = sum(1 for record in records.values() if record.get("status") == "graded")
    print(f"{graded} of {len(records)} submissions of {slug} graded; details: chainlab grade report {slug}")


def _feedback(ws: Workspace, slug: str, args) -> None:
    from .feedback import generate

    pages, withheld = generate(ws, slug)
    print(f"wrote {len(pages)} feedback pages and {ws.feedback / (slug + '-feedback.zip')}")
    for student, reasons in withheld.items():
        print(f"{student}: no feedback: {'; '.join(reasons)}")


def _export(ws: Workspace, slug: str, args) -> None:
    from .export import export

    print(f"wrote {export(ws, slug, Path(args.out) if args.out else None)}")


def _report(ws: Workspace, slug: str, args) -> None:
    from .report import write

    print(f"wrote {write(ws, slug, Path(args.out) if args.out else None)}")


def _run_all(ws: Workspace, slug: str, args) -> None:
    args.out = None
    for step in (_collect, _autograde, _feedback, _export, _report):
        step(ws, slug, args)


def _grade(args: argparse.Namespace) -> int:
    from .status import exclusive

    try:
        ws = Workspace(Path(args.root)).check()
        slug = ws.slug(args.module)
        with exclusive(ws):
            args.step(ws, slug, args)
    except ValueError as problem:  # bad limits or seeds: say which, as every other grading error does
        raise GradingError(str(problem)) from problem
    return 0


def _autograde_options(parser: argparse.ArgumentParser) -> None:
    defaults = Limits()
    parser.add_argument("--workers", type=int, help="submissions graded at once (default: one per CPU core)")
    parser.add_argument("--cell-timeout", type=int, default=defaults.cell_seconds, help=f"seconds one cell may run (default {defaults.cell_seconds})")
    parser.add_argument("--memory-mb", type=int, default=defaults.memory_mb, help=f"memory one kernel may use, in MB (default {defaults.memory_mb})")
    parser.add_argument("--submission-timeout", type=int, default=defaults.submission_seconds, help=f"seconds one submission may run (default {defaults.submission_seconds})")
    parser.add_argument("--force", action="store_true", help="grade again even submissions that have not changed")
    parser.add_argument("--student", action="append", help="grade only this learner (repeatable)")


def register(commands) -> None:
    """Add `chainlab grade` and its steps to the `chainlab` command's sub-parsers."""
    grade = commands.add_parser("grade", help="release, collect, autograde, feedback, export and report a module (nbgrader)")
    steps = grade.add_subparsers(dest="grade_step", required=True, metavar="step")

    def step(name: str, handler, help_text: str) -> argparse.ArgumentParser:
        parser = steps.add_parser(name, help=help_text)
        parser.add_argument("module", help="module number or slug, e.g. 00")
        parser.add_argument("--root", default=str(course.ROOT), help="course root holding nbgrader_config.py (default: this repository)")
        parser.set_defaults(run=_grade, step=handler)
        return parser

    release = step("release", _release, "release a module to the cohort (learner zip with the cohort's seed and keys)")
    release.add_argument("--seed", type=int, help="the cohort's seed, fixed at its first release (default 2026)")
    release.add_argument("--cohort-name", help="a name for the cohort, shown to no one but you")
    release.add_argument(
        "--assessment",
        action="store_true",
        help="an assessment: the zip ships no keys and no worked solutions, checks judge only an answer's form, the grader judges the answers (default: practice)",
    )
    source_help = "a folder with one sub-folder per learner, or the zip downloaded from Moodle or Canvas"
    step("collect", _collect, "collect submissions from a folder or an LMS zip").add_argument("source", help=source_help)
    _autograde_options(step("autograde", _autograde, "grade collected submissions in parallel, with limits"))
    step("feedback", _feedback, "write feedback pages (no hidden tests, no expected values)")
    step("export", _export, "write the grades as CSV").add_argument("--out", help="file to write (default: grading/reports/)")
    step("report", _report, "write the cohort report as HTML").add_argument("--out", help="file to write (default: grading/reports/)")
    run = step("run", _run_all, "collect, autograde, feedback, export and report, in one go")
    run.add_argument("source", help=source_help)
    _autograde_options(run)
