"""A realistic foreign export made from the simulated data, and the mapping file that reads it.

Students: a survey-tool CSV (two extra header rows, columns renamed to Q-numbers, sectors as differently spelled
text, a 12th hogeschool made of 40 students of the largest one so that no smaller group changes size, the scale
'werkexploratie' not asked). Counsellors: an SPSS .sav with renamed columns, 99 and 98 declared user-missing (and
used), answer labels worded differently from the codebook (trusted with ``trust_labels: "*"``).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyreadstat

from loopbaanleren.data.codebook import load_codebook
from loopbaanleren.data.survey_files import read_survey

SECTOR_TEXT = {
    1: "Landbouw", 2: "economie", 3: "Gedrag en Maatschappij", 4: "Kunst en Cultuur",
    5: "Onderwijs", 6: "Techniek", 7: "Zorg en Welzijn",
}
STUDENT_RENAME = {"resp_id": "ResponseId", "hogeschool": "Q1_1", "sector": "Q1_2", "le_buiten_telt_mee": "Q2_3"}
COUNSELLOR_RENAME = {"resp_id": "ResponseId", "hogeschool": "Q1_1", "sector": "Q1_2", "bdk_1": "Q7_1"}
NOT_ASKED = ("we_1", "we_2", "we_3", "we_4")
EXTRA_HOGESCHOOL = 12
"""The code of the 12th hogeschool (not in the codebook)."""

MAPPING = """\
rename: {ResponseId: resp_id, Q1_1: hogeschool, Q1_2: sector, Q2_3: le_buiten_telt_mee, Q7_1: bdk_1}
recode:
  sector: {"Landbouw": 1, "Gedrag en Maatschappij": 3, "Kunst en Cultuur": 4, "Zorg en Welzijn": 7}
trust_labels: "*"
students:
  skip_rows: [1, 2]
"""


def make_export(data: dict[str, Path], folder: Path) -> dict[str, Path]:
    """Write ``students_export.csv``, ``counsellors_export.sav`` and ``mapping.yaml`` into ``folder``, made from the
    codebook CSVs ``data`` (``{"students": path, "counsellors": path}``)."""
    folder.mkdir(parents=True, exist_ok=True)
    students = read_survey(data["students"], "students").drop(columns=list(NOT_ASKED))
    largest = students["hogeschool"] == students["hogeschool"].value_counts().idxmax()
    students.loc[students.index[largest][:40], "hogeschool"] = float(EXTRA_HOGESCHOOL)
    text = students.astype(object).where(students.notna(), "")
    for column in text.columns:
        if column != "resp_id":
            text[column] = [f"{v:g}" if isinstance(v, float) else v for v in text[column]]
    text["sector"] = students["sector"].map(SECTOR_TEXT)
    text = text.rename(columns=STUDENT_RENAME)
    questions = {name: var.label_nl for name, var in load_codebook().variables("students").items()}
    inverse = {new: old for old, new in STUDENT_RENAME.items()}
    header_rows = pd.DataFrame(
        [{c: questions.get(inverse.get(c, c), c) for c in text.columns}, {c: '{"ImportId":"%s"}' % c for c in text.columns}]
    )
    path_students = folder / "students_export.csv"
    pd.concat([header_rows, text], ignore_index=True).to_csv(path_students, index=False, encoding="utf-8")

    counsellors = read_survey(data["counsellors"], "counsellors")
    rng = np.random.default_rng(1)
    items = [c for c in counsellors if c.startswith("bdv_")]
    for column in items:
        rows = rng.choice(len(counsellors), 6, replace=False)
        counsellors.loc[rows, column] = rng.choice([98.0, 99.0], 6)
    counsellors = counsellors.rename(columns=COUNSELLOR_RENAME)
    variables = load_codebook().variables("counsellors")
    labels = {}
    for name, var in variables.items():
        if var.values and not var.open_codes:
            column = COUNSELLOR_RENAME.get(name, name)
            labels[column] = {code: label.capitalize() + (" (x)" if var.values == variables["bdv_1"].values else "")
                              for code, label in var.values.items()} | {98: "weet niet", 99: "geen antwoord"}
    path_counsellors = folder / "counsellors_export.sav"
    inverse = {new: old for old, new in COUNSELLOR_RENAME.items()}
    pyreadstat.write_sav(
        counsellors,
        path_counsellors,
        column_labels={c: variables[inverse.get(c, c)].label_nl for c in counsellors if inverse.get(c, c) in variables},
        variable_value_labels=labels,
        missing_ranges={column: [98, 99] for column in items},
    )
    mapping = folder / "mapping.yaml"
    mapping.write_text(MAPPING, encoding="utf-8")
    return {"students": path_students, "counsellors": path_counsellors, "mapping": mapping}
