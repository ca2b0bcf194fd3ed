"""Answer kinds: what form an answer takes, its canonical text, and what to say when the form is off.

Each kind turns a learner's value into one canonical string (satoshi as integers,
sorted id sets, ...), so that it can be compared with a salted hash of the
expected answer. A kind never sees the expected answer: every message it writes
is about the form of the learner's value, so no message can leak the answer.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal

import numpy as np
import pandas as pd

from ..chain.units import SATOSHI_PER_BTC, WEI_PER_ETH, WEI_PER_GWEI


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


@dataclass(frozen=True)
class Facet:
    """One part of an answer (its rows in any order, its rows without the columns) with what to say when only that part is right.

    The key builder stores the hash of the right answer's facet `name`; a learner's answer whose facet
    matches it is right in that part, so `message` can say what else is off.
    """

    name: str
    canonical: str
    message: str


def a_or_an(word: str) -> str:
    """`word` with its indefinite article: 'an int', 'a Series'."""
    return f"{'an' if word[:1].lower() in 'aeiou' else 'a'} {word}"


def counted(number: int, noun: str) -> str:
    """'1 row', '3 rows', '2 addresses': a number with its noun in the right number."""
    if number == 1:
        return f"1 {singular(noun)}"
    return f"{number} {noun}"


def singular(noun: str) -> str:
    """The singular of a plural noun of this course: 'addresses' -> 'address', 'note ids' -> 'note id'."""
    for ending in ("sses", "xes", "ches", "shes"):
        if noun.endswith(ending):
            return noun[:-2]
    return noun[:-1] if noun.endswith("s") else noun


def plain_number(number) -> str:
    """A number as people write it, with thousands separators and never in scientific notation: 21,000,000 or 0.00012."""
    if isinstance(number, (int, np.integer)) and not isinstance(number, bool):
        return f"{int(number):,}"
    exact = number if isinstance(number, Decimal) else Decimal(repr(float(number)))
    text = f"{exact:,f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _type_name(value) -> str:
    return a_or_an(type(value).__name__)


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

    def facets(self, value) -> list[Facet]:
        """Parts of the answer that can be right on their own, each with what to say then (none by default)."""
        return []

    def items(self) -> str:
        """What the answer's items are called, for 'your answer has 3 rows'."""
        return "items"

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
            raise FormError(
                f"{what} is a single number, but you gave {_type_name(value)}. Did you forget .sum(), .max() or len()?"
            )
        raise FormError(f"{what} is a number, but you gave {_type_name(value)}.")
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
            raise FormError(f"The number of {self.of} is a whole number; you gave {plain_number(number)}.")
        if number < 0:
            raise FormError(f"A number of {self.of} cannot be negative; you gave {plain_number(int(number))}.")
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
            raise FormError(
                f"{what} is one number, but you gave a Series (a column) of {counted(len(value), 'values')}. Pick its value with .iloc[0]."
            )
        number = _number(value, what)
        if number != int(number) or number < 0:
            raise FormError(
                f"{what} is a whole number of 0 or more; you gave {plain_number(value if isinstance(value, (int, np.integer)) else number)}."
            )
        return str(int(number))


