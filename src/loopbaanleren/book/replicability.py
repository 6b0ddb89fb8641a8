"""The chapter 'Herhaalbaarheid' and the ledger's fair-chance column, from a planner result.

A planner result (:mod:`loopbaanleren.robustness.planner`) holds, per claim, size and scenario, the share of simulated
replications with each verdict. This module turns it into what the book shows: each claim's chance of being
reproduced at the original size and at the planned sizes, the sizes needed for 80%, mean curves per claim kind,
the false-reproduction rate under the null scenario, one Dutch sentence per research question, and for a build
on the user's data, whether each claim that was not reproduced had a fair chance at the user's sample size.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
import pandas as pd

from loopbaanleren.book.claim_labels import claim_label, claim_link
from loopbaanleren.claims.evaluate import QUALITATIVE_RQ
from loopbaanleren.data.registry import RQ_ORDER, Claim, is_derived, load_registry
from loopbaanleren.robustness.planner import (
    TARGET_POWER,
    PlannerResult,
    governing_n,
    interpolate_power,
    original_size,
    planned_claims,
    size_for_power,
)
from loopbaanleren.book.figures import INK, MIN_FONT_PT, PAGE_WIDTH, apply_style, legend_below, wrap_to_width
from loopbaanleren.book import cells
from loopbaanleren.book.formatting import fmt_n, fmt_pct
from loopbaanleren.book.verdict_text import KIND_NL, VERDICT_NL

COUNTED_NL = {"students": "studenten", "counsellors": "begeleiders", "both": "begeleiders"}
"""Which respondents a claim's size counts (see :func:`loopbaanleren.robustness.planner.governing_n`)."""


class Plot(NamedTuple):
    """A figure with its alternative text."""

    figure: object
    alt: str


def _claims(claims) -> list[Claim]:
    return list(claims if claims is not None else planned_claims())


def power_at(result: PlannerResult, claim: Claim, n_students: float, n_counsellors: float) -> float:
    """The chance that ``claim`` is reproduced at these sizes (calibrated scenario, log-linear in n)."""
    return interpolate_power(result.curve(claim.id), governing_n(claim.population, n_students, n_counsellors))


def null_rate_at(result: PlannerResult, claim: Claim, n_students: float, n_counsellors: float) -> float:
    """The chance that ``claim`` is reproduced under the null scenario (a false reproduction) at these sizes."""
    return interpolate_power(result.curve(claim.id, "null"), governing_n(claim.population, n_students, n_counsellors))


def needed_text(claim: Claim, result: PlannerResult, target: float = TARGET_POWER) -> str:
    """The size needed for ``target`` power, in Dutch: "1.234 studenten", "≤ 600 ..." or "> 4.820 ..."."""
    curve = result.curve(claim.id)
    needed, how = size_for_power(curve, target)
    who = COUNTED_NL[claim.population]
    if how == "beyond":
        return f"> {fmt_n(int(curve['n'].max()))} {who}" if len(curve) else "onbekend"
    return f"{'≤ ' if how == 'at_most' else ''}{fmt_n(int(math.ceil(needed)))} {who}"


SIZE_UNIT = "aantal respondenten (studenten of begeleiders, naar de bewering)"
RELATION = {"at_most": "≤", "beyond": ">"}


def needed_cell(claim: Claim, result: PlannerResult, target: float = TARGET_POWER) -> cells.Parts:
    """:func:`needed_text` as a table cell, downloaded as the size and its relation ("=", "≤" or ">")."""
    curve = result.curve(claim.id)
    needed, how = size_for_power(curve, target)
    size = (int(curve["n"].max()) if len(curve) else None) if how == "beyond" else int(math.ceil(needed))
    return cells.Parts((("aantal", size, SIZE_UNIT), ("vergelijking", RELATION.get(how, "="), "")),
                       needed_text(claim, result, target))


def sizes(result: PlannerResult) -> list[tuple[int, int]]:
    """The planned sizes (students, counsellors) of the calibrated scenario, in order."""
    table = result.table[result.table["scenario"] == "calibrated"]
    return sorted(dict.fromkeys(zip(table["n_students"].astype(int), table["n_counsellors"].astype(int))))


