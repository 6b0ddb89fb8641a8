"""Glue keys: the names under which a chapter stores a text that its pages paste (``{glue:text}`key```).

Every key is made by one function per family; this module is the only place where a family's key is spelled.
The families, as a page pastes them:

* ``<claim id>``, ``<claim id>_uitslag``, ``<claim id>_gepubliceerd``: a claim's value, its outcome (value,
  interval, p, verdict) and its published value (:func:`claim_key`, parts :data:`CLAIM_PARTS`);
* ``<rq>_n_claims``, ``<rq>_n_reproduced``: a research question's number of claims and of reproduced ones
  (:func:`rq_key`, e.g. ``rq1_n_reproduced``);
* ``<name>_anova``, ``<name>_contrast``, ``<name>_diagnostiek`` ...: the texts of a section builder under the name a
  notebook gives it (:func:`section_key`, parts :data:`SECTION_PARTS`; ``<model>_<predictor>`` is a hypothesis'
  group of cell claims, :func:`effect_group`);
* ``alpha``, ``min_cell``, ``n_students`` ...: the facts every chapter glues (:func:`fact_key`, :data:`FACTS`);
* ``samenvatting_<section>``: a section of the front page (:func:`summary_key`);
* a chapter's own number or sentence (``hh_r``, ``mv_n_specs``, ``rq4_gh_economie`` ...): spelled once, literally,
  in its notebook's code.
"""

from __future__ import annotations

CLAIM_PARTS = {"value": "", "outcome": "uitslag", "published": "gepubliceerd"}
"""The parts of a claim a page pastes, with the key's suffix (the value has none)."""
RQ_COUNTS = ("n_claims", "n_reproduced")
"""The counts of a research question's claims (claims that are not derived)."""
SECTION_PARTS = (
    "", "anova", "contrast", "klein", "diagnostiek", "robuustheid", "n_overeenkomst", "n_cellen",
    "hypothese_gevonden", "samenvatting",
)
"""The texts section builders glue under a notebook's name (see :mod:`loopbaanleren.book.sections`): a sector
comparison's Welch test and contrast, a cross table's cells and its small cells, a model's diagnostics and
robustness, a hypothesis' sign agreement, its found pattern and the summary of a group of its cell claims."""
FACTS = (
    "alpha", "min_cell", "marker", "marker_aanvullend", "n_students", "n_counsellors", "n_hogescholen",
    "equivalence_bound", "tost_level", "near_margin", "negligible_difference", "margin_icc", "margin_level",
    "margin_n_students", "margin_n_counsellors", "margin_clusters", "min_item_share", "n_getoetst", "schaal", "midden",
)
"""The facts a chapter glues under their own name: the build's (:func:`loopbaanleren.book.sections.build_facts`),
the number of tested claims of a chapter, and a measure's range and midpoint."""
SUMMARY_PREFIX = "samenvatting"


def _join(name: str, suffix: str) -> str:
    return f"{name}_{suffix}" if suffix else name


def claim_key(claim_id: str, part: str = "value") -> str:
    """The key of a claim's ``part`` (:data:`CLAIM_PARTS`).

    >>> claim_key("rq1_s_pg_onder"), claim_key("rq1_s_pg_onder", "outcome")
    ('rq1_s_pg_onder', 'rq1_s_pg_onder_uitslag')
    """
    if part not in CLAIM_PARTS:
        raise ValueError(f"claim_key({claim_id!r}, {part!r}): part is one of {', '.join(CLAIM_PARTS)}")
    return _join(claim_id, CLAIM_PARTS[part])


def rq_key(rq: str, count: str) -> str:
    """The key of a research question's ``count`` (:data:`RQ_COUNTS`): ``rq_key("RQ1", "n_claims") == "rq1_n_claims"``."""
    if count not in RQ_COUNTS:
        raise ValueError(f"rq_key({rq!r}, {count!r}): count is one of {', '.join(RQ_COUNTS)}")
    return _join(rq.lower(), count)


def section_key(name: str, part: str = "") -> str:
    """The key of a section builder's text ``part`` (:data:`SECTION_PARTS`) under the notebook's ``name``:
    ``section_key("rq1_s_pg", "anova") == "rq1_s_pg_anova"``; ``part=""`` is the name itself."""
    if part not in SECTION_PARTS:
        raise ValueError(f"section_key({name!r}, {part!r}): part is one of {', '.join(SECTION_PARTS)}")
    return _join(name, part)


def effect_group(model_id: str, predictor: str) -> str:
    """The name of a hypothesis' cell claims of one predictor: ``effect_group("h1", "helpend") == "h1_helpend"``."""
    return _join(model_id, predictor)


def fact_key(name: str) -> str:
    """The key of a fact (:data:`FACTS`): the name itself, checked."""
    if name not in FACTS:
        raise ValueError(f"fact_key({name!r}): not one of the facts {', '.join(FACTS)}")
    return name


def summary_key(section: str) -> str:
    """The key of a front-page block (``front_page.SECTIONS``): ``summary_key("management") == "samenvatting_management"``."""
    return _join(SUMMARY_PREFIX, section)
