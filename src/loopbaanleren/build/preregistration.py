"""A preregistration of a replication, from the claims registry and the planner (checked against a build by
:mod:`loopbaanleren.build.preregistration_check`).

:func:`make_preregistration` describes, for planned sizes (students, counsellors, hogescholen) and a significance
level, every claim of the registry: its summary sentence, its rule in words (:func:`loopbaanleren.book.rule_tables.
reproduced_when`), its bounds, α and correction family, and its planned chance of each verdict at those sizes from
a planner result (:func:`loopbaanleren.robustness.planner.load_result`; the stored one unless another folder is named),
with the Monte Carlo standard error. A result that does not hold the planned sizes (or the planned number of
hogescholen) gives no chances but the command that computes them. The document also records the SHA-256 of the
registry, codebook, simulation parameters and evaluators and the package version. :func:`write_preregistration`
writes it as ``preregistration.json`` (validated against ``resources/preregistration.schema.json``) and as
``preregistratie.md``, in Dutch, in the sections of the OSF Preregistration template.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from datetime import date
from importlib.metadata import version
from pathlib import Path

from loopbaanleren.book.build_labels import ROLE_NL
from loopbaanleren.data.registry import RQ_ORDER, Claim, load_registry, original_design
from loopbaanleren.errors import ParameterError
from loopbaanleren.resources import resource_path
from loopbaanleren.book.verdict_text import VERDICT_NL
from loopbaanleren.claims.verdicts import VERDICTS, tost_level
from loopbaanleren.book.escape import markdown_text
from loopbaanleren.book.formatting import fmt_n, fmt_pct
from loopbaanleren.book.pdf import make_pdf
from loopbaanleren.data.codebook import load_codebook
from loopbaanleren.robustness import planner
from loopbaanleren.stats.margins import margin_point
from loopbaanleren.build.preregistration_check import (
    JSON_NAME, claim_hash, correction_family, file_hashes, is_near, number_text, rule_family, rule_text, validate,
)

MARKDOWN_NAME = "preregistratie.md"
SCHEMA_VERSION = 1
POINT_KINDS = ("percentage", "mean")
EFFECT_KINDS = ("effect", "null_effect")
PLANNER_SCENARIOS = {"calibrated": "power", "null": "false_reproduction"}
"""Planner scenarios and the JSON field of each claim that holds its shares."""


# ---------------------------------------------------------------------------------------------- claims


def bounds(claim: Claim, rules: dict) -> dict[str, object]:
    """The numbers a claim's verdict is judged against (registry and rules); a mean's margin follows from the
    standard deviation in the data and is given as its formula."""
    family = rule_family(claim)
    out: dict[str, object] = {}
    if claim.published is not None:
        out["published"] = claim.published
    if family is None:
        out["tolerance"] = claim.get("tolerance", 0)
        if claim.get("at_least") is not None:
            out["at_least"] = claim.get("at_least")
    elif family == "puntwaarde" and is_near(claim):
        out["margin_around_midpoint"] = rules["near_margin"]
    elif claim.kind == "percentage":
        n, clusters = original_design(claim.population if claim.population != "both" else "students")
        p = float(claim.published)
        rule = rules["margin"]
        out["margin"] = round(margin_point(math.sqrt(p * (1 - p)), n, clusters, rule["icc"], rule["level"]), 6)
    elif claim.kind == "mean":
        out["margin"] = "z * sqrt(2) * sd / sqrt(N) * sqrt(1 + (N / G - 1) * icc), sd uit de data"
        out.update(icc=rules["margin"]["icc"], level=rules["margin"]["level"])
    elif family == "geen effect" or claim.kind == "effect":
        out["equivalence_bound"] = rules["equivalence_bound"]
    elif family in ("richting", "rangorde"):
        out["negligible_difference"] = rules["negligible_difference"]
    for key in ("max_distance", "min", "max"):
        if claim.get(key) is not None:
            out[key] = claim.get(key)
    return out


VARIABLE_FIELDS = ("measure", "variable", "outcome", "predictor", "higher", "lower")
"""Fields of a claim's specification that name variables or scales of the codebook."""


def variables(claims) -> dict[str, dict[str, str]]:
    """Per population, the codebook's variables and scales the survey claims use, with their Dutch labels."""
    codebook = load_codebook()
    found: dict[str, dict[str, str]] = {}
    for claim in claims:
        if claim.population == "alumni":
            continue
        population = "students" if claim.population == "both" else claim.population
        for key in VARIABLE_FIELDS:
            value = claim.get(key)
            for name in value if isinstance(value, list) else [value] if value else []:
                variable = str(name).partition("=")[0]
                found.setdefault(population, {})[variable] = codebook.label(population, variable)
    return {population: dict(sorted(names.items())) for population, names in found.items()}


