"""`guidewright mv`: a page or a folder of pages moved, and everything that names it
following it (links and their anchors, answers files, frontmatter lists, the engine's `nav`
and redirects), computed as plain data (plan.py) and written as one group of one write
session (run.py)."""
