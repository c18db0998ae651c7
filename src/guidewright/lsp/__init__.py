"""`guidewright lsp`: the template's rules in the editor, through the Language Server Protocol."""
