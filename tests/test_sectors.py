"""The sector comparison against hand formulas (CR2 means, Welch's F, Games–Howell, Hedges' g) and the claims."""

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from simulated_helpers import simulated
from cr2_helpers import cr2_mean
from disclosure_helpers import assert_undetermined, feasible_intervals

from loopbaanleren.claims.context import Context
from loopbaanleren.book import formatting, sectors
from loopbaanleren.data.registry import load_registry
from loopbaanleren.data.codebook import load_codebook
from loopbaanleren.data.disclosure import complementary_marker, suppression_marker
from loopbaanleren.errors import InputError, ParameterError
from loopbaanleren.claims.evaluate import evaluate_claims
from loopbaanleren.data.frames import analysis_frame
from loopbaanleren.book.sectors import anova_text, compare_sectors, contrast_text, sector_table

SECTORS = list(load_codebook().variables("students")["sector"].values.values())
MIN_CELL = 20


@pytest.fixture(scope="module")
def data() -> dict[str, pd.DataFrame]:
    return simulated(7, 800, 150)


@pytest.fixture(scope="module")
def counsellors(data) -> pd.DataFrame:
    """Counsellors' scale scores with sector and hogeschool labels, computed independently of sectors.py."""
    return analysis_frame(data["counsellors"], "counsellors")


@pytest.fixture(scope="module")
def comparison(data) -> sectors.SectorComparison:
    return compare_sectors(data["counsellors"], "counsellors", "vraaggericht", ["Economie"], min_cell=MIN_CELL)


def shown_sectors(frame: pd.DataFrame, measure: str, hidden: tuple[str, ...] = ()) -> list[str]:
    counts = frame.dropna(subset=[measure])["sector"].value_counts()
    return [s for s in SECTORS if counts.get(s, 0) >= MIN_CELL and s not in hidden]


def test_small_sectors_are_left_out_and_marked(comparison, counsellors):
    counts = counsellors.dropna(subset=["vraaggericht"])["sector"].value_counts()
    small = [s for s in SECTORS if 0 < counts.get(s, 0) < MIN_CELL]
    assert small, "the fixture should have sectors below min_cell"
    extra = list(comparison.complementary)
    assert list(comparison.suppressed) == [s for s in SECTORS if s in small or s in extra]
    assert all(counts[s] >= MIN_CELL for s in extra)
    assert list(comparison.means["group"]) == shown_sectors(counsellors, "vraaggericht", comparison.complementary)
    assert set(comparison.posthoc[["group_a", "group_b"]].to_numpy().ravel()) == set(comparison.means["group"])
    table = sector_table(comparison).set_index("sector")
    assert list(table.index) == [s for s in SECTORS if counts.get(s, 0) > 0]
    marker = suppression_marker(MIN_CELL)
    for name in small:
        assert set(table.loc[name].drop("contrastgroep")) == {marker}
    for name in extra:
        assert set(table.loc[name].drop("contrastgroep")) == {complementary_marker()}
    assert not (table.drop(index=small) == marker).any().any()


def test_no_small_sector_follows_from_the_measures_total(comparison, counsellors):
    """The measure's n is shown elsewhere (the chapter's table of means): the hidden sectors sum to it minus the
    shown ones, and still each small sector can take every value below min_cell."""
    counts = counsellors.dropna(subset=["vraaggericht"])["sector"].value_counts()
    table = sector_table(comparison).set_index("sector")
    shown = pd.to_numeric(table["n"].str.replace(".", ""), errors="coerce").dropna()
    hidden_total = int(counts.sum() - shown.sum())
    small = [s for s in table.index if table.loc[s, "n"] == suppression_marker(MIN_CELL)]
    extra = [s for s in table.index if table.loc[s, "n"] == complementary_marker()]
    assert extra, "a complementary sector should be hidden"
    assert_undetermined(feasible_intervals(hidden_total, small, extra, MIN_CELL), small, MIN_CELL)


def test_sector_means_match_the_hand_cr2_interval(comparison, counsellors):
    for row in comparison.means.itertuples():
        part = counsellors[counsellors["sector"] == row.group].dropna(subset=["vraaggericht"])
        values, groups = part["vraaggericht"].to_numpy(), part["hogeschool"].astype(str).to_numpy()
        _, se, df = cr2_mean(values, groups)  # CR2 with Bell–McCaffrey df, by the dense hand computation
        half = stats.t.ppf(0.975, df) * se
        assert (row.n, row.mean) == (len(values), pytest.approx(values.mean()))
        assert (row.ci_low, row.ci_high) == (pytest.approx(values.mean() - half), pytest.approx(values.mean() + half))
        assert row.focal == (row.group == "Economie")


