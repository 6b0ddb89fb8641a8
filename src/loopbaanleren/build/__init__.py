"""The build: command line, parameters, chapter graph, notebook execution, cache, provenance."""
