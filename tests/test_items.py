"""Answer shares, mean scores, population differences and reliability against hand computations and scipy."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from scipy import stats
from simulated_helpers import simulated
from cr2_helpers import cr2_mean

from loopbaanleren.claims.context import Context
from loopbaanleren.data.registry import load_registry
from loopbaanleren.data.disclosure import suppression_marker
from loopbaanleren.errors import InputError, ParameterError
from loopbaanleren.claims.evaluate import evaluate_claims
from loopbaanleren.book.items import (
    answer_shares,
    combine,
    mean_scores,
    mean_table,
    plot_levels,
    population_differences,
    reliability,
)

EENS4 = ["helemaal mee oneens", "mee oneens", "mee eens", "helemaal mee eens"]
ITEMS = ["le_buiten_telt_mee", "le_alleen_gelaten", "le_docent_schrijft_voor"]


@pytest.fixture(scope="module")
def data() -> dict[str, pd.DataFrame]:
    return simulated(11, 800, 150)


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def hand_answers(counts: dict[str, dict[int, int]]) -> pd.DataFrame:
    """A survey frame whose items have exactly the given counts per answer code (plus two missing answers)."""
    columns = {}
    for item, per_code in counts.items():
        values = [code for code, count in per_code.items() for _ in range(count)]
        columns[item] = pd.Series([*values, np.nan, np.nan], dtype=float)
    return pd.DataFrame(columns)


def test_shares_are_counts_over_valid_answers(data):
    shares = answer_shares(data["students"], "students", ITEMS)
    assert list(shares.shares.columns) == EENS4 and shares.categories == tuple(EENS4)
    for item in ITEMS:
        answered = data["students"][item].dropna()
        row = shares.shares.loc[load_label(item)]
        assert shares.n[load_label(item)] == len(answered)
        for code, category in enumerate(EENS4, start=1):
            assert row[category] == pytest.approx((answered == code).sum() / len(answered))


def load_label(item: str) -> str:
    from loopbaanleren.data.codebook import load_codebook

    return load_codebook().label("students", item)


def test_shares_add_up_to_the_percentage_claims(data):
    claims = [load_registry().get(i) for i in ("rq1_s_buiten_telt_niet", "rq1_s_alleen_gelaten")]
    computed = evaluate_claims(Context(data), claims).set_index("id")["computed"]
    shares = answer_shares(data["students"], "students", [c["variable"] for c in claims])
    for claim in claims:
        row = shares.shares.loc[load_label(claim["variable"])]
        assert sum(row[EENS4[code - 1]] for code in claim["categories"]) == pytest.approx(computed[claim.id])


def test_small_cells_and_small_items_are_suppressed():
    frame = hand_answers({"le_alleen_gelaten": {1: 3, 2: 20, 3: 30}, "le_docent_schrijft_voor": {1: 2, 2: 1, 4: 1}})
    shares = answer_shares(frame, "students", ["le_alleen_gelaten", "le_docent_schrijft_voor"], min_cell=5)
    big, small = (load_label(i) for i in ("le_alleen_gelaten", "le_docent_schrijft_voor"))
    assert shares.n[big] == 53 and np.isnan(shares.n[small])
    assert shares.shares.loc[big, "mee oneens"] == pytest.approx(20 / 53)
    assert shares.shares.loc[big, ["helemaal mee oneens", "helemaal mee eens"]].isna().all()
    assert shares.shares.loc[small].isna().all()
    table = shares.table().set_index("vraag")
    marker = suppression_marker(5)
    assert str(table.loc[big, "mee oneens"]) == "38%" and str(table.loc[big, "n"]) == "53"
    assert table.loc[big, "mee oneens"].value == pytest.approx(20 / 53) and table.loc[big, "n"].value == 53
    assert table.loc[big, "helemaal mee eens"] == marker and set(table.loc[small]) == {marker}
    plot = shares.plot("Titel")
    labels = [" ".join(tick.get_text().split()) for tick in plot.figure.axes[0].get_yticklabels()]
    assert labels == [big] and "1 item" in plot.alt
    lines = [line for tick in plot.figure.axes[0].get_yticklabels() for line in tick.get_text().split("\n")]
    assert len(lines) > 1 and all(len(line) <= 40 for line in lines)
    with pytest.raises(InputError, match="are not answers"):
        shares.plot("Titel", order=["eens", "oneens"])


def test_combine_and_labels(data):
    parts = [
        answer_shares(data[p], p, ["slb_inhoud_bepaald"], labels={"slb_inhoud_bepaald": p}) for p in data
    ]
    both = combine(parts)
    assert list(both.shares.index) == ["students", "counsellors"]
    assert both.n["counsellors"] == data["counsellors"]["slb_inhoud_bepaald"].notna().sum()
    assert both.categories[0] == "vooral de studieloopbaanbegeleider"
    with pytest.raises(InputError, match="occur twice"):
        combine([parts[0], parts[0]])
    other = answer_shares(data["students"], "students", ["le_zelf_keuzes"])
    with pytest.raises(InputError, match="differ in answer categories"):
        combine([parts[0], other])


@pytest.mark.parametrize(
    ("population", "items", "error", "message"),
    [
        ("students", ["le_zelf_keuzes", "le_buiten_telt_mee"], InputError, "do not share one set"),
        ("students", ["bestaat_niet"], InputError, "'bestaat_niet' is not in the students codebook"),
        ("students", ["leeftijd"], InputError, "'leeftijd' has no answer categories"),
        ("docenten", ["le_zelf_keuzes"], ParameterError, "unknown population"),
        ("students", [], ParameterError, "no items"),
    ],
)
def test_bad_items_are_named(data, population, items, error, message):
    with pytest.raises(error) as raised:
        answer_shares(data["students"], population, items)
    assert message in str(raised.value)


def test_answers_outside_the_codes_are_an_input_error():
    frame = hand_answers({"le_zelf_keuzes": {0: 5, 1: 5, 7: 1}})
    with pytest.raises(InputError, match="has values 7 outside its answer codes"):
        answer_shares(frame, "students", ["le_zelf_keuzes"])


def test_mean_scores_match_hand_scale_scores_and_cr2(data):
    students = data["students"]
    items = students[[f"pg_{i}" for i in range(1, 6)]].copy()
    items["pg_5"] = 5 - items["pg_5"]  # reverse-keyed on the 1-4 scale
    score = items.mean(axis=1).where(items.notna().sum(axis=1) >= 3)
    table = mean_scores(students, "students", ["praktijkgericht", "slb_wat_bezighoudt"]).set_index("measure")
    for measure, values in (("praktijkgericht", score), ("slb_wat_bezighoudt", students["slb_wat_bezighoudt"])):
        keep = values.notna()
        x, groups = values[keep].to_numpy(), students.loc[keep, "hogeschool"].to_numpy()
        _, se, df = cr2_mean(x, groups)  # CR2 with Bell–McCaffrey df, by the dense hand computation
        half = stats.t.ppf(0.975, df) * se
        row = table.loc[measure]
        assert (row["n"], row["mean"]) == (len(x), pytest.approx(x.mean()))
        assert (row["ci_low"], row["ci_high"]) == (pytest.approx(x.mean() - half), pytest.approx(x.mean() + half))
    assert table.loc["praktijkgericht", "label"] == "Praktijkgerichte leeromgeving"


def test_mean_scores_suppress_a_measure_with_few_answers(data):
    few = data["counsellors"].copy()
    few.loc[few.index[12:], "netwerk_aandacht"] = np.nan
    table = mean_scores(few, "counsellors", ["netwerk_aandacht", "draagkracht"], min_cell=20).set_index("measure")
    assert table.loc["netwerk_aandacht", ["n", "mean", "ci_low", "ci_high"]].isna().all()
    assert table.loc["draagkracht", "n"] > 20


def test_population_differences_match_welch_and_hedges_g(data):
    table = population_differences(data, ["onderwerp_acties"]).iloc[0]
    scores = {p: mean_scores(data[p], p, ["onderwerp_acties"]) for p in data}
    assert table["mean_students"] == pytest.approx(scores["students"].loc[0, "mean"])
    from loopbaanleren.data.frames import analysis_frame

    x = analysis_frame(data["counsellors"], "counsellors")["onderwerp_acties"].dropna()
    y = analysis_frame(data["students"], "students")["onderwerp_acties"].dropna()
    welch = stats.ttest_ind(x, y, equal_var=False)
    assert table["diff"] == pytest.approx(x.mean() - y.mean())
    assert table["p"] == pytest.approx(welch.pvalue)
    assert (table["ci_low"], table["ci_high"]) == tuple(pytest.approx(v) for v in welch.confidence_interval())
    pooled = np.sqrt(((len(x) - 1) * x.var() + (len(y) - 1) * y.var()) / (len(x) + len(y) - 2))
    g = (x.mean() - y.mean()) / pooled * (1 - 3 / (4 * (len(x) + len(y)) - 9))
    assert table["hedges_g"] == pytest.approx(g, rel=1e-3)
    assert (table["n_students"], table["n_counsellors"]) == (len(y), len(x))
    with pytest.raises(InputError, match="no data of counsellors"):
        population_differences({"students": data["students"]}, ["onderwerp_acties"])


def test_reliability_flips_reverse_keyed_items_before_alpha(data):
    counsellors = data["counsellors"]
    items = counsellors[[f"bdv_{i}" for i in range(1, 5)]].dropna().copy()
    items["bdv_4"] = 5 - items["bdv_4"]
    k = items.shape[1]
    alpha = k / (k - 1) * (1 - items.var().sum() / items.sum(axis=1).var())
    table = reliability(counsellors, "counsellors", ["draagvlak", "draagkracht"], seed=1, n_boot=20).set_index("schaal")
    row = table.loc["Draagvlak (steun van vakdocenten en management)"]
    assert (row["items"], row["n"]) == (4, len(items))
    assert row["α"] == pytest.approx(alpha)
    assert 0 < row["ω"] <= 1 and str(row["95%-BI ω"]).startswith("[")
    low, high = (value for _, value, _ in row["95%-BI ω"].parts)
    assert low <= row["ω"] <= high
    with pytest.raises(InputError, match="not among the counsellors scales"):
        reliability(counsellors, "counsellors", ["praktijkgericht", "eigen_inbreng"], seed=1)
    with pytest.raises(InputError, match="'bdv_4' not found"):
        reliability(counsellors.drop(columns=["bdv_4"]), "counsellors", ["draagvlak"], seed=1)


def test_plot_levels_draws_the_midpoint_of_the_measures_range(data):
    scores = mean_scores(data["students"], "students", ["praktijkgericht", "vraaggericht"])
    plot = plot_levels(scores, "Niveaus", min_cell=10)
    ax = plot.figure.axes[0]
    assert ax.get_xlim() == (1, 4)
    assert [line.get_xdata()[0] for line in ax.get_lines() if line.get_linestyle() == "--"] == [2.5]
    with pytest.raises(InputError, match="different answer ranges"):
        plot_levels(pd.concat([scores, mean_scores(data["students"], "students", ["leeftijd"])]), "x", 10)


def test_nothing_to_show_gives_a_figure_that_says_so(data):
    few = data["counsellors"].head(5)
    shares = answer_shares(few, "counsellors", ["netwerk_aandacht"], min_cell=10)
    scores = mean_scores(few, "counsellors", ["draagkracht"], min_cell=10)
    for plot in (shares.plot("Netwerk"), plot_levels(scores, "Draagkracht", 10)):
        assert "Niet getoond" in plot.alt and "minder dan 10 respondenten" in plot.alt
        assert not plot.figure.axes[0].patches and not plot.figure.axes[0].get_lines()
    assert mean_table(scores, 10).loc[0, "gemiddelde"] == suppression_marker(10)
