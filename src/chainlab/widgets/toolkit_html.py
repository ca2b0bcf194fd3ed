"""HTML pieces the investigation widgets share: tables, messages and images (tables never go through Output widgets)."""

from __future__ import annotations

import base64
import html
import re

import pandas as pd

HASH = re.compile(r"(0x)?[0-9a-fA-F]{64}")


def table_html(
    table: pd.DataFrame, rows: int = 12, empty: str = "Nothing to show.", shorten: tuple[str, ...] = ()
) -> str:
    """The first `rows` rows of a table as HTML, with a line saying how many more there are.

    Transaction hashes, and the values of the `shorten` columns (addresses a panel shows but nobody copies from it),
    are shortened (the whole value shows on hover), so that the amounts beside them stay on screen; amounts in
    US dollars (a column named with "usd") are shown to the cent.
    """
    if table.empty:
        return message_html(empty)
    more = f"<div>… and {len(table) - rows:,} more rows.</div>" if len(table) > rows else ""
    shown = table.head(rows).copy()
    for column in shown.columns:
        if "usd" in str(column).lower() and pd.api.types.is_numeric_dtype(shown[column]):
            shown[column] = shown[column].map(lambda value: "" if pd.isna(value) else f"{value:,.2f}")
        elif column in shorten:
            shown[column] = shown[column].map(lambda value: _short_html(str(value)))
        elif not pd.api.types.is_numeric_dtype(shown[column]) and not pd.api.types.is_datetime64_any_dtype(
            shown[column]
        ):
            shown[column] = shown[column].map(_cell_html)
    return shown.to_html(index=False, escape=False) + more


def _cell_html(value) -> str:
    text = str(value)
    return _short_html(text) if HASH.fullmatch(text) else html.escape(text)


def _short_html(text: str) -> str:
    """`text` cut to its first 10 and last 6 characters on one line, whole on hover."""
    if len(text) <= 18:
        return html.escape(text)
    whole = html.escape(text, quote=True)
    return (
        f"<span title=\"{whole}\" style='white-space:nowrap'>{html.escape(text[:10])}…{html.escape(text[-6:])}</span>"
    )


def message_html(text: str, problem: bool = False) -> str:
    """A short message; problems in dark red so they stand out (colour is not the only cue: they start with 'Problem:')."""
    if problem:
        return f"<div style='color:#a61b1b'><b>Problem:</b> {html.escape(text)}</div>"
    return f"<div>{html.escape(text)}</div>"


def image_html(png: bytes, alt: str) -> str:
    """A PNG embedded in HTML (so a chart can sit in a widgets.HTML beside tables)."""
    return f"<img alt='{html.escape(alt)}' src='data:image/png;base64,{base64.b64encode(png).decode()}'/>"