# Each unit as (base unit, how many base units it holds): answers are compared in base units.
UNITS = {
    "BTC": ("sat", SATOSHI_PER_BTC),
    "sat": ("sat", 1),
    "ETH": ("wei", WEI_PER_ETH),
    "gwei": ("wei", WEI_PER_GWEI),
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
        if number < 0 <= self.minimum:
            return f"Your amount is negative ({plain_number(value)} {self.unit}), and this one cannot be. If you subtracted, check which total comes first."
        if number < self.minimum or (self.maximum is not None and number > self.maximum):
            span = (
                f"between {plain_number(self.minimum)} and {plain_number(self.maximum)}"
                if self.maximum is not None
                else f"at least {plain_number(self.minimum)}"
            )
            return f"{plain_number(value)} {self.unit} is not a plausible answer here: it should be {span} {self.unit}."
        return None

    def variants(self, value) -> list[Variant]:
        try:
            _number(value, "")
        except FormError:
            return []
        base = UNITS[self.unit][0]
        found = [
            Variant(
                str(base_units(value, other)),
                f"That looks like an amount in {other}, but the answer is asked in {self.unit}.",
            )
            for other, (other_base, _) in UNITS.items()
            if other_base == base and other != self.unit
        ]
        if float(value) < 0:
            found.insert(
                0,
                Variant(
                    str(-base_units(value, self.unit)),
                    "Your amount has the right size but a minus sign: you subtracted the wrong way round. Take the larger total first.",
                ),
            )
        return found


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
            raise FormError(
                f"Give {self.what} as text (str), not bytes. For a hash, use .hexdigest() rather than .digest()."
            )
        if not isinstance(value, str):
            raise FormError(f"Give {self.what} as text (str) in quotes, not {_type_name(value)}.")
        text = value.strip()
        if self.length and len(text) != self.length:
            raise FormError(
                f"{self.what.capitalize()} has {self.length} characters; yours has {len(text)}. Check you copied it whole."
            )
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
        value = [value]
        if "," not in value[0]:
            raise FormError(f"Give the {what} as a list, even if there is only one: [{value[0]!r}].")
    if isinstance(
        value, (pd.Series, pd.Index, pd.api.extensions.ExtensionArray, np.ndarray, list, tuple, set, frozenset)
    ):
        items = list(value)
        if any(not isinstance(item, str) for item in items):
            raise FormError(f"Every one of the {what} should be text (str).")
        joined = next((item for item in items if "," in item), None)
        if joined is not None:
            parts = [part.strip() for part in joined.split(",") if part.strip()]
            raise FormError(
                f"{joined!r} is several {what} in one piece of text. Put each in its own quotes, separated by commas: {parts!r}."
            )
        return [item.strip() for item in items]
    raise FormError(f"Give the {what} as a list, e.g. ['a', 'b'], not {_type_name(value)}.")


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

    def items(self) -> str:
        return self.what


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
            raise FormError(
                f"The answer is a table (DataFrame), but you gave {_type_name(value)}. Keep the result of the filter or sort as it is."
            )
        if self.key not in value.columns:
            raise FormError(f"Your table has no column {self.key!r}. Keep all the columns of the original table.")
        return [str(v) for v in value[self.key]]

    def canonical(self, value) -> str:
        """The row keys (sorted unless `ordered`), then the table's column names: a table cut to some columns is another answer."""
        return self._canonical(value, ordered=self.ordered, with_columns=True)

    def _canonical(self, value, ordered: bool, with_columns: bool) -> str:
        keys = self._keys(value)
        lines = keys if ordered else sorted(keys)
        if with_columns:
            columns = [self.key] if isinstance(value, pd.Series) else sorted(str(column) for column in value.columns)
            lines = [*lines, "columns: " + ", ".join(columns)]
        return "\n".join(lines)

    def size(self, value) -> int | None:
        return len(self._keys(value))

    def items(self) -> str:
        return "rows"

    def facets(self, value) -> list[Facet]:
        found = []
        if self.ordered:
            found.append(
                Facet(
                    "rows in any order",
                    self._canonical(value, ordered=False, with_columns=True),
                    "You have the right rows, but not in the asked order. Check the column you sort by, and ascending or descending.",
                )
            )
        found.append(
            Facet(
                "rows without columns",
                self._canonical(value, ordered=self.ordered, with_columns=False),
                "You have the right rows, but not all the columns. Keep the table whole, with every column of the original table.",
            )
        )
        return found


@dataclass(frozen=True)
class Row(AnswerKind):
    """A single row of a table (a Series, or a one-row DataFrame), identified by its key column."""

    key: str = "tx_id"

    def describe(self) -> str:
        return f"one row of the table (with its {self.key!r})"

    def canonical(self, value) -> str:
        if isinstance(value, pd.DataFrame):
            if len(value) != 1:
                raise FormError(
                    f"The answer is one row; your table has {len(value)} rows. Pick a single row, e.g. with .iloc[0] or .iloc[-1]."
                )
            value = value.iloc[0]
        if not isinstance(value, pd.Series) or self.key not in value.index:
            raise FormError(
                f"The answer is one row of the table (with its {self.key!r}), but you gave {_type_name(value)}."
            )
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
            raise FormError(
                f"The answer is a Series of counts, one per {singular(self.what)}; you gave {_type_name(value)}."
            )
        pairs = {}
        for label, count in value.items():
            number = _number(count, "Each count")
            if number != int(number) or number < 0:
                raise FormError(f"Counts are whole numbers of 0 or more; {label!r} has {plain_number(number)}.")
            pairs[str(label)] = int(number)
        return pairs

    def canonical(self, value) -> str:
        return "\n".join(f"{label}={count}" for label, count in sorted(self._pairs(value).items()) if count)

    def size(self, value) -> int | None:
        return sum(1 for count in self._pairs(value).values() if count)

    def items(self) -> str:
        return self.what
