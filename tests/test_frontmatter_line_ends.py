"""Issue 32: a settled frontmatter keeps the page's line ends.

Pages converted to CRLF, some of their frontmatter's line breaks lone CRs (YAML reads a
lone CR as a line break too); the author's edits of the block list's items, a value, a
comment line of the author's own; template releases that each force a conflict over the
whole page (the final newline stripped, a line appended at the end, frontmatter comments
reworded). Then update's merge as `update` runs it: the page's answers, the new render
with them, Copier's merge and the settlement. No conflict is left inside the frontmatter,
every line of it that neither the template nor the answers changed is the author's, byte
for byte and line end included, and a line the template wrote ends as the page does there.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from frontmatter_oracle import frontmatter_conflict_end, frontmatter_data
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from support import REPO
from test_merge_property import ANSWERS, DOCUMENT

from guidewright.copier_compat.render import TemplateRenderer
from guidewright.copier_compat.update_merge import LABELS, MergeInput, MergeResult
from guidewright.rules.page_answers import page_answers
from guidewright.template.questionnaire import questionnaire_of
from guidewright.update.frontmatter_merge import merge_all_settled

GUIDE = "template/_partials/guide.md.jinja"
RELEASES: dict[str, Callable[[str], str]] = {
    "final newline stripped": lambda text: text.rstrip("\n"),
    "line appended": lambda text: text + "Appended by the template.\n",
    "comments reworded": lambda text: text.replace(
        "# Extended metadata\n", "# Extended metadata, reworded\n", 1
    ).replace("# 2-6 relevant tags", "# 2 to 6 tags, lowercase", 1),
}
OBJECTIVES = ("Explain cache invalidation", "Tell STAR stories", "Handle conflict", "Measure it")
# A YAML line with its line break: CRLF, LF, or a lone CR.
YAML_LINE = re.compile(rb"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+")
KEY = re.compile(rb"([A-Za-z_][A-Za-z0-9_.-]*):")
CLOSING = re.compile(rb"\n---\r?\n")


@pytest.fixture(scope="module")
def renderers(tmp_path_factory: pytest.TempPathFactory) -> dict[str, TemplateRenderer]:
    """The recorded version ("v1") and each release."""
    root = tmp_path_factory.mktemp("line-end-versions")
    versions = {}
    for name in ("v1", *RELEASES):
        version = root / f"version-{len(versions)}"
        version.mkdir()
        shutil.copy(REPO / "copier.yml", version / "copier.yml")
        shutil.copytree(REPO / "template", version / "template")
        if name in RELEASES:
            text = (version / GUIDE).read_text("utf-8")
            released = RELEASES[name](text)
            assert released != text, name
            (version / GUIDE).write_text(released, "utf-8")
        versions[name] = TemplateRenderer(version)
    return versions


def _render(renderer: TemplateRenderer, answers: dict[str, Any], commit: str) -> bytes:
    return renderer.render(answers, src_path="t", commit=commit, only={DOCUMENT})[DOCUMENT]


def _bare(line: bytes) -> bytes:
    return line.rstrip(b"\r\n")


def _ending(line: bytes) -> bytes:
    return line[len(_bare(line)) :]


def _head(content: bytes) -> list[bytes]:
    """The frontmatter's YAML lines (between the delimiters), each with its line break."""
    start = content.index(b"\n") + 1
    assert _bare(content[:start]) == b"---"
    close = CLOSING.search(content, start - 1)
    assert close is not None
    return YAML_LINE.findall(content[start : close.start() + 1])


def _keyed(head: list[bytes]) -> list[tuple[bytes | None, bytes]]:
    """Each of the head's lines with the top-level key it belongs to (None: a comment or
    blank line)."""
    keyed: list[tuple[bytes | None, bytes]] = []
    key: bytes | None = None
    for line in head:
        match = KEY.match(line)
        if match is not None:
            key = match.group(1)
        elif line[:1] not in (b" ", b"-") or not _bare(line).strip():
            keyed.append((None, line))
            continue
        keyed.append((key, line))
    return keyed


def _by_key(head: list[bytes]) -> dict[bytes | None, list[bytes]]:
    groups: dict[bytes | None, list[bytes]] = {}
    for key, line in _keyed(head):
        groups.setdefault(key, []).append(line)
    return groups


def _edit_objectives(lines: list[bytes], edits: list[tuple[str, int]]) -> None:
    """The author's edits of the block list's items (at least one item stays)."""
    start = lines.index(b"learning_objectives:") + 1
    for number, (kind, position) in enumerate(edits):
        count = next(i for i, line in enumerate(lines[start:]) if not line.startswith(b"  - "))
        index = start + position % count
        item = f'  - "{OBJECTIVES[position % len(OBJECTIVES)]}, edit {number}"'.encode()
        if kind == "reword":
            lines[index] = item
        elif kind == "insert":
            lines.insert(index, item)
        elif count > 1:
            del lines[index]


