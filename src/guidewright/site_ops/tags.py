"""`guidewright tags`: the site's tags, with their pages; renaming and merging a tag on every
page, in each page's recorded answers with it, in the site configuration's `tags` and in
the engine's (Material's `tags_allowed`, tag icons).

A tag changes on a page and in its answers file together or not at all (a pair of the
write session, site/write_session.py, which also holds the site's lock, refuses
uncommitted pages and replaces a file only while it still is what was read): a hand-run
`sed` would leave answers that `update` reads back as the page's old tags. The sections'
metadata files (`.meta.yml`, which the meta plugin merges into every page below them)
are edited too, by the same text edit of their tags list, all of them in one group of the
same write session. Each page's new
tag list is judged by the question of the template version the page records (its
normalisation first, then its validator, as the wizard judges an answer); a page whose
validator refuses it (a merge leaving one tag where two are asked) is reported and left
as it is. Like `update`, the run is all-or-nothing per page: an interrupt leaves each page
renamed with its answers, or untouched.
"""

from __future__ import annotations

import dataclasses
import difflib
import os
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import yaml

from guidewright.check.site_check import Judges, site_judges
from guidewright.copier_compat.questions import plain_value
from guidewright.core import safe_yaml
from guidewright.core.atomic import ABSENT, LinkRefused, Seen, read_seen
from guidewright.core.bounded_read import PAGE_BYTES, YAML_BYTES
from guidewright.core.errors import FrontmatterError, InvalidInput, OperationFailed, UnsafeYaml
from guidewright.core.yaml_edit import (
    NoTextEdit,
    compose,
    mapping_value,
    require_reads_as,
    sequence_rewritten,
)
from guidewright.markdown import frontmatter
from guidewright.rules.tags import likely_slip
from guidewright.site.answers_files import read_all_recorded
from guidewright.site.config_edit import (
    edit_setting_file,
    rename_site_tags,
    renamed_tags,
    site_tags_renamed,
)
from guidewright.site.pages import frontmatters, page_bytes
from guidewright.site.section_meta import read_section_meta
from guidewright.site.site import CONFIG_RELPATH, Site
from guidewright.site.write_session import GroupResult, Target, WriteSession, Written
from guidewright.site_ops.engine_tags import engine_tags_renamed
from guidewright.template.normalise import likely_meant, normalise_value
from guidewright.template.questionnaire import Questionnaire

# ---- the listing ---------------------------------------------------------------------------


@dataclass(frozen=True)
class TagUse:
    """One tag of the site: the pages that use it (in the docs folder), and whether the
    site configuration's `tags` lists it."""

    tag: str
    pages: tuple[str, ...]
    listed: bool

    @property
    def count(self) -> int:
        return len(self.pages)

    def to_data(self) -> dict[str, Any]:
        return {
            "tag": self.tag,
            "count": self.count,
            "pages": list(self.pages),
            "listed": self.listed,
        }


def tag_uses(
    site: Site,
    questionnaire: Questionnaire,
    read: Iterable[tuple[str, dict[str, Any]]] | None = None,
) -> list[TagUse]:
    """Every tag the site's pages with guidewright frontmatter use or its configuration
    lists, most used first (then by name), each with its pages in path order (`read`: the
    pages' frontmatter when the caller has read it, else read here)."""
    key, type_key = questionnaire.block.tags_question, questionnaire.block.type_question
    pages: dict[str, list[str]] = {tag: [] for tag in site.config.tags}
    if key:
        for relpath, data in frontmatters(site) if read is None else read:
            tags = data.get(key)
            if type_key in data and isinstance(tags, list):
                for tag in dict.fromkeys(t for t in tags if isinstance(t, str)):
                    pages.setdefault(tag, []).append(relpath)
    listed = set(site.config.tags)
    uses = [TagUse(tag, tuple(sorted(found)), tag in listed) for tag, found in pages.items()]
    return sorted(uses, key=lambda use: (-use.count, use.tag))


@dataclass(frozen=True)
class Slip:
    """A tag one page holds and the site does not list, most likely a slip of a known tag
    (check's GW402 finding, whose rename the wizard offers)."""

    tag: str
    meant: str
    pages: tuple[str, ...]


