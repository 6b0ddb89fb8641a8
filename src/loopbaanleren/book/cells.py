"""Table cells that a page shows as Dutch text and a download holds as plain numbers.

A table of the book is one frame: text columns hold text, and a number the page shows formatted ("4.820", "75%",
"p < 0,001", "[2,24; 2,36]") is a :class:`Shown` or :class:`Parts` cell, which carries the number at full
precision, its text on the page and its unit. :func:`plain_frame` turns such a table into what its CSV holds:
the numbers, '.' as decimal sign, an interval as two columns (``<kolom>_ondergrens``, ``<kolom>_bovengrens``), a
suppressed or missing cell as its marker text (listed as a missing value); :func:`table_schema` describes the
columns of that frame as a Frictionless Table Schema (https://specs.frictionlessdata.io/table-schema/), the
download's data dictionary.

>>> cell = pct(0.755, 1)
>>> str(cell), cell.value, cell.unit
('75,5%', 0.755, 'aandeel (0–1)')
"""

from __future__ import annotations

import math
import numbers
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from loopbaanleren.book.verdict_text import VERDICT_NL
from loopbaanleren.data.disclosure import complementary_marker, suppression_marker
from loopbaanleren.book.formatting import MISSING, fmt_ci, fmt_n, fmt_num, fmt_p, fmt_pct

SHARE = "aandeel (0–1)"
COUNT = "aantal"
P_VALUE = "p-waarde"
SCALE_SCORE = "schaalscore: gemiddelde over de items, op de schaal van het codeboek"
SCALE_POINTS = "schaalpunten: verschil van twee schaalscores"
EFFECT_SIZE = "gestandaardiseerd effect (standaarddeviaties)"
BETA = "gestandaardiseerde coëfficiënt β"
NOT_COMPUTABLE = VERDICT_NL["not_computable"]
SUPPRESSED = os.path.commonprefix([suppression_marker(1), complementary_marker()])
"""How every suppression marker starts (:mod:`loopbaanleren.data.disclosure`): "onderdrukt ("."""
LOW, HIGH = "ondergrens", "bovengrens"
"""The suffixes of an interval's two columns."""


@dataclass(frozen=True)
class Shown:
    """A number as the page shows it (``text``) and as the download holds it (``value``, in ``unit``).

    ``value`` None: the cell has no number (suppressed, not computable); the download holds ``text`` and the
    data dictionary lists it as a missing value.
    """

    value: float | int | None
    text: str
    unit: str = ""

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class Parts:
    """Several numbers shown in one cell (``text``, e.g. "[2,24; 2,36]" or "2,30 (4.820)"), downloaded as one
    column each: ``parts`` are ``(suffix, value, unit)``, the column ``<kolom>_<suffix>`` holds the value."""

    parts: tuple[tuple[str, float | int | None, str], ...]
    text: str

    def __str__(self) -> str:
        return self.text


def _absent(value) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def num(value, digits: int = 2, unit: str = "") -> Shown:
    """A number shown with ``digits`` decimals: ``str(num(3.3449)) == "3,34"``, downloaded as 3.3449."""
    return Shown(None if _absent(value) else float(value), fmt_num(value, digits), unit)


def count(value) -> Shown:
    """A count: ``str(count(4820)) == "4.820"``, downloaded as 4820."""
    return Shown(None if _absent(value) else int(value), fmt_n(value), COUNT)


def pct(share, digits: int = 0) -> Shown:
    """A proportion shown as a percentage (``"75%"``) and downloaded as the proportion (0.75)."""
    return Shown(None if _absent(share) else float(share), fmt_pct(share, digits), SHARE)


def p_value(p, digits: int = 3) -> Shown:
    """A p-value as the text reports it (``"p < 0,001"``), downloaded as the p-value itself."""
    return Shown(None if _absent(p) else float(p), fmt_p(p, digits), P_VALUE)


def ci(low, high, digits: int = 2, unit: str = "") -> Parts:
    """A confidence interval, shown ``"[0,10; 0,25]"`` (the dash when a bound is missing), downloaded as the
    columns ``<kolom>_ondergrens`` and ``<kolom>_bovengrens``."""
    if _absent(low) or _absent(high):
        return Parts(((LOW, None, unit), (HIGH, None, unit)), MISSING)
    return Parts(((LOW, float(low), unit), (HIGH, float(high), unit)), fmt_ci(low, high, digits))


