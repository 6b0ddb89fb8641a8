"""Comparison of one measure across sectors: means per sector, Welch ANOVA, Games–Howell and a planned contrast.

:func:`compare_sectors` does the whole comparison for one population and one measure (a scale or a single
item of the codebook) on the survey data as read (see :func:`loopbaanleren.data.survey_files.read_survey`):

* ``means``: per sector n, mean and 95% CI (CR1 cluster-robust over hogescholen, t(G - 1)), for the sectors
  with at least ``min_cell`` respondents; the smaller ones are only named in ``suppressed``, and so are the
  ``complementary`` ones hidden so that no small one follows from the measure's total (secondary suppression,
  :func:`loopbaanleren.data.disclosure.complementary_cells`);
* ``anova``: Welch's F test over the shown sectors with η² and ω² (:func:`loopbaanleren.stats.groups.welch_anova`);
* ``posthoc``: Games–Howell pairs of the shown sectors (:func:`loopbaanleren.stats.groups.games_howell`);
* ``contrasts``: per focal sector, that sector against the sectors not named (cluster-robust), exactly the parts
  by which the claim evaluator judges a ``contrast`` claim (:func:`loopbaanleren.stats.groups.planned_contrast`), each
  with Hedges' g of the same two groups (:func:`loopbaanleren.stats.location.two_sample`).

:func:`sector_table` turns a comparison into the Dutch table the book shows (small sectors marked),
:func:`anova_text` and :func:`contrast_text` into Dutch sentences parts (a chapter glues them through
:func:`loopbaanleren.book.sections.sector_comparison`). Example::

    comparison = compare_sectors(data["students"], "students", "praktijkgericht", ("Techniek", "Economie"))
    show_figure(*comparison.plot("Praktijkgerichtheid per sector"))
    show_table(sector_table(comparison), caption=comparison.label)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from loopbaanleren import stats
from loopbaanleren.data.registry import load_registry
from loopbaanleren.data.codebook import load_codebook
from loopbaanleren.data.disclosure import complementary_cells, complementary_marker, suppression_marker
from loopbaanleren.errors import InputError, ParameterError
from loopbaanleren.stats.groups import WelchAnova
from loopbaanleren.stats.results import Contrast, TwoSample
from loopbaanleren.book.figures import Plot, group_means_plot
from loopbaanleren.book import cells
from loopbaanleren.book.formatting import MISSING, fmt_ci, fmt_n, fmt_num, fmt_p
from loopbaanleren.data.frames import analysis_frame
from loopbaanleren.book.items import suppressed_plot

FOCAL_NL = "focus"
OTHER_NL = "overig"


@dataclass(frozen=True)
class SectorComparison:
    """One measure compared across sectors (see the module docstring for the parts)."""

    population: str
    measure: str
    label: str
    group: str
    focal: tuple[str, ...]
    min_cell: int
    alpha: float
    means: pd.DataFrame
    suppressed: tuple[str, ...]
    anova: WelchAnova | None
    posthoc: pd.DataFrame
    contrasts: tuple[tuple[str, Contrast, TwoSample], ...]
    complementary: tuple[str, ...] = ()
    """The suppressed groups that are not small, hidden so that no small one follows from the measure's total."""

    @property
    def focal_nl(self) -> str:
        """The focal sectors in Dutch, e.g. ``"Techniek en Economie"``."""
        return _join_nl(self.focal)

    @property
    def midpoint(self) -> float:
        """The midpoint of the measure's answer scale."""
        measure = load_codebook().measure(self.population, self.measure)
        return (measure.valid_min + measure.valid_max) / 2

    def plot(self, title: str) -> Plot:
        """Mean and 95% CI per shown group against the scale midpoint (see :func:`figures.group_means_plot`).

        When every group is suppressed the figure only says so (:func:`loopbaanleren.book.items.suppressed_plot`).
        """
        if self.means.empty:
            return suppressed_plot(title, self.min_cell)
        measure = load_codebook().measure(self.population, self.measure)
        return group_means_plot(
            self.means, midpoint=self.midpoint, title=title, scale_range=(measure.valid_min, measure.valid_max)
        )