def slips_of(uses: Sequence[TagUse], chosen: Iterable[str]) -> list[Slip]:
    """The site's slips that the author's chosen tags meet: each lone tag that most likely
    means a known one, where the author chose the slip itself or the tag it means."""
    counts = Counter({use.tag: use.count + use.listed for use in uses})
    wanted = set(chosen)
    slips = []
    for use in uses:
        meant = likely_slip(use.tag, counts) if use.count == 1 and not use.listed else None
        if meant is not None and wanted & {use.tag, meant}:
            slips.append(Slip(use.tag, meant, use.pages))
    return slips


# ---- renaming ------------------------------------------------------------------------------


@dataclass(frozen=True)
class FileChange:
    """One file a rename changes: where (from the site's root), what was read, and after."""

    relpath: str
    seen: Seen
    before: bytes
    after: bytes

    def diff(self) -> str:
        return "".join(
            difflib.unified_diff(
                self.before.decode("utf-8", "replace").splitlines(keepends=True),
                self.after.decode("utf-8", "replace").splitlines(keepends=True),
                f"a/{self.relpath}",
                f"b/{self.relpath}",
            )
        )


@dataclass(frozen=True)
class PageRetag:
    """A page whose tags change: its file and its answers file (either may be absent)."""

    document: str  # from the site's root
    files: tuple[FileChange, ...]


@dataclass(frozen=True)
class Refused:
    """A page left as it is, and why."""

    document: str
    reason: str
    # The new tag itself is what the validator refuses (the list with an old tag in its
    # place passes): every page would refuse it.
    blames_new: bool = False


@dataclass
class RetagPlan:
    """What a rename or merge changes (with --pretend, would change)."""

    renames: dict[str, str]  # each old tag to the new one
    into: str
    pages: list[PageRetag] = field(default_factory=list)
    refused: list[Refused] = field(default_factory=list)
    settings: list[FileChange] = field(default_factory=list)  # site and engine configuration
    sections: list[FileChange] = field(default_factory=list)  # sections' metadata files
    notes: list[str] = field(default_factory=list)

    def diff(self) -> str:
        changes = [f for page in self.pages for f in page.files] + self.sections + self.settings
        return "".join(change.diff() for change in changes)

    @property
    def answers_changed(self) -> int:
        return sum(1 for p in self.pages for f in p.files if f.relpath != p.document)


@dataclass(frozen=True)
class RetagResult:
    """What a run wrote: the plan, the pages written, and those left (saved meanwhile, a
    link where a file is to be written)."""

    plan: RetagPlan
    written: list[PageRetag]
    left: list[GroupResult]
    sections_written: bool = False  # the sections' metadata files (one group)


def renames_of(sources: Sequence[str], into: str, questionnaire: Questionnaire) -> RetagPlan:
    """The renames a command asks for (`rename OLD NEW`: one source; `merge A B --into C`),
    the new tag put into the template's form first (`normalise: tags: slug`)."""
    key = questionnaire.block.tags_question
    if not key:
        raise InvalidInput("tags: the template asks no tags question (no `site-tags` suggestion)")
    how = questionnaire.block.normalise.get(key)
    wanted = normalise_value(how, into) if how else into
    notes = []
    if wanted != into:
        notes.append(f"{into!r} taken as {wanted!r} (the template's form of a tag)")
    if not wanted.strip():
        raise InvalidInput("NEW: an empty tag")
    renames = {source: wanted for source in dict.fromkeys(sources) if source != wanted}
    if not renames:
        raise InvalidInput(f"NEW: {wanted!r} is the tag itself: nothing to rename")
    return RetagPlan(renames, wanted, notes=notes)


# A file's text as an editor holds it, unsaved (by its path from the site's root), or None
# where the file on disk is what counts.
OpenText = Callable[[str], str | None]


