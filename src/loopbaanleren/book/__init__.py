"""Everything a reader sees, in Dutch: text, glue keys, tables, figures, chapters, pages, Sphinx, PDF."""
