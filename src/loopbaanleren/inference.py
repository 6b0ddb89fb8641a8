"""Cluster-robust inference for few clusters: OLS with CR1 or CR2 covariance and small-sample degrees of freedom.

* ``CR1``: the sandwich scaled by G/(G-1)·(n-1)/(n-k), as statsmodels' ``cov_type="cluster"`` computes it, with
  t(G - 1) inference (Cameron & Miller 2015).
* ``CR2``: the bias-reduced linearisation of Bell & McCaffrey (2002): residuals of cluster g are multiplied by
  the symmetric inverse square root of (I - H_gg) before the sandwich is formed, with the Bell–McCaffrey /
  Satterthwaite degrees of freedom of each coefficient or contrast under an identity working model
  (Pustejovsky & Tipton 2018; clubSandwich ``vcovCR(type = "CR2")`` with ``test = "Satterthwaite"``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats

from loopbaanleren.errors import InputError, ParameterError

KINDS = ("CR1", "CR2")


@dataclass(frozen=True)
class Contrast:
    """A linear combination c'b of the coefficients with its cluster-robust test."""

    estimate: float
    se: float
    df: float
    t: float
    p: float
    ci_low: float
    ci_high: float


@dataclass(frozen=True)
class ClusterRobust:
    """OLS coefficients with cluster-robust covariance and small-sample degrees of freedom."""

    params: np.ndarray
    vcov: np.ndarray
    se: np.ndarray
    df: np.ndarray
    t: np.ndarray
    p: np.ndarray
    n: int
    n_clusters: int
    kind: str
    _parts: tuple = ()  # (M, blocks) needed for the Satterthwaite df of a contrast

    def ci(self, level: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
        """Lower and upper limits of the ``level`` confidence intervals, t(df) per coefficient."""
        half = stats.t.ppf(0.5 + level / 2, self.df) * self.se
        return self.params - half, self.params + half

    def contrast(self, weights, level: float = 0.95) -> Contrast:
        """The combination ``weights @ params`` with its se, df (Satterthwaite for CR2, G - 1 for CR1), t and p."""
        c = np.asarray(weights, dtype=float)
        if c.shape != self.params.shape:
            raise ParameterError(f"contrast: {c.size} weights for {self.params.size} coefficients")
        estimate = float(c @ self.params)
        se = float(np.sqrt(c @ self.vcov @ c))
        df = float(self.n_clusters - 1) if self.kind == "CR1" else _satterthwaite(c, *self._parts)
        t = estimate / se if se > 0 else np.nan
        half = stats.t.ppf(0.5 + level / 2, df) * se
        return Contrast(estimate, se, df, t, float(2 * stats.t.sf(abs(t), df)), estimate - half, estimate + half)


def _adjusted(xg: np.ndarray, root: np.ndarray, vectors: list[np.ndarray]) -> list[np.ndarray]:
    """(I - H_gg)^(-1/2) applied to each of ``vectors``, with H_gg = X_g M X_g' of rank <= k.

    With X_g M^(1/2) = Q D R' (thin SVD), H_gg = Q D² Q', so the symmetric inverse square root is
    I + Q (diag((1 - d²)^(-1/2)) - I) Q'; an eigenvalue 1 (a cluster fitted exactly) gets weight zero, as a
    pseudo-inverse would give it.
    """
    q, d, _ = np.linalg.svd(xg @ root, full_matrices=False)
    rest = 1 - d**2
    factor = np.where(rest > 1e-12, 1 / np.sqrt(np.clip(rest, 1e-12, None)) - 1, -1.0)
    return [v + q @ (factor[:, None] * (q.T @ v)) for v in vectors]


def _satterthwaite(c: np.ndarray, bread: np.ndarray, blocks: list[tuple[np.ndarray, np.ndarray]]) -> float:
    """Bell–McCaffrey degrees of freedom of c'b under CR2 with an identity working model.

    With u_g = A_g X_g M c and z_g = X_g' u_g, the Gram matrix of the cluster terms of (I - H) is
    diag(u_g'u_g) - Z' M Z, and df = trace(G)^2 / ||G||_F^2.
    """
    mc = bread @ c
    u = [ax @ mc for _, ax in blocks]
    z = np.column_stack([x.T @ ug for (x, _), ug in zip(blocks, u)])
    gram = np.diag([ug @ ug for ug in u]) - z.T @ bread @ z
    return float(np.trace(gram) ** 2 / np.sum(gram**2))


def cluster_robust(y, X, cluster, kind: str = "CR2") -> ClusterRobust:
    """OLS of ``y`` (n,) on ``X`` (n, k, intercept column included if wanted) with errors clustered by ``cluster``.

    Examples
    --------
    >>> import numpy as np
    >>> g = np.repeat(np.arange(4), 3)
    >>> y = np.array([1., 2, 3, 2, 3, 4, 5, 5, 6, 1, 1, 2])
    >>> fit = cluster_robust(y, np.ones((12, 1)), g)
    >>> round(float(fit.params[0]), 3), round(float(fit.df[0]), 6)  # balanced clusters, intercept only: df = G - 1
    (2.917, 3.0)
    """
    if kind not in KINDS:
        raise ParameterError(f"cluster_robust: kind must be one of {', '.join(KINDS)}, got {kind!r}")
    y = np.asarray(y, dtype=float)
    X = np.asarray(X, dtype=float)
    if X.ndim == 1:
        X = X[:, None]
    labels = np.asarray(cluster)
    n, k = X.shape
    if y.shape != (n,) or labels.shape != (n,):
        raise InputError(f"cluster_robust: y, X and cluster need the same number of rows ({y.shape[0]}, {n}, {labels.shape[0]})")
    if np.isnan(y).any() or np.isnan(X).any() or any(v is None or v != v for v in labels.tolist()):
        raise InputError("cluster_robust: rows with missing values; drop them first")
    groups = [np.flatnonzero(labels == g) for g in dict.fromkeys(labels.tolist())]
    G = len(groups)
    if G < 2:
        raise InputError(f"cluster_robust: {G} cluster(s), at least 2 needed")
    bread = np.linalg.pinv(X.T @ X)
    values, vectors = np.linalg.eigh(bread)
    root = (vectors * np.sqrt(np.clip(values, 0, None))) @ vectors.T  # symmetric square root of M
    params = bread @ X.T @ y
    resid = y - X @ params
    meat = np.zeros((k, k))
    blocks = []
    for index in groups:
        xg, eg = X[index], resid[index]
        if kind == "CR2":
            (ax,) = _adjusted(xg, root, [xg])
            blocks.append((xg, ax))
            score = ax.T @ eg  # X_g' A_g e_g, A_g symmetric
        else:
            score = xg.T @ eg
        meat += np.outer(score, score)
    vcov = bread @ meat @ bread
    if kind == "CR1":
        vcov *= G / (G - 1) * (n - 1) / (n - k)
        df = np.full(k, G - 1.0)
    else:
        df = np.array([_satterthwaite(np.eye(k)[j], bread, blocks) for j in range(k)])
    se = np.sqrt(np.diag(vcov))
    with np.errstate(divide="ignore", invalid="ignore"):
        t = params / se
    p = 2 * stats.t.sf(np.abs(t), df)
    return ClusterRobust(params, vcov, se, df, t, p, n, G, kind, (bread, blocks))