def estimate_ci(value, low, high, digits: int = 2, unit: str = "") -> Parts:
    """An estimate with its interval in one cell, ``"0,57 [0,48; 0,66]"``, downloaded as three columns."""
    text = f"{fmt_num(value, digits)} {fmt_ci(low, high, digits)}" if not _absent(value) else MISSING
    return Parts((("schatting", None if _absent(value) else float(value), unit),
                  (LOW, None if _absent(low) else float(low), unit),
                  (HIGH, None if _absent(high) else float(high), unit)), text)


def mean_n(mean, n, digits: int = 2, unit: str = "") -> Parts:
    """A mean with its number of respondents, ``"2,30 (4.820)"``, downloaded as two columns."""
    return Parts((("gemiddelde", None if _absent(mean) else float(mean), unit),
                  ("n", None if _absent(n) else int(n), COUNT)), f"{fmt_num(mean, digits)} ({fmt_n(n)})")


def marked(text: str, unit: str = "") -> Shown:
    """A cell without a number that shows ``text`` instead (a suppression marker, "niet te berekenen")."""
    return Shown(None, text, unit)


def _plain(value) -> object:
    """A cell of a download: a :class:`Shown` as its number (or its text when it has none), anything else as is."""
    if isinstance(value, Shown):
        return value.text if value.value is None else value.value
    if isinstance(value, Parts):
        return value.text
    if isinstance(value, np.generic):
        return value.item()
    return value


def _suffixes(values: list) -> list[tuple[str, str]]:
    """The ``(suffix, unit)`` of the columns a column of :class:`Parts` cells is downloaded as; none otherwise."""
    found = next((v for v in values if isinstance(v, Parts)), None)
    return [(suffix, unit) for suffix, _, unit in found.parts] if found else []


def plain_frame(data: pd.DataFrame) -> pd.DataFrame:
    """``data`` as its CSV holds it: numbers for :class:`Shown` cells, each column of :class:`Parts` as one column
    per part (an interval: ``<kolom>_ondergrens``, ``<kolom>_bovengrens``), other cells unchanged; no index.

    >>> frame = pd.DataFrame({"groep": ["a"], "95%-BI": [ci(0.1, 0.25)]})
    >>> plain_frame(frame).to_dict("records")
    [{'groep': 'a', '95%-BI_ondergrens': 0.1, '95%-BI_bovengrens': 0.25}]
    """
    columns: dict[str, list] = {}
    for name in data.columns:
        values = list(data[name])
        suffixes = _suffixes(values)
        for i, (suffix, _) in enumerate(suffixes):
            columns[f"{name}_{suffix}"] = [
                (v.parts[i][1] if v.parts[i][1] is not None else v.text) if isinstance(v, Parts) else _plain(v)
                for v in values
            ]
        if not suffixes:
            columns[str(name)] = [_plain(value) for value in values]
    return pd.DataFrame(columns, index=range(len(data)), dtype=object)


def is_marker(text: str) -> bool:
    """Whether a text stands for a missing number: the dash, a suppression marker, "niet te berekenen"."""
    return text in (MISSING, NOT_COMPUTABLE) or text.startswith(SUPPRESSED)


def _kind(values: list) -> str:
    """The Table Schema type of a downloaded column: integer, number or boolean when every cell is one or a
    marker of a missing number (:func:`is_marker`); ``any`` when numbers and other texts mix (a claim's value is a
    number or a text), string otherwise."""
    present = [v for v in values if not _absent(v) and not isinstance(v, str)]
    if not present:
        return "string"
    if any(isinstance(v, str) and not is_marker(v) for v in values):
        return "any"
    if all(isinstance(v, (bool, np.bool_)) for v in present):
        return "boolean"
    if all(isinstance(v, numbers.Integral) and not isinstance(v, (bool, np.bool_)) for v in present):
        return "integer"
    if all(isinstance(v, numbers.Real) for v in present):
        return "number"
    return "string"


