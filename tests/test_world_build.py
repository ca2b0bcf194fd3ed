"""Freshly built classroom worlds of several seeds: invariants, determinism, scenarios and no leaked labels."""

import json

import pyarrow.parquet as pq
import pytest

from chainlab.cohort import DEFAULT_SEED
from chainlab.data import answer_dir, dataset_dir
from chainlab.world.build import build
from chainlab.world.schema import LEARNER_TABLES
from chainlab.world.verify import verify

from .worlds import SEEDS


@pytest.mark.parametrize("seed", SEEDS)
def test_invariants_hold(worlds, seed):
    report = "\n".join(verify("classroom", seed, root=worlds))
    for claim in (
        "value conserved",
        "no output is spent twice",
        "later block than its output",
        "strictly increasing times",
        "valid checksums",
        "owner of every address",
        "except in CoinJoins",
    ):
        assert claim in report


def test_same_seed_gives_same_bytes(worlds, tmp_path):
    again = build("classroom", 7, root=tmp_path, progress=False)
    first = json.loads((dataset_dir("classroom", 7, worlds) / "manifest.json").read_text())
    second = json.loads((again / "manifest.json").read_text())
    assert first == second
    assert (answer_dir("classroom", 7, worlds) / "cases.json").read_text() == (
        answer_dir("classroom", 7, tmp_path) / "cases.json"
    ).read_text()


def test_seeds_give_different_worlds(worlds):
    hashes = {
        json.loads((dataset_dir("classroom", s, worlds) / "manifest.json").read_text())["tables"]["outputs"]["sha256"]
        for s in SEEDS
    }
    assert len(hashes) == len(SEEDS)
    rw = [
        json.loads((answer_dir("classroom", s, worlds) / "cases.json").read_text())["RW-1"]["total_ransom_satoshi"]
        for s in SEEDS
    ]
    assert len(set(rw)) > 1


def test_default_seed_uses_plain_folder_and_cohort_seed_its_own(worlds):
    assert (worlds / "datasets" / "classroom" / "manifest.json").exists()
    assert (worlds / "datasets" / "classroom-seed7" / "manifest.json").exists()
    assert (worlds / "grading" / "world" / "classroom-seed99" / "flows.parquet").exists()


def test_learner_tables_hold_no_labels(worlds):
    folder = dataset_dir("classroom", DEFAULT_SEED, worlds)
    files = sorted(p.stem for p in folder.glob("*.parquet"))
    assert files == sorted(LEARNER_TABLES)
    for name in ("transactions", "inputs", "outputs", "blocks"):
        columns = pq.read_schema(folder / f"{name}.parquet").names
        assert not {"entity", "role", "owner", "case_id", "typology", "label"} & set(columns)
    owners = pq.read_table(answer_dir("classroom", DEFAULT_SEED, worlds) / "address_owners.parquet").to_pandas()
    secret = set(owners.loc[owners.role.isin(["ransomware_group", "darknet_market"]), "entity"])
    for name in LEARNER_TABLES:
        if name in ("tags", "dnm_case_file"):  # public claims, and the closed market case's file, name the market
            continue
        text = pq.read_table(folder / f"{name}.parquet").to_pandas().astype(str)
        assert not any(text.isin(secret).any()), f"{name} names a criminal entity"


def test_scenarios_are_traceable(worlds):
    folder, keys = dataset_dir("classroom", DEFAULT_SEED, worlds), answer_dir("classroom", DEFAULT_SEED, worlds)
    cases = json.loads((keys / "cases.json").read_text())
    assert set(cases) == {"RW-1", "DNM-1", "PB-1", "TF-1", "SAN-1", "AML-1", "CE-1", "ST-1", "CAP-1"}
    outputs = pq.read_table(folder / "outputs.parquet").to_pandas()
    inputs = pq.read_table(folder / "inputs.parquet").to_pandas()
    ransom = cases["RW-1"]
    received = outputs[outputs.address.isin(ransom["ransom_addresses"])]
    assert int(received.value.sum()) == ransom["total_ransom_satoshi"]
    assert set(inputs.loc[inputs.address.isin(ransom["ransom_addresses"]), "transaction_hash"]) == {
        outputs.loc[outputs.address == ransom["consolidation_address"], "transaction_hash"].iloc[0]
    }
    deposits = pq.read_table(folder / "deposit_addresses.parquet").to_pandas()
    final = outputs[outputs.transaction_hash == ransom["final_cash_out"]]
    assert set(deposits.loc[deposits.address.isin(final.address), "account_id"]) <= set(ransom["cash_out_accounts"])
    logins = pq.read_table(folder / "logins.parquet").to_pandas()
    mule_devices = logins[logins.account_id.isin(ransom["cash_out_accounts"])].groupby("account_id").device_id.first()
    assert mule_devices.nunique() == 1
    tx = pq.read_table(folder / "transactions.parquet").to_pandas()
    coinjoins = tx[tx.output_count >= 10]
    assert len(coinjoins) > 0
    complaints = pq.read_table(folder / "complaints.parquet").to_pandas()
    assert set(ransom["ransom_addresses"]) <= set(complaints.reported_address)
    tags = pq.read_table(folder / "tags.parquet").to_pandas()
    truth = pq.read_table(keys / "tag_truth.parquet").to_pandas()
    assert len(tags) == len(truth) and (~truth.correct).sum() > 0 and set(tags.confidence) == {"high", "medium", "low"}
