"""Statistical procedures: no codebook, registry, Dutch or I/O."""
