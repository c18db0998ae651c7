"""`guidewright adopt`: the answers an existing hand-written page gets, and where from.

A page is adopted where it is: its docs folder, section and slug are recorded as they are
(an uppercase name, the top of the docs folder, a deep folder), never judged by the
location validators, which are for new pages. Every other answer goes through the same
question model as `new`: given (`-d` for every page, then the page's entry of a plan),
then the page's own frontmatter, then the site, then the template's declared inferences
(tried in its order, each candidate judged by the question's validator), then the
question's default. A value the author gave (given, or in the frontmatter) that the
validator refuses is a problem of the page, never dropped; an inference refused is no
answer; a question whose inferences all gave candidates the validator refused is missing
(asked, or listed), never answered by its default; a question nothing answers is missing,
never invented.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from guidewright.adopt.again import Adopted
from guidewright.copier_compat.questions import MISSING, plain_value
from guidewright.core.atomic import LinkRefused, Seen, read_seen
from guidewright.core.bounded_read import PAGE_BYTES
from guidewright.core.errors import FrontmatterError, InvalidInput, OperationFailed
from guidewright.markdown import frontmatter
from guidewright.site.answers_files import read_all_recorded
from guidewright.site.history import PageHistory
from guidewright.site.site import Site
from guidewright.template.answering import LOCATION, _Answering, site_value
from guidewright.template.inference import AFTER_ADOPTION, HISTORY_DATE, PageFacts, infer
from guidewright.template.questionnaire import Questionnaire

BOM = b"\xef\xbb\xbf"
# Where an answer came from, as the plan file and the review table say it.
GIVEN, PLAN, FRONTMATTER, SITE, DEFAULT = "given", "plan", "frontmatter", "site", "default"
BEFORE = "frontmatter before adoption"  # `--again`: the hand-written value, from git
AS_ADOPTED = "as adopted"  # `--again`: the value adopt wrote, when nothing gives a new one
INFERRED = "inferred: "  # then the inference's name
REVIEW = "changed in the review"


@dataclass(frozen=True)
class Answer:
    """One answer of a page and where it came from (an inference is `inferred: HOW`)."""

    value: Any
    origin: str


@dataclass(frozen=True)
class PageParts:
    """An existing page, split: what stays byte for byte and what the author's frontmatter
    holds."""

    bom: bytes  # b"" or the UTF-8 BOM: it stays first in the file
    body: bytes  # everything after the frontmatter, exactly as it was
    data: dict[str, Any]  # the hand-written frontmatter's values ({} without one)
    key_text: dict[str, bytes]  # each frontmatter key's own lines, as written
    original: bytes


@dataclass
class PagePlan:
    """What one page is adopted with."""

    document: str  # relative to the site root
    content_type: Answer
    location: dict[str, Any]  # docs_dir, section, slug, as the page is
    answers: dict[str, Answer] = field(default_factory=dict)  # in the questionnaire's order
    missing: list[str] = field(default_factory=list)  # questions nothing answers
    problems: list[str] = field(default_factory=list)  # "name: what is wrong"
    kept_keys: list[str] = field(default_factory=list)  # frontmatter keys the template lacks
    parts: PageParts | None = None
    seen: Seen | None = None  # the page as read: it is replaced only while it still is
    # `--again`: the answers file adopt wrote before and what it was when read.
    recorded_answers: tuple[str, Seen] | None = None
    # Missing answers whose inferences gave candidates the rules refused: why, by question.
    refused_inferences: dict[str, str] = field(default_factory=dict)

    def needs(self) -> list[str]:
        """What the page needs before it can be written, one item per question."""
        missing = []
        for name in self.missing:
            why = self.refused_inferences.get(name)
            missing.append(f"{name}: missing ({why})" if why else f"{name}: missing")
        return missing + self.problems

    @property
    def ready(self) -> bool:
        """Whether the page can be written: every answer known and accepted."""
        return not self.missing and not self.problems

    def all_answers(self, type_question: str) -> dict[str, Any]:
        """The answers as the template renders them: type, location and the others."""
        values = {k: a.value for k, a in self.answers.items()}
        return {type_question: self.content_type.value, **self.location, **values}


@dataclass(frozen=True)
class Refused:
    """A page adopt leaves alone, and why."""

    document: str
    reason: str


def split_page(raw: bytes) -> PageParts:
    """The page's BOM, hand-written frontmatter and body; raises FrontmatterError."""
    bom = BOM if raw.startswith(BOM) else b""
    text = raw[len(bom) :].decode("utf-8", "surrogateescape")
    parsed = frontmatter.parse(text)
    if parsed is None:
        return PageParts(bom, raw[len(bom) :], {}, {}, raw)
    lines = text.split("\n")
    starts = sorted(parsed.key_lines.items(), key=lambda item: item[1])
    key_text: dict[str, bytes] = {}
    for index, (key, line) in enumerate(starts):
        end = starts[index + 1][1] if index + 1 < len(starts) else parsed.end_line
        key_text[key] = "".join(f"{x}\n" for x in lines[line - 1 : end - 1]).encode(
            "utf-8", "surrogateescape"
        )
    body = parsed.body.encode("utf-8", "surrogateescape")
    return PageParts(bom, body, dict(parsed.data), key_text, raw)


