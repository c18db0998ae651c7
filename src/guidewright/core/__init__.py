"""The ground floor: errors, git, signals, parallel maps, atomic writes, bounded YAML.

Imports nothing else of guidewright."""
