"""guidewright: authoring wizard for interview-preparation guides and tutorials."""

__version__ = "0.1.0"
