"""The qualitative study: coding frame, reading coded segments, frequencies, agreement, claims, notebook."""

from __future__ import annotations

import math
import re
from pathlib import Path

import pandas as pd
import pytest
import yaml

from loopbaanleren.book.claim_text import render
from loopbaanleren.book.qualitative_display import agreement_table
from loopbaanleren.claims.qualitative_analysis import ALL_CODES, cooccurrence, intercoder_agreement, mention_counts, presence_matrix
from loopbaanleren.claims.qualitative import evaluate_qualitative_claim, evaluate_qualitative_claims, load_qualitative_claims
from loopbaanleren.data.coding_frame import load_coding_frame
from loopbaanleren.data.segments import read_segments
from loopbaanleren.data.synthetic_segments import write_synthetic_segments
from loopbaanleren.errors import InputError, ParameterError
from loopbaanleren.data.synthetic_segments import PLACEHOLDER
from loopbaanleren.resources import resource_path

DATA = Path(__file__).parent / "data" / "qualitative"
FRAME = load_coding_frame()


@pytest.fixture(scope="module")
def small() -> pd.DataFrame:
    return read_segments(DATA / "small.csv")


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory) -> pd.DataFrame:
    path = write_synthetic_segments(tmp_path_factory.mktemp("kwal") / "interviews_synthetic.csv", seed=2026)
    return read_segments(path)


def message(exc: pytest.ExceptionInfo) -> str:
    return str(exc.value)


# --- coding frame -----------------------------------------------------------------------------------------

def test_frame_follows_the_summary():
    sizes = FRAME.codes.groupby("theme").size()
    assert sizes.to_dict() == {"waardering": 5, "meerwaarde": 4, "voorwaarde": 1, "elementen": 4,
                               "helpend": 6, "belemmerend": 7, "opbouw": 5}
    assert all(re.fullmatch(r"[a-z][a-z0-9_]*", code) for code in FRAME.codes.index)
    assert FRAME.codes["definition_nl"].str.len().min() > 10
    assert "niet openbaar" in FRAME.source
    steps = FRAME.steps()
    assert list(steps["step"]) == [1, 2, 3, 4, 5]
    assert steps["label_nl"].iloc[0] == "Dialoogsessie"
    assert steps["label_nl"].iloc[-1] == "Voornemens voor implementatie en borging"


def test_frame_resolves_ids_and_dutch_labels():
    assert FRAME.resolve("netwerk_buiten") == "netwerk_buiten"
    assert FRAME.resolve("  netwerk BUITEN de instelling ") == "netwerk_buiten"
    assert FRAME.resolve("Intervisie") == "intervisie"
    assert FRAME.resolve("Intervisie in het team") == "intervisie_team"
    assert FRAME.resolve("onbekend") is None


def test_bad_frame_lists_every_problem(tmp_path):
    bad = {"themes": [
        {"id": "t", "label_nl": "T", "definition_nl": "d", "codes": [
            {"id": "Aa", "label_nl": "A", "definition_nl": "d"},
            {"id": "b", "label_nl": "a", "definition_nl": "d"},
            {"id": "b", "label_nl": "C"},
        ]},
        {"id": "s", "label_nl": "S", "definition_nl": "d", "ordered": True, "codes": [
            {"id": "s1", "label_nl": "S1", "definition_nl": "d", "step": 1},
            {"id": "s2", "label_nl": "S2", "definition_nl": "d", "step": 3},
        ]},
    ]}
    path = tmp_path / "frame.yaml"
    path.write_text(yaml.safe_dump(bad), encoding="utf-8")
    with pytest.raises(InputError) as exc:
        load_coding_frame(path)
    lines = message(exc).splitlines()
    assert "frame.yaml, theme 't', code 'Aa': id must be ascii snake_case (a-z, 0-9, _)" in lines
    assert "frame.yaml, theme 't', code 'b': missing or empty 'definition_nl'" in lines
    assert "frame.yaml: duplicate code id: b" in lines
    assert "frame.yaml: duplicate code label: a" in lines
    assert any(line.startswith("frame.yaml, theme 's': ordered theme needs steps numbered 1..2") for line in lines)


def test_missing_frame_file():
    with pytest.raises(InputError, match="coding frame not found"):
        load_coding_frame("/nonexistent/frame.yaml")


# --- reading coded segments -------------------------------------------------------------------------------

