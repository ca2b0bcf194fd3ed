"""How the last cell that assigned each name ended, so that a check never judges a value left from an older run.

On import, `install()` hooks IPython's `post_run_cell` event. After each cell it
reads the cell's source (with `ast`, or line by line when the cell does not
parse) for the module-level names it assigns, and notes for each whether that
run finished or stopped with an error. `Exercise.check` asks `last_run(name)`.

What the kernel cannot see: a cell that was edited and not run again. Jupyter
sends the kernel the source of the cells it runs, never the edits in between;
the check's verdict watches for those in the page (see `verdict_view`).
"""

from __future__ import annotations

import ast
import re
import sys
from dataclasses import dataclass


@dataclass(frozen=True)
class Run:
    """How the last cell that assigned a name ended: `error` is None when it finished, else the error's class name."""

    error: str | None

    @property
    def ok(self) -> bool:
        return self.error is None


_last_run: dict[str, Run] = {}
_names_by_cell: dict[
    str, set[str]
] = {}  # names each cell (by Jupyter's cell id) assigned, for a cell that later fails to parse
_ASSIGNS = r"\s*(?:[-+*/%&|^@]|//|\*\*|<<|>>)?=(?!=)"  # after a name at a line's start: `=` or `+=` ..., not `==`
_LINE_ASSIGNMENT = re.compile(rf"^([A-Za-z_]\w*){_ASSIGNS}", re.MULTILINE)


class _AssignedNames(ast.NodeVisitor):
    """Names a cell binds in the notebook's namespace (not inside functions, classes, lambdas or comprehensions)."""

    def __init__(self):
        self.names: set[str] = set()

    def visit_Name(self, node: ast.Name):
        if isinstance(node.ctx, ast.Store):
            self.names.add(node.id)

    def visit_alias(self, node: ast.alias):
        self.names.add(node.asname or node.name.split(".")[0])

    def _binds_only_its_name(self, node):
        self.names.add(node.name)

    visit_FunctionDef = visit_AsyncFunctionDef = visit_ClassDef = _binds_only_its_name

    def _own_scope(self, node):
        pass

    visit_Lambda = visit_ListComp = visit_SetComp = visit_DictComp = visit_GeneratorExp = _own_scope


def assigned_names(source: str) -> set[str]:
    """The module-level names `source` assigns; for source that does not parse, the names at the start of `name = ...` lines."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return set(_LINE_ASSIGNMENT.findall(source))
    visitor = _AssignedNames()
    visitor.visit(tree)
    return visitor.names


def assignment_pattern(name: str) -> str:
    """A regular expression (Python's and JavaScript's alike, multiline) for a line that starts by assigning `name`."""
    if not name.isidentifier():
        raise ValueError(f"{name!r} is not a Python variable name.")
    return rf"^{name}{_ASSIGNS}"


def last_run(name: str) -> Run | None:
    """How the last cell that assigned `name` ended; None if no cell run since the exercises were imported assigned it."""
    return _last_run.get(name)


def record(source: str, error: BaseException | None, cell_id: str | None = None) -> None:
    """Note that a cell with `source` (and Jupyter cell id `cell_id`) ran and ended with `error` (None: it finished)."""
    names = assigned_names(source)
    if cell_id:
        names |= _names_by_cell.get(cell_id, set())
        _names_by_cell[cell_id] = names
    run = Run(None if error is None else type(error).__name__)
    for name in names:
        _last_run[name] = run


def _after_cell(result) -> None:
    info = result.info
    if info is None or info.raw_cell is None:
        return
    record(info.raw_cell, result.error_before_exec or result.error_in_exec, getattr(info, "cell_id", None))


def install() -> None:
    """Hook the running IPython kernel, if there is one (once per kernel)."""
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython else None
    if shell is None:
        return
    if _after_cell not in shell.events.callbacks["post_run_cell"]:
        shell.events.register("post_run_cell", _after_cell)