def test_welch_anova_over_the_shown_sectors_matches_welch_1951(comparison, counsellors):
    groups = [
        counsellors.loc[counsellors["sector"] == s, "vraaggericht"].dropna().to_numpy()
        for s in shown_sectors(counsellors, "vraaggericht", comparison.complementary)
    ]
    k = len(groups)
    n = np.array([len(g) for g in groups])
    means = np.array([g.mean() for g in groups])
    w = n / np.array([g.var(ddof=1) for g in groups])
    grand = np.sum(w * means) / w.sum()
    lam = np.sum((1 - w / w.sum()) ** 2 / (n - 1))
    f = (np.sum(w * (means - grand) ** 2) / (k - 1)) / (1 + 2 * (k - 2) / (k**2 - 1) * lam)
    df2 = (k**2 - 1) / (3 * lam)
    test = comparison.anova
    assert (test.f, test.df1, test.df2) == (pytest.approx(f), k - 1, pytest.approx(df2))
    assert test.p == pytest.approx(stats.f.sf(f, k - 1, df2))
    assert test.n == n.sum() and test.n_groups == k
    everything = np.concatenate(groups)
    eta2 = np.sum(n * (means - everything.mean()) ** 2) / np.sum((everything - everything.mean()) ** 2)
    assert test.eta2 == pytest.approx(eta2)
    assert anova_text(comparison).startswith(f"Welch-F({k - 1}; {formatting.fmt_num(df2, 1)}) = {formatting.fmt_num(f)}; ")


def test_significant_partners_follow_games_howell_by_hand(counsellors, data):
    wide = compare_sectors(data["counsellors"], "counsellors", "samenwerking", min_cell=MIN_CELL)
    names = shown_sectors(counsellors, "samenwerking", wide.complementary)
    groups = {s: counsellors.loc[counsellors["sector"] == s, "samenwerking"].dropna().to_numpy() for s in names}
    expected = {s: [] for s in names}
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            va, vb = groups[a].var(ddof=1) / len(groups[a]), groups[b].var(ddof=1) / len(groups[b])
            df = (va + vb) ** 2 / (va**2 / (len(groups[a]) - 1) + vb**2 / (len(groups[b]) - 1))
            q = abs(groups[a].mean() - groups[b].mean()) / np.sqrt((va + vb) / 2)
            if stats.studentized_range.sf(q, len(names), df) < 0.05:
                expected[a].append(b)
                expected[b].append(a)
    assert sum(map(len, expected.values())) > 0, "the fixture should have significant pairs"
    assert sectors.significant_partners(wide) == {s: sorted(v, key=names.index) for s, v in expected.items()}
    column = next(c for c in sector_table(wide) if c.startswith("verschilt significant"))
    assert "contrastgroep" not in sector_table(wide) and wide.contrasts == ()
    listed = sector_table(wide).set_index("sector").loc[names, column]
    assert list(listed) == [", ".join(sorted(v, key=names.index)) or formatting.MISSING for v in expected.values()]


def test_contrasts_are_the_claims_parts_with_hedges_g(data):
    frame = analysis_frame(data["students"], "students")
    claim = load_registry().get("rq1_s_pg_contrast_te")
    found = compare_sectors(data["students"], "students", "praktijkgericht", claim["focal"], min_cell=10)
    evaluated = evaluate_claims(Context(data), [claim]).iloc[0]
    deciding = max(found.contrasts, key=lambda part: part[1].value)[1]  # "lower": the part closest to zero decides
    assert deciding.value == pytest.approx(evaluated["computed"])
    assert (deciding.ci_low, deciding.ci_high) == (pytest.approx(evaluated["ci_low"]), pytest.approx(evaluated["ci_high"]))
    sample = frame.dropna(subset=["praktijkgericht"])
    other = sample.loc[~sample["sector"].isin(claim["focal"]), "praktijkgericht"]
    assert [name for name, _, _ in found.contrasts] == list(claim["focal"])
    for name, contrast, g_found in found.contrasts:
        focal = sample.loc[sample["sector"] == name, "praktijkgericht"]
        assert contrast.value == pytest.approx(focal.mean() - other.mean())
        pooled = np.sqrt(((len(focal) - 1) * focal.var() + (len(other) - 1) * other.var()) / (len(focal) + len(other) - 2))
        g = (focal.mean() - other.mean()) / pooled * (1 - 3 / (4 * (len(focal) + len(other)) - 9))
        assert g_found.hedges_g == pytest.approx(g, rel=1e-3)
        assert f"{name} gemiddeld {formatting.fmt_num(focal.mean())} (n = {len(focal)}), Hedges' g = {formatting.fmt_num(g)}" in contrast_text(found)
    assert found.focal_nl == "Techniek en Economie"
    assert contrast_text(found).endswith(f"de niet genoemde sectoren {formatting.fmt_num(other.mean())} (n = {len(other)})")


