"""Data: the two sources of truth (the codebook and the claims registry), survey readers, mapping, validation,
simulation, templates and disclosure control."""