def claim_table(result: PlannerResult, claims=None) -> pd.DataFrame:
    """Per claim: its chance of being reproduced at the original size and each planned size, and the size
    needed for 80% (Dutch column names, values as text; each claim by its label, linked to the ledger: show the
    ``bewering`` column with ``report.link_html``)."""
    original = original_size()
    planned = sizes(result)
    rows = []
    for claim in _claims(claims):
        row = {"bewering": claim_link(claim.id), "vraag": claim.rq, "soort": KIND_NL.get(claim.kind, claim.kind)}
        row["oorspronkelijke omvang"] = cells.pct(power_at(result, claim, original.n_students, original.n_counsellors))
        for s, c in planned:
            share = result.share_reproduced(claim.id, s, c)
            row[f"{fmt_n(s)} / {fmt_n(c)}"] = "–" if share is None else cells.pct(share)
        row[f"nodig voor {fmt_pct(TARGET_POWER)}"] = needed_cell(claim, result)
        rows.append(row)
    return pd.DataFrame(rows)


def kind_shares(result: PlannerResult, scenario: str, n_students: int, n_counsellors: int, claims=None) -> pd.DataFrame:
    """Per claim kind at a planned size: the number of claims, the mean and the largest share of replications
    in which its claims were reproduced, and the Monte Carlo standard error of the mean.

    The claims of a kind are evaluated on the same replications, so their shares are correlated; the standard
    error given is the mean of the claims' standard errors, an upper bound of the mean's (it is exact when the
    claims always agree).
    """
    table = result.table
    part = table[(table["scenario"] == scenario) & (table["n_students"] == n_students)
                 & (table["n_counsellors"] == n_counsellors)].set_index("claim")
    rows = []
    for kind, members in _by_kind(_claims(claims)).items():
        found = part.loc[[c.id for c in members if c.id in part.index]]
        if found.empty:
            continue
        rows.append({"kind": kind, "claims": len(found), "share": float(found["share_reproduced"].mean()),
                     "max_share": float(found["share_reproduced"].max()), "se": float(found["se_reproduced"].mean())})
    return pd.DataFrame(rows, columns=["kind", "claims", "share", "max_share", "se"])


def kind_table(result: PlannerResult, claims=None) -> pd.DataFrame:
    """Per claim kind at the original size: the number of claims, their mean chance of being reproduced, how
    many reach 80%, and the mean false-reproduction rate under the null scenario (when the result has it), each
    mean with its Monte Carlo standard error (see :func:`kind_shares`)."""
    original = original_size()
    has_null = (result.table["scenario"] == "null").any()
    size = (original.n_students, original.n_counsellors)
    planned = size in set(zip(result.table["n_students"], result.table["n_counsellors"]))
    errors = {sc: kind_shares(result, sc, *size, claims).set_index("kind")["se"] if planned else pd.Series(dtype=float)
              for sc in ("calibrated", "null")}
    rows = []
    for kind, members in _by_kind(_claims(claims)).items():
        power = [power_at(result, c, original.n_students, original.n_counsellors) for c in members]
        row = {
            "soort": KIND_NL.get(kind, kind),
            "beweringen": len(members),
            "gemiddelde kans": _with_se(float(np.mean(power)), errors["calibrated"].get(kind)),
            f"minstens {fmt_pct(TARGET_POWER)}": sum(p >= TARGET_POWER for p in power),
        }
        if has_null:
            null = [null_rate_at(result, c, original.n_students, original.n_counsellors) for c in members]
            row["onterecht gereproduceerd (nulscenario)"] = _with_se(float(np.mean(null)), errors["null"].get(kind))
        rows.append(row)
    return pd.DataFrame(rows)


