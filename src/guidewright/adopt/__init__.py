"""`guidewright adopt`: bringing hand-written pages under the template."""
