"""The check rules: each finding's code, severity and detector, one family a module."""
