"""Where a world's files live: the learners' tables under datasets/, the answer keys under grading/world/.

An instructor's cohort seed (argument `seed`, else the cohort's: see `chainlab.cohort`) gives
`datasets/<profile>-seed<N>/`; the public default seed gives `datasets/<profile>/`.
"""

from __future__ import annotations

from pathlib import Path

from .. import cohort
from ..cohort import DEFAULT_SEED
from ..course import ROOT


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