def template_frontmatter(page: str) -> tuple[str, str]:
    """A rendered page's frontmatter split before its closing line: (head, closing)."""
    parts = frontmatter.split(page)
    if parts is None:
        raise OperationFailed("the template's page has no frontmatter for adopt to take")
    block = page[: len(page) - len(parts[1])]
    closing_at = block.rstrip("\r\n").rfind("\n") + 1
    return block[:closing_at], block[closing_at:]


NAME_NOT_UTF8 = (
    "its file name is not UTF-8 (shown with \\x escapes): rename it; its answers file "
    "could not be read back"
)
_UTF16_BOMS = {b"\xff\xfe": "UTF-16 (little-endian)", b"\xfe\xff": "UTF-16 (big-endian)"}
_UTF32_BOMS = {
    b"\xff\xfe\x00\x00": "UTF-32 (little-endian)",
    b"\x00\x00\xfe\xff": "UTF-32 (big-endian)",
}


def encoding_problem(raw: bytes) -> str | None:
    """Why a page's bytes are not the UTF-8 text MkDocs reads, naming the encoding they
    look like (by a byte order mark; Latin-1 or Windows-1252 for other 8-bit text); None
    when they are."""
    for boms in (_UTF32_BOMS, _UTF16_BOMS):
        for bom, name in boms.items():
            if raw.startswith(bom):
                return f"not UTF-8: {name}, by its byte order mark; convert it to UTF-8 first"
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        looks = "" if b"\x00" in raw else ", perhaps Latin-1 or Windows-1252"
        return f"not UTF-8 (line {line}{looks}); convert it to UTF-8 first"
    if b"\x00" in raw:
        return "holds NUL bytes (UTF-16 without a byte order mark?); convert it to UTF-8 first"
    return None


def _utf8_name(path: str) -> bool:
    """Whether a name read from the file system is UTF-8 (Python shows other bytes as
    lone surrogates, which no UTF-8 text holds)."""
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def location_of(site: Site, relpath: str) -> dict[str, Any]:
    """The location answers that lead back to the page at `relpath` (in the docs folder)."""
    folder, _, name = relpath.rpartition("/")
    return {"docs_dir": site.docs_dir, "section": folder or ".", "slug": name[: -len(".md")]}


def select_pages(
    site: Site, paths: list[Path] | None, again: bool = False
) -> tuple[list[str], list[Refused]]:
    """The pages to adopt (paths in the docs folder): `paths` (pages and folders), else
    every content page without recorded answers (`again`: every page adopted before).
    Pages already recorded (`again`: not adopted), pages that are not content and symbolic
    links are refused, each with its reason."""
    recorded, _ = read_all_recorded(site, placing_only=True)
    have_answers = {r.document for r in recorded}
    adopted = {r.document for r in recorded if r.adopted}
    candidates: list[str] = []
    refused: list[Refused] = []
    explicit: set[str] = set()
    for path in paths or [site.docs_path]:
        absolute = Path(os.path.abspath(path))
        try:
            inside = absolute.relative_to(site.docs_path).as_posix()
        except ValueError as error:
            raise InvalidInput(
                f"PATHS: {path} is not inside the docs folder {site.docs_dir}/"
            ) from error
        if absolute.is_dir() and not absolute.is_symlink():
            prefix = "" if inside == "." else inside + "/"
            candidates += [p for p in site.content_pages() if p.startswith(prefix)]
        elif absolute.suffix == ".md" and os.path.lexists(absolute):
            candidates.append(inside)
            explicit.add(inside)
        else:
            raise InvalidInput(f"PATHS: {path} is not a page (.md) or folder of {site.docs_dir}/")
    chosen: list[str] = []
    for relpath in dict.fromkeys(candidates):
        document = f"{site.docs_dir}/{relpath}"
        if not _utf8_name(document):
            shown = os.fsencode(document).decode("utf-8", "backslashreplace")
            refused.append(Refused(shown, NAME_NOT_UTF8))
        elif os.path.islink(site.docs_path / relpath):
            refused.append(Refused(document, "a symbolic link: adopt writes no page through one"))
        elif again and document not in adopted:
            if relpath in explicit:
                why = "made by `new`: `update` it" if document in have_answers else "not adopted"
                refused.append(Refused(document, why))
        elif not again and document in have_answers:
            if relpath in explicit:
                refused.append(Refused(document, "has recorded answers already: `update` it"))
        elif not site.is_content_page(relpath):
            refused.append(Refused(document, "not content (the site's not_content)"))
        else:
            chosen.append(relpath)
    return chosen, refused