def test_a_small_focal_sector_gives_no_contrast(data, counsellors):
    counts = counsellors.dropna(subset=["praktijkgericht"])["sector"].value_counts()
    small = next(s for s in SECTORS if 0 < counts.get(s, 0) < MIN_CELL)
    found = compare_sectors(data["counsellors"], "counsellors", "praktijkgericht", [small], min_cell=MIN_CELL)
    assert found.contrasts == ()
    assert contrast_text(found).startswith("geen contrast")


def test_one_group_only_gives_no_test_and_no_contrast(data):
    economie = data["counsellors"].assign(sector=2.0)
    found = compare_sectors(economie, "counsellors", "vraaggericht", ["Economie"], min_cell=MIN_CELL)
    assert list(found.means["group"]) == ["Economie"] and found.anova is None and found.posthoc.empty
    assert found.contrasts == () and contrast_text(found).startswith("geen contrast")
    assert anova_text(found).startswith("niet te toetsen")
    assert sector_table(found).iloc[0, -1] == formatting.MISSING


def test_every_sector_below_min_cell_shows_nothing_but_markers(data):
    found = compare_sectors(data["counsellors"], "counsellors", "vraaggericht", ["Economie"], min_cell=1000)
    assert found.means.empty and found.anova is None and found.contrasts == ()
    assert "Niet getoond" in found.plot("Vraaggerichtheid").alt
    table = sector_table(found)
    assert (table.drop(columns=["sector", "contrastgroep"]) == suppression_marker(1000)).all().all()


def test_any_coded_variable_can_be_the_group(data, counsellors):
    found = compare_sectors(data["counsellors"], "counsellors", "draagkracht", ["vrouw"], group="geslacht")
    women = counsellors.loc[counsellors["geslacht"] == 2, "draagkracht"].dropna()
    assert list(found.means["group"]) == ["man", "vrouw"]
    assert found.means.set_index("group").loc["vrouw", "mean"] == pytest.approx(women.mean())
    assert "geslacht" in sector_table(found)


@pytest.mark.parametrize(
    ("arguments", "error", "message"),
    [
        ({"measure": "onbekend"}, InputError, "'onbekend' is no scale or variable"),
        ({"focal": ["Rechten"]}, ParameterError, "focal group(s) ['Rechten']"),
        ({"population": "docenten"}, ParameterError, "unknown population"),
        ({"min_cell": 0}, ParameterError, "min_cell"),
        ({"alpha": 1.5}, ParameterError, "alpha"),
        ({"group": "leeftijd"}, InputError, "no coded variable"),
    ],
)
def test_bad_arguments_are_named(data, arguments, error, message):
    call = {"population": "students", "measure": "praktijkgericht", "focal": ["Techniek"]} | arguments
    frame = data["students"] if call["population"] != "counsellors" else data["counsellors"]
    with pytest.raises(error) as raised:
        compare_sectors(frame, **call)
    assert message in str(raised.value)


def test_missing_columns_and_empty_measures_are_input_errors(data):
    with pytest.raises(InputError, match="not found in the survey data"):
        compare_sectors(data["students"].drop(columns=["pg_3"]), "students", "praktijkgericht")
    with pytest.raises(InputError, match="no answers on 'praktijkgericht'"):
        empty = data["students"].assign(**{f"pg_{i}": np.nan for i in range(1, 6)})
        compare_sectors(empty, "students", "praktijkgericht")
