"""The documentation site: its folders, configuration, pages, answers files, and how
they are written."""
