"""The WholeNumber answer kind (a block number), through the exercise that uses it: right, wrong, blank and ill-formed."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from chainlab.chain import toychain
from chainlab.exercises import answers, m01
from chainlab.exercises.answers import FormError, WholeNumber


@pytest.fixture
def reported_height(monkeypatch):
    """The height of the block holding the reported transaction, for the public default seed."""
    monkeypatch.delenv("CHAINLAB_SEED", raising=False)
    monkeypatch.delenv("CHAINLAB_KEYS_DIR", raising=False)
    chain = toychain.build()
    return next(b.height for b in chain.blocks if any(t.hash == chain.reported_transaction for t in b.transactions))


def test_right_wrong_and_blank(reported_height):
    exercise = m01.reported_block
    assert exercise.verdict(np.int64(reported_height)).status == "correct"
    assert exercise.verdict(float(reported_height)).status == "correct"
    assert exercise.verdict(reported_height + 1).status == "incorrect"
    assert exercise.verdict(answers.BLANK).status == "unanswered"


@pytest.mark.parametrize(
    "value, says",
    [
        (pd.Series([3]), ".iloc[0]"),
        (2.5, "whole number"),
        (-1, "0 or more"),
        ("3", "Remove the quotes"),
    ],
)
def test_ill_formed_answers_say_what_to_fix(value, says):
    with pytest.raises(FormError, match=re.escape(says)):
        WholeNumber(what="the block number").canonical(value)
