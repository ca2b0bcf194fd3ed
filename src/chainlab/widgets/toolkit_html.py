"""HTML pieces the investigation widgets share: tables, messages and images (tables never go through Output widgets)."""

from __future__ import annotations

import base64
import html

import pandas as pd


def table_html(table: pd.DataFrame, rows: int = 12, empty: str = "Nothing to show.") -> str:
    """The first `rows` rows of a table as HTML, with a line saying how many more there are."""
    if table.empty:
        return message_html(empty)
    more = f"<div>… and {len(table) - rows:,} more rows.</div>" if len(table) > rows else ""
    return table.head(rows).to_html(index=False, escape=True) + more


def message_html(text: str, problem: bool = False) -> str:
    """A short message; problems in dark red so they stand out (colour is not the only cue: they start with 'Problem:')."""
    if problem:
        return f"<div style='color:#a61b1b'><b>Problem:</b> {html.escape(text)}</div>"
    return f"<div>{html.escape(text)}</div>"


def image_html(png: bytes, alt: str) -> str:
    """A PNG embedded in HTML (so a chart can sit in a widgets.HTML beside tables)."""
    return f"<img alt='{html.escape(alt)}' src='data:image/png;base64,{base64.b64encode(png).decode()}'/>"
