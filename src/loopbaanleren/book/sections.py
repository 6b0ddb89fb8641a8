"""Section builders: the parts the chapters share, each computed once with its figures, tables and texts.

A survey chapter opens with :meth:`Chapter.open`: it reads both survey files, evaluates and glues the claims of
the research question(s) the chapter graph declares for it (:func:`loopbaanleren.book.chapter_claims.evaluate_chapter`,
``notebooks/chapters.yaml``) and glues the build-wide facts
(:func:`build_facts`) under one name each (:mod:`loopbaanleren.book.glue_keys`), so that every page pastes e.g.
``{glue:text}`alpha```. Each builder
then returns a :class:`Section`: its figures, its tables with their captions and the Dutch texts it glues;
``section.show()`` glues the texts and displays the figures and tables, in a cell of its own. Example::

    chapter = Chapter.open("01_leeromgeving", ChapterParams.of(globals()))  # after the parameters cell
    sector_comparison(chapter, "students", "praktijkgericht", ("Techniek", "Economie"), "rq1_s_pg").show()

The builders:

* :func:`levels`: mean scores against the scale midpoint (figure and/or table);
* :func:`shares`, :func:`shares_by_population` and :func:`statement_shares`: answer shares per question;
* :func:`sector_comparison`: one measure across sectors, with the Welch test and the planned contrast as text;
* :func:`regression_model`: a registry model's coefficients and its checks (chapters 3 and 4);
* :func:`hypothesis`: a hypothesis' models, sign pattern, robustness and predictions (chapters 5 and 6).

The data chapter's sections (files, mapping, distributions, reliabilities) are in
:mod:`loopbaanleren.book.data_sections`.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

import pandas as pd

from loopbaanleren.book import hypotheses, model_tables as regression
from loopbaanleren.book.chapter_claims import claims_table, evaluate_chapter, load_survey_data
from loopbaanleren.data.registry import load_registry
from loopbaanleren.data.codebook import MIN_ITEM_SHARE, POPULATIONS, load_codebook
from loopbaanleren.data.disclosure import complementary_marker, frequency_table, suppression_marker
from loopbaanleren.claims.context import Context
from loopbaanleren.data.registry import original_design
from loopbaanleren.book.figures import Plot, forest_plot, sign_matrix
from loopbaanleren.book.chapter_graph import chapter_graph
from loopbaanleren.book.items import (
    AnswerShares, answer_shares, combine, difference_table, mean_scores, mean_table, plot_levels,
    population_differences,
)
from loopbaanleren.book.own_data import not_measured_notice
from loopbaanleren.book.formatting import fmt_n, fmt_num, fmt_p, fmt_pct
from loopbaanleren.book.glue_keys import effect_group, fact_key, section_key
from loopbaanleren.book.figure_output import set_figure_source, show_figure
from loopbaanleren.book.report import glue_value, show_table, synthetic_notice
from IPython.display import Markdown, display
from loopbaanleren.book.sectors import (
    SectorComparison, anova_text, compare_sectors, contrast_text, sector_table, significant_partners,
)

STATEMENT_WIDTH = 45
"""Characters per line of a statement's text in a chart, so that the chart keeps room for its bars."""
NOT_COMPUTABLE = "niet te berekenen"


@dataclass(frozen=True)
class Table:
    """A table as a chapter shows it: the data, its caption and formatters for columns (e.g. ``{"p": fmt_p}``)."""

    data: pd.DataFrame
    caption: str
    formats: Mapping[str, Callable[[object], str]] | None = None


