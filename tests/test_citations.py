"""Every claim about law, cases or figures cites a source: markdown sentences with a law or figure word need a citation in their cell.

A *law or figure word* is a statute or rule (U.S.C., CFR, a Republic Act, a Regulation, Directive or Recommendation,
an Article), a court case ("X v. Y"), an amount of money, a percentage or a year. A *citation* is a link, or a
parenthesised source reference (a year, an article or section number, or the name of a kind of source) in the same cell.
The test covers every module from 01 on, so modules added later are checked too; each exception is listed in
ALLOWED with the reason it needs no citation.
"""

from __future__ import annotations

import re

import nbformat
import pytest

from .notebook_tools import ROOT

LAW_OR_FIGURE = re.compile(
    r"U\.S\.C\.|\bCFR\b|\bRA \d|Republic Act|\bRegulations?\b|\bDirectives?\b|\bRecommendations?\b|\bArt(?:icle)?s?\.? ?\d"
    r"|\b[A-Z][\w.]* v\. [A-Z]"  # a court case
    r"|\b(?:USD|EUR|PHP|KRW|GBP)\s?\d|\d\s?(?:USD|EUR|PHP|KRW|GBP)\b|\$\s?\d"  # an amount of money
    r"|\d\s?%|\b(?:19|20)\d{2}\b"  # a percentage, a year
)
SOURCE_KINDS = (
    r"(?:19|20)\d{2}|Arts?\.|\bs\. ?\d|\bss\. ?\d|para\.|section|BIP-\d|EIP-\d|U\.S\.C\.|CFR|Circular|Regulation|Directive|"
    r"Recommendation|INR\.|press release|Guidance|guidance|whitepaper|Yellow Paper|documentation|Moneropedia|opinion|statement"
)
_IN_BRACKETS = (
    r"(?:[^()]|\([^()]*\))*"  # text inside a parenthesis, which may hold one level of parentheses: (31 CFR 1010.410(f))
)
CITATION = re.compile(r"https?://|\]\(|\(" + _IN_BRACKETS + r"(?:" + SOURCE_KINDS + r")" + _IN_BRACKETS + r"\)")

# (module, cell id, start of the sentence): why it needs no citation of its own.
ALLOWED: dict[tuple[str, str, str], str] = {
    (
        "03_legal_and_regulatory",
        "exercise-fatf-full-information",
        "Task:** put the `transfer_id`s of the transfers that must carry the **full**",
    ): "the exercise restates the FATF threshold that section 2 cites in full two cells above (cell-005)",
    (
        "04_aml_monitoring_and_red_flags",
        "exercise-structuring-accounts",
        "Task:** in three steps: keep in `near` the deposits worth at least USD 9,000",
    ): "the exercise's own rule settings on the course's fictional ledger, not a claim about any law",
    (
        "04_aml_monitoring_and_red_flags",
        "cell-016",
        "It reads the `value` column, so give it the dollar values in cents",
    ): "a unit conversion (dollars to cents) for the course's helper, not a claim about any law",
    (
        "04_aml_monitoring_and_red_flags",
        "cell-018",
        "Which accounts are added? A customer who pays USD 9,500 of rent",
    ): "an invented example of a false alert",
    (
        "04_aml_monitoring_and_red_flags",
        "exercise-rapid-accounts",
        "Task:** a *fast case* is a row of `pairs` that is a **deposit**",
    ): "the exercise's own rule settings on the course's fictional ledger",
    (
        "04_aml_monitoring_and_red_flags",
        "cell-026",
        "precision = 4 ÷ 10 = 40%",
    ): "the arithmetic of the worked example above it",
    (
        "04_aml_monitoring_and_red_flags",
        "cell-026",
        "recall = 4 ÷ 5 = 80%",
    ): "the arithmetic of the worked example above it",
    (
        "04_aml_monitoring_and_red_flags",
        "cell-028",
        "One difference: it works on the ledger as it is, in **BTC**",
    ): "an assumed price used to convert the course's fictional BTC amounts, stated as an assumption",
    (
        "04_aml_monitoring_and_red_flags",
        "cell-028",
        "1. **Structuring:** it starts at 0.25 BTC, 10% under",
    ): "the rule tuner's own starting settings",
    (
        "04_aml_monitoring_and_red_flags",
        "cell-028",
        "2. **Rapid in-and-out:** it starts loose",
    ): "the rule tuner's own starting settings",
    (
        "04_aml_monitoring_and_red_flags",
        "cell-028",
        "3. Find settings that catch every account in the case file",
    ): "a practice task on the course's fictional case file",
    (
        "04_aml_monitoring_and_red_flags",
        "exercise-alert-precision",
        "For example, `40` for 40%.",
    ): "describes the answer's form, with an example number",
    (
        "06_clustering_and_attribution",
        "cell-003",
        "every few days, the market spends the paid orders together and pays each vendor its share, keeping a 5% cut;",
    ): "the invented market's own rule in the course's synthetic world, not a claim about any real market",
}


