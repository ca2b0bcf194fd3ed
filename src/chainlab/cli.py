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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="chainlab", description="Chain Investigations Lab tools.")
    commands = parser.add_subparsers(dest="command", required=True)

    keys = commands.add_parser("keys", help="build the hashed answer keys from the solution notebooks")
    keys.add_argument("modules", nargs="*", help="module numbers or slugs (default: all)")
    keys.add_argument("--solutions", default=str(course.ROOT / "solutions"), help="folder of solution notebooks")
    keys.set_defaults(run=_keys)

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
