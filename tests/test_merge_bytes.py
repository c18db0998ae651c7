"""The merge keeps every byte an author wrote, whatever bytes the other documents of the
batch hold (one document's lone CR once reset every edited document of the run)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from author_edits import KINDS, apply_edits
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_merge_property import DOCUMENT, versions  # noqa: F401  (a fixture)

from guidewright.copier_compat.update_merge import MergeFailure, MergeInput, MergeResult, merge_all

edit = st.tuples(st.sampled_from(KINDS), st.integers(0, 10_000))


def merge_batch(old: bytes, new: bytes, currents: list[bytes]) -> list[MergeResult | MergeFailure]:
    items = [
        MergeInput(DOCUMENT.replace("q.md", f"q{n}.md"), old, current, new)
        for n, current in enumerate(currents)
    ]
    with tempfile.TemporaryDirectory() as scratch:
        merged = merge_all(items, Path(scratch))
    return [merged[item.path] for item in items]


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(documents=st.lists(st.lists(edit, min_size=1, max_size=5), min_size=1, max_size=4))
def test_every_authored_line_survives_in_a_batch(
    versions: tuple[bytes, bytes],  # noqa: F811
    documents: list[list[tuple[str, int]]],
) -> None:
    old, new = versions
    edited = [apply_edits(old, edits) for edits in documents]
    for document, result in zip(
        edited, merge_batch(old, new, [d.content for d in edited]), strict=True
    ):
        if isinstance(result, MergeFailure):
            # Only git merge-file's refusal of binary content may stop a merge.
            assert document.has_nul, result.reason
            continue
        lines = result.content.split(b"\n")
        for line in document.authored:
            assert line in lines, (document.kinds, line)


def test_a_lone_cr_in_one_document_does_not_reset_the_others(
    versions: tuple[bytes, bytes],  # noqa: F811
) -> None:
    """The issue's repro: one document gains a line, another a lone CR in a line."""
    old, new = versions
    appended = old + b"AUTHOR LINE\n"
    lines = old.split(b"\n")
    lines[20] += b" half\rline"
    with_cr = b"\n".join(lines)
    first, second = merge_batch(old, new, [appended, with_cr])
    assert isinstance(first, MergeResult) and isinstance(second, MergeResult)
    assert first.content.endswith(b"AUTHOR LINE\n") and first.content != new
    assert lines[20] in second.content.split(b"\n")


def test_crlf_lines_and_invalid_utf8_come_back_unchanged(
    versions: tuple[bytes, bytes],  # noqa: F811
) -> None:
    old, new = versions
    lines = old.split(b"\n")
    lines[10] += b"\r"
    lines[30] = b"caf\xe9 au lait \xff"
    (result,) = merge_batch(old, new, [b"\n".join(lines)])
    assert isinstance(result, MergeResult)
    merged = result.content.split(b"\n")
    assert lines[10] in merged and b"caf\xe9 au lait \xff" in merged


def test_a_nul_byte_keeps_the_authors_edits(versions: tuple[bytes, bytes]) -> None:  # noqa: F811
    """Copier's git sees such a file as binary and drops the edits; we diff it as text."""
    old, new = versions
    current = old.replace(b"\n", b"\nnul\0here\n", 1)
    (result,) = merge_batch(old, new, [current])
    assert isinstance(result, MergeResult)
    assert b"nul\0here" in result.content.split(b"\n") and b"Interview Day Checklist" in (
        result.content
    )