def plan_retag(
    site: Site,
    judges: Judges,
    plan: RetagPlan,
    keep_before: bool = True,
    open_text: OpenText | None = None,
) -> RetagPlan:
    """`plan` filled in: every page (and answers file) holding a renamed tag, with its new
    text, or refused with why; the configurations' edits. With `open_text` (the language
    server's: its edits apply to the texts the editor holds), a file open there is read
    as its unsaved text."""
    reader = _Reader(site, open_text)
    current = judges.current
    key = current.block.tags_question
    assert key is not None  # renames_of refused a template without one
    answers_of = {
        r.document: r.answers_relpath for r in read_all_recorded(site, placing_only=True)[0]
    }
    needles = [old.encode("utf-8") for old in plan.renames]
    docs = site.docs_dir.rstrip("/")
    touched: set[str] = set()
    for relpath in site.documents():
        shown = f"{docs}/{relpath}"
        judge = judges.by_document.get(shown, current)
        change = _page_change(reader, shown, answers_of.get(shown), judge, plan, needles)
        if change is None:
            continue
        touched.add(shown)
        if isinstance(change, Refused):
            plan.refused.append(change)
        else:
            plan.pages.append(change if keep_before else _without_before(change))
    for document, answers_relpath in sorted(answers_of.items()):  # answers of no page changed
        if document in touched:
            continue
        judge = judges.by_document.get(document, current)
        answers = _answers_change(reader, answers_relpath, judge, plan, needles)
        if isinstance(answers, Refused):
            plan.refused.append(Refused(document, answers.reason))
        elif answers is not None:
            plan.pages.append(PageRetag(document, (answers,)))
    plan.sections, refused = _section_meta_changes(reader, key, plan, needles)
    plan.refused += refused
    plan.settings = _settings_changes(site, plan.renames)
    if not plan.pages and plan.refused and all(r.blames_new for r in plan.refused):
        raise InvalidInput(f"NEW: {plan.into!r}: {plan.refused[0].reason}")
    return plan


def _without_before(change: PageRetag) -> PageRetag:
    files = tuple(dataclasses.replace(f, before=b"") for f in change.files)
    return PageRetag(change.document, files)


@dataclass(frozen=True)
class _Reader:
    """How the plan reads a file of the site: the editor's unsaved text where it holds
    one, else the disk's, within `limit`."""

    site: Site
    open_text: OpenText | None

    def read(self, relpath: str, limit: int) -> tuple[bytes, Seen]:
        text = self.open_text(relpath) if self.open_text is not None else None
        if text is not None:
            return text.encode("utf-8"), ABSENT  # an edit of the editor's: no disk write
        root = os.fspath(self.site.root)
        path = os.path.join(root, relpath)
        try:
            return read_seen(path, limit)
        except LinkRefused:  # read as check reads it; its write is refused, naming it
            return page_bytes(path, root), ABSENT


def _page_change(
    reader: _Reader,
    shown: str,
    answers_relpath: str | None,
    questionnaire: Questionnaire,
    plan: RetagPlan,
    needles: list[bytes],
) -> PageRetag | Refused | None:
    """The page's retag with its answers file's (None: it holds no renamed tag)."""
    key = questionnaire.block.tags_question
    try:
        raw, seen = reader.read(shown, PAGE_BYTES)
    except OSError:
        return None  # check reports it (GW001)
    if not any(needle in raw for needle in needles):
        return None  # most pages: no renamed tag anywhere in them
    try:
        text = raw.decode("utf-8")
        parsed = frontmatter.parse(text)
    except (UnicodeDecodeError, FrontmatterError):
        return None  # check reports it
    if parsed is None or not key or questionnaire.block.type_question not in parsed.data:
        return None
    tags = parsed.data.get(key)
    if isinstance(tags, str) and tags in plan.renames:  # its answers must not change alone
        return Refused(shown, f"{key}: a single text, not a list (GW101); rename it by hand")
    if not isinstance(tags, list) or not any(t in plan.renames for t in tags):
        answers = _answers_change(reader, answers_relpath, questionnaire, plan, needles)
        if isinstance(answers, Refused):
            return Refused(shown, answers.reason)
        return None if answers is None else PageRetag(shown, (answers,))
    wanted = renamed_tags(tags, plan.renames)
    data = {name: plain_value(value) for name, value in parsed.data.items()}
    refusal = _refusal(questionnaire, key, wanted, {**data, key: wanted})
    if refusal:
        old = next(t for t in tags if t in plan.renames)
        unrenamed = [old if t == plan.into else t for t in wanted]
        blames_new = _refusal(questionnaire, key, unrenamed, {**data, key: unrenamed}) is None
        return Refused(shown, refusal, blames_new)
    try:
        after = _frontmatter_tags(text, key, wanted, parsed.data)
    except NoTextEdit as error:
        return Refused(shown, f"{key}: {error}; rename it by hand")
    page = FileChange(shown, seen, raw, after.encode("utf-8"))
    answers = _answers_change(reader, answers_relpath, questionnaire, plan, needles)
    if isinstance(answers, Refused):
        return Refused(shown, answers.reason)
    return PageRetag(shown, (page,) if answers is None else (page, answers))


