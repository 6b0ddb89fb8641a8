"""Exports made here (Qualtrics CSV, LimeSurvey .sav, Stata .dta, Excel with a title row) read through the drafted
and reviewed mapping give exactly the data they were made from; the user writes few lines by hand."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pyreadstat
import pytest
import yaml

from loopbaanleren.data.codebook import load_codebook
from loopbaanleren.data.survey_files import read_survey
from loopbaanleren.data.mapping import load_mapping
from loopbaanleren.data.templates import write_mapping_skeleton

COLUMNS = ["resp_id", "hogeschool", "sector", "geslacht", "le_zelf_keuzes", "pg_1", "pg_2", "pg_3", "pg_4", "pg_5",
           "we_1", "we_2", "we_3", "we_4"]
STEM = "Hoe goed passen deze uitspraken bij jou?"


def truth(n: int = 120, seed: int = 11) -> pd.DataFrame:
    """The data the exports are made from, in the codebook's codes (a few items not answered: NaN)."""
    rng = np.random.default_rng(seed)
    data = pd.DataFrame({"resp_id": [f"R{i:04d}" for i in range(1, n + 1)]})
    data["hogeschool"] = rng.integers(1, 7, n).astype(float)
    data["sector"] = rng.integers(1, 8, n).astype(float)
    data["geslacht"] = rng.integers(1, 3, n).astype(float)
    data["le_zelf_keuzes"] = rng.integers(0, 2, n).astype(float)
    for item in COLUMNS[5:]:
        data[item] = rng.integers(1, 5, n).astype(float)
    data.loc[[3, 40, 77], "pg_2"] = np.nan  # 'weet niet'
    data.loc[[5, 60], "we_3"] = np.nan
    return data


def label(population: str, name: str) -> str:
    return load_codebook().variables(population)[name].label_nl


def text_of(name: str, code: float) -> str:
    values = load_codebook().variables("students")[name].values
    return values[int(code)].capitalize()


def qualtrics_csv(folder: Path, data: pd.DataFrame) -> Path:
    """Qualtrics: Q-numbers, a question-text row and an ImportId row under the header, answers as text."""
    names = {"resp_id": "ResponseId", "hogeschool": "Q1", "sector": "Q2", "geslacht": "Q3", "le_zelf_keuzes": "Q4"}
    names |= {item: f"Q5_{i}" for i, item in enumerate(COLUMNS[5:10], 1)}
    names |= {item: f"Q6_{i}" for i, item in enumerate(COLUMNS[10:], 1)}
    questions = {"resp_id": "Response ID", **{c: label("students", c) for c in COLUMNS[1:5]}}
    questions |= {item: f"{STEM} - {label('students', item)}" for item in COLUMNS[5:]}
    export = pd.DataFrame({"resp_id": data["resp_id"], "hogeschool": data["hogeschool"].map("{:g}".format)})
    for name in COLUMNS[2:]:
        export[name] = [text_of(name, v) if pd.notna(v) else "Weet niet" for v in data[name]]
    header = pd.DataFrame([questions, {c: json.dumps({"ImportId": f"QID{i}"}) for i, c in enumerate(COLUMNS)}])
    path = folder / "qualtrics_students.csv"
    pd.concat([header, export], ignore_index=True).rename(columns=names).to_csv(path, index=False)
    return path


def limesurvey_sav(folder: Path, data: pd.DataFrame) -> Path:
    """LimeSurvey .sav: its own names, question texts as variable labels ('[item]' after the stem), sector codes
    in another order, gender codes reversed, -99/-98 declared missing."""
    sector = {1: 4, 2: 7, 3: 1, 4: 2, 5: 6, 6: 3, 7: 5}  # codebook -> the file's code
    names = {c: f"G01Q{i:02d}" for i, c in enumerate(COLUMNS)} | {"resp_id": "id"}
    export = data.copy()
    export["sector"] = data["sector"].map(sector)
    export["geslacht"] = 3 - data["geslacht"]
    export["pg_2"] = export["pg_2"].fillna(-98)
    export["we_3"] = export["we_3"].fillna(-99)
    values = load_codebook().variables("students")
    labels = {names["sector"]: {sector[c]: text for c, text in values["sector"].values.items()},
              names["geslacht"]: {1: "Vrouw", 2: "Man"}}
    for item in COLUMNS[4:]:
        labels[names[item]] = {**values[item].values, -98: "Weet niet", -99: "Geen antwoord"}
    column_labels = {names[c]: label("students", c) for c in COLUMNS[:5]}
    column_labels |= {names[i]: f"{STEM} [{label('students', i)}]" for i in COLUMNS[5:]}
    path = folder / "limesurvey_students.sav"
    pyreadstat.write_sav(export.rename(columns=names), path, column_labels=column_labels,
                         variable_value_labels=labels,
                         missing_ranges={names[i]: [-99, -98] for i in COLUMNS[4:]})
    return path


