"""What a reader can derive about hidden cells: the interval each hidden count can take, given the shown cells
and the total (a linear programme solved by scipy's ``linprog``, independent of ``loopbaanleren.data.disclosure``)."""

from __future__ import annotations

import numpy as np
from scipy.optimize import linprog


def feasible_intervals(hidden_total: int, small: list[str], complementary: list[str], min_cell: int) -> dict:
    """The least and the greatest value of each hidden cell of a line whose hidden cells sum to ``hidden_total``.

    A reader knows that a small cell lies in ``0 … min_cell − 1`` (its marker says so) and that a complementary
    cell is at least ``min_cell`` (else it would have been small). Returns ``{name: (low, high)}``.
    """
    names = [*small, *complementary]
    bounds = [(0, min_cell - 1)] * len(small) + [(min_cell, hidden_total)] * len(complementary)
    equal = np.ones((1, len(names)))
    found = {}
    for i, name in enumerate(names):
        goal = np.zeros(len(names))
        goal[i] = 1
        low = linprog(goal, A_eq=equal, b_eq=[hidden_total], bounds=bounds, method="highs")
        high = linprog(-goal, A_eq=equal, b_eq=[hidden_total], bounds=bounds, method="highs")
        assert low.status == 0 and high.status == 0, f"no table fits the shown cells ({name})"
        found[name] = (round(low.fun), round(-high.fun))
    return found


def assert_undetermined(intervals: dict, small: list[str], min_cell: int) -> None:
    """Every small cell can still take every value its marker allows, ``0 … min_cell − 1``."""
    assert small, "the line should have a small cell"
    for name in small:
        assert intervals[name] == (0, min_cell - 1), f"{name}: {intervals[name]} is narrower than 0 … {min_cell - 1}"
