"""Data: the codebook, survey readers, mapping, validation, simulation, templates and disclosure control."""
