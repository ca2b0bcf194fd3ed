"""Answer kinds: what form an answer takes, its canonical text, and what to say when the form is off.

Each kind turns a learner's value into one canonical string (satoshi as integers,
sorted id sets, ...), so that it can be compared with a salted hash of the
expected answer. A kind never sees the expected answer: every message it writes
is about the form of the learner's value, so no message can leak the answer.
"""

from __future__ import annotations

import math
import numbers
from decimal import ROUND_HALF_EVEN, Decimal
from dataclasses import dataclass, field

import numpy as np
import pandas as pd


class Blank:
    """The `____` a learner replaces with an answer."""

    def __repr__(self) -> str:
        return "____"


BLANK = Blank()


class FormError(ValueError):
    """The answer is not of the expected form; the message says how to fix it."""


@dataclass(frozen=True)
class Variant:
    """A likely slip (a unit mix-up): the canonical form it would give, and what to tell the learner."""

    canonical: str
    message: str


class AnswerKind:
    """Base class: `describe()` states the expected form; `canonical()` accepts or explains."""

    def describe(self) -> str:
        raise NotImplementedError

    def canonical(self, value) -> str:
        raise NotImplementedError

    def size(self, value) -> int | None:
        """How many items the answer holds, for a hashed 'right number of items?' check."""
        return None

    def variants(self, value) -> list[Variant]:
        return []

    def implausible(self, value) -> str | None:
        """Why a well-formed but wrong answer cannot be right (out of range), if it cannot."""
        return None


def _number(value, what: str) -> float:
    if isinstance(value, Decimal):
        value = float(value)
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        if isinstance(value, str):
            raise FormError(f"{what} is a number, but you gave text ({value!r}). Remove the quotes.")
        if isinstance(value, (pd.Series, pd.DataFrame)):
            raise FormError(f"{what} is a single number, but you gave a {type(value).__name__}. Did you forget .sum(), .max() or len()?")
        raise FormError(f"{what} is a number, but you gave a {type(value).__name__}.")
    number = float(value)
    if math.isnan(number) or math.isinf(number):
        raise FormError(f"{what} must be a finite number; you gave {number}. Check for missing values.")
    return number


@dataclass(frozen=True)
class Count(AnswerKind):
    """A whole number of things (rows, blocks, addresses)."""

    of: str = "items"

    def describe(self) -> str:
        return f"a whole number (int) of {self.of}"

    def canonical(self, value) -> str:
        number = _number(value, f"The number of {self.of}")
        if number != int(number):
            raise FormError(f"The number of {self.of} is a whole number; you gave {number}.")
        if number < 0:
            raise FormError(f"A number of {self.of} cannot be negative; you gave {int(number)}.")
        return str(int(number))


@dataclass(frozen=True)
class WholeNumber(Count):
    """A whole number of 0 or more that names something rather than counting it (a block number)."""

    what: str = "the number"

    def describe(self) -> str:
        return f"{self.what} as a whole number (int)"

    def canonical(self, value) -> str:
        what = self.what[:1].upper() + self.what[1:]
        if isinstance(value, pd.Series):
            raise FormError(f"{what} is one number, but you gave a Series (a column) of {len(value)} value(s). Pick its value with .iloc[0].")
        number = _number(value, what)
        if number != int(number) or number < 0:
            raise FormError(f"{what} is a whole number of 0 or more; you gave {number:g}.")
        return str(int(number))


# Each unit as (base unit, how many base units it holds): answers are compared in base units.
UNITS = {
    "BTC": ("sat", 10**8),
    "sat": ("sat", 1),
    "ETH": ("wei", 10**18),
    "gwei": ("wei", 10**9),
    "wei": ("wei", 1),
    "USD": ("cent", 100),
}


def base_units(number, unit: str) -> int:
    """`number` of `unit` as a whole number of base units (satoshi, wei, cents): exact for whole numbers and Decimals, without float noise otherwise."""
    if isinstance(number, (int, np.integer)) and not isinstance(number, bool):
        exact = Decimal(int(number))
    elif isinstance(number, Decimal):
        exact = number
    else:
        exact = Decimal(repr(float(number)))
    return int((exact * UNITS[unit][1]).to_integral_value(ROUND_HALF_EVEN))


@dataclass(frozen=True)
class Amount(AnswerKind):
    """An amount in one unit, compared exactly in base units (satoshi, wei, cents)."""

    unit: str = "BTC"
    minimum: float = 0.0
    maximum: float | None = None

    def describe(self) -> str:
        return f"a number in {self.unit}"

    def canonical(self, value) -> str:
        _number(value, f"The amount in {self.unit}")
        return str(base_units(value, self.unit))

    def implausible(self, value) -> str | None:
        number = float(value)
        if number < self.minimum or (self.maximum is not None and number > self.maximum):
            span = f"between {self.minimum:g} and {self.maximum:g}" if self.maximum is not None else f"at least {self.minimum:g}"
            return f"{number:g} {self.unit} is not a plausible answer here: it should be {span} {self.unit}."
        return None

    def variants(self, value) -> list[Variant]:
        try:
            _number(value, "")
        except FormError:
            return []
        base = UNITS[self.unit][0]
        return [
            Variant(str(base_units(value, other)), f"That looks like an amount in {other}, but the answer is asked in {self.unit}.")
            for other, (other_base, _) in UNITS.items()
            if other_base == base and other != self.unit
        ]


