"""What a claim is about, in Dutch, as the tables and pages name it: a measure's label, 'predictor → outcome' for an
effect, a code or theme of the coding frame; and a claim as a link to its ledger row."""

from __future__ import annotations

from loopbaanleren.book.report import ledger_href
from loopbaanleren.data.codebook import load_codebook
from loopbaanleren.data.coding_frame import load_coding_frame
from loopbaanleren.data.registry import Claim, load_registry


def claim_label(claim_id: str) -> str:
    """What a claim is about, in Dutch (a measure's label, 'predictor → outcome', a code of the coding frame)."""
    return subject(load_registry().get(claim_id))


def claim_link(claim_id: str) -> tuple[str, str]:
    """A claim as a table cell: its Dutch label (:func:`claim_label`) linked to its row of the ledger (show the
    column with ``report.link_html``; a download holds the label)."""
    return ledger_href(claim_id), claim_label(claim_id)


def subject(claim: Claim) -> str:
    """What a claim is about, in Dutch: a measure's label, or 'predictor → outcome' for an effect."""
    codebook = load_codebook()
    population = "students" if claim.population == "both" else claim.population

    def label(name: str) -> str:
        variable, _, value = name.partition("=")
        return codebook.label(population, variable).rstrip(".") + (f" ({value})" if value else "")

    if claim.population == "alumni":
        return _frame_subject(claim)
    if "predictor" in claim.spec:
        return f"{label(claim['predictor'])} → {label(claim['outcome'])}"
    for key in ("measure", "variable", "higher"):
        if key in claim.spec:
            return label(claim[key])
    return KIND_SUBJECT_NL.get(claim.kind, claim.kind)


KIND_SUBJECT_NL = {"hypothesis": "hypothese", "n_interviews": "aantal interviews"}
"""Subjects of claims that name no measure, code or theme."""


def _frame_subject(claim: Claim) -> str:
    """A qualitative claim's subject: the label of its code or theme in the coding frame."""
    frame = load_coding_frame()
    if "code" in claim.spec:
        return str(frame.codes.loc[claim["code"], "label_nl"])
    if "theme" in claim.spec:
        return str(frame.themes.loc[claim["theme"], "label_nl"])
    if "codes" in claim.spec:
        return ", ".join(str(frame.codes.loc[c, "label_nl"]) for c in claim["codes"])
    return KIND_SUBJECT_NL.get(claim.kind, claim.kind)
