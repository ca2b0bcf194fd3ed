"""The seeds of the freshly built classroom worlds that the world tests share (built once per session in conftest.py),
and the one way those tests damage a table on purpose."""

import json

import pyarrow.parquet as pq

from chainlab.cohort import DEFAULT_SEED
from chainlab.world.store import sha256

SEEDS = (DEFAULT_SEED, 7, 99)


def rewrite_table(folder, name, table):
    """Replace one table of a data set folder and update its manifest, so that only `verify` can notice the damage."""
    path = folder / f"{name}.parquet"
    pq.write_table(table, path)
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["tables"][name].update(bytes=path.stat().st_size, sha256=sha256(path))
    (folder / "manifest.json").write_text(json.dumps(manifest))
