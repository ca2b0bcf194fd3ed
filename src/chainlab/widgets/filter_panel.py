"""Filter panel (introduced in 00_getting_started): sliders over a table that show the pandas code they run."""

from __future__ import annotations

import math

import ipywidgets as widgets
import pandas as pd

from .toolkit_html import table_html


def filter_expression(
    name: str, amount_column: str, min_amount: float, time_column: str, first_day: str, last_day: str
) -> str:
    """The pandas expression that keeps rows at or above `min_amount`, from `first_day` to `last_day` inclusive."""
    return (
        f'{name}[({name}["{amount_column}"] >= {min_amount:g})\n'
        f'    & ({name}["{time_column}"] >= "{first_day}")\n'
        f'    & ({name}["{time_column}"] < "{_next_day(last_day)}")]'
    )


def run_expression(expression: str, name: str, table: pd.DataFrame) -> pd.DataFrame:
    """Evaluate a filter expression on `table` under its variable name: what the panel shows is what it runs."""
    return eval(expression, {"__builtins__": {}}, {name: table})  # noqa: S307 (the panel's own expression)


def filter_panel(
    table: pd.DataFrame,
    name: str = "transfers",
    amount_column: str = "amount_btc",
    time_column: str = "timestamp",
    rows_shown: int = 8,
) -> widgets.VBox:
    """Amount slider and date range over `table`; shows the expression, the matching row count and the first rows."""
    if table.empty:
        return widgets.VBox([widgets.HTML("<b>This table is empty</b>: there is nothing to filter.")])
    days = sorted({str(day) for day in table[time_column].dt.date})
    top = math.ceil(float(table[amount_column].max()))
    amount = widgets.FloatSlider(
        value=0.0,
        min=0.0,
        max=top,
        step=0.1,
        description=f"min {amount_column}",
        readout_format=".1f",
        style={"description_width": "initial"},
        layout=widgets.Layout(width="60%"),
    )
    # Labels without the year keep the slider's readout short enough to show whole.
    period = widgets.SelectionRangeSlider(
        options=[(day[5:], day) for day in days],
        index=(0, len(days) - 1),
        description="dates (month-day)",
        style={"description_width": "initial"},
        layout=widgets.Layout(width="80%"),
    )
    code = widgets.HTML()
    count = widgets.HTML()
    rows = widgets.HTML()

    def refresh(_change=None) -> None:
        expression = filter_expression(name, amount_column, amount.value, time_column, *period.value)
        kept = run_expression(expression, name, table)
        code.value = f"<pre style='margin:0'>{expression}</pre>"
        count.value = f"<b>{len(kept)}</b> of {len(table)} rows match."
        rows.value = table_html(
            kept,
            rows=rows_shown,
            empty="No rows match: lower the amount or widen the dates.",
            shorten=("from_address", "to_address"),
        )

    amount.observe(refresh, names="value")
    period.observe(refresh, names="value")
    refresh()
    return widgets.VBox([amount, period, widgets.HTML("The pandas code this panel runs:"), code, count, rows])


def _next_day(day: str) -> str:
    return str((pd.Timestamp(day) + pd.Timedelta(days=1)).date())
