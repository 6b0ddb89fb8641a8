"""A multiverse per claim: every survey claim re-evaluated under each declared reasonable alternative analysis.

The choices live in ``resources/multiverse.yaml`` (:func:`load_multiverse` checks it when it loads: one line per
problem, naming the entry). A *specification* picks one option per dimension (inference, scale scores,
controls, a single four-point outcome as linear or ordinal, missing data, clusters); the first option of each
dimension is the primary analysis, the one the chapters use. :func:`specifications` gives the declared design:
the full product of the options listed under ``design.product`` and every other option one at a time.

A claim is evaluated by the same evaluators as everywhere (:mod:`loopbaanleren.claims.evaluate`) on a
:class:`MultiverseContext`, which changes only what a specification changes: the scale scores, the cluster
variable, and how a registry model is fitted. A specification counts for a claim only when every choice it
makes applies to the claim (:func:`effective`), so no claim is counted twice under what is for it the same
analysis. The multiple-testing families and the verdict rules are those of :func:`evaluate.evaluate_claims`.

:func:`run_multiverse` evaluates the distinct analyses through an executor (results in input order) and returns
one row per claim × specification; :func:`robustness` the share of a claim's specifications in which it is
reproduced, and :func:`dependence` the choices its verdict depends on.

The alternative estimators are defined here and tested against independent computations: the wild cluster
bootstrap (:func:`wild_cluster_test`, restricted, Webb or Rademacher weights), Rubin's rules
(:func:`pool_rubin`), the y*-standardised ordinal coefficient and one-factor scale scores
(:func:`factor_scores`).
"""

from __future__ import annotations

import itertools
import math
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from loopbaanleren.claims import evaluate
from loopbaanleren.claims.registry import SPECS, Claim, load_registry
from loopbaanleren.data.codebook import MIN_ITEM_SHARE, load_codebook, scale_score
from loopbaanleren.stats.distributions import t_quantile, t_sf
from loopbaanleren.errors import CompendiumError
from loopbaanleren.stats.equivalence import Equivalence
from loopbaanleren.stats.regression import Regression, coefficient_table, fit_regression
from loopbaanleren.stats.results import Estimate
from loopbaanleren.claims.evaluate import Context, Outcome
from loopbaanleren.build.memory import release_free_memory
from loopbaanleren.resources import load_yaml
from loopbaanleren.claims.verdicts import VERDICTS, VERDICT_NL

if TYPE_CHECKING:  # matplotlib is imported only where a figure is drawn
    from loopbaanleren.book.figures import Plot

MULTIVERSE_FILE = "multiverse.yaml"
DIMENSIONS = ("inference", "scores", "controls", "outcome", "missing", "cluster")
OPTIONS = {
    "inference": ("cr2", "wild", "mixed"),
    "scores": ("half", "all", "factor"),
    "controls": ("published", "none", "plus_sector"),
    "outcome": ("linear", "ordinal"),
    "missing": ("available", "imputed"),
    "cluster": ("hogeschool", "hogeschool_sector"),
}
"""The dimensions and options this module implements; the declared file may use a subset, primary first."""
WEIGHTS = ("webb", "rademacher")
TOP_KEYS = ("kind_groups", "dimensions", "design", "wild_bootstrap", "imputations", "max_size")
CLUSTER_COLUMN = "hogeschool × sector"
ROW_COLUMNS = ["id", "rq", "kind", "derived", "specification", *DIMENSIONS, "primary", "computed", "ci_low", "ci_high",
               "p_adjusted", "verdict", "reason"]


class MultiverseError(CompendiumError):
    """The declared multiverse file does not fit its spec (one line per problem)."""


# ---------------------------------------------------------------------------------------------- the declared file


@dataclass(frozen=True)
class Dimension:
    """One dimension of analytic choices: its options with Dutch labels (primary first), the claim kinds it applies
    to, and per option the kinds it changes.
    """

    name: str
    label_nl: str
    kinds: frozenset[str]
    options: dict[str, str]  # option -> label_nl, primary first
    option_kinds: dict[str, frozenset[str]]

    @property
    def primary(self) -> str:
        """The primary option (the analysis the chapters report)."""
        return next(iter(self.options))


@dataclass(frozen=True)
class Multiverse:
    """The declared multiverse: its dimensions, the design (full product or draws), the wild-bootstrap and
    imputation settings, and the largest data it runs on (``max_size`` times the study's size per population).
    """

    dimensions: dict[str, Dimension]
    product: dict[str, tuple[str, ...]]
    draws: int
    weights: str
    seed: int
    imputations: int
    max_size: float = 1.0

    @property
    def primary(self) -> dict[str, str]:
        """The primary option of each dimension: the primary specification."""
        return {name: dim.primary for name, dim in self.dimensions.items()}


