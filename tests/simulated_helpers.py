"""Shared helpers for the tests of the simulator and the claim evaluators."""

from functools import cache

import numpy as np

from loopbaanleren.simulate import MISSING_CODE, simulate


def as_read(frame):
    """A simulated frame in the reader's representation: missing codes as NaN, codes as floats."""
    out = frame.replace(MISSING_CODE, np.nan)
    return out.astype({c: float for c in out.columns if c != "resp_id"})


@cache
def simulated(seed: int, n_students: int | None = None, n_counsellors: int | None = None) -> dict:
    return {pop: as_read(df) for pop, df in simulate(seed, n_students, n_counsellors).items()}
