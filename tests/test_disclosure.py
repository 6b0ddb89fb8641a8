"""Small-cell control on hand-made tables with known small cells."""

import numpy as np
import pandas as pd
import pytest

from disclosure_helpers import assert_undetermined, feasible_intervals

from loopbaanleren.data.disclosure import (
    SUPPRESSED_FLAG, complementary_cells, complementary_marker, frequency_table, line_is_protected, protected_counts,
    safe_groups, suppress_small, suppression_marker,
)
from loopbaanleren.errors import InputError, ParameterError

MARKER = "onderdrukt (n < 10)"


@pytest.fixture
def answers() -> pd.DataFrame:
    sector = ["Techniek"] * 25 + ["Kunst"] * 4 + ["Onderwijs"] * 12 + [None] * 3
    answer = (["ja"] * 20 + ["nee"] * 5) + ["ja"] * 4 + (["ja"] * 3 + ["nee"] * 9) + ["nee"] * 3
    return pd.DataFrame({"sector": sector, "answer": answer})


def test_marker_names_the_threshold():
    assert suppression_marker(10) == MARKER
    assert suppression_marker(np.int64(5)) == "onderdrukt (n < 5)"


def test_suppress_small_hides_count_and_values_of_small_rows():
    table = pd.DataFrame({"group": ["A", "B", "C"], "n": [3, 12, 10], "mean": [2.1, 2.5, 3.0], "sd": [0.4, 0.5, 0.6]})
    result = suppress_small(table, "n", 10, ["mean"])
    assert result.loc[0, ["n", "mean"]].tolist() == [MARKER, MARKER]
    assert result.loc[0, "sd"] == 0.4  # not listed as a value column
    assert result.loc[1, ["n", "mean"]].tolist() == [12, 2.5]
    assert result.loc[2, "n"] == 10  # the threshold itself may be shown
    assert result[SUPPRESSED_FLAG].tolist() == [True, False, False]
    assert table.loc[0, "n"] == 3  # the input is not changed


def test_frequency_table_one_way(answers):
    table = frequency_table(answers, "sector", min_cell=10)
    assert table.index.tolist() == ["Kunst", "Onderwijs", "Techniek"]
    assert table["n"].tolist() == [MARKER, 12, 25]


def test_frequency_table_two_way_keeps_category_order_and_suppresses_zeros(answers):
    order = ["Techniek", "Onderwijs", "Kunst", "Zorg"]
    data = answers.assign(sector=pd.Categorical(answers["sector"], categories=order))
    table = frequency_table(data, "sector", "answer", min_cell=5)
    assert table.index.tolist() == ["Techniek", "Onderwijs", "Kunst", "Zorg"]
    assert table.columns.tolist() == ["ja", "nee"]
    assert table.loc["Techniek"].tolist() == [20, 5]
    assert table.loc["Onderwijs"].tolist() == ["onderdrukt (n < 5)", 9]
    assert table.loc["Kunst"].tolist() == ["onderdrukt (n < 5)"] * 2
    assert table.loc["Zorg"].tolist() == ["onderdrukt (n < 5)"] * 2


def test_safe_groups(answers):
    assert safe_groups(answers, "sector", 10) == ["Onderwijs", "Techniek"]
    assert safe_groups(answers, "sector", 4) == ["Kunst", "Onderwijs", "Techniek"]
    assert safe_groups(answers, "sector", 26) == []


def test_bad_requests_are_reported(answers):
    with pytest.raises(ParameterError, match="min_cell"):
        safe_groups(answers, "sector", 0)
    with pytest.raises(ParameterError, match="min_cell"):
        frequency_table(answers, "sector", min_cell=2.5)
    with pytest.raises(InputError, match="'regio' not found"):
        frequency_table(answers, "regio")
    with pytest.raises(InputError, match="'aantal' not found"):
        suppress_small(pd.DataFrame({"n": [1]}), "aantal", 10, [])
    with pytest.raises(InputError, match="'n' must be numeric"):
        suppress_small(pd.DataFrame({"n": ["vijf"]}), "n", 10, [])


# ----------------------------------------------------------------------------- secondary suppression

HOGESCHOLEN = [3, 412, 389, 501, 455, 470, 438, 399, 512, 620, 621]
"""Students per hogeschool of the issue's case: one of 3, the total 4,820 shown on the page."""


def shown_line(counts: list[int], min_cell: int = 10) -> tuple[int, list[int], list[int]]:
    """What a reader sees of a protected line: the hidden cells' sum (total minus shown), small and complementary."""
    shown = protected_counts(pd.Series(counts), min_cell)
    small = [i for i, v in enumerate(shown) if v == suppression_marker(min_cell)]
    extra = [i for i, v in enumerate(shown) if v == complementary_marker()]
    visible = sum(v for v in shown if not isinstance(v, str))
    assert [v for v in shown if not isinstance(v, str)] == [c for i, c in enumerate(counts) if i not in small + extra]
    return sum(counts) - visible, small, extra


def test_a_single_small_cell_no_longer_follows_from_the_total():
    assert sum(HOGESCHOLEN) == 4820
    hidden, small, extra = shown_line(HOGESCHOLEN)
    assert small == [0] and len(extra) == 1
    assert_undetermined(feasible_intervals(hidden, small, extra, 10), small, 10)
    # without the complementary cell the reader solves it exactly: the 4,820 − 4,817 = 3
    alone = feasible_intervals(sum(HOGESCHOLEN) - sum(HOGESCHOLEN[1:]), [0], [], 10)
    assert alone[0] == (3, 3)


@pytest.mark.parametrize("counts", [
    [3, 12, 500, 400],                 # the smallest complement (12) is too small to hide 3: 3 + 12 − 10 < 9
    [0, 0, 0, 371],                    # every counsellor in one sector: the only large cell hides the zeros
    [5, 5, 5, 500],                    # three small cells whose sum keeps each of them open
    [9, 9, 30, 31, 40],
    [1, 2, 10, 10, 30, 10, 10],        # complements at the threshold do not help: 30 does
    [4, 600, 580, 700, 12, 15, 19, 0],
])
def test_every_small_cell_keeps_its_whole_range(counts):
    hidden, small, extra = shown_line(counts)
    assert_undetermined(feasible_intervals(hidden, small, extra, 10), small, 10)


def test_no_small_cell_no_complement_and_the_fewest_cells_hidden():
    assert not complementary_cells([10, 20, 30], 10).any()
    assert complementary_cells([3, 12, 16, 500], 10).tolist() == [False, False, True, False]  # 3 + 16 − 10 ≥ 9
    assert line_is_protected([5, 5, 5, 500], [True, True, True, False], 10)
    assert not line_is_protected([5, 5, 500], [True, True, False], 10)  # 5 + 5 = 10: each small one is ≥ 1


def test_a_line_no_complement_can_protect_is_hidden_whole():
    """Cells at the threshold add nothing a reader does not know (a complement is at least min_cell): the line is
    hidden whole, and a small cell is still not determined, though narrowed (the limit of a shown total)."""
    counts = [1, 2, 10, 10, 10]
    hidden, small, extra = shown_line(counts)
    assert len(small) + len(extra) == len(counts)
    intervals = feasible_intervals(hidden, small, extra, 10)
    assert all(high > low for low, high in intervals.values())
