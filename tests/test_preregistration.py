"""The preregistration: its JSON against its schema, its chances against the planner's table, the Dutch text, and
the check of a build against it (deviations reported, never an error)."""

from __future__ import annotations

import csv
import json

import jsonschema
import pytest
from build_helpers import run_cli

from loopbaanleren.build import preregistration, preregistration_check
from loopbaanleren.data.registry import load_registry
from loopbaanleren.errors import ParameterError
from loopbaanleren.robustness.planner import STORED
from loopbaanleren.book.preregistered import AS_PREREGISTERED
from loopbaanleren.build.preregistration import Sizes
from loopbaanleren.resources import resource_path

PLANNED = Sizes(1600, 125, 11)  # a size the stored planner result holds (at the study's 11 hogescholen)
OSF_SECTIONS = ("## 1. Hypothesen", "## 2. Opzet", "## 3. Steekproefplan", "## 4. Variabelen", "## 5. Analyseplan",
                "## 6. Inferentiecriteria", "## 7. Afwijkingen")


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    out = tmp_path_factory.mktemp("prereg")
    done = run_cli("preregister", "--n-students", PLANNED.n_students, "--n-counsellors", PLANNED.n_counsellors,
                   "--hogescholen", PLANNED.hogescholen, "--out", out)
    assert done.returncode == 0, done.stderr
    return out


def stored_row(claim_id: str, scenario: str) -> dict:
    with (STORED / "operating_characteristics.csv").open(encoding="utf-8") as fh:
        return next(r for r in csv.DictReader(fh) if r["claim"] == claim_id and r["scenario"] == scenario
                    and int(r["n_students"]) == PLANNED.n_students and int(r["n_counsellors"]) == PLANNED.n_counsellors)


