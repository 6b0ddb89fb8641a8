"""Shared helpers for the tests of the simulator and the claim evaluators."""

from functools import cache

import numpy as np

from loopbaanleren.data.simulation import MISSING_CODE, simulate


def as_read(frame):
    """A simulated frame in the reader's representation: missing codes as NaN, codes as floats."""
    out = frame.replace(MISSING_CODE, np.nan)
    return out.astype({c: float for c in out.columns if c != "resp_id"})


@cache
def simulated(seed: int, n_students: int | None = None, n_counsellors: int | None = None) -> dict:
    return {pop: as_read(df) for pop, df in simulate(seed, n_students, n_counsellors).items()}


def chance_alarm(results):
    """Rows of evaluated claims left undecided by a true non-effect's chance significance: a non-effect is judged
    without correction, so on data without the effect it is significant (undecided, never contradicted after
    correction) in alpha of the data sets; a hypothesis resting on it is then undecided too."""
    alarm = (results["kind"] == "null_effect") & results["reason"].str.startswith("significant zonder correctie")
    hypothesis = (results["kind"] == "hypothesis") & (results["verdict"] == "undecided") & alarm.any()
    return alarm | hypothesis
