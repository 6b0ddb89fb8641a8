"""The proportional-odds (ordinal logit) model of an item's answers, and the separation that makes its estimates
not exist."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from scipy.optimize import linprog
from statsmodels.miscmodels.ordinal_model import OrderedModel

from loopbaanleren.errors import InputError


MAX_ORDINAL_LEVELS = 10


class SeparationError(InputError):
    """The answers of an ordinal outcome are separated by the model's terms (complete or quasi-complete
    separation), so the proportional-odds estimates do not exist: the likelihood keeps rising as the coefficients
    run off to infinity. ``outcome`` and ``terms`` say where: each term that separates the answers on its own, else
    the terms of a separating combination (see :func:`separating_direction`)."""

    def __init__(self, where: str, outcome: str, terms: list[str]):
        self.outcome, self.terms = outcome, terms
        super().__init__(
            f"{where}: the answers are separated by {' and '.join(map(repr, terms))} (complete or quasi-complete "
            "separation): the proportional-odds estimates do not exist (they lie at infinity)"
        )


class OrderedLogit(OrderedModel):
    """statsmodels' proportional-odds logit (``OrderedModel``, ``distr="logit"``) with analytic derivatives.

    statsmodels differentiates the log-likelihood numerically (a gradient costs k + J - 1 likelihoods, the Hessian
    their square); here the score per observation and the Hessian are exact, in statsmodels' own parameters
    (coefficients, the first threshold, log increments of the others), so Newton's method converges in a few
    steps and the cluster-robust sandwich uses exact derivatives. The model and its estimates are statsmodels'.

    Examples
    --------
    >>> rng = np.random.default_rng(3)
    >>> x = rng.normal(size=(300, 1))
    >>> y = np.digitize(x[:, 0] + rng.logistic(size=300), [-1.0, 0.0, 1.0])
    >>> model = OrderedLogit(y, x, distr="logit")
    >>> fit = model.fit(method="newton", disp=False)
    >>> from statsmodels.tools.numdiff import approx_fprime
    >>> bool(np.allclose(model.score(fit.params), 0, atol=1e-6))
    True
    >>> bool(np.allclose(model.hessian(fit.params), approx_fprime(fit.params, model.score), rtol=1e-5, atol=1e-4))
    True
    """

    def _parts(self, params: np.ndarray):
        """Per observation: the bounds' Jacobians in the parameters, f(u)/p, f(l)/p, f'(u)/p, f'(l)/p."""
        params = np.asarray(params, float)
        k, increments = self.k_vars, np.exp(params[self.k_vars + 1:])
        thresholds = self.transform_threshold_params(params)
        jacobian = np.tril(np.ones((self.k_levels - 1, self.k_levels - 1)))  # d threshold_j / d parameter_m
        jacobian[:, 1:] *= increments
        jacobian = np.vstack([np.zeros(self.k_levels - 1), jacobian, np.zeros(self.k_levels - 1)])  # ±inf rows
        xb = self._linpred(params)
        upp, low = thresholds[self.endog + 1] - xb, thresholds[self.endog] - xb
        exog = np.asarray(self.exog, float).reshape(len(xb), k)
        d_upp = np.hstack([-exog, jacobian[self.endog + 1]])
        d_low = np.hstack([-exog, jacobian[self.endog]])
        cdf_u, cdf_l = self.cdf(upp), self.cdf(low)
        prob = np.maximum(cdf_u - cdf_l, 0) + 1e-20  # as statsmodels' loglikeobs
        pdf_u, pdf_l = cdf_u * (1 - cdf_u), cdf_l * (1 - cdf_l)
        return d_upp, d_low, pdf_u / prob, pdf_l / prob, pdf_u * (1 - 2 * cdf_u) / prob, pdf_l * (1 - 2 * cdf_l) / prob

    def score_obs(self, params: np.ndarray) -> np.ndarray:
        """Each observation's gradient of its log-likelihood (n × parameters)."""
        d_upp, d_low, g_u, g_l, _, _ = self._parts(params)
        return g_u[:, None] * d_upp - g_l[:, None] * d_low

    def score(self, params: np.ndarray) -> np.ndarray:
        """The gradient of the log-likelihood."""
        return self.score_obs(params).sum(axis=0)

    def hessian(self, params: np.ndarray) -> np.ndarray:
        """The Hessian of the log-likelihood: the bounds' second derivatives plus the log increments' curvature."""
        d_upp, d_low, g_u, g_l, h_u, h_l = self._parts(params)
        cross = g_u * g_l
        hessian = ((d_upp * (h_u - g_u**2)[:, None]).T @ d_upp - (d_low * (h_l + g_l**2)[:, None]).T @ d_low
                   + (d_upp * cross[:, None]).T @ d_low + (d_low * cross[:, None]).T @ d_upp)
        k = self.k_vars
        increments = np.exp(np.asarray(params, float)[k + 1:])
        # d² threshold_j / d(log increment_m)² = increment_m for m <= j: weighted by d loglik / d threshold_j
        per_threshold = np.zeros(self.k_levels + 1)
        np.add.at(per_threshold, self.endog + 1, g_u)
        np.add.at(per_threshold, self.endog, -g_l)
        above = per_threshold[1:self.k_levels][::-1].cumsum()[::-1]  # sum over thresholds j >= m
        hessian[np.arange(k + 1, k + self.k_levels - 1), np.arange(k + 1, k + self.k_levels - 1)] += increments * above[1:]
        return hessian