def _with_se(share: float, se: float | None) -> cells.Parts:
    """A share with its Monte Carlo standard error in percentage points, "4,5% (± 1,2)", downloaded as the share and
    its standard error (both proportions)."""
    text = fmt_pct(share, 1)
    missing = se is None or math.isnan(se)
    return cells.Parts((("aandeel", share, cells.SHARE), ("standaardfout", None if missing else se, cells.SHARE)),
                       text if missing else f"{text} (± {fmt_pct(se, 1).rstrip('%')})")


def false_reproduction_rate(result: PlannerResult, claims=None) -> float | None:
    """The mean share of replications in which a claim is reproduced under the null scenario, at the original
    size, over all claims that are not derived from others; None without a null scenario."""
    if not (result.table["scenario"] == "null").any():
        return None
    original = original_size()
    derived = dict(zip(result.table["claim"], result.table["derived"]))
    members = [c for c in _claims(claims) if not derived.get(c.id, False)]
    return float(np.mean([null_rate_at(result, c, original.n_students, original.n_counsellors) for c in members]))


def null_note(result: PlannerResult, claims=None) -> str:
    """What the column of false reproductions of :func:`kind_table` comes to, in Dutch: the kinds reproduced under
    the null scenario more often than the stored result's α at the original size, or the highest rate when none
    is; empty without a null scenario."""
    if not (result.table["scenario"] == "null").any():
        return ""
    original, alpha = original_size(), float(result.meta.get("alpha", 0.05))
    rates = {kind: float(np.mean([null_rate_at(result, c, original.n_students, original.n_counsellors) for c in members]))
             for kind, members in _by_kind(_claims(claims)).items()}
    above = {kind: rate for kind, rate in rates.items() if rate > alpha}
    if above:
        named = "; ".join(f"{KIND_NL.get(kind, kind)} {fmt_pct(rate, 1)}" for kind, rate in above.items())
        return (f"Vaker dan α = {fmt_pct(alpha)} onterecht gereproduceerd in het nulscenario: {named}. Een oordeel "
                "'gereproduceerd' van die soort is bij deze omvang geen sterk bewijs.")
    highest = max(rates, key=rates.get)
    return (f"Geen soort bewering wordt in het nulscenario vaker dan α = {fmt_pct(alpha)} onterecht gereproduceerd; "
            f"het vaakst {KIND_NL.get(highest, highest)}, met {fmt_pct(rates[highest], 1)}.")


def registry_counts(claims=None) -> dict[str, int]:
    """How the registry's claims (default: all of them) divide: ``all``, ``survey`` (the planner's), ``interviews``
    (the interview study's counts of codes), ``derived`` (hypotheses and claims that follow from others) and
    ``independent`` (all but the derived)."""
    claims = list(claims if claims is not None else load_registry())
    interviews = sum(c.rq == QUALITATIVE_RQ for c in claims)
    derived = sum(is_derived(c) for c in claims)
    return {"all": len(claims), "survey": len(claims) - interviews, "interviews": interviews, "derived": derived,
            "independent": len(claims) - derived}


def registry_text(counts: dict[str, int]) -> str:
    """How the registry's claims divide, in Dutch (:func:`registry_counts`): why the overview of all claims and the
    chapter 'Herhaalbaarheid' count different numbers."""
    return (f"Het register telt {fmt_n(counts['all'])} beweringen: {fmt_n(counts['survey'])} uit de enquête en "
            f"{fmt_n(counts['interviews'])} uit het interviewonderzoek. Daarvan zijn er {fmt_n(counts['derived'])} "
            f"afgeleid (de hypothesen en beweringen die uit andere volgen) en {fmt_n(counts['independent'])} "
            "zelfstandig. Het overzicht van de beweringen telt de zelfstandige; het hoofdstuk Herhaalbaarheid plant "
            "de beweringen uit de enquête, afgeleide meegerekend (de interviews tellen genoemde codes en hebben "
            "geen steekproefkans).")


def difficulty(result: PlannerResult, claim: Claim) -> tuple[float, float]:
    """How hard a claim is to reproduce: its chance at the original size (lower is harder), then the size it
    needs for 80% as a share of the original size (larger is harder; infinite beyond the planned sizes)."""
    original = original_size()
    counted = governing_n(claim.population, original.n_students, original.n_counsellors)
    needed, how = size_for_power(result.curve(claim.id))
    ratio = math.inf if how == "beyond" else needed / counted
    return power_at(result, claim, original.n_students, original.n_counsellors), -ratio


