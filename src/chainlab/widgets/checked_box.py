"""A typed-in value checked in Python (used from 01 on): bad input gets a message in the widget, and the box shows the last good value again.

ipywidgets' number and date boxes parse in the browser: "3.5" in a whole-number box becomes 35, and "hello"
in a date box blanks it, without a word. A `CheckedBox` takes plain text, parses it with one of the
parsers below, and either takes the value or says what was wrong and keeps the last good one.
"""

from __future__ import annotations

import math
from datetime import date

import ipywidgets as widgets
import traitlets

from .toolkit_html import message_html


def whole_number(text: str, unit: str, minimum: int = 0, maximum: int | None = None) -> int:
    """`text` as a whole number of `unit` from `minimum` to `maximum`; ValueError saying how to write it otherwise."""
    typed = text.strip()
    example = f"Type digits only, e.g. {max(minimum, 12500)}."
    if not typed:
        raise ValueError(f"The box is empty. {example}")
    if any(mark in typed for mark in ".,") and typed.replace(".", "").replace(",", "").lstrip("-").isdigit():
        raise ValueError(
            f"“{typed}” is not a whole number of {unit}: {unit} have no fractions, and the box takes no thousands separators. {example}"
        )
    try:
        number = int(typed)
    except ValueError:
        raise ValueError(f"“{typed}” is not a number. {example}") from None
    if number < minimum or (maximum is not None and number > maximum):
        span = f"from {minimum:,} to {maximum:,}" if maximum is not None else f"at least {minimum:,}"
        raise ValueError(f"{number:,} {unit} is out of range: the value must be {span} {unit}.")
    return number


def decimal_number(text: str, unit: str, minimum: float = 0.0) -> float:
    """`text` as a number of `unit` of at least `minimum` (a point for decimals); ValueError saying how to write it otherwise."""
    typed = text.strip()
    example = "Type a number with a point for decimals, e.g. 1500 or 999.99."
    if not typed:
        raise ValueError(f"The box is empty. {example}")
    if "," in typed:
        raise ValueError(
            f"“{typed}” has a comma. Use a point for decimals and no thousands separators, e.g. 1500 or 999.99."
        )
    try:
        number = float(typed)
    except ValueError:
        raise ValueError(f"“{typed}” is not a number. {example}") from None
    if not math.isfinite(number):
        raise ValueError(f"“{typed}” is not a finite number. {example}")
    if number < minimum:
        raise ValueError(f"{typed} {unit} is out of range: the value must be at least {minimum:g} {unit}.")
    return number


def day(text: str) -> date | None:
    """`text` as a day written year-month-day, or None when the box is left empty; ValueError saying how to write it otherwise."""
    typed = text.strip()
    if not typed:
        return None
    try:
        return date.fromisoformat(typed)
    except ValueError:
        raise ValueError(f"“{typed}” is not a day. Write it as year-month-day, e.g. 2024-06-15.") from None


def _day_text(value: date | None) -> str:
    return "" if value is None else value.isoformat()


class CheckedBox(widgets.VBox):
    """A text box and its message line; `value` is the last good value, and observers of `value` see only good values."""

    value = traitlets.Any(allow_none=True)

    def __init__(
        self, value, parse, show=str, description: str = "", placeholder: str = "", layout: widgets.Layout | None = None
    ):
        self._parse, self._show = parse, show
        layout = layout or widgets.Layout(width="auto")
        self.box = widgets.Text(
            value=show(value),
            description=description,
            placeholder=placeholder,
            continuous_update=False,
            style={"description_width": "initial"},
            layout=layout,
        )
        self.note = widgets.HTML(
            layout=widgets.Layout(width=layout.width)
        )  # the message wraps under the box, as wide as it
        super().__init__([self.box, self.note])
        self.value = value
        self.box.observe(self._typed, names="value")
        self.observe(self._shown, names="value")

    def _typed(self, change) -> None:
        if change["new"] == self._show(self.value):
            return
        try:
            parsed = self._parse(change["new"])
        except ValueError as problem:
            self.note.value = message_html(f"{problem} The box shows the last good value again.", problem=True)
            self.box.value = self._show(self.value)
            return
        self.note.value = ""
        self.value = parsed

    def _shown(self, change) -> None:
        self.note.value = ""
        self.box.value = self._show(change["new"])


def day_box(description: str) -> CheckedBox:
    """A box for a day (year-month-day), empty to start with."""
    return CheckedBox(None, day, _day_text, description=description, placeholder="YYYY-MM-DD")
