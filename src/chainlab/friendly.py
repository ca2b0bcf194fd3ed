"""Plain-language notes for a learner's most common errors (introduced in 00_getting_started).

In a kernel, an error that has a note shows the note first, with Python's full
traceback folded under it (a <details> element), then a one-line error output:
the cell still fails, so Run All stops there and nbgrader still sees the error.
A check refused in strict mode (`AnswerNotAccepted`) shows only its feedback
line, wrapped, with no internal frames: that is what nbgrader's validate and
feedback pages print.
"""

from __future__ import annotations

import difflib
import html
import re
import sys
import textwrap

RESTART_TIP = "If you restarted the kernel, first run the cells above this one (Run → Run All Above Selected Cell)."
SETUP_NAMES = {"cl", "ex", "case", "____"}  # what every setup cell defines
LINE_WIDTH = (
    80  # nbgrader validate cuts lines longer than 87 characters (4 of them indent), and feedback pages do not wrap
)
_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_NOT_SUPPORTED = re.compile(r"'(?P<op>[^']+)' not supported between instances of '(?P<a>\w+)' and '(?P<b>\w+)'")
_OPERANDS = re.compile(r"unsupported operand type\(s\) for (?P<op>\S+): '(?P<a>\w+)' and '(?P<b>\w+)'")
_NUMBERS = {"int", "float", "int64", "float64", "Decimal", "Timestamp", "Timedelta"}


def explain(error: BaseException, namespace: dict, source: str = "") -> str | None:
    """A short explanation of `error` for a learner, using the names in `namespace` and the cell's `source`; None if there is nothing to add."""
    for explainer in (_name_error, _key_error, _type_error, _value_error, _syntax_error, _index_error):
        note = explainer(error, namespace, source)
        if note:
            return note
    return None


def _name_error(error, namespace, source):
    if not isinstance(error, NameError) or not getattr(error, "name", None):
        return None
    name = error.name
    if name in SETUP_NAMES:
        return f"`{name}` is set by the setup cell near the top of the notebook, which has not run since the kernel started. {RESTART_TIP}"
    if _is_exercise_variable(name, namespace):
        return (
            f"`{name}` has no value yet: its answer cell has not run since the kernel started, or it stopped with an error before it set `{name}`. "
            "Run the answer cell above (fix any error it shows), then run this check again."
        )
    known = [known for known in namespace if not known.startswith("_")]
    return f"Python does not know the name `{name}`.{_did_you_mean(name, known, '`')} {RESTART_TIP}"


def _is_exercise_variable(name: str, namespace: dict) -> bool:
    core = sys.modules.get("chainlab.exercises.core")
    modules = [value for value in namespace.values() if type(value).__name__ == "module"]
    return core is not None and any(isinstance(getattr(module, name, None), core.Exercise) for module in modules)


def _key_error(error, namespace, source):
    if not isinstance(error, KeyError) or not error.args or not isinstance(error.args[0], str):
        return None
    import pandas as pd

    wanted = error.args[0]
    tables = {
        name: value for name, value in namespace.items() if isinstance(value, pd.DataFrame) and not name.startswith("_")
    }
    holders = sorted(name for name, table in tables.items() if wanted in table.columns)
    if holders:
        which = ", ".join(f"`{name}`" for name in holders[:3])
        return (
            f"'{wanted}' is a column of {which}, but not of what you looked it up in. "
            "Check the name in front of the square brackets: a row or a column picked out of a table (a Series) has other labels than the table."
        )
    columns = sorted({str(column) for table in tables.values() for column in table.columns})
    if not columns:
        return None
    return f"No table here has a column named '{wanted}'.{_did_you_mean(wanted, columns, chr(39))} Column names must match exactly, capitals and underscores included."


def _type_error(error, namespace, source):
    if not isinstance(error, TypeError):
        return None
    message = str(error)
    if "'Blank'" in message or "Blank" in message.split():
        return "A blank `____` is still in this cell: replace each `____` with your answer, then run the cell again."
    if _looks_like_precedence(message):
        return _PRECEDENCE
    pair = _NOT_SUPPORTED.search(message) or _OPERANDS.search(message)
    if pair and {"str"} & {pair["a"], pair["b"]} and _NUMBERS & {pair["a"], pair["b"]}:
        return (
            'Text and a number were mixed. In Python, 1 is a number but "1" (in quotes) is text, and the two cannot be compared or added. '
            "Write numbers without quotes; if a column holds text, compare it with text in quotes."
        )
    if re.search(r"Invalid comparison between dtype=\w+ and str|dtype=object.* and (int|float)", message):
        return (
            'A column of numbers was compared with text. In Python, 1 is a number but "1" (in quotes) is text. '
            "Write the number without quotes."
        )
    if "can only concatenate str" in message:
        return "Text and a number were added together. Write numbers without quotes, or turn a number into text with str(...) first."
    return None


_PRECEDENCE = (
    "Each condition needs its own brackets when you join conditions with & (and) or | (or): "
    'write (table["a"] == 1) & (table["b"] == 2). Without them, Python works out & before ==, which is not what you meant.'
)


