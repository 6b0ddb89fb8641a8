"""The evaluators of the registry's claims and the verdict rules (numbers and English identifiers)."""

EVALUATOR_VERSION = 2
"""The version of the evaluators' arithmetic and verdict rules in code (this package's evaluators, families,
hypotheses and verdicts, the estimators they call): raise it with a change that changes a replication's verdicts.
With the claims registry, the codebook and the simulation parameters it keys a planner result
(:func:`loopbaanleren.robustness.planner.result_key`) and a preregistration's hashes."""
