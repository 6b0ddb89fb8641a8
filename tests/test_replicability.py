"""The chapter 'Herhaalbaarheid' and the ledger's fair-chance table, on a planner result with known shares."""

from __future__ import annotations

import copy

import pandas as pd
import pytest

import loopbaanleren.claims as claims_package
from loopbaanleren.robustness import planner
from loopbaanleren.book import replicability
from loopbaanleren.book.claim_labels import claim_label
from loopbaanleren.data.registry import load_registry
from loopbaanleren.book.report import ledger_href
from loopbaanleren.claims.verdicts import VERDICTS


def _result(claims, power_by_n, null_share=0.02):
    """A planner result in which every claim has the given chance of 'reproduced' at each paired size."""
    rows = []
    for claim in claims:
        for (s, c), power in power_by_n.items():
            for scenario, p in (("calibrated", power), ("null", null_share)):
                row = {"claim": claim.id, "rq": claim.rq, "kind": claim.kind, "population": claim.population,
                       "derived": False, "scenario": scenario, "n_students": s, "n_counsellors": c, "replications": 100}
                for verdict in VERDICTS:
                    row[f"share_{verdict}"] = p if verdict == "reproduced" else (1 - p if verdict == "undecided" else 0.0)
                    row[f"se_{verdict}"] = 0.0
                rows.append(row)
    return planner.PlannerResult(pd.DataFrame(rows), {"replications": 100, "seed": 5})


def test_power_at_sizes_and_what_is_needed():
    registry = load_registry()
    student, counsellor = registry.get("rq1_s_pg_onder"), registry.get("rq1_c_geen_netwerk")
    result = _result([student, counsellor], {(600, 50): 0.5, (4820, 371): 0.9})
    # students: log-linear in the number of students; counsellors: in the number of counsellors
    assert replicability.power_at(result, student, 1700, 9999) == pytest.approx(0.5 + 0.4 * 0.5, abs=0.01)
    assert replicability.power_at(result, counsellor, 600, 50) == pytest.approx(0.5)
    assert replicability.power_at(result, counsellor, 600, 371) == pytest.approx(0.9)
    # 80% is reached three quarters of the way from log 600 to log 4820
    needed = 600 * (4820 / 600) ** 0.75
    assert replicability.needed_text(student, result) == f"{int(needed) + 1:,} studenten".replace(",", ".")
    kinds = replicability.kind_table(result, [student, counsellor])
    assert list(map(str, kinds["onterecht gereproduceerd (nulscenario)"])) == ["2,0% (± 0,0)", "2,0% (± 0,0)"]
    assert kinds["onterecht gereproduceerd (nulscenario)"][0].parts[0][1] == pytest.approx(0.02)
    assert replicability.false_reproduction_rate(result, [student, counsellor]) == pytest.approx(0.02)


def test_curves_computed_once_equal_each_claims_power_curve():
    registry = load_registry()
    student, counsellor = registry.get("rq1_s_pg_onder"), registry.get("rq1_c_geen_netwerk")
    # (600, 50) and (600, 371) share the students' size: a student claim's curve averages them
    result = _result([student, counsellor], {(600, 50): 0.5, (600, 371): 0.6, (4820, 371): 0.9})
    for claim in (student, counsellor):
        for scenario in ("calibrated", "null"):
            expected = planner.power_curve(result.table, claim.id, scenario)
            pd.testing.assert_frame_equal(result.curve(claim.id, scenario), expected, check_exact=True)
    assert result.curve(student.id)["power"].tolist() == [0.55, 0.9]
    assert result.curve("no_such_claim").empty and planner.power_curve(result.table, "no_such_claim").empty
    assert result.share_reproduced(counsellor.id, 600, 371) == 0.6
    assert result.share_reproduced(counsellor.id, 600, 372) is None


def test_fair_chance_lists_claims_not_reproduced_with_their_power():
    registry = load_registry()
    claims = [registry.get("rq1_s_pg_onder"), registry.get("rq1_s_vg_onder"), registry.get("rq1_c_geen_netwerk")]
    result = _result(claims, {(600, 50): 0.5, (4820, 371): 0.9})
    ledger = pd.DataFrame({"id": [c.id for c in claims], "verdict": ["undecided", "reproduced", "not_reproduced"]})
    fair = replicability.fair_chance(ledger, 4820, 50, result)
    assert list(fair["bewering"]) == [(ledger_href(i), claim_label(i)) for i in ("rq1_s_pg_onder", "rq1_c_geen_netwerk")]
    assert list(map(str, fair["kans bij deze omvang"])) == ["90%", "50%"]
    assert [cell.value for cell in fair["kans bij deze omvang"]] == pytest.approx([0.9, 0.5])
    assert list(fair["eerlijke kans"]) == ["ja", "nee"]


def test_the_tables_and_sentences_name_claims_by_their_labels_linked_to_the_ledger():
    registry = load_registry()
    claims = [registry.get("rq1_s_pg_onder"), registry.get("rq1_c_geen_netwerk")]
    result = _result(claims, {(600, 50): 0.5, (4820, 371): 0.9})
    expected = [(ledger_href(c.id), claim_label(c.id)) for c in claims]
    assert list(replicability.claim_table(result, claims)["bewering"]) == expected
    stored = planner.load_result()
    hardest = [(ledger_href(c.id), claim_label(c.id)) for c in replicability.hardest(stored)]
    assert list(replicability.hardest_table(stored)["bewering"]) == hardest
    sentences = replicability.rq_sentences(result, claims)
    assert f"de moeilijkste, '{claim_label(replicability.hardest(result, 1, claims)[0].id)}'" in sentences["RQ1"]
    assert not any(c.id in sentence for c in claims for sentence in sentences.values())