DESCRIPTIONS = {"integer": "geheel getal", "number": "getal", "boolean": "ja/nee", "string": "tekst",
                "any": "getal of tekst"}
BOUNDS = {LOW: "ondergrens van het interval", HIGH: "bovengrens van het interval"}


def _units(data: pd.DataFrame) -> dict[str, str]:
    """The unit of each downloaded column, as its cells name it."""
    units = {}
    for name in data.columns:
        values = list(data[name])
        for suffix, unit in _suffixes(values):
            units[f"{name}_{suffix}"] = "; ".join(part for part in (BOUNDS.get(suffix, ""), unit) if part)
        if not _suffixes(values):
            found = {v.unit for v in values if isinstance(v, Shown) and v.unit}
            units[str(name)] = found.pop() if len(found) == 1 else ""
    return units


SYMBOL_UNITS = {
    "n": COUNT, "α": "Cronbachs α (betrouwbaarheid, 0–1)", "ω": "McDonalds ω (betrouwbaarheid, 0–1)",
    "R²": "verklaarde variantie (0–1)", "ICC": "intraklassecorrelatie (0–1)", "VIF": "variantie-inflatiefactor",
    "β": BETA, "p": P_VALUE,
}
"""The unit of a numeric column named by a statistical symbol, alone or first ("β CR2", "p (Holm)") or last
("Breusch–Pagan p", "grootste VIF")."""


def symbol_unit(name: str) -> str:
    """The unit a column's name states by its symbol (:data:`SYMBOL_UNITS`); "" when it names none.

    >>> symbol_unit("p (Holm)"), symbol_unit("Breusch–Pagan p"), symbol_unit("gemiddelde")
    ('p-waarde', 'p-waarde', '')
    """
    words = str(name).split()
    return next((SYMBOL_UNITS[word] for word in (words[:1] + words[-1:]) if word in SYMBOL_UNITS), "")


def table_schema(data: pd.DataFrame, units: Mapping[str, str] | None = None) -> dict:
    """The data dictionary of ``data``'s download: a Frictionless Table Schema with one field per column of
    :func:`plain_frame`, its type and its unit (``description``), and the texts that stand for a missing number
    (the text cells of a numeric column: a suppression marker, the dash).

    ``units`` names the unit of plain numeric columns (e.g. ``{"gemiddelde": "schaalscore 1–5"}``).

    >>> table_schema(pd.DataFrame({"n": [count(12)], "p": [p_value(0.2)]}))["fields"][1]
    {'name': 'p', 'type': 'number', 'description': 'p-waarde'}
    """
    plain = plain_frame(data)
    named = _units(data) | {key: value for key, value in (units or {}).items() if key in plain.columns}
    fields, markers = [], set()
    for name in plain.columns:
        values = list(plain[name])
        kind = _kind(values)
        if kind != "string":
            markers |= {v for v in values if isinstance(v, str) and is_marker(v)}
        unit = named.get(name) or (symbol_unit(name) if kind in ("number", "integer") else "")
        fields.append({"name": name, "type": kind, "description": unit or DESCRIPTIONS[kind]})
    return {"fields": fields, "missingValues": ["", *sorted(markers)]}


HEADERS_NL = {
    "mean": "gemiddelde", "ci_low": "ondergrens", "ci_high": "bovengrens", "group": "groep", "measure": "maat",
    "population": "populatie", "panel": "paneel", "beta": "β", "label": "omschrijving",
}
"""Dutch names for the English column names of a figure's data, as its download names them."""

_DUTCH_NUMBER = re.compile(r"[−-]?(\d{1,3}(\.\d{3})+|\d+)(,\d+)?")


def read_number(text: str) -> Shown | str:
    """A cell of a Markdown table, a number as the page shows it: the number it reads as, or the text as is.

    >>> read_number("4.820").value, read_number("−0,05").value, read_number("v1.2")
    (4820, -0.05, 'v1.2')
    """
    if not _DUTCH_NUMBER.fullmatch(text):
        return text
    digits = text.replace(".", "").replace(",", ".").replace("−", "-")
    return Shown(float(digits) if "." in digits else int(digits), text)