@dataclass
class Inputs:
    """Everything a run's answers come from besides the pages themselves."""

    questionnaire: Questionnaire
    content_type: str | None = None  # --type
    given: dict[str, Any] = field(default_factory=dict)  # -d, for every page
    per_page: dict[str, dict[str, Any]] = field(default_factory=dict)  # the plan, by document
    edits: dict[str, dict[str, Any]] = field(default_factory=dict)  # the review's, by document
    history: PageHistory = field(default_factory=PageHistory)
    titles: dict[str, str] = field(default_factory=dict)  # nav titles by page in docs
    docs_dir: str = "docs"
    # The day the pages are adopted (YYYY-MM-DD): what `after-adoption` works from.
    adoption_day: str = field(default_factory=lambda: dt.date.today().isoformat())
    # `--again`: the pages adopted before, by document.
    again: dict[str, Adopted] = field(default_factory=dict)


def plan_page(site: Site, relpath: str, inputs: Inputs) -> PagePlan | Refused:
    """The answers of the page at `relpath` (in the docs folder), or why it is refused."""
    document = f"{site.docs_dir}/{relpath}"
    try:
        raw, seen = read_seen(site.docs_path / relpath, PAGE_BYTES)
        not_utf8 = encoding_problem(raw)
        if not_utf8:
            return Refused(document, not_utf8)
        parts = split_page(raw)
    except LinkRefused:
        return Refused(document, "a symbolic link: adopt writes no page through one")
    except OSError as error:
        return Refused(document, f"unreadable ({error.strerror})")
    except FrontmatterError as error:
        return Refused(document, f"{error.place}: {error}; fix its frontmatter first")
    q = inputs.questionnaire
    block = q.block
    planned = {**inputs.per_page.get(document, {}), **inputs.edits.get(document, {})}
    moved = sorted(set(planned) & set(LOCATION) | set(inputs.given) & set(LOCATION))
    if moved:
        return Refused(document, f"{moved[0]}: adopt never moves a page; it keeps its place")
    written = page_values(parts.data, inputs.again.get(document))
    content_type = _content_type(relpath, written, planned, inputs)
    plan = PagePlan(document, content_type, location_of(site, relpath), parts=parts, seen=seen)
    adopted = inputs.again.get(document)
    if adopted is not None and adopted.recorded.seen is not None:
        plan.recorded_answers = (adopted.recorded.answers_relpath, adopted.recorded.seen)
    if content_type.value not in block.content_types:
        plan.problems.append(
            f"{block.type_question}: '{content_type.value}' is not a content type "
            f"({', '.join(block.content_types)})"
        )
        return plan
    facts = PageFacts(
        relpath,
        parts.body.decode("utf-8", "replace"),
        inputs.titles.get(relpath),
        inputs.history.last_commit.get(document),
        tuple(inputs.history.authors.get(document, ())),
        document,
    )
    state = _Answering(q, site, {block.type_question: content_type.value, **plan.location})
    judged: set[str] = set()
    for question, applies in q.walk(state.answers):
        name = question.name
        if name == block.type_question or name in LOCATION or not applies:
            continue
        answer, problem = _answer(state, question, planned, written, facts, inputs, plan)
        if problem:
            plan.problems.append(problem)
            judged.add(name)  # a question of the page, its value refused: said once
        elif answer is None:
            plan.missing.append(name)
        else:
            plan.answers[name] = answer
            state.answers[name] = answer.value
    known = {x.name for x in q.frontmatter_questions(state.answers)} | {block.type_question}
    if adopted is not None:  # the keys a template wrote are no author's: gone with it
        known |= set(adopted.recorded.answers)
    plan.kept_keys = [key for key in parts.key_text if key not in known]
    # A plan's value the page cannot take is said; `-d` answers only the pages that ask it,
    # and a review's edit only while the page's type asks it (the type may change after).
    from_plan = inputs.per_page.get(document, {})
    for name in sorted(k for k, v in from_plan.items() if v is not None):
        asked = name in plan.answers or name in plan.missing or name in judged
        if not asked and name != block.type_question:
            plan.problems.append(f"{name}: not a question of a {content_type.value}")
    return plan


