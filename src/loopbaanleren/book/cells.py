"""Table cells that a page shows as Dutch text and a download holds as plain numbers.

A table of the book is one frame: text columns hold text, and a number the page shows formatted ("4.820", "75%",
"p < 0,001", "[2,24; 2,36]") is a :class:`Shown` or :class:`Interval` cell, which carries the number at full
precision, its text on the page and its unit. :func:`plain_frame` turns such a table into what its CSV holds:
the numbers, '.' as decimal sign, an interval as two columns (``<kolom>_ondergrens``, ``<kolom>_bovengrens``), a
suppressed or missing cell as its marker text; :func:`table_schema` describes the columns of that frame as a
Frictionless Table Schema (https://specs.frictionlessdata.io/table-schema/), the download's data dictionary.

>>> cell = pct(0.755, 1)
>>> str(cell), cell.value, cell.unit
('75,5%', 0.755, 'aandeel (0–1)')
"""

from __future__ import annotations

import math
import numbers
import re
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from loopbaanleren.book.formatting import MISSING, fmt_ci, fmt_n, fmt_num, fmt_p, fmt_pct

SHARE = "aandeel (0–1)"
COUNT = "aantal"
P_VALUE = "p-waarde"
LOW, HIGH = "_ondergrens", "_bovengrens"
"""What the two columns of an interval add to its column's name."""


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
class Interval:
    """An interval as the page shows it (``text``, e.g. "[2,24; 2,36]") and its bounds, downloaded as two columns."""

    low: float | None
    high: float | None
    text: str
    unit: str = ""

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


def ci(low, high, digits: int = 2, unit: str = "") -> Interval:
    """A confidence interval, shown ``"[0,10; 0,25]"``; missing (the dash) when a bound is missing."""
    if _absent(low) or _absent(high):
        return Interval(None, None, MISSING, unit)
    return Interval(float(low), float(high), fmt_ci(low, high, digits), unit)


def marked(text: str, unit: str = "") -> Shown:
    """A cell without a number that shows ``text`` instead (a suppression marker, "niet te berekenen")."""
    return Shown(None, text, unit)


def _plain(value) -> object:
    """A cell of a download: a :class:`Shown` as its number (or its text when it has none), anything else as is."""
    if isinstance(value, Shown):
        return value.text if value.value is None else value.value
    if isinstance(value, (np.generic,)):
        return value.item()
    return value


def plain_frame(data: pd.DataFrame) -> pd.DataFrame:
    """``data`` as its CSV holds it: numbers for :class:`Shown` cells, each :class:`Interval` column as two
    columns of bounds, other cells unchanged; the index dropped.

    >>> frame = pd.DataFrame({"groep": ["a"], "95%-BI": [ci(0.1, 0.25)]})
    >>> plain_frame(frame).to_dict("records")
    [{'groep': 'a', '95%-BI_ondergrens': 0.1, '95%-BI_bovengrens': 0.25}]
    """
    columns: dict[str, list] = {}
    for name in data.columns:
        values = list(data[name])
        if any(isinstance(value, Interval) for value in values):
            columns[f"{name}{LOW}"] = [v.low if isinstance(v, Interval) else None for v in values]
            columns[f"{name}{HIGH}"] = [v.high if isinstance(v, Interval) else None for v in values]
        else:
            columns[str(name)] = [_plain(value) for value in values]
    return pd.DataFrame(columns, index=range(len(data)), dtype=object)


def _markers(values: list) -> set[str]:
    """The texts that stand for a missing number in a column."""
    texts = {v.text for v in values if isinstance(v, (Shown, Interval)) and
             (v.value is None if isinstance(v, Shown) else v.low is None)}
    return texts | {MISSING} if texts else texts


def _kind(values: list, markers: set[str]) -> str:
    """The Table Schema type of a downloaded column (integer, number, boolean or string); ``markers``: the texts
    that stand for a missing number."""
    present = [v for v in values if not _absent(v) and not isinstance(v, str)]
    texts = [v for v in values if isinstance(v, str)]
    if not present or texts and not all(t in markers for t in texts):
        return "string"
    if all(isinstance(v, (bool, np.bool_)) for v in present):
        return "boolean"
    if all(isinstance(v, numbers.Integral) and not isinstance(v, (bool, np.bool_)) for v in present):
        return "integer"
    if all(isinstance(v, numbers.Real) for v in present):
        return "number"
    return "string"


DESCRIPTIONS = {"integer": "geheel getal", "number": "getal", "boolean": "ja/nee", "string": "tekst"}


def _units(data: pd.DataFrame) -> dict[str, str]:
    """The unit of each downloaded column, taken from its cells."""
    units = {}
    for name in data.columns:
        found = {v.unit for v in data[name] if isinstance(v, (Shown, Interval)) and v.unit}
        unit = found.pop() if len(found) == 1 else ""
        if any(isinstance(v, Interval) for v in data[name]):
            units[f"{name}{LOW}"] = f"ondergrens van het interval{'; ' + unit if unit else ''}"
            units[f"{name}{HIGH}"] = f"bovengrens van het interval{'; ' + unit if unit else ''}"
        else:
            units[str(name)] = unit
    return units


def table_schema(data: pd.DataFrame, units: Mapping[str, str] | None = None) -> dict:
    """The data dictionary of ``data``'s download: a Frictionless Table Schema with one field per column of
    :func:`plain_frame`, its type and its unit (``description``), and the texts that stand for a missing number.

    ``units`` names the unit of plain numeric columns (e.g. ``{"gemiddelde": "schaalscore 1–5"}``).

    >>> table_schema(pd.DataFrame({"n": [count(12)], "p": [p_value(0.2)]}))["fields"][1]
    {'name': 'p', 'type': 'number', 'description': 'p-waarde'}
    """
    plain = plain_frame(data)
    named = _units(data) | {key: value for key, value in (units or {}).items() if key in plain.columns}
    markers = set().union(*(_markers(list(data[name])) for name in data.columns)) if len(data.columns) else set()
    fields = []
    for name in plain.columns:
        kind = _kind(list(plain[name]), markers)
        fields.append({"name": name, "type": kind, "description": named.get(name) or DESCRIPTIONS[kind]})
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
