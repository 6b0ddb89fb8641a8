"""Analysis frames: survey data in codes, prepared once for the analyses.

An analysis frame is the data with one column per scale (the mean of its reverse-keyed items, see
:func:`loopbaanleren.data.codebook.scale_score`), ``sector`` and ``hogeschool`` as categoricals of their Dutch labels
in codebook order (an open-coded hogeschool the codebook does not name gets a generic label), and the 0/1
indicator ``geslacht=vrouw``. The evaluators, the sector comparisons and the item tables all read it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from loopbaanleren.data.codebook import load_codebook, scale_score

LABELLED = ("sector", "hogeschool")
"""Coded variables that an analysis frame holds as categoricals of their labels."""


def with_scale_scores(data: pd.DataFrame, population: str) -> pd.DataFrame:
    """A copy of the data with one column per scale of the population (the scale's name)."""
    scales = load_codebook().scales(population)
    scores = pd.DataFrame({name: scale_score(data, s) for name, s in scales.items()}, index=data.index)
    return pd.concat([data.drop(columns=[c for c in scores if c in data]), scores], axis=1)


def analysis_frame(data: pd.DataFrame, population: str) -> pd.DataFrame:
    """Data with scale scores, sector and hogeschool as labelled categories, and indicator columns.

    Examples
    --------
    >>> from loopbaanleren.data.simulation import MISSING_CODE, simulate
    >>> data = simulate(2026, 200, 60)["counsellors"].replace(MISSING_CODE, np.nan)
    >>> frame = analysis_frame(data, "counsellors")
    >>> frame["sector"].cat.categories[:2].tolist(), bool(frame["geslacht=vrouw"].dropna().isin([0, 1]).all())
    (['Agrarisch', 'Economie'], True)
    """
    codebook = load_codebook()
    frame = with_scale_scores(data, population)
    for name in LABELLED:
        labels = codebook.value_labels(population, name, frame[name].dropna().unique())
        frame[name] = pd.Categorical(frame[name].map(labels), categories=list(labels.values()))
    frame["geslacht=vrouw"] = np.where(frame["geslacht"].isna(), np.nan, (frame["geslacht"] == 2).astype(float))
    return frame
