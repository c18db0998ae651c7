"""The site and its documents: frontmatter, checks, creation."""
