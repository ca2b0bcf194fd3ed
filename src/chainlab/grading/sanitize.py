"""Learners' notebooks made inert before formgrader and feedback pages show them.

Formgrader renders a submission's markdown as HTML in the instructor's browser,
on the Jupyter server's own origin: a learner's `<script>` or `onerror` handler
there could use the Jupyter API as the instructor. So every learner notebook is
cleaned when it is collected, when it comes back from autograding and before its
feedback page is written:

- a markdown or raw cell whose rendered HTML holds anything outside a short list
  of plain formatting tags (a script, a handler, an iframe, a form, a style, SVG,
  a `javascript:` link, a MathJax command that makes links or styles ...) is
  shown as text instead: its source goes into a code block, where every `<` is
  text. Cells with plain formatting only are left exactly as they are.
- outputs keep plain text and PNG, JPEG or GIF images only (HTML, JavaScript,
  SVG, markdown and widget outputs are removed; autograding re-creates outputs).
- the notebook's saved widget state and non-image cell attachments are removed, and so
  is cell metadata that nbgrader's and the course's page templates print without
  escaping (a title, a comment, a grade id that is not a plain id, points that are not a number), and the
  feedback step's own (an exercise's title, last hint and worked solution).

The HTML is parsed with html5lib (as browsers parse)
after rendering the markdown with nbconvert's own renderer, the one formgrader
and the feedback pages use.
"""

from __future__ import annotations

import json
import re

import html5lib
from nbconvert.filters.markdown_mistune import markdown2html_mistune

GRADER_METADATA = ("chainlab_title", "chainlab_last_hint", "chainlab_worked_solution")  # set by the feedback step alone
KEPT_OUTPUT_TYPES = ("text/plain", "image/png", "image/jpeg", "image/gif")
PLAIN_TAGS = frozenset(
    "a abbr b blockquote br caption code col colgroup dd del details div dl dt em h1 h2 h3 h4 h5 h6 hr i img ins kbd "
    "li mark ol p pre q s samp small span strike strong sub summary sup table tbody td tfoot th thead tr u ul".split()
)
PLAIN_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "td": {"colspan", "rowspan", "align"},
    "th": {"colspan", "rowspan", "align"},
    "ol": {"start"},
    "abbr": {"title"},
}
# Attributes nbconvert's markdown renderer writes itself, with the values it gives them (Pygments' token classes are short).
RENDERER_ATTRIBUTES = {
    ("a", "class"): r"anchor-link",
    ("code", "class"): r"language-[\w+-]+",
    ("div", "class"): r"highlight",
    ("span", "class"): r"[a-z][a-z0-9]{0,2}",
} | {
    (f"h{level}", "id"): r"[^\s]+" for level in range(1, 7)
}
URL_ATTRIBUTES = {"href", "src"}
SAFE_SCHEMES = {"http", "https", "mailto"}
SAFE_IMAGE_DATA = re.compile(r"^data:image/(png|jpeg|gif);base64,", re.IGNORECASE)
# MathJax commands that make links, load extensions or style (and so could hide) parts of the page.
ACTIVE_TEX = re.compile(r"\\(href|url|class|cssId|style|unicode|require|html)\b")
PLAIN_GRADE_ID = re.compile(r"[A-Za-z0-9_-]+")
NOTE = "*This cell held markup that could run in the grader's browser; it is shown as text.*"
REMOVED_OUTPUT = "[output removed: only plain text and images are kept from a learner's notebook]"


def _scheme(url: str) -> str | None:
    """The URL's scheme as a browser reads it (tabs and newlines dropped, case ignored), or None for a relative URL."""
    cleaned = re.sub(r"^[\x00-\x20]+|[\x00-\x20]+$", "", re.sub(r"[\t\n\r]", "", url))
    before_path = re.split(r"[/?#]", cleaned, maxsplit=1)[0]
    return before_path.split(":", 1)[0].lower() if ":" in before_path else None


def _safe_url(tag: str, url: str) -> bool:
    scheme = _scheme(url)
    if scheme is None or scheme in SAFE_SCHEMES:
        return True
    return tag == "img" and (scheme == "attachment" or bool(SAFE_IMAGE_DATA.match(url.strip())))


def active_markup(html_text: str) -> list[str]:
    """What in an HTML fragment could run or hide something: tags, attributes and URLs outside the plain list."""
    found = []
    fragment = html5lib.parseFragment(html_text, treebuilder="etree", namespaceHTMLElements=False)
    for element in fragment.iter():
        if element is fragment or not isinstance(element.tag, str):  # the fragment itself, or a comment
            continue
        tag = element.tag.split("}")[-1].lower()
        if tag not in PLAIN_TAGS:
            found.append(f"<{tag}>")
            continue
        for name, value in element.attrib.items():
            name = (name if isinstance(name, str) else name[1]).lower()
            if (tag, name) in RENDERER_ATTRIBUTES and re.fullmatch(RENDERER_ATTRIBUTES[tag, name], value):
                continue  # what nbconvert's renderer adds itself: heading anchors, a code block's language
            if name not in PLAIN_ATTRIBUTES.get(tag, set()):
                found.append(f"{name}= on <{tag}>")
            elif name in URL_ATTRIBUTES and not _safe_url(tag, value):
                found.append(f"a {_scheme(value)}: URL on <{tag}>")
    return found


