"""The quick reader of Copier's answers files gives what safe_yaml gives, or gives up."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from guidewright import safe_yaml
from guidewright.copier_answers import quick_load

HEADER = "# Changes here will be overwritten by Copier; NEVER EDIT MANUALLY\n"


def same(a: Any, b: Any) -> bool:
    """Equal, types included (True is not 1, "1" is not 1)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(map(same, a, b))
    return bool(a == b)


def agrees(content: bytes) -> bool:
    quick = quick_load(content)
    if quick is None:
        return True
    try:
        loaded = safe_yaml.load(content)
    except (yaml.YAMLError, safe_yaml.UnsafeYaml):
        return False
    return same(quick, loaded)


def to_nice_yaml(data: dict[str, Any]) -> bytes:
    """As Copier writes answers (`to_nice_yaml`: indent 4, unicode, block style)."""
    dumped = yaml.dump(data, indent=4, allow_unicode=True, default_flow_style=False)
    return (HEADER + dumped).encode("utf-8")


KEYS = st.one_of(
    st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,10}", fullmatch=True),
    st.sampled_from(["yes", "no", "on", "null", "true", "y", "_src_path", "_commit"]),
)
SCALARS = st.one_of(
    st.text(max_size=120),
    st.text(alphabet="ab -:#'\"[]{},&*!|>%@`?~.0123456789eE+_\\/", max_size=30),
    st.sampled_from(["yes", "No", "on", "null", "~", "1.10", "010", "0x1f", "1_000", "12:30",
                     "2026-11-01", "2026-13-45", "1e3", ".inf", "<<", "=", "-", "- x", "a: b"]),
    st.integers(),
    st.booleans(),
    st.none(),
    st.floats(allow_nan=False),
    st.dates(min_value=dt.date(1, 1, 1)),
)  # fmt: skip
VALUES = st.one_of(SCALARS, st.lists(SCALARS, max_size=4), st.lists(st.lists(SCALARS, max_size=2)))


@settings(max_examples=800, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(KEYS, VALUES, max_size=12))
def test_copier_written_answers_read_as_safe_yaml_reads_them(data: dict[str, Any]) -> None:
    assert agrees(to_nice_yaml(data))


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.text(alphabet="ab -:#'\"[]\n\t\r1.0y_~", max_size=12), max_size=8))
def test_any_text_read_as_safe_yaml_reads_it_or_given_up(lines: list[str]) -> None:
    content = "\n".join(lines).encode("utf-8")
    assert agrees(content)
    assert agrees(content.replace(b"a", b"\xff"))


def test_the_answers_copier_writes_for_pages_are_read_quickly(tmp_path: Path) -> None:
    """The shapes real answers take: the reader must take them, or it saves nothing."""
    answers = {
        "_src_path": "gh:team/template", "_commit": "v1.2.0-3-gabc123", "audience": ["L6", "L7"],
        "content_type": "guide", "contributors": ["Ada Lovelace", "Grace O'Hara"],
        "estimated_time": "45 min", "last_updated": "2026-11-01", "version": "1.0",
        "progression_path": "fundamentals → core concepts → advanced applications → practice",
        "summary": "Comprehensive step-by-step guide to mastering caching for Amazon engineering "
        "manager interviews, with a long line that Copier wraps onto the next one",
        "tags": ["aws", "caching"], "prerequisites": [], "title": "Caching: the guide 🎯",
        "weight": 3, "draft": True,
    }  # fmt: skip
    content = to_nice_yaml(answers)
    assert b"\n    " in content  # the wrapped summary
    quick = quick_load(content)
    assert quick is not None and same(quick, safe_yaml.load(content))
