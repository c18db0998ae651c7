"""The check rules, in ruff's shape: one module per family, each rule a `Rule` value
(rule.py) beside its detector and fix, and every rule one row of registry.py."""
