"""The `chainlab` command: one sub-command per job (keys, datasets, grade, ...)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import course


def _keys(args: argparse.Namespace) -> int:
    from .exercises import keybuilder

    slugs = [course.module(m).slug for m in args.modules] or [m.slug for m in course.MODULES]
    for slug in slugs:
        path = keybuilder.build(slug, Path(args.solutions))
        print(f"wrote {path}")
    return 0


def _new_module(args: argparse.Namespace) -> int:
    from .scaffold import new_module

    for path in new_module(args.number, args.slug, args.title, args.minutes, args.one_day_track, Path(args.root)):
        print(f"wrote {path}")
    print("Next: write the notebook and the exercises (CONTRIBUTING.md), then run `make release` and `make check`.")
    return 0


def _my_course(args: argparse.Namespace) -> int:
    from . import learner_copy

    said = learner_copy.rescue() if args.rescue else learner_copy.sync()
    for line in said:
        print(line)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="chainlab", description="Chain Investigations Lab tools.")
    commands = parser.add_subparsers(dest="command", required=True)

    keys = commands.add_parser("keys", help="build the hashed answer keys from the solution notebooks")
    keys.add_argument("modules", nargs="*", help="module numbers or slugs (default: all)")
    keys.add_argument("--solutions", default=str(course.ROOT / "solutions"), help="folder of solution notebooks")
    keys.set_defaults(run=_keys)

    scaffold = commands.add_parser("new-module", help="write the files of a new course module (see CONTRIBUTING.md)")
    scaffold.add_argument("number", help="two digits, e.g. 11")
    scaffold.add_argument("slug", help="lower-case words joined by _, e.g. cross_chain_cases")
    scaffold.add_argument("title", help='the module\'s title, e.g. "Cross-chain cases"')
    scaffold.add_argument("minutes", type=int, help="the time a learner needs, 15 to 90")
    scaffold.add_argument("--one-day-track", action="store_true", help="the module is part of the one-day workshop")
    scaffold.add_argument("--root", default=str(course.ROOT), help="the course root (default: this checkout)")
    scaffold.set_defaults(run=_new_module)

    work = commands.add_parser(
        "my-course", help="bring my-course/, the learner's own copy of the course, up to date without overwriting work"
    )
    work.add_argument(
        "--rescue",
        action="store_true",
        help="only save notebooks a learner worked in inside course/ into my-course/ (before a release)",
    )
    work.set_defaults(run=_my_course)

    from .world.cli import register as register_datasets

    register_datasets(commands)

    from .grading.cli import register as register_grading

    register_grading(commands)

    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except (KeyError, ValueError, RuntimeError, FileNotFoundError) as problem:
        message = problem.args[0] if isinstance(problem, KeyError) and problem.args else problem
        print(f"chainlab {args.command}: {message}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