def check_multiverse(raw: object, source: str = MULTIVERSE_FILE) -> list[str]:
    """Every problem of a declared multiverse, one line each, ``<file>: <where>: <what>``."""
    if not isinstance(raw, dict):
        return [f"{source}: not a mapping"]
    problems = [f"{source}: unknown key {key!r}; keys are {', '.join(TOP_KEYS)}" for key in raw if key not in TOP_KEYS]
    problems += [f"{source}: missing key {key!r}" for key in TOP_KEYS if key not in raw]
    if problems:
        return problems
    groups = raw["kind_groups"]
    if not isinstance(groups, dict):
        return [f"{source}: kind_groups: not a mapping"]
    for group, kinds in groups.items():
        for kind in kinds if isinstance(kinds, list) else [kinds]:
            if kind not in SPECS:
                problems.append(f"{source}: kind_groups.{group}: {kind!r} is not a claim kind")

    def known_kinds(where: str, names: object) -> list[str]:
        if not isinstance(names, list) or not names:
            return [f"{source}: {where}.kinds: expected a non-empty list of kind groups or claim kinds"]
        return [f"{source}: {where}.kinds: {n!r} is neither a kind group nor a claim kind"
                for n in names if n not in groups and n not in SPECS]

    dims = raw["dimensions"]
    if not isinstance(dims, dict):
        return problems + [f"{source}: dimensions: not a mapping"]
    for name, dim in dims.items():
        where = f"dimensions.{name}"
        if name not in OPTIONS:
            problems.append(f"{source}: {where}: unknown dimension; dimensions are {', '.join(DIMENSIONS)}")
            continue
        if not isinstance(dim, dict):
            problems.append(f"{source}: {where}: not a mapping")
            continue
        problems += [f"{source}: {where}: unknown field {key!r}" for key in dim if key not in ("label_nl", "kinds", "options")]
        if not isinstance(dim.get("label_nl"), str):
            problems.append(f"{source}: {where}.label_nl: expected a text")
        problems += known_kinds(where, dim.get("kinds"))
        options = dim.get("options")
        if not isinstance(options, dict) or len(options) < 2:
            problems.append(f"{source}: {where}.options: expected a mapping of at least two options")
            continue
        for option, spec in options.items():
            at = f"{where}.options.{option}"
            if option not in OPTIONS[name]:
                problems.append(f"{source}: {at}: unknown option; options of {name} are {', '.join(OPTIONS[name])}")
                continue
            if not isinstance(spec, dict) or not isinstance(spec.get("label_nl"), str):
                problems.append(f"{source}: {at}.label_nl: expected a text")
                continue
            problems += [f"{source}: {at}: unknown field {key!r}" for key in spec if key not in ("label_nl", "kinds")]
            if "kinds" in spec:
                problems += known_kinds(at, spec["kinds"])
        if next(iter(options)) != OPTIONS[name][0]:
            problems.append(f"{source}: {where}.options: the first option is the primary analysis and must be "
                            f"{OPTIONS[name][0]!r}, got {next(iter(options))!r}")
    problems += [f"{source}: dimensions: missing dimension {name!r}" for name in DIMENSIONS if name not in dims]
    design = raw["design"]
    product = design.get("product") if isinstance(design, dict) else None
    if not isinstance(product, dict):
        problems.append(f"{source}: design.product: expected a mapping of dimension to options")
    else:
        problems += [f"{source}: design: unknown field {key!r}" for key in design if key != "product"]
        for name, chosen in product.items():
            declared = (dims.get(name) or {}).get("options") if isinstance(dims.get(name), dict) else None
            if not isinstance(declared, dict):
                problems.append(f"{source}: design.product.{name}: not a declared dimension")
                continue
            if not isinstance(chosen, list) or not chosen:
                problems.append(f"{source}: design.product.{name}: expected a non-empty list of options")
                continue
            problems += [f"{source}: design.product.{name}: {option!r} is not an option of {name}"
                         for option in chosen if option not in declared]
    wild = raw["wild_bootstrap"]
    if not isinstance(wild, dict):
        problems.append(f"{source}: wild_bootstrap: not a mapping")
    else:
        if not (isinstance(wild.get("draws"), int) and wild["draws"] >= 99):
            problems.append(f"{source}: wild_bootstrap.draws: expected a whole number of at least 99, got {wild.get('draws')!r}")
        if wild.get("weights") not in WEIGHTS:
            problems.append(f"{source}: wild_bootstrap.weights: {wild.get('weights')!r} is not one of {', '.join(WEIGHTS)}")
        if not isinstance(wild.get("seed"), int):
            problems.append(f"{source}: wild_bootstrap.seed: expected a whole number, got {wild.get('seed')!r}")
    if not (isinstance(raw["imputations"], int) and raw["imputations"] >= 2):
        problems.append(f"{source}: imputations: expected a whole number of at least 2, got {raw['imputations']!r}")
    size = raw["max_size"]
    if isinstance(size, bool) or not isinstance(size, (int, float)) or not size > 0:
        problems.append(f"{source}: max_size: expected a positive number (times the study's size), got {size!r}")
    return problems


def parse_multiverse(raw: dict, source: str = MULTIVERSE_FILE) -> Multiverse:
    """The checked declaration as a :class:`Multiverse`; :class:`MultiverseError` listing every problem."""
    problems = check_multiverse(raw, source)
    if problems:
        raise MultiverseError("\n".join(problems))
    groups = raw["kind_groups"]

    def expand(names: list[str]) -> frozenset[str]:
        return frozenset(k for n in names for k in (groups[n] if n in groups else [n]))

    dims = {}
    for name in DIMENSIONS:
        spec = raw["dimensions"][name]
        kinds = expand(spec["kinds"])
        options = {option: o["label_nl"] for option, o in spec["options"].items()}
        option_kinds = {option: expand(o["kinds"]) & kinds if "kinds" in o else kinds for option, o in spec["options"].items()}
        dims[name] = Dimension(name, spec["label_nl"], kinds, options, option_kinds)
    wild = raw["wild_bootstrap"]
    product = {name: tuple(options) for name, options in raw["design"]["product"].items()}
    return Multiverse(dims, product, wild["draws"], wild["weights"], wild["seed"], raw["imputations"],
                      float(raw["max_size"]))


def load_multiverse(overrides: dict | None = None) -> Multiverse:
    """The multiverse declared in ``resources/multiverse.yaml``, checked; ``overrides`` replaces its top-level
    entries (e.g. ``{"imputations": 2}``, or a smaller ``design``), as the chapter's parameter
    ``multiverse_overrides`` does for a quick build."""
    return _declared() if not overrides else parse_multiverse(load_yaml(MULTIVERSE_FILE) | dict(overrides))


@cache
def _declared() -> Multiverse:
    return parse_multiverse(load_yaml(MULTIVERSE_FILE))


def specifications(mv: Multiverse) -> list[dict[str, str]]:
    """The declared design: the primary analysis first, then the product of ``design.product`` and every option
    not in the product one at a time from the primary analysis (each specification once)."""
    primary = mv.primary
    crossed = [mv.product.get(name, (primary[name],)) for name in DIMENSIONS]
    specs = [dict(zip(DIMENSIONS, combo)) for combo in itertools.product(*crossed)]
    for name, dim in mv.dimensions.items():
        for option in dim.options:
            if option not in mv.product.get(name, (primary[name],)):
                specs.append(primary | {name: option})
    unique = {tuple(s.values()): s for s in [primary, *specs]}
    return list(unique.values())


def spec_label(spec: dict[str, str], mv: Multiverse) -> str:
    """Short name of a specification: the options that differ from the primary analysis ("primair" if none)."""
    changed = [option for name, option in spec.items() if option != mv.primary[name]]
    return "+".join(changed) or "primair"


# ---------------------------------------------------------------------------------------------- which choices apply


def _single_items(population: str) -> set[str]:
    return set(load_codebook().variables(population)) - {
        item for s in load_codebook().scales(population).values() for item in s.items
    }


def _uses_scale(claim: Claim) -> bool:
    """Whether a claim that rests on no model uses a scale score (a single item has none to choose)."""
    pops = ["students", "counsellors"] if claim.population == "both" else [claim.population]
    names = [claim.get(key) for key in ("variable", "measure", "higher")] + list(claim.get("lower", []))
    return any(name in load_codebook().scales(pop) for pop in pops for name in names if name)


def _claim_outcomes(claim: Claim) -> list[str]:
    if claim.kind == "hypothesis":
        return [p["outcome"] for p in claim["predictions"]]
    return [claim["outcome"]] if "outcome" in claim.spec else []