def test_read_maps_labels_and_keeps_optional_columns(small):
    assert list(small.columns) == ["interview", "code", "coder", "segment", "segment_id"]
    assert len(small) == 9
    assert small["code"].tolist() == ["leerzaam", "leerzaam", "borging", "leerzaam", "netwerk_buiten",
                                      "borging", "netwerk_buiten", "intensief", "intensief"]
    assert small["coder"].isna().all()
    assert small["segment_id"].iloc[0] == "I1-1"


def test_read_semicolon_file_with_bom():
    segments = read_segments(DATA / "semicolon_bom.csv")
    assert segments["interview"].tolist() == ["I1", "I1", "I2", "I2"]
    assert segments["code"].tolist() == ["leerzaam", "borging", "meerwaarde_praktijk", "leerzaam"]
    assert segments["coder"].tolist() == ["C1", "C1", "C1", "C2"]


def test_read_cp1252_file():
    segments = read_segments(DATA / "cp1252.csv")
    assert segments["segment"].tolist() == ["De collega\u2019s zijn ge\u00efnterviewd", "caf\u00e9"]
    assert segments["code"].tolist() == ["leerzaam", "samenwerking_collegas"]


def test_unknown_codes_are_listed_with_lines():
    with pytest.raises(InputError) as exc:
        read_segments(DATA / "unknown_code.csv")
    assert message(exc) == (
        "unknown_code.csv, column 'code': 7 unknown code(s) in line(s) 3, 4, 5, 6, 7, 8, 9, 10: "
        "'foo', 'bar', 'baz', 'qux', 'quux', ... (7 in all) (use the code ids or labels of coding_frame.yaml)"
    )


def test_missing_interview_column():
    with pytest.raises(InputError) as exc:
        read_segments(DATA / "no_interview_column.csv")
    assert message(exc) == (
        "no_interview_column.csv: missing required column 'interview' (columns found: document, code)"
    )


@pytest.mark.parametrize(("name", "expected"), [
    ("empty.csv", "empty.csv: the file is empty"),
    ("header_only.csv", "header_only.csv: header only, no coded segments"),
])
def test_empty_and_header_only(name, expected):
    with pytest.raises(InputError) as exc:
        read_segments(DATA / name)
    assert message(exc) == expected


def test_all_cell_problems_in_one_message():
    with pytest.raises(InputError) as exc:
        read_segments(DATA / "empty_cells.csv")
    assert message(exc).splitlines() == [
        "empty_cells.csv, column 'interview': empty in line(s) 3",
        "empty_cells.csv, column 'code': empty in line(s) 4",
        "empty_cells.csv, column 'coder': empty in line(s) 5",
        "empty_cells.csv, column 'code': 1 unknown code(s) in line(s) 5: 'foo' "
        "(use the code ids or labels of coding_frame.yaml)",
    ]


