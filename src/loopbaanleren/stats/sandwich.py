"""Cluster-robust inference for OLS with few clusters: CR1 and CR2 covariance, small-sample degrees of freedom.

With about eleven hogescholen the usual CR1 sandwich with t(G - 1) is too liberal for some designs. CR2
(Bell & McCaffrey 2002) adjusts each cluster's residuals by the symmetric inverse square root of
(I - H_gg), and tests each coefficient, or a linear contrast, against t with Bell–McCaffrey
(Satterthwaite) degrees of freedom under a working model of independent, equal-variance errors
(Pustejovsky & Tipton 2018, J. Business & Economic Statistics 36(4)). The numbers match R's
clubSandwich: ``vcovCR(fit, cluster, type = "CR2")`` with ``coef_test(test = "Satterthwaite")`` and
``linear_contrast(test = "Satterthwaite")``.

CR1 is the convention of statsmodels' ``cov_type="cluster"`` (and Stata's ``vce(cluster)``): the sandwich
times G/(G-1)·(N-1)/(N-K), tested against t(G - 1). In clubSandwich this factor is ``type = "CR1S"``;
clubSandwich's ``"CR1"`` uses G/(G-1) alone.

References
----------
Bell, R. M. & McCaffrey, D. F. (2002). Bias reduction in standard errors for linear regression with
multi-stage samples. Survey Methodology, 28(2), 169–181.

Pustejovsky, J. E. & Tipton, E. (2018). Small-sample methods for cluster-robust variance estimation and
hypothesis testing in fixed effects models. Journal of Business & Economic Statistics, 36(4), 672–683.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from loopbaanleren.stats.distributions import t_quantile, t_sf
from loopbaanleren.errors import InputError
from loopbaanleren.stats.results import CONFIDENCE, Contrast

KINDS: tuple[str, ...] = ("CR1", "CR2")
EIGEN_TOLERANCE = 1e-12
"""Eigenvalues of I - H_gg below this count as zero in the inverse square root (as in clubSandwich)."""


@dataclass(frozen=True)
class ClusterRobust:
    """OLS coefficients with cluster-robust covariance and small-sample degrees of freedom.

    Attributes: ``params`` (k,) OLS coefficients; ``vcov`` (k, k) CR1 or CR2 covariance; ``se``, ``t``,
    ``p`` (two-sided, t(df)) and ``df`` (k,) per coefficient, where ``df`` is G - 1 for CR1 and the
    Bell–McCaffrey/Satterthwaite value for CR2; ``n``, ``n_clusters`` and ``kind`` ("CR1" or "CR2").
    """

    params: np.ndarray
    vcov: np.ndarray
    se: np.ndarray
    df: np.ndarray
    t: np.ndarray
    p: np.ndarray
    n: int
    n_clusters: int
    kind: str
    _gram: np.ndarray | None = field(default=None, repr=False, compare=False)
    _cross: np.ndarray | None = field(default=None, repr=False, compare=False)
    _bread: np.ndarray | None = field(default=None, repr=False, compare=False)

    def ci(self, level: float = CONFIDENCE) -> tuple[np.ndarray, np.ndarray]:
        """Lower and upper limits of the ``level`` confidence interval per coefficient, t(df)."""
        _check_level(level)
        half = t_quantile(0.5 + level / 2, self.df) * self.se
        return self.params - half, self.params + half

    def contrast(self, weights: np.ndarray, level: float = CONFIDENCE) -> Contrast:
        """The linear combination ``weights @ params`` with its SE, df, t, two-sided p and CI (``value`` the estimate).

        The df is G - 1 for CR1 and the Satterthwaite value of the contrast for CR2 (clubSandwich
        ``linear_contrast(test = "Satterthwaite")``).
        """
        _check_level(level)
        c = np.asarray(weights, dtype=float)
        if c.shape != self.params.shape or not np.all(np.isfinite(c)) or not np.any(c):
            raise InputError(
                f"contrast: weights must be {len(self.params)} finite numbers, not all zero; got shape {c.shape}"
            )
        estimate = float(c @ self.params)
        se = float(np.sqrt(c @ self.vcov @ c))
        if self.kind == "CR1":
            df = float(self.n_clusters - 1)
        else:
            df = float(_satterthwaite(self._gram, self._cross, self._bread, c[:, None])[0])
        t = estimate / se
        half = t_quantile(0.5 + level / 2, df) * se
        return Contrast(
            value=estimate,
            ci_low=float(estimate - half),
            ci_high=float(estimate + half),
            n=self.n,
            p=float(2 * t_sf(abs(t), df)),
            n_clusters=self.n_clusters,
            df=df,
            se=se,
            t=t,
        )


def cluster_robust(y: np.ndarray, X: np.ndarray, cluster: np.ndarray, kind: str = "CR2") -> ClusterRobust:
    """OLS of ``y`` on ``X`` with CR1 or CR2 cluster-robust covariance and small-sample t tests.

    Parameters
    ----------
    y : array of shape (n,)
        Outcome.
    X : array of shape (n, k)
        Design matrix; include a column of ones for an intercept.
    cluster : array of shape (n,)
        Cluster label of each row (any hashable values).
    kind : {"CR2", "CR1"}
        "CR2": Bell–McCaffrey bias-reduced sandwich with the symmetric inverse square root of
        (I - H_gg) and Satterthwaite df per coefficient (clubSandwich ``vcovCR(type = "CR2")``,
        ``coef_test(test = "Satterthwaite")``). "CR1": the sandwich times G/(G-1)·(N-1)/(N-K) with
        t(G - 1), as statsmodels' ``cov_type="cluster"``.

    Returns
    -------
    ClusterRobust

    Raises
    ------
    InputError
        Rows with NaN or infinite values, mismatched lengths, fewer than two clusters, fewer rows than
        coefficients plus one, or a design of deficient rank.

    References
    ----------
    Bell, R. M. & McCaffrey, D. F. (2002). Bias reduction in standard errors for linear regression with
    multi-stage samples. *Survey Methodology*, 28(2), 169-181. Pustejovsky, J. E. & Tipton, E. (2018).
    Small-sample methods for cluster-robust variance estimation and hypothesis testing in fixed effects models.
    *Journal of Business & Economic Statistics*, 36(4), 672-683. R: ``clubSandwich::vcovCR``, ``coef_test``.

    Examples
    --------
    >>> x = np.array([0.0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11])
    >>> y = np.array([1.0, 2.1, 2.9, 4.2, 4.8, 6.3, 6.9, 8.1, 9.2, 9.8, 11.4, 11.9])
    >>> X = np.column_stack([np.ones(12), x])
    >>> fit = cluster_robust(y, X, np.repeat(["a", "b", "c", "d"], 3))
    >>> np.round(fit.params, 4), np.round(fit.se, 4)
    (array([1.0231, 1.0049]), array([0.0437, 0.0072]))
    >>> np.round(fit.df, 2)  # Satterthwaite, well below G - 1 = 3
    array([1.3 , 1.64])
    >>> middle = fit.contrast(np.array([1.0, 5.5]))  # fitted value at x = 5.5
    >>> round(middle.value, 4), round(middle.se, 4), round(middle.df, 2)
    (6.55, 0.0263, 2.06)
    """
    where = "cluster_robust"
    if kind not in KINDS:
        raise InputError(f"{where}: unknown kind {kind!r}, choose one of {', '.join(KINDS)}")
    y, X, codes = _checked(y, X, cluster, where)
    n, k = X.shape
    n_clusters = int(codes.max()) + 1
    order = np.argsort(codes, kind="stable")
    y, X, codes = y[order], X[order], codes[order]
    bounds = np.flatnonzero(np.diff(codes)) + 1
    starts, stops = np.r_[0, bounds], np.r_[bounds, n]

    bread = np.linalg.inv(X.T @ X)
    params = bread @ (X.T @ y)
    residuals = y - X @ params
    if kind == "CR1":
        scores = np.stack([X[a:b].T @ residuals[a:b] for a, b in zip(starts, stops, strict=True)])
        factor = n_clusters / (n_clusters - 1) * (n - 1) / (n - k)
        vcov = factor * bread @ (scores.T @ scores) @ bread
        df = np.full(k, n_clusters - 1.0)
        extra = {}
    else:
        vcov, gram, cross = _cr2_parts(X, residuals, bread, starts, stops)
        df = _satterthwaite(gram, cross, bread, np.eye(k))
        extra = {"_gram": gram, "_cross": cross, "_bread": bread}
    vcov = (vcov + vcov.T) / 2
    se = np.sqrt(np.diag(vcov))
    with np.errstate(divide="ignore", invalid="ignore"):  # a zero standard error: t is ±inf (or nan for 0/0), as in R
        t = params / se
    return ClusterRobust(
        params=params,
        vcov=vcov,
        se=se,
        df=df,
        t=t,
        p=2 * t_sf(np.abs(t), df),
        n=n,
        n_clusters=n_clusters,
        kind=kind,
        **extra,
    )


def _cr2_parts(
    X: np.ndarray, residuals: np.ndarray, bread: np.ndarray, starts: np.ndarray, stops: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """CR2 covariance and, per cluster g, W_g'W_g and X_g'W_g with W_g = A_g X_g (X'X)⁻¹.

    A_g = (I - H_gg)^(-1/2) is never formed, nor any n_g x n_g matrix. With L L' = (X'X)⁻¹ (``bread``) and
    X_g L = U S V', the leverage block is H_gg = U S² U', so A_g = I + U diag((1 - s²)^(-1/2) - 1) U' (a zero
    eigenvalue of I - H_gg giving a zero power, as in clubSandwich). Its product with X_g follows from the
    k x k Gram matrix G_g = X_g'X_g alone: L'G_g L = V diag(s²) V', and
    A_g X_g = X_g T_g with T_g = I + L V diag(((1 - s²)^(-1/2) - 1) / s²) V' L' G_g,
    at O(n k²) for all clusters together (tests/cr2_helpers.py checks it against the dense n x n computation).
    Rows are sorted by cluster; cluster g is rows ``starts[g]:stops[g]``.
    """
    root = np.linalg.cholesky(bread)
    k = X.shape[1]
    if not len(starts):
        return np.zeros((k, k)), np.zeros((0, k, k)), np.zeros((0, k, k))
    G = np.stack([X[a:b].T @ X[a:b] for a, b in zip(starts, stops, strict=True)])  # (clusters, k, k)
    lam, V = np.linalg.eigh(root.T @ G @ root)  # per cluster: s² of X_g L, and its right singular vectors
    lam = np.clip(lam, 0.0, None)
    remaining = 1 - lam
    power = np.where(remaining > EIGEN_TOLERANCE, np.abs(remaining) ** -0.5, 0.0) - 1
    with np.errstate(divide="ignore", invalid="ignore"):
        weight = np.where(lam > 1e-300, power / lam, 0.5)  # (1 - s²)^(-1/2) - 1 ~ s²/2 near 0
    LV = root @ V
    TB = (np.eye(k) + (LV * weight[:, None, :]) @ (LV.transpose(0, 2, 1) @ G)) @ bread  # W_g = X_g T_g (X'X)⁻¹
    sums = np.add.reduceat(X * residuals[:, None], starts, axis=0)  # X_g'û_g
    scores = np.einsum("gab,ga->gb", TB, sums)
    TBt = TB.transpose(0, 2, 1)
    return scores.T @ scores, TBt @ G @ TB, G @ TB


FULL_RANK_RATIO = 1e-6
"""X'X whose smallest eigenvalue is at least this share of its largest proves X has full column rank."""


