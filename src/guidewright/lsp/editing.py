"""Hover and completion: the question model's help, choices and defaults, the site's tags,
pages by title and anchors, where the cursor asks for them."""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from lsprotocol import types
from pygls.workspace.position_codec import ServerTextPosition, ServerTextRange

from guidewright.check.page_check import anchors_in
from guidewright.copier_compat.questions import MISSING, Question
from guidewright.core.fuzzy import fuzzy
from guidewright.lsp.page_text import KEY_LINE, default_of, dump, head_of, owning_key
from guidewright.template.json_schema import question_schema
from guidewright.template.questionnaire import Questionnaire

if TYPE_CHECKING:
    from guidewright.lsp.live_site import LiveSite
    from guidewright.lsp.server import GuidewrightServer, Place

ANCHOR_AFTER = re.compile(r"\]\(<?([^)\s#>]*)#([^)\s>]*)$")
VALUE_AFTER = re.compile(r"^([A-Za-z_][\w-]*)\s*:\s*(\S*)$")
ITEM_AFTER = re.compile(r"^\s*-\s*(\S*)$")
FLOW_AFTER = re.compile(r"^([A-Za-z_][\w-]*)\s*:\s*\[[^\]#]*$")  # in `key: [a, b, `
KEY_BEING_TYPED = re.compile(r"^([A-Za-z_][\w-]*)?$")
VALIDATOR_CALL = re.compile(r"\{\{\s*(.*?)\s*\}\}", re.DOTALL)  # the call, past any import


def hover_text(questionnaire: Questionnaire, question: Question, context: dict[str, Any]) -> str:
    """The question's help, type, validator's rule, allowed values and default, as
    Markdown."""
    shown = [f"**{question.name}**: {_safe(lambda: question.help_text(context), question.name)}"]
    shown.append(f"type: `{_safe(lambda: question.type_name(context), str(question.type))}`")
    rule = rule_text(questionnaire, question, context)
    if rule:
        shown.append(f"rule: {rule}")
    choices = _safe(lambda: question.choice_list(context), [])
    if choices:
        allowed = ", ".join(f"`{dump(c.value)}`" for c in choices if not c.disabled)
        shown.append(f"allowed: {allowed}" + (" (several)" if question.multiselect else ""))
    default = default_of(question, context)
    if default is not MISSING:
        shown.append(f"default: `{dump(default)}`")
    return "\n\n".join(shown)


def rule_text(questionnaire: Questionnaire, question: Question, context: dict[str, Any]) -> str:
    """What the question's validator asks, in `check`'s own words where the template's
    rule says it in JSON Schema (the message `check` gives a value the rule refuses, as
    the editors' schema carries it), else the validator's call as the template writes it;
    '' without a validator."""
    if not question.validator:
        return ""
    schema = _safe(lambda: question_schema(questionnaire, question, context), {})
    items = schema.get("items")
    for holder in (schema, items if isinstance(items, dict) else {}):
        message = holder.get("patternErrorMessage")
        if isinstance(message, str) and message:
            return f"{question.name} {message}"
    call = VALIDATOR_CALL.search(question.validator)
    return f"`{call.group(1) if call else question.validator}`"


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
        kind=types.MarkupKind.Markdown, value=hover_text(questionnaire, question, head.data)
    )
    return types.Hover(contents=content)


# How many completion items one answer carries: the rest are asked for as the author types
# on (`isIncomplete`); a site of 5,000 pages would otherwise send them all each keystroke.
MOST_ITEMS = 100
# A link's target being typed in the body: `](` then the path so far.
LINK_TYPED = re.compile(r"\]\(<?([^)\s#>]*)$")


@dataclass(slots=True)  # not frozen: a site's 5,000 pages make 5,000 of them a keystroke
class Offer:
    """One thing that may be typed: shown as `label`, written as `text` (None: `value` in
    YAML after the author's opening `quote`, made only for the offers sent: a site's
    5,000 pages are not all dumped), found by `match`."""

    label: str
    text: str | None
    kind: types.CompletionItemKind
    detail: str | None = None
    match: str = ""  # what the typed text is fuzzy-matched against; the label when empty
    value: Any = None
    quote: str = ""

    def written(self) -> str:
        return self.text if self.text is not None else _written(self.value, self.quote)


