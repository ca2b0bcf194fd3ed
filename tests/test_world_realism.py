"""Realism of freshly built classroom worlds: the off-chain records, the DEX, gas, prices and wallet habits behave as
on real chains, and `verify` catches a world where they do not."""

import json
import shutil

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from chainlab.cohort import DEFAULT_SEED
from chainlab.data import answer_dir, dataset_dir
from chainlab.world.store import sha256
from chainlab.world.verify import InvariantError, verify
from tests.test_world_build import SEEDS, built_worlds


@pytest.fixture(scope="module")
def worlds():
    return built_worlds()


def _table(root, name, seed=DEFAULT_SEED, answers=False):
    folder = (answer_dir if answers else dataset_dir)("classroom", seed, root)
    return pq.read_table(folder / f"{name}.parquet")


@pytest.mark.parametrize("seed", SEEDS)
def test_verify_checks_tags_swaps_and_logins(worlds, seed):
    report = "\n".join(verify("classroom", seed, root=worlds))
    for claim in ("tagged address on its own chain", "fit the pool's reserves at their place in the chain",
                  "before the chain data ends"):
        assert claim in report


def test_tag_truth_names_the_tagged_addresses(worlds):
    tags, truth = _table(worlds, "tags").to_pandas(), _table(worlds, "tag_truth", answers=True).to_pandas()
    ethereum = tags.chain == "ethereum"
    assert ethereum.sum() > 0
    assert truth.address[ethereum.to_numpy()].str.startswith("0x").all()
    assert (truth.address == tags.address).all()


def _rewrite(folder, name, table):
    path = folder / f"{name}.parquet"
    pq.write_table(table, path)
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["tables"][name].update(bytes=path.stat().st_size, sha256=sha256(path))
    (folder / "manifest.json").write_text(json.dumps(manifest))


@pytest.mark.parametrize("damage, message", [
    ("tag_truth", "tag truth names a different address"),
    ("swap", "DEX swaps do not fit the pool's reserves"),
    ("login", "logins fall after the chain data ends"),
])
def test_verify_catches_wrong_tags_swaps_and_logins(worlds, tmp_path, damage, message):
    for part in ("datasets", "grading"):
        shutil.copytree(worlds / part, tmp_path / part)
    folder, keys = dataset_dir("classroom", DEFAULT_SEED, tmp_path), answer_dir("classroom", DEFAULT_SEED, tmp_path)
    if damage == "tag_truth":
        table = pq.read_table(keys / "tag_truth.parquet")
        owners = pq.read_table(keys / "address_owners.parquet")["address"].to_pylist()
        tags = pq.read_table(folder / "tags.parquet")
        row = tags["chain"].to_pylist().index("ethereum")
        addresses = table["address"].to_pylist()
        addresses[row] = owners[0]  # a Bitcoin address for an Ethereum tag: the old bug
        _rewrite(keys, "tag_truth", table.set_column(0, "address", pa.array(addresses)))
    elif damage == "swap":
        events = pq.read_table(folder / "eth_events.parquet")
        swaps = np.flatnonzero(pc.equal(events["event"], "Swap").to_numpy(zero_copy_only=False))
        amounts = events["amount_out"].to_pylist()
        amounts[swaps[len(swaps) // 2]] = amounts[swaps[len(swaps) // 2]] * 2  # priced against the wrong reserves
        column = events.schema.get_field_index("amount_out")
        _rewrite(folder, "eth_events", events.set_column(column, "amount_out", pa.array(amounts, events.schema.field("amount_out").type)))
    else:
        logins = pq.read_table(folder / "logins.parquet")
        times = logins["timestamp"].cast(pa.timestamp("s", tz="UTC")).cast(pa.int64()).to_numpy().copy()
        times[-1] += 40 * 86_400
        times = pa.array(times).cast(pa.timestamp("s", tz="UTC"))
        column = logins.schema.get_field_index("timestamp")
        _rewrite(folder, "logins", logins.set_column(column, "timestamp", times))
    with pytest.raises(InvariantError, match=message):
        verify("classroom", DEFAULT_SEED, root=tmp_path)
