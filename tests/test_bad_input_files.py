"""Malformed input files through ``loopbaanleren validate`` (encodings, blank and header-less files, odd values).

Refused (exit 2, ``error: ...`` and the exact problem line, no traceback):

1. a file of blanks only
2. a header followed by blank lines only
3. no header line (the data starts on line 1)
4. the column of respondent ids missing
5. an infinite value in a numeric column
6. a fraction in a column of answer codes
7. a negative value that is no missing code
8. "yes" where the codebook has nee/ja
9. a UTF-16 text file (Excel's "Unicode text")
10. a spreadsheet (zip) saved under a .csv name
11. a Latin-1 file with a byte Windows-1252 does not have
12. an unbalanced quote
13. a sidecar that is JSON but no object
14. an empty .sav file
15. a .sav whose user-missing code is not the codebook's (99)
16. a .sav with text in a numeric variable
17. a .sav whose answer scale is labelled in reverse
18. respondent ids equal up to spaces
19. a Windows-1252 file with an accented wrong label (the message shows the accent)
20. a UTF-8 file with BOM and a duplicated id (the message names 'resp_id', not the BOM)
21. a ``;`` file with decimal commas and an age off its range (the message shows 15.5)

Accepted (exit 0, the summary line and each warning):

22. extra unknown columns, reported
23. a trailing separator on every line (an unnamed empty column), reported
24. a ``;`` file with decimal commas
25. a Windows-1252 file with accents in a free-text column
26. a UTF-8 file with BOM
27. a .sav with the codebook's missing codes declared user-missing
28. a .sav labelling a code the codebook does not have, reported
29. an upper-case file extension
"""

from __future__ import annotations

import io
import json
import zipfile

import pyreadstat
import pytest
from test_bad_input import students, to_bytes, to_csv
from typer.testing import CliRunner

from loopbaanleren.build.cli import app
from loopbaanleren.data.codebook import load_codebook

NAME = "students.csv"


def csv_text(frame=None, **options) -> str:
    return (students() if frame is None else frame).to_csv(index=False, **options)


def to_sav(tmp_path, frame, **options):
    path = tmp_path / "students.sav"
    pyreadstat.write_sav(frame, path, **options)
    return [str(path)]


def blanks_only(tmp_path):
    return to_bytes(tmp_path, b"  \n\n \t \n")


def header_then_blank_lines(tmp_path):
    return to_bytes(tmp_path, csv_text().splitlines()[0].encode() + b"\n\n\n")


def no_header_line(tmp_path):
    return to_bytes(tmp_path, "\n".join(csv_text().splitlines()[1:]).encode())


def ids_missing(tmp_path):
    return to_csv(tmp_path, students().drop(columns=["resp_id"]))


def infinite_value(tmp_path):
    return to_csv(tmp_path, students({("leeftijd", (3,)): "inf"}))


def fraction_in_codes(tmp_path):
    return to_csv(tmp_path, students({("pg_1", (3,)): 2.5}))


def negative_not_missing(tmp_path):
    return to_csv(tmp_path, students({("pg_1", (3,)): -1}))


def english_yes(tmp_path):
    return to_csv(tmp_path, students({("le_zelf_keuzes", (0, 1)): "yes"}))


def utf16_text(tmp_path):
    return to_csv(tmp_path, students(), sep="\t", encoding="utf-16")