def modules() -> list[str]:
    """Every module folder under solutions/ from 01 on (00 is the workshop's introduction to notebooks)."""
    return sorted(
        path.name
        for path in (ROOT / "solutions").iterdir()
        if path.is_dir() and path.name[:2].isdigit() and path.name[:2] != "00"
    )


def sentences(text: str) -> list[str]:
    """The sentences of a markdown cell: one per line (the house style), list markers and table rows kept whole."""
    return [
        line.strip(" -*>|") for line in text.splitlines() if line.strip() and not line.lstrip().startswith(("#", "<"))
    ]


def uncited(module: str) -> list[tuple[str, str, str]]:
    """(module, cell id, sentence) for each sentence with a law or figure word in a markdown cell that cites nothing."""
    notebook = nbformat.read(ROOT / "solutions" / module / f"{module}.ipynb", as_version=4)
    found = []
    for cell in notebook.cells:
        if cell.cell_type != "markdown" or CITATION.search(cell.source):
            continue
        found += [
            (module, cell.get("id", "?"), sentence)
            for sentence in sentences(cell.source)
            if LAW_OR_FIGURE.search(sentence)
        ]
    return found


def is_allowed(module: str, cell_id: str, sentence: str) -> bool:
    return any(module == m and cell_id == c and sentence.startswith(start) for m, c, start in ALLOWED)


def test_the_patterns_tell_a_cited_claim_from_an_uncited_one():
    assert LAW_OR_FIGURE.search("The threshold is USD 3,000.") and LAW_OR_FIGURE.search(
        "Art. 29 needs no dual criminality."
    )
    assert LAW_OR_FIGURE.search("In United States v. Gratkowski the court held so.") and LAW_OR_FIGURE.search(
        "It fell 40% in 2022."
    )
    assert not LAW_OR_FIGURE.search("Run the cell below first.")
    assert CITATION.search("as the court held ([opinion](https://example.org))") and CITATION.search(
        "(31 CFR 1010.410(f))"
    )
    assert CITATION.search("(Treasury press release, 28 November 2018)") and not CITATION.search("(see below)")


@pytest.mark.parametrize("module", modules())
def test_every_law_or_figure_sentence_has_a_citation_in_its_cell(module):
    missing = [found for found in uncited(module) if not is_allowed(*found)]
    assert not missing, (
        "Cite a source in the cell of each of these sentences (a link, or a reference such as '(Art. 7, CETS 224)'):\n"
        + "\n".join(f"  {m} cell {c}: {s[:120]}" for m, c, s in missing)
    )


def test_every_allowed_exception_still_exists():
    present = {found for module in modules() for found in uncited(module)}
    stale = [
        key for key in ALLOWED if not any(key[0] == m and key[1] == c and s.startswith(key[2]) for m, c, s in present)
    ]
    assert not stale, f"These ALLOWED entries match no uncited sentence any more; remove them: {stale}"