@dataclass(frozen=True)
class Section:
    """What one section shows: figures, then tables, and the Dutch texts glued for its prose.

    ``result`` is what the section computed (a :class:`~loopbaanleren.book.sectors.SectorComparison`, mean scores,
    model tables), for a sentence that only one chapter writes.
    """

    figures: tuple[Plot, ...] = ()
    tables: tuple[Table, ...] = ()
    texts: Mapping[str, str] = field(default_factory=dict)
    result: object = None
    notice: str = ""
    """One Dutch sentence shown instead of figures and tables when the data lack the section's measures."""

    def __post_init__(self) -> None:
        """Detach the figures from pyplot, so that the notebook's inline backend does not show them raw at the end
        of the cell that built the section; :meth:`show` renders them (a closed figure still saves)."""
        import matplotlib.pyplot as plt

        for plot in self.figures:
            plt.close(plot[0])

    def show(self) -> None:
        """Glue the texts and display the figures and then the tables."""
        for key, text in self.texts.items():
            glue_value(key, text, "text")
        if self.notice:
            display(Markdown(self.notice))
        for plot in self.figures:
            show_figure(*plot)
        for table in self.tables:
            show_table(table.data, caption=table.caption, formats=table.formats)


@dataclass(frozen=True)
class ChapterParams:
    """What a chapter notebook's parameters cell gives the package: the survey files, α, the smallest cell shown,
    the folder the claims are saved in ("" or None: not saved), whether the data are simulated, and the folder of
    the build's shared survey readings ("": none, see :func:`loopbaanleren.book.chapter_claims.load_survey_data`)."""

    students_path: str
    counsellors_path: str
    alpha: float = 0.05
    min_cell: int = 10
    results_dir: str | Path | None = None
    synthetic: bool = True
    shared_dir: str = ""

    @classmethod
    def of(cls, namespace: Mapping[str, object]) -> ChapterParams:
        """The parameters from a notebook's namespace (``globals()`` after its parameters cell, as papermill set
        it); other names are ignored, a parameter the cell does not declare keeps its default."""
        return cls(**{f.name: namespace[f.name] for f in fields(cls) if f.name in namespace})


@dataclass
class Chapter:
    """A survey chapter's data, its evaluated claims (:func:`loopbaanleren.claims.evaluate.evaluate_claims`) and rules,
    and the context they were evaluated on (prepared frames, fitted models and outcomes, shared by the sections)."""

    data: dict[str, pd.DataFrame]
    results: pd.DataFrame
    ctx: Context

    @classmethod
    def open(cls, name: str, params: ChapterParams) -> Chapter:
        """Read the data, evaluate, glue and save the claims of chapter ``name`` (its notebook's name, e.g.
        "03_slb") on a context of its own, glue the build-wide facts, show the notices.

        The chapter's research questions are those the chapter graph of the project it runs in declares
        (:meth:`loopbaanleren.book.chapter_graph.ChapterGraph.research_questions_of`; a
        :class:`~loopbaanleren.book.chapter_graph.GraphError` naming the chapter when it declares none), read before
        the data. Also glues ``n_getoetst``: how many of the chapter's claims were tested (and adjusted together by Holm).
        """
        rqs = chapter_graph().research_questions_of(name)
        data = open_data(params)
        ctx = Context(data, params.alpha, params.min_cell)
        results = evaluate_chapter(ctx, rqs, params.results_dir)
        glue_value(fact_key("n_getoetst"), int(results["p_adjusted"].notna().sum()), "n")
        notices(data, params.synthetic)
        return cls(data, results, ctx)

    @property
    def alpha(self) -> float:
        """The chapter's significance level (its context's)."""
        return self.ctx.alpha

    @property
    def min_cell(self) -> int:
        """The chapter's smallest cell shown (its context's)."""
        return self.ctx.min_cell

    def measured(self, population: str, names: Sequence[str]) -> list[str]:
        """``names`` without the measures the data of ``population`` do not have (see :mod:`loopbaanleren.book.own_data`)."""
        absent = self.data[population].attrs.get("absent_measures", [])
        return [name for name in names if name not in absent]


def is_absent(data: Mapping[str, pd.DataFrame], population: str, name: str) -> bool:
    """Whether the data of ``population`` lack the measure or item ``name`` (not asked, left empty, or the whole
    survey left out)."""
    frame = data[population]
    absent = set(frame.attrs.get("absent_measures", []))
    scales = load_codebook().scales(population)
    if frame.attrs.get("absent") or name in absent or (name not in scales and name not in frame):
        return True
    if name in scales:
        return all(is_absent(data, population, item) for item in scales[name].items)
    return any(name in scales[scale].items for scale in absent if scale in scales) or not frame[name].notna().any()