def spreadsheet_as_csv(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as book:
        book.writestr("xl/worksheets/sheet1.xml", "<worksheet/>" * 50)
    return to_bytes(tmp_path, buffer.getvalue())


def byte_not_in_cp1252(tmp_path):
    return to_bytes(tmp_path, csv_text().replace("R0005", "R\x810005").encode("latin-1"))


def unbalanced_quote(tmp_path):
    lines = csv_text().splitlines()
    lines[3] = lines[3].replace(",", ',"', 1)
    return to_bytes(tmp_path, "\n".join(lines).encode())


def sidecar_not_an_object(tmp_path):
    args = to_csv(tmp_path, students())
    (tmp_path / f"{NAME}.meta.json").write_text(json.dumps([{"synthetic": True}]))
    return args


def empty_sav(tmp_path):
    return to_bytes(tmp_path, b"", "students.sav")


def sav_other_user_missing(tmp_path):
    return to_sav(tmp_path, students({("leeftijd", (2,)): 99}), missing_ranges={"leeftijd": [99]})


def sav_text_in_numeric(tmp_path):
    frame = students()
    frame["leeftijd"] = frame["leeftijd"].map("{:.0f}".format)
    frame.loc[2, "leeftijd"] = "twintig"
    return to_sav(tmp_path, frame)


def sav_reversed_scale(tmp_path):
    labels = {1: "helemaal mee eens", 2: "mee eens", 3: "mee oneens", 4: "helemaal mee oneens"}
    return to_sav(tmp_path, students(), variable_value_labels={"pg_1": labels})


def ids_equal_up_to_spaces(tmp_path):
    return to_csv(tmp_path, students({("resp_id", (5,)): " R0002 "}))


def cp1252_accented_label(tmp_path):
    return to_csv(tmp_path, students({("sector", (4,)): "Techniék"}), sep=";", encoding="cp1252")


def bom_duplicated_id(tmp_path):
    return to_csv(tmp_path, students({("resp_id", (5,)): "R0001"}), encoding="utf-8-sig")


def decimal_comma_off_range(tmp_path):
    frame = students()
    frame["leeftijd"] = frame["leeftijd"] + 0.5
    frame.loc[6, "leeftijd"] = 15.5
    return to_csv(tmp_path, frame, sep=";", decimal=",")


REFUSED = [
    (blanks_only, "error: students.csv: the file is empty"),
    (header_then_blank_lines, "students.csv: no data rows (only a header)"),
    (
        ids_missing,
        "students.csv: column 'resp_id' is missing (required; if your file names it otherwise, map it in a mapping "
        "file: rename: {<your column>: resp_id})",
    ),
    (infinite_value, "students.csv: column 'leeftijd', line 5 (1 line): value inf is outside the valid range 16-65"),
    (fraction_in_codes, "students.csv: column 'pg_1', line 5 (1 line): value 2.5 is not a code of the codebook (1-4)"),
    (negative_not_missing, "students.csv: column 'pg_1', line 5 (1 line): value -1 is not a code of the codebook (1-4)"),
    (
        english_yes,
        "students.csv: column 'le_zelf_keuzes', lines 2, 3 (2 lines): text 'yes' is neither a code nor a value label "
        "of the codebook (map them with 'recode' in a mapping file)",
    ),
    (spreadsheet_as_csv, "error: students.csv: not a readable text file (neither UTF-8, UTF-16 nor Windows-1252 text)"),
    (byte_not_in_cp1252, "error: students.csv: not a readable text file (neither UTF-8, UTF-16 nor Windows-1252 text)"),
    (
        unbalanced_quote,
        "error: students.csv: not a readable CSV file (Error tokenizing data. C error: EOF inside string starting at "
        "row 3)",
    ),
    (sidecar_not_an_object, "students.csv: sidecar students.csv.meta.json is not a JSON object"),
    (
        empty_sav,
        "error: students.sav: not a readable SPSS .sav file (Unable to read from file); it may be damaged, truncated "
        "or of another type",
    ),
    (sav_text_in_numeric, "students.sav: column 'leeftijd', case 3 (1 case): text 'twintig' is not a number"),
    (
        sav_reversed_scale,
        "students.sav: column 'pg_1': value labels are the codebook's in another order: 1 = 'helemaal mee eens' "
        "(codebook: 'helemaal mee oneens'); 2 = 'mee eens' (codebook: 'mee oneens'); 3 = 'mee oneens' (codebook: "
        "'mee eens'); 4 = 'helemaal mee oneens' (codebook: 'helemaal mee eens'); to read the codes by their labels "
        "put recode: {pg_1: {1: 4, 2: 3, 3: 2, 4: 1}} in a mapping file (or trust_labels: [pg_1] if the codes mean "
        "what the codebook says)",
    ),
    (
        ids_equal_up_to_spaces,
        "students.csv: column 'resp_id', lines 3, 7 (2 lines): respondent id 'R0002' occurs more than once",
    ),
    (
        cp1252_accented_label,
        "students.csv: column 'sector', line 6 (1 line): text 'Techniék' is neither a code nor a value label of the "
        "codebook (map them with 'recode' in a mapping file)",
    ),
    (
        bom_duplicated_id,
        "students.csv: column 'resp_id', lines 2, 7 (2 lines): respondent id 'R0001' occurs more than once",
    ),
    (decimal_comma_off_range, "students.csv: column 'leeftijd', line 8 (1 line): value 15.5 is outside the valid range 16-65"),
]


@pytest.mark.parametrize(("make", "line"), REFUSED, ids=[make.__name__ for make, _ in REFUSED])
def test_refused_with_its_message(tmp_path, make, line):
    result = CliRunner().invoke(app, ["validate", *make(tmp_path)])
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines[0].startswith("error: ")
    if line.startswith("error: "):  # the file cannot be read at all: one line
        assert lines == [line]
    else:  # the file was read: a count line, then this one problem
        name = line.split(":")[0]
        numbering = ("case numbers count the file's cases from 1" if name.endswith(".sav")
                     else "line numbers are the file's, the header being line 1")
        assert lines == [f"error: {name} does not fit the codebook (1 problem; {numbering}):", line]
    assert "Traceback" not in result.output
    assert isinstance(result.exception, SystemExit)


def extra_columns(tmp_path):
    frame = students()
    frame["opmerking"] = "geen"
    frame["Datum invullen"] = "2024-03-01"
    return to_csv(tmp_path, frame)


def trailing_separator(tmp_path):
    return to_bytes(tmp_path, "".join(line + ",\n" for line in csv_text().splitlines()).encode())


def decimal_comma(tmp_path):
    frame = students()
    frame["leeftijd"] = frame["leeftijd"] + 0.5
    return to_csv(tmp_path, frame, sep=";", decimal=",")


def cp1252_accents(tmp_path):
    frame = students()
    frame["toelichting"] = "één café, à la carte"
    return to_csv(tmp_path, frame, sep=";", encoding="cp1252")


def utf8_bom(tmp_path):
    return to_csv(tmp_path, students(), encoding="utf-8-sig")


def sav_user_missing_codes(tmp_path):
    frame = students({("sector", (1,)): -9, ("leeftijd", (4,)): -8})
    return to_sav(tmp_path, frame, missing_ranges={"sector": [-9, -8], "leeftijd": [-9, -8]})


def sav_label_for_unknown_code(tmp_path):
    sector = load_codebook().variables("students")["sector"].values
    return to_sav(tmp_path, students(), variable_value_labels={"sector": {**sector, 8: "Overig"}})


def upper_case_extension(tmp_path):
    return to_csv(tmp_path, students(), name="STUDENTS.CSV")


ACCEPTED = [
    (
        extra_columns,
        "students.csv: 20 rows, valid (2 warnings)",
        [
            "warning: students.csv: column 'opmerking' is not in the codebook; kept as is",
            "warning: students.csv: column 'Datum invullen' is not in the codebook; kept as is",
        ],
    ),
    (
        trailing_separator,
        "students.csv: 20 rows, valid (1 warning)",
        ["warning: students.csv: column '' is not in the codebook; kept as is"],
    ),
    (decimal_comma, "students.csv: 20 rows, valid", []),
    (
        cp1252_accents,
        "students.csv: 20 rows, valid (1 warning)",
        ["warning: students.csv: column 'toelichting' is not in the codebook; kept as is"],
    ),
    (utf8_bom, "students.csv: 20 rows, valid", []),
    (sav_user_missing_codes, "students.sav: 20 rows, valid", []),
    (
        sav_label_for_unknown_code,
        "students.sav: 20 rows, valid (1 warning)",
        ["warning: students.sav: column 'sector': value labels for codes the codebook does not have: 8 = 'Overig'"],
    ),
    (upper_case_extension, "STUDENTS.CSV: 20 rows, valid", []),
    (utf16_text, "students.csv: 20 rows, valid", []),
    (
        sav_other_user_missing,  # a missing code the file declares is honoured, and said once
        "students.sav: 20 rows, valid (1 warning)",
        ["warning: students.sav: the file declares missing codes 99 (in 1 column); those cells are treated as missing"],
    ),
]


def test_a_file_without_header_line_names_its_columns_and_the_way_out(tmp_path):
    result = CliRunner().invoke(app, ["validate", *no_header_line(tmp_path)])
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert lines[:2] == [
        "error: students.csv does not fit the codebook (1 problem; line numbers are the file's, the header being line 1):",
        "students.csv: no column name is a variable of the codebook; the file has: R0001, 8.0, 1.0, 20.0, 4.0, 3.0, 2.0, 0.0",
    ]
    assert "--mapping" in lines[-2] and lines[-1] == "  (is the first line the header? survey-tool header rows go in 'skip_rows: [1, 2]')"


@pytest.mark.parametrize(("make", "summary", "warnings"), ACCEPTED, ids=[make.__name__ for make, *_ in ACCEPTED])
def test_accepted_with_its_summary_and_warnings(tmp_path, make, summary, warnings):
    result = CliRunner().invoke(app, ["validate", *make(tmp_path), "--population", "students"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[0] == summary  # then what the file's declarations did, if anything
    assert result.stderr.splitlines() == warnings