def hardest(result: PlannerResult, count: int = 5, claims=None) -> list[Claim]:
    """The ``count`` hardest claims (see :func:`difficulty`)."""
    return sorted(_claims(claims), key=lambda c: (difficulty(result, c), c.id))[:count]


def hardest_table(result: PlannerResult, count: int = 5) -> pd.DataFrame:
    """The hardest claims with their chance at the original size and the size they need for 80% (claims as in
    :func:`claim_table`)."""
    original = original_size()
    return pd.DataFrame([
        {"bewering": claim_link(c.id), "vraag": c.rq, "soort": KIND_NL.get(c.kind, c.kind),
         "kans bij de oorspronkelijke omvang": cells.pct(power_at(result, c, original.n_students, original.n_counsellors)),
         f"nodig voor {fmt_pct(TARGET_POWER)}": needed_cell(c, result)}
        for c in hardest(result, count)
    ])


def _by_kind(claims: list[Claim]) -> dict[str, list[Claim]]:
    groups: dict[str, list[Claim]] = {}
    for claim in claims:
        groups.setdefault(claim.kind, []).append(claim)
    return groups


SERIES = {
    "students": ("beweringen over studenten", "#0072b2", "o", "-"),
    "counsellors": ("beweringen over begeleiders (of beide)", "#d55e00", "s", "--"),
}
"""Per size that a claim counts: legend label, colour (Okabe–Ito, colour-blind safe), marker and line style."""

KIND_COLUMNS = 3
"""Panels side by side in :func:`kind_curves` (one panel per claim kind)."""


