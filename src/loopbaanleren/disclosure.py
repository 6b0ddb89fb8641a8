"""Small-cell control for every table and figure in the book.

One rule everywhere: a count below ``min_cell`` is not shown, and neither is anything computed from it.
Suppressed cells show a Dutch marker built by :func:`suppression_marker`. Only primary suppression is
done, so tables that pass through here should not also show totals from which a hidden cell could be
recovered.
"""

from __future__ import annotations

from collections.abc import Sequence
from numbers import Integral

import pandas as pd

from loopbaanleren.errors import ParameterError
from loopbaanleren.samples import analysis_sample, levels

SUPPRESSED_FLAG = "suppressed"
"""Name of the boolean column :func:`suppress_small` adds: True where a row was suppressed."""


def suppression_marker(min_cell: int) -> str:
    """The text shown in place of a suppressed cell, e.g. ``"onderdrukt (n < 10)"``."""
    return f"onderdrukt (n < {_check_min_cell(min_cell)})"


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
