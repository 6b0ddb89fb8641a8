"""The scenarios of the simulated data: the model calibrated to the claims, and its negative control."""

SCENARIOS = ("default", "null")
"""``default``: the model calibrated to the published claims; ``null``: every claim's generating parameter moved
to its contrary (see :func:`loopbaanleren.data.simulation.scenario_parameters`)."""