def test_the_json_validates_against_its_schema_and_names_every_claim(written):
    document = json.loads((written / "preregistration.json").read_text(encoding="utf-8"))
    schema = json.loads(resource_path("preregistration.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(document, schema)
    assert [c["id"] for c in document["claims"]] == [c.id for c in load_registry()]
    registry_bytes = b"".join(
        name.encode() + b"\0" + resource_path(name).read_bytes() for name in ("claims.yaml", "claims_qualitative.yaml")
    )
    import hashlib

    assert document["hashes"]["registry"] == hashlib.sha256(registry_bytes).hexdigest()
    assert document["sizes"] == {"n_students": 1600, "n_counsellors": 125, "hogescholen": 11}


def test_the_chances_are_the_planners_at_the_planned_sizes(written):
    document = json.loads((written / "preregistration.json").read_text(encoding="utf-8"))
    assert document["planner"]["matched"] and document["planner"]["command"] is None
    for entry in document["claims"]:
        if entry["rq"] == "KWAL":
            assert entry["power"] is None  # the interview study does not depend on the survey's size
            continue
        row = stored_row(entry["id"], "calibrated")
        for verdict, chance in entry["power"].items():
            assert chance["share"] == pytest.approx(float(row[f"share_{verdict}"]), abs=1e-6)
            r = int(row["replications"])
            assert chance["mc_se"] == pytest.approx((chance["share"] * (1 - chance["share"]) / r) ** 0.5, abs=1e-5)
        assert sum(c["share"] for c in entry["power"].values()) == pytest.approx(1, abs=1e-5)
        null = stored_row(entry["id"], "null")
        assert entry["false_reproduction"]["reproduced"]["share"] == pytest.approx(float(null["share_reproduced"]), abs=1e-6)


def test_rules_bounds_alpha_and_families_follow_the_registry(written):
    document = json.loads((written / "preregistration.json").read_text(encoding="utf-8"))
    by_id = {c["id"]: c for c in document["claims"]}
    percentage = next(c for c in load_registry() if c.kind == "percentage" and c.population == "students")
    entry = by_id[percentage.id]
    # margin = z(0.995) * sqrt(2) * sqrt(p(1-p)) / sqrt(4820) * sqrt(1 + (4820/11 - 1) * 0.005), by hand
    from scipy.stats import norm

    p = percentage.published
    hand = norm.ppf(0.995) * 2**0.5 * (p * (1 - p)) ** 0.5 / 4820**0.5 * (1 + (4820 / 11 - 1) * 0.005) ** 0.5
    assert entry["bounds"]["margin"] == pytest.approx(hand, rel=1e-4)
    assert entry["family"] is None and entry["rule_family"] == "puntwaarde"
    null_effect = next(c for c in document["claims"] if c["kind"] == "null_effect")
    assert null_effect["family"] == {"method": "holm", "within": null_effect["rq"]}
    assert "90%-interval" in null_effect["rule"] and null_effect["bounds"]["equivalence_bound"] == 0.08
    assert {c["alpha"] for c in document["claims"]} == {0.05}


def test_the_dutch_text_has_the_osf_sections_and_every_claim(written):
    text = (written / "preregistratie.md").read_text(encoding="utf-8")
    positions = [text.index(section) for section in OSF_SECTIONS]
    assert positions == sorted(positions)
    assert "1.600 studenten en 125 studieloopbaanbegeleiders van 11 hogescholen" in text
    assert all(f"**{claim.id}**" in text for claim in load_registry())
    assert "Monte-Carlo-fout" in text


def test_sizes_the_planner_did_not_simulate_give_the_command_to_simulate_them(tmp_path):
    document = preregistration.make_preregistration(Sizes(1600, 125, 6))
    preregistration_check.validate(document)
    assert not document["planner"]["matched"]
    assert document["planner"]["command"] == (
        "loopbaanleren plan --n-students 1600 --n-counsellors 125 --hogescholen 6 --out planner-replicatie")
    assert all(c["power"] is None for c in document["claims"])
    assert "--hogescholen 6" in preregistration.markdown(document)


def test_bad_sizes_are_one_message_and_exit_code_2(tmp_path):
    done = run_cli("preregister", "--n-students", "5", "--alpha", "1.5", "--out", tmp_path)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "n_students: must be a whole number of at least 22" in done.stderr and "alpha" in done.stderr
    assert not (tmp_path / "preregistration.json").exists()


# ---------------------------------------------------------------------------------------------- the check

REACHED = {"n_students": 1600, "n_counsellors": 125, "hogescholen": 11}


def test_an_unchanged_registry_is_as_preregistered_for_every_claim(written):
    check = preregistration_check.check_build(written / "preregistration.json", 0.05, REACHED)
    assert set(check.per_claim.values()) == {AS_PREREGISTERED}
    assert len(check.per_claim) == len(load_registry()) and check.deviations == []
    assert all(size["met"] for size in check.record()["sizes"].values())


def test_a_changed_alpha_is_a_deviation_of_every_claim_not_an_error(written):
    check = preregistration_check.check_build(written / "preregistration.json", 0.01, REACHED)
    assert "α is 0,01 in plaats van 0,05" in check.deviations
    assert all(status.startswith("deviation: ") and "α 0,01" in status for status in check.per_claim.values())
    null_effect = next(c.id for c in load_registry() if c.kind == "null_effect")
    assert "regel gewijzigd" in check.per_claim[null_effect]  # its TOST interval is 98% now


def test_a_changed_rule_and_smaller_sizes_are_deviations(written, tmp_path):
    document = json.loads((written / "preregistration.json").read_text(encoding="utf-8"))
    changed = document["claims"][3]
    changed["rule"] = "een andere regel"
    tested = next(c for c in document["claims"] if c["family"] and c is not changed)
    tested["family"] = None
    (tmp_path / "p.json").write_text(json.dumps(document), encoding="utf-8")
    check = preregistration_check.check_build(tmp_path / "p.json", 0.05, {**REACHED, "n_counsellors": 100})
    assert check.per_claim[changed["id"]] == "deviation: regel gewijzigd"
    assert check.per_claim[tested["id"]] == "deviation: correctiefamilie gewijzigd"
    assert sum(status != AS_PREREGISTERED for status in check.per_claim.values()) == 2
    assert "n_counsellors: 100 in plaats van de geplande 125" in check.deviations
    assert check.record()["sizes"]["n_counsellors"] == {"planned": 125, "reached": 100, "met": False}


def test_a_file_that_is_not_a_preregistration_is_named(tmp_path):
    bad = tmp_path / "p.json"
    bad.write_text(json.dumps({"claims": []}), encoding="utf-8")
    with pytest.raises(ParameterError, match=r"p\.json: \(top\): 'schema_version' is a required property"):
        preregistration_check.read_preregistration(bad)


def test_the_pdf_is_printed_through_the_books_print_path(written):
    import shutil

    if not any(shutil.which(name) for name in ("chromium", "chromium-browser", "google-chrome")):
        pytest.skip("no Chromium on this machine")
    import pypdf

    pdf = preregistration.write_pdf(written / "preregistratie.md")
    text = "\n".join(page.extract_text() for page in pypdf.PdfReader(pdf).pages)
    assert all(section.removeprefix("## ") in text for section in OSF_SECTIONS)
    assert "rq1_s_pg_onder" in text.replace("\n", "")
