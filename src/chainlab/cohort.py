"""The cohort a notebook belongs to: its seed and its answer keys (introduced in 00_getting_started).

An instructor who gives a cohort its own data releases each module with
`chainlab grade release NN --seed S`. The release puts a folder `chainlab_cohort/`
beside the notebook::

    chainlab_cohort/cohort.json          {"name": "...", "seed": S}
    chainlab_cohort/keys/NN_slug.json    the hashed answer keys built with seed S
                                         (for an assessment release, `--assessment`: a notice
                                         {"module": ..., "mode": "assessment"} and nothing else)

A learner's kernel runs in the notebook's folder, so chainlab finds that folder
there (or in a parent folder, for learners who keep all modules in one place)
and the learner sets nothing. Environment variables win over the folder:
CHAINLAB_SEED and CHAINLAB_KEYS_DIR, which the autograder sets, so that a
submission cannot choose its own seed or keys. Without either, the public
default seed and the keys shipped in the package apply.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

DEFAULT_SEED = 2026
FOLDER = "chainlab_cohort"
SETTINGS_FILE = "cohort.json"
KEYS_FOLDER = "keys"
ASSESSMENT = "assessment"  # a release's mode when the grader, not the learner's check, judges the answers
SEARCH_DEPTH = 3  # the notebook's folder and up to this many parents


def find_folder(start: Path | None = None) -> Path | None:
    """The nearest `chainlab_cohort/` folder holding a cohort.json, from `start` (default: cwd) upward."""
    here = (start or Path.cwd()).resolve()
    for candidate in [here, *here.parents][: SEARCH_DEPTH + 1]:
        folder = candidate / FOLDER
        if (folder / SETTINGS_FILE).is_file():
            return folder
    return None


def parse_seed(value: object, where: str) -> int:
    """A cohort seed as a whole number, or a ValueError that says where the bad value came from."""
    text = str(value).strip()
    if not text.isdigit():
        raise ValueError(f"{where} must be a whole number, got {value!r}. Use e.g. 41.")
    return int(text)


def read_settings(folder: Path) -> dict:
    """The cohort.json of a cohort folder: its name and seed."""
    path = folder / SETTINGS_FILE
    try:
        settings = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as problem:
        raise ValueError(
            f"{path} cannot be read ({problem}). Ask your instructor for the module's release again."
        ) from problem
    settings["seed"] = parse_seed(settings.get("seed"), f"The seed in {path}")
    return settings


def seed() -> int:
    """The cohort's seed: CHAINLAB_SEED if set, else the cohort folder's, else the public default."""
    if "CHAINLAB_SEED" in os.environ:
        return parse_seed(os.environ["CHAINLAB_SEED"], "CHAINLAB_SEED")
    folder = find_folder()
    return read_settings(folder)["seed"] if folder else DEFAULT_SEED


def keys_dir(default: Path) -> Path:
    """Where the hashed answer keys are: CHAINLAB_KEYS_DIR if set, else the cohort folder's, else `default`."""
    if os.environ.get("CHAINLAB_KEYS_DIR"):
        return Path(os.environ["CHAINLAB_KEYS_DIR"])
    folder = find_folder()
    return folder / KEYS_FOLDER if folder else default