def separating_direction(codes: np.ndarray, X: np.ndarray, tol: float = 1e-7) -> np.ndarray | None:
    """A direction b of the coefficients along which the proportional-odds likelihood of the answers ``codes``
    (0 to J − 1, each present) on the design ``X`` (no constant) rises without bound, or None when its maximum exists.

    The log-likelihood Σ log[F(θ_yᵢ − xᵢb) − F(θ_yᵢ₋₁ − xᵢb)] is concave (Pratt 1981, J. Am. Stat. Assoc. 76(373)),
    so its maximum is attained unless a direction (b, c) of (β, θ) exists with xᵢb ≤ c_yᵢ for every answer below the
    top and xᵢb ≥ c_yᵢ₋₁ for every answer above the bottom, one of them strictly: the answers are then separated
    (completely or quasi-completely) by the combination Xb, as for the logit (Albert & Anderson 1984, Biometrika
    71(1)). Such a direction is sought by the linear programme of Konis (2007, D.Phil. thesis, Oxford): maximise
    the sum of those slacks over −1 ≤ b, c ≤ 1 (HiGHS, scipy ``linprog``); the answers are separated when a slack
    exceeds ``tol``.

    Examples
    --------
    >>> x = np.array([[-2.0], [-1.0], [0.5], [1.0], [2.0]])
    >>> separating_direction(np.array([0, 0, 1, 1, 2]), x) is not None  # x orders the answers perfectly
    True
    >>> separating_direction(np.array([0, 1, 0, 2, 1]), x) is None
    True
    """
    codes = np.asarray(codes, dtype=int)
    n, k = X.shape
    levels = int(codes.max())  # J − 1 thresholds
    rows = np.arange(n)
    below, above = codes < levels, codes > 0
    # slack u_i = c[y_i] − x_i b (answers below the top), l_i = x_i b − c[y_i − 1] (answers above the bottom)
    upper = np.hstack([-X[below], np.zeros((below.sum(), levels))])
    upper[rows[: below.sum()], k + codes[below]] = 1.0
    lower = np.hstack([X[above], np.zeros((above.sum(), levels))])
    lower[rows[: above.sum()], k + codes[above] - 1] = -1.0
    slacks = np.vstack([upper, lower])
    found = linprog(-slacks.sum(axis=0), A_ub=-slacks, b_ub=np.zeros(len(slacks)), bounds=(-1, 1), method="highs")
    if found.status != 0 or np.max(slacks @ found.x, initial=0.0) <= tol:
        return None
    return found.x[:k]


def ordinal_fit(
    y: pd.Series, design: pd.DataFrame, clusters: pd.Series | None, where: str
) -> Any:
    """Proportional-odds logit of the whole-number answers ``y`` on ``design`` (statsmodels ``OrderedModel`` with
    :class:`OrderedLogit`'s derivatives; with ``clusters``, cluster-robust errors and t(G - 1) inference): Newton's
    method, BFGS when it does not converge. :class:`SeparationError` when the terms separate the answers
    (:func:`separating_direction`); ``where`` names the analysis in errors."""
    answers = np.sort(y.unique())
    if not np.all(answers == np.round(answers)) or not 2 <= len(answers) <= MAX_ORDINAL_LEVELS:
        raise InputError(
            f"{where}: ordinal outcome needs 2 to {MAX_ORDINAL_LEVELS} whole-number answers, "
            f"found {len(answers)} values"
        )
    codes, X = np.searchsorted(answers, y.to_numpy()), design.to_numpy(float)
    direction = separating_direction(codes, X)
    if direction is not None:
        alone = [name for j, name in enumerate(design.columns) if separating_direction(codes, X[:, [j]]) is not None]
        weight = np.abs(direction)
        combination = [design.columns[j] for j in np.argsort(-weight, kind="stable") if weight[j] > 1e-6 * weight.max()]
        raise SeparationError(where, str(y.name), alone or combination)
    ordered = pd.Series(pd.Categorical(y, categories=answers, ordered=True), index=y.index)
    robust = {} if clusters is None else {
        "cov_type": "cluster",
        "cov_kwds": {"groups": pd.factorize(clusters)[0]},
        "use_t": True,
    }
    model = OrderedLogit(ordered, design, distr="logit")
    fit = model.fit(method="newton", disp=False, maxiter=100, **robust)
    if not fit.mle_retvals["converged"]:
        fit = model.fit(method="bfgs", disp=False, maxiter=1000, **robust)
    return fit
