"""`chainlab datasets build|verify|describe`: the command-line face of the synthetic world."""

from __future__ import annotations

import argparse

from .paths import answer_dir, dataset_dir, resolve_seed
from .profiles import PROFILES


def register(commands) -> None:
    """Add the `datasets` sub-command to the `chainlab` parser's sub-commands."""
    parser = commands.add_parser("datasets", help="build, verify or describe the synthetic datasets")
    parser.add_argument("action", choices=("build", "verify", "describe"))
    parser.add_argument("--profile", default="classroom", help=f"world size: {', '.join(PROFILES)} (default classroom)")
    parser.add_argument("--seed", default=None, help="cohort seed (default: $CHAINLAB_SEED, else the public world)")
    parser.add_argument("--force", action="store_true", help="rebuild even if the data set exists")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from . import build, profiles, store, verify

    profiles.profile(args.profile)
    seed = resolve_seed(args.seed)
    folder = dataset_dir(args.profile, seed)
    if args.action == "build":
        build.build(args.profile, seed, force=args.force)
        print(f"built {folder} (answer keys in {answer_dir(args.profile, seed)})")
    elif args.action == "verify":
        for line in verify.verify(args.profile, seed):
            print(f"ok  {line}")
        print(f"verified {folder}")
    else:
        from .paths import build_command

        manifest = store.read_manifest(folder, build_command(args.profile, seed))
        print(
            f"{folder}: profile {manifest['profile']}, seed {manifest['seed']}, chainlab {manifest['chainlab_version']}"
        )
        for name, entry in manifest["tables"].items():
            print(
                f"  {name:<18} {entry['rows']:>10,} rows  {entry['bytes'] / 1e6:8.2f} MB  sha256 {entry['sha256'][:16]}…"
            )
    return 0
