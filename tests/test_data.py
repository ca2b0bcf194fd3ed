"""chainlab.load: builds on first use, reads checked tables, and answers every bad input with one clear message."""

import json

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import chainlab
from chainlab import cli
from chainlab.data import answer_dir, dataset_dir, load, load_answer_key, resolve_seed
from chainlab.world.schema import TABLES
from chainlab.world.store import DatasetError

FIX = "chainlab datasets build --profile classroom --seed 5"


@pytest.fixture(scope="module")
def root(tmp_path_factory):
    root = tmp_path_factory.mktemp("data")
    load("blocks", seed=5, root=root)  # builds on first use
    return root


@pytest.fixture
def copy(root, tmp_path):
    """A private copy of the built world that a test may damage."""
    import shutil

    for part in ("datasets", "grading"):
        shutil.copytree(root / part, tmp_path / part)
    return tmp_path


def test_load_builds_on_first_use_and_returns_documented_columns(root):
    outputs = load("outputs", seed=5, root=root)
    assert isinstance(outputs, pd.DataFrame) and len(outputs) > 10_000
    assert list(outputs.columns) == [name for name, _, _ in TABLES["outputs"].columns]
    assert str(outputs.block_timestamp.dt.tz) == "UTC"
    assert (dataset_dir("classroom", 5, root) / "manifest.json").exists()


def test_package_exports_load(root):
    assert len(chainlab.load("exchanges", seed=5, root=root)) == 5


def test_seed_from_environment(monkeypatch):
    monkeypatch.setenv("CHAINLAB_SEED", "31")
    assert resolve_seed() == 31 and dataset_dir().name == "classroom-seed31"
    monkeypatch.setenv("CHAINLAB_SEED", "abc")
    with pytest.raises(ValueError, match="whole number"):
        resolve_seed()


def test_answer_keys_live_under_grading(root):
    owners = load_answer_key("address_owners", seed=5, root=root)
    assert {"address", "entity", "role"} <= set(owners.columns)
    assert not (dataset_dir("classroom", 5, root) / "address_owners.parquet").exists()
    assert (answer_dir("classroom", 5, root) / "cases.json").exists()


def test_a_learners_first_load_writes_no_ground_truth_and_the_grader_builds_it_later(tmp_path):
    blocks = load("blocks", seed=5, root=tmp_path)
    assert len(blocks) and not answer_dir("classroom", 5, tmp_path).exists(), (
        "a learner's kernel wrote the ground truth"
    )
    learner_tables = {p.name: p.stat().st_mtime_ns for p in dataset_dir("classroom", 5, tmp_path).iterdir()}
    assert len(load_answer_key("address_owners", seed=5, root=tmp_path))
    assert (answer_dir("classroom", 5, tmp_path) / "cases.json").exists()
    assert {p.name: p.stat().st_mtime_ns for p in dataset_dir("classroom", 5, tmp_path).iterdir()} == learner_tables, (
        "building the ground truth rewrote the learners' tables"
    )


def test_unknown_table_lists_tables(root):
    with pytest.raises(KeyError, match="tables are: blocks, transactions"):
        load("address_owners", seed=5, root=root)


def test_unknown_profile(root):
    with pytest.raises(KeyError, match="unknown profile 'huge'; known profiles: classroom, large"):
        load("blocks", profile="huge", root=root)


def _message(copy, table="outputs"):
    with pytest.raises(DatasetError) as caught:
        load(table, seed=5, root=copy)
    return str(caught.value)


def test_missing_file(copy):
    path = dataset_dir("classroom", 5, copy) / "outputs.parquet"
    path.unlink()
    message = _message(copy)
    assert str(path) in message and "missing" in message and f"`{FIX} --force`" in message


def test_truncated_file(copy):
    path = dataset_dir("classroom", 5, copy) / "outputs.parquet"
    path.write_bytes(path.read_bytes()[:1000])
    message = _message(copy)
    assert str(path) in message and "truncated" in message and FIX in message


def test_tampered_file(copy):
    path = dataset_dir("classroom", 5, copy) / "outputs.parquet"
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    message = _message(copy)
    assert str(path) in message and "changed" in message and FIX in message


def test_wrong_schema(copy):
    folder = dataset_dir("classroom", 5, copy)
    path = folder / "prices.parquet"
    table = pq.read_table(path)
    pq.write_table(table.set_column(2, "price_usd", table["price_usd"].cast(pa.string())), path)
    manifest = json.loads((folder / "manifest.json").read_text())
    from chainlab.world.store import sha256

    manifest["tables"]["prices"].update(bytes=path.stat().st_size, sha256=sha256(path))
    (folder / "manifest.json").write_text(json.dumps(manifest))
    message = _message(copy, "prices")
    assert str(path) in message and "price_usd (double)" in message and FIX in message


def test_damaged_manifest(copy):
    path = dataset_dir("classroom", 5, copy) / "manifest.json"
    path.write_text("{not json")
    message = _message(copy)
    assert str(path) in message and "damaged" in message and FIX in message


def test_cli_reports_one_clear_message(copy, monkeypatch, capsys):
    monkeypatch.setattr("chainlab.world.paths.ROOT", copy)
    (dataset_dir("classroom", 5, copy) / "inputs.parquet").unlink()
    assert cli.main(["datasets", "verify", "--seed", "5"]) == 2
    error = capsys.readouterr().err.strip()
    assert error.count("\n") == 0 and "inputs.parquet is missing" in error and FIX in error
    assert cli.main(["datasets", "describe", "--profile", "huge"]) == 2
    assert "unknown profile" in capsys.readouterr().err


def test_cli_verify_and_describe(root, monkeypatch, capsys):
    monkeypatch.setattr("chainlab.world.paths.ROOT", root)
    assert cli.main(["datasets", "verify", "--seed", "5"]) == 0
    assert "no output is spent twice" in capsys.readouterr().out
    assert cli.main(["datasets", "describe", "--seed", "5"]) == 0
    assert "outputs" in capsys.readouterr().out


def test_readme_documents_every_table_and_column():
    from chainlab.course import ROOT
    from chainlab.world.schema import readme

    text = (ROOT / "datasets" / "README.md").read_text()
    assert text == readme()
    for table in TABLES.values():
        assert f"## `{table.name}`" in text
        for name, _, _ in table.columns:
            assert f"| `{name}` |" in text


def test_a_world_built_by_other_code_is_rebuilt_on_first_use(copy):
    """After a `git pull` that changed the world's code, `load` builds the world again instead of serving stale tables."""
    manifest_path = dataset_dir("classroom", 5, copy) / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["world_code"] = "older-code"
    (dataset_dir("classroom", 5, copy) / "outputs.parquet").write_bytes(b"stale")
    manifest_path.write_text(json.dumps(manifest))
    assert len(load("outputs", seed=5, root=copy)) > 0
    assert json.loads(manifest_path.read_text())["world_code"] != "older-code"


def test_answer_keys_build_on_first_use_like_the_tables(tmp_path):
    owners = load_answer_key("address_owners", seed=5, root=tmp_path)
    assert len(owners) > 0 and (dataset_dir("classroom", 5, tmp_path) / "manifest.json").exists()
