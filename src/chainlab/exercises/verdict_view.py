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
    assigns = traitlets.Unicode().tag(sync=True)  # a line of the answer cell: runs.assignment_pattern(variable)
    verdict = traitlets.Unicode().tag(sync=True)
    edited = traitlets.Unicode().tag(sync=True)
    rerun = traitlets.Unicode().tag(sync=True)