# ---------------------------------------------------------------------------------------------- planner


@dataclass(frozen=True)
class Sizes:
    """The planned sizes of a replication."""

    n_students: int
    n_counsellors: int
    hogescholen: int


def study_hogescholen() -> int:
    """The original study's number of hogescholen (the codebook's), which a planner result without a
    ``hogescholen`` column or entry was simulated with."""
    return original_design("students")[1]


def planner_command(sizes: Sizes, out: str = "planner-replicatie") -> str:
    """The command that computes the operating characteristics at the planned sizes."""
    command = f"loopbaanleren plan --n-students {sizes.n_students} --n-counsellors {sizes.n_counsellors}"
    if sizes.hogescholen != study_hogescholen():
        command += f" --hogescholen {sizes.hogescholen}"
    return command + f" --out {out}"


def planner_rows(result, sizes: Sizes):
    """The rows of a planner result at the planned sizes (every scenario), None when it does not hold them."""
    table = result.table
    if "hogescholen" in table.columns:
        hogescholen_match = table["hogescholen"].astype(int) == sizes.hogescholen
    else:
        hogescholen_match = result.meta.get("hogescholen", study_hogescholen()) == sizes.hogescholen
    rows = table[(table["n_students"] == sizes.n_students) & (table["n_counsellors"] == sizes.n_counsellors)
                 & hogescholen_match]
    return rows if len(rows) else None


def _shares(rows, claim_id: str, scenario: str) -> dict | None:
    part = rows[(rows["claim"] == claim_id) & (rows["scenario"] == scenario)]
    if part.empty:
        return None
    row = part.iloc[0]
    return {verdict: {"share": round(float(row[f"share_{verdict}"]), 6), "mc_se": round(float(row[f"se_{verdict}"]), 6)}
            for verdict in VERDICTS}


# ---------------------------------------------------------------------------------------------- document


def make_preregistration(sizes: Sizes, alpha: float = 0.05, planner_folder: str | Path | None = None) -> dict:
    """The preregistration of a replication at ``sizes`` and ``alpha`` (see the module's description)."""
    problems = [f"{name}: must be a whole number of at least {low}, got {value!r}"
                for name, value, low in (("n_students", sizes.n_students, planner.MIN_SIZE),
                                         ("n_counsellors", sizes.n_counsellors, planner.MIN_SIZE),
                                         ("hogescholen", sizes.hogescholen, 2))
                if isinstance(value, bool) or not isinstance(value, int) or value < low]
    if isinstance(alpha, bool) or not isinstance(alpha, (int, float)) or not 0 < alpha < 1:
        problems.append(f"alpha: must lie strictly between 0 and 1, got {alpha!r}")
    if problems:
        raise ParameterError("\n".join(problems))
    registry = load_registry()
    result = planner.load_result(planner_folder or planner.STORED)
    rows = planner_rows(result, sizes)
    planned = {
        "source": "stored" if planner_folder is None else str(planner_folder),
        "replications": result.replications,
        "seed": result.seed,
        "alpha": result.meta.get("alpha", 0.05),
        "evaluators_sha256": (f"evaluator_version {result.meta['key']['evaluator_version']}"
                              if "evaluator_version" in result.meta.get("key", {}) else None),
        "matched": rows is not None,
        "command": None if rows is not None else planner_command(sizes),
    }
    claims = []
    for claim in registry:
        entry = {
            "id": claim.id,
            "rq": claim.rq,
            "population": claim.population,
            "kind": claim.kind,
            "sentence": claim.sentence_nl,
            "rule_family": rule_family(claim),
            "rule": rule_text(claim, alpha, registry.rules),
            "bounds": bounds(claim, registry.rules),
            "alpha": alpha,
            "family": correction_family(claim, registry.rules),
            "claim_sha256": claim_hash(claim),
        }
        for scenario, key in PLANNER_SCENARIOS.items():
            entry[key] = _shares(rows, claim.id, scenario) if rows is not None else None
        claims.append(entry)
    return {
        "schema_version": SCHEMA_VERSION,
        "title": "Replicatie van Loopbaanleren in het hbo",
        "created": date.today().isoformat(),
        "package_version": version("loopbaanleren"),
        "sizes": {"n_students": sizes.n_students, "n_counsellors": sizes.n_counsellors, "hogescholen": sizes.hogescholen},
        "alpha": alpha,
        "tost_level": tost_level(alpha),
        "multiple_testing": registry.rules["multiple_testing"],
        "hashes": file_hashes(),
        "variables": variables(registry),
        "planner": planned,
        "claims": claims,
    }