def _refusal(
    questionnaire: Questionnaire, key: str, wanted: list[str], data: Mapping[str, Any]
) -> str | None:
    question = questionnaire.questions.get(key)
    if question is None:
        return None
    _, problem = question.problem(wanted, data)
    return f"{key}: {problem}" if problem else None


def _frontmatter_tags(text: str, key: str, wanted: list[str], data: Mapping[str, Any]) -> str:
    """The page's text with its tags list `wanted`, nothing else changed (read back)."""
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    parts = frontmatter.split(text.removeprefix("\ufeff"))
    assert parts is not None  # parsed above
    offset = text.index("\n", len(bom)) + 1  # after the opening `---` line
    node, _ = compose(parts[0])
    found = mapping_value(node, key)
    if not isinstance(found, yaml.SequenceNode):
        raise NoTextEdit("not a list")
    edited = sequence_rewritten(text, found, wanted, offset)
    after = frontmatter.parse(edited)
    if after is None or after.data != {**data, key: wanted} or after.body != parts[1]:
        raise NoTextEdit("a line edit of its layout would not read back as it should")
    return edited


def _answers_change(
    reader: _Reader,
    relpath: str | None,
    questionnaire: Questionnaire,
    plan: RetagPlan,
    needles: list[bytes],
) -> FileChange | Refused | None:
    """The answers file's retag (None: none, or it holds no renamed tag)."""
    key = questionnaire.block.tags_question
    if relpath is None or not key:
        return None
    try:
        raw, seen = reader.read(relpath, YAML_BYTES)
    except OSError:
        return None  # check reports it (GW302)
    if not any(needle in raw for needle in needles):
        return None
    try:
        text = raw.decode("utf-8")
        node, data = safe_yaml.compose_and_construct(text)
    except (UnicodeDecodeError, yaml.YAMLError, UnsafeYaml):
        return None  # check reports it (GW302)
    tags = data.get(key) if isinstance(data, dict) else None
    if not isinstance(tags, list) or not any(t in plan.renames for t in tags):
        return None
    wanted = renamed_tags(tags, plan.renames)
    refusal = _refusal(questionnaire, key, wanted, {**data, key: wanted})
    if refusal:
        return Refused(relpath, f"{relpath}: {refusal}")
    found = mapping_value(node, key)
    try:
        if not isinstance(found, yaml.SequenceNode):
            raise NoTextEdit("not a list")
        after = sequence_rewritten(text, found, wanted)
        require_reads_as(after, {**data, key: wanted})
    except NoTextEdit as error:
        return Refused(relpath, f"{relpath}: {key}: {error}; rename it by hand")
    return FileChange(relpath, seen, raw, after.encode("utf-8"))


def _section_meta_changes(
    reader: _Reader, key: str, plan: RetagPlan, needles: list[bytes]
) -> tuple[list[FileChange], list[Refused]]:
    """Each section metadata file whose tags list holds a renamed tag, that list edited
    in its text (the rest kept byte for byte), or refused with why. No question judges a
    metadata file alone: the new tag is the one each page's judge accepted."""
    changes: list[FileChange] = []
    refused: list[Refused] = []
    docs = reader.site.docs_dir.rstrip("/")
    for meta in read_section_meta(reader.site).files:
        tags = meta.data.get(key)
        if not isinstance(tags, list) or not any(t in plan.renames for t in tags):
            if isinstance(tags, str) and tags in plan.renames:
                refused.append(
                    Refused(
                        f"{docs}/{meta.relpath}",
                        f"{key}: a single text, not a list; rename it by hand",
                    )
                )
            continue
        relpath = f"{docs}/{meta.relpath}"
        try:
            raw, seen = reader.read(relpath, YAML_BYTES)
        except OSError:
            continue  # check reports it
        if not any(needle in raw for needle in needles):
            continue
        wanted = renamed_tags(tags, plan.renames)
        try:
            text = raw.decode("utf-8")
            node, data = compose(text)
            found = mapping_value(node, key)
            if not isinstance(data, dict) or not isinstance(found, yaml.SequenceNode):
                raise NoTextEdit("not a list")
            after = sequence_rewritten(text, found, wanted)
            require_reads_as(after, {**data, key: wanted})
        except (UnicodeDecodeError, NoTextEdit) as error:
            refused.append(Refused(relpath, f"{key}: {error}; rename it by hand"))
            continue
        changes.append(FileChange(relpath, seen, raw, after.encode("utf-8")))
    return changes, refused


