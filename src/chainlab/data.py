"""`load(table)`: the one way notebooks read the synthetic world (introduced in 00_getting_started).

The world owns where its files live (`chainlab.world.paths`); this module only loads, building a world on first use.
"""

from __future__ import annotations

from pathlib import Path

from .world.paths import answer_dir, build_command, dataset_dir, resolve_seed


def load(table: str, profile: str = "classroom", seed: int | None = None, *, root: Path | None = None):
    """A table of the synthetic world as a pandas DataFrame, built on first use.

    Checks that the file is the one the manifest describes (not truncated or changed) and has the
    documented columns; any problem raises one message naming the file and the command that fixes it.
    """
    from .world import schema

    if table not in schema.LEARNER_TABLES:
        raise KeyError(f"no table {table!r}; the tables are: {', '.join(schema.LEARNER_TABLES)}")
    return _read(dataset_dir, table, profile, seed, root)


def load_answer_key(table: str, profile: str = "classroom", seed: int | None = None, *, root: Path | None = None):
    """An answer-key table (address_owners, flows, tag_truth, ...) from grading/world/, built on first use like `load`.

    For tests, the key builder and instructors' grading: code that runs in a learner's kernel never calls it.
    """
    from .world import schema

    if table not in schema.ANSWER_TABLES:
        raise KeyError(f"no answer-key table {table!r}; they are: {', '.join(schema.ANSWER_TABLES)}")
    return _read(answer_dir, table, profile, seed, root)


def _read(where, table: str, profile: str, seed: int | None, root: Path | None):
    """Read one table from the folder `where(profile, seed, root)` gives, building the world first if it is missing."""
    from .world import build, profiles, store

    profiles.profile(profile)
    seed = resolve_seed(seed)
    folder, fix = where(profile, seed, root), build_command(profile, seed)
    if store.needs_build(folder):  # a learner's kernel (reading learner tables) never writes the ground truth
        build.build(profile, seed, root=root, answers=where is answer_dir)
    return store.read_table(folder, table, store.read_manifest(folder, fix), fix).to_pandas()