def write_preregistration(document: dict, out: str | Path) -> tuple[Path, Path]:
    """Validate ``document`` and write ``preregistration.json`` and ``preregistratie.md`` into ``out``."""
    validate(document)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    json_path, md_path = out / JSON_NAME, out / MARKDOWN_NAME
    json_path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    md_path.write_text(markdown(document), encoding="utf-8")
    return json_path, md_path


# ---------------------------------------------------------------------------------------------- Dutch text


def _pct(share: float) -> str:
    return fmt_pct(share)


def _se(se: float) -> str:
    return f"{100 * se:.1f}".replace(".", ",")


BOUND_NL = {
    "published": "gepubliceerd", "margin": "marge", "margin_around_midpoint": "marge rond het schaalmidden",
    "equivalence_bound": "equivalentiegrens", "negligible_difference": "verwaarloosbaar verschil (schaalpunten)",
    "max_distance": "hoogstens boven het midden", "min": "ondergrens", "max": "bovengrens", "tolerance": "tolerantie",
    "at_least": "ten minste", "icc": "icc", "level": "niveau",
}


def chances_text(chances: dict | None) -> str:
    """The chance of each verdict with its Monte Carlo error, in Dutch."""
    if chances is None:
        return "niet berekend"
    return "; ".join(f"{VERDICT_NL[v]} {_pct(c['share'])} (±{_se(c['mc_se'])} pp)" for v, c in chances.items())


def claim_lines(entry: dict) -> list[str]:
    """One claim of the preregistration as a Markdown list item (registry text escaped as literal text)."""
    limits = "; ".join(f"{BOUND_NL.get(k, k)} {markdown_text(number_text(v))}" for k, v in entry["bounds"].items())
    family = entry["family"]
    correction = f"{family['method'].capitalize()} binnen {family['within']}" if family else "geen eigen toets"
    lines = [
        f"- **{entry['id']}**: {markdown_text(entry['sentence'])}",
        f"  - Regel ({entry['rule_family'] or 'telling'}): gereproduceerd als {markdown_text(entry['rule'])}.",
        f"  - Grenzen: {limits or 'geen'}. α = {number_text(entry['alpha'])}; correctie: {correction}.",
    ]
    if entry["rq"] != "KWAL":
        lines.append(f"  - Geplande kans op elk oordeel: {chances_text(entry['power'])}.")
        if entry["false_reproduction"] is not None:
            lines.append(f"  - Kans op een onterechte reproductie (nulscenario): "
                         f"{_pct(entry['false_reproduction']['reproduced']['share'])}.")
    return lines


