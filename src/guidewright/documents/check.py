"""What is wrong with the site's documents: schema, links, placeholders, housekeeping.

Only plain data in and out: `check_site` returns `Problem`s; the CLI formats them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import re
import tempfile
from collections import Counter
from collections.abc import Iterable, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from guidewright.documents import frontmatter
from guidewright.documents.conflict_markers import conflict_problems
from guidewright.documents.links import broken_links, may_link, parse_page
from guidewright.documents.list_rules import list_problems
from guidewright.documents.problems import WARNING, Problem
from guidewright.documents.questions_check import frontmatter_problems
from guidewright.documents.recorded import (
    RecordedDocument,
    UnusableAnswers,
    read_all_recorded,
)
from guidewright.documents.site import CONFIG_RELPATH, Site, files_under, unlisted_tag_problem
from guidewright.errors import InvalidInput
from guidewright.parallel import map_on_all_cores
from guidewright.template.questionnaire import Questionnaire, load_questionnaire
from guidewright.template.questions import plain_value
from guidewright.template.source import OpenTemplate, open_template, resolve_template

LINK = re.compile(r"(?<!\\)!?\[(?:[^\[\]]|\[[^\[\]]*\])*\]\(\s*<?([^)\s>]+)>?(?:\s+[\"'(][^)]*)?\)")
# A bracketed text that is neither a link, a reference, a footnote nor a checkbox.
PLACEHOLDER = re.compile(r"(?<![\\!\]])\[(?![ xX]\])(?!\^)([^\[\]\n]{1,200})\](?![(\[:])")
INLINE_CODE = re.compile(r"`+[^`\n]*`+")
HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)


@dataclass(frozen=True)
class Checked:
    """A document being checked: its path and how it is shown."""

    path: Path  # absolute
    shown: str  # relative to the site root


def _is_ours(data: Mapping[str, object], questionnaire: Questionnaire) -> bool:
    return questionnaire.block.type_question in data


def _blank(match: re.Match[str]) -> str:
    """The same number of lines, emptied: line numbers stay right."""
    return "\n" * match.group(0).count("\n")


def _fence_lines(text: str) -> list[tuple[str, int, int]]:
    """(fence, line start, line end) of each line that opens or closes a code block: a run
    of backticks or tildes after nothing but spaces. Found from the few fence marks, not
    line by line: a regular expression anchored at every line start costs ten times more."""
    hits = []
    for mark in ("```", "~~~"):
        at = text.find(mark)
        while at >= 0:
            line_start = text.rfind("\n", 0, at) + 1
            line_end = text.find("\n", at)
            line_end = len(text) if line_end < 0 else line_end
            if not text[line_start:at].strip(" \t"):
                run_end = at + 3
                while run_end < line_end and text[run_end] == mark[0]:
                    run_end += 1
                hits.append((text[at:run_end], line_start, line_end))
            at = text.find(mark, line_end)
    hits.sort(key=lambda hit: hit[1])
    return hits


def _without_fenced_code(text: str) -> str:
    pieces, start, opened = [], 0, ""
    for fence, line_start, line_end in _fence_lines(text):
        if not opened:
            pieces.append(text[start:line_start])
            start, opened = line_start, fence
        elif fence[0] == opened[0] and len(fence) >= len(opened):
            pieces.append("\n" * text.count("\n", start, line_end))
            start, opened = line_end, ""
    tail = text[start:]
    pieces.append("\n" * tail.count("\n") if opened else tail)  # unclosed: code to the end
    return "".join(pieces)


def prose_only(body: str) -> str:
    """The body without fenced code, inline code and HTML comments (lines kept)."""
    without_comments = HTML_COMMENT.sub(_blank, body) if "<!--" in body else body
    return INLINE_CODE.sub("", _without_fenced_code(without_comments))


def _line_of(text: str, offset: int, first_line: int) -> int:
    return first_line + text.count("\n", 0, offset)


def body_problems(
    checked: Checked,
    parsed: frontmatter.Frontmatter,
    documents: AbstractSet[str],
    questionnaire: Questionnaire,
) -> list[Problem]:
    """Broken links, placeholders left in a published document, missing listed documents."""
    problems = _link_problems(checked, parsed.body, parsed.body_line)
    if _is_published(parsed, questionnaire):
        prose = prose_only(parsed.body)
        problems.extend(_placeholder_problems(checked, parsed, prose))
    for key, source in questionnaire.block.suggestions.items():
        value = parsed.data.get(key)
        if source != "site-documents" or not isinstance(value, list):
            continue
        for path in value:
            # Malformed paths are the question's to report; here: does it exist?
            if isinstance(path, str) and path not in documents and not _malformed(path):
                message = f"{path} is not a document of the docs folder"
                problems.append(
                    Problem(checked.shown, parsed.key_lines[key], key, message, code="GW202")
                )
    return problems


def _link_problems(checked: Checked, body: str, first_line: int) -> list[Problem]:
    """Links MkDocs would warn about: missing pages and files, anchors, the docs folder left."""
    if not may_link(body):
        return []
    page = os.path.relpath(checked.path, _DOCS[0]).replace(os.sep, "/")
    # Anchors only for links within the page: `](#` or a reference `]: #`.
    parsed = parse_page(body, first_line, with_anchors="(#" in body or ": #" in body)
    return [
        Problem(checked.shown, broken.link.line, "link", f"{broken.link.target} {broken.reason}",
                code="GW201", column=broken.link.column)
        for broken in broken_links(page, parsed, _FILES[0], _anchors_of)
    ]  # fmt: skip


@lru_cache(maxsize=4096)
def _anchors_of(target: str) -> frozenset[str] | None:
    """The anchors of another page of the docs folder (None: it cannot be read)."""
    try:
        text = Path(_DOCS[0], target).read_text("utf-8-sig")
        parts = frontmatter.split(text)
    except (OSError, UnicodeDecodeError):
        return None
    except frontmatter.FrontmatterError:
        parts = None
    body, first_line = (parts[1], parts[2] + 1) if parts else (text, 1)
    return parse_page(body, first_line).anchors


def _malformed(path: str) -> bool:
    return path.startswith("/") or ".." in path.split("/") or not path.endswith(".md")


def _is_published(parsed: frontmatter.Frontmatter, questionnaire: Questionnaire) -> bool:
    condition = questionnaire.block.published_when
    if not condition:
        return False
    try:
        rendered = questionnaire.jinja.render(condition, plain_value(parsed.data))
    except Exception:
        return False
    return rendered.strip().lower() in {"true", "yes", "1", "on", "y"}


def _placeholder_problems(
    checked: Checked, parsed: frontmatter.Frontmatter, prose: str
) -> list[Problem]:
    problems = []
    without_links = LINK.sub(lambda m: " " * len(m.group(0)), prose)
    for match in PLACEHOLDER.finditer(without_links):
        line = _line_of(without_links, match.start(), parsed.body_line)
        message = f"[{match.group(1)}] left in a published document"
        problems.append(Problem(checked.shown, line, "placeholder", message, code="GW301"))
    for key, value in parsed.data.items():
        for text in value if isinstance(value, list) else [value]:
            if isinstance(text, str) and PLACEHOLDER.search(text):
                message = f"placeholder left in {text!r}"
                problems.append(
                    Problem(checked.shown, parsed.key_lines.get(key, 1), key, message, code="GW301")
                )
    return problems


def _targets(
    site: Site, paths: list[Path] | None, documents: Iterable[str]
) -> list[tuple[Path, str]]:
    """(path, how it is shown) of each document to check."""
    if not paths:
        docs, shown = site.docs_path, site.docs_dir.rstrip("/")
        return [(docs / relpath, f"{shown}/{relpath}") for relpath in documents]
    targets = []
    for path in paths:
        absolute = path.resolve()
        if absolute.is_dir():
            targets.extend(sorted(p for p in absolute.rglob("*.md") if not p.is_dir()))
        elif absolute.is_file():
            targets.append(absolute)
        else:
            raise InvalidInput(f"PATHS: {path} does not exist")
    return [(target, _shown(site, target)) for target in targets]


def _shown(site: Site, path: Path) -> str:
    try:
        return path.relative_to(site.root).as_posix()
    except ValueError:
        return os.path.relpath(path)


def _read(
    checked_path: Path, shown: str
) -> tuple[str, frontmatter.Frontmatter | None, Problem | None]:
    """(text, frontmatter or None, the problem that stops the check or None)."""
    try:
        text = checked_path.read_bytes().decode("utf-8")
    except OSError as error:  # a dangling link, a folder, no permission
        message = f"cannot read: {error.strerror or error}"
        return "", None, Problem(shown, 1, "file", message, code="GW001")
    except UnicodeDecodeError:
        return "", None, Problem(shown, 1, "file", "not UTF-8 text", code="GW001")
    try:
        return text, frontmatter.parse(text), None
    except frontmatter.FrontmatterError as error:
        return text, None, Problem(shown, error.line, "frontmatter", str(error), code="GW002")


PARALLEL_FROM = 300  # documents; below this, starting workers costs more than it saves
# The questionnaires documents are checked against, by number, the docs folder and its
# files: set before the workers fork, which inherit them.
_QUESTIONNAIRES: list[Questionnaire] = []
_DOCS: list[str] = [""]
_FILES: list[frozenset[str]] = [frozenset()]


@dataclass(frozen=True)
class _DocumentCheck:
    problems: list[Problem]
    checked: Checked | None  # None: not one of ours, or unreadable
    parsed: frontmatter.Frontmatter | None  # without its body, for the site-wide warnings
    counted: bool
    plain: bool = False  # a page without guidewright frontmatter: only its links are checked


def _check_document(task: tuple[Path, str, frozenset[str], int]) -> _DocumentCheck:
    path, shown, documents, number = task
    questionnaire = _QUESTIONNAIRES[number]
    text, parsed, problem = _read(path, shown)
    conflicts = conflict_problems(shown, text)
    if problem:
        return _DocumentCheck([problem, *conflicts], None, None, True)
    checked = Checked(path, shown)
    if parsed is None or not _is_ours(parsed.data, questionnaire):
        body, first_line = (text, 1) if parsed is None else (parsed.body, parsed.body_line)
        links = _link_problems(checked, body, first_line) + list_problems(shown, body, first_line)
        return _DocumentCheck(links + conflicts, None, None, False, plain=True)
    problems = conflicts + frontmatter_problems(shown, parsed, questionnaire)
    problems += body_problems(checked, parsed, documents, questionnaire)
    problems += list_problems(shown, parsed.body, parsed.body_line)
    return _DocumentCheck(problems, checked, dataclasses.replace(parsed, body=""), True)


@dataclass(frozen=True)
class Judges:
    """Which questionnaire judges each document, and what the site-wide checks use."""

    current: Questionnaire
    by_document: dict[str, Questionnaire]  # relative to the site root
    warnings: list[Problem]
    recorded: list[RecordedDocument] = dataclasses.field(default_factory=list)
    unusable: list[UnusableAnswers] = dataclasses.field(default_factory=list)


@dataclass(frozen=True)
class CheckReport:
    """What `check` found: the problems, how many documents it judged, and the pages
    without guidewright frontmatter (their links checked, nothing else)."""

    problems: list[Problem]
    checked: int
    without_frontmatter: list[str]


def check_documents(
    site: Site, paths: list[Path] | None, today: dt.date, judges: Judges
) -> CheckReport:
    """Every problem of the given pages (default: every Markdown page of the docs folder)."""
    explicit = bool(paths)
    files = files_under(site.docs_path, "", skip_hidden=True)  # as site.documents(), all files
    listed = [relpath for relpath in files if relpath.endswith(".md")]
    documents = frozenset(listed)
    numbers: dict[int, int] = {}
    _QUESTIONNAIRES.clear()  # before the workers fork
    _DOCS[0], _FILES[0] = str(site.docs_path), frozenset(files)
    _anchors_of.cache_clear()
    for questionnaire in [judges.current, *judges.by_document.values()]:
        if id(questionnaire) not in numbers:
            numbers[id(questionnaire)] = len(_QUESTIONNAIRES)
            _QUESTIONNAIRES.append(questionnaire)
    tasks = []
    for path, shown in _targets(site, paths, listed):
        judge = judges.by_document.get(shown, judges.current)
        tasks.append((path, shown, documents, numbers[id(judge)]))
    results = map_on_all_cores(_check_document, tasks, minimum=PARALLEL_FROM)
    problems = [p for result in results for p in result.problems] + judges.warnings
    parsed_docs = [(r.checked, r.parsed) for r in results if r.checked and r.parsed]
    problems.extend(_housekeeping(site, parsed_docs, today, explicit, judges))
    plain = [
        task[1] for task, result in zip(tasks, results, strict=True)
        if result.plain and site.is_content_page(os.path.relpath(task[0], site.docs_path))
    ]  # fmt: skip
    return CheckReport(sorted(set(problems)), sum(r.counted for r in results), plain)


def _tag_use(
    site: Site,
    parsed_docs: list[tuple[Checked, frontmatter.Frontmatter]],
    explicit: bool,
    tags_key: str,
) -> Counter[str]:
    # A whole-site check has parsed every document already; given files need the rest.
    datas = site.frontmatters() if explicit else ((c.shown, p.data) for c, p in parsed_docs)
    use: Counter[str] = Counter({tag: 1 for tag in site.config.tags})  # known to the site
    for _, data in datas:
        tags = data.get(tags_key)
        if isinstance(tags, list):
            use.update({t for t in tags if isinstance(t, str)})
    return use


def _document_warnings(
    checked: Checked,
    parsed: frontmatter.Frontmatter,
    today: dt.date,
    tag_use: Counter[str] | None,
    questionnaire: Questionnaire,
) -> Iterable[Problem]:
    data, lines = parsed.data, parsed.key_lines
    review_key = questionnaire.block.review_date
    review = plain_value(data.get(review_key)) if review_key else None
    if isinstance(review, str):
        try:
            due = dt.date.fromisoformat(review)
        except ValueError:
            due = None  # not a date: the question reports it
        if due is not None and due < today and review_key:
            message = f"{review} is in the past: time to review"
            yield Problem(checked.shown, lines[review_key], review_key, message, WARNING, "GW401")
    tags_key = questionnaire.block.tags_question
    tags = data.get(tags_key) if tags_key and tag_use is not None else None
    if tag_use is None or not tags_key:
        return
    for tag in tags if isinstance(tags, list) else []:
        alone = isinstance(tag, str) and tag_use[tag] <= 1  # not listed, no other page's
        found = unlisted_tag_problem(tag, tag_use) if alone else None
        if found:
            yield Problem(checked.shown, lines[tags_key], tags_key, found, WARNING, "GW402")


def _housekeeping(
    site: Site,
    parsed_docs: list[tuple[Checked, frontmatter.Frontmatter]],
    today: dt.date,
    explicit: bool,
    judges: Judges,
) -> list[Problem]:
    problems: list[Problem] = []
    questionnaire = judges.current
    tags_key = questionnaire.block.tags_question
    tag_use = _tag_use(site, parsed_docs, explicit, tags_key) if tags_key else None
    answers, unusable = judges.recorded, judges.unusable
    answered = {a.document for a in answers}
    for checked, parsed in parsed_docs:
        problems.extend(_document_warnings(checked, parsed, today, tag_use, questionnaire))
        if checked.shown not in answered:
            message = "no recorded answers: `guidewright update` cannot update it"
            problems.append(Problem(checked.shown, 1, "answers", message, WARNING, "GW501"))
    if explicit:
        return problems
    for error in unusable:
        relpath, _, reason = str(error).partition(": ")
        problems.append(Problem(relpath, 1, "answers", reason, WARNING, "GW502"))
    for recorded in answers:
        if not (site.root / recorded.document).is_file():
            message = f"its document {recorded.document} is missing (moved or deleted?)"
            problems.append(
                Problem(recorded.answers_relpath, 1, "answers", message, WARNING, "GW502")
            )
    return problems


def judges_for(
    site: Site, template: OpenTemplate, src: str, scratch: Path, site_template: str | None = None
) -> Judges:
    """Each recorded document's questionnaire: the version it records, else the current.
    `site_template`: the site's configured source, which pages recording another can move to."""
    from guidewright.template.newest_known import RecordedSources
    from guidewright.template.recorded_versions import RecordedQuestionnaires

    current = load_questionnaire(template.folder)
    versions = RecordedQuestionnaires(
        current, src, template.version, scratch, template.working_tree
    )
    if template.repository is not None:
        versions.repositories[src] = template.repository
    by_document, warnings = {}, []
    elsewhere = RecordedSources(src, site_template)  # pages of another source (issue 14)
    recorded, unusable = read_all_recorded(site, placing_only=True)
    for answers in recorded:
        judge, fallback = versions.for_document(answers.src_path, answers.commit)
        by_document[answers.document] = judge
        if fallback:
            warnings.append(fallback.problem(answers.document))
        elif (
            answers.src_path == src
            and answers.commit
            and template.version
            and (answers.commit != template.version)
        ):
            message = (
                f"made with template version {answers.commit}; the newest is "
                f"{template.version}: run `guidewright update`"
            )
            warnings.append(Problem(answers.document, 1, "template", message, WARNING, "GW503"))
        elif other := elsewhere.warning(answers.src_path, answers.commit):
            warnings.append(Problem(answers.document, 1, "template", other, WARNING, "GW503"))
    return Judges(current, by_document, warnings, recorded, unusable)


def check_site(
    site: Site, paths: list[Path] | None, today: dt.date, template_flag: str | None = None
) -> CheckReport:
    """`check_documents`, each document judged by the template version it records."""
    source = resolve_template(template_flag, site)
    with (
        open_template(source) as template,
        tempfile.TemporaryDirectory(prefix="guidewright-check-") as scratch,
    ):
        configured = source.src if source.origin == CONFIG_RELPATH else None
        judges = judges_for(site, template, source.src, Path(scratch), configured)
        return check_documents(site, paths, today, judges)


def strict_findings(report: CheckReport) -> list[Problem]:
    """What --strict adds: each page without guidewright frontmatter is an error."""
    message = "no guidewright frontmatter"
    return [
        Problem(page, 1, "frontmatter", message, code="GW003")
        for page in report.without_frontmatter
    ]
