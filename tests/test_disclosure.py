"""Small-cell control on hand-made tables with known small cells."""

import numpy as np
import pandas as pd
import pytest

from loopbaanleren.disclosure import SUPPRESSED_FLAG, frequency_table, safe_groups, suppress_small, suppression_marker
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
