"""A page's text as the site's renderer reads it: frontmatter, the pyromark outline,
Python-Markdown's list model."""