@dataclass(frozen=True)
class Completion:
    """What may replace the text from `start` to the cursor (code points) and `past` more
    characters (the closing quote an editor typed with the opening one), and that text."""

    start: int
    typed: str
    offers: list[Offer]
    past: int = 0


def completions(place: Place, lines: list[str], line: int, character: int) -> Completion | None:
    """What may be typed at the cursor (`character` in code points), None for nothing."""
    live, in_docs = place.live, place.in_docs
    before = lines[line][:character] if line < len(lines) else ""
    head = head_of(lines)
    questionnaire = live.judge_of(in_docs)
    if head is None or not 0 < line < head.closing:
        anchor = ANCHOR_AFTER.search(before)
        if anchor:
            start = character - len(anchor.group(2))
            return Completion(
                start, anchor.group(2), _anchors(live, in_docs, lines, anchor.group(1))
            )
        link = LINK_TYPED.search(before)
        if link:
            start = character - len(link.group(1))
            return Completion(start, link.group(1), _pages(live, in_docs))
        return None
    if KEY_BEING_TYPED.match(before):
        return Completion(0, before, _missing_keys(questionnaire, head.data))
    value = VALUE_AFTER.match(before) or FLOW_AFTER.match(before)
    item = ITEM_AFTER.match(before) or FLOW_AFTER.match(before)
    key = value.group(1) if value else owning_key(lines, line) if item else None
    if key is None:
        return None
    start = _token_start(before, before.index(":") + 1 if value else before.index("-") + 1)
    quote = before[start : start + 1] if before[start : start + 1] in {'"', "'"} else ""
    block = questionnaire.block
    offers: list[Offer]
    if key == block.tags_question and item:
        counts = live.tag_counts(besides=in_docs)
        offers = [
            Offer(
                tag,
                None,
                types.CompletionItemKind.EnumMember,
                f"used by {counts[tag]}",
                value=tag,
                quote=quote,
            )
            for tag in sorted(counts)
        ]
    elif block.suggestions.get(key) == "site-documents" and item:
        offers = [
            Offer(
                title,
                None,
                types.CompletionItemKind.File,
                path,
                f"{path} {title}",
                value=path,
                quote=quote,
            )
            for path, title in live.titles()
            if path != in_docs
        ]
    else:
        question = questionnaire.questions.get(key)
        choices = _safe(lambda: question.choice_list(head.data), []) if question else []
        offers = [
            Offer(
                dump(c.value),
                None,
                types.CompletionItemKind.EnumMember,
                c.label,
                value=c.value,
                quote=quote,
            )
            for c in choices
            if not c.disabled
        ]
    after = lines[line][character : character + 1]
    closed = bool(quote) and after == quote and before[start:].count(quote) == 1
    return Completion(start, before[start:], offers, past=1 if closed else 0)


def _token_start(before: str, value_start: int) -> int:
    """Where the value being typed starts: after the last `[` or `,` outside quotes (a
    flow list's items) and blanks, at its opening quote if it has one."""
    start, quote = value_start, ""
    for number in range(value_start, len(before)):
        char = before[number]
        if quote:
            quote = "" if char == quote else quote
        elif char in "\"'":
            quote = char
        elif char in "[,":
            start = number + 1
    while start < len(before) and before[start] in " \t":
        start += 1
    return start


def _written(value: Any, quote: str) -> str:
    """A value as typed after `quote` (the author's opening quote, or none)."""
    if quote and isinstance(value, str) and quote not in value and "\\" not in value:
        return f"{quote}{value}{quote}"
    return _dumped_text(value) if isinstance(value, str) else dump(value)


@lru_cache(maxsize=8192)
def _dumped_text(value: str) -> str:
    """`dump` of a text, kept: the same pages and tags are offered keystroke after keystroke."""
    return dump(value)


