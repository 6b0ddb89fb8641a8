"""The claims registry, the evaluators of its claims and the verdict rules (numbers only)."""
