"""Code actions where the fix is known: each fix the registry's rules offer (the lists of
`check --fix`), and the editor's own, by rule: a missing required key with its default
(GW102), a broken link pointed at the closest page or anchor (GW201), and on the tags key
a tag normalised or the known tag it most likely means."""

from __future__ import annotations

import difflib
import posixpath
import re
from typing import TYPE_CHECKING

from lsprotocol import types
from pygls.workspace.position_codec import ServerTextPosition, ServerTextRange

from guidewright.check.page_check import anchors_in
from guidewright.copier_compat.questions import MISSING
from guidewright.lsp.page_text import default_of, dump, head_of, owning_key
from guidewright.rules.links import BROKEN_LINK
from guidewright.rules.questions_check import MISSING_KEY
from guidewright.template.normalise import likely_meant, normalise_value

if TYPE_CHECKING:
    from guidewright.lsp.live_site import LiveSite
    from guidewright.lsp.server import GuidewrightServer

LINK_AT = re.compile(r"\]\(\s*<?([^)\s>]+)")
# An item of a block list (`- tag`) or of a flow list (`[a, "b"]`).
ITEM = re.compile(r"(?:^\s*-\s*|[\[,]\s*)([^,\[\]\n\r]+?)\s*(?=[,\]\r\n]|$)")

# (title, 0-based line, start, end, new text) in code points; None for the whole page.
Edit = tuple[int, int, int, str]


def tag_fixes(live: LiveSite, lines: list[str]) -> list[tuple[str, Edit]]:
    """Each tag of the page that is not in the template's form, or a slip of a known tag."""
    head = head_of(lines)
    key = live.questionnaire.block.tags_question
    if head is None or not key:
        return []
    how = live.questionnaire.block.normalise.get(key)
    counts = live.tag_counts()
    fixes = []
    for number in range(1, head.closing):
        if owning_key(lines, number) != key:
            continue
        text = re.split(r"\s#", lines[number], maxsplit=1)[0]  # not the comment
        for found in ITEM.finditer(text):
            tag, start, end = found.group(1), found.start(1), found.end(1)
            if len(tag) >= 2 and tag[0] == tag[-1] and tag[0] in "'\"":
                tag, start, end = tag[1:-1], start + 1, end - 1
            if not tag or tag.endswith(":"):
                continue
            better = normalise_value(how, tag) if how else tag
            if better == tag:
                others = counts.copy()
                others[tag] -= 1  # this page's own use does not make it known
                known = [t for t, n in others.items() if n > 0]
                better = likely_meant(tag, known) or tag
                verb = "did you mean"
            else:
                verb = "normalise to"
            if better != tag:
                edit = (number, start, end, str(better))
                fixes.append((f"{verb} '{better}' (tag '{tag}')", edit))
    return fixes


def missing_key_fixes(
    live: LiveSite, in_docs: str, lines: list[str], missing: list[str]
) -> list[tuple[str, str, Edit]]:
    """`key: default` before the closing `---`, for each missing key that has a default."""
    head = head_of(lines)
    if head is None:
        return []
    questionnaire = live.judge_of(in_docs)
    fixes = []
    for key in missing:
        question = questionnaire.questions.get(key)
        default = default_of(question, head.data) if question else MISSING
        if default is MISSING:
            continue
        newline = "\r\n" if lines[0].endswith("\r\n") else "\n"
        fixes.append(
            (
                key,
                f"add {key}: {dump(default)}",
                (head.closing, 0, 0, f"{key}: {dump(default)}{newline}"),
            )
        )
    return fixes


