"""A learner's common errors get a plain-language note first, the traceback folded under it, and the cell still fails."""

import pandas as pd
import pytest
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell, new_notebook

from chainlab.exercises.answers import BLANK
from chainlab.friendly import LINE_WIDTH, explain, feedback_lines


def _error(code: str, namespace: dict) -> BaseException:
    try:
        exec(compile(code, "<cell>", "exec"), namespace)  # noqa: S102 (a learner's cell, written in this test)
    except Exception as error:  # noqa: BLE001 (the test wants whatever the learner's code raises)
        return error
    raise AssertionError(f"{code!r} did not raise")


@pytest.fixture
def transfers():
    return pd.DataFrame({"tx_hash": ["a", "b"], "amount_btc": [0.5, 2.0], "from_address": ["x", "y"]})


def test_a_mistyped_column_suggests_the_closest_one():
    note = explain(KeyError("amout_btc"), {"transfers": pd.DataFrame(columns=["amount_btc", "tx_hash"])})
    assert "'amout_btc'" in note and "Did you mean 'amount_btc'?" in note


def test_a_column_of_another_table_looked_up_on_a_row_says_so_and_never_suggests_the_same_name(transfers):
    deposits = pd.DataFrame({"account_id": ["A-1"]})
    namespace = {"transfers": transfers, "deposits": deposits, "row": transfers.iloc[-1]}
    error = _error('row["account_id"]', namespace)
    note = explain(error, namespace)
    assert "Did you mean 'account_id'" not in note
    assert "'account_id' is a column of `deposits`" in note and "in front of the square brackets" in note


def test_a_mistyped_variable_suggests_the_closest_name():
    note = explain(NameError("name 'transfer' is not defined", name="transfer"), {"transfers": 1, "_hidden": 2})
    assert "Did you mean `transfers`?" in note and "Run All Above" in note


def test_a_setup_name_missing_after_a_restart_points_to_the_setup_cell():
    note = explain(NameError("name 'ex' is not defined", name="ex"), {})
    assert "setup cell" in note and "Run All Above" in note


def test_text_compared_with_a_number_is_explained(transfers):
    for code in ('transfers["amount_btc"] > "1"', '"1" > 0', "1 + '2'"):
        note = explain(_error(code, {"transfers": transfers}), {"transfers": transfers})
        assert note and "without quotes" in note, code


def test_a_blank_left_in_arithmetic_is_explained(transfers):
    namespace = {"transfers": transfers, "____": BLANK}
    for code in ("____ >= 1", 'transfers["amount_btc"] >= ____', "____ + 1"):
        note = explain(_error(code, namespace), namespace)
        assert note and "A blank `____` is still in this cell" in note, code


def test_missing_quotes_are_explained():
    unterminated = explain(_error('address = "1BvBMSEY', {}), {})
    assert "missing its closing quote" in unterminated and "line 1" in unterminated
    bare = explain(_error("address = 1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2", {}), {})
    assert "put it between quotes" in bare


def test_and_instead_of_ampersand_is_explained(transfers):
    code = 'transfers[transfers["amount_btc"] > 1 and transfers["from_address"] == "x"]'
    note = explain(_error(code, {"transfers": transfers}), {"transfers": transfers}, code)
    assert 'use & for "and"' in note


def test_conditions_without_brackets_are_explained(transfers):
    for code in (
        'transfers[transfers["amount_btc"] == 2 & transfers["tx_hash"] == "b"]',
        'transfers[transfers["from_address"] == "x" & transfers["amount_btc"] > 1]',
    ):
        note = explain(_error(code, {"transfers": transfers}), {"transfers": transfers}, code)
        assert note and "its own brackets" in note, code


def test_a_position_past_the_end_is_explained(transfers):
    for code in ("transfers.iloc[5]", "[1, 2][5]"):
        note = explain(_error(code, {"transfers": transfers}), {"transfers": transfers})
        assert note and "position that is not there" in note, code


def test_other_errors_get_no_note():
    assert explain(ZeroDivisionError("division by zero"), {}) is None
    assert explain(KeyError("x"), {"n": 1}) is None  # no table in sight: nothing useful to say


def test_a_refused_check_is_wrapped_to_lines_validate_does_not_cut():
    message = "Exercise 2 · Not yet: " + "word " * 60
    lines = feedback_lines(message)
    assert len(lines) > 1 and all(len(line) <= LINE_WIDTH <= 87 for line in lines)
    assert " ".join(lines).split() == message.split()


def test_in_a_kernel_the_note_comes_first_the_traceback_is_folded_and_the_cell_still_errors():
    notebook = new_notebook(
        cells=[
            new_code_cell("from chainlab.cases import m00\ntransfers = m00.transfers()"),
            new_code_cell('transfers["amout_btc"]'),
            new_code_cell("1 / 0"),
        ]
    )
    NotebookClient(notebook, allow_errors=True, kernel_name="python3", timeout=60).execute()
    typo, other = (cell.outputs for cell in notebook.cells[1:])
    assert [o.output_type for o in typo] == ["display_data", "error"] and typo[1].ename == "KeyError"
    page = typo[0].data["text/html"]
    assert page.index("Did you mean 'amount_btc'?") < page.index("<details")
    assert "<summary>" in page and "amout_btc" in page[page.index("<details") :]  # Python's own message, folded
    assert "Did you mean 'amount_btc'?" in typo[1].traceback[-1]
    assert [o.output_type for o in other] == ["error"] and "What this means" not in "".join(other[0].traceback)


def test_a_check_run_first_after_a_restart_explains_itself():
    """The grade cell imports the exercises itself: run before the setup and answer cells, it says what to run."""
    notebook = new_notebook(
        cells=[new_code_cell("from chainlab.exercises import m00 as ex\nex.n_transfers.check(n_transfers)")]
    )
    NotebookClient(notebook, allow_errors=True, kernel_name="python3", timeout=60).execute()
    outputs = notebook.cells[0].outputs
    assert [o.output_type for o in outputs] == ["display_data", "error"] and outputs[1].ename == "NameError"
    assert "`n_transfers` has no value yet: its answer cell has not run" in outputs[0].data["text/html"]