def absent_notice(population: str, names: Sequence[str]) -> str:
    """The one Dutch sentence a section shows instead of its figures and tables when its measures are absent."""
    codebook = load_codebook()
    named = ", ".join(f"{codebook.label(population, name).rstrip('.')} (`{name}`)" for name in names)
    return (f"*Niet gemeten:* de gegevens van de {codebook.population(population).label_nl} bevatten {named} niet; "
            "dit onderdeel wordt daarom niet getoond en de beweringen die het nodig hebben, zijn niet te berekenen.")


def lacking(data: Mapping[str, pd.DataFrame], needs: Mapping[str, Sequence[str]]) -> Section | None:
    """A section holding only the 'niet gemeten' sentence when the data lack any of ``needs`` (``{population:
    [measure, ...]}``), else None."""
    for population, names in needs.items():
        names = dict.fromkeys(str(name).split("=")[0] for name in names)  # a dummy 'geslacht=vrouw' needs 'geslacht'
        missing = [name for name in names if is_absent(data, population, name)]
        if missing:
            return Section(notice=absent_notice(population, missing))
    return None


def notices(data: Mapping[str, pd.DataFrame], synthetic: bool) -> None:
    """Display the notices above a chapter: synthetic data, and measures the data do not have."""
    synthetic_notice(synthetic)
    not_measured_notice(data)


def build_facts(data: Mapping[str, pd.DataFrame], alpha: float, min_cell: int) -> dict[str, str]:
    """The facts every page may cite, as Dutch text under one key each.

    ``alpha``, ``min_cell``, ``marker`` (what a suppressed cell shows) and ``marker_aanvullend`` (what a cell
    hidden so that a small one cannot be derived shows), ``n_students``, ``n_counsellors``
    and ``n_hogescholen`` (of the students), and from the registry's rules ``equivalence_bound``,
    ``tost_level`` (the 1 − 2α interval of the equivalence test), ``near_margin``, ``negligible_difference``,
    ``margin_icc`` and ``margin_level``; the original study's sizes the margins assume (``margin_n_students``,
    ``margin_n_counsellors``, ``margin_clusters``: the codebook's), and ``min_item_share``, the share of a
    scale's items a scale score needs (:data:`loopbaanleren.data.codebook.MIN_ITEM_SHARE`).
    """
    rules = load_registry().rules
    (students, clusters), (counsellors, _) = original_design("students"), original_design("counsellors")
    return {
        fact_key("alpha"): fmt_num(alpha),
        fact_key("min_cell"): fmt_n(min_cell),
        fact_key("marker"): suppression_marker(min_cell),
        fact_key("marker_aanvullend"): complementary_marker(),
        fact_key("n_students"): fmt_n(len(data["students"])),
        fact_key("n_counsellors"): fmt_n(len(data["counsellors"])),
        fact_key("n_hogescholen"): fmt_n(data["students"][rules["cluster_variable"]].nunique()),
        fact_key("equivalence_bound"): fmt_num(rules["equivalence_bound"]),
        fact_key("tost_level"): fmt_pct(1 - 2 * alpha),
        fact_key("near_margin"): fmt_num(rules["near_margin"]),
        fact_key("negligible_difference"): fmt_num(rules["negligible_difference"]),
        fact_key("margin_icc"): fmt_num(rules["margin"]["icc"]),
        fact_key("margin_level"): fmt_pct(rules["margin"]["level"]),
        fact_key("margin_n_students"): fmt_n(students),
        fact_key("margin_n_counsellors"): fmt_n(counsellors),
        fact_key("margin_clusters"): fmt_n(clusters),
        fact_key("min_item_share"): fmt_pct(MIN_ITEM_SHARE),
    }


def open_data(params: ChapterParams) -> dict[str, pd.DataFrame]:
    """Both survey files (:func:`loopbaanleren.book.chapter_claims.load_survey_data`), with the build-wide facts glued; the
    chapter's figures name these data in their captions (:func:`loopbaanleren.book.figure_output.set_figure_source`)."""
    data = load_survey_data(params.students_path, params.counsellors_path, params.shared_dir)
    set_figure_source(data)
    Section(texts=build_facts(data, params.alpha, params.min_cell)).show()
    return data


