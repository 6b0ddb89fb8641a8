"""Frequencies, co-occurrence and inter-coder agreement of coded segments, with the interview as the unit.

An interview *mentions* a code when at least one of its segments carries the code (by any coder, unless a
``coder`` is named); an interview mentions a theme when it mentions any code of the theme.
"""

from __future__ import annotations

import krippendorff
import numpy as np
import pandas as pd

from loopbaanleren.errors import ParameterError
from loopbaanleren.data.coding_frame import CodingFrame, load_coding_frame

ALL_CODES = "all_codes"
_LEVELS = ("code", "theme")


def presence_matrix(
    segments: pd.DataFrame, frame: CodingFrame | None = None, by: str = "code", coder: str | None = None
) -> pd.DataFrame:
    """0/1 table of codes (or themes) × interviews: 1 when the interview mentions it.

    Rows follow the coding frame (codes never used are rows of zeros); columns are the interviews, sorted.
    """
    frame = frame or load_coding_frame()
    _check_level(by)
    if coder is not None:
        coders = sorted(segments["coder"].dropna().unique())
        if coder not in coders:
            known = ", ".join(coders) or "none"
            raise ParameterError(f"coder '{coder}' does not occur in the segments (coders: {known})")
        segments = segments[segments["coder"] == coder]
    interviews = sorted(segments["interview"].unique())
    presence = (
        pd.crosstab(segments["code"], segments["interview"]).clip(upper=1)
        .reindex(index=frame.code_ids(), columns=interviews, fill_value=0)
    )
    presence.index.name, presence.columns.name = "code", "interview"
    if by == "theme":
        presence = presence.groupby(frame.codes["theme"], sort=False).max()
        presence.index.name = "theme"
    return presence.astype(int)


def mention_counts(
    segments: pd.DataFrame, frame: CodingFrame | None = None, by: str = "code", coder: str | None = None
) -> pd.DataFrame:
    """Per code (or theme) the number of interviews that mention it: "genoemd door n van N".

    Columns: ``theme`` (codes only), ``label_nl``, ``n_mentioned``, ``n_interviews``.

    Examples
    --------
    >>> segments = pd.DataFrame({"interview": ["A", "A", "B", "C"],
    ...                          "code": ["leerzaam", "plezierig", "leerzaam", "leerzaam"]})
    >>> mention_counts(segments).loc[["leerzaam", "plezierig", "inspirerend"], ["n_mentioned", "n_interviews"]]
                 n_mentioned  n_interviews
    code
    leerzaam               3             3
    plezierig              1             3
    inspirerend            0             3
    """
    frame = frame or load_coding_frame()
    presence = presence_matrix(segments, frame, by=by, coder=coder)
    labels = frame.codes[["theme", "label_nl"]] if by == "code" else frame.themes[["label_nl"]]
    counts = labels.loc[presence.index].copy()
    counts["n_mentioned"] = presence.sum(axis=1)
    counts["n_interviews"] = presence.shape[1]
    counts.index.name = by
    return counts


def cooccurrence(
    segments: pd.DataFrame, frame: CodingFrame | None = None, by: str = "code", coder: str | None = None
) -> pd.DataFrame:
    """Square table: the number of interviews in which both codes (or themes) occur; the diagonal counts each."""
    presence = presence_matrix(segments, frame, by=by, coder=coder)
    return presence @ presence.T


def intercoder_agreement(
    segments: pd.DataFrame, frame: CodingFrame | None = None, coders: tuple[str, str] | None = None
) -> pd.DataFrame:
    """Agreement of two coders on the presence of each code in the interviews both coded.

    Per code, and pooled over all codes × interviews (row ``all_codes``): ``n_interviews``, ``agreement``
    (proportion of interviews on which the coders agree), Cohen's ``kappa`` (scikit-learn) and
    Krippendorff's ``alpha`` (nominal, ``krippendorff`` package), and a ``note``: empty, "no_double_coding" or, when
    both coders give a code the same value in every interview, "applied_everywhere" or "applied_nowhere" (then κ and α
    are undefined, NaN, and only the agreement is reported). The pooled row has no ``label_nl``.
    Without two coders in the data every row has ``n_interviews`` 0. ``coders`` picks two when the data has more.

    Examples
    --------
    >>> segments = pd.DataFrame({"interview": ["A", "B", "C", "D", "A", "B", "C", "D"],
    ...                          "code": ["leerzaam", "leerzaam", "plezierig", "leerzaam",
    ...                                   "leerzaam", "plezierig", "plezierig", "leerzaam"],
    ...                          "coder": ["ik"] * 4 + ["jij"] * 4})
    >>> intercoder_agreement(segments).loc[["leerzaam", "plezierig"], ["n_interviews", "agreement", "kappa"]]
               n_interviews  agreement  kappa
    code
    leerzaam              4       0.75    0.5
    plezierig             4       0.75    0.5
    """
    frame = frame or load_coding_frame()
    found = sorted(segments["coder"].dropna().unique())
    if coders is None:
        if len(found) > 2:
            raise ParameterError(f"the segments have {len(found)} coders ({', '.join(found)}); name the two to compare")
        coders = tuple(found)
    elif len(coders) != 2:
        raise ParameterError(f"coders must name two coders, got {coders!r}")
    missing = [coder for coder in coders if coder not in found]
    if missing:
        raise ParameterError(f"coder(s) {', '.join(missing)} do not occur in the segments (coders: {', '.join(found)})")
    if len(coders) == 2:
        first, second = (presence_matrix(segments, frame, coder=coder) for coder in coders)
        both = sorted(set(first.columns) & set(second.columns))
        first, second = first[both], second[both]
    else:
        first = second = pd.DataFrame(index=frame.code_ids(), columns=[], dtype=int)
        both = []
    rows = {code: _agreement(first.loc[code].to_numpy(), second.loc[code].to_numpy()) for code in first.index}
    rows[ALL_CODES] = _agreement(first.to_numpy().ravel(), second.to_numpy().ravel())
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.insert(0, "label_nl", [*frame.codes["label_nl"], None])  # the pooled row: the book names it
    table["n_interviews"] = len(both)
    table.index.name = "code"
    return table[["label_nl", "n_interviews", "agreement", "kappa", "alpha", "note"]]


def _agreement(first: np.ndarray, second: np.ndarray) -> dict:
    """Proportion agreement, Cohen's κ and Krippendorff's α of two 0/1 vectors."""
    from sklearn.metrics import cohen_kappa_score  # where used: scikit-learn takes a second to import

    if first.size == 0:
        return {"agreement": np.nan, "kappa": np.nan, "alpha": np.nan, "note": "no_double_coding"}
    agreement = float(np.mean(first == second))
    values = np.union1d(first, second)
    if values.size == 1:
        note = "applied_everywhere" if values[0] == 1 else "applied_nowhere"
        return {"agreement": agreement, "kappa": np.nan, "alpha": np.nan, "note": note}
    return {
        "agreement": agreement,
        "kappa": float(cohen_kappa_score(first, second)),
        "alpha": float(krippendorff.alpha(reliability_data=np.vstack([first, second]), level_of_measurement="nominal")),
        "note": "",
    }


def _check_level(by: str) -> None:
    if by not in _LEVELS:
        raise ParameterError(f"by must be one of {', '.join(_LEVELS)}, got {by!r}")
