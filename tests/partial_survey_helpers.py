"""A partial survey: only the questions of research questions 1 and 5, 900 students at 6 hogescholen, no counsellors."""

from __future__ import annotations

from pathlib import Path

from loopbaanleren.data.codebook import load_codebook
from loopbaanleren.data.survey_files import read_survey
from loopbaanleren.data.simulation import write_synthetic

RQ1_SCALES = ("praktijkgericht", "vraaggericht")
RQ5_SCALES = ("loopbaanreflectie", "werkexploratie", "loopbaansturing", "netwerken")
BACKGROUND = ("resp_id", "hogeschool", "sector", "geslacht", "leeftijd", "studiejaar")
N_STUDENTS, N_HOGESCHOLEN = 900, 6


def partial_columns() -> list[str]:
    """The columns of the partial survey: background, the RQ1 items (scales and single le_* items), the RQ5 scales."""
    codebook = load_codebook()
    scales = codebook.scales("students")
    items = [item for name in (*RQ1_SCALES, *RQ5_SCALES) for item in scales[name].items]
    single = [name for name in codebook.variables("students") if name.startswith("le_")]
    return [*BACKGROUND, *single, *items]


def write_partial_survey(folder: Path, seed: int = 7) -> Path:
    """Write ``studenten_rq1_rq5.csv`` (simulated answers of 900 students, hogescholen folded onto 6) and return it."""
    write_synthetic(folder / "sim", seed, N_STUDENTS, 50)
    data = read_survey(folder / "sim" / "students.csv", "students")[partial_columns()]
    data["hogeschool"] = (data["hogeschool"] - 1) % N_HOGESCHOLEN + 1
    path = folder / "studenten_rq1_rq5.csv"
    data.astype({c: "Int64" for c in data.columns if c != "resp_id"}).to_csv(path, index=False)
    return path
