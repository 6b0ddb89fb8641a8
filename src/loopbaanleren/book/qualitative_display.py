"""The chapter's tables with Dutch headings (numbers are formatted by ``loopbaanleren.book.report.show_table``)."""

from __future__ import annotations

import numbers

import pandas as pd

from loopbaanleren.book import cells
from loopbaanleren.book.claim_text import NOT_COMPUTED_DETAIL, render
from loopbaanleren.book.formatting import MISSING
from loopbaanleren.data.coding_frame import CodingFrame, load_coding_frame

SYNTHETIC_NOTICE = (
    ":::{admonition} Synthetische data\n:class: attention\n"
    "Dit hoofdstuk is gebouwd op **synthetische** gecodeerde segmenten: gesimuleerd uit een klein model dat "
    "past bij de samenvatting, niet de codering van de echte interviews. Er staan geen echte citaten in.\n:::"
)
VERDICTS_NL = {True: "gereproduceerd", False: "niet gereproduceerd", None: "niet berekenbaar"}
POOLED_NL = "Alle codes (gepoold)"
"""The row of inter-coder agreement pooled over all codes."""
NOTES_NL = {
    "": "",
    "no_double_coding": "geen interviews door twee codeurs gecodeerd",
    "applied_everywhere": "κ en α niet gedefinieerd: beide codeurs kennen de code in alle interviews toe",
    "applied_nowhere": "κ en α niet gedefinieerd: beide codeurs kennen de code in geen enkel interview toe",
}
"""The notes of :func:`loopbaanleren.claims.qualitative_analysis.intercoder_agreement` in Dutch."""


def frame_table(frame: CodingFrame | None = None) -> pd.DataFrame:
    """The coding frame: theme, code and definition per code."""
    frame = frame or load_coding_frame()
    return pd.DataFrame({
        "Thema": frame.themes.loc[frame.codes["theme"], "label_nl"].to_numpy(),
        "Code": frame.codes["label_nl"].to_numpy(),
        "Definitie": frame.codes["definition_nl"].to_numpy(),
    })


def mention_table(counts: pd.DataFrame, frame: CodingFrame | None = None) -> pd.DataFrame:
    """'Genoemd door n van N' per code (with its theme) or per theme, from ``mention_counts``."""
    frame = frame or load_coding_frame()
    mentioned = [f"{n} van {total}" for n, total in zip(counts["n_mentioned"], counts["n_interviews"], strict=True)]
    if counts.index.name == "theme":
        return pd.DataFrame({"Thema": counts["label_nl"].to_numpy(), "Genoemd door": mentioned})
    return pd.DataFrame({
        "Thema": frame.themes.loc[counts["theme"], "label_nl"].to_numpy(),
        "Code": counts["label_nl"].to_numpy(),
        "Genoemd door": mentioned,
    })


def cooccurrence_table(cooccurrence: pd.DataFrame, frame: CodingFrame | None = None) -> pd.DataFrame:
    """A theme × theme (or code × code) co-occurrence table with Dutch labels as row and column names."""
    frame = frame or load_coding_frame()
    by_theme = cooccurrence.index.name == "theme"
    labels = (frame.themes if by_theme else frame.codes)["label_nl"]
    table = cooccurrence.rename(index=labels, columns=labels)
    return table.rename_axis(index=None, columns=None).reset_index(names="thema" if by_theme else "code")


def agreement_table(agreement: pd.DataFrame) -> pd.DataFrame:
    """Inter-coder agreement from ``intercoder_agreement`` with Dutch headings."""
    return pd.DataFrame({
        "Code": agreement["label_nl"].fillna(POOLED_NL).to_numpy(),
        "Interviews": agreement["n_interviews"].to_numpy(),
        "Overeenstemming": agreement["agreement"].to_numpy(),
        "Cohens κ": agreement["kappa"].to_numpy(),
        "Krippendorffs α": agreement["alpha"].to_numpy(),
        "Opmerking": agreement["note"].map(NOTES_NL).to_numpy(),
    })


def claims_table(verdicts: pd.DataFrame) -> pd.DataFrame:
    """Claims with verdicts from ``evaluate_qualitative_claims`` with Dutch headings."""
    return pd.DataFrame({
        "Bewering": verdicts["sentence_nl"].to_numpy(),
        "Gepubliceerd": _counts(verdicts["published"]),
        "Berekend": [_value(value) for value in verdicts["computed"]],
        "Interviews": _counts(verdicts["n"]),
        "Oordeel": [VERDICTS_NL[_verdict(value)] for value in verdicts["reproduced"]],
        "Toelichting": [render(reason) if reason is not None else render(detail) if detail is not None
                        else NOT_COMPUTED_DETAIL for reason, detail in zip(verdicts["reason"], verdicts["detail"])],
    })


def _counts(values: pd.Series) -> pd.array:
    """Numbers of interviews as whole numbers (``10``, not ``10,00``), missing where there is none."""
    return pd.array(pd.to_numeric(values, errors="coerce").round(), dtype="Int64")


def _value(value: object) -> cells.Shown | str:
    """A computed value as a cell: a number shown in Dutch and downloaded as the number, a text as is."""
    if value is None or pd.isna(value):
        return MISSING
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        return cells.count(value) if float(value).is_integer() else cells.num(value)
    return str(value)


def _verdict(value: object) -> bool | None:
    return None if value is None or pd.isna(value) else bool(value)