def _looks_like_precedence(message: str) -> bool:
    return bool(
        re.search(r"unsupported operand type\(s\) for [&|]|Cannot perform '(r?and_|r?or_)'|'(r?and_|r?or_)'", message)
    )


def _value_error(error, namespace, source):
    if not isinstance(error, ValueError) or "truth value of a" not in str(error) or "ambiguous" not in str(error):
        return None
    code = _strip_strings(source)
    if re.search(r"\b(and|or|not)\b", code):
        return (
            "`and`, `or` and `not` work on one True/False value, but a condition on a column gives a whole column of them. "
            'Between column conditions, use & for "and", | for "or", ~ for "not", with each condition in its own brackets: '
            '(table["a"] > 1) & (table["b"] == "x").'
        )
    if re.search(r"[&|]", code):
        return _PRECEDENCE
    return (
        "Python needed one True or False here, but got a whole column of them (for example in an `if`). "
        "To keep the rows that meet a condition, use it as a filter: table[condition]."
    )


def _strip_strings(source: str) -> str:
    return re.sub(r"(\"[^\"\n]*\"|'[^'\n]*')", '""', source or "")


def _syntax_error(error, namespace, source):
    if not isinstance(error, SyntaxError):
        return None
    message = error.msg or ""
    where = f"line {error.lineno} of this cell" if error.lineno else "this cell"
    first = f"Python could not read {where}, so none of the cell ran."
    if "unterminated string" in message or "EOL while scanning" in message or "EOF while scanning" in message:
        return f'{first} A text is missing its closing quote: text goes between two matching quotes, "like this".'
    if "invalid decimal literal" in message or "invalid syntax" in message or "leading zeros" in message:
        return (
            f'{first} If that line holds text (an address, a hash, a name), put it between quotes: "like this". '
            "Otherwise look for a missing comma or bracket."
        )
    if "was never closed" in message or "unmatched" in message or "does not match" in message:
        return f"{first} A bracket ( [ {{ is not closed, or closed once too often: every opening bracket needs its closing one."
    return f"{first} Look for missing quotes around text, a bracket that is not closed, or a missing comma."


def _index_error(error, namespace, source):
    if not isinstance(error, IndexError):
        return None
    message = str(error)
    if "out-of-bounds" in message or "out of bounds" in message or "out of range" in message:
        return (
            "You asked for a position that is not there: a table of n rows has positions 0 to n − 1, and .iloc[-1] is the last row. "
            "If a filter came first, check that it kept any rows at all: len(...) counts them."
        )
    return None


def _did_you_mean(wanted: str, candidates: list[str], quote: str) -> str:
    close = [name for name in difflib.get_close_matches(wanted, candidates, n=2, cutoff=0.8) if name != wanted]
    return f" Did you mean {quote}{close[0]}{quote}?" if close else ""


def feedback_lines(message: str) -> list[str]:
    """A refused check's message as lines of at most LINE_WIDTH characters."""
    return [line for paragraph in message.splitlines() for line in (textwrap.wrap(paragraph, LINE_WIDTH) or [""])]


def note_html(note: str, traceback_text: str) -> str:
    """The note first, Python's traceback folded under it."""
    return (
        "<div style='background:#fff8e1;border-left:4px solid #7a5b00;padding:0.5em 0.8em;margin:0.3em 0'>"
        f"<strong style='color:#7a5b00'>What this means:</strong> {html.escape(note, quote=False)}"
        "<details style='margin-top:0.4em'><summary>Python's full error message</summary>"
        f"<pre style='white-space:pre-wrap;font-size:0.85em'>{html.escape(_ANSI.sub('', traceback_text))}</pre></details></div>"
    )


def _current_source(shell) -> str:
    inputs = shell.user_ns.get("In") or [""]
    return inputs[-1] if isinstance(inputs[-1], str) else ""


def _handler(shell, etype, value, tb, tb_offset=None):
    from IPython.display import HTML, display

    if type(value).__name__ == "AnswerNotAccepted":
        stb = feedback_lines(str(value))  # the learner's feedback line, with no frames from the checker
    else:
        try:
            note = explain(value, shell.user_ns, _current_source(shell))
        except (
            Exception
        ):  # a note that cannot be worked out must not cost the learner the handler (IPython drops a failing one)
            note = None
        formatter = shell.SyntaxTB if isinstance(value, SyntaxError) else shell.InteractiveTB
        stb = formatter.structured_traceback(
            etype, value, None if isinstance(value, SyntaxError) else tb, tb_offset=tb_offset
        )
        if note:
            display(HTML(note_html(note, "\n".join(stb))))
            stb = [f"{etype.__name__}: {value}", f"What this means: {note}"]
    # IPython discards a custom handler's return value, so show the traceback here: it stays an error output.
    shell._showtraceback(etype, value, stb)
    return stb


def install() -> None:
    """Add the notes to the running IPython kernel, if there is one (a kernel has imported IPython already)."""
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython else None
    if (
        shell is not None
    ):  # AssertionError: for a refused check, `AnswerNotAccepted` (other assertions keep their traceback)
        shell.set_custom_exc(
            (NameError, KeyError, TypeError, ValueError, SyntaxError, IndexError, AssertionError), _handler
        )