@dataclass(frozen=True)
class Text(AnswerKind):
    """A piece of text such as a hash, an address or a transaction id."""

    what: str = "text"
    case_sensitive: bool = False
    length: int | None = None

    def describe(self) -> str:
        extra = f" of {self.length} characters" if self.length else ""
        return f"{self.what} as text (str){extra}"

    def canonical(self, value) -> str:
        if isinstance(value, bytes):
            raise FormError(f"Give {self.what} as text (str), not bytes. For a hash, use .hexdigest() rather than .digest().")
        if not isinstance(value, str):
            raise FormError(f"Give {self.what} as text (str) in quotes, not a {type(value).__name__}.")
        text = value.strip()
        if self.length and len(text) != self.length:
            raise FormError(f"{self.what.capitalize()} has {self.length} characters; yours has {len(text)}. Check you copied it whole.")
        return text if self.case_sensitive else text.lower()


@dataclass(frozen=True)
class Choice(AnswerKind):
    """One option out of a fixed list."""

    options: tuple[str, ...] = field(default_factory=tuple)

    def describe(self) -> str:
        return "one of: " + ", ".join(repr(o) for o in self.options)

    def canonical(self, value) -> str:
        if not isinstance(value, str):
            raise FormError(f"Answer with one of {', '.join(repr(o) for o in self.options)} (text, in quotes).")
        chosen = value.strip().lower()
        lowered = {o.lower(): o for o in self.options}
        if chosen not in lowered:
            raise FormError(f"{value!r} is not one of the options: {', '.join(repr(o) for o in self.options)}.")
        return lowered[chosen]


def _as_labels(value, what: str) -> list[str]:
    if isinstance(value, pd.DataFrame):
        if value.shape[1] != 1:
            raise FormError(f"Give the {what} as a list or one column, not a table with {value.shape[1]} columns.")
        value = value.iloc[:, 0]
    if isinstance(value, str):
        raise FormError(f"Give the {what} as a list, even if there is only one: [{value!r}].")
    if isinstance(value, (pd.Series, pd.Index, np.ndarray, pd.api.extensions.ExtensionArray, list, tuple, set, frozenset)):  # .unique() of a text column is an ExtensionArray
        items = list(value)
        if any(not isinstance(item, str) for item in items):
            raise FormError(f"Every one of the {what} should be text (str).")
        return [item.strip() for item in items]
    raise FormError(f"Give the {what} as a list, e.g. ['a', 'b'], not a {type(value).__name__}.")


@dataclass(frozen=True)
class LabelSet(AnswerKind):
    """A set of ids (addresses, transaction ids): order and repeats do not matter."""

    what: str = "addresses"

    def describe(self) -> str:
        return f"a list of {self.what} (order does not matter)"

    def canonical(self, value) -> str:
        return "\n".join(sorted(set(_as_labels(value, self.what))))

    def size(self, value) -> int | None:
        return len(set(_as_labels(value, self.what)))


@dataclass(frozen=True)
class Rows(AnswerKind):
    """Rows of a table, identified by a key column; `ordered` when the row order is part of the answer."""

    key: str = "tx_id"
    ordered: bool = False

    def describe(self) -> str:
        order = "in the asked order" if self.ordered else "in any order"
        return f"a table (DataFrame) that keeps the column {self.key!r}, rows {order}"

    def _keys(self, value) -> list[str]:
        if isinstance(value, pd.Series) and value.name == self.key:
            return [str(v) for v in value]
        if not isinstance(value, pd.DataFrame):
            raise FormError(f"The answer is a table (DataFrame), but you gave a {type(value).__name__}. Keep the result of the filter or sort as it is.")
        if self.key not in value.columns:
            raise FormError(f"Your table has no column {self.key!r}. Keep all the columns of the original table.")
        return [str(v) for v in value[self.key]]

    def canonical(self, value) -> str:
        keys = self._keys(value)
        return "\n".join(keys if self.ordered else sorted(keys))

    def size(self, value) -> int | None:
        return len(self._keys(value))


@dataclass(frozen=True)
class Row(AnswerKind):
    """A single row of a table (a Series, or a one-row DataFrame), identified by its key column."""

    key: str = "tx_id"

    def describe(self) -> str:
        return f"one row of the table (with its {self.key!r})"

    def canonical(self, value) -> str:
        if isinstance(value, pd.DataFrame):
            if len(value) != 1:
                raise FormError(f"The answer is one row; your table has {len(value)} rows. Pick a single row, e.g. with .iloc[0] or .iloc[-1].")
            value = value.iloc[0]
        if not isinstance(value, pd.Series) or self.key not in value.index:
            raise FormError(f"The answer is one row of the table (with its {self.key!r}), but you gave a {type(value).__name__}.")
        return str(value[self.key])


@dataclass(frozen=True)
class CountsBy(AnswerKind):
    """A count per label (as from .value_counts() or .groupby(...).size())."""

    what: str = "addresses"

    def describe(self) -> str:
        return f"a count for each of the {self.what} (a Series, e.g. from .value_counts())"

    def _pairs(self, value) -> dict[str, int]:
        if isinstance(value, pd.DataFrame) and value.shape[1] == 1:
            value = value.iloc[:, 0]
        if isinstance(value, dict):
            value = pd.Series(value)
        if not isinstance(value, pd.Series):
            raise FormError(f"The answer is a Series of counts, one per {self.what[:-1] if self.what.endswith('s') else self.what}; you gave a {type(value).__name__}.")
        pairs = {}
        for label, count in value.items():
            number = _number(count, "Each count")
            if number != int(number) or number < 0:
                raise FormError(f"Counts are whole numbers of 0 or more; {label!r} has {count}.")
            pairs[str(label)] = int(number)
        return pairs

    def canonical(self, value) -> str:
        return "\n".join(f"{label}={count}" for label, count in sorted(self._pairs(value).items()) if count)

    def size(self, value) -> int | None:
        return sum(1 for count in self._pairs(value).values() if count)
