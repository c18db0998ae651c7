"""guidewright's own side of a template: its `_guidewright` block, answers, migrations."""
