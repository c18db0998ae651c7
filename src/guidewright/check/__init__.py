"""Running the rules: one page, a whole site, `--fix`, and the output formats of findings."""
