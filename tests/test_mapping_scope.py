"""Every mapping rule is scoped and nothing is silent: trust and missing codes name their variables."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyreadstat
import pytest

from loopbaanleren.errors import InputError, ParameterError
from loopbaanleren.data.survey_files import read_survey
from loopbaanleren.data.mapping import Mapping, load_mapping


def _students(n: int = 40, seed: int = 3) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame({
        "resp_id": [f"r{i}" for i in range(n)],
        "hogeschool": rng.integers(1, 4, n).astype(float),
        "geslacht": rng.integers(1, 3, n).astype(float),
        "sector": rng.integers(1, 8, n).astype(float),
        "le_zelf_keuzes": rng.integers(0, 2, n).astype(float),
        "le_kiezen_opdrachten": rng.integers(0, 2, n).astype(float),
        "we_3": rng.integers(1, 5, n).astype(float),
    })


SECTORS = {1: "Agrarisch", 2: "Economie", 3: "Gedrag & Maatschappij", 4: "Kunst & Cultuur", 5: "Onderwijs",
           6: "Techniek", 7: "Zorg & Welzijn"}


@pytest.fixture()
def reversed_sav(tmp_path) -> tuple[Path, pd.DataFrame]:
    """A .sav whose gender codes are reversed (1 = vrouw) and whose sector codes are shuffled, labelled as such."""
    truth = _students()
    shuffle = {1: 3, 2: 1, 3: 2, 4: 5, 5: 4, 6: 7, 7: 6}  # codebook code -> the file's code
    export = truth.copy()
    export["geslacht"] = 3 - truth["geslacht"]
    export["sector"] = truth["sector"].map(shuffle).astype(float)
    path = tmp_path / "students.sav"
    pyreadstat.write_sav(export, path, variable_value_labels={
        "geslacht": {1: "vrouw", 2: "man"},
        "sector": {shuffle[code]: label for code, label in SECTORS.items()},
    })
    return path, truth


def test_whole_file_trust_on_reversed_labels_is_refused_naming_the_variables(reversed_sav):
    path, _ = reversed_sav
    with pytest.raises(InputError) as err:
        read_survey(path, "students", Mapping(trust_labels=True))
    message = str(err.value)
    assert "trust_labels: true would accept the codes of geslacht, sector" in message
    assert "recode: {geslacht: {1: 2, 2: 1}" in message


def test_a_label_disagreement_proposes_the_recode_that_reads_the_data_right(reversed_sav):
    path, truth = reversed_sav
    with pytest.raises(InputError) as err:
        read_survey(path, "students")
    lines = [line for line in str(err.value).splitlines()[1:] if not line.startswith("warning:")]
    assert len(lines) == 2 and all("another order" in line for line in lines)
    proposal = next(line for line in lines if "'geslacht'" in line)
    assert "recode: {geslacht: {1: 2, 2: 1}}" in proposal
    sector = next(line for line in lines if "'sector'" in line)
    recode = sector.split("recode: {sector: ")[1].split("}}")[0] + "}"
    import yaml

    rules = Mapping(recode={"geslacht": {1: 2, 2: 1}, "sector": yaml.safe_load(recode)})
    data = read_survey(path, "students", rules)
    pd.testing.assert_series_equal(data["geslacht"], truth["geslacht"])
    pd.testing.assert_series_equal(data["sector"], truth["sector"])


def test_trust_by_name_accepts_that_variable_only_and_says_so(reversed_sav):
    path, _ = reversed_sav
    with pytest.raises(InputError) as err:
        read_survey(path, "students", Mapping(trust_labels=["geslacht"]))
    assert "'sector'" in str(err.value) and "'geslacht'" not in str(err.value)
    with pytest.raises(InputError, match="another order"):  # '*' trusts wording, never another order
        read_survey(path, "students", Mapping(trust_labels="*"))
    data = read_survey(path, "students", Mapping(trust_labels=["geslacht", "sector"]))
    assert data.attrs["mapping_report"]["trusted"] == ["geslacht", "sector"]


def test_a_global_missing_code_that_is_a_valid_answer_elsewhere_is_refused(tmp_path):
    truth = _students()
    export = truth.copy()
    export.loc[[2, 5, 9], "we_3"] = 0.0  # 0 = not answered, in this item only
    path = tmp_path / "students.csv"
    export.to_csv(path, index=False)
    with pytest.raises(InputError) as err:
        read_survey(path, "students", Mapping(missing_codes=[0]))
    assert str(err.value) == (
        "mapping: missing_codes [0] applies to every variable, but 0 is a valid answer of le_zelf_keuzes, "
        "le_kiezen_opdrachten; name the variables it means 'no answer' for, e.g. missing_codes: {we_3: [0]}"
    )
    data = read_survey(path, "students", Mapping(missing_codes={"we_3": [0]}))
    assert data.loc[[2, 5, 9], "we_3"].isna().all()
    pd.testing.assert_series_equal(data["le_zelf_keuzes"], truth["le_zelf_keuzes"])  # every 'nee' kept
    assert data.attrs["mapping_report"]["set_missing"] == {"we_3": {"0": 3}}


def test_scoped_forms_are_checked(tmp_path):
    path = tmp_path / "m.yaml"
    path.write_text("missing_codes: {we_9: [0], '*': [99]}\ntrust_labels: [sectr]\n")
    problems = load_mapping(path).check("students", ["resp_id", "hogeschool", "we_3", "sector"])
    assert problems == [
        "m.yaml: missing_codes we_9: 'we_9' is not a variable of the codebook (did you mean we_4, we_3, we_2?)",
        "m.yaml: trust_labels sectr: 'sectr' is not a variable of the codebook (did you mean sector?)",
    ]
    path.write_text("trust_labels: all\n")
    with pytest.raises(ParameterError, match="trust_labels"):
        load_mapping(path)


def test_validate_reports_what_the_mapping_did_with_the_known_counts(tmp_path):
    from typer.testing import CliRunner

    from loopbaanleren.build.cli import app

    truth = _students(n=60, seed=5)
    export = truth.copy().astype(object)
    sector_text = {1: "Landbouw", 3: "Gedrag en Maatschappij"}
    export["sector"] = [sector_text.get(int(v), f"{v:g}") for v in truth["sector"]]
    export.loc[[4, 8], "we_3"] = 0  # 'no answer' in this item
    export["we_3"] = [f"{v:g}" for v in export["we_3"]]
    header = pd.DataFrame([{c: f"vraag {c}" for c in export.columns}, {c: '{"ImportId":"%s"}' % c for c in export.columns}])
    path = tmp_path / "students.csv"
    pd.concat([header, export], ignore_index=True).to_csv(path, index=False)
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text(
        "skip_rows: [1, 2]\nrecode: {sector: {Landbouw: 1, 'Gedrag en Maatschappij': 3}}\nmissing_codes: {we_3: [0]}\n"
        "reverse: [we_3]\n"
    )
    result = CliRunner().invoke(app, ["validate", str(path), "-p", "students", "--mapping", str(mapping)])
    assert result.exit_code == 0, result.output
    counts = truth["sector"].value_counts()
    assert result.stdout.splitlines()[1:] == [
        "what the mapping and the file's declarations did:",
        "  rows dropped (skip_rows): 2, the file's lines (header = line 1) 2, 3",
        f"  recoded sector (recode): 'Gedrag en Maatschappij' -> 3 ({counts[3]}), 'Landbouw' -> 1 ({counts[1]})",
        "  set missing we_3 (missing_codes): 0 (2)",
        "  reversed (reverse): we_3",
    ]
    data = read_survey(path, "students", load_mapping(mapping))
    pd.testing.assert_series_equal(data["sector"], truth["sector"])
    expected = (5 - truth["we_3"]).where(~truth.index.isin([4, 8]))
    pd.testing.assert_series_equal(data["we_3"], expected)


def test_many_duplicated_ids_are_one_line_with_the_way_to_list_them_all(tmp_path):
    from typer.testing import CliRunner

    from loopbaanleren.build.cli import app

    data = _students(n=30)
    data = pd.concat([data, data.iloc[:12]], ignore_index=True)  # 12 ids twice: lines 2-13 and 32-43
    path = tmp_path / "students.csv"
    data.to_csv(path, index=False)
    result = CliRunner().invoke(app, ["validate", str(path)])
    assert result.exit_code == 2
    lines = [line for line in result.stderr.splitlines() if not line.startswith("warning:")]
    assert lines == [
        "error: students.csv does not fit the codebook (1 problem; line numbers are the file's, the header being line 1):",
        "students.csv: column 'resp_id': 12 respondent ids occur more than once "
        "(24 rows), e.g. 'r0' (lines 2, 32 (2 lines)); 'r1' (lines 3, 33 (2 lines)); 'r2' (lines 4, 34 (2 lines)); "
        "'r3' (lines 5, 35 (2 lines)); 'r4' (lines 6, 36 (2 lines)); list them all with: loopbaanleren validate "
        "FILE --all",
    ]
    every = [line for line in CliRunner().invoke(app, ["validate", str(path), "--all"]).stderr.splitlines()
             if not line.startswith("warning:")]
    assert len(every) == 13 and every[12].startswith("students.csv: column 'resp_id', lines 13, 43 (2 lines): ")


def test_provenance_records_the_mapping_file_and_what_it_did(tmp_path):
    import hashlib
    import json

    from loopbaanleren.build.params import BuildParams
    from loopbaanleren.build.inputs import prepare_survey
    from loopbaanleren.build.provenance import mapping_record

    mapping = tmp_path / "mapping.yaml"
    mapping.write_text("missing_codes: {we_3: [0]}\n", encoding="utf-8")
    truth = _students()
    export = truth.copy()
    export.loc[[2, 5], "we_3"] = 0.0
    path = tmp_path / "students.csv"
    export.to_csv(path, index=False)
    assert mapping_record(mapping) == {"file": "mapping.yaml", "path": str(mapping), "content": mapping.read_text(),
                                       "sha256": hashlib.sha256(mapping.read_bytes()).hexdigest()}
    data = read_survey(path, "students", load_mapping(mapping))
    entry = prepare_survey(data, "students", tmp_path / "prepared").record(BuildParams(n_students=1, n_counsellors=1))
    assert entry["mapping_report"]["set_missing"] == {"we_3": {"0": 2}}
    assert entry["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()  # the user's file, not the prepared copy
    sidecar = tmp_path / "prepared" / "students" / "students.csv.meta.json"  # the record beside the prepared copy
    assert json.loads(sidecar.read_text())["origin"]["mapping_report"]["set_missing"] == {"we_3": {"0": 2}}