def small_cells(chapter: Chapter, population: str, rows: str, columns: str, key: str) -> Section:
    """How many cells a cross table of ``rows`` by ``columns`` has (``<key>``) and how many of them have fewer
    than ``min_cell`` respondents (``<key>_klein``): the reason a chapter leaves such a table out."""
    if lacking(chapter.data, {population: [rows, columns]}):
        return Section(texts={section_key(key): NOT_COMPUTABLE, section_key(key, "klein"): NOT_COMPUTABLE})
    frame = chapter.ctx.frame(population)
    cells = frequency_table(frame, rows, columns, chapter.min_cell)
    small = int((cells == suppression_marker(chapter.min_cell)).to_numpy().sum())
    return Section(texts={section_key(key): fmt_n(cells.size), section_key(key, "klein"): fmt_n(small)}, result=cells)


def claims(chapter: Chapter, caption: str, rows: pd.Series | None = None) -> Section:
    """The table of the chapter's claims (:func:`loopbaanleren.book.chapter_claims.claims_table`), or of ``rows`` (a mask)."""
    results = chapter.results if rows is None else chapter.results[rows]
    return Section(tables=(Table(claims_table(results), caption),))


def scale_facts(population: str, measure: str) -> Section:
    """A measure's answer range as ``schaal`` ("1 tot 4") and its midpoint as ``midden`` ("2,5")."""
    measure = load_codebook().measure(population, measure)
    return Section(texts={
        fact_key("schaal"): f"{measure.valid_min} tot {measure.valid_max}",
        fact_key("midden"): fmt_num((measure.valid_min + measure.valid_max) / 2, 1),
    })


def levels(
    chapter: Chapter, populations: str | Sequence[str], measures: Sequence[str], title: str | None = None,
    caption: str | None = None, labels: Mapping[str, str] | None = None,
) -> Section:
    """Mean scores of ``measures`` (:func:`loopbaanleren.book.items.mean_scores`) against the scale midpoint.

    With ``title`` a level plot, with ``caption`` the table of means; ``labels`` replaces the codebook's
    labels of some measures. The mean scores are the section's ``result``.
    """
    populations = [populations] if isinstance(populations, str) else list(populations)
    measured = {p: [m for m in measures if not is_absent(chapter.data, p, m)] for p in populations}
    if not any(measured.values()):
        return lacking(chapter.data, {p: measures for p in populations}) or Section()
    scores = pd.concat(
        [mean_scores(chapter.data[p], p, names, chapter.min_cell, chapter.ctx.frames.get(p))
         for p, names in measured.items() if names],
        ignore_index=True,
    )
    if labels:
        scores["label"] = [labels.get(measure, label) for measure, label in zip(scores["measure"], scores["label"])]
    figures = (plot_levels(scores, title, chapter.min_cell),) if title else ()
    tables = (Table(mean_table(scores, chapter.min_cell), caption),) if caption else ()
    return Section(figures, tables, result=scores)


def population_difference(
    chapter: Chapter, measures: Sequence[str], title: str, caption: str, keys: Mapping[str, str]
) -> Section:
    """Counsellors against students on ``measures`` (:func:`loopbaanleren.book.items.population_differences`).

    A level plot of both populations (``title``), the table of differences (``caption``), and Hedges' g of
    each measure in ``keys`` glued under ``keys[measure]``.
    """
    missing = lacking(chapter.data, {p: measures for p in POPULATIONS})
    if missing:
        return replace(missing, texts=dict.fromkeys(keys.values(), NOT_COMPUTABLE))
    differences = population_differences(chapter.data, measures, chapter.ctx.frames).set_index("measure", drop=False)
    both = levels(chapter, POPULATIONS, measures, title)
    texts = {key: fmt_num(differences.at[measure, "hedges_g"]) for measure, key in keys.items()}
    return Section(both.figures, (Table(difference_table(differences), caption),), texts, differences)