def _authors_page(
    old: bytes, edits: list[tuple[str, int]], expert: bool, note: int | None, lone: set[int]
) -> bytes:
    """The author's edits to `old`, then every line break CRLF but those after the head's
    lines in `lone` (counted from the opening `---`), lone CRs (never the last's: the
    closing `---` must start a line)."""
    lines = old.split(b"\n")
    _edit_objectives(lines, edits)
    if expert:
        lines = [re.sub(rb'^difficulty: "\w+"', b'difficulty: "expert"', line) for line in lines]
    close = lines.index(b"---", 1)
    if note is not None:
        # Not inside the block list: a comment line there is not settled at all (Copier's
        # markers stay), line ends aside.
        places = [i for i in range(1, close + 1) if not lines[i].startswith(b"  - ")]
        lines.insert(places[note % len(places)], b"# the author's own note")
        close += 1
    ends = [b"\r" if 0 < i < close - 1 and i in lone else b"\r\n" for i in range(len(lines) - 1)]
    return b"".join(line + end for line, end in zip(lines, [*ends, b""], strict=True))


def _assert_line_ends_kept(result: bytes, page: bytes, new: bytes, context: object) -> None:
    mine, authors, templates = _head(result), _head(page), _head(new)
    settled, author, template = _by_key(mine), _by_key(authors), _by_key(templates)
    for key, lines in author.items():
        if key is None:
            continue
        # At the same key: the author's line ends only, and every line the new render
        # also writes (the template and the answers left it) is the author's bytes.
        assert {_ending(line) for line in settled[key]} <= {_ending(line) for line in lines}, (
            context,
            key,
            settled[key],
            lines,
        )
        texts = {_bare(line) for line in template.get(key, [])}
        for line in lines:
            if _bare(line) in texts:
                assert line in settled[key], (context, key, line, settled[key])
    # Comment and blank lines the template also writes, and the author's own: the author's.
    template_texts = {_bare(line) for line in template.get(None, [])}
    kept = Counter(line for line in author.get(None, []) if _bare(line) in template_texts)
    kept.update(line for line in author.get(None, []) if line.startswith(b"# the author"))
    assert not kept - Counter(settled.get(None, [])), (context, kept, settled.get(None))
    # A line of the template's at no key of the author's ends as the line before it.
    author_texts = {_bare(line) for line in authors}
    before = page.split(b"\n")[0] + b"\n"
    for key, line in _keyed(mine):
        if _bare(line) not in author_texts if key is None else key not in author:
            assert _ending(line) == _ending(before), (context, before, line)
        before = line


edit = st.tuples(st.sampled_from(["reword", "insert", "delete"]), st.integers(0, 10_000))


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    release=st.sampled_from(sorted(RELEASES)),
    objectives=st.lists(st.sampled_from(OBJECTIVES), min_size=1, max_size=3, unique=True),
    edits=st.lists(edit, max_size=4),
    expert=st.booleans(),
    note=st.none() | st.integers(0, 10_000),
    lone=st.sets(st.integers(1, 32), max_size=6),
)
# The two pages: CRLF guides, the block list's items the template's to write, one
# whose release strips the final newline, one whose release changes a line.
@example("final newline stripped", ["Explain cache invalidation"], [], False, None, set())
@example("comments reworded", ["Tell STAR stories", "Handle conflict"], [], True, None, set())
# Lone CRs: after the second of the two blank lines (each blank keeps its own line end), and
# between a block list's lines.
@example("comments reworded", ["Explain cache invalidation"], [], False, None, {21})
@example("line appended", ["Tell STAR stories", "Handle conflict"], [], False, None, {17, 18})
def test_a_settled_frontmatter_keeps_the_authors_line_ends(
    renderers: dict[str, TemplateRenderer],
    release: str,
    objectives: list[str],
    edits: list[tuple[str, int]],
    expert: bool,
    note: int | None,
    lone: set[int],
) -> None:
    recorded = {**ANSWERS, "learning_objectives": objectives}
    old = _render(renderers["v1"], recorded, "v1")
    page = _authors_page(old, edits, expert, note, lone)
    answers = page_answers(page, recorded, questionnaire_of(renderers["v1"])).answers
    new = _render(renderers[release], answers, "v2")
    with tempfile.TemporaryDirectory() as scratch:
        questions = {DOCUMENT: frozenset(renderers[release].config.questions)}
        merged = merge_all_settled([MergeInput(DOCUMENT, old, page, new)], Path(scratch), questions)
    result = merged[DOCUMENT]
    assert isinstance(result, MergeResult)
    context = (release, edits, lone, result.content[:1500])
    # The whole page was in conflict: the body's part keeps its markers, the author's body
    # as it was on its side; the frontmatter has none, and holds the author's values.
    assert frontmatter_conflict_end(result.content) is None, context
    close = result.content.index(b"\n---\r\n") + len(b"\n---\r\n")
    assert result.content[close:].startswith(b"<<<<<<< " + LABELS[0].encode()), context
    assert page[page.index(b"\n---\r\n") + len(b"\n---\r\n") :] in result.content, context
    assert frontmatter_data(result.content) == frontmatter_data(page), context
    _assert_line_ends_kept(result.content, page, new, context)
