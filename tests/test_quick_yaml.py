"""The quick reader of answers files and frontmatter gives what safe_yaml gives (data and
each key's line), or gives up."""

from __future__ import annotations

import datetime as dt
import string
from pathlib import Path
from typing import Any

import pytest
import yaml
from drawn_texts import word
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from guidewright.core import safe_yaml
from guidewright.core.errors import UnsafeYaml
from guidewright.core.quick_yaml import quick_load, quick_mapping

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
    except (yaml.YAMLError, UnsafeYaml):
        return False
    return same(quick, loaded)


def agrees_as_mapping(text: str) -> bool:
    """quick_mapping gives up, or gives safe_yaml's data and the line of each key."""
    quick = quick_mapping(text)
    if quick is None:
        return True
    try:
        node, loaded = safe_yaml.compose_and_construct(text)
    except (yaml.YAMLError, UnsafeYaml):
        return False
    assert isinstance(node, yaml.MappingNode)
    lines = {str(key.value): key.start_mark.line for key, _ in node.value}
    return same(quick[0], loaded) and quick[1] == lines


def to_nice_yaml(data: dict[str, Any]) -> bytes:
    """As Copier writes answers (`to_nice_yaml`: indent 4, unicode, block style)."""
    dumped = yaml.dump(data, indent=4, allow_unicode=True, default_flow_style=False)
    return (HEADER + dumped).encode("utf-8")


_NAME_START = string.ascii_letters + "_"
KEYS = st.one_of(
    word(_NAME_START, _NAME_START + string.digits, 10),  # [A-Za-z_][A-Za-z0-9_]{0,10}
    st.sampled_from(["yes", "no", "on", "null", "true", "y", "_src_path", "_commit"]),
)
SCALARS = st.one_of(
    st.text(max_size=120),
    st.text(alphabet="ab -:#'\"[]{},&*!|>%@`?~.0123456789eE+_\\/", max_size=30),
    st.sampled_from(
        [
            "yes",
            "No",
            "on",
            "null",
            "~",
            "1.10",
            "010",
            "0x1f",
            "1_000",
            "12:30",
            "2026-11-01",
            "2026-13-45",
            "1e3",
            ".inf",
            "<<",
            "=",
            "-",
            "- x",
            "a: b",
        ]
    ),
    st.integers(),
    st.booleans(),
    st.none(),
    st.floats(allow_nan=False),
    st.dates(min_value=dt.date(1, 1, 1)),
)
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
        "_src_path": "gh:team/template",
        "_commit": "v1.2.0-3-gabc123",
        "audience": ["L6", "L7"],
        "content_type": "guide",
        "contributors": ["Ada Lovelace", "Grace O'Hara"],
        "estimated_time": "45 min",
        "last_updated": "2026-11-01",
        "version": "1.0",
        "progression_path": "fundamentals → core concepts → advanced applications → practice",
        "summary": "Comprehensive step-by-step guide to mastering caching for Amazon engineering "
        "manager interviews, with a long line that Copier wraps onto the next one",
        "tags": ["aws", "caching"],
        "prerequisites": [],
        "title": "Caching: the guide 🎯",
        "weight": 3,
        "draft": True,
    }
    content = to_nice_yaml(answers)
    assert b"\n    " in content  # the wrapped summary
    quick = quick_load(content)
    assert quick is not None and same(quick, safe_yaml.load(content))


NICE = st.text(alphabet="abcXYZ019 -_./:'\"#()→🎯é,", min_size=1, max_size=30)
TEXT = st.one_of(
    NICE,
    NICE,
    NICE,
    st.text(max_size=40),
    st.text(alphabet="ab -:#'\"[],.0123456789yn_~", max_size=20),
    st.sampled_from(["yes", "null", "1.10", "010", "2026-11-01", "fundamentals → core", "🎯 x"]),
)


def _quoted(text: str, double: bool) -> str:
    return f'"{text}"' if double else "'" + text.replace("'", "''") + "'"


# written_frontmatter's strategies, made once: made inside the composite, each was made
# again at every draw (Hypothesis caches no `sampled_from` of a list), a third of the
# test's CPU. The examples are the same: a seed draws the same frontmatter either way.
COMMENTS = st.sampled_from(["", "  # a comment", " # 2-6 tags", "  #"])
SHAPES = st.sampled_from(["double", "single", "plain", "flow", "block", "empty"])
INDENTS, BOOLEANS = st.sampled_from([0, 2, 4]), st.booleans()
BETWEEN = st.sampled_from([[], [""], ["# Extended metadata"], ["", "# x", ""]])
KEY_LISTS, TEXT_LISTS = st.lists(KEYS, max_size=10), st.lists(TEXT, max_size=3)