def _shares_section(answers: AnswerShares, title: str | None, caption: str | None, label_column: str,
                    order: Sequence[str] | None) -> Section:
    figures = (answers.plot(title, order),) if title else ()
    tables = (Table(answers.table(label_column), caption),) if caption else ()
    return Section(figures, tables, result=answers)


def shares(
    chapter: Chapter, population: str, items: Sequence[str], title: str | None = None, caption: str | None = None,
    labels: Mapping[str, str] | None = None, label_column: str = "vraag", order: Sequence[str] | None = None,
) -> Section:
    """Answer shares of ``items`` (:func:`loopbaanleren.book.items.answer_shares`): a chart with ``title``, a table
    with ``caption`` (first column ``label_column``); ``order`` runs from the most negative answer."""
    measured = [item for item in items if not is_absent(chapter.data, population, item)]
    if not measured:
        return lacking(chapter.data, {population: items}) or Section()
    answers = answer_shares(chapter.data[population], population, measured, chapter.min_cell, labels)
    return _shares_section(answers, title, caption, label_column, order)


def shares_by_population(chapter: Chapter, variable: str, title: str) -> Section:
    """Answer shares of one question asked to both populations, one row each: a chart and a table, both ``title``."""
    codebook = load_codebook()
    missing = lacking(chapter.data, {p: [variable] for p in POPULATIONS})
    if missing:
        return missing
    parts = [
        answer_shares(chapter.data[p], p, [variable], chapter.min_cell, {variable: codebook.population(p).label_nl})
        for p in POPULATIONS
    ]
    return _shares_section(combine(parts), title, title, "vraag", None)


def statement_items(population: str, measures: Sequence[str]) -> list[str]:
    """The items of ``measures`` in order: a scale's items, or the measure itself when it is a single item."""
    scales = load_codebook().scales(population)
    return [item for name in measures for item in (scales[name].items if name in scales else [name])]


def wrapped_labels(population: str, items: Sequence[str], width: int = STATEMENT_WIDTH) -> dict[str, str]:
    """The codebook's text of each item over lines of at most ``width`` characters."""
    codebook = load_codebook()
    return {item: textwrap.fill(codebook.label(population, item), width) for item in items}


def statement_shares(chapter: Chapter, population: str, measures: Sequence[str], title: str, caption: str) -> Section:
    """The answers to every statement of ``measures`` (see :func:`statement_items`): a chart and a table."""
    items = statement_items(population, measures)
    return shares(chapter, population, items, title, caption, wrapped_labels(population, items), "uitspraak")


def sector_comparison(
    chapter: Chapter, population: str, measure: str, focal: Sequence[str], key: str, title: str | None = None,
    partners: Mapping[str, str] | None = None,
) -> Section:
    """One measure across sectors (:func:`loopbaanleren.book.sectors.compare_sectors`): means per sector as a figure
    and a table, and the texts ``<key>_anova`` (Welch's test) and ``<key>_contrast`` (the focal sectors' means
    and Hedges' g). ``title`` defaults to "<measure> per sector (<population>)". ``partners`` maps a sector
    to a glue key for "k van de m": from how many of the other shown sectors it differs by Games–Howell."""
    missing = lacking(chapter.data, {population: [measure, "sector"]})
    if missing:
        keys = [section_key(key, "anova"), section_key(key, "contrast"), *(partners or {}).values()]
        return replace(missing, texts=dict.fromkeys(keys, NOT_COMPUTABLE))
    comparison: SectorComparison = compare_sectors(
        chapter.data[population], population, measure, focal, chapter.min_cell, chapter.alpha,
        frame=chapter.ctx.frames.get(population),
    )
    title = title or f"{comparison.label} per sector ({load_codebook().population(population).label_nl})"
    texts = {section_key(key, "anova"): anova_text(comparison), section_key(key, "contrast"): contrast_text(comparison)}
    differs, others = significant_partners(comparison), len(comparison.means) - 1
    for sector, name in (partners or {}).items():
        texts[name] = f"{len(differs.get(sector, []))} van de {others}"
    return Section((comparison.plot(title),), (Table(sector_table(comparison), title),), texts, comparison)


