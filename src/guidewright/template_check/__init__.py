"""`guidewright template check`: what a template maintainer must fix before a release."""
