"""A learner's typo gets a plain-language note, and the cell still fails (so nbgrader still sees the error)."""

import nbformat
import pandas as pd
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell, new_notebook

from chainlab.friendly import explain


def test_a_mistyped_column_suggests_the_closest_one():
    note = explain(KeyError("amout_btc"), {"transfers": pd.DataFrame(columns=["amount_btc", "tx_hash"])})
    assert "'amout_btc'" in note and "Did you mean 'amount_btc'?" in note


def test_a_mistyped_variable_suggests_the_closest_name():
    note = explain(NameError("name 'transfer' is not defined", name="transfer"), {"transfers": 1, "_hidden": 2})
    assert "Did you mean `transfers`?" in note and "Run All Above" in note


def test_other_errors_get_no_note():
    assert explain(ZeroDivisionError("division by zero"), {}) is None
    assert explain(KeyError("x"), {"n": 1}) is None  # no table in sight: nothing useful to say


def test_in_a_kernel_the_note_is_added_and_the_cell_still_errors():
    notebook = new_notebook(cells=[
        new_code_cell("from chainlab.cases import m00\ntransfers = m00.transfers()"),
        new_code_cell('transfers["amout_btc"]'),
        new_code_cell("1 / 0"),
    ])
    NotebookClient(notebook, allow_errors=True, kernel_name="python3", timeout=60).execute()
    typo, other = (cell.outputs for cell in notebook.cells[1:])
    assert [o.output_type for o in typo] == ["error"] and typo[0].ename == "KeyError"
    assert "Did you mean 'amount_btc'?" in typo[0].traceback[-1]
    assert [o.output_type for o in other] == ["error"] and "What this means" not in "".join(other[0].traceback)
