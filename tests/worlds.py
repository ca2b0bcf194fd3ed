"""The seeds of the freshly built classroom worlds that the world tests share (built once per session in conftest.py),
the scenarios' true answers, and the one way those tests damage a table on purpose."""

import json

import pyarrow.parquet as pq

from chainlab.cohort import DEFAULT_SEED
from chainlab.world.build import build
from chainlab.world.paths import answer_dir
from chainlab.world.store import sha256

SEEDS = (DEFAULT_SEED, 7, 99)


def case_truth(seed: int | None = None) -> dict:
    """The classroom world's cases.json (each scenario's true answers), its answer keys built first if missing (a
    learner's kernel, or a test running as one, builds a world without them)."""
    build("classroom", seed, progress=False)
    return json.loads((answer_dir("classroom", seed) / "cases.json").read_text())


def rewrite_table(folder, name, table):
    """Replace one table of a data set folder and update its manifest, so that only `verify` can notice the damage."""
    path = folder / f"{name}.parquet"
    pq.write_table(table, path)
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["tables"][name].update(bytes=path.stat().st_size, sha256=sha256(path))
    (folder / "manifest.json").write_text(json.dumps(manifest))