def test_the_stored_result_covers_every_planned_claim_and_says_how_it_was_made():
    result = planner.load_result()
    assert set(result.table["claim"]) == {c.id for c in planner.planned_claims()}
    for key in ("replications", "seed", "sizes", "hogescholen", "scenarios", "key", "package_version"):
        assert key in result.meta
    assert set(result.table["replications"]) == {result.meta["replications"]}
    sentences = replicability.rq_sentences(result)
    assert list(sentences) == ["RQ1", "RQ2", "RQ3", "RQ4", "RQ5", "RQ6"]
    assert all(s.startswith(rq + ": bij de oorspronkelijke omvang heeft ") for rq, s in sentences.items())


def test_the_stored_result_is_precise_enough_and_its_null_scenario_rarely_reproduces():
    """R >= 200 per size and scenario, every Monte Carlo SE <= 0.035, and under the null scenario every claim
    kind (hypotheses included) reproduced in at most 5% of the replications on average, at every planned size.
    A result made with other claims, parameters or evaluators gives a warning here (and a note in the chapter)."""
    result = planner.load_result()
    planner.warn_if_stale(result)
    assert result.replications >= 200 and set(result.table["replications"]) == {result.replications}
    assert result.table.filter(like="se_").to_numpy().max() <= 0.035
    assert set(result.table["scenario"]) == {"calibrated", "null"}
    for size in result.meta["sizes"]:
        shares = replicability.kind_shares(result, "null", size["n_students"], size["n_counsellors"])
        assert "hypothesis" in set(shares["kind"])
        assert (shares["share"] <= 0.05).all(), (size, shares[shares["share"] > 0.05].to_string())


def test_a_result_is_keyed_on_what_changes_its_numbers_and_a_stale_one_warns(monkeypatch):
    current = {"replications": 200, "seed": 1, "sizes": [{"n_students": 600, "n_counsellors": 50}],
               "hogescholen": 5, "key": planner.result_key()}
    assert planner.stale_parts(current) == []
    assert set(current["key"]) == {"registry_sha256", "codebook_sha256", "simulation_sha256", "evaluator_version"}
    monkeypatch.setattr(claims_package, "EVALUATOR_VERSION", claims_package.EVALUATOR_VERSION + 1)
    stale = planner.PlannerResult(pd.DataFrame(), current)
    with pytest.warns(planner.StaleResultWarning, match="evaluator_version") as caught:
        assert planner.warn_if_stale(stale) == ["evaluator_version"]
    assert ("loopbaanleren plan --n-students 600 --n-counsellors 50 --replications 200 --seed 1 --hogescholen 5"
            in str(caught[0].message))
    monkeypatch.undo()
    load_yaml = planner.load_yaml

    def changed(name):  # one simulation parameter changed: the simulation part of the key changes, no other
        data = copy.deepcopy(load_yaml(name))
        if name == "simulation.yaml":
            data["item_missing_rate"] = 0.02
        return data

    monkeypatch.setattr(planner, "load_yaml", changed)
    assert planner.stale_parts(current) == ["simulation_sha256"]
    assert planner.stale_parts({}) == list(current["key"])


def test_the_chapter_is_in_the_book_and_states_r_and_seed(built_book):
    meta = planner.load_result().meta
    page = built_book.page("91_herhaalbaarheid")
    text = " ".join(page.get_text().split())
    assert "Herhaalbaarheid" in page.title.get_text()
    assert f"{meta['replications']} gesimuleerde datasets per omvang en scenario (seed {meta['seed']})" in text
    assert page.select("img[alt]") and "kans op 'gereproduceerd'" in page.select("img[alt]")[0]["alt"]
    assert all(rq + ": bij de oorspronkelijke omvang heeft" in text for rq in ("RQ1", "RQ6"))
    ledger = " ".join(built_book.page("90_claims").get_text().split())
    assert "Had elke bewering een eerlijke kans?" in ledger
    assert built_book.provenance["notebooks"]["91_herhaalbaarheid"]["status"] == "executed"
    assert built_book.rebuild["notebooks"]["91_herhaalbaarheid"]["status"] == "cached"


def test_kind_shares_are_means_over_the_kinds_claims_with_an_upper_bound_of_their_mc_se():
    registry = load_registry()
    a, b = registry.get("rq1_s_pg_onder"), registry.get("rq1_s_vg_onder")  # two level claims
    result = _result([a, b], {(600, 50): 0.5})
    table = result.table.copy()
    null = table["scenario"] == "null"
    table.loc[null & (table["claim"] == a.id), ["share_reproduced", "se_reproduced"]] = [0.02, (0.02 * 0.98 / 200) ** 0.5]
    table.loc[null & (table["claim"] == b.id), ["share_reproduced", "se_reproduced"]] = [0.06, (0.06 * 0.94 / 200) ** 0.5]
    shares = replicability.kind_shares(planner.PlannerResult(table, result.meta), "null", 600, 50)
    row = shares.set_index("kind").loc["level"]
    assert row["claims"] == 2 and row["share"] == pytest.approx(0.04) and row["max_share"] == pytest.approx(0.06)
    # the SE of a mean of two correlated shares is at most the mean of their SEs (Cauchy-Schwarz)
    assert row["se"] == pytest.approx(((0.02 * 0.98 / 200) ** 0.5 + (0.06 * 0.94 / 200) ** 0.5) / 2)
    assert replicability.kind_shares(result, "null", 1600, 125).empty