def markdown_problems(source: str) -> list[str]:
    """What in a markdown cell could run or hide something once formgrader renders it."""
    found = active_markup(markdown2html_mistune(source))
    return found + [f"MathJax \\{command}" for command in ACTIVE_TEX.findall(source)]


def as_text(source: str) -> str:
    """Markdown that shows `source` verbatim, in a code block (a fence longer than any run of backticks in it)."""
    longest = max((len(run) for run in re.findall(r"`+", source)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{NOTE}\n\n{fence}text\n{source}\n{fence}"


def _source(cell) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)


def _clean_outputs(cell) -> int:
    """Keep only plain text and images in a code cell's outputs; return how many outputs lost something."""
    changed = 0
    for output in cell.get("outputs", []) if isinstance(cell.get("outputs"), list) else []:
        data = output.get("data") if isinstance(output, dict) else None
        if not isinstance(data, dict):
            continue
        removed = [kind for kind in data if kind not in KEPT_OUTPUT_TYPES]
        for kind in removed:
            del data[kind]
        if removed:
            changed += 1
            if not data:
                data["text/plain"] = REMOVED_OUTPUT
    return changed


def _clean_metadata(cell) -> list[str]:
    """Remove the metadata page templates print as HTML (they are set again by the grader: titles, comments); say what went."""
    metadata = cell.get("metadata")
    if not isinstance(metadata, dict):
        return []
    removed = [key for key in GRADER_METADATA if metadata.pop(key, None) is not None]
    grading = metadata.get("nbgrader")
    if isinstance(grading, dict):
        if grading.pop("comment", None) is not None:
            removed.append("nbgrader comment")
        if "points" in grading and not isinstance(grading["points"], int | float):
            removed.append("nbgrader points")
            del grading["points"]
        if "grade_id" in grading and not PLAIN_GRADE_ID.fullmatch(str(grading["grade_id"])):
            removed.append("nbgrader metadata (its grade id is not a plain id)")
            del metadata["nbgrader"]
    return removed


def clean_notebook(notebook: dict) -> list[str]:
    """Make a notebook (nbformat 4, as a dict) inert in place; return one line per change, empty if none."""
    changes = []
    metadata = notebook.get("metadata")
    if isinstance(metadata, dict) and metadata.pop("widgets", None) is not None:
        changes.append("saved widget state removed")
    cells = notebook.get("cells")
    for number, cell in enumerate(cells if isinstance(cells, list) else [], start=1):
        if not isinstance(cell, dict):
            continue
        kind = cell.get("cell_type")
        if kind in ("markdown", "raw"):
            source = _source(cell)
            problems = markdown_problems(source) if kind == "markdown" else active_markup(source)
            if problems:
                cell["source"] = as_text(source)
                if kind == "raw":
                    cell["cell_type"] = "markdown"
                    cell.pop("outputs", None)
                    cell.get("metadata", {}).pop("raw_mimetype", None)
                changes.append(f"cell {number}: {kind} with {', '.join(sorted(set(problems)))} shown as text")
        elif kind == "code":
            lost = _clean_outputs(cell)
            if lost:
                changes.append(f"cell {number}: {lost} output(s) kept as plain text only")
        removed = _clean_metadata(cell)
        if removed:
            changes.append(f"cell {number}: {', '.join(removed)} removed from its metadata")
        attachments = cell.get("attachments")
        if isinstance(attachments, dict):
            for name in list(attachments):
                bundle = attachments[name]
                if not isinstance(bundle, dict) or not set(bundle) <= set(KEPT_OUTPUT_TYPES[1:]):
                    del attachments[name]
                    changes.append(f"cell {number}: attachment {name!r} removed (only images are kept)")
    return changes


def clean_notebook_file_content(content: bytes) -> tuple[bytes, list[str]]:
    """A submitted notebook's bytes made inert, and the changes; bytes that are not a notebook come back unchanged."""
    try:
        notebook = json.loads(content)
    except (ValueError, UnicodeDecodeError):
        return content, []
    if not isinstance(notebook, dict):
        return content, []
    changes = clean_notebook(notebook)
    if not changes:
        return content, []
    return (json.dumps(notebook, indent=1, ensure_ascii=False) + "\n").encode("utf-8"), changes
