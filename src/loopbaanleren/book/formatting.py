"""Numbers as Dutch text: decimal comma, thousands point, a true minus sign, "75%", "p < 0,001".

The one place where numbers become text, for the book, the ledger and the front page alike; Babel's ``nl_NL``
locale does the work. Pure functions, importable without a notebook kernel (display lives in
:mod:`loopbaanleren.book.report`).

>>> fmt_num(-1.5, 1), fmt_n(4820), fmt_pct(0.755, 1), fmt_p(0.0004), fmt_ci(0.1, 0.25)
('−1,5', '4.820', '75,5%', 'p < 0,001', '[0,10; 0,25]')
"""

from __future__ import annotations

import math
import numbers

import numpy as np
import pandas as pd
from babel.numbers import format_decimal, format_percent

LOCALE = "nl_NL"
MISSING = "–"
MINUS = "\u2212"
"""The minus sign of negative numbers (U+2212), not the hyphen Babel writes."""
MAX_DECIMALS = 6
"""The most decimals a number is given so that it shows a significant digit (a smaller one shows as zero)."""

def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA


def _signed(value: float, text: str) -> str:
    """``text`` (the formatted absolute value) with a true minus sign, unless it rounds to zero."""
    return MINUS + text if value < 0 and any(c in "123456789" for c in text) else text


def _decimals(value: float, digits: int) -> int:
    """``digits``, or more when the value would show no significant digit (at most :data:`MAX_DECIMALS`)."""
    needed = -math.floor(math.log10(abs(value))) if value and math.isfinite(value) else digits
    return needed if digits < needed <= MAX_DECIMALS else digits


def _pattern(decimals: int) -> str:
    return "#,##0." + "0" * decimals if decimals > 0 else "#,##0"


def fmt_num(value: float, digits: int = 2) -> str:
    """A number with a decimal comma, a thousands point and a true minus sign: ``fmt_num(3.3449) == "3,34"``.

    ``digits`` decimals, or as many more as a smaller number needs to show its first significant digit:
    ``fmt_num(0.005) == "0,005"``, ``fmt_num(-0.0049) == "\u22120,005"``. Only what rounds to zero at
    :data:`MAX_DECIMALS` decimals shows as zero, without a sign; ``fmt_num(-1.5, 1) == "\u22121,5"``.
    """
    if _missing(value):
        return MISSING
    pattern = _pattern(_decimals(value, digits))
    return _signed(value, format_decimal(abs(value), format=pattern, locale=LOCALE, decimal_quantization=True))


def fmt_n(value: int) -> str:
    """A count with a thousands point and no decimals: ``fmt_n(4820) == "4.820"``, ``fmt_n(10.0) == "10"``."""
    return fmt_num(value, digits=0)


def fmt_pct(proportion: float, digits: int = 0) -> str:
    """A proportion as a percentage: ``fmt_pct(0.75) == "75%"``, ``fmt_pct(0.755, 1) == "75,5%"``; like
    :func:`fmt_num`, with a significant digit: ``fmt_pct(0.004) == "0,4%"``. A proportion below 1 never reads as
    100%: it gets up to two more decimals (``fmt_pct(0.9956) == "99,6%"``)."""
    if _missing(proportion):
        return MISSING
    decimals = _decimals(100 * proportion, digits)
    while 0 < proportion < 1 and decimals < digits + 2 and round(100 * proportion, decimals) == 100:
        decimals += 1
    pattern = _pattern(decimals) + "%"
    text = format_percent(abs(proportion), format=pattern, locale=LOCALE, decimal_quantization=True)
    return _signed(proportion, text)


def fmt_p(p: float, digits: int = 3) -> str:
    """A p-value as reported in the text: ``"p = 0,034"``, or ``"p < 0,001"`` below the precision."""
    if _missing(p):
        return MISSING
    floor = 10.0**-digits
    if p < floor:
        return f"p < {fmt_num(floor, digits)}"
    return f"p = {fmt_num(p, digits)}"


def fmt_bound(value: float) -> str:
    """A bound or margin as a rule states it: at most three decimals, trailing zeros dropped:
    ``fmt_bound(0.5) == "0,5"``, ``fmt_bound(0.08) == "0,08"``, ``fmt_bound(0) == "0"``."""
    if _missing(value):
        return MISSING
    return _signed(value, format_decimal(abs(value), format="#,##0.###", locale=LOCALE))


def fmt_ci(low: float, high: float, digits: int = 2) -> str:
    """A confidence interval; a semicolon separates the bounds since the comma is the decimal sign."""
    return f"[{fmt_num(low, digits)}; {fmt_num(high, digits)}]"


def fmt_cell(value, digits: int = 2) -> str:
    """A table cell: whole numbers with ``fmt_n``, other numbers with ``fmt_num``, text as is."""
    if _missing(value):
        return MISSING
    if isinstance(value, (bool, np.bool_)):
        return "ja" if value else "nee"
    if isinstance(value, numbers.Integral):
        return fmt_n(value)
    if isinstance(value, numbers.Real):
        return fmt_num(value, digits)
    return str(value)


def fmt_points(share: float) -> str:
    """A share as percentage points with one decimal, as a margin states it: ``fmt_points(0.1) == "10,0"``."""
    return f"{100 * share:.1f}".replace(".", ",")


def fmt_rule_p(p: float) -> str:
    """A p-value as a verdict's reason gives it: two decimals, three below 0,01, ``"p < 0,001"`` below that:
    ``fmt_rule_p(0.2) == "p = 0,20"``, ``fmt_rule_p(0.004) == "p = 0,004"``."""
    if p < 0.001:
        return "p < 0,001"
    return f"p = {p:.3f}".replace(".", ",") if p < 0.01 else f"p = {p:.2f}".replace(".", ",")


def fmt_margin(x: float) -> str:
    """A margin as a verdict's reason gives it: below 1 up to three decimals without trailing zeros, else two:
    ``fmt_margin(0.05) == "0,05"``, ``fmt_margin(1.5) == "1,50"``."""
    return f"{x:.3f}".rstrip("0").rstrip(".").replace(".", ",") if abs(x) < 1 else f"{x:.2f}".replace(".", ",")