def test_ragged_rows_and_missing_file(tmp_path):
    ragged = tmp_path / "ragged.csv"
    ragged.write_text("interview,code\nI1,leerzaam\nI2,leerzaam,extra\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"^ragged.csv: more fields than the header has \(2\) in line\(s\) 3$"):
        read_segments(ragged)
    with pytest.raises(InputError, match="file not found"):
        read_segments(tmp_path / "absent.csv")


def test_blank_coder_column_counts_as_absent(tmp_path):
    path = tmp_path / "blank_coder.csv"
    path.write_text("interview,code,coder\nI1,leerzaam,\nI2,plezierig, \n", encoding="utf-8")
    assert read_segments(path)["coder"].isna().all()


# --- frequencies and co-occurrence (hand-counted from small.csv) ------------------------------------------

def test_presence_and_counts(small):
    presence = presence_matrix(small)
    assert list(presence.columns) == ["I1", "I2", "I3", "I4"]
    assert list(presence.index) == FRAME.code_ids()
    assert presence.loc["leerzaam"].tolist() == [1, 1, 0, 0]
    assert presence.loc["borging"].tolist() == [1, 1, 0, 0]
    assert presence.loc["netwerk_buiten"].tolist() == [0, 1, 1, 0]
    assert presence.loc["intensief"].tolist() == [0, 0, 1, 1]
    assert presence.to_numpy().sum() == 8

    counts = mention_counts(small)
    assert counts.loc["leerzaam", "n_mentioned"] == 2
    assert counts.loc["plezierig", "n_mentioned"] == 0
    assert (counts["n_interviews"] == 4).all()
    themes = mention_counts(small, by="theme")
    assert themes["n_mentioned"].to_dict() == {"waardering": 4, "meerwaarde": 2, "voorwaarde": 0, "elementen": 2,
                                               "helpend": 0, "belemmerend": 0, "opbouw": 0}


def test_cooccurrence(small):
    co = cooccurrence(small)
    assert co.loc["leerzaam", "borging"] == 2
    assert co.loc["leerzaam", "netwerk_buiten"] == 1
    assert co.loc["leerzaam", "intensief"] == 0
    assert co.loc["netwerk_buiten", "intensief"] == 1
    assert co.loc["intensief", "intensief"] == 2
    assert (co.to_numpy() == co.to_numpy().T).all()
    themes = cooccurrence(small, by="theme")
    assert themes.loc["waardering", "elementen"] == 2
    assert themes.loc["waardering", "meerwaarde"] == 2
    assert themes.loc["elementen", "meerwaarde"] == 1
    assert themes.loc["waardering", "waardering"] == 4


def test_bad_level_and_unknown_coder(small):
    with pytest.raises(ParameterError, match="by must be one of code, theme"):
        mention_counts(small, by="interview")
    with pytest.raises(ParameterError, match="coder 'C9' does not occur"):
        presence_matrix(small, coder="C9")


# --- inter-coder agreement against hand computations -------------------------------------------------------

def two_coders(first: list[int], second: list[int], code: str = "leerzaam") -> pd.DataFrame:
    """Segments of two coders who both code every interview with 'plezierig' and code `code` as given."""
    rows = []
    for i, pair in enumerate(zip(first, second, strict=True)):
        for coder, present in zip(("C1", "C2"), pair, strict=True):
            rows.append({"interview": f"I{i:03d}", "code": "plezierig", "coder": coder})
            if present:
                rows.append({"interview": f"I{i:03d}", "code": code, "coder": coder})
    return pd.DataFrame(rows).assign(segment=None, segment_id=None)


def kappa_2x2(a: int, b: int, c: int, d: int) -> float:
    """Cohen's kappa from a 2x2 table: a both yes, b only first, c only second, d both no."""
    n = a + b + c + d
    p_o = (a + d) / n
    p_e = ((a + b) / n) * ((a + c) / n) + ((c + d) / n) * ((b + d) / n)
    return (p_o - p_e) / (1 - p_e)


def alpha_2x2(a: int, b: int, c: int, d: int) -> float:
    """Krippendorff's alpha (nominal, two coders, no missing) from the coincidence matrix of a 2x2 table."""
    n = 2 * (a + b + c + d)
    n_1, n_0 = 2 * a + b + c, 2 * d + b + c
    return 1 - (n - 1) * (b + c) / (n_0 * n_1)


def test_agreement_krippendorff_textbook_example():
    # Krippendorff (2011), "Computing Krippendorff's alpha-reliability", binary data, two observers: alpha = 0.095
    first = [0, 1, 0, 0, 0, 0, 0, 0, 1, 0]
    second = [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]
    table = intercoder_agreement(two_coders(first, second))
    row = table.loc["leerzaam"]
    assert row["n_interviews"] == 10
    assert row["agreement"] == pytest.approx(0.6)
    assert row["alpha"] == pytest.approx(1 - 19 * 4 / (14 * 6))
    assert round(row["alpha"], 3) == 0.095
    assert row["kappa"] == pytest.approx(0.04 / 0.44)  # p_o = 0.6, p_e = 0.2*0.4 + 0.8*0.6 = 0.56


def test_agreement_on_a_larger_table_and_degenerate_codes():
    a, b, c, d = 45, 15, 25, 15
    first = [1] * a + [1] * b + [0] * c + [0] * d
    second = [1] * a + [0] * b + [1] * c + [0] * d
    table = intercoder_agreement(two_coders(first, second))
    assert table.loc["leerzaam", "kappa"] == pytest.approx(kappa_2x2(a, b, c, d))
    assert table.loc["leerzaam", "kappa"] == pytest.approx(0.06 / 0.46)
    assert table.loc["leerzaam", "alpha"] == pytest.approx(alpha_2x2(a, b, c, d))
    assert table.loc["leerzaam", "alpha"] == pytest.approx(1 - 199 * 40 / (70 * 130))

    always, never = table.loc["plezierig"], table.loc["borging"]
    assert always["agreement"] == 1 and math.isnan(always["kappa"]) and math.isnan(always["alpha"])
    assert always["note"] == "applied_everywhere"
    assert never["agreement"] == 1 and math.isnan(never["kappa"])
    assert never["note"] == "applied_nowhere"
    shown = agreement_table(table).set_index("Code")["Opmerking"]
    assert shown[FRAME.codes.at["plezierig", "label_nl"]] == ("κ en α niet gedefinieerd: beide codeurs kennen de code "
                                                              "in alle interviews toe")
    assert "in geen enkel interview" in shown[FRAME.codes.at["borging", "label_nl"]]

    # pooled over 32 codes x 100 interviews: plezierig both-yes 100, leerzaam as above, 30 codes both-no
    n_codes = len(FRAME.codes)
    pooled = table.loc[ALL_CODES]
    assert pooled["kappa"] == pytest.approx(kappa_2x2(a + 100, b, c, d + (n_codes - 2) * 100))
    assert pooled["alpha"] == pytest.approx(alpha_2x2(a + 100, b, c, d + (n_codes - 2) * 100))


def test_agreement_uses_only_interviews_both_coded():
    segments = pd.concat([
        two_coders([1, 0, 1], [1, 0, 0]),
        pd.DataFrame({"interview": ["X1"], "code": ["leerzaam"], "coder": ["C1"]}),
    ])
    assert (intercoder_agreement(segments)["n_interviews"] == 3).all()


def test_agreement_without_two_coders(small):
    table = intercoder_agreement(small)
    assert (table["n_interviews"] == 0).all()
    assert table["kappa"].isna().all()
    three = two_coders([1], [1]).assign(coder=["C1", "C1", "C2", "C3"])
    with pytest.raises(ParameterError, match="3 coders"):
        intercoder_agreement(three)
    with pytest.raises(ParameterError, match="C9 do not occur"):
        intercoder_agreement(three, coders=("C1", "C9"))


# --- claims -----------------------------------------------------------------------------------------------

def test_claims_file_is_consistent_with_the_frame():
    claims = load_qualitative_claims()
    assert 10 <= len(claims) <= 20
    assert all(claim["rq"] == "KWAL" and claim["population"] == "alumni" for claim in claims)
    for claim in claims:
        codes = [claim["code"]] if "code" in claim else claim.get("codes", [])
        assert set(codes) <= set(FRAME.codes.index)
        assert claim.get("theme") is None or claim["theme"] in FRAME.themes.index


def test_claim_verdicts_on_hand_data(small):
    evaluate = evaluate_qualitative_claim
    base = {"id": "t", "rq": "KWAL", "population": "alumni", "sentence_nl": "zin"}
    result = evaluate(base | {"kind": "mentioned_by", "code": "leerzaam", "published": 2}, small)
    assert result | {"detail": render(result["detail"])} == {"computed": 2, "n": 4, "reproduced": True, "reason": None,
                                                             "detail": "Leerzaam: genoemd in 2 van 4 interviews"}
    assert evaluate(base | {"kind": "mentioned_by", "code": "leerzaam", "published": 4}, small)["reproduced"] is False
    assert evaluate(base | {"kind": "mentioned_by", "code": "leerzaam", "published": 3, "tolerance": 1},
                    small)["reproduced"] is True
    assert evaluate(base | {"kind": "mentioned_by", "theme": "waardering", "published": 4}, small)["computed"] == 4
    assert evaluate(base | {"kind": "n_interviews", "published": 10}, small)["reproduced"] is False

    three_codes = {"kind": "all_mentioned", "codes": ["leerzaam", "borging", "plezierig"], "at_least": 1}
    every = evaluate(base | three_codes, small)
    assert every["computed"] == 0 and every["reproduced"] is False
    assert render(every["detail"]).startswith("1 van 3 codes voldoen niet (Plezierig)")
    assert evaluate(base | {"kind": "all_mentioned", "theme": "elementen", "at_least": 1}, small)["reproduced"] is False

    unknown = evaluate(base | {"kind": "mentioned_by", "code": "eigen_code", "at_least": 1}, small)
    assert unknown["reproduced"] is None and unknown["computed"] is None
    assert render(unknown["reason"]) == "onbekend in het codeerschema: eigen_code"


def test_bad_claims_are_rejected(tmp_path, small):
    with pytest.raises(ParameterError) as exc:
        evaluate_qualitative_claim({"id": "x", "kind": "guess", "published": 1, "at_least": 1}, small)
    lines = message(exc).splitlines()
    assert "claim 'x': missing 'sentence_nl'" in lines
    assert "claim 'x': unknown kind 'guess' (known: n_interviews, mentioned_by, all_mentioned)" in lines
    assert "claim 'x': needs exactly one of 'published' or 'at_least'" in lines

    path = tmp_path / "claims.yaml"
    entry = {"id": "d", "rq": "KWAL", "population": "alumni", "sentence_nl": "z", "kind": "mentioned_by",
             "published": 1}
    path.write_text(yaml.safe_dump({"claims": [entry, entry | {"code": "leerzaam"}]}), encoding="utf-8")
    with pytest.raises(InputError) as exc:
        load_qualitative_claims(path)
    assert message(exc).splitlines() == [
        "claims.yaml: claim 'd': kind 'mentioned_by' needs exactly one of code, theme",
        "claims.yaml: duplicate claim id(s): d",
    ]


@pytest.mark.parametrize("seed", [2026, 7])
def test_all_claims_hold_on_synthetic_data(tmp_path, seed):
    segments = read_segments(write_synthetic_segments(tmp_path / "interviews_synthetic.csv", seed))
    verdicts = evaluate_qualitative_claims(segments)
    assert verdicts["reproduced"].tolist() == [True] * len(verdicts), verdicts[["computed", "detail"]]


# --- synthetic data ---------------------------------------------------------------------------------------

def test_synthetic_data_follows_its_model(synthetic):
    model = yaml.safe_load(resource_path("coding_frame.yaml").read_text(encoding="utf-8"))["synthetic_model"]
    assert sorted(synthetic["interview"].unique()) == [f"A{i:02d}" for i in range(1, 11)]
    first = mention_counts(synthetic, coder="C1")["n_mentioned"]
    assert first.to_dict() == model["mentioned_by"]
    assert synthetic.loc[synthetic["coder"] == "C2", "interview"].nunique() == model["double_coded"]
    assert (synthetic["segment"] == PLACEHOLDER).all()
    assert synthetic["segment_id"].is_unique


def test_synthetic_file_is_marked_and_deterministic(tmp_path):
    one = write_synthetic_segments(tmp_path / "a_synthetic.csv", seed=11)
    two = write_synthetic_segments(tmp_path / "b_synthetic.csv", seed=11)
    other = write_synthetic_segments(tmp_path / "c_synthetic.csv", seed=12)
    assert one.read_bytes() == two.read_bytes()
    assert one.read_bytes() != other.read_bytes()
    comments = pd.read_csv(one)["comment"].unique()
    assert comments.tolist() == ["synthetische data (seed 11); geen echte interviewgegevens"]
    with pytest.raises(ParameterError, match="must contain 'synthetic'"):
        write_synthetic_segments(tmp_path / "interviews.csv", seed=1)
    with pytest.raises(ParameterError, match="seed must be an integer"):
        write_synthetic_segments(tmp_path / "x_synthetic.csv", seed="1")


def test_bad_synthetic_model(tmp_path):
    data = yaml.safe_load(resource_path("coding_frame.yaml").read_text(encoding="utf-8"))
    del data["synthetic_model"]["mentioned_by"]["leerzaam"]
    data["synthetic_model"]["mentioned_by"]["borging"] = 11
    data["synthetic_model"]["disagreement"] = 2
    path = tmp_path / "frame.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ParameterError) as exc:
        write_synthetic_segments(tmp_path / "x_synthetic.csv", frame=load_coding_frame(path))
    assert message(exc).splitlines() == [
        "frame.yaml, synthetic_model: 'mentioned_by' lacks code 'leerzaam'",
        "frame.yaml, synthetic_model: mentioned_by 'borging' must be a whole number 0..10, got 11",
        "frame.yaml, synthetic_model: 'disagreement' must be a probability (0..1)",
    ]


# --- the chapter ------------------------------------------------------------------------------------------

def test_notebook_runs_on_a_users_file(tmp_path):
    papermill = pytest.importorskip("papermill")
    jupytext = pytest.importorskip("jupytext")
    notebook = Path(__file__).parents[1] / "notebooks" / "07_kwalitatief.py"
    source = tmp_path / "07.ipynb"
    jupytext.write(jupytext.read(notebook), source)
    out = tmp_path / "07_out.ipynb"
    papermill.execute_notebook(
        str(source), str(out), kernel_name="python3", progress_bar=False,
        parameters={"interviews_path": str(DATA / "small.csv"), "synthetic": False},
    )
    text = out.read_text(encoding="utf-8")
    assert "Synthetische data" not in text
    assert "Deze gegevens hebben geen twee codeurs" in text
    assert "fragment" not in text  # segment texts never reach the book
    assert "niet gereproduceerd" in text