def markdown(document: dict) -> str:
    """The preregistration in Dutch, in the sections of the OSF Preregistration template."""
    sizes, planned = document["sizes"], document["planner"]
    by_rq = {rq: [c for c in document["claims"] if c["rq"] == rq] for rq in RQ_ORDER}
    survey = [c for c in document["claims"] if c["rq"] != "KWAL"]
    size_text = (f"{fmt_n(sizes['n_students'])} studenten en {fmt_n(sizes['n_counsellors'])} "
                 f"studieloopbaanbegeleiders van {fmt_n(sizes['hogescholen'])} hogescholen")
    if planned["matched"]:
        decided = [c["power"]["reproduced"]["share"] for c in survey if c["power"]]
        enough = sum(share >= 0.8 for share in decided)
        power_text = (
            f"De kansen komen uit de planner ({fmt_n(planned['replications'])} gesimuleerde datasets per omvang, "
            f"seed {planned['seed']}): bij deze omvang is de kans op reproductie, als het model van het "
            f"oorspronkelijke onderzoek klopt, voor {fmt_n(enough)} van de {fmt_n(len(decided))} beweringen van de "
            "enquête ten minste 80%. Bij elke kans staat haar Monte-Carlo-fout, √(p(1 − p)/R), in procentpunten."
        )
        if planned["alpha"] != document["alpha"]:
            power_text += f" De planner rekende met α = {number_text(planned['alpha'])}, niet met de geplande α."
    else:
        power_text = (
            "Het planningsresultaat bevat deze omvang (of dit aantal hogescholen) niet; de geplande kansen per "
            "bewering ontbreken daarom. Bereken ze met\n\n"
            f"```bash\n{planned['command']}\n```\n\n"
            "en maak de preregistratie opnieuw met `--planner` naar de map van dat resultaat."
        )
    hashes = document["hashes"]
    lines = [
        f"# Preregistratie: {document['title']}",
        "",
        f"Gemaakt op {document['created']} met loopbaanleren {document['package_version']} "
        f"(`loopbaanleren preregister`). Geplande omvang: {size_text}; α = {number_text(document['alpha'])}.",
        "",
        "## 1. Hypothesen",
        "",
        f"De replicatie toetst de {fmt_n(len(document['claims']))} beweringen uit de samenvattingen van het "
        "oorspronkelijke onderzoek, elk met een vooraf vastgelegde beslisregel (sectie 6). Per onderzoeksvraag:",
        "",
        *(f"- {rq}: {fmt_n(len(claims))} beweringen" for rq, claims in by_rq.items() if claims),
        "",
        "## 2. Opzet",
        "",
        "Een vragenlijstonderzoek onder studenten en studieloopbaanbegeleiders in het hbo, met dezelfde "
        "vragenlijsten en het codeboek van het oorspronkelijke onderzoek; de respondenten zijn genest in "
        f"hogescholen ({fmt_n(sizes['hogescholen'])} gepland). Er worden geen condities toegewezen (observationeel "
        "onderzoek). De beweringen van het kwalitatieve onderzoek worden getoetst op gecodeerde interviews.",
        "",
        "## 3. Steekproefplan",
        "",
        f"Geplande omvang: {size_text}. {power_text}",
        "",
        "## 4. Variabelen",
        "",
        "Alle variabelen, items, schalen, codes en ontbrekende waarden staan in het codeboek (`codebook.yaml`, "
        f"SHA-256 `{hashes['codebook']}`); schaalscores zijn de gemiddelden van hun items zoals het codeboek ze "
        "definieert. De beweringen gebruiken deze variabelen en schalen:",
        "",
        *(f"- {ROLE_NL[population]}: " + "; ".join(f"`{name}` ({markdown_text(label)})" for name, label in names.items())
          for population, names in document["variables"].items()),
        "",
        "## 5. Analyseplan",
        "",
        "De analyse is de build van dit compendium (`loopbaanleren build --preregistration preregistration.json`) op "
        "de nieuwe data: gemiddelden, aandelen, contrasten en regressies met cluster-robuuste standaardfouten (CR2) "
        "en vrijheidsgraden volgens Bell en McCaffrey, omdat studenten en begeleiders genest zijn in hogescholen. "
        f"Vastgelegd: het register van beweringen (SHA-256 `{hashes['registry']}`), de simulatieparameters "
        f"(`{hashes['simulation']}`) en de evaluatoren (`{hashes['evaluators']}`).",
        "",
        "## 6. Inferentiecriteria",
        "",
        f"α = {number_text(document['alpha'])}. P-waarden worden gecorrigeerd met {document['multiple_testing'].capitalize()} "
        f"binnen elke onderzoeksvraag; een equivalentietoets gebruikt het {round(100 * document['tost_level'])}%-"
        "interval (TOST). Elke bewering krijgt één van vier oordelen: gereproduceerd, niet gereproduceerd, onbeslist "
        "of niet te berekenen. Per bewering de regel, de grenzen, α, de correctiefamilie en de geplande kans op elk "
        "oordeel:",
        "",
    ]
    for rq, claims in by_rq.items():
        if claims:
            lines += [f"### {rq}", ""]
            for entry in claims:
                lines += claim_lines(entry)
            lines.append("")
    lines += [
        "## 7. Afwijkingen",
        "",
        "Een build met `--preregistration preregistration.json` vergelijkt register, codeboek, evaluatoren, α, regels "
        "en correctiefamilies met deze preregistratie (via hun SHA-256) en gaat na of de geplande omvang is gehaald. "
        "Elke afwijking staat in het colofon, in `results/provenance.json` en per bewering in de kolom "
        "`preregistered` van `results/claims.csv`; een afwijking houdt de build niet tegen.",
        "",
    ]
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------- PDF

PDF_NAME = "preregistratie.pdf"


def write_pdf(markdown_path: str | Path, browser: str | None = None) -> Path:
    """Print ``preregistratie.md`` to ``preregistratie.pdf`` beside it through the book's print path
    (:func:`loopbaanleren.book.pdf.make_pdf`: headless Chromium, offline, the book's style sheet and Dutch hyphenation)."""
    import html as html_module
    import tempfile

    from markdown_it import MarkdownIt

    markdown_path = Path(markdown_path)
    body = MarkdownIt("commonmark").enable("table").render(markdown_path.read_text(encoding="utf-8"))
    title = html_module.escape(markdown_path.stem)
    with tempfile.TemporaryDirectory(prefix="preregistratie-") as folder:
        page = Path(folder)
        (page / "_static").mkdir()
        (page / "_static" / "loopbaanleren.css").write_bytes(resource_path("static/loopbaanleren.css").read_bytes())
        (page / "preregistratie.html").write_text(
            f'<!DOCTYPE html><html lang="nl"><head><meta charset="utf-8"><title>{title}</title>'
            '<link rel="stylesheet" href="_static/loopbaanleren.css"></head><body><main>'
            f'<article class="bd-article">{body}</article></main></body></html>',
            encoding="utf-8",
        )
        return make_pdf(page, ["preregistratie"], markdown_path.with_name(PDF_NAME), browser)
