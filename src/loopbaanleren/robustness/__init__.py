"""Robustness of the verdicts: the multiverse and the replication planner."""
