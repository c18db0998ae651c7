"""Hover and completion: the question model's help, choices and defaults, the site's tags,
pages by title and anchors, where the cursor asks for them."""

from __future__ import annotations

import posixpath
import re
from typing import TYPE_CHECKING, Any

from lsprotocol import types

from guidewright.check.page_check import anchors_in
from guidewright.copier_compat.questions import MISSING, Question
from guidewright.lsp.page_text import KEY_LINE, default_of, dump, head_of, owning_key
from guidewright.template.questionnaire import Questionnaire

if TYPE_CHECKING:
    from guidewright.lsp.server import GuidewrightServer

ANCHOR_AFTER = re.compile(r"\]\(<?([^)\s#>]*)#([^)\s>]*)$")
VALUE_AFTER = re.compile(r"^([A-Za-z_][\w-]*)\s*:\s*(\S*)$")
ITEM_AFTER = re.compile(r"^\s*-\s*(\S*)$")
FLOW_AFTER = re.compile(r"^([A-Za-z_][\w-]*)\s*:\s*\[[^\]#]*$")  # in `key: [a, b, `
KEY_BEING_TYPED = re.compile(r"^([A-Za-z_][\w-]*)?$")


def hover_text(question: Question, context: dict[str, Any]) -> str:
    """The question's help, type, allowed values and default, as Markdown."""
    shown = [f"**{question.name}**: {_safe(lambda: question.help_text(context), question.name)}"]
    shown.append(f"type: `{_safe(lambda: question.type_name(context), str(question.type))}`")
    choices = _safe(lambda: question.choice_list(context), [])
    if choices:
        allowed = ", ".join(f"`{dump(c.value)}`" for c in choices if not c.disabled)
        shown.append(f"allowed: {allowed}" + (" (several)" if question.multiselect else ""))
    default = default_of(question, context)
    if default is not MISSING:
        shown.append(f"default: `{dump(default)}`")
    return "\n\n".join(shown)


def _safe(make: Any, fallback: Any) -> Any:
    try:
        return make()
    except Exception:  # the template's Jinja on a half-written page
        return fallback


def hover(questionnaire: Questionnaire, lines: list[str], line: int) -> types.Hover | None:
    head = head_of(lines)
    if head is None or not 0 < line < head.closing:
        return None
    found = KEY_LINE.match(lines[line])
    question = questionnaire.questions.get(found.group(1)) if found else None
    if question is None:
        return None
    content = types.MarkupContent(
        kind=types.MarkupKind.Markdown, value=hover_text(question, head.data)
    )
    return types.Hover(contents=content)


def completions(
    ls: GuidewrightServer, in_docs: str, lines: list[str], line: int, character: int
) -> list[types.CompletionItem]:
    """What may be typed at the cursor (`character` in code points)."""
    before = lines[line][:character] if line < len(lines) else ""
    head = head_of(lines)
    questionnaire = ls.live.judge_of(in_docs)
    if head is None or not 0 < line < head.closing:
        found = ANCHOR_AFTER.search(before)
        return _anchors(ls, in_docs, lines, found.group(1)) if found else []
    if KEY_BEING_TYPED.match(before):
        return _missing_keys(questionnaire, head.data)
    value = VALUE_AFTER.match(before) or FLOW_AFTER.match(before)
    item = ITEM_AFTER.match(before) or FLOW_AFTER.match(before)
    key = value.group(1) if value else owning_key(lines, line) if item else None
    if key is None:
        return []
    block = questionnaire.block
    if key == block.tags_question and item:
        counts = ls.live.tag_counts()
        return [
            types.CompletionItem(label=tag, kind=types.CompletionItemKind.EnumMember,
                                 detail=f"used by {counts[tag]}")
            for tag in sorted(counts)
        ]  # fmt: skip
    if block.suggestions.get(key) == "site-documents" and item:
        return [
            types.CompletionItem(label=title, kind=types.CompletionItemKind.File, detail=path,
                                 insert_text=dump(path), filter_text=f"{title} {path}")
            for path, title in ls.live.titles() if path != in_docs
        ]  # fmt: skip
    question = questionnaire.questions.get(key)
    choices = _safe(lambda: question.choice_list(head.data), []) if question else []
    return [
        types.CompletionItem(label=dump(c.value), kind=types.CompletionItemKind.EnumMember,
                             detail=c.label)
        for c in choices if not c.disabled
    ]  # fmt: skip


def _missing_keys(questionnaire: Questionnaire, data: dict[str, Any]) -> list[types.CompletionItem]:
    asked = _safe(lambda: questionnaire.frontmatter_questions(data), [])
    items = []
    for question in asked:
        if question.name in data:
            continue
        default = default_of(question, data)
        written = "" if default is MISSING else f" {dump(default)}"
        items.append(
            types.CompletionItem(
                label=question.name,
                kind=types.CompletionItemKind.Property,
                detail=_safe(lambda q=question: q.help_text(data), question.name),
                insert_text=f"{question.name}:{written}",
            )
        )
    return items


def _anchors(
    ls: GuidewrightServer, in_docs: str, lines: list[str], target: str
) -> list[types.CompletionItem]:
    if not target:
        offered = anchors_in("".join(lines), ls.live.site.profile.markdown)
    else:
        page = posixpath.normpath(posixpath.join(posixpath.dirname(in_docs), target))
        offered = ls.live.index().anchors_of(page)
    return [
        types.CompletionItem(label=anchor, kind=types.CompletionItemKind.Reference)
        for anchor in sorted(offered or ())
    ]


def register(server: GuidewrightServer) -> None:
    """Hover, completion and code actions on the server."""

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    def on_hover(ls: GuidewrightServer, params: types.HoverParams) -> types.Hover | None:
        in_docs = ls.page_of(params.text_document.uri)
        if in_docs is None:
            return None
        lines = ls.page_lines(params.text_document.uri)
        return hover(ls.live.judge_of(in_docs), lines, params.position.line)

    @server.feature(
        types.TEXT_DOCUMENT_COMPLETION,
        types.CompletionOptions(trigger_characters=["#", "-", " ", ":"]),
    )
    def on_completion(
        ls: GuidewrightServer, params: types.CompletionParams
    ) -> types.CompletionList | None:
        in_docs = ls.page_of(params.text_document.uri)
        if in_docs is None:
            return None
        lines = ls.page_lines(params.text_document.uri)
        codec = ls.workspace.position_codec
        at = codec.position_from_client_units(lines, params.position)
        items = completions(ls, in_docs, lines, at.line, at.character)
        return types.CompletionList(is_incomplete=False, items=items)
