"""Code actions where the fix is known, for the findings in the range the editor asks
about (the server's own findings on the page's current text: nothing is read from the
diagnostics the client echoes back): each fix the registry's rules offer (the lists of
`check --fix`), sent as the few lines it changes; and the editor's own, by rule: a
refused choice replaced by the allowed value it most likely means (GW101), a missing
required key with its default (GW102), a key no question asks removed (GW103, GW104), a
broken link pointed at the closest page or anchor (GW201), and on the tags key a tag
normalised or the known tag it most likely means (GW402)."""

from __future__ import annotations

import difflib
import posixpath
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from lsprotocol import types
from pygls.workspace.position_codec import PositionCodec, ServerTextPosition, ServerTextRange

from guidewright.check.page_check import anchors_in
from guidewright.copier_compat.questions import MISSING
from guidewright.lsp.line_edits import line_edits
from guidewright.lsp.lines import lsp_lines
from guidewright.lsp.page_text import KEY_LINE, LIST_ITEM, default_of, dump, head_of, owning_key
from guidewright.rules.links import BROKEN_LINK
from guidewright.rules.questions_check import KEY_NOT_ASKED, MISSING_KEY, REFUSED_VALUE, UNKNOWN_KEY
from guidewright.template.normalise import likely_meant, nearest, normalise_value

if TYPE_CHECKING:
    from guidewright.lsp.live_site import LiveSite
    from guidewright.lsp.server import GuidewrightServer, Place

LINK_AT = re.compile(r"\]\(\s*<?([^)\s>]+)")
# A key's value on its line: after `key:` and blanks, before a comment and the line end.
VALUE_ON_LINE = re.compile(r"^[A-Za-z_][\w-]*\s*:[ \t]*(.*?)[ \t]*(?:[ \t]#.*)?\r?\n?$")


@dataclass(frozen=True)
class Edit:
    """Text replacing lines[line][start:] to lines[end_line][end] (0-based, code points)."""

    line: int
    start: int
    end_line: int
    end: int
    text: str


def one_line(line: int, start: int, end: int, text: str) -> Edit:
    return Edit(line, start, line, end, text)


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
        for found in LIST_ITEM.finditer(text):
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
                fixes.append(
                    (f"{verb} '{better}' (tag '{tag}')", one_line(number, start, end, str(better)))
                )
    return fixes


def missing_key_fix(
    live: LiveSite, in_docs: str, lines: list[str], key: str
) -> tuple[str, Edit] | None:
    """`key: default` before the closing `---`, when the missing key has a default."""
    head = head_of(lines)
    question = live.judge_of(in_docs).questions.get(key)
    if head is None or question is None:
        return None
    default = default_of(question, head.data)
    if default is MISSING:
        return None
    newline = "\r\n" if lines[0].endswith("\r\n") else "\n"
    written = f"{key}: {dump(default)}"
    return f"add {written}", one_line(head.closing, 0, 0, f"{written}{newline}")


def choice_fix(
    live: LiveSite, in_docs: str, lines: list[str], line: int, key: str
) -> tuple[str, Edit] | None:
    """A refused value of a question with choices replaced by the allowed one it most
    likely means ("did you mean"), the value's quotes kept."""
    head = head_of(lines)
    question = live.judge_of(in_docs).questions.get(key)
    found = VALUE_ON_LINE.match(lines[line]) if line < len(lines) else None
    if head is None or question is None or found is None or question.multiselect:
        return None
    try:
        choices = [c.value for c in question.choice_list(head.data) if not c.disabled]
    except Exception:  # the template's Jinja on a half-written page
        return None
    written, start, end = found.group(1), found.start(1), found.end(1)
    quote = written[:1] if written[:1] in {'"', "'"} and written.endswith(written[:1]) else ""
    value = written[1:-1] if quote else written
    by_text = {str(c): c for c in choices}
    meant = nearest(value, list(by_text)) or nearest(value.lower(), list(by_text))
    if meant is None or meant == value:
        return None
    new = (
        f"{quote}{meant}{quote}"
        if quote and isinstance(by_text[meant], str)
        else dump(by_text[meant])
    )
    return f"did you mean '{meant}' ({key})", one_line(line, start, end, new)


