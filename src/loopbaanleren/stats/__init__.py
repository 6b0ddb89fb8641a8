"""Statistical procedures for survey data of respondents nested in a few clusters, usable without the book.

>>> from loopbaanleren import stats
>>> stats.holm([0.01, 0.04, 0.03]).round(2).tolist()
[0.03, 0.06, 0.06]

Every procedure takes plain pandas or numpy data and returns a result from :mod:`loopbaanleren.stats.results`
(or a DataFrame with one row per group or pair); bad input raises an :class:`~loopbaanleren.errors.InputError` or
:class:`~loopbaanleren.errors.ParameterError` naming the problem. The modules: ``location`` (shares and means),
``groups`` (comparisons across groups), ``multiple_testing``, ``cluster_robust`` (CR1/CR2), ``regression``,
``mixed`` (random-intercept model, ICC), ``ordinal`` (proportional odds, separation), ``equivalence`` (TOST),
``reliability`` (alpha, omega), ``margins`` (a replication's margin), ``studentized`` (the studentized range),
``distributions`` and ``samples`` (listwise deletion with checks).
"""

from loopbaanleren.stats.cluster_robust import cluster_robust
from loopbaanleren.stats.equivalence import equivalence
from loopbaanleren.stats.groups import games_howell, group_means, planned_contrast, welch_anova
from loopbaanleren.stats.location import cr2_estimate, mean_ci, one_sample, paired_difference, proportion, two_sample
from loopbaanleren.stats.margins import margin_point
from loopbaanleren.stats.mixed import icc
from loopbaanleren.stats.multiple_testing import adjust_pvalues, holm
from loopbaanleren.stats.regression import fit_regression, vif
from loopbaanleren.stats.reliability import cronbach_alpha, mcdonald_omega, reliability_table

__all__ = [
    "adjust_pvalues",
    "cluster_robust",
    "cr2_estimate",
    "cronbach_alpha",
    "equivalence",
    "fit_regression",
    "games_howell",
    "group_means",
    "holm",
    "icc",
    "margin_point",
    "mcdonald_omega",
    "mean_ci",
    "one_sample",
    "paired_difference",
    "planned_contrast",
    "proportion",
    "reliability_table",
    "two_sample",
    "vif",
    "welch_anova",
]
