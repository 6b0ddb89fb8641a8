"""Survey data read once per build and shared with the notebooks (loopbaanleren.data.shared_readings)."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from loopbaanleren.data.shared_readings import read_survey_shared
from loopbaanleren.data.survey_files import read_survey
from loopbaanleren.errors import InputError


def test_a_shared_reading_equals_reading_the_file(small_data, tmp_path):
    path = tmp_path / "students.csv"
    shutil.copy(small_data["students"], path)
    meta = small_data["students"].with_name("students.csv.meta.json")
    if meta.is_file():
        shutil.copy(meta, tmp_path / meta.name)
    expected = read_survey(path, "students")
    first = read_survey_shared(path, "students", tmp_path / "shared")
    stored = list((tmp_path / "shared").glob("students-*.pickle"))
    again = read_survey_shared(path, "students", tmp_path / "shared")
    for data in (first, again):
        pd.testing.assert_frame_equal(data, expected)
        assert data.attrs == expected.attrs
    assert len(stored) == 1

    # a changed file is a new entry, read anew
    path.write_text("\n".join(path.read_text().splitlines()[:-1]) + "\n")
    changed = read_survey_shared(path, "students", tmp_path / "shared")
    assert len(changed) == len(expected) - 1
    assert len(list((tmp_path / "shared").glob("students-*.pickle"))) == 2


def test_without_a_folder_the_file_is_read_and_errors_are_the_readers(small_data, tmp_path):
    for folder in (None, ""):
        pd.testing.assert_frame_equal(read_survey_shared(small_data["students"], "students", folder),
                                      read_survey(small_data["students"], "students"))
    bad = tmp_path / "students.csv"
    bad.write_text("resp_id,leeftijd\n1,abc\n")
    with pytest.raises(InputError):
        read_survey_shared(bad, "students", tmp_path / "shared")
    assert not list((tmp_path / "shared").glob("*.pickle")) if (tmp_path / "shared").exists() else True