@dataclass(frozen=True)
class ModelSections:
    """A registry model as chapters 3 and 4 show it: ``coefficients`` (forest plot and table, with the texts
    ``<key>_diagnostiek`` and ``<key>_robuustheid``) and ``checks`` (residuals, fit, OLS next to the mixed model)."""

    coefficients: Section
    checks: Section
    tables: list[regression.ModelTable]


def regression_model(
    chapter: Chapter, model_id: str, key: str, title: str, roles: Sequence[str] = ("predictor",),
    strongest: Mapping[str, str] | None = None,
) -> ModelSections:
    """The model ``model_id`` per outcome, primary analysis OLS with CR2 errors; ``roles`` are the terms in the plot.

    ``strongest`` maps an outcome to a glue key for the label of its strongest predictor (largest ``|β|``).
    """
    spec = hypotheses.model_spec(model_id)
    missing = lacking(chapter.data, {spec["population"]: [*spec["outcomes"], *spec["predictors"]]})
    if missing:  # not fitted: no model without its predictors or outcomes
        keys = [section_key(key, "diagnostiek"), section_key(key, "robuustheid"), *(strongest or {}).values()]
        return ModelSections(replace(missing, texts=dict.fromkeys(keys, NOT_COMPUTABLE)), Section(), [])
    tables = regression.model_tables(chapter.ctx, model_id)
    overview = regression.robustness_overview(chapter.ctx, model_id)
    texts = {
        section_key(key, "diagnostiek"): regression.diagnostics_text(tables),
        section_key(key, "robuustheid"): regression.robustness_text(overview),
    }
    by_outcome = {table.outcome: table.coefficients for table in tables}
    for outcome, name in (strongest or {}).items():
        predictors = by_outcome[outcome][by_outcome[outcome]["role"] == "predictor"]
        texts[name] = predictors.loc[predictors["beta"].abs().idxmax(), "label"].lower()
    coefficients = Section(
        (forest_plot(regression.forest_frame(tables, roles=roles), title=title),),
        (Table(regression.coefficient_table(tables), "Gestandaardiseerde coëfficiënten (OLS met CR2-fouten)",
               {"p": fmt_p}),),
        texts,
    )
    checks = Section(
        (regression.residual_plot(tables),),
        (
            Table(regression.fit_table(tables), f"Fit en controles {'per model' if len(tables) > 1 else 'van het model'}",
                  {"Breusch–Pagan p": fmt_p}),
            Table(overview, "OLS met CR2-fouten (primaire analyse) naast het gemengde model (controle)"),
        ),
    )
    return ModelSections(coefficients, checks, tables)


@dataclass(frozen=True)
class HypothesisSections:
    """A hypothesis as chapters 5 and 6 show it, in the order of the page.

    ``forest`` (the coefficients per outcome; it also glues the texts), ``signs`` (published and found sign per
    cell), ``coefficients`` (predictors' coefficients and the models' fit), ``nesting`` (ICCs and the robustness
    checks) and ``predictions`` (the hypothesis' own predictions). When a predictor is not measured no model is
    fitted: ``forest``, ``coefficients`` and ``nesting`` are empty and their texts say "niet te berekenen".
    """

    forest: Section
    signs: Section
    coefficients: Section
    nesting: Section
    predictions: Section
    outcomes: list[str]
    """The model's outcomes that the data measure."""


def effect_groups(model_id: str) -> dict[str, list[str]]:
    """The model's cell claims grouped per predictor, under ``<model>_<predictor>`` (in the registry's order)."""
    groups: dict[str, list[str]] = {}
    for (predictor, _), claim in hypotheses.cell_claims(model_id).items():
        groups.setdefault(effect_group(model_id, predictor), []).append(claim.id)
    return groups


