"""The evidence pack of 10_capstone_investigation: a case's findings as one self-contained report, stamped with a hash.

`evidence_pack(...)` writes `evidence_pack.html` (inline CSS, the chart as an embedded PNG, no script and no link to
anything outside the file) and `evidence_pack.pdf` (the chart and the tables, made with matplotlib). The report holds
the findings, the evidence table (every amount with its path, every attribution with its source and confidence,
every heuristic with its measured error rate), the flow chart, the request and the exchange's return, and a
provenance record: the data set's manifest hash, the package version, the profile, the seed and the parameters of
every step. Its SHA-256 is computed over all of that content, which holds no clock time, only the date of the data
set, so a second analyst who reruns the notebook gets the same hash.
"""

from __future__ import annotations

import base64
import hashlib
import html
import io
import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .analysis.errors import AnalysisInputError
from .chain.units import SATOSHI_PER_BTC
from .version import __version__
from .widgets.request_builder import request_document
from .world.paths import dataset_dir, resolve_seed
from .world.store import MANIFEST, sha256

AMOUNT_COLUMNS = ["finding", "value", "path"]
ATTRIBUTION_COLUMNS = ["finding", "subject", "method", "source", "confidence"]
HEURISTIC_COLUMNS = ["heuristic", "measured_on", "error_rate"]
RETURN_TABLES = ("kyc", "deposit_addresses", "logins", "ledger", "linked_logins")
STYLE = """
body{font-family:Georgia,serif;max-width:60em;margin:2em auto;padding:0 1em;color:#1b1b1b;line-height:1.4}
h1{font-size:1.6em;border-bottom:3px solid #1f4e79}h2{font-size:1.2em;color:#1f4e79;margin-top:1.6em}
table{border-collapse:collapse;font-size:.8em;margin:.5em 0}td,th{border:1px solid #bbb;padding:.2em .5em;
text-align:left;vertical-align:top}th{background:#e8eef5}code,pre{font-family:Menlo,Consolas,monospace;font-size:.85em;
word-break:break-all;white-space:pre-wrap}.stamp{border:2px solid #1f4e79;padding:.6em 1em;background:#f4f7fb}
"""


@dataclass(frozen=True)
class EvidencePack:
    """Where a pack was written, its content hash, and whether a PDF could be made (and why not)."""

    html_path: Path
    pdf_path: Path | None
    sha256: str
    pdf_note: str

    def _repr_html_(self) -> str:
        pdf = f"<code>{html.escape(_shown(self.pdf_path))}</code>" if self.pdf_path else html.escape(self.pdf_note)
        return (
            "<div style='border-left:4px solid #1e7b34;padding:.3em .8em'><b>Evidence pack written.</b><br>"
            f"HTML: <code>{html.escape(_shown(self.html_path))}</code><br>PDF: {pdf}<br>"
            f"SHA-256 of its content: <code>{self.sha256}</code></div>"
        )

    def __repr__(self) -> str:
        pdf = _shown(self.pdf_path) if self.pdf_path else self.pdf_note
        return f"EvidencePack(html={_shown(self.html_path)}, pdf={pdf}, sha256={self.sha256})"


def _shown(path: Path) -> str:
    """A pack file as the notebook shows it: its folder and name, beside the notebook (no server path)."""
    return f"{path.parent.name}/{path.name}"


def _require(table, columns: list[str], name: str) -> pd.DataFrame:
    if not isinstance(table, pd.DataFrame):
        raise AnalysisInputError(
            f"{name} must be a table (DataFrame) with the columns {columns}; got {type(table).__name__}."
        )
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise AnalysisInputError(f"{name} lacks the column(s) {missing}; it needs {columns}.")
    return table[columns].reset_index(drop=True)


def _plain(value):
    """A cell as plain JSON-ready text or number, the same on every run."""
    if isinstance(value, pd.Series):
        return ", ".join(sorted(value.astype(str).unique()))
    if isinstance(value, (list, tuple)):
        return " → ".join(str(v) for v in value)
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    if hasattr(value, "item"):
        return value.item()
    return value if isinstance(value, (int, float, str, bool)) or value is None else str(value)


def _records(table: pd.DataFrame) -> list[dict]:
    return [{column: _plain(value) for column, value in row.items()} for row in table.to_dict("records")]