def effective(spec: dict[str, str], claim: Claim, mv: Multiverse) -> dict[str, str]:
    """The specification as it acts on ``claim``: a choice that does not apply to it is the primary one.

    Besides the declared kinds: the ordinal option applies only to a model outcome that is a single item (and
    brings its own cluster-robust inference, so with it the inference choice is the primary one unless the
    claim also rests on other outcomes); "plus sector" only to a model without sector among its controls.
    """
    out = {}
    for name, option in spec.items():
        dim = mv.dimensions[name]
        applies = claim.kind in dim.kinds and claim.kind in dim.option_kinds[option]
        out[name] = option if applies else dim.primary
    if "model" not in claim.spec and not _uses_scale(claim):
        out["scores"] = mv.dimensions["scores"].primary
    if "model" in claim.spec:
        model = load_registry().models[claim["model"]]
        singles = _single_items(model["population"])
        outcomes = _claim_outcomes(claim)
        if not any(o in singles for o in outcomes):
            out["outcome"] = mv.dimensions["outcome"].primary
        elif out["outcome"] == "ordinal" and all(o in singles for o in outcomes):
            out["inference"] = mv.dimensions["inference"].primary
        if out["controls"] == "plus_sector" and "sector" in model["categorical"]:
            out["controls"] = mv.dimensions["controls"].primary
    return out


def group_of(claim: Claim, mv: Multiverse) -> str:
    """"regression" for a claim that rests on a registry model, "location" for the others."""
    return "regression" if "model" in claim.spec else "location"


def group_key(spec: dict[str, str], group: str, mv: Multiverse) -> tuple:
    """The choices that matter for the claims of a group: the others are the primary ones."""
    kinds = {k for k, s in SPECS.items() if (("model" in s.model_fields) == (group == "regression"))}
    out = []
    for name, option in spec.items():
        dim = mv.dimensions[name]
        applies = bool(kinds & dim.kinds & dim.option_kinds[option])
        out.append(option if applies else dim.primary)
    return tuple(out)


# ---------------------------------------------------------------------------------------------- estimators