def column_rank(X: np.ndarray) -> int:
    """The column rank of a tall float matrix: k at once when the eigenvalues of X'X prove it (the smallest at
    least :data:`FULL_RANK_RATIO` of the largest, far above ``numpy.linalg.matrix_rank``'s tolerance), otherwise
    ``numpy.linalg.matrix_rank`` (a full SVD of the n x k matrix).

    >>> column_rank(np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])), column_rank(np.ones((3, 2)))
    (2, 1)
    """
    n, k = X.shape
    if 0 < k <= n:
        values = np.linalg.eigvalsh(X.T @ X)
        if np.all(np.isfinite(values)) and values[-1] > 0 and values[0] >= FULL_RANK_RATIO * values[-1]:
            return k
    return int(np.linalg.matrix_rank(X))


def _satterthwaite(gram: np.ndarray, cross: np.ndarray, bread: np.ndarray, contrasts: np.ndarray) -> np.ndarray:
    """Bell–McCaffrey degrees of freedom of each column c of ``contrasts`` (k, m) under working model I.

    With G_g = (I - H)_{g·}' A_g X_g (X'X)⁻¹ c, the variance estimate is Σ_g (G_g'y)², whose mean is
    Σ_g G_g'G_g and variance 2 Σ_g Σ_h (G_g'G_h)²; df = 2·mean²/variance. Here
    G_g'G_h = [g = h] c'W_g'W_g c - c'(X_g'W_g)'(X'X)⁻¹(X_h'W_h) c.
    """
    own = np.einsum("ja,gab,bj->gj", contrasts.T, gram, contrasts)  # (G, m)
    q = np.einsum("gab,bj->gaj", cross, contrasts)  # X_g'W_g c, (G, k, m)
    omega = -np.einsum("gbj,hbj->ghj", np.einsum("gaj,ab->gbj", q, bread), q)  # (G, G, m), in two steps
    index = np.arange(len(own))
    omega[index, index] += own
    trace = np.einsum("ggj->j", omega)
    return trace**2 / np.einsum("ghj,ghj->j", omega, omega)