def completion_list(
    found: Completion, line: int, lines: list[str], ls: GuidewrightServer, character: int
) -> types.CompletionList:
    """The offers matching what was typed (fuzzy, best first, at most `MOST_ITEMS`), each
    replacing the typed text (`textEdit`): clients then keep them whatever they filter on."""
    typed = found.typed.lstrip("\"'")
    by_match = {offer.match or offer.label: offer for offer in found.offers}
    matching = fuzzy(typed, list(by_match))
    codec = ls.workspace.position_codec
    where = codec.range_to_client_units(
        lines,
        ServerTextRange(
            ServerTextPosition(line, found.start),
            ServerTextPosition(line, character + found.past),
        ),
    )
    items = []
    for rank, match in enumerate(matching[:MOST_ITEMS]):
        offer = by_match[match]
        text = offer.written()
        items.append(
            types.CompletionItem(
                label=offer.label,
                kind=offer.kind,
                detail=offer.detail,
                # The typed text leads what the client filters on: an item matched by its
                # letters in order (`rlm`, `rate-limiting`) is not dropped by a client
                # that filters by prefix.
                filter_text=f"{found.typed}{text}",
                sort_text=f"{rank:05d}",
                text_edit=types.TextEdit(range=where, new_text=text),
            )
        )
    return types.CompletionList(
        is_incomplete=len(matching) > MOST_ITEMS or bool(typed), items=items
    )


def _missing_keys(questionnaire: Questionnaire, data: dict[str, Any]) -> list[Offer]:
    asked = _safe(lambda: questionnaire.frontmatter_questions(data), [])
    offers = []
    for question in asked:
        if question.name in data:
            continue
        default = default_of(question, data)
        written = "" if default is MISSING else f" {dump(default)}"
        offers.append(
            Offer(
                question.name,
                f"{question.name}:{written}",
                types.CompletionItemKind.Property,
                _safe(lambda q=question: q.help_text(data), question.name),
            )
        )
    return offers


def _anchors(live: LiveSite, in_docs: str, lines: list[str], target: str) -> list[Offer]:
    if not target:
        offered = anchors_in("".join(lines), live.site.profile.markdown)
    else:
        page = posixpath.normpath(posixpath.join(posixpath.dirname(in_docs), target))
        offered = live.index().anchors_of(page)
    return [Offer(a, a, types.CompletionItemKind.Reference) for a in sorted(offered or ())]


def _pages(live: LiveSite, in_docs: str) -> list[Offer]:
    """The docs folder's pages, as a link from `in_docs` reaches them."""
    here = posixpath.dirname(in_docs) or "."
    titles = dict(live.titles())
    offers = []
    for page in sorted(live.pages):
        if page == in_docs:
            continue
        relative = posixpath.relpath(page, here)
        offers.append(Offer(relative, relative, types.CompletionItemKind.File, titles.get(page)))
    return offers


def register(server: GuidewrightServer) -> None:
    """Hover and completion on the server."""

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    def on_hover(ls: GuidewrightServer, params: types.HoverParams) -> types.Hover | None:
        place = ls.place(params.text_document.uri)
        if place is None:
            return None
        lines = ls.page_lines(params.text_document.uri)
        return hover(place.live.judge_of(place.in_docs), lines, params.position.line)

    @server.feature(
        types.TEXT_DOCUMENT_COMPLETION,
        types.CompletionOptions(trigger_characters=["#", "-", " ", ":", "/", "(", "[", '"']),
    )
    def on_completion(
        ls: GuidewrightServer, params: types.CompletionParams
    ) -> types.CompletionList | None:
        place = ls.place(params.text_document.uri)
        if place is None:
            return None
        lines = ls.page_lines(params.text_document.uri)
        codec = ls.workspace.position_codec
        at = codec.position_from_client_units(lines, params.position)
        found = completions(place, lines, at.line, at.character)
        if found is None:
            return types.CompletionList(is_incomplete=False, items=[])
        return completion_list(found, at.line, lines, ls, at.character)
