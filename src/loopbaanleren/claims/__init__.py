"""The evaluators of the registry's claims and the verdict rules (numbers and English identifiers)."""