def compare_sectors(
    data: pd.DataFrame,
    population: str,
    measure: str,
    focal: Sequence[str] = (),
    min_cell: int = 10,
    alpha: float = 0.05,
    group: str | None = None,
    cluster: str | None = None,
    frame: pd.DataFrame | None = None,
) -> SectorComparison:
    """Compare ``measure`` of ``population`` across the groups of ``group`` (default: the registry's sector).

    ``data`` is the survey data as read (codes, missing values as NaN); scale scores and group labels are
    added here. ``focal`` names the groups (Dutch labels, e.g. ``("Techniek", "Economie")``) of the planned
    contrasts (each against the groups not named); without it there are none. Groups with fewer than ``min_cell``
    respondents on the measure, and the complementary groups that keep their number from following from the
    measure's total (:func:`loopbaanleren.data.disclosure.complementary_cells`), are left out of the means, the ANOVA and
    the post hoc tests; the contrast uses every
    respondent (as the claim evaluator does) and is left out when a focal group is that small or when
    every respondent is in a focal group. ``frame``: the analysis frame of ``data`` when already made (e.g.
    :attr:`loopbaanleren.claims.context.Context.frames`; it is not modified).
    """
    rules = load_registry().rules
    group = group or rules["sector_variable"]
    cluster = cluster or rules["cluster_variable"]
    frame = _labelled_frame(data, population, group, measure, frame)
    label = load_codebook().label(population, measure)
    unknown = [name for name in focal if name not in frame[group].cat.categories]
    if unknown:
        raise ParameterError(
            f"compare_sectors: focal group(s) {unknown} are not groups of {group!r}; "
            f"groups are {list(frame[group].cat.categories)}"
        )
    if not 0 < alpha < 1:
        raise ParameterError(f"compare_sectors: alpha must lie between 0 and 1, got {alpha!r}")
    suppression_marker(min_cell)  # checks min_cell

    all_means = stats.group_means(frame, measure, group, cluster=cluster)
    all_means = all_means[all_means["n"] > 0]
    extra = complementary_cells(all_means["n"].to_numpy(), min_cell)
    small = (all_means["n"] < min_cell) | extra
    suppressed = tuple(all_means.loc[small, "group"])
    means = all_means[~small].reset_index(drop=True)
    means.insert(1, "focal", means["group"].isin(focal))

    shown = frame[frame[group].isin(list(means["group"]))].copy()
    shown[group] = shown[group].cat.remove_unused_categories()
    anova, posthoc = None, pd.DataFrame()
    if len(means) >= 2:
        anova = stats.welch_anova(shown, measure, group)
        posthoc = stats.games_howell(shown, measure, group)

    contrasts = []
    sample = frame[[measure, group, cluster]].dropna()
    is_focal = sample[group].isin(focal)
    if focal and set(focal) <= set(means["group"]) and not is_focal.all():
        others = ~frame[group].isin(focal)
        for name in focal:
            part = stats.planned_contrast(frame[others | (frame[group] == name)], measure, group, [name], cluster)
            g = stats.two_sample(sample.loc[sample[group] == name, measure], sample.loc[~is_focal, measure])
            contrasts.append((name, part, g))
    return SectorComparison(
        population=population,
        measure=measure,
        label=label,
        group=group,
        focal=tuple(focal),
        min_cell=min_cell,
        alpha=alpha,
        means=means,
        suppressed=suppressed,
        anova=anova,
        posthoc=posthoc,
        contrasts=tuple(contrasts),
        complementary=tuple(all_means.loc[extra, "group"]),
    )


def significant_partners(comparison: SectorComparison) -> dict[str, list[str]]:
    """Per shown group, the groups it differs from by Games–Howell at ``alpha`` (in table order)."""
    partners: dict[str, list[str]] = {name: [] for name in comparison.means["group"]}
    for row in comparison.posthoc.itertuples(index=False):
        if row.p < comparison.alpha:
            partners[row.group_a].append(row.group_b)
            partners[row.group_b].append(row.group_a)
    order = list(comparison.means["group"])
    return {name: sorted(others, key=order.index) for name, others in partners.items()}