def hypothesis(
    chapter: Chapter, model_id: str, forest_title: str, predictor: tuple[str, str], outcome: tuple[str, str],
    groups: Mapping[str, Sequence[str]] | None = None,
) -> HypothesisSections:
    """The sections of hypothesis ``model_id`` (``"h1"``: registry model and claim ``h1_hypothese``).

    ``predictor`` and ``outcome`` name a predictor and an outcome in Dutch, singular and plural (e.g.
    ``("voorspeller", "voorspellers")``), for the captions. Texts glued: ``<model>_n_overeenkomst`` and
    ``<model>_n_cellen`` (cells whose found sign is the published one, of those judged),
    ``<model>_diagnostiek``, ``<model>_robuustheid``, ``<model>_hypothese_gevonden`` and, per group of
    cell claims (default :func:`effect_groups`), ``<group>_samenvatting`` (:func:`hypotheses.effect_summary`).
    """
    results, alpha = chapter.results, chapter.alpha
    number = model_id.lstrip("h")
    spec = hypotheses.model_spec(model_id)
    population, outcomes = spec["population"], chapter.measured(spec["population"], spec["outcomes"])
    tables = regression.model_tables(chapter.ctx, model_id)
    published, found = hypotheses.published_signs(model_id), hypotheses.found_signs(results, model_id, alpha)
    agree, judged = hypotheses.sign_agreement(published, found)
    robust = hypotheses.robustness(chapter.ctx, model_id) if tables else None
    texts = {
        section_key(model_id, "n_overeenkomst"): fmt_n(agree),
        section_key(model_id, "n_cellen"): fmt_n(judged),
        section_key(model_id, "diagnostiek"): regression.diagnostics_text(tables) if tables else NOT_COMPUTABLE,
        section_key(model_id, "robuustheid"): hypotheses.robustness_sentence(robust) if tables else NOT_COMPUTABLE,
        section_key(model_id, "hypothese_gevonden"): results.set_index("id").at[f"{model_id}_hypothese", "found_nl"],
    }
    for group, ids in (groups or effect_groups(model_id)).items():
        texts[section_key(group, "samenvatting")] = hypotheses.effect_summary(results, list(ids))
    signs = Section(
        (sign_matrix(hypotheses.labelled(published, population), hypotheses.labelled(found, population),
                     title=f"Hypothese {number}: teken per {predictor[0]} en {outcome[0]}"),),
        (Table(hypotheses.sign_table(published, found, population),
               f"Teken per {predictor[0]} en {outcome[0]} (gepubliceerd / gevonden)"),),
    )
    predictions = Section(tables=(Table(
        hypotheses.predictions_table(chapter.ctx, f"{model_id}_hypothese"),
        f"Voorspellingen van hypothese {number}: voorspeld teken, gepubliceerde en gevonden uitkomst, β",
        {"p (Holm)": fmt_p},
    ),))
    if not tables:
        return HypothesisSections(Section(texts=texts), signs, Section(), Section(), predictions, outcomes)
    ordinal = [hypotheses.short_label(population, t.outcome).lower() for t in tables
               if t.outcome not in load_codebook().scales(population)]
    robust_caption = (
        f"OLS met CR2-fouten naast het gemengde model en, voor {', '.join(ordinal)}, het ordinale logitmodel"
        if ordinal else "OLS met CR2-fouten (primaire analyse) naast het gemengde model (controle)"
    )
    return HypothesisSections(
        forest=Section((hypotheses.forest(tables, title=forest_title),), texts=texts),
        signs=signs,
        coefficients=Section(tables=(
            Table(regression.coefficient_table(tables, roles=("predictor",)),
                  f"Gestandaardiseerde coëfficiënten van de {predictor[1]} (OLS met CR2-fouten)", {"p": fmt_p}),
            Table(regression.fit_table(tables), "Fit en controles per model", {"Breusch–Pagan p": fmt_p}),
        )),
        nesting=Section(tables=(
            Table(hypotheses.icc_table(chapter.ctx, model_id), f"Intraklassecorrelatie van de {outcome[1]} tussen hogescholen"),
            Table(robust, robust_caption, {"p CR2": fmt_p, "p ander": fmt_p}),
        )),
        predictions=predictions,
        outcomes=outcomes,
    )