def remove_key_fix(lines: list[str], line: int, key: str) -> tuple[str, Edit] | None:
    """The key's lines (its value's, to the next key or the closing `---`) removed."""
    head = head_of(lines)
    found = KEY_LINE.match(lines[line]) if line < len(lines) else None
    if head is None or found is None or found.group(1) != key or not 0 < line < head.closing:
        return None
    last = line + 1
    while (
        last < head.closing and owning_key(lines, last) == key and not KEY_LINE.match(lines[last])
    ):
        last += 1
    return f"remove the key {key}", Edit(line, 0, last, 0, "")


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
    return f"point the link at {better}", one_line(line, found.start(1), found.end(1), better)


def _overlaps(ask: types.Range, found: types.Range) -> bool:
    """Whether a finding's range meets the range the editor asks about (a cursor is an
    empty range: the findings on it)."""

    def key(p: types.Position) -> tuple[int, int]:
        return p.line, p.character

    return key(found.start) <= key(ask.end) and key(ask.start) <= key(found.end)


def code_actions(ls: GuidewrightServer, uri: str, asked: types.Range) -> list[types.CodeAction]:
    place = ls.place(uri)
    if place is None:
        return []
    text = ls.page_text(uri)
    lines = lsp_lines(text)
    codec = ls.workspace.position_codec
    found = [d for d in ls.diagnostics_of(place, text) if _overlaps(asked, d.range)]
    fixes: list[tuple[str, list[types.TextEdit], types.Diagnostic]] = []
    tags_key = place.live.questionnaire.block.tags_question
    tag_findings = [d for d in found if _field(d) == tags_key]
    for title, edit in tag_fixes(place.live, lines) if tag_findings else []:
        fixes.append((title, [_text_edit(codec, lines, edit)], tag_findings[0]))
    for diagnostic in found:
        fix = _fix_of(place, lines, diagnostic, codec)
        if fix:
            fixes.append((fix[0], [_text_edit(codec, lines, fix[1])], diagnostic))
    for rule in ls.registry.fixable:
        assert rule.fix is not None  # Registry.fixable: rules with a fix
        flagged = [d for d in found if d.code == rule.code]
        if not flagged:
            continue
        fixed = rule.fix.apply(text, place.live.site.profile.markdown).text
        if fixed != text:
            edits = line_edits(lines, lsp_lines(fixed), codec)
            fixes.append((f"{rule.fix.title} ({rule.code})", edits, flagged[0]))
    return [_action(uri, title, edits, diagnostic) for title, edits, diagnostic in fixes]


def _field(diagnostic: types.Diagnostic) -> str:
    """The key or field a finding names (its message is `field: message`)."""
    return diagnostic.message.split(":", 1)[0]


def _fix_of(
    place: Place, lines: list[str], diagnostic: types.Diagnostic, codec: PositionCodec
) -> tuple[str, Edit] | None:
    """The editor's own fix of one finding, by its rule, if it has one."""
    at = codec.position_from_client_units(lines, diagnostic.range.start)
    field = _field(diagnostic)
    live, in_docs = place.live, place.in_docs
    if diagnostic.code == BROKEN_LINK.code:
        return link_fix(live, in_docs, lines, at.line, at.character)
    if diagnostic.code == MISSING_KEY.code:
        return missing_key_fix(live, in_docs, lines, field)
    if diagnostic.code == REFUSED_VALUE.code:
        return choice_fix(live, in_docs, lines, at.line, field)
    if diagnostic.code in {UNKNOWN_KEY.code, KEY_NOT_ASKED.code}:
        return remove_key_fix(lines, at.line, field)
    return None


def _text_edit(codec: PositionCodec, lines: list[str], edit: Edit) -> types.TextEdit:
    """An edit in code points as the client counts (its position encoding)."""
    server_range = ServerTextRange(
        ServerTextPosition(edit.line, edit.start), ServerTextPosition(edit.end_line, edit.end)
    )
    return types.TextEdit(
        range=codec.range_to_client_units(lines, server_range), new_text=edit.text
    )


def _action(
    uri: str, title: str, edits: list[types.TextEdit], diagnostic: types.Diagnostic
) -> types.CodeAction:
    return types.CodeAction(
        title=title,
        kind=types.CodeActionKind.QuickFix,
        diagnostics=[diagnostic],
        edit=types.WorkspaceEdit(changes={uri: edits}),
    )


def register(server: GuidewrightServer) -> None:
    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]),
    )
    def on_code_action(
        ls: GuidewrightServer, params: types.CodeActionParams
    ) -> list[types.CodeAction]:
        return code_actions(ls, params.text_document.uri, params.range)