def chart_png(figure) -> bytes:
    """A matplotlib figure as PNG bytes with no software stamp, so that the same chart gives the same bytes."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=90, bbox_inches="tight", metadata={"Software": None})
    return buffer.getvalue()


def provenance(profile: str, seed: int | None, steps: dict) -> dict:
    """Where the findings come from: the data set (its manifest's SHA-256 and date), the package version, the seed
    and the parameters of every step."""
    from .data import load

    seed = resolve_seed(seed)
    manifest = dataset_dir(profile, seed) / MANIFEST
    if not manifest.exists():
        load("blocks", profile, seed)  # builds the data set on first use
    last_block = load("blocks", profile, seed)["timestamp"].max()
    return {
        "data set": f"{profile}, seed {seed}",
        "data set manifest SHA-256": sha256(manifest),
        "data set date (last block)": last_block.date().isoformat(),
        "chainlab version": __version__,
        "steps": {name: {k: _plain(v) for k, v in params.items()} for name, params in steps.items()},
    }


def content(
    case_reference: str, findings: dict, amounts, attributions, heuristics, chart: bytes, request: dict, reply, record
) -> dict:
    """Everything the pack states, as plain data: the SHA-256 is computed over this."""
    returned = {name: _records(getattr(reply, name)) for name in RETURN_TABLES if name in reply.tables}
    document = (
        request_document(request)
        if reply.accepted
        else "(no request on record: the desk refused it, or it is not filled in yet; see the reply)"
    )
    return {
        "case reference": case_reference,
        "findings": {k: _plain(v) for k, v in findings.items()},
        "amounts": _records(_require(amounts, AMOUNT_COLUMNS, "amounts")),
        "attributions": _records(_require(attributions, ATTRIBUTION_COLUMNS, "attributions")),
        "heuristics": _records(_require(heuristics, HEURISTIC_COLUMNS, "heuristics")),
        "chart PNG SHA-256": hashlib.sha256(chart).hexdigest(),
        "request": document,
        "reply": reply.summary(),
        "return": returned,
        "provenance": record,
    }


def content_hash(data: dict) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def _table_html(rows: list[dict]) -> str:
    if not rows:
        return "<p>(no rows)</p>"
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in rows[0])
    body = "".join("<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in row.values()) + "</tr>" for row in rows)
    return f"<table><tr>{head}</tr>{body}</table>"


def _amount_rows(rows: list[dict]) -> list[dict]:
    return [{**row, "value": f"{row['value']:,} satoshi ({row['value'] / SATOSHI_PER_BTC:.8f} BTC)"} for row in rows]


def render_html(data: dict, chart: bytes, digest: str) -> str:
    """The report as one HTML file: inline CSS, the chart as a data URI, no script, no outside link."""
    e = html.escape
    record = data["provenance"]
    steps = "".join(
        f"<tr><td>{e(name)}</td><td><code>{e(json.dumps(params, sort_keys=True, ensure_ascii=False))}</code></td></tr>"
        for name, params in record["steps"].items()
    )
    facts = "".join(f"<tr><th>{e(k)}</th><td>{e(str(v))}</td></tr>" for k, v in data["findings"].items())
    returned = "".join(f"<h3>{e(name)}</h3>{_table_html(rows)}" for name, rows in data["return"].items())
    image = base64.b64encode(chart).decode()
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Evidence pack {e(data["case reference"])}</title>
<style>{STYLE}</style></head><body>
<h1>Evidence pack: case {e(data["case reference"])}</h1>
<p class="stamp">SHA-256 of this pack's content: <code>{digest}</code><br>
Data as of {e(record["data set date (last block)"])} (the date of the data set's last block).
A second analyst who reruns the notebook on the same data set gets the same hash.</p>
<h2>1. Findings</h2><table>{facts}</table>
<h2>2. Evidence table</h2>
<h3>Amounts, each with its path (transactions in order)</h3>{_table_html(_amount_rows(data["amounts"]))}
<h3>Attributions, each with its source and confidence</h3>{_table_html(data["attributions"])}
<h3>Heuristics, each with its measured error rate</h3>{_table_html(data["heuristics"])}
<h2>3. Flow chart</h2><img alt="flow of the funds" style="max-width:100%" src="data:image/png;base64,{image}">
<h2>4. The request</h2><pre>{e(data["request"])}</pre>
<h2>5. The return</h2><pre>{e(data["reply"])}</pre>{returned}
<h2>6. Provenance</h2><table>
<tr><th>data set</th><td>{e(record["data set"])}</td></tr>
<tr><th>data set manifest SHA-256</th><td><code>{e(record["data set manifest SHA-256"])}</code></td></tr>
<tr><th>data set date</th><td>{e(record["data set date (last block)"])}</td></tr>
<tr><th>chainlab version</th><td>{e(record["chainlab version"])}</td></tr>
</table><h3>Parameters of every step</h3><table><tr><th>step</th><th>parameters</th></tr>{steps}</table>
</body></html>
"""


def write_pdf(path: Path, data: dict, figure, digest: str) -> None:
    """The chart and the tables as a PDF (matplotlib's PDF backend, with no creation date)."""
    import textwrap

    import matplotlib.pyplot as plt
    from matplotlib.backends.backend_pdf import PdfPages

    lines = [f"Evidence pack: case {data['case reference']}", f"SHA-256 of the content: {digest}", ""]
    lines += [f"{k}: {v}" for k, v in data["findings"].items()] + ["", "Amounts:"]
    lines += [f"  {r['finding']}: {r['value']:,} satoshi; path {r['path']}" for r in data["amounts"]]
    lines += ["", "Attributions:"] + [
        f"  {r['finding']} ({r['source']}, {r['confidence']})" for r in data["attributions"]
    ]
    lines += ["", "Heuristics:"] + [f"  {r['heuristic']}: error rate {r['error_rate']}" for r in data["heuristics"]]
    lines += [
        "",
        "Request:",
        *data["request"].splitlines(),
        "",
        "Reply:",
        *data["reply"].splitlines(),
        "",
        "Provenance:",
    ]
    lines += [f"  {k}: {v}" for k, v in data["provenance"].items() if k != "steps"]
    lines += [f"  step {name}: {json.dumps(p, sort_keys=True)}" for name, p in data["provenance"]["steps"].items()]
    wrapped = [piece for line in lines for piece in (textwrap.wrap(line, 110, subsequent_indent="    ") or [""])]
    with PdfPages(path, metadata={"CreationDate": None, "Producer": None, "Creator": None}) as pdf:
        pdf.savefig(figure, bbox_inches="tight")
        for start in range(0, len(wrapped), 60):
            page = plt.figure(figsize=(8.27, 11.69))
            page.text(0.05, 0.97, "\n".join(wrapped[start : start + 60]), va="top", family="monospace", fontsize=6.5)
            pdf.savefig(page)
            plt.close(page)


def evidence_pack(
    folder: str | Path,
    *,
    case_reference: str,
    findings: dict,
    amounts: pd.DataFrame,
    attributions: pd.DataFrame,
    heuristics: pd.DataFrame,
    figure,
    request: dict,
    reply,
    steps: dict,
    profile: str = "classroom",
    seed: int | None = None,
) -> EvidencePack:
    """Write the case's evidence pack (HTML, and PDF where matplotlib can make one) into `folder`; see the module doc.

    A refused request is recorded as refused, with the desk's reasons, and no return."""
    if not hasattr(reply, "accepted"):
        raise AnalysisInputError(f"reply must be the desk's answer (desk.answer(request)), not {type(reply).__name__}.")
    chart = chart_png(figure)
    data = content(
        case_reference,
        findings,
        amounts,
        attributions,
        heuristics,
        chart,
        request,
        reply,
        provenance(profile, seed, steps),
    )
    digest = content_hash(data)
    folder = Path(folder).resolve()
    folder.mkdir(parents=True, exist_ok=True)
    html_path = folder / "evidence_pack.html"
    html_path.write_text(render_html(data, chart, digest), encoding="utf-8")
    pdf_path, note = folder / "evidence_pack.pdf", ""
    try:
        write_pdf(pdf_path, data, figure, digest)
    except Exception as err:  # noqa: BLE001 (any failure of the PDF backend leaves the HTML, which is complete)
        pdf_path, note = None, f"no PDF on this machine ({type(err).__name__}: {err}); the HTML report is complete."
    return EvidencePack(html_path, pdf_path, digest, note)