def page_values(data: Mapping[str, Any], adopted: Adopted | None) -> dict[str, Answer]:
    """The values the page's frontmatter gives, each with where it came from. A page
    adopted before (`--again`) gives what its author changed since; a value as adopt
    recorded it is taken from the hand-written frontmatter before adoption, where that had
    it, else inferred again, and kept as it is (AS_ADOPTED) only where no inference gives
    one the rules take (a `-d` answer of the first run, a default)."""
    if adopted is None:
        return {k: Answer(v, FRONTMATTER) for k, v in data.items() if v is not None}
    recorded = adopted.recorded.answers
    found: dict[str, Answer] = {}
    for key, value in data.items():
        untouched = key in recorded and plain_value(value) == plain_value(recorded[key])
        if not untouched and value is not None:
            found[key] = Answer(value, FRONTMATTER)
        elif untouched and adopted.before.get(key) is not None:
            found[key] = Answer(adopted.before[key], BEFORE)
        elif untouched and value is not None:
            found[key] = Answer(value, AS_ADOPTED)
    return found


def _content_type(
    relpath: str, written: Mapping[str, Answer], planned: Mapping[str, Any], inputs: Inputs
) -> Answer:
    block = inputs.questionnaire.block
    name = block.type_question
    if name in inputs.edits.get(f"{inputs.docs_dir}/{relpath}", {}):
        return Answer(inputs.edits[f"{inputs.docs_dir}/{relpath}"][name], REVIEW)
    if inputs.content_type is not None:
        return Answer(inputs.content_type, "--type")
    if name in inputs.given:
        return Answer(inputs.given[name], GIVEN)
    if planned.get(name) is not None:
        return Answer(planned[name], PLAN)
    if name in written:
        return written[name]
    for glob, content_type in block.type_by_folder.items():
        if fnmatch.fnmatchcase(relpath, glob):
            return Answer(content_type, f"type_by_folder: {glob}")
    default = inputs.questionnaire.type_question.default_value({})
    return Answer(default, DEFAULT)


def _answer(
    state: _Answering,
    question: Any,
    planned: Mapping[str, Any],
    written: Mapping[str, Answer],
    facts: PageFacts,
    inputs: Inputs,
    plan: PagePlan,
) -> tuple[Answer | None, str | None]:
    """The first answer the sources give that the validator accepts, or the problem of a
    value an author gave."""
    name = question.name
    block = inputs.questionnaire.block
    edited = inputs.edits.get(facts.document, {})
    on_page = written.get(name)
    as_adopted = on_page.value if on_page and on_page.origin == AS_ADOPTED else None
    on_page = None if as_adopted is not None else on_page
    for origin, found in (
        (REVIEW, edited.get(name)),
        (GIVEN, inputs.given.get(name)),
        (PLAN, planned.get(name)),
        (on_page.origin if on_page else FRONTMATTER, on_page.value if on_page else None),
    ):
        if found is not None:
            value, problem = state.check(question, found)
            if problem:
                return None, f"{problem} (from the {origin})"
            return Answer(value, origin), None
    if name in block.from_site:
        found = site_value(block.from_site[name], state.site)
        if found is not None:
            return Answer(found, SITE), None
    refusals: dict[str, str] = {}  # the first refusal of each inference
    for how in block.infer.get(name, ()):
        for candidate in _candidates(how, state, question, facts, inputs, plan):
            value, problem = state.check(question, candidate)
            if problem is None:
                return Answer(value, INFERRED + how), None
            refusals.setdefault(how, problem.removeprefix(f"{name}: "))
    if as_adopted is not None:  # nothing new the rules take: the value adopt wrote, if they do
        value, problem = state.check(question, as_adopted)
        if problem is None:
            return Answer(value, AS_ADOPTED), None
        refusals.setdefault(AS_ADOPTED, problem.removeprefix(f"{name}: "))
    if refusals:  # the page says something, but nothing the rules take: the author says it
        plan.refused_inferences[name] = "refused: " + "; ".join(
            f"{how}: {why}" for how, why in refusals.items()
        )
        return None, None
    default = state.default(question)
    if default is MISSING:
        return None, None
    value, problem = state.check(question, default)
    origin = SITE if name in block.site_defaults and default is not MISSING else DEFAULT
    return (None, None) if problem else (Answer(value, origin), None)


def _candidates(
    how: str, state: _Answering, question: Any, facts: PageFacts, inputs: Inputs, plan: PagePlan
) -> tuple[Any, ...]:
    """What inference `how` offers the question, in the order it is tried."""
    if how != AFTER_ADOPTION:
        return infer(how, facts)
    history = {n for n, a in plan.answers.items() if a.origin == INFERRED + HISTORY_DATE}
    as_of = {n: (inputs.adoption_day if n in history else v) for n, v in state.answers.items()}
    default = _Answering(state.questionnaire, state.site, as_of).default(question)
    return () if default is MISSING else (default,)
