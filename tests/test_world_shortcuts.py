"""No shortcut past the investigation: no single column or value of the learners' tables picks out the scenario rows
(criminal flows, scenario actors' records, wrong tags) on its own.

Trains no model. For every column (and simple views of it: a text's shape and length, a time's hour, weekday and
second of the day, a number's digits), it tries
- every value: a tell if it covers at least 30 % of the scenario rows and at most 2 % of the ordinary rows;
- every threshold on numbers: a tell if the area under the ROC curve is above 0.95 or below 0.05.
Evidence an investigator must first find (an address, a device, the thief's chosen gas price, a transaction hash) is
not a shortcut: such columns are listed in EVIDENCE with the reason.
"""

from __future__ import annotations

import functools
import re

import numpy as np
import pandas as pd
import pytest
from scipy.stats import rankdata

from chainlab.cohort import DEFAULT_SEED
from chainlab.world.build import generate, tables
from chainlab.world.offchain import account_ids

ORDINARY_ROLES = {"retail_user", "merchant", "gambling", "otc_broker"}
COVER, ORDINARY_SHARE, AUC = 0.30, 0.02, 0.95
EVIDENCE = {  # column: why singling out its values is investigation, not a shortcut
    "hash": "identifiers: found by following the money",
    "transaction_hash": "identifiers",
    "address": "identifiers",
    "account_id": "identifiers (their numbers are tested as account_id:digits)",
    "device_id": "evidence to link",
    "ip_address": "evidence to link",
    "id_document": "random identifiers",
    "email": "tested through its shape",
    "full_name": "tested through its shape",
    "label": "what a tag claims",
    "spent_transaction_hash": "identifiers",
    "from_address": "identifiers",
    "to_address": "identifiers",
}


@functools.cache
def world():
    built = generate("classroom", DEFAULT_SEED)
    learners, answers, _ = tables(built)
    return (
        built,
        {name: t.to_pandas() for name, t in learners.items()},
        {name: t.to_pandas() for name, t in answers.items()},
    )


def views(frame: pd.DataFrame) -> dict[str, pd.Series]:
    """Each column, and simple views of it, by name."""
    out = {}
    for name, column in frame.items():
        if pd.api.types.is_datetime64_any_dtype(column):
            seconds = (column - column.dt.normalize()).dt.total_seconds()
            out |= {
                f"{name}:value": column.astype("int64"),
                f"{name}:second_of_day": seconds,
                f"{name}:hour": column.dt.hour.astype(str),
                f"{name}:weekday": column.dt.weekday.astype(str),
            }
        elif pd.api.types.is_bool_dtype(column) or pd.api.types.is_numeric_dtype(column):
            out |= {f"{name}:value": column.astype(float), f"{name}:exact": column.astype(str)}
        elif name not in EVIDENCE or name in ("full_name", "email", "account_id"):
            text = column.astype(str)
            if name not in EVIDENCE:
                out[f"{name}:exact"] = text
            out[f"{name}:shape"] = text.map(
                lambda s: re.sub(r"[a-z]+", "a", re.sub(r"[A-Z]+", "A", re.sub(r"\d+", "9", s)))
            )
            out[f"{name}:length"] = text.str.len().astype(float)
            digits = text.str.replace(r"\D", "", regex=True)
            if (digits != "").mean() > 0.9:
                out[f"{name}:digits"] = pd.to_numeric(digits.str[-12:], errors="coerce").fillna(-1).astype(float)
    return out


def shortcuts(frame: pd.DataFrame, scenario: np.ndarray) -> list[str]:
    """The views that pick out the scenario rows on their own."""
    found = []
    scenario = np.asarray(scenario, bool)
    assert 5 <= scenario.sum() < scenario.size, "too few scenario rows to test"
    for name, series in views(frame).items():
        values = series.to_numpy()
        if series.dtype == float:
            ranks = rankdata(values)
            positives, negatives = scenario.sum(), (~scenario).sum()
            auc = (ranks[scenario].sum() - positives * (positives + 1) / 2) / (positives * negatives)
            if auc > AUC or auc < 1 - AUC:
                found.append(f"{name} (AUC {auc:.2f})")
        else:
            inside = pd.Series(values[scenario]).value_counts() / scenario.sum()
            outside = pd.Series(values[~scenario]).value_counts().reindex(inside.index).fillna(0) / (~scenario).sum()
            for value in inside.index[(inside >= COVER) & (outside <= ORDINARY_SHARE)]:
                found.append(
                    f"{name} == {value!r} ({inside[value]:.0%} of scenario rows, {outside[value]:.1%} of ordinary)"
                )
    return found


def _scenario_accounts(built, account_column: pd.Series) -> np.ndarray:
    roles = np.array(built.registry.entity_role, dtype=object)[built.account_entity.values]
    scenario = pd.Series(~np.isin(roles, list(ORDINARY_ROLES)), index=account_ids(built))
    return scenario.reindex(account_column).to_numpy()


@pytest.mark.parametrize("name", ["kyc", "deposit_addresses", "logins", "exchange_ledger"])
def test_no_column_singles_out_scenario_customers(name):
    built, learners, _ = world()
    frame = learners[name]
    assert not shortcuts(frame, _scenario_accounts(built, frame["account_id"]))


def test_no_column_singles_out_wrong_tags():
    _, learners, answers = world()
    assert not shortcuts(learners["tags"], ~answers["tag_truth"]["correct"].to_numpy())


def test_no_column_singles_out_criminal_transactions():
    _, learners, answers = world()
    transactions = learners["transactions"]
    transactions = transactions[~transactions["is_coinbase"]].drop(columns="is_coinbase")
    transactions = transactions.assign(fee_rate=(transactions["fee"] / transactions["virtual_size"]).round(2))
    assert not shortcuts(transactions, transactions["hash"].isin(answers["flows"]["transaction_hash"]).to_numpy())


def test_the_shortcut_finder_finds_a_planted_shortcut():
    frame = pd.DataFrame(
        {
            "name": [f"Person {i}" for i in range(100)],
            "opened": pd.date_range("2024-01-01", periods=100, freq="D"),
            "score": np.arange(100.0),
        }
    )
    scenario = np.arange(100) >= 90
    frame.loc[scenario, "name"] = [f"Market buyer {i}" for i in range(10)]
    found = shortcuts(frame, scenario)
    assert any(f.startswith("name:shape == 'Aa a 9'") for f in found) and any(
        f.startswith("score:value") for f in found
    )