def link_fix(
    live: LiveSite, in_docs: str, lines: list[str], line: int, start: int
) -> tuple[str, Edit] | None:
    """The broken link at (line, start) pointed at the closest page, or the closest anchor."""
    found = LINK_AT.search(lines[line], start)
    if not found:
        return None
    target = found.group(1)
    path, _, anchor = target.partition("#")
    here = posixpath.dirname(in_docs)
    index = live.index()
    resolved = posixpath.normpath(posixpath.join(here, path)) if path else in_docs
    if path and resolved not in index.files:
        candidates = [posixpath.relpath(p, here or ".") for p in index.documents if p != in_docs]
        close = difflib.get_close_matches(path, candidates, n=1, cutoff=0.5)
        if not close:
            return None
        better = close[0] + (f"#{anchor}" if anchor else "")
    elif anchor:
        markdown = live.site.profile.markdown
        offered = anchors_in("".join(lines), markdown) if not path else index.anchors_of(resolved)
        close = difflib.get_close_matches(anchor, sorted(offered or ()), n=1, cutoff=0.4)
        if not close:
            return None
        better = f"{path}#{close[0]}"
    else:
        return None
    return (f"point the link at {better}", (line, found.start(1), found.end(1), better))


def code_actions(
    ls: GuidewrightServer, uri: str, diagnostics: list[types.Diagnostic]
) -> list[types.CodeAction]:
    in_docs = ls.page_of(uri)
    if in_docs is None:
        return []
    document = ls.workspace.get_text_document(uri)
    lines = ls.page_lines(uri)
    ours = [d for d in diagnostics if d.source == "guidewright"]
    rule_of = {id(d): ls.registry.get(d.code) for d in ours}
    # An edit of one line, or the page's whole new text.
    found: list[tuple[str, Edit | str, types.Diagnostic | None]] = []
    tags_key = ls.live.questionnaire.block.tags_question
    tag_diagnostics = [
        d for d in ours if isinstance(d.data, dict) and d.data.get("field") == tags_key
    ]
    for title, edit in tag_fixes(ls.live, lines):
        found.append((title, edit, tag_diagnostics[0] if tag_diagnostics else None))
    missing = [d for d in ours if rule_of[id(d)] is MISSING_KEY and isinstance(d.data, dict)]
    keys = [str(d.data["field"]) for d in missing]  # type: ignore[index]
    by_key = dict(zip(keys, missing, strict=True))
    for key, title, edit in missing_key_fixes(ls.live, in_docs, lines, keys):
        found.append((title, edit, by_key[key]))
    for diagnostic in ours:
        if rule_of[id(diagnostic)] is BROKEN_LINK:
            at = document.position_codec.position_from_client_units(lines, diagnostic.range.start)
            fix = link_fix(ls.live, in_docs, lines, at.line, at.character)
            if fix:
                found.append((fix[0], fix[1], diagnostic))
    page = ls.page_text(uri)
    for rule in ls.registry.fixable:
        assert rule.fix is not None  # Registry.fixable: rules with a fix
        flagged = [d for d in ours if rule_of[id(d)] is rule]
        fixed = rule.fix.apply(page, ls.live.site.profile.markdown).text if flagged else page
        if fixed != page:
            found.append((f"{rule.fix.title} ({rule.code})", fixed, flagged[0]))
    codec = document.position_codec
    result = []
    for title, change, fixes in found:
        if isinstance(change, str):
            end = codec.position_to_client_units(lines, ServerTextPosition(len(lines), 0))
            whole = types.Range(types.Position(0, 0), end)
            text_edit = types.TextEdit(range=whole, new_text=change)
        else:
            line, start, stop, text = change
            server_range = ServerTextRange(
                ServerTextPosition(line, start), ServerTextPosition(line, stop)
            )
            text_edit = types.TextEdit(
                range=codec.range_to_client_units(lines, server_range), new_text=text
            )
        result.append(
            types.CodeAction(
                title=title,
                kind=types.CodeActionKind.QuickFix,
                diagnostics=[fixes] if fixes else None,
                edit=types.WorkspaceEdit(changes={uri: [text_edit]}),
            )
        )
    return result


def register(server: GuidewrightServer) -> None:
    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]),
    )
    def on_code_action(
        ls: GuidewrightServer, params: types.CodeActionParams
    ) -> list[types.CodeAction]:
        return code_actions(ls, params.text_document.uri, list(params.context.diagnostics))
