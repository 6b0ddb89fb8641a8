"""The analysis sample: column checks and listwise deletion, with errors that name the problem.

Every statistical function calls :func:`analysis_sample` first, so a missing column, a text column where
numbers are expected, or too few cases is reported as an :class:`~loopbaanleren.errors.InputError`
instead of a library traceback.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from loopbaanleren.errors import InputError


def analysis_sample(
    data: pd.DataFrame,
    columns: Sequence[str],
    where: str,
    numeric: Iterable[str] = (),
    min_rows: int = 2,
) -> pd.DataFrame:
    """Rows of ``data`` complete on ``columns`` (listwise deletion), checked for use in ``where``.

    ``numeric`` lists the columns that must hold numbers; ``min_rows`` is the smallest usable sample.
    """
    if not isinstance(data, pd.DataFrame):
        raise InputError(f"{where}: expected a pandas DataFrame, got {type(data).__name__}")
    problems = [f"{where}: column {name!r} not found" for name in dict.fromkeys(columns) if name not in data]
    problems += [
        f"{where}: column {name!r} must be numeric, found {data[name].dtype}"
        for name in dict.fromkeys(numeric)
        if name in data and not _is_number(data[name])
    ]
    if problems:
        raise InputError("\n".join(problems))
    sample = data[list(dict.fromkeys(columns))].dropna()
    if len(sample) < min_rows:
        raise InputError(
            f"{where}: {len(sample)} complete cases on {', '.join(map(repr, columns))}, at least {min_rows} needed"
        )
    return sample


def _is_number(values: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values)


def series_frame(where: str, **series: pd.Series | Sequence | np.ndarray | None) -> pd.DataFrame:
    """Side-by-side frame of the given series (``None`` ones left out), aligned on the first one's index."""
    present = {name: values for name, values in series.items() if values is not None}
    index = next(
        (values.index for values in present.values() if isinstance(values, pd.Series)),
        pd.RangeIndex(len(next(iter(present.values())))),
    )
    columns = {}
    for name, values in present.items():
        if isinstance(values, pd.Series):
            if not values.index.equals(index):
                raise InputError(f"{where}: {name!r} does not share the index of the other series")
            columns[name] = values.array
        else:
            values = np.asarray(values)
            if values.ndim != 1 or len(values) != len(index):
                raise InputError(f"{where}: {name!r} must be one-dimensional with {len(index)} values")
            columns[name] = values
    return pd.DataFrame(columns, index=index)


def levels(values: pd.Series, observed: bool = True) -> list:
    """Levels of a grouping column in display order, missing values left out.

    A categorical column keeps its category order (only the categories that occur when ``observed``);
    any other column gives its distinct values sorted.
    """
    if isinstance(values.dtype, pd.CategoricalDtype):
        present = set(values.dropna().unique())
        return [level for level in values.cat.categories if not observed or level in present]
    return sorted(values.dropna().unique())


def cluster_count(clusters: pd.Series, where: str, minimum: int = 2) -> int:
    """Number of distinct clusters, checked against the minimum a cluster-robust analysis needs."""
    count = int(clusters.nunique())
    if count < minimum:
        raise InputError(f"{where}: {count} cluster(s) in the analysis sample, at least {minimum} needed")
    return count
