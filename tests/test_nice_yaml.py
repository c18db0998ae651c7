"""`to_nice_yaml` (copier_compat/nice_yaml.py) against the filter Copier's templates call
(jinja2_ansible_filters'), on generated answers: the same text, always."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jinja2_ansible_filters.core_filters import to_nice_yaml as ansible_to_nice_yaml

from guidewright.copier_compat import nice_yaml
from guidewright.copier_compat.jinja import copier_environment
from guidewright.copier_compat.nice_yaml import to_nice_yaml

# Text YAML reads as something else, or that needs quoting, folding or escaping.
TRICKY = [
    "",
    " ",
    "  lead",
    "trail  ",
    " both ",
    "1.10",
    "1.0",
    "010",
    "0o17",
    "0x1F",
    "1e3",
    "1_000",
    "+1",
    "-0",
    ".5",
    ".inf",
    "-.Inf",
    ".NaN",
    "yes",
    "No",
    "on",
    "OFF",
    "y",
    "n",
    "true",
    "False",
    "null",
    "Null",
    "~",
    "2026-12-01",
    "2026-12-01 10:00:00",
    "12:30",
    "1:20:30",
    "a: b",
    "a:b",
    "a #b",
    "#c",
    "- x",
    "-",
    "? q",
    ": v",
    "[x]",
    "{y: 1}",
    "*alias",
    "&anchor",
    "!tag",
    "|",
    ">",
    "%YAML",
    "@at",
    "`tick",
    "'single'",
    '"double"',
    "it's",
    'say "hi"',
    "a\nb",
    "a\n",
    "\n",
    "\nb",
    "a\n\nb",
    "a  \n  b",
    "a\tb",
    "\t",
    "tab\t",
    "back\\slash",
    "---",
    "...",
    "--- x",
    "... y",
    "=",
    "<<",
    "é",
    "Café → naïve",
    "東京",
    "ü" * 90,
    "😀",
    "a😀b",
    "\U0001f680 launch",
    "\x85",
    "\u2028",
    "\u2029",
    "\ufeff",
    "\x00",
    "\x07",
    "\x1b[0m",
    "\r",
    "a\r\nb",
    "\x7f",
    "\ud7ff",
    "\ue000",
    "\ufffd",
    "\uffff",
    "word " * 30,
    ("a" * 85) + " b",
    "x" * 200,
    "Topic 199 explains how fundamentals works in "
    "practice, with the trade-offs an engineering manager should be able to discuss.",
]
ALPHABET = st.sampled_from(
    list(" \n\t\r:#-?[]{},&*!|>'\"%@`\\~.0123456789abcXYZeéü→東😀\x85\u2028\ufeff\x00\x7f")
)
texts = st.one_of(
    st.sampled_from(TRICKY),
    st.text(ALPHABET, max_size=40),
    st.text(max_size=30),  # any code point
    st.lists(st.sampled_from(["word", "a:", "x", "-", "é", "#", "long-word" * 4]), max_size=30).map(
        " ".join
    ),  # long lines, folded at 80 columns
)
scalars = st.one_of(
    texts,
    st.integers(),
    st.integers(-(10**30), 10**30),
    st.booleans(),
    st.none(),
    st.floats(allow_nan=True),
    st.dates(),
    st.datetimes(),
    st.datetimes(
        timezones=st.sampled_from([datetime.UTC, datetime.timezone(datetime.timedelta(hours=-5))])
    ),
)
keys = st.one_of(texts, st.integers(), st.booleans())
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=5),
        st.dictionaries(keys, inner, max_size=5),
        st.tuples(inner, inner),  # the Python representer's !!python/tuple
    ),
    max_leaves=25,
)
answers = st.dictionaries(
    st.sampled_from(["_commit", "_src_path", "title", "summary", "tags", "audience", "x"]) | keys,
    values,
    max_size=12,
)
# The characters both emitters judge alike (those nice_yaml._UNSAFE_CHARACTER leaves out:
# within the Basic Multilingual Plane), drawn as they are, not filtered out of every character: a filter
# threw away seven drawn examples for each one tested.
_SAFE = [chr(c) for c in range(0x10000) if not nice_yaml._UNSAFE_CHARACTER.search(chr(c))]
_UNSAFE_BETWEEN = set(map(chr, range(ord(_SAFE[0]), ord(_SAFE[-1])))) - set(_SAFE)
SAFE = st.characters(
    codec="utf-8",
    min_codepoint=ord(_SAFE[0]),
    max_codepoint=ord(_SAFE[-1]),
    exclude_characters=_UNSAFE_BETWEEN,
)
safe_texts = st.one_of(
    st.sampled_from([t for t in TRICKY if not nice_yaml._UNSAFE_CHARACTER.search(t)]),
    st.text(SAFE, max_size=40),
    st.lists(st.text(SAFE, min_size=1, max_size=12), max_size=20).map(" ".join),
)
safe_texts = safe_texts.filter(lambda t: nice_yaml._judged_alike(t, set()))
safe_keys = st.one_of(
    st.sampled_from(["_commit", "title", "summary", "a: b", "1.10", "yes", "null", "é → 東"]),
    # No line break in a key: left out of the characters, not filtered out of them (with a
    # filtered alphabet `st.text` draws a character at a time, at twice the cost).
    st.text(
        st.characters(
            codec="utf-8",
            min_codepoint=ord(_SAFE[0]),
            max_codepoint=ord(_SAFE[-1]),
            exclude_characters=_UNSAFE_BETWEEN | {"\n"},
        ),
        min_size=1,
        max_size=40,
    ),
)
safe_values = st.recursive(
    st.one_of(safe_texts, st.integers(), st.booleans(), st.none(), st.floats(), st.dates()),
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(safe_keys, inner, max_size=5),
    max_leaves=25,
)


@pytest.mark.differential
@given(st.one_of(answers, values))
@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_the_same_text_as_the_filter_copier_calls(data: Any) -> None:
    assert to_nice_yaml(data) == ansible_to_nice_yaml(data)


@pytest.mark.differential
@given(st.dictionaries(safe_keys, safe_values, max_size=12))
# 200 examples of whole answer data: about 10,000 scalars and 57,000 characters, where the
# 600 of the filtered characters (which aborted the larger ones) held 3,000 and 10,000.
@pytest.mark.long
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_the_c_emitter_writes_answer_data_alike(data: dict[str, Any]) -> None:
    """Within the characters judged alike the C emitter is taken, and agrees: the fast
    path is the one this checks, not the fallback."""
    assert nice_yaml._judged_alike(data, set())
    fast = yaml.dump(
        data, Dumper=yaml.CDumper, indent=4, allow_unicode=True, default_flow_style=False
    )
    assert fast == ansible_to_nice_yaml(data)
    # And the nodes made directly (no float, no date), their tags remembered across calls.
    assert to_nice_yaml(data) == fast
    assert to_nice_yaml(data) == fast


@pytest.mark.differential
@given(st.dictionaries(safe_keys, safe_values, max_size=12))
@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_the_nodes_made_directly_are_the_representers(data: dict[str, Any]) -> None:
    try:
        node = nice_yaml._node(data)
    except nice_yaml._NotPlain:
        return  # a float or a date: PyYAML's representer makes it
    dumper = yaml.CDumper(None, default_flow_style=False)
    assert shape(node) == shape(dumper.represent_data(data))


def shape(node: yaml.Node) -> Any:
    """All a node says to the emitter: kind, tag, style, and its value or children."""
    if isinstance(node, yaml.ScalarNode):
        return ("scalar", node.tag, node.value, node.style)
    if isinstance(node, yaml.SequenceNode):
        return ("seq", node.tag, node.flow_style, [shape(item) for item in node.value])
    pairs = [(shape(key), shape(value)) for key, value in node.value]
    return ("map", node.tag, node.flow_style, pairs)


@pytest.mark.differential
@pytest.mark.parametrize(
    "text",
    ["😀", "a\x85b", "\ufeff", "\x07", "0 " * 14 + "\n 000000 000000 000000000000 00000000000\\ 0"],
)
def test_what_the_emitters_judge_otherwise_goes_to_the_python_one(text: str) -> None:
    """Why the guard exists: libyaml escapes these, the Python emitter may not."""
    data = {"_commit": text}
    assert not nice_yaml._judged_alike(data, set())
    assert to_nice_yaml(data) == ansible_to_nice_yaml(data)
    if text == "😀" or "\\" in text:  # the C emitter would write otherwise
        fast = yaml.dump(
            data, Dumper=yaml.CDumper, indent=4, allow_unicode=True, default_flow_style=False
        )
        assert fast != ansible_to_nice_yaml(data)


@pytest.mark.differential
def test_a_shared_list_and_filter_arguments_go_to_the_python_one() -> None:
    shared = ["a", "b"]
    data = {"tags": shared, "also": shared}  # an anchor and an alias
    assert not nice_yaml._judged_alike(data, set())
    assert to_nice_yaml(data) == ansible_to_nice_yaml(data)
    day = datetime.date(2026, 12, 1)
    dated = {"last_updated": day, "review_date": day}  # a date is aliased too
    assert not nice_yaml._judged_alike(dated, set())
    assert "&id001" in to_nice_yaml(dated) and to_nice_yaml(dated) == ansible_to_nice_yaml(dated)
    assert to_nice_yaml({"a": [1]}, 2) == ansible_to_nice_yaml({"a": [1]}, 2)
    assert to_nice_yaml({"a": "b" * 50}, width=20) == ansible_to_nice_yaml(
        {"a": "b" * 50}, width=20
    )


def test_templates_get_it() -> None:
    env = copier_environment()
    assert env.filters["to_nice_yaml"] is to_nice_yaml
    rendered = env.from_string("{{ a | to_nice_yaml }}").render(a={"title": "x: y", "n": [1]})
    assert rendered == "n:\n- 1\ntitle: 'x: y'\n"


def test_the_safe_characters_are_those_both_emitters_judge_alike() -> None:
    # Printable ASCII, a line feed, and the rest of the Basic Multilingual Plane but for
    # NEL, the BOM, the Unicode line and paragraph separators and the surrogates; nothing
    # beyond it.
    ranges = [(0x0A, 0x0A), (0x20, 0x7E), (0xA0, 0x2027), (0x202A, 0xD7FF)]
    ranges += [(0xE000, 0xFEFE), (0xFF00, 0xFFFD)]
    assert [chr(c) for low, high in ranges for c in range(low, high + 1)] == _SAFE
    assert nice_yaml._UNSAFE_CHARACTER.search("\U0001f600") is not None
