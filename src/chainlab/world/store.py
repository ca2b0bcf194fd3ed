"""Writing tables as Parquet with a manifest of content hashes, and checking files against it."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from .schema import TABLES, WORLD_FINGERPRINT

MANIFEST = "manifest.json"


class DatasetError(RuntimeError):
    """A dataset file is missing, damaged or not what this version of chainlab writes."""


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 22):
            digest.update(chunk)
    return digest.hexdigest()


def write_folder(folder: Path, tables: dict[str, pa.Table], about: dict) -> dict:
    """Write every table and manifest.json into `folder`, replacing it only once all files are complete.

    Tables are written in parallel threads (Arrow releases the GIL); each file's bytes do not depend on the order."""
    staging = folder.with_name(folder.name + ".partial")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        written = pool.map(lambda item: _write_table(staging, *item), tables.items())
        entries = dict(zip(tables, written))
    manifest = {**about, "tables": entries}
    (staging / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    shutil.rmtree(folder, ignore_errors=True)
    staging.rename(folder)
    return manifest


def _write_table(folder: Path, name: str, table: pa.Table) -> dict:
    """One table as Parquet (zstd level 1). Hashes and addresses, which rarely repeat, get no dictionary; hex text
    still compresses to about half, so it stays compressed."""
    table = table.select(TABLES[name].schema.names).cast(TABLES[name].schema)
    path = folder / f"{name}.parquet"
    plain = [c for c in table.column_names if "hash" in c or "address" in c]
    pq.write_table(
        table,
        path,
        compression="zstd",
        compression_level=1,
        use_dictionary=[c for c in table.column_names if c not in plain],
        write_statistics=False,
    )
    return {"file": path.name, "rows": table.num_rows, "bytes": path.stat().st_size, "sha256": sha256(path)}


@contextmanager
def build_lock(folder: Path) -> Iterator[None]:
    """Only one process builds `folder` at a time: the others wait here, then find it built (POSIX; elsewhere no lock)."""
    try:
        import fcntl
    except ImportError:
        yield
        return
    folder.parent.mkdir(parents=True, exist_ok=True)
    with open(folder.parent / f".{folder.name}.lock", "w") as lock:
        fcntl.lockf(lock, fcntl.LOCK_EX)
        yield


def needs_build(folder: Path) -> bool:
    """True when `folder` has no world, or one built by other code than today's (a `git pull` that changed the world).

    A damaged manifest is not rebuilt silently: reading it says what is wrong."""
    try:
        manifest = json.loads((folder / MANIFEST).read_text())
    except FileNotFoundError:
        return True
    except (OSError, ValueError):
        return False
    return isinstance(manifest, dict) and manifest.get("world_code") != WORLD_FINGERPRINT


def read_manifest(folder: Path, fix: str) -> dict:
    path = folder / MANIFEST
    if not path.exists():
        raise DatasetError(f"{path} is missing: the data set has not been built. Fix: run `{fix}`.")
    try:
        manifest = json.loads(path.read_text())
        manifest["tables"].items()
    except (ValueError, KeyError, AttributeError):
        raise DatasetError(f"{path} is damaged (not a chainlab manifest). Fix: run `{fix} --force`.") from None
    return manifest


def read_table(folder: Path, name: str, manifest: dict, fix: str) -> pa.Table:
    """One table, after checking that its file is the one the manifest describes and has the documented schema."""
    entry = manifest["tables"].get(name)
    if entry is None:
        raise DatasetError(f"{folder / MANIFEST} lists no table {name!r}. Fix: run `{fix} --force`.")
    path = folder / entry["file"]
    if not path.exists():
        raise DatasetError(f"{path} is missing. Fix: run `{fix} --force`.")
    if path.stat().st_size != entry["bytes"]:
        raise DatasetError(
            f"{path} is truncated or changed ({path.stat().st_size} bytes, expected {entry['bytes']}). "
            f"Fix: run `{fix} --force`."
        )
    if sha256(path) != entry["sha256"]:
        raise DatasetError(
            f"{path} was changed since it was built (its SHA-256 does not match {MANIFEST}). Fix: run `{fix} --force`."
        )
    try:
        table = pq.read_table(path)
    except (pa.ArrowInvalid, OSError) as err:
        raise DatasetError(f"{path} cannot be read as Parquet ({err}). Fix: run `{fix} --force`.") from None
    expected = TABLES[name].schema
    if table.schema.names == expected.names and all(
        a.type == b.type or (pa.types.is_timestamp(a.type) and pa.types.is_timestamp(b.type))
        for a, b in zip(table.schema, expected)
    ):
        table = table.cast(expected)  # Parquet keeps second-resolution timestamps as milliseconds
    if not table.schema.equals(expected, check_metadata=False):
        found = {field.name: field.type for field in table.schema}
        wrong = [
            f"{f.name} ({f.type})" + ("" if f.name in found else " missing")
            for f in expected
            if found.get(f.name) != f.type
        ]
        raise DatasetError(
            f"{path} does not have the documented columns: expected {', '.join(wrong) or 'no extra columns'}; "
            f"found {', '.join(f'{n} ({t})' for n, t in found.items())}. Fix: run `{fix} --force`."
        )
    return table
