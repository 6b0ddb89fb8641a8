"""The planner's lean inner loop: the book's evaluators, with the same numbers computed faster.

One replication evaluates some 125 claims, fitting about 90 CR2 regressions and means on 4,820 students in 11
hogescholen. :func:`lean` is a context manager under which

* the CR2 parts of :mod:`loopbaanleren.inference` (per cluster A_g X_g (X'X)⁻¹ and its cross products) come
  from the k x k Gram matrix X_g'X_g of each cluster instead of a thin SVD of the n_g x k block X_g L:
  with L'X_g'X_g L = V diag(s²) V', A_g X_g = X_g T_g with T_g = I + L V diag(((1 - s²)^(-1/2) - 1) / s²) V'L'X_g'X_g,
  the same matrix as the SVD gives (equal to rounding; tested), at O(n k²) for all clusters together;
* the rank check of a design (``numpy.linalg.matrix_rank``, a full SVD of the n x k design) is answered from
  the eigenvalues of X'X when they prove full rank (the smallest at least 1e-6 of the largest, so that the
  smallest singular value is far above matrix_rank's tolerance of n·eps times the largest); any other case,
  and any other call, goes to numpy's own function, so the answer is always numpy's;
* Python's cyclic garbage collector leaves alone the objects that exist when the loop starts (``gc.freeze``):
  statsmodels' ``multipletests`` calls ``gc.collect()`` on every correction, which otherwise scans every
  object of the loaded libraries.

Nothing else changes: the same evaluators, rules and verdicts as the book (see ``tests/test_planner.py``).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np

from loopbaanleren import inference


def gram_cr2_parts(
    X: np.ndarray, residuals: np.ndarray, bread: np.ndarray, starts: np.ndarray, stops: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """CR2 covariance and, per cluster, W_g'W_g and X_g'W_g (as ``inference._cr2_parts``), from Gram matrices.

    Rows are sorted by cluster; cluster g is rows ``starts[g]:stops[g]``.
    """
    root = np.linalg.cholesky(bread)
    k = X.shape[1]
    scores, gram, cross = [], [], []
    for a, b in zip(starts, stops, strict=True):
        Xg = X[a:b]
        G = Xg.T @ Xg
        lam, V = np.linalg.eigh(root.T @ G @ root)  # s² of X_g L, and its right singular vectors
        lam = np.clip(lam, 0.0, None)
        remaining = 1 - lam
        power = np.where(remaining > inference.EIGEN_TOLERANCE, np.abs(remaining) ** -0.5, 0.0) - 1
        with np.errstate(divide="ignore", invalid="ignore"):
            weight = np.where(lam > 1e-300, power / lam, 0.5)  # (1 - s²)^(-1/2) - 1 ~ s²/2 near 0
        LV = root @ V
        T = np.eye(k) + (LV * weight) @ (LV.T @ G)
        TB = T @ bread
        scores.append(TB.T @ (Xg.T @ residuals[a:b]))
        gram.append(TB.T @ G @ TB)
        cross.append(G @ TB)
    scores = np.stack(scores) if scores else np.zeros((0, k))
    return scores.T @ scores, np.stack(gram), np.stack(cross)


_MATRIX_RANK = np.linalg.matrix_rank
FULL_RANK_RATIO = 1e-6


def gram_matrix_rank(A, *args, **kwargs):
    """``numpy.linalg.matrix_rank`` that skips the SVD of a tall, well-conditioned float matrix (see above)."""
    if not args and not kwargs and isinstance(A, np.ndarray) and A.ndim == 2 and A.dtype == np.float64:
        n, k = A.shape
        if 0 < k <= n:
            values = np.linalg.eigvalsh(A.T @ A)
            if np.all(np.isfinite(values)) and values[-1] > 0 and values[0] >= FULL_RANK_RATIO * values[-1]:
                return k
    return _MATRIX_RANK(A, *args, **kwargs)


@contextmanager
def lean() -> Iterator[None]:
    """Evaluate with :func:`gram_cr2_parts`, :func:`gram_matrix_rank` and a frozen garbage collector; restores
    all three on exit."""
    original = inference._cr2_parts
    inference._cr2_parts = gram_cr2_parts
    np.linalg.matrix_rank = gram_matrix_rank
    gc.freeze()
    try:
        yield
    finally:
        inference._cr2_parts = original
        np.linalg.matrix_rank = _MATRIX_RANK
        gc.unfreeze()