def stata_dta(folder: Path, data: pd.DataFrame) -> Path:
    """Stata .dta with the codebook's names, gender coded the other way (labelled so), items unanswered as 9."""
    export = data.copy()
    export["geslacht"] = 3 - data["geslacht"]
    export[COLUMNS[5:]] = export[COLUMNS[5:]].fillna(9)
    path = folder / "students.dta"
    pyreadstat.write_dta(export, path, variable_value_labels={
        "geslacht": {1: "vrouw", 2: "man"}, **{i: {9: "weet niet"} for i in COLUMNS[5:]}})
    return path


def excel_with_title(folder: Path, data: pd.DataFrame) -> Path:
    """Excel: a title and a blank row above the header; codebook names and codes."""
    path = folder / "students.xlsx"
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        pd.DataFrame([["Enquête loopbaanleren 2026, studenten"]]).to_excel(writer, header=False, index=False)
        data.to_excel(writer, startrow=2, index=False)
    return path


EXPORTS = {"qualtrics": qualtrics_csv, "limesurvey": limesurvey_sav, "stata": stata_dta, "excel": excel_with_title}
HAND = {  # what a user writes by hand after reading the draft: its review lines say what to choose
    "qualtrics": {},
    "limesurvey": {},
    "stata": {},
    "excel": {},
}


@pytest.mark.parametrize("kind", list(EXPORTS))
def test_an_export_read_through_its_reviewed_draft_is_the_data_it_was_made_from(tmp_path, kind):
    data = truth()
    export = EXPORTS[kind](tmp_path, data)
    draft, _, _ = write_mapping_skeleton(export, "students", tmp_path)
    rules = yaml.safe_load(draft.read_text(encoding="utf-8")) or {}
    hand = HAND[kind]
    for key, value in hand.items():
        rules[key] = {**(rules.get(key) or {}), **value} if isinstance(value, dict) else value
    reviewed = tmp_path / "reviewed.yaml"
    reviewed.write_text(yaml.safe_dump(rules, allow_unicode=True), encoding="utf-8")
    read = read_survey(export, "students", load_mapping(reviewed))
    assert len(yaml.safe_dump(hand).splitlines()) - (1 if not hand else 0) <= 10
    pd.testing.assert_frame_equal(read[COLUMNS].reset_index(drop=True), data, check_dtype=False)
    done = read.attrs["mapping_report"]
    assert done["header_row"] == (3 if kind == "excel" else 1)
    assert done["rows_dropped"] == ([2, 3] if kind == "qualtrics" else [])  # the file's lines, header = line 1


def test_a_five_point_item_is_flagged_for_the_users_choice_and_never_rescaled(tmp_path):
    data = truth()
    export = data.copy()
    export.loc[[1, 2, 9], "pg_3"] = 5.0  # a 5-point version of the item
    path = tmp_path / "students.csv"
    export.to_csv(path, index=False)
    draft, _, _ = write_mapping_skeleton(path, "students", tmp_path)
    flags = [line for line in draft.read_text(encoding="utf-8").splitlines() if line.startswith("# CHOOSE:")]
    assert flags == [
        "# CHOOSE: pg_3 (pg_3) has answers up to 5, a 5-point scale; the codebook's has 4 (1-4). Either recode it "
        "onto the codebook's answers (recode: {pg_3: {...}}, your choice: e.g. merge two answers), or leave it out "
        "(delete its rename line: its claims become not computable)."
    ]
    from loopbaanleren.errors import InputError

    with pytest.raises(InputError, match=r"column 'pg_3', lines 3, 4, 11 \(3 lines\): value 5 is not a code"):
        read_survey(path, "students", load_mapping(draft))
