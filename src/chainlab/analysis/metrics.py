"""Precision and recall: how far to trust a heuristic, measured against the answer key (modules 04 and 06)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class Score:
    """How a finding compares with the truth: counts, precision (share of flagged that are right), recall (share of truth found)."""

    true_positives: int
    flagged: int
    actual: int

    @property
    def precision(self) -> float:
        return self.true_positives / self.flagged if self.flagged else float("nan")

    @property
    def recall(self) -> float:
        return self.true_positives / self.actual if self.actual else float("nan")

    def __str__(self) -> str:
        return f"precision {self.precision:.1%} ({self.true_positives}/{self.flagged}), recall {self.recall:.1%} ({self.true_positives}/{self.actual})"


def score_sets(flagged, actual) -> Score:
    """Precision and recall of a set of flagged items (transactions, accounts…) against the set that is truly positive."""
    flagged, actual = set(flagged), set(actual)
    return Score(len(flagged & actual), len(flagged), len(actual))


def score_pairs(predicted, truth) -> Score:
    """Pairwise precision and recall of a clustering: over all pairs of items, are 'same cluster' and 'same owner' in agreement?

    `predicted` and `truth` label the same items (e.g. cluster id and owner per address), as arrays or Series.
    """
    predicted = pd.factorize(np.asarray(predicted))[0]
    truth = pd.factorize(np.asarray(truth))[0]
    pairs = lambda counts: int((counts * (counts - 1) // 2).sum())  # noqa: E731
    both = np.unique(predicted.astype(np.int64) * (truth.max() + 1) + truth, return_counts=True)[1]
    return Score(pairs(both), pairs(np.bincount(predicted)), pairs(np.bincount(truth)))


def score_clustering(clustering, reference: pd.DataFrame) -> Score:
    """Pairwise precision and recall of a `Clustering` on the addresses of `reference` (columns address, owner)
    that are on its chain: the error rate of the heuristics behind it, measured where the owners are known."""
    ids = clustering.graph.address_index.get_indexer(reference["address"])
    on_chain = ids >= 0
    return score_pairs(clustering.labels[ids[on_chain]], reference["owner"].to_numpy()[on_chain])
