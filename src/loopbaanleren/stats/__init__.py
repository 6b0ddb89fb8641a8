"""Statistical procedures for survey data of respondents nested in a few clusters, usable without the book.

>>> from loopbaanleren import stats
>>> stats.holm([0.01, 0.04, 0.03]).round(2).tolist()
[0.03, 0.06, 0.06]

Every procedure takes plain pandas or numpy data and returns a result from :mod:`loopbaanleren.stats.results`
(or a DataFrame with one row per group or pair); bad input raises an :class:`~loopbaanleren.errors.InputError` or
:class:`~loopbaanleren.errors.ParameterError` naming the problem. The modules: ``location`` (shares and means),
``groups`` (comparisons across groups), ``multiple_testing``, ``sandwich`` (cluster-robust CR1/CR2), ``regression``,
``mixed`` (random-intercept model, ICC), ``ordinal`` (proportional odds, separation), ``tost`` (equivalence by two one-sided tests),
``reliability`` (alpha, omega), ``margins`` (a replication's margin), ``studentized`` (the studentized range),
``distributions`` and ``samples`` (listwise deletion with checks).
"""

import importlib

_HOME = {
    "adjust_pvalues": "multiple_testing",
    "cluster_robust": "sandwich",
    "cr2_estimate": "location",
    "cronbach_alpha": "reliability",
    "equivalence": "tost",
    "fit_regression": "regression",
    "games_howell": "groups",
    "group_means": "groups",
    "holm": "multiple_testing",
    "icc": "mixed",
    "margin_point": "margins",
    "mcdonald_omega": "reliability",
    "mean_ci": "location",
    "one_sample": "location",
    "paired_difference": "location",
    "planned_contrast": "groups",
    "proportion": "location",
    "reliability_table": "reliability",
    "two_sample": "location",
    "vif": "regression",
    "welch_anova": "groups",
}
"""Each public procedure and the module that holds it: imported on first use, so that importing one module of
the statistics (or the package) does not load every library the others need."""

__all__ = sorted(_HOME)


def __getattr__(name: str):
    """The procedure ``name`` of :data:`__all__`, imported from its module on first use (PEP 562)."""
    if name not in _HOME:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{_HOME[name]}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
