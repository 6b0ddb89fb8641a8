"""Small-cell control for every table and figure in the book.

One rule everywhere: a count below ``min_cell`` is not shown, and neither is anything computed from it.
Suppressed cells show a Dutch marker built by :func:`suppression_marker`.

Secondary suppression: a line of counts whose total the book shows elsewhere (the number of students per
hogeschool, whose sum is the number of students) would give a single hidden cell away by subtraction.
:func:`complementary_cells` chooses the further cells to hide, as statistical agencies do (the threshold rule
with secondary suppression, e.g. tau-argus, sdcTable): a reader who knows the total, the shown cells, that a
small cell is below ``min_cell`` and that a complementary cell is not, can narrow no small cell below the whole
range ``0 … min_cell − 1`` its marker already states. Complementary cells show :func:`complementary_marker`.
"""

from __future__ import annotations

from collections.abc import Sequence
from numbers import Integral

import numpy as np
import pandas as pd

from loopbaanleren.errors import ParameterError
from loopbaanleren.stats.samples import analysis_sample, levels

SUPPRESSED_FLAG = "suppressed"
"""Name of the boolean column :func:`suppress_small` adds: True where a row was suppressed."""


def suppression_marker(min_cell: int) -> str:
    """The text shown in place of a suppressed cell, e.g. ``"onderdrukt (n < 10)"``."""
    return f"onderdrukt (n < {_check_min_cell(min_cell)})"


def complementary_marker() -> str:
    """The text shown in place of a cell hidden only so that a small cell cannot be derived from the total."""
    return "onderdrukt (aanvullend)"


def line_is_protected(counts: Sequence[int], hidden: Sequence[bool], min_cell: int) -> bool:
    """Whether no small cell of a line of counts with a known total can be narrowed by its shown cells.

    The reader knows the total, so the sum ``S`` of the hidden cells; a small (primary) cell lies in
    ``0 … min_cell − 1``, a complementary cell (hidden but not small) is at least ``min_cell``. A small cell then
    ranges over all of ``0 … min_cell − 1`` when, with ``k`` complementary and ``p`` small cells hidden,
    ``k ≥ 1`` and ``S − k·min_cell ≥ min_cell − 1``, or ``k = 0`` and ``min_cell − 1 ≤ S ≤ (p − 1)(min_cell − 1)``.
    """
    counts, hidden = np.asarray(counts, dtype=int), np.asarray(hidden, dtype=bool)
    small = counts < min_cell
    if not small.any():
        return True
    total, secondary = int(counts[hidden].sum()), int((hidden & ~small).sum())
    if secondary:
        return total - secondary * min_cell >= min_cell - 1
    return min_cell - 1 <= total <= (int(small.sum()) - 1) * (min_cell - 1)


def complementary_cells(counts: Sequence[int], min_cell: int) -> np.ndarray:
    """The cells of a line of counts (whose total is shown) to hide besides the small ones: a boolean mask.

    Fewest and smallest first: the smallest cell that protects the line alone (:func:`line_is_protected`), else
    the largest cells one by one until it is protected (at worst every cell). No small cell, no complement.
    """
    counts = np.asarray(counts, dtype=int)
    _check_min_cell(min_cell)
    small = counts < min_cell
    extra = np.zeros(len(counts), dtype=bool)
    if line_is_protected(counts, small, min_cell):
        return extra
    candidates = [int(i) for i in np.argsort(counts, kind="stable") if not small[i]]
    for i in candidates:
        extra[i] = True
        if line_is_protected(counts, small | extra, min_cell):
            return extra
        extra[i] = False
    for i in reversed(candidates):
        extra[i] = True
        if line_is_protected(counts, small | extra, min_cell):
            break
    return extra


def protected_counts(counts: pd.Series, min_cell: int) -> pd.Series:
    """``counts`` (a line whose total is shown elsewhere) with small cells showing :func:`suppression_marker`
    and their complementary cells (:func:`complementary_cells`) :func:`complementary_marker`."""
    marker = suppression_marker(min_cell)
    extra = complementary_cells(counts.to_numpy(), min_cell)
    shown = counts.astype(object).where(counts >= min_cell, marker)
    return shown.where(~extra, complementary_marker())


def suppress_small(table: pd.DataFrame, count_column: str, min_cell: int, value_columns: Sequence[str]) -> pd.DataFrame:
    """Copy of ``table`` in which rows with ``count_column < min_cell`` show the marker instead of numbers.

    The count and every column in ``value_columns`` of such a row are replaced by
    :func:`suppression_marker`; the column ``SUPPRESSED_FLAG`` says which rows were hit.
    """
    analysis_sample(table, [count_column, *value_columns], "suppress_small", numeric=[count_column], min_rows=0)
    marker = suppression_marker(min_cell)
    small = table[count_column] < min_cell
    result = table.copy()
    for column in [count_column, *value_columns]:
        result[column] = result[column].astype(object).where(~small, marker)
    result[SUPPRESSED_FLAG] = small
    return result


def frequency_table(data: pd.DataFrame, rows: str, cols: str | None = None, min_cell: int = 10) -> pd.DataFrame:
    """Counts of ``rows`` (one column ``n``) or of ``rows`` by ``cols``, small cells suppressed.

    Missing values are left out. Levels follow the category order of a categorical column, else sorted
    order; categories that never occur appear with count 0 and are suppressed like any small cell.
    """
    marker = suppression_marker(min_cell)
    columns = [rows, *([cols] if cols else [])]
    sample = analysis_sample(data, columns, "frequency_table", min_rows=0)
    if cols is None:
        counts = sample[rows].value_counts(sort=False).reindex(levels(sample[rows], observed=False), fill_value=0)
        table = counts.rename("n").to_frame()
    else:
        table = pd.crosstab(sample[rows], sample[cols]).reindex(
            index=levels(sample[rows], observed=False), columns=levels(sample[cols], observed=False), fill_value=0
        )
    return table.astype(object).where(table >= min_cell, marker)


def safe_groups(data: pd.DataFrame, group: str, min_cell: int) -> list:
    """Groups of ``group`` with at least ``min_cell`` non-missing rows, in category or sorted order."""
    _check_min_cell(min_cell)
    sample = analysis_sample(data, [group], "safe_groups", min_rows=0)
    counts = sample[group].value_counts()
    return [level for level in levels(sample[group]) if counts.get(level, 0) >= min_cell]


def _check_min_cell(min_cell: int) -> int:
    if isinstance(min_cell, bool) or not isinstance(min_cell, Integral) or min_cell < 1:
        raise ParameterError(f"min_cell must be a whole number of at least 1, got {min_cell!r}")
    return int(min_cell)