def _checked(y, X, cluster, where: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """y and X as float arrays and the clusters as codes 0..G-1, or InputError naming every problem."""
    y = np.asarray(y, dtype=float)
    X = np.asarray(X, dtype=float)
    labels = pd.Series(np.asarray(cluster, dtype=object) if np.ndim(cluster) == 1 else [None])
    if y.ndim != 1 or X.ndim != 2 or np.ndim(cluster) != 1 or not len(y) == len(X) == len(labels):
        raise InputError(
            f"{where}: y must be (n,), X (n, k) and cluster (n,) with the same n; "
            f"got shapes {y.shape}, {X.shape} and {np.shape(cluster)}"
        )
    n, k = X.shape
    problems = []
    bad_y = np.flatnonzero(~np.isfinite(y))
    bad_x = np.flatnonzero(~np.all(np.isfinite(X), axis=1))
    bad_c = np.flatnonzero(labels.isna().to_numpy())
    for name, rows in (("y", bad_y), ("X", bad_x), ("cluster", bad_c)):
        if len(rows):
            shown = ", ".join(map(str, rows[:5])) + (", ..." if len(rows) > 5 else "")
            problems.append(f"{where}: {name} has missing or infinite values in {len(rows)} row(s) ({shown})")
    if problems:
        raise InputError("\n".join(problems))
    codes, uniques = pd.factorize(labels)
    if len(uniques) < 2:
        problems.append(f"{where}: {len(uniques)} cluster(s), at least 2 needed")
    if n < k + 1:
        problems.append(f"{where}: {n} row(s) for {k} coefficient(s), at least {k + 1} needed")
    elif (rank := column_rank(X)) < k:
        problems.append(f"{where}: the design has rank {rank} < {k} columns (collinear columns)")
    if problems:
        raise InputError("\n".join(problems))
    return y, X, codes.astype(np.int64)


def _check_level(level: float) -> None:
    if not 0 < level < 1:
        raise InputError(f"confidence level must lie between 0 and 1, got {level}")