def _settings_changes(site: Site, renames: Mapping[str, str]) -> list[FileChange]:
    """The site configuration's and the engine configuration's edits (for --pretend's diff
    and to know which files the git check covers; the run makes them again on the files
    as they are when written)."""
    changes = []
    edits: list[tuple[str, Callable[[str], str | None]]] = [
        (CONFIG_RELPATH, lambda text: site_tags_renamed(text, renames))
    ]
    engine = _engine_config(site)
    if engine is not None:
        edits.append((engine, lambda text: engine_tags_renamed(text, engine, renames)))
    for relpath, change in edits:
        try:
            raw, seen = read_seen(site.root / relpath, YAML_BYTES)
        except FileNotFoundError:
            continue
        except OSError as error:
            raise OperationFailed(f"could not read {relpath}: {error.strerror}") from error
        after = change(raw.decode("utf-8", "replace"))
        if after is not None:
            changes.append(FileChange(relpath, seen, raw, after.encode("utf-8")))
    return changes


def _engine_config(site: Site) -> str | None:
    """The engine configuration a text edit can rename tags in (YAML: MkDocs, ProperDocs;
    Zensical's TOML has no tags allow-list)."""
    name = site.profile.config_file
    return name if name and name.endswith((".yml", ".yaml")) else None


def required_clean(plan: RetagPlan) -> list[str]:
    """Every file the run writes: git must hold each as committed."""
    return (
        [f.relpath for page in plan.pages for f in page.files]
        + [s.relpath for s in plan.sections]
        + [s.relpath for s in plan.settings]
    )


def write_retag(session: WriteSession, plan: RetagPlan) -> RetagResult:
    """Write the plan in `session`: each page with its answers (a pair), the sections'
    metadata files (one group: all or none), then the site's and the engine's
    configuration (each edited again on its text as it is then)."""
    written: list[PageRetag] = []
    left: list[GroupResult] = []
    sections_written = False

    def done(index: int, result: GroupResult) -> None:
        nonlocal sections_written
        if result.status is not Written.WRITTEN:
            left.append(result)
        elif index < len(plan.pages):
            written.append(plan.pages[index])
        else:
            sections_written = True

    groups = [[Target(f.relpath, f.seen, f.after) for f in page.files] for page in plan.pages]
    if plan.sections:
        groups.append([Target(f.relpath, f.seen, f.after) for f in plan.sections])
    session.write(groups, done)
    for setting in plan.settings:
        if setting.relpath == CONFIG_RELPATH:
            rename_site_tags(session, plan.renames)
        else:
            edit_setting_file(session, setting.relpath, _engine_edit(setting.relpath, plan))
    return RetagResult(plan, written, left, sections_written)


def _engine_edit(relpath: str, plan: RetagPlan) -> Callable[[str], str | None]:
    return lambda text: engine_tags_renamed(text, relpath, plan.renames)


def retag_site(
    site: Site,
    sources: Sequence[str],
    into: str,
    pretend: bool,
    command: str,
    template_flag: str | None = None,
) -> RetagResult:
    """Rename (one source) or merge (several) tags into `into` across the site; with
    `pretend`, nothing written (the plan's diff says what would change)."""
    with site_judges(site, template_flag) as judges:
        plan = renames_of(sources, into, judges.current)
        if pretend:
            plan_retag(site, judges, plan)
            result = RetagResult(plan, [], [])
        else:
            with WriteSession(site, command) as session:
                plan_retag(site, judges, plan, keep_before=False)
                session.require_clean_git(required_clean(plan))
                result = write_retag(session, plan)
        if not plan.pages and not plan.refused and not plan.settings and not plan.sections:
            plan.notes += slip_notes(plan, tag_uses(site, judges.current))
        return result


def slip_notes(plan: RetagPlan, uses: Iterable[TagUse]) -> list[str]:
    """For a run that found nothing to rename: each tag to rename that the site does not
    know, with the known tag it most likely means (a slip, not a second run)."""
    known = [use.tag for use in uses]
    notes = []
    for old in plan.renames:
        meant = likely_meant(old, known) if old not in known else None
        if meant is not None:
            notes.append(f"no page uses {old!r}; did you mean {meant!r}?")
    return notes