@st.composite
def written_frontmatter(draw: st.DrawFn) -> str:
    """Frontmatter as templates and authors write it: quoted values with comments, flow
    and block lists, plain values, comment and blank lines between keys."""
    lines = []
    for key in draw(KEY_LISTS):
        comment = draw(COMMENTS)
        shape = draw(SHAPES)
        if shape in ("double", "single", "plain"):
            text = draw(TEXT)
            value = text if shape == "plain" else _quoted(text, shape == "double")
            lines.append(f"{key}: {value}{comment}")
        elif shape == "flow":
            items = ", ".join(_quoted(t, True) for t in draw(TEXT_LISTS))
            lines.append(f"{key}: [{items}]{comment}")
        else:
            lines.append(f"{key}:{comment}")
            indent = " " * draw(INDENTS)
            for text in draw(TEXT_LISTS) if shape == "block" else []:
                lines.append(f"{indent}- {_quoted(text, draw(BOOLEANS))}")
        lines += draw(BETWEEN)
    return "\n".join(lines) + "\n"


@pytest.mark.long
@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(written_frontmatter())
def test_frontmatter_as_written_reads_as_safe_yaml_reads_it(text: str) -> None:
    assert agrees_as_mapping(text)


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.text(alphabet="ab -:#'\"[],\n\t\r1.0y_~", max_size=14), max_size=8))
def test_any_text_reads_as_a_mapping_as_safe_yaml_reads_it_or_given_up(lines: list[str]) -> None:
    assert agrees_as_mapping("\n".join(lines))


def test_the_frontmatter_the_template_writes_is_read_quickly() -> None:
    """The template's own shapes must be taken, or the reader saves nothing."""
    text = (
        'title: "Caching: the guide"\naudience: ["L6", "L7"]  # Adjust based on content scope\n'
        'difficulty: "intermediate"  # beginner|intermediate|advanced|expert\n\n'
        '# Extended metadata\nlearning_objectives:\n  - "Explain caching"\nweight: 3\n'
        'progression_path: "fundamentals → core concepts"\nprerequisites: []\n'
    )
    quick = quick_mapping(text)
    assert quick is not None and agrees_as_mapping(text)
    assert quick[0]["audience"] == ["L6", "L7"] and quick[1]["learning_objectives"] == 5


def test_many_written_frontmatters_are_read_quickly_and_alike() -> None:
    """Seeded, so the count is the same each run: most frontmatter of the template's shapes
    is taken by the quick reader (else it saves nothing), and all of it reads alike."""
    import random

    chooser = random.Random(14)
    words = [
        "caching",
        "L6",
        "it's",
        "a: b",
        "x #y",
        "yes",
        "1.10",
        "42",
        "-1",
        "null",
        "→ go",
        "🎯 Goal",
        'say "hi"',
        "",
        " pad",
        "2026-11-01",
        "true",
        "a,b",
        "[x]",
        "#tag",
    ]
    taken = 0
    for _ in range(2000):
        lines = []
        for number in range(chooser.randint(1, 8)):
            key, word = f"key_{number}", chooser.choice(words)
            shape = chooser.choice(["double", "single", "plain", "flow", "block"])
            comment = chooser.choice(["", "  # note"])
            if shape == "flow":
                lines.append(f'{key}: ["{word}", "{chooser.choice(words)}"]{comment}')
            elif shape == "block":
                lines += [f"{key}:", f"  - {_quoted(word, True)}"]
            elif shape == "plain":
                lines.append(f"{key}: {word}{comment}")
            else:
                lines.append(f"{key}: {_quoted(word, shape == 'double')}{comment}")
        text = "\n".join(lines) + "\n"
        assert agrees_as_mapping(text), text
        taken += quick_mapping(text) is not None
    assert taken > 100, taken


def test_what_safe_yaml_refuses_for_its_size_is_left_to_it() -> None:
    huge = "key: " + "é" * 600_000 + "\n"  # 600,000 characters, 1.2 MB
    assert quick_load(huge.encode("utf-8")) is None
    assert quick_mapping("key: value\n" * 100_000) is None
