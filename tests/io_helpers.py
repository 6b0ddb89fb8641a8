"""Valid random survey data built straight from the codebook, for the io and validation tests."""

from __future__ import annotations

import numpy as np
import pandas as pd

from loopbaanleren.data.codebook import load_codebook


def valid_frame(population: str, n: int = 30, seed: int = 1, missing: float = 0.05) -> pd.DataFrame:
    """Every codebook variable with valid codes (ids 'R0001'...); a share ``missing`` of answers is -9, -8 or NaN."""
    rng = np.random.default_rng(seed)
    columns = {}
    for name, var in load_codebook().variables(population).items():
        if var.type == "id":
            columns[name] = pd.Series([f"R{i:04d}" for i in range(1, n + 1)], dtype=object)
            continue
        if var.values:
            values = rng.choice(list(var.values), size=n).astype(float)
        else:
            values = rng.integers(int(var.valid_min), int(var.valid_max) + 1, size=n).astype(float)
        holes = rng.random(n) < missing
        values[holes] = rng.choice([-9.0, -8.0, np.nan], size=holes.sum())
        columns[name] = values
    return pd.DataFrame(columns)


def answered(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame as read_survey returns it: missing codes -9 and -8 as NaN (an independent restatement)."""
    out = frame.copy()
    numeric = out.columns.drop("resp_id")
    out[numeric] = out[numeric].mask(out[numeric].isin([-9.0, -8.0]))
    return out
