"""Where the synthetic datasets live, and `load(table)`: the one way notebooks read them.

Introduced in 00_getting_started. `datasets/<profile>/` holds the default world; an instructor's cohort seed
(argument `seed`, else the cohort's: see `chainlab.cohort`) gives `datasets/<profile>-seed<N>/`.
"""

from __future__ import annotations

from pathlib import Path

from . import cohort
from .cohort import DEFAULT_SEED
from .course import ROOT


def resolve_seed(seed: int | str | None = None) -> int:
    """The seed to use: the argument, else the cohort's (CHAINLAB_SEED, the cohort folder, or the public default)."""
    return cohort.seed() if seed is None else cohort.parse_seed(seed, "The seed")


def folder_name(profile: str, seed: int) -> str:
    return profile if seed == DEFAULT_SEED else f"{profile}-seed{seed}"


def dataset_dir(profile: str = "classroom", seed: int | None = None, root: Path | None = None) -> Path:
    """The learners' folder of a world: datasets/<profile>[-seed<N>]/."""
    return Path(root or ROOT) / "datasets" / folder_name(profile, resolve_seed(seed))


def answer_dir(profile: str = "classroom", seed: int | None = None, root: Path | None = None) -> Path:
    """The answer keys of a world: grading/world/<profile>[-seed<N>]/ (never shipped to learners)."""
    return Path(root or ROOT) / "grading" / "world" / folder_name(profile, resolve_seed(seed))


def build_command(profile: str = "classroom", seed: int | None = None) -> str:
    """The shell command that (re)builds a world, for error messages."""
    seed = resolve_seed(seed)
    return f"chainlab datasets build --profile {profile}" + ("" if seed == DEFAULT_SEED else f" --seed {seed}")


def load(table: str, profile: str = "classroom", seed: int | None = None, *, root: Path | None = None):
    """A table of the synthetic world as a pandas DataFrame, built on first use.

    Checks that the file is the one the manifest describes (not truncated or changed) and has the
    documented columns; any problem raises one message naming the file and the command that fixes it.
    """
    from .world import build, profiles, schema, store

    profiles.profile(profile)
    if table not in schema.LEARNER_TABLES:
        raise KeyError(f"no table {table!r}; the tables are: {', '.join(schema.LEARNER_TABLES)}")
    seed = resolve_seed(seed)
    folder = dataset_dir(profile, seed, root)
    if not (folder / store.MANIFEST).exists():
        build.build(profile, seed, root=root)
    manifest = store.read_manifest(folder, build_command(profile, seed))
    return store.read_table(folder, table, manifest, build_command(profile, seed)).to_pandas()


def load_answer_key(table: str, profile: str = "classroom", seed: int | None = None, *, root: Path | None = None):
    """An answer-key table (address_owners, flows, tag_truth) from grading/world/, for instructors' grading."""
    from .world import schema, store

    if table not in schema.ANSWER_TABLES:
        raise KeyError(f"no answer-key table {table!r}; they are: {', '.join(schema.ANSWER_TABLES)}")
    folder = answer_dir(profile, seed, root)
    fix = build_command(profile, seed)
    return store.read_table(folder, table, store.read_manifest(folder, fix), fix).to_pandas()