def kind_curves(result: PlannerResult, claims=None) -> Plot:
    """Mean chance of being reproduced per claim kind at each planned size: one panel per kind, in each the mean
    over its student claims (against the number of students) and over its counsellor claims (against the number of
    counsellors), one tick per planned size ("600 / 50"), the target as a dashed line, the legend under the panels."""
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D

    apply_style()
    sizes = [(int(size["n_students"]), int(size["n_counsellors"])) for size in result.meta.get("sizes", [])]
    if not sizes:
        sizes = list(dict.fromkeys(zip(result.table["n_students"].astype(int), result.table["n_counsellors"].astype(int))))
    groups = _by_kind(sorted(_claims(claims), key=lambda c: list(KIND_NL).index(c.kind) if c.kind in KIND_NL else 99))
    rows = -(-len(groups) // KIND_COLUMNS)
    fig = plt.figure(figsize=(PAGE_WIDTH, 1.3 + 1.75 * rows))
    panels = fig.subfigures()  # the panels and their labels; the legend gets room of its own below
    grid = panels.subplots(rows, KIND_COLUMNS, sharey=True, squeeze=False)
    for ax in grid.ravel()[len(groups):]:
        ax.remove()
    ticks = [f"{fmt_n(students)}\n{fmt_n(counsellors)}" for students, counsellors in sizes]
    title_width = PAGE_WIDTH / KIND_COLUMNS - 0.25
    described = []
    for ax, (kind, members) in zip(grid.ravel(), groups.items()):
        for who, (label, colour, marker, style) in SERIES.items():
            part = [c for c in members if (c.population == "students") == (who == "students")]
            curves = [curve for curve in (result.curve(c.id) for c in part) if len(curve)]
            if not curves:
                continue
            counted = [size[0] if who == "students" else size[1] for size in sizes]
            mean = np.array([np.mean([interpolate_power(curve, n) for curve in curves]) for n in counted])
            ax.plot(range(len(sizes)), mean, color=colour, marker=marker, linestyle=style, markersize=4, label=label)
            described.append(f"{KIND_NL.get(kind, kind)} ({COUNTED_NL[who]}) {fmt_pct(mean[-1])} bij "
                             f"{fmt_n(counted[-1])}")
        ax.axhline(TARGET_POWER, color=INK, linestyle=":", linewidth=1)
        ax.set_xticks(range(len(sizes)), labels=ticks)
        ax.set_xlim(-0.3, len(sizes) - 0.7)
        ax.set_ylim(-0.03, 1.03)
        ax.set_yticks([0, 0.5, 1])
        ax.set_title(wrap_to_width(f"{KIND_NL.get(kind, kind)} ({len(members)})", title_width, MIN_FONT_PT),
                     fontsize=MIN_FONT_PT, loc="left")
    panels.supylabel("kans op gereproduceerd", fontsize=MIN_FONT_PT + 1)
    panels.supxlabel("geplande omvang: studenten (boven) en begeleiders (onder)", fontsize=MIN_FONT_PT + 1)
    legend_below(fig, 1, handles=[
        *(Line2D([], [], color=colour, marker=marker, linestyle=style, markersize=4, label=label)
          for label, colour, marker, style in SERIES.values()),
        Line2D([], [], color=INK, linestyle=":", linewidth=1, label=f"beoogde kans ({fmt_pct(TARGET_POWER)})"),
    ])
    alt = (f"Gemiddelde kans op 'gereproduceerd' per soort bewering bij elke geplande steekproefomvang, één paneel "
           f"per soort, met een stippellijn bij {fmt_pct(TARGET_POWER)}: " + "; ".join(described) + ".")
    return Plot(fig, alt)


def rq_sentences(result: PlannerResult, claims=None) -> dict[str, str]:
    """One Dutch sentence per research question: how many of its claims reach 80% at the original size, and the
    hardest one with the size it would need."""
    original = original_size()
    members = _claims(claims)
    sentences = {}
    for rq in RQ_ORDER:
        part = [c for c in members if c.rq == rq]
        if not part:
            continue
        power = {c.id: power_at(result, c, original.n_students, original.n_counsellors) for c in part}
        enough = sum(p >= TARGET_POWER for p in power.values())
        worst = hardest(result, 1, part)[0]
        sentence = (f"{rq}: bij de oorspronkelijke omvang heeft {enough} van de {len(part)} beweringen minstens "
                    f"{fmt_pct(TARGET_POWER)} kans om gereproduceerd te worden; de moeilijkste, '{claim_label(worst.id)}' "
                    f"({KIND_NL.get(worst.kind, worst.kind)}), heeft daar {fmt_pct(power[worst.id])} kans en vraagt "
                    f"voor {fmt_pct(TARGET_POWER)} {needed_text(worst, result)}")
        sentences[rq] = sentence + "."
    return sentences


def fair_chance(ledger: pd.DataFrame, n_students: int, n_counsellors: int, result: PlannerResult) -> pd.DataFrame:
    """For every claim that was not reproduced or is undecided: its chance of being reproduced at the data's
    sizes (interpolated from the planner result) and whether that was a fair chance (at least 80%); claims as in
    :func:`claim_table`."""
    claims = {c.id: c for c in planned_claims()}
    rows = []
    for row in ledger.itertuples(index=False):
        if row.verdict not in ("not_reproduced", "undecided") or row.id not in claims:
            continue
        claim = claims[row.id]
        power = power_at(result, claim, n_students, n_counsellors)
        rows.append({
            "bewering": claim_link(row.id),
            "oordeel": VERDICT_NL[row.verdict],
            "omvang": cells.Shown(int(size := governing_n(claim.population, n_students, n_counsellors)),
                                  f"{fmt_n(int(size))} {COUNTED_NL[claim.population]}", SIZE_UNIT),
            "kans bij deze omvang": cells.pct(power),
            "eerlijke kans": "ja" if power >= TARGET_POWER else "nee",
            f"nodig voor {fmt_pct(TARGET_POWER)}": needed_cell(claim, result),
        })
    return pd.DataFrame(rows, columns=["bewering", "oordeel", "omvang", "kans bij deze omvang", "eerlijke kans",
                                       f"nodig voor {fmt_pct(TARGET_POWER)}"])