def sector_table(comparison: SectorComparison) -> pd.DataFrame:
    """The comparison as a Dutch table: one row per group, small groups marked instead of shown.

    Columns: the group's label, contrastgroep (focus/overig, only with focal groups), n, gemiddelde, 95%-BI
    and the groups that differ significantly by Games–Howell. Rows follow the group order.
    """
    marker = suppression_marker(comparison.min_cell)
    partners = significant_partners(comparison)
    differs = f"verschilt significant van (Games–Howell, α = {fmt_num(comparison.alpha)})"
    shown = {row.group: row for row in comparison.means.itertuples(index=False)}
    order = [name for name in _group_order(comparison) if name in shown or name in comparison.suppressed]
    rows = []
    for name in order:
        row = {"sector" if comparison.group == "sector" else comparison.group: name}
        if comparison.focal:
            row["contrastgroep"] = FOCAL_NL if name in comparison.focal else OTHER_NL
        if name in shown:
            mean = shown[name]
            row |= {
                "n": cells.count(mean.n),
                "gemiddelde": cells.num(mean.mean, unit=cells.SCALE_SCORE),
                "95%-BI": cells.ci(mean.ci_low, mean.ci_high, unit=cells.SCALE_SCORE),
                differs: ", ".join(partners[name]) or MISSING,
            }
        else:
            hidden = complementary_marker() if name in comparison.complementary else marker
            row |= dict.fromkeys(["n", "gemiddelde", "95%-BI", differs], hidden)
        rows.append(row)
    return pd.DataFrame(rows)


def anova_text(comparison: SectorComparison) -> str:
    """Welch's test in Dutch, e.g. ``"Welch-F(6; 1.021,3) = 45,20; p < 0,001; η² = 0,06; ω² = 0,05"``."""
    test = comparison.anova
    if test is None:
        return f"niet te toetsen (minder dan twee groepen met ten minste {comparison.min_cell} respondenten)"
    return (
        f"Welch-F({fmt_num(test.df1, 0)}; {fmt_num(test.df2, 1)}) = {fmt_num(test.f)}; {fmt_p(test.p)}; "
        f"η² = {fmt_num(test.eta2)}; ω² = {fmt_num(test.omega2)}"
    )


def contrast_text(comparison: SectorComparison) -> str:
    """Each focal group's planned contrast in Dutch: its mean, the mean of the groups not named, and Hedges' g
    (the tests themselves come from the claim)."""
    if not comparison.contrasts:
        return "geen contrast (geen focusgroep, een focusgroep te klein of geen andere groep)"
    noun = "sectoren" if comparison.group == "sector" else "groepen"
    others = f"de andere {noun}" if len(comparison.contrasts) == 1 else f"de niet genoemde {noun}"
    first = comparison.contrasts[0][1]
    parts = [
        f"{name} gemiddeld {fmt_num(contrast.mean_focal)} (n = {fmt_n(contrast.n_focal)}), "
        f"Hedges' g = {fmt_num(g.hedges_g)} {fmt_ci(g.hedges_g_ci_low, g.hedges_g_ci_high)}"
        for name, contrast, g in comparison.contrasts
    ]
    return f"{'; '.join(parts)}; {others} {fmt_num(first.mean_other)} (n = {fmt_n(first.n_other)})"


def _labelled_frame(
    data: pd.DataFrame, population: str, group: str, measure: str, frame: pd.DataFrame | None = None
) -> pd.DataFrame:
    """The analysis frame (``frame`` when already made) with ``group`` as labelled categories; the measure and
    group checked to exist."""
    codebook = load_codebook()
    where = f"compare_sectors({population!r}, {measure!r})"
    problems = []
    if population not in codebook.populations:
        raise ParameterError(f"{where}: unknown population; use one of {list(codebook.populations)}")
    try:
        codebook.measure(population, measure)
    except KeyError:
        problems.append(f"{where}: {measure!r} is no scale or variable of the {population} codebook")
    variable = codebook.variables(population).get(group)
    if variable is None or not variable.coded:
        problems.append(f"{where}: group {group!r} is no coded variable of the {population} codebook")
    if not isinstance(data, pd.DataFrame):
        problems.append(f"{where}: expected the survey data as a DataFrame, got {type(data).__name__}")
    if problems:
        raise InputError("\n".join(problems))
    if frame is None:
        try:
            frame = analysis_frame(data, population)
        except KeyError as missing:
            raise InputError(f"{where}: column {missing} not found in the survey data") from None
    if not isinstance(frame[group].dtype, pd.CategoricalDtype):
        labels = variable.values
        frame = frame.assign(**{group: pd.Categorical(frame[group].map(labels), categories=list(labels.values()))})
    if measure not in frame or frame[measure].notna().sum() == 0:
        raise InputError(f"{where}: the data hold no answers on {measure!r}")
    return frame


def _group_order(comparison: SectorComparison) -> list[str]:
    labels = load_codebook().variables(comparison.population)[comparison.group].values
    return list(labels.values())


def _join_nl(names: Sequence[str]) -> str:
    names = list(names)
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " en " + names[-1]
