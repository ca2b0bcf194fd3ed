"""A check's verdict in the page, withdrawn when its answer cell was edited after it last ran.

The kernel never sees edits that were not run (see `runs`); the page does: JupyterLab (and Notebook 7) mark a
code cell whose code changed since it last ran with the class `jp-mod-dirty`. The verdict is an anywidget whose
few lines of JavaScript find the check's own cell in the page, then the nearest cell at or above it whose code
assigns the exercise's variable, and watch that cell's classes. While it is edited and not run again, the verdict
gives way to a plain note saying so; once it has run again, to a note asking for the check to be run again.
Elsewhere (no such cell in the page: VS Code, a page without JupyterLab's classes) the verdict stays as it is.
The script reads class names and the cells' text only: it runs no learner code and loads nothing.
"""

from __future__ import annotations

import anywidget
import traitlets

from .core import Feedback
from .runs import assignment_pattern

_ESM = r"""
const overtaken = new WeakSet();  // checks whose answer cell was edited after they ran: their verdict never comes back

function code(cell) {
  return [...cell.querySelectorAll(".jp-InputArea-editor .cm-line")].map((line) => line.textContent).join("\n");
}

function answerCell(check, pattern) {
  const assigns = new RegExp(pattern, "m");
  for (let cell = check; cell; cell = cell.previousElementSibling) {
    if (cell.classList.contains("jp-CodeCell") && assigns.test(code(cell))) return cell;
  }
  return null;
}

function watch(model, el) {
  const check = el.closest(".jp-CodeCell");
  const answer = check && answerCell(check, model.get("assigns"));
  el.dataset.answerCell = answer ? "watched" : "not found";
  if (!answer) return null;
  const show = () => {
    if (answer.classList.contains("jp-mod-dirty")) {
      overtaken.add(model);
      el.innerHTML = model.get("edited");
    } else if (overtaken.has(model)) {
      el.innerHTML = model.get("rerun");
    }
  };
  show();
  const observer = new MutationObserver(show);
  observer.observe(answer, { attributes: true, attributeFilter: ["class"] });
  return observer;
}

export default {
  render({ model, el }) {
    el.classList.add("chainlab-verdict");
    el.innerHTML = overtaken.has(model) ? model.get("rerun") : model.get("verdict");
    let observer = null;
    let tries = 0;
    let timer = null;
    const start = () => {  // the view is put in the page after render: wait for it (at most 10 s)
      if (el.isConnected) observer = watch(model, el);
      else if (++tries < 200) timer = setTimeout(start, 50);
    };
    start();
    return () => {
      clearTimeout(timer);
      observer?.disconnect();
    };
  },
};
"""


class VerdictView(anywidget.AnyWidget):
    """The verdict's HTML, and the notes that replace it in the page once `variable`'s answer cell was edited."""

    _esm = _ESM
    variable = traitlets.Unicode().tag(sync=True)
    assigns = traitlets.Unicode().tag(sync=True)  # a line of the answer cell: see runs.assignment_pattern
    verdict = traitlets.Unicode().tag(sync=True)
    edited = traitlets.Unicode().tag(sync=True)
    rerun = traitlets.Unicode().tag(sync=True)


def edited_note(variable: str) -> Feedback:
    """The note shown while the answer cell has changes it has not run."""
    return Feedback(
        "stale",
        f"You changed your answer cell after it last ran, so `{variable}` still holds your earlier answer "
        "and this check cannot judge your change. Run the answer cell (Shift+Enter), then run this check again.",
    )


def rerun_note(variable: str) -> Feedback:
    """The note shown once the edited answer cell has run again: the verdict was about the earlier answer."""
    return Feedback(
        "stale",
        f"Your answer cell ran again after this check, so `{variable}` may hold a new answer. "
        "Run this check again (Shift+Enter) to judge it.",
    )


def verdict_view(feedback: Feedback, variable: str) -> VerdictView:
    """The widget that shows `feedback` for the exercise whose answer is in `variable`."""
    return VerdictView(
        variable=variable,
        assigns=assignment_pattern(variable),
        verdict=feedback._repr_html_(),
        edited=edited_note(variable)._repr_html_(),
        rerun=rerun_note(variable)._repr_html_(),
    )
