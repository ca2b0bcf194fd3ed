"""Plain-language notes under a learner's most common slips (introduced in 00_getting_started).

A mistyped variable (NameError) or column name (KeyError) still raises, so Run All
stops there and nbgrader still sees the error; the traceback just ends with a
note that says what went wrong and suggests the closest existing name.
"""

from __future__ import annotations

import difflib
import sys

RESTART_TIP = "If you restarted the kernel, first run the cells above this one (Run → Run All Above Selected Cell)."


def explain(error: BaseException, namespace: dict) -> str | None:
    """A short explanation of `error` for a learner, using the names in `namespace`; None if there is nothing to add."""
    if isinstance(error, NameError) and getattr(error, "name", None):
        known = [name for name in namespace if not name.startswith("_")]
        return f"Python does not know the name `{error.name}`.{_did_you_mean(error.name, known, '`')} {RESTART_TIP}"
    if isinstance(error, KeyError) and error.args and isinstance(error.args[0], str):
        import pandas as pd

        columns = sorted({str(c) for value in namespace.values() if isinstance(value, pd.DataFrame) for c in value.columns})
        if columns:
            wanted = error.args[0]
            return f"No table here has a column named '{wanted}'.{_did_you_mean(wanted, columns, chr(39))} Column names must match exactly, capitals and underscores included."
    return None


def _did_you_mean(wanted: str, candidates: list[str], quote: str) -> str:
    close = difflib.get_close_matches(wanted, candidates, n=1, cutoff=0.6)
    return f" Did you mean {quote}{close[0]}{quote}?" if close else ""


def _handler(shell, etype, value, tb, tb_offset=None):
    stb = shell.InteractiveTB.structured_traceback(etype, value, tb, tb_offset=tb_offset)
    note = explain(value, shell.user_ns)
    if note:
        stb = [*stb, f"\n\x1b[1;34mWhat this means:\x1b[0m {note}"]
    # IPython discards a custom handler's return value, so show the traceback here: it stays an error output.
    shell._showtraceback(etype, value, stb)
    return stb


def install() -> None:
    """Add the notes to the running IPython kernel, if there is one (a kernel has imported IPython already)."""
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython else None
    if shell is not None:
        shell.set_custom_exc((NameError, KeyError), _handler)