def webb_weights(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    """Webb's six-point weights ±√(1/2), ±1, ±√(3/2), each with probability 1/6 (Webb 2014)."""
    values = np.array([-math.sqrt(1.5), -1.0, -math.sqrt(0.5), math.sqrt(0.5), 1.0, math.sqrt(1.5)])
    return values[rng.integers(0, 6, size=shape)]


@cache
def bootstrap_weights(n_clusters: int, draws: int, kind: str, seed: int) -> np.ndarray:
    """A (G, draws) matrix of wild-bootstrap weights per cluster, "webb" or "rademacher" (made once, read-only)."""
    rng = np.random.default_rng(seed)
    weights = webb_weights(rng, (n_clusters, draws)) if kind == "webb" else rng.choice([-1.0, 1.0], size=(n_clusters, draws))
    weights.flags.writeable = False
    return weights


@dataclass(frozen=True)
class WildTest:
    """A restricted wild cluster bootstrap test of c'β = r: the t statistic and its bootstrap p."""

    t: float
    p: float
    t_star: np.ndarray = field(repr=False)


class WildBootstrap:
    """A restricted wild cluster bootstrap of the OLS of ``y`` on ``X`` (WCR; Cameron, Gelbach & Miller 2008;
    MacKinnon & Webb 2017): what does not depend on the hypothesis is made once, :meth:`test` tests c'β = r.

    The bootstrap samples are y* = Xβ̃ + ũ·w_g, with β̃ the OLS fit under the restriction and ũ its residuals;
    w_g one weight per cluster and draw (``weights``, a (G, B) matrix in the order of the sorted cluster
    labels, or ``draws`` draws of ``kind``). Each t* (the cluster-robust t statistic) is computed from
    per-cluster sums without refitting: with q = X(X'X)⁻¹c, ũ = û + s·q for the scalar s of the restriction, so
    the per-cluster sums of X'ũ and q'ũ follow from those of X'û, X'q, q'û and q'q.
    """

    def __init__(self, y, X, cluster, weights: np.ndarray | None = None, draws: int = 999, kind: str = "webb",
                 seed: int = 0):
        from scipy import sparse

        y, self.X = np.asarray(y, float), np.asarray(X, float)
        codes, _ = pd.factorize(pd.Series(np.asarray(cluster)), sort=True)
        n_clusters = int(codes.max()) + 1
        n = len(codes)
        self.indicator = sparse.csr_matrix((np.ones(n), (codes, np.arange(n))), shape=(n_clusters, n))
        self.bread = np.linalg.inv(self.X.T @ self.X)
        self.beta = self.bread @ (self.X.T @ y)
        self.resid = y - self.X @ self.beta
        self.scores = self.indicator @ (self.X * self.resid[:, None])  # (G, k): X_g'û_g
        self.weights = (bootstrap_weights(n_clusters, draws, kind, seed) if weights is None
                        else np.asarray(weights, float))
        self._contrasts: dict[tuple[float, ...], tuple] = {}

    def _contrast(self, contrast) -> tuple:
        """c, and the per-cluster sums of q'û, q'q and X'q of q = X(X'X)⁻¹c, and the t statistic's error."""
        key = tuple(np.asarray(contrast, float).tolist())
        if key not in self._contrasts:
            c = np.asarray(key)
            q = self.X @ (self.bread @ c)  # c'β̂ = q'y
            qr = self.indicator @ (q * self.resid)
            self._contrasts[key] = (c, qr, self.indicator @ (q * q), self.indicator @ (self.X * q[:, None]),
                                    math.sqrt(np.sum(qr**2)))
        return self._contrasts[key]

    def test(self, contrast, r: float = 0.0, alternative: str = "two-sided") -> WildTest:
        """H0: c'β = r; the p-value is the share of draws with |t*| >= |t| ("two-sided"), t* >= t ("greater") or
        t* <= t ("less")."""
        c, qr, qq, xq, se = self._contrast(contrast)
        t = (c @ self.beta - r) / se
        shift = (c @ self.beta - r) / (c @ self.bread @ c)  # ũ = û + shift·q
        a = qr + shift * qq  # (G,): q_g'ũ_g
        S = self.scores + shift * xq  # (G, k): X_g'ũ_g
        A = np.diag(a) - xq @ self.bread @ S.T  # cluster scores of c'β* are A w
        w = self.weights
        t_star = (a @ w) / np.sqrt(np.sum((A @ w) ** 2, axis=0))
        tolerance = 1e-10 * max(1.0, abs(t))
        if alternative == "two-sided":
            p = np.mean(np.abs(t_star) >= abs(t) - tolerance)
        elif alternative == "greater":
            p = np.mean(t_star >= t - tolerance)
        else:
            p = np.mean(t_star <= t + tolerance)
        return WildTest(float(t), float(p), t_star)


def wild_cluster_test(y, X, cluster, contrast, r: float = 0.0, weights: np.ndarray | None = None, draws: int = 999,
                      kind: str = "webb", seed: int = 0, alternative: str = "two-sided") -> WildTest:
    """Wild cluster bootstrap of H0: c'β = r in the OLS of ``y`` on ``X``, null imposed (see :class:`WildBootstrap`).

    Examples
    --------
    >>> rng = np.random.default_rng(1)
    >>> X = np.column_stack([np.ones(40), rng.normal(size=40)])
    >>> y = X @ [1.0, 0.0] + rng.normal(size=40)
    >>> test = wild_cluster_test(y, X, np.repeat(np.arange(8), 5), [0, 1], draws=999, seed=2)
    >>> 0 < test.p < 1
    True
    """
    return WildBootstrap(y, X, cluster, weights, draws, kind, seed).test(contrast, r, alternative)


@dataclass(frozen=True)
class Pooled:
    """Rubin's rules: pooled estimates, their total standard errors, Barnard–Rubin df and two-sided p."""

    estimate: np.ndarray
    se: np.ndarray
    df: np.ndarray
    p: np.ndarray
    fraction_missing: np.ndarray


def pool_rubin(estimates, variances, df_complete=None) -> Pooled:
    """Pool m imputed analyses (rows) of k coefficients (columns) by Rubin's rules (Rubin 1987).

    T = W̄ + (1 + 1/m)·B; df by Barnard & Rubin (1999) when the complete-data ``df_complete`` is given, else
    Rubin's (m - 1)/λ² with λ = (1 + 1/m)·B/T.

    Examples
    --------
    >>> pooled = pool_rubin([[1.0], [1.2], [0.8]], [[0.04], [0.05], [0.03]])
    >>> round(float(pooled.se[0]), 4)
    0.3055
    """
    q = np.atleast_2d(np.asarray(estimates, float))
    u = np.atleast_2d(np.asarray(variances, float))
    m = q.shape[0]
    mean = q.mean(axis=0)
    within = u.mean(axis=0)
    between = q.var(axis=0, ddof=1)
    total = within + (1 + 1 / m) * between
    lam = np.where(total > 0, (1 + 1 / m) * between / total, 0.0)
    with np.errstate(divide="ignore"):
        df = np.where(lam > 0, (m - 1) / lam**2, np.inf)
        if df_complete is not None:
            nu = np.asarray(df_complete, float)
            observed = (nu + 1) / (nu + 3) * nu * (1 - lam)
            df = 1 / (1 / df + 1 / observed)
    se = np.sqrt(total)
    p = 2 * t_sf(np.abs(mean / se), df)
    return Pooled(mean, se, df, p, lam)


def chained_imputations(matrix: np.ndarray, m: int, seed: int) -> list[np.ndarray]:
    """``m`` completed copies of ``matrix`` (NaN for missing) by chained equations: scikit-learn's
    ``IterativeImputer`` with draws from the posterior, five rounds, seed ``seed + i`` for copy i.

    Complete columns are not modelled (``skip_complete``): their models predict nothing and draw no random
    numbers, so the copies are those of the imputer modelling every column, in a fraction of the time.

    Examples
    --------
    >>> x = np.array([[1.0, 2.0], [2.0, np.nan], [3.0, 6.0], [4.0, 8.0]])
    >>> [bool(np.isnan(copy).any()) for copy in chained_imputations(x, 2, seed=1)]
    [False, False]
    """
    from sklearn.experimental import enable_iterative_imputer  # noqa: F401
    from sklearn.impute import IterativeImputer

    return [IterativeImputer(sample_posterior=True, random_state=seed + i, max_iter=5, skip_complete=True)
            .fit_transform(matrix) for i in range(m)]


def factor_scores(frame: pd.DataFrame, scale, min_items: float = MIN_ITEM_SHARE) -> pd.Series:
    """One-factor scale scores: a maximum-likelihood factor analysis (scikit-learn ``FactorAnalysis``) of the
    z-scored, reverse-keyed items of complete respondents; respondents with at least ``min_items`` of the items
    are scored with their missing items at the item mean, oriented like the mean score.

    Each step of the fit takes the exact SVD of the scaled items (``svd_method="lapack"``); scikit-learn's default,
    a randomized SVD, approximates the same one and costs some twenty times as much on a scale's few items."""
    from sklearn.decomposition import FactorAnalysis

    from loopbaanleren.data.codebook import item_scores

    items = item_scores(frame, scale)
    z = (items - items.mean()) / items.std(ddof=1)
    complete = z.dropna()
    scores = pd.Series(np.nan, index=frame.index, name=scale.name)
    if len(complete) < 2:  # a scale not measured (or too few complete answers): no scores, as for the mean score
        return scores
    model = FactorAnalysis(n_components=1, svd_method="lapack").fit(complete.to_numpy())
    enough = items.notna().sum(axis=1) >= np.ceil(min_items * len(scale.items))
    scores[enough] = model.transform(z[enough].fillna(0.0).to_numpy())[:, 0]
    if np.sign(np.nansum(model.components_[0])) < 0:
        scores = -scores
    return scores


class _View:
    """The parts of a fitted model that :meth:`Regression.coefficient` reads, from given numbers."""

    use_t = True

    def __init__(self, names: list[str], params, se, p, df):
        self.params = pd.Series(np.asarray(params, float), index=names)
        self.bse = pd.Series(np.asarray(se, float), index=names)
        self.pvalues = pd.Series(np.asarray(p, float), index=names)
        self.df_terms = None if df is None else pd.Series(np.asarray(df, float), index=names)
        self._intervals: dict[float, pd.DataFrame] = {}

    def conf_int(self, alpha: float = 0.05) -> pd.DataFrame:
        if alpha not in self._intervals:  # read once per coefficient: made once
            q = t_quantile(1 - alpha / 2, self.df_terms)
            self._intervals[alpha] = pd.DataFrame({0: self.params - q * self.bse, 1: self.params + q * self.bse})
        return self._intervals[alpha]


def _regression(base: Regression, view: _View, method: str, n: int | None = None) -> Regression:
    n = n or base.n
    estimates = Estimate.all_from_fit(view, list(view.params.index), n, base.n_clusters)
    table = coefficient_table(estimates, dict(zip(base.coefficients["term"], base.coefficients["role"])))
    return Regression(base.outcome, method, table, n, base.n_clusters, base.r2, base.icc, base.converged, view,
                             estimates=estimates)


def standardised_ordinal(fit: Regression) -> Regression:
    """An ordinal logit's coefficients in standard deviations of the latent outcome y* (McKelvey & Zavoina 1975):
    b / sqrt(var(Xb) + π²/3), their errors and intervals scaled alike, the p-values unchanged."""
    result = fit.fit
    terms = list(fit.coefficients["term"])
    b = result.params[terms].to_numpy()
    exog = np.asarray(result.model.exog)
    exog = pd.DataFrame(exog, columns=result.model.exog_names[: exog.shape[1]])[terms].to_numpy()
    scale = math.sqrt(np.var(exog @ b, ddof=1) + math.pi**2 / 3)
    df = np.full(len(terms), float(fit.n_clusters - 1))
    view = _View(terms, b / scale, result.bse[terms].to_numpy() / scale, result.pvalues[terms].to_numpy(), df)
    return _regression(fit, view, "ordinal")


# ---------------------------------------------------------------------------------------------- the context


class MultiverseContext(Context):
    """The evaluators' context under one specification: scale scores, clusters and model fits as it says."""

    def __init__(self, data: dict[str, pd.DataFrame], spec: dict[str, str], mv: Multiverse, alpha: float = 0.05,
                 min_cell: int = 10, seed: int = 2026, frames: dict[str, pd.DataFrame] | None = None,
                 specified: dict[tuple[str, str, str], pd.DataFrame] | None = None,
                 fitted: dict[tuple, Regression] | None = None):
        """``frames`` as for :class:`Context`; ``specified``: frames under a specification's scale scores and
        clusters, by (population, scores, cluster), shared with other contexts of the same data; ``fitted``: the
        fits of :func:`fit_regression` by their data and arguments, shared with contexts that make the same
        fits (the CR2 fit under a wild bootstrap is the CR2 fit of the same specification under CR2)."""
        super().__init__(data, alpha=alpha, min_cell=min_cell, frames=frames)
        # frames and fits of its own: the Contexts of a process share theirs (evaluate._shared), and a
        # specification changes scale scores, clusters and models; a population's frame is made when first read
        self._fits = {}
        self.fitted = {} if fitted is None else fitted
        self._specified: set[str] = set()
        self.specified = {} if specified is None else specified
        self.spec, self.mv, self.seed = spec, mv, seed
        self._published_rules = self.rules
        self.rules = dict(self.rules)
        if spec["cluster"] == "hogeschool_sector":
            self.rules["cluster_variable"] = CLUSTER_COLUMN
        self._tost: dict[tuple[float, float], Callable[[float], Equivalence]] = {}
        self._imputed: dict[str, list[pd.DataFrame]] = {}

    def frame(self, population: str) -> pd.DataFrame:
        """The population's analysis frame with this specification's scale scores and clusters (made once per
        batch of tasks: ``specified``)."""
        if population not in self._specified:
            key = (population, self.spec["scores"], self.spec["cluster"])
            if key not in self.specified:
                frame = super().frame(population).copy()
                if self.spec["scores"] != "half":
                    for name, scale in load_codebook().scales(population).items():
                        frame[name] = (factor_scores(frame, scale) if self.spec["scores"] == "factor"
                                       else scale_score(frame, scale, min_items=1.0))
                if self.spec["cluster"] == "hogeschool_sector":
                    frame[CLUSTER_COLUMN] = frame["hogeschool"].astype(str) + " × " + frame["sector"].astype(str)
                self.specified[key] = frame
            self.frames[population] = self.specified[key]
            self._specified.add(population)
        return super().frame(population)

    def margin(self, population: str, sd: float) -> float:
        """The margin of the original study's design (11 hogescholen), whatever the clusters of this analysis."""
        rules, self.rules = self.rules, self._published_rules
        try:
            return super().margin(population, sd)
        finally:
            self.rules = rules

    def equivalent(self, estimate: float, se: float, df: float | None, bound: float) -> Equivalence:
        """TOST as in the primary analysis, or by two one-sided wild bootstrap tests for a bootstrapped coefficient."""
        tost = self._tost.get((estimate, se))
        return tost(bound) if tost else super().equivalent(estimate, se, df, bound)

    def model_terms(self, model_id: str) -> tuple[list[str], list[str], list[str]]:
        """Predictors, controls and categorical terms of a registry model under this specification's ``controls``."""
        spec = self.models[model_id]
        controls, categorical = list(spec["controls"]), list(spec["categorical"])
        if self.spec["controls"] == "none":
            controls, categorical = [], []
        elif self.spec["controls"] == "plus_sector" and "sector" not in categorical:
            categorical.append("sector")
        return list(spec["predictors"]), controls, categorical

    def fit(self, model_id: str, outcome: str, method: str = "ols_cr2") -> Regression:
        """A registry model under this specification: its controls, outcome scale, missing data and clusters.

        ``method`` is ignored: the specification's ``inference`` chooses the analysis.
        """
        key = (model_id, outcome)
        if key not in self._fits:
            spec = self.models[model_id]
            population = spec["population"]
            predictors, controls, categorical = self.model_terms(model_id)
            for name in [outcome, *predictors, *controls, *categorical]:
                self.column(population, name)
            if self.spec["outcome"] == "ordinal" and outcome in _single_items(population):
                fit = self._fit(population, outcome, predictors, controls, categorical, "ordinal")
                self._fits[key] = standardised_ordinal(fit)
            elif self.spec["missing"] == "imputed":
                self._fits[key] = self._fit_imputed(model_id, outcome, predictors, controls, categorical)
            else:
                chosen = {"cr2": "ols_cr2", "wild": "ols_cr2", "mixed": "mixed"}[self.spec["inference"]]
                fit = self._fit(population, outcome, predictors, controls, categorical, chosen)
                self._fits[key] = self._wild(fit, predictors, population) if self.spec["inference"] == "wild" else fit
        return self._fits[key]

    def _fit(self, population: str, outcome: str, predictors: list[str], controls: list[str], categorical: list[str],
             method: str) -> Regression:
        """:func:`fit_regression` on this specification's frame and clusters, made once for ``fitted``."""
        cluster = self.rules["cluster_variable"]
        key = (population, self.spec["scores"], cluster, outcome, tuple(predictors), tuple(controls),
               tuple(categorical), method)
        if key not in self.fitted:
            self.fitted[key] = fit_regression(self.frame(population), outcome, predictors, controls,
                                                     categorical, cluster=cluster, method=method)
        return self.fitted[key]

    def _wild(self, fit: Regression, predictors: list[str], population: str) -> Regression:
        """The CR2 fit with its predictors' p-values (and equivalence tests) from the wild cluster bootstrap."""
        result = fit.fit
        y, X = result.model.endog, result.model.exog
        names = list(result.params.index)
        rows = result.model.data.row_labels
        cluster = self.frame(population).loc[rows, self.rules["cluster_variable"]].astype(str).to_numpy()
        p = result.pvalues.copy()
        boot = WildBootstrap(y, X, cluster, draws=self.mv.draws, kind=self.mv.weights, seed=self.mv.seed)
        for term in predictors:
            c = np.zeros(len(names))
            c[names.index(term)] = 1.0
            p[term] = boot.test(c).p
            estimate, se, df = float(result.params[term]), float(result.bse[term]), float(result.df_terms[term])

            def tost(bound: float, c=c, estimate=estimate, se=se, df=df) -> Equivalence:
                low = boot.test(c, r=-bound, alternative="greater").p
                high = boot.test(c, r=bound, alternative="less").p
                q = t_quantile(1 - self.alpha, df)  # the CR2 interval, for the text only; the verdict is the bootstrap's
                return Equivalence(max(low, high), estimate - q * se, estimate + q * se, max(low, high) < self.alpha)

            self._tost[(estimate, se)] = tost
        view = _View(names, result.params, result.bse, p, result.df_terms)
        return _regression(fit, view, "wild")

    def _fit_imputed(self, model_id, outcome, predictors, controls, categorical) -> Regression:
        """CR2 fits on each multiply imputed data set, pooled by Rubin's rules (Barnard–Rubin df)."""
        population = self.models[model_id]["population"]
        cluster = self.rules["cluster_variable"]
        fits = [fit_regression(frame, outcome, predictors, controls, categorical, cluster=cluster, method="ols_cr2")
                for frame in self._imputations(model_id)]
        names = list(fits[0].fit.params.index)
        pooled = pool_rubin([f.fit.params[names] for f in fits], [f.fit.bse[names] ** 2 for f in fits],
                            np.mean([f.fit.df_terms[names] for f in fits], axis=0))
        return _regression(fits[0], _View(names, pooled.estimate, pooled.se, pooled.p, pooled.df), "imputed")

    def _imputations(self, model_id: str) -> list[pd.DataFrame]:
        """``imputations`` data sets in which the model's continuous columns are imputed (:func:`chained_imputations`,
        the categorical terms as dummies among the predictors)."""
        if model_id not in self._imputed:
            spec = self.models[model_id]
            frame = self.frame(spec["population"])
            predictors, controls, categorical = self.model_terms(model_id)
            columns = list(dict.fromkeys([*spec["outcomes"], *predictors, *controls]))
            numeric = frame[columns].astype(float)
            extra = pd.get_dummies(frame[categorical], dtype=float) if categorical else pd.DataFrame(index=frame.index)
            matrix = pd.concat([numeric, extra], axis=1).to_numpy()
            sets = []
            for filled in chained_imputations(matrix, self.mv.imputations, self.seed):
                copy = frame.copy()
                copy[columns] = filled[:, : len(columns)]
                sets.append(copy)
            self._imputed[model_id] = sets
        return self._imputed[model_id]


# ---------------------------------------------------------------------------------------------- running it


@dataclass(frozen=True)
class Task:
    """One unit of work: the claims of one group (a regression group: of one registry model) under one
    specification."""

    group: str
    spec: tuple[tuple[str, str], ...]
    claim_ids: tuple[str, ...]

    @property
    def siblings(self) -> tuple:
        """What tasks that differ only in inference share (their claims and other choices): the same fits."""
        return self.group, self.claim_ids, tuple(item for item in self.spec if item[0] != "inference")

    @property
    def weight(self) -> int:
        """A rough relative cost, to spread the slow analyses (imputation, factor scores) over the batches."""
        spec = dict(self.spec)
        return len(self.claim_ids) * (20 if spec["missing"] == "imputed" else 5 if spec["scores"] == "factor" else 1)


@dataclass(frozen=True)
class Batch:
    """Tasks run one after another in one process (picklable): the data are sent, and their analysis frames
    made, once per batch instead of once per task."""

    tasks: tuple[Task, ...]
    data: dict
    alpha: float
    min_cell: int
    seed: int
    mv: Multiverse


def batches(tasks: Sequence[Task], n: int) -> list[list[int]]:
    """The tasks' indices in ``n`` batches of about equal weight (the heaviest first, each to the lightest batch);
    tasks that differ only in inference (:attr:`Task.siblings`) go together, one after another."""
    units: dict[tuple, list[int]] = {}
    for index, task in enumerate(tasks):
        units.setdefault(task.siblings, []).append(index)
    weights = {key: sum(tasks[i].weight for i in unit) for key, unit in units.items()}
    parts: list[list[int]] = [[] for _ in range(max(1, min(n, len(units))))]
    loads = [0] * len(parts)
    for key in sorted(units, key=lambda key: -weights[key]):
        lightest = loads.index(min(loads))
        parts[lightest].extend(units[key])
        loads[lightest] += weights[key]
    return parts


def run_batch(batch: Batch) -> list[tuple[dict[str, Outcome | str], float]]:
    """Per task of the batch, the evaluators' outcomes (before correction) of its claims and the CPU seconds they
    took."""
    frames = Context(batch.data, batch.alpha, batch.min_cell).frames
    specified: dict = {}
    fitted: dict = {}  # the fits of the task before and its siblings (next to each other, see batches)
    registry = load_registry()
    out = []
    for number, task in enumerate(batch.tasks):
        if number and task.siblings != batch.tasks[number - 1].siblings:
            fitted.clear()
        started = time.process_time()
        ctx = MultiverseContext(batch.data, dict(task.spec), batch.mv, batch.alpha, batch.min_cell, batch.seed,
                                frames=frames, specified=specified, fitted=fitted)
        out.append(({claim_id: evaluate._run(registry.get(claim_id), ctx) for claim_id in task.claim_ids},
                    time.process_time() - started))
        del ctx  # its own fits and imputed data sets
        release_free_memory()  # a worker keeps the size of its largest task otherwise
    return out


BATCHES_PER_WORKER = 3
"""Batches per worker: enough to even out their run times, few enough that the data are sent only a few times."""


def map_tasks(function: Callable, tasks: Sequence, workers: int | None = None) -> list:
    """``function`` over ``tasks`` on the build's executor (local processes, or one after another for one
    worker); results in input order."""
    from loopbaanleren.build.executor import make_executor

    with make_executor(min(workers or 2, max(1, len(tasks))) if workers != 0 else None) as executor:
        return executor.map(function, tasks)


@dataclass
class MultiverseResult:
    """One row per claim × specification (:data:`ROW_COLUMNS`), the specifications, what the run cost, and per
    population the rows analysed and the rows in the data (fewer when :func:`subsample` drew a sample)."""

    rows: pd.DataFrame
    specs: list[dict[str, str]]
    cpu_seconds: float
    wall_seconds: float
    tasks: int
    sizes: dict[str, tuple[int, int]] = field(default_factory=dict)


def subsample(data: dict[str, pd.DataFrame], mv: Multiverse) -> dict[str, pd.DataFrame]:
    """Each population's rows, or above ``mv.max_size`` times the study's size a simple random sample of that
    many rows (seed ``mv.seed``, rows kept in their order): the multiverse asks how verdicts depend on analytic
    choices, which the study's own size answers, and its slowest analyses (imputation, factor scores, the wild
    bootstrap) grow with the rows."""
    codebook = load_codebook()
    out = {}
    for population, frame in data.items():
        cap = int(round(mv.max_size * codebook.population(population).default_n))
        if len(frame) > cap:
            rows = np.sort(np.random.default_rng(mv.seed).choice(len(frame), size=cap, replace=False))
            frame = frame.iloc[rows]
        out[population] = frame
    return out


def survey_claims(claims: Iterable[Claim] | None = None) -> list[Claim]:
    """The claims of the survey (default: the registry's), without those of the interview study."""
    claims = list(claims if claims is not None else load_registry())
    return [c for c in claims if c.rq != evaluate.QUALITATIVE_RQ]


def run_multiverse(data: dict[str, pd.DataFrame], claims: Iterable[Claim] | None = None, alpha: float = 0.05,
                   min_cell: int = 10, seed: int = 2026, workers: int | None = None,
                   mv: Multiverse | None = None) -> MultiverseResult:
    """Every survey claim under every specification of the declared design that applies to it.

    Each distinct analysis (a claim group under the choices that matter for it) is evaluated once, through the
    executor; per specification the tests are corrected in their research question's family and decided by the
    verdict rules, as in :func:`evaluate.evaluate_claims`.
    """
    started = time.perf_counter()
    cpu = time.process_time()
    mv = mv or load_multiverse()
    claims = survey_claims(claims)
    specs = specifications(mv)
    # the claims per unit of work: an analysis of the regression claims is run per registry model (its fits and
    # imputations are its own), so the slow ones (imputation, the mixed model) spread over the workers
    parts: dict[tuple[str, str], list[str]] = {}
    for claim in claims:
        group = group_of(claim, mv)
        parts.setdefault((group, claim.get("model", "") if group == "regression" else ""), []).append(claim.id)
    groups = list(dict.fromkeys(group for group, _ in parts))  # the groups that have claims
    keys = {(group, group_key(spec, group, mv)): None for spec in specs for group in groups}
    everything = {pop: frame for pop, frame in data.items() if pop in ("students", "counsellors")}
    plain = subsample(everything, mv)
    tasks = [Task(group, tuple(zip(DIMENSIONS, key)), tuple(ids))
             for group, key in keys for (part_group, _), ids in parts.items() if part_group == group]
    split = batches(tasks, 1 if workers == 1 else BATCHES_PER_WORKER * (workers or 2))
    results: list = [None] * len(tasks)
    done = map_tasks(run_batch, [Batch(tuple(tasks[i] for i in part), plain, alpha, min_cell, seed, mv)
                                 for part in split], workers)
    for part, outs in zip(split, done):
        for index, out in zip(part, outs):
            results[index] = out
    found: dict[tuple, dict] = {}
    for t, (out, _) in zip(tasks, results):
        found.setdefault((t.group, tuple(v for _, v in t.spec)), {}).update(out)
    task_cpu = sum(seconds for _, seconds in results)
    method = load_registry().rules["multiple_testing"]
    rows = []
    for number, spec in enumerate(specs):
        outcomes = {}
        for group in groups:
            outcomes.update(found[(group, group_key(spec, group, mv))])
        adjusted = evaluate._families(claims, outcomes, method)
        label = spec_label(spec, mv)
        for claim in claims:
            if effective(spec, claim, mv) != spec:
                continue
            out = outcomes[claim.id]
            head = {"id": claim.id, "rq": claim.rq, "kind": claim.kind, "derived": evaluate.is_derived(claim),
                    "specification": label, **spec, "primary": number == 0}
            if isinstance(out, str):
                rows.append(head | {"verdict": "not_computable", "reason": out})
                continue
            decision = evaluate.decide(out, adjusted.get(claim.id), alpha)
            computed = out.computed if isinstance(out.computed, (int, float, np.floating)) else np.nan
            rows.append(head | {"computed": computed, "ci_low": out.ci_low, "ci_high": out.ci_high,
                                "p_adjusted": adjusted.get(claim.id), "verdict": decision.verdict,
                                "reason": decision.reason})
    table = pd.DataFrame(rows, columns=ROW_COLUMNS)
    own_cpu = time.process_time() - cpu
    return MultiverseResult(table, specs, own_cpu + (task_cpu if workers != 1 else 0.0),
                            time.perf_counter() - started, len(keys),
                            {pop: (len(plain[pop]), len(frame)) for pop, frame in everything.items()})


# ---------------------------------------------------------------------------------------------- reading it


def robustness(rows: pd.DataFrame) -> pd.DataFrame:
    """Per claim: its verdict in the primary analysis, the number of specifications, the share of them in which
    it is reproduced (``robustness``), and the count of each verdict."""
    counts = pd.crosstab(rows["id"], rows["verdict"]).reindex(columns=list(VERDICTS), fill_value=0)
    primary = rows[rows["primary"]].set_index("id")["verdict"]
    order = list(dict.fromkeys(rows["id"]))
    table = counts.reindex(order)
    table.insert(0, "specifications", table.sum(axis=1))
    table.insert(0, "primary", primary.reindex(order))
    table["robustness"] = table["reproduced"] / table["specifications"]
    first = rows.drop_duplicates("id").set_index("id")
    table.insert(0, "kind", first["kind"].reindex(order))
    table.insert(0, "rq", first["rq"].reindex(order))
    return table.rename_axis("id").reset_index()


def dependence(rows: pd.DataFrame, mv: Multiverse | None = None) -> pd.DataFrame:
    """The choices a verdict depends on: per claim and alternative option, when the verdict under the primary
    analysis with only that choice changed differs from the primary verdict (``alone``), with how many of the
    claim's specifications that make the choice (``specifications``) give another verdict (``changed``).

    A claim whose verdict differs only in combinations of choices gets one row with dimension "combinaties"."""
    mv = mv or load_multiverse()
    found = []
    for claim_id, part in rows.groupby("id", sort=False):
        primary = part[part["primary"]]
        if primary.empty or part["verdict"].nunique() == 1:
            continue
        base = primary["verdict"].iloc[0]
        before = len(found)
        for name in DIMENSIONS:
            for option in mv.dimensions[name].options:
                if option == mv.primary[name]:
                    continue
                others = [n for n in DIMENSIONS if n != name]
                rest = pd.Series({n: mv.primary[n] for n in others})
                single = part[(part[name] == option) & (part[others] == rest).all(axis=1)]
                if single.empty or single["verdict"].iloc[0] == base:
                    continue
                chosen = part[part[name] == option]
                found.append({"id": claim_id, "dimension": name, "option": option, "primary": base,
                              "alone": single["verdict"].iloc[0], "specifications": len(chosen),
                              "changed": int((chosen["verdict"] != base).sum())})
        if len(found) == before:
            changed = part[part["verdict"] != base]
            found.append({"id": claim_id, "dimension": "combinaties", "option": "", "primary": base, "alone": "",
                          "specifications": len(part), "changed": len(changed)})
    return pd.DataFrame(found, columns=["id", "dimension", "option", "primary", "alone", "specifications", "changed"])


def _choice_nl(dimension: str, option: str, mv: Multiverse) -> str:
    if dimension == "combinaties":
        return "alleen combinaties van keuzes"
    return f"{mv.dimensions[dimension].label_nl}: {mv.dimensions[dimension].options[option]}"


def dependence_sentence(claim_id: str, dependence_table: pd.DataFrame, mv: Multiverse | None = None) -> str:
    """In Dutch: the choices the claim's verdict depends on ("hangt af van ..."), or that it depends on none.

    Examples
    --------
    >>> table = pd.DataFrame([{"id": "h2_lr_lm", "dimension": "inference", "option": "mixed", "primary": "reproduced",
    ...                        "alone": "undecided", "specifications": 1, "changed": 1}])
    >>> dependence_sentence("h2_lr_lm", table)
    'Het oordeel over Loopbaanreflectie → Leermotivatie (primair gereproduceerd) hangt af van inferentie: gemengd model (random intercept per cluster) (daar onbeslist).'
    """
    from loopbaanleren.book.chapter_claims import claim_label

    mv = mv or load_multiverse()
    part = dependence_table[dependence_table["id"] == claim_id]
    label = claim_label(claim_id)
    if part.empty:
        return f"Het oordeel over {label} hangt van geen van de keuzes af."
    choices = [_choice_nl(r.dimension, r.option, mv) + (f" (daar {VERDICT_NL[r.alone]})" if r.alone else
                                                        f" ({r.changed} van {r.specifications} specificaties anders)")
               for r in part.itertuples()]
    primary = VERDICT_NL[part["primary"].iloc[0]]
    return f"Het oordeel over {label} (primair {primary}) hangt af van " + "; ".join(choices) + "."


def write_robustness(table: pd.DataFrame, results_dir) -> None:
    """Save the per-claim robustness as ``robustness.csv`` in the build's results folder (read by the ledger)."""
    from loopbaanleren.book.report import save_result

    save_result(table[["id", "specifications", "robustness"]], "robustness", results_dir)


# ---------------------------------------------------------------------------------------------- the chapter's views


def design_text(mv: Multiverse | None = None) -> str:
    """The dimensions and their options in Dutch, primary option first ("inferentie: CR2 ... (primair), ...")."""
    mv = mv or load_multiverse()
    parts = []
    for dim in mv.dimensions.values():
        labels = [f"{label} (primair)" if option == dim.primary else label for option, label in dim.options.items()]
        parts.append(f"{dim.label_nl}: {', '.join(labels)}")
    return "; ".join(parts)


def sample_text(result: MultiverseResult, mv: Multiverse | None = None) -> str:
    """In Dutch, on which rows the multiverse ran: all of them, or the random sample :func:`subsample` drew."""
    from loopbaanleren.claims.evaluate import POPULATION_NL
    from loopbaanleren.book.formatting import fmt_n, fmt_num

    mv = mv or load_multiverse()
    drawn = {pop: sizes for pop, sizes in result.sizes.items() if sizes[0] < sizes[1]}
    if not drawn:
        return "Het multiversum rekent op alle respondenten."
    counts = " en ".join(f"{fmt_n(used)} van de {fmt_n(total)} {POPULATION_NL[pop]}" for pop, (used, total) in drawn.items())
    return (f"De data zijn groter dan {fmt_num(mv.max_size, digits=0 if mv.max_size == int(mv.max_size) else 1)} keer "
            f"het onderzoek zelf; het multiversum rekent daarom op een enkelvoudige aselecte steekproef van {counts} "
            f"(zaad {mv.seed}), omdat zijn traagste analyses (imputatie, factorscores, de bootstrap) met het aantal "
            "rijen groeien. De hoofdstukken rekenen op alle respondenten.")


def dependence_text(dependence_table: pd.DataFrame, mv: Multiverse | None = None) -> str:
    """One Dutch sentence per claim whose verdict depends on a choice (see :func:`dependence_sentence`)."""
    ids = list(dict.fromkeys(dependence_table["id"]))
    if not ids:
        return "Geen enkel oordeel hangt van een van de keuzes af."
    return " ".join(dependence_sentence(i, dependence_table, mv) for i in ids)


def robustness_table(table: pd.DataFrame) -> pd.DataFrame:
    """The per-claim robustness as the book shows it (Dutch headers, verdicts and claims linked to the ledger)."""
    from loopbaanleren.book.chapter_claims import claim_link

    return pd.DataFrame({
        "bewering": [claim_link(i) for i in table["id"]], "vraag": table["rq"], "primair": [VERDICT_NL[v] for v in table["primary"]],
        "specificaties": table["specifications"],
        **{VERDICT_NL[v]: table[v] for v in VERDICTS},
        "robuust": table["robustness"],
    })


def dependence_table(dependence_table: pd.DataFrame, mv: Multiverse | None = None) -> pd.DataFrame:
    """The choices verdicts depend on, in Dutch (claims linked to the ledger)."""
    from loopbaanleren.book.chapter_claims import claim_link

    mv = mv or load_multiverse()
    d = dependence_table
    return pd.DataFrame({
        "bewering": [claim_link(i) for i in d["id"]],
        "keuze": [_choice_nl(n, o, mv) for n, o in zip(d["dimension"], d["option"])],
        "primair": [VERDICT_NL[v] for v in d["primary"]],
        "alleen deze keuze": [VERDICT_NL[v] if v else "" for v in d["alone"]],
        "anders in": [f"{c} van {s} specificaties" for c, s in zip(d["changed"], d["specifications"])],
    })


VERDICT_COLOURS = {"reproduced": "0.15", "undecided": "#e69f00", "not_reproduced": "#d55e00", "not_computable": "0.7"}


def specification_curve(rows: pd.DataFrame, title: str) -> Plot:
    """Per specification and claim the coefficient, sorted, coloured by verdict; below it which choices it made.

    Returns a :class:`loopbaanleren.book.figures.Plot` (figure and Dutch alt text).
    """
    import matplotlib.pyplot as plt

    from loopbaanleren.book.figures import PAGE_WIDTH, STYLE, Plot, apply_style, set_title, wrap_to_figure
    from loopbaanleren.book.formatting import fmt_n

    apply_style()
    data = rows.dropna(subset=["computed"]).sort_values("computed").reset_index(drop=True)
    mv = load_multiverse()
    changing = [n for n in DIMENSIONS if data[n].nunique() > 1]
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(PAGE_WIDTH, 5.2), sharex=True, height_ratios=[3, 2])
    for verdict, colour in VERDICT_COLOURS.items():
        part = data[data["verdict"] == verdict]
        if len(part):
            top.scatter(part.index, part["computed"], s=4, color=colour, label=VERDICT_NL[verdict])
    top.axhline(0, color="0.5", linewidth=0.6)
    top.set_ylabel("gestandaardiseerde β")
    set_title(fig, title)
    top.legend(loc="upper left", markerscale=3)
    labels = []
    for name in changing:
        for option in mv.dimensions[name].options:
            if option == mv.primary[name]:
                continue
            y = len(labels)
            where = data.index[data[name] == option]
            bottom.scatter(where, np.full(len(where), y), s=1, marker="|", color="0.2")
            labels.append(mv.dimensions[name].options[option])
    bottom.set_yticks(range(len(labels)), labels, fontsize=7)
    # under the whole figure: the options' long tick labels push the axes, and a label centred under them, right
    size = STYLE["axes.labelsize"]
    fig.supxlabel(wrap_to_figure(fig, "specificaties van alle verbanden, van kleinste naar grootste β", size), fontsize=size)
    reproduced = int((data["verdict"] == "reproduced").sum())
    alt = (f"Specificatiecurve: {fmt_n(len(data))} coëfficiënten van {data['id'].nunique()} verbanden onder de "
           f"specificaties, van klein naar groot; {fmt_n(reproduced)} van de {fmt_n(len(data))} gereproduceerd.")
    return Plot(fig, alt)
