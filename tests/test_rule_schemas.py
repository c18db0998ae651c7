"""`schema` says the template's shared rules in JSON Schema, and means what `check` means.

Generated values (edge cases included: a final newline, control characters, emoji and lone
surrogates, empty text, lengths at the bounds, impossible dates) are judged three ways: by
`check` (the question model), by jsonschema on the whole document schema, its `pattern`
keyword run by an ECMA-262 engine (Node, one process for the whole run), and by that engine
on every emitted pattern with and without the `u` flag (editors compile both ways). All
must agree.
"""

from __future__ import annotations

import copy
import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema.exceptions import ValidationError
from support import HANG, REPO

from guidewright.markdown.frontmatter import Frontmatter
from guidewright.rules.problems import ERROR
from guidewright.rules.questions_check import frontmatter_problems
from guidewright.template.json_schema import frontmatter_json_schema, merged
from guidewright.template.questionnaire import Questionnaire, load_questionnaire
from guidewright.template.rule_schemas import lone_rule_call, rule_call
from guidewright.template_check.lint import _example_answers

# Reads {"pattern", "texts"} lines; answers each with [verdict with u, verdict without u]
# per text (null: the pattern does not compile that way).
NODE_JUDGE = r"""
const lines = require('readline').createInterface({input: process.stdin});
const compiled = new Map();
function regex(pattern, flags) {
  const key = flags + '/' + pattern;
  if (!compiled.has(key)) {
    try { compiled.set(key, new RegExp(pattern, flags)); } catch (e) { compiled.set(key, null); }
  }
  return compiled.get(key);
}
lines.on('line', line => {
  const {pattern, texts} = JSON.parse(line);
  const unicode = regex(pattern, 'u'), plain = regex(pattern, '');
  const verdicts = texts.map(t => [unicode && unicode.test(t), plain && plain.test(t)]);
  process.stdout.write(JSON.stringify([unicode !== null, plain !== null, verdicts]) + '\n');
});
"""


class Ecma:
    """One Node process judging (pattern, text) pairs as ECMA-262 `RegExp.test`."""

    def __init__(self) -> None:
        node = shutil.which("node")
        if node is None:
            pytest.fail("node (an ECMA-262 engine) is needed to judge the schema's patterns")
        self.process = subprocess.Popen(
            [node, "-e", NODE_JUDGE],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            encoding="ascii",
        )
        self.seen: dict[tuple[str, str], bool] = {}

    def search(self, pattern: str, text: str) -> bool:
        """Whether `pattern` matches in `text`, the same with and without the `u` flag."""
        found = self.seen.get((pattern, text))
        if found is None:
            assert self.process.stdin and self.process.stdout
            self.process.stdin.write(json.dumps({"pattern": pattern, "texts": [text]}) + "\n")
            self.process.stdin.flush()
            with_u, without_u, [(unicode, plain)] = json.loads(self.process.stdout.readline())
            assert with_u and without_u, f"{pattern!r} does not compile in ECMA-262"
            assert unicode == plain, f"{pattern!r} on {text!r}: u flag {unicode}, none {plain}"
            found = self.seen[(pattern, text)] = unicode
        return found

    def search_all(self, pattern: str, texts: list[str]) -> list[bool]:
        """`search` of many texts in one round trip."""
        assert self.process.stdin and self.process.stdout
        self.process.stdin.write(json.dumps({"pattern": pattern, "texts": texts}) + "\n")
        self.process.stdin.flush()
        with_u, without_u, verdicts = json.loads(self.process.stdout.readline())
        assert with_u and without_u, f"{pattern!r} does not compile in ECMA-262"
        for text, (unicode, plain) in zip(texts, verdicts, strict=True):
            assert unicode == plain, f"{pattern!r} on {text!r}: u flag {unicode}, none {plain}"
            self.seen[(pattern, text)] = unicode
        return [unicode for unicode, _ in verdicts]

    def close(self) -> None:
        assert self.process.stdin
        self.process.stdin.close()
        self.process.wait(timeout=HANG)


@pytest.fixture(scope="module")
def ecma() -> Iterator[Ecma]:
    engine = Ecma()
    yield engine
    engine.close()


def ecma_validator(ecma: Ecma) -> Any:
    """jsonschema's 2020-12 validator with `pattern` run as JSON Schema says: ECMA-262
    (Python's re, which jsonschema uses, lets `$` match before a final newline)."""

    def pattern(validator: Any, value: str, instance: Any, schema: Any) -> Iterator[Any]:
        if validator.is_type(instance, "string") and not ecma.search(value, instance):
            yield ValidationError(f"{instance!r} does not match {value!r}")

    return jsonschema.validators.extend(jsonschema.Draft202012Validator, {"pattern": pattern})


QUESTIONNAIRE = load_questionnaire(REPO)
SCHEMA = frontmatter_json_schema(QUESTIONNAIRE)


def base_document(questionnaire: Questionnaire, content_type: str) -> dict[str, Any]:
    answers, problems = _example_answers(questionnaire, content_type)
    assert not problems
    location = set(questionnaire.block.location)
    return copy.deepcopy({k: v for k, v in answers.items() if k not in location})


def check_refuses(questionnaire: Questionnaire, document: dict[str, Any], key: str) -> bool:
    """`check`'s verdict on `key`: whether it reports an error there."""
    lines = {name: number + 2 for number, name in enumerate(document)}
    parsed = Frontmatter(document, lines, "", len(lines) + 3, len(lines) + 2)
    problems = frontmatter_problems("page.md", parsed, questionnaire)
    return any(p.field == key and p.severity == ERROR for p in problems)


# --- values ------------------------------------------------------------------------------

ODD = [
    "",
    " ",
    "\n",
    "a\n",
    "\na",
    "a\r\n",
    "\t",
    "a\tb",
    "\x00",
    "a\x1fb",
    "\x7f",
    "\x85",
    "\xa0",
    "\u1680",
    "\u180e",
    "\u200b",
    "\u2028",
    "\u2029",
    "\u3000",
    "\ufeff",
    "\ufffe",
    "\uffff",
    "😀",
    "a😀",
    "\ud83d",
    "\ude00",
    "a\ud800b",
    "\U0010ffff",
    "é",
    "caf\u0301e",
    "a" * 100,
    "a" * 101,
    "a" * 200,
    "a" * 201,
    "a" * 1000,
    "a" * 1001,
    "😀" * 1000,
    "\xa0" * 3 + "x",
    "- a",
    "a-",
    "-a",
    "a--b",
    "a_b",
    "A",
    "0",
    "1.0",
    "1..0",
    ".1",
    "2024-02-29",
    "2023-02-29",
    "1900-02-29",
    "2000-02-29",
    "0400-02-29",
    "0000-02-29",
    "0000-01-01",
    "0001-01-01",
    "2100-02-29",
    "2400-02-29",
    "1996-02-29",
    "1902-02-29",
    "2001-02-29",
    "1600-02-29",
    "1700-02-29",
    "0004-02-29",
    "0100-02-29",
    "2024-02-30",
    "9999-12-31",
    "2024-04-31",
    "2024-13-01",
    "2024-00-10",
    "2024-1-01",
    "2024-01-01\n",
    "5 min",
    "4 min",
    "600 min",
    "601 min",
    "0005 min",
    "00005 min",
    "0 min",
    "60 min\n",
    " 60 min",
    "60  min",
    "a.md",
    "a/b.md",
    "a/../b.md",
    "/a.md",
    "a.md\n",
    "a b.md",
    ".md",
    "_x.md",
    "a/b",
    "caching",
    "aws",
    "a-b",
    "z9",
]
LETTERS = st.sampled_from(
    [
        "a",
        "z",
        "0",
        "9",
        "-",
        "_",
        ".",
        "/",
        " ",
        "\n",
        "\t",
        "\x00",
        "\x1f",
        "\x7f",
        "\x85",
        "\xa0",
        "\u2028",
        "\u3000",
        "\ufeff",
        "\ufffe",
        "😀",
        "\ud83d",
        "\ude00",
        "é",
        "Z",
        "m",
    ]
)
TEXTS = st.one_of(
    st.sampled_from(ODD),
    st.text(LETTERS, max_size=12),
    st.text(st.characters(exclude_categories=()), max_size=12),  # surrogates too
    st.from_regex(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", fullmatch=True),
    st.dates().map(lambda day: day.isoformat()),
    st.integers(0, 9999).map(lambda year: f"{year:04d}-02-29"),  # leap years
    st.tuples(st.integers(0, 3), st.integers(0, 1100)).map(lambda t: f"{'0' * t[0]}{t[1]} min"),
    st.from_regex(r"[a-z0-9]{1,4}(-[a-z0-9]{1,3}){0,3}", fullmatch=True),
    st.from_regex(r"[0-9]{1,3}(\.[0-9]{1,3}){0,3}", fullmatch=True),
    st.from_regex(r"([a-z_][a-z0-9_.-]{0,4}/){0,2}[a-z_][a-z0-9_.-]{0,4}\.md", fullmatch=True),
    st.integers(1, 1100).map(lambda n: "x" * n),
)
ENDINGS = st.sampled_from(["", "", "", "\n", " ", "😀", "\x00", "\u2028"])
STRINGS = st.tuples(TEXTS, ENDINGS).map("".join)
SCALARS = st.one_of(STRINGS, st.integers(-3, 700), st.none(), st.booleans(), st.floats(0, 2))
LISTS = st.one_of(
    st.lists(SCALARS, max_size=8),
    st.lists(STRINGS, min_size=1, max_size=7).map(lambda items: items + items[:1]),  # repeats
    st.lists(st.sampled_from(["caching", "aws", "a-b", "x", "Ada", "a.md"]), max_size=8),
    st.lists(st.from_regex(r"[a-z]{1,3}", fullmatch=True), max_size=8, unique=True),  # sizes
    st.lists(st.lists(STRINGS, max_size=2), max_size=2),
)
ANY = st.one_of(SCALARS, LISTS, st.dictionaries(STRINGS, SCALARS, max_size=2))


def values_for(questionnaire: Questionnaire, key: str) -> st.SearchStrategy[Any]:
    question = questionnaire.questions[key]
    if question.multiselect:
        # check wants a selection in the choices' order (Copier's parse reorders it);
        # JSON Schema cannot say order, and the rule's keywords do not try to.
        choices = [c.value for c in question.choice_list({})]
        return st.lists(st.sampled_from([*choices, "L9", "", 1]), max_size=4).filter(
            lambda picked: (
                [c for c in choices if c in picked]
                == [p for i, p in enumerate(picked) if p in choices and p not in picked[:i]]
            )
        ) | ANY.filter(lambda v: not isinstance(v, list))
    if questionnaire.is_list(key):
        return st.one_of(LISTS, ANY)
    return st.one_of(STRINGS, STRINGS, ANY)


def _said_by_rules(questionnaire: Questionnaire, content_type: str) -> list[str]:
    properties = SCHEMA["$defs"][content_type]["properties"]
    return [
        name
        for name, spec in properties.items()
        if isinstance(spec, dict)  # `false`: a key of another content type
        and name in questionnaire.questions
        and questionnaire.questions[name].validator
        and "$comment" not in spec  # check applies more than the schema says
    ]


# --- tests -------------------------------------------------------------------------------


def test_shared_rules_become_keywords_and_others_stay_annotations() -> None:
    guide = SCHEMA["$defs"]["guide"]["properties"]
    tags = guide["tags"]
    assert tags["minItems"] == 2 and tags["maxItems"] == 6 and tags["uniqueItems"] is True
    assert tags["items"]["pattern"] == "^[a-z0-9]+(-[a-z0-9]+)*$"
    assert tags["items"]["maxLength"] == 100 and tags["items"]["type"] == "string"
    assert guide["title"]["maxLength"] == 1000
    assert guide["learning_objectives"]["minItems"] == 1
    assert guide["audience"]["minItems"] == 1
    assert guide["last_updated"]["pattern"].endswith("-02-29)$")
    assert "5|6|7" in guide["estimated_time"]["pattern"]
    # A rule across two fields says what it can of the value alone (a date), and names
    # the validator check applies whole in a comment.
    review = guide["review_date"]
    assert "r.date(review_date, last_updated" in review["$comment"]
    assert review["pattern"] == guide["last_updated"]["pattern"]
    assert review["format"] == guide["last_updated"]["format"] == "date"
    # No emitted pattern keeps Python's end of text.
    assert "\\Z" not in json.dumps(SCHEMA)
    for content_type in QUESTIONNAIRE.content_types:
        said = _said_by_rules(QUESTIONNAIRE, content_type)
        assert len(said) >= 12, said
        for name in said:
            assert "$comment" not in SCHEMA["$defs"][content_type]["properties"][name]


def test_the_schema_is_valid_2020_12() -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


def _patterns(schema: Any) -> Iterator[str]:
    if isinstance(schema, dict):
        for key, value in schema.items():
            if key == "pattern" and isinstance(value, str):
                yield value
            else:
                yield from _patterns(value)
    elif isinstance(schema, list):
        for value in schema:
            yield from _patterns(value)


@pytest.mark.differential
def test_every_pattern_judges_edge_cases_the_same_with_and_without_u(ecma: Ecma) -> None:
    """One Node batch: each emitted pattern on each edge case, both flags (Ecma asserts)."""
    for pattern in set(_patterns(SCHEMA)):
        for text in ODD:
            for ending in ("", "\n", "😀", "\ud83d"):
                ecma.search(pattern, text + ending)


@pytest.mark.differential
@pytest.mark.parametrize("content_type", QUESTIONNAIRE.content_types)
def test_check_jsonschema_and_ecma_agree_on_generated_values(content_type: str, ecma: Ecma) -> None:
    base = base_document(QUESTIONNAIRE, content_type)
    schema = SCHEMA  # the whole document schema: its oneOf picks the content type
    validator = ecma_validator(ecma)(schema)
    assert validator.is_valid(base), list(validator.iter_errors(base))
    keys = _said_by_rules(QUESTIONNAIRE, content_type)
    assert not any(check_refuses(QUESTIONNAIRE, base, key) for key in keys)

    # Each key's values, made once rather than at every draw (Hypothesis validates a new
    # strategy, and caches no `sampled_from` of a list): the same examples for a seed.
    any_key = st.sampled_from(keys)
    values = {key: values_for(QUESTIONNAIRE, key) for key in keys}

    # About 27 values a key: the edge cases are judged one by one (the test below); this
    # samples what lies between them.
    @settings(
        max_examples=400,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    @given(data=st.data())
    def agree(data: st.DataObject) -> None:
        key = data.draw(any_key, label="key")
        value = data.draw(values[key], label="value")
        document = {**base, key: value}
        refused = check_refuses(QUESTIONNAIRE, document, key)
        assert validator.is_valid(document) == (not refused), (key, value, refused)

    agree()


def edge_values(questionnaire: Questionnaire, key: str) -> Iterator[Any]:
    """Every edge case, as the value or as an item of a list, and lists at the sizes."""
    texts = [text + ending for text in ODD for ending in ("", "\n", "😀", "\ud83d")]
    if questionnaire.is_list(key) or questionnaire.questions[key].multiselect:
        choices = [c.value for c in questionnaire.questions[key].choice_list({})]
        for text in texts:
            yield [text]
            yield [*choices[:1], text] if choices else ["caching", text]
        for size in range(9):
            yield [f"t{n}" for n in range(size)]
            yield [*choices[:size]]
        yield [*choices[:1], *choices[:1]]
        yield ["aws", "aws"]
        yield from ([], None, "caching", 3, {"a": 1}, [None], [1, 2], [["a"]], [True])
    else:
        yield from texts
        yield from (None, 3, 1.0, True, [], ["a"], {"a": "b"})


@pytest.mark.differential
@pytest.mark.parametrize("content_type", QUESTIONNAIRE.content_types)
def test_check_jsonschema_and_ecma_agree_on_every_edge_case(content_type: str, ecma: Ecma) -> None:
    base = base_document(QUESTIONNAIRE, content_type)
    schema = {**SCHEMA["$defs"][content_type], "$schema": SCHEMA["$schema"]}  # its oneOf branch
    validator = ecma_validator(ecma)(schema)
    disagreements = []
    for key in _said_by_rules(QUESTIONNAIRE, content_type):
        for value in edge_values(QUESTIONNAIRE, key):
            document = {**base, key: value}
            refused = check_refuses(QUESTIONNAIRE, document, key)
            if validator.is_valid(document) == refused:
                disagreements.append((key, value, "check refuses" if refused else "check accepts"))
    assert not disagreements, disagreements[:10]


@pytest.mark.differential
def test_every_day_of_the_calendar_is_judged_as_check_judges_it(ecma: Ecma) -> None:
    """29 February of every year from 0000 to 9999, and every month's last days."""
    texts = [f"{year:04d}-02-29" for year in range(10000)]
    texts += [
        f"{y:04d}-{m:02d}-{d:02d}"
        for y in (0, 1, 1900, 2000, 2023, 2024)
        for m in range(0, 14)
        for d in (0, 1, 28, 29, 30, 31, 32)
    ]
    question = QUESTIONNAIRE.questions["last_updated"]
    pattern = SCHEMA["$defs"]["guide"]["properties"]["last_updated"]["pattern"]
    verdicts = ecma.search_all(pattern, texts)
    wrong = [
        t for t, ok in zip(texts, verdicts, strict=True) if ok != (not question.validate(t, {}))
    ]
    assert not wrong, wrong[:10]


@pytest.mark.parametrize("text", ["\x00", "0000-00-00", "a: [", "\t- L6"])
def test_a_multiselect_given_text_that_is_not_yaml_is_refused(text: str) -> None:
    """Found by the agreement test: a NUL or year 0000 made check end in a traceback."""
    question = QUESTIONNAIRE.questions["audience"]
    assert question.problem(text, {})[1] == "must be a list of choices"


def test_merged_keeps_both_schemas_meaning() -> None:
    assert merged({"type": "string"}, {"type": "string", "maxLength": 3}) == {
        "type": "string",
        "maxLength": 3,
    }
    assert merged({"type": "integer"}, {"type": "string"}) == {
        "type": "integer",
        "allOf": [{"type": "string"}],
    }
    items = merged({"items": {"enum": ["a"]}}, {"items": {"pattern": "^a$"}})
    assert items == {"items": {"enum": ["a"], "pattern": "^a$"}}


def test_only_a_single_literal_call_of_a_rule_is_read() -> None:
    questions = QUESTIONNAIRE.questions
    call = rule_call(QUESTIONNAIRE.jinja, questions["tags"])
    assert call is not None and (call.rule, call.args) == ("tag_list", (2, 6))
    assert rule_call(QUESTIONNAIRE.jinja, questions["review_date"]) is None  # another answer
    # ... which the schema says of the value alone: the rule without it and what follows.
    alone = lone_rule_call(QUESTIONNAIRE.jinja, questions["review_date"])
    assert alone is not None and (alone.rule, alone.args, alone.kwargs) == ("date", (), ())
    assert lone_rule_call(QUESTIONNAIRE.jinja, questions["tags"]) is None  # said whole
    assert rule_call(QUESTIONNAIRE.jinja, questions["difficulty"]) is None  # no validator


RULES = "template/_partials/rules.jinja"


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            '"maxItems": high,',
            '"maxItems": high + 1,',
            "tags: JSON Schema: tag_list_json_schema(2, 6) disagrees with the rule: the rule refuses",
        ),
        (
            'replace("\\\\Z", "$")',
            'replace("\\\\Z", "\\\\Z")',
            "tags: JSON Schema: tag_list_json_schema(2, 6): pattern '^[a-z0-9]+(-[a-z0-9]+)*\\\\Z': \\Z is Python's",
        ),
        (
            "{{ dict(ONE_LINE, maxLength=max_length) | tojson }}",
            "{{ dict(ONE_LINE, maxLength=max_length) }}",
            "title: JSON Schema: one_line_json_schema in template/_partials/rules.jinja: must render a JSON object",
        ),
        ('"minItems": low,', '"minItems": -1,', "is not JSON Schema"),
        ('"^(?!0000)(?:', '"^(?!0000)(?P<day>', "a Python named group"),
        # A rule across fields said of the value alone may say less, never refuse more.
        (
            '"^(?!0000)(?:[0-9]{4}-"',
            '"^(?!0000)(?:1[0-9]{3}-"',
            "review_date: JSON Schema: date_json_schema() disagrees with the rule: the rule accepts",
        ),
    ],
)
def test_template_check_verifies_the_rules_json_schema(
    tmp_path: Path, old: str, new: str, expected: str
) -> None:
    from guidewright.template_check.lint import check_template

    shutil.copy(REPO / "copier.yml", tmp_path / "copier.yml")
    shutil.copytree(REPO / "template", tmp_path / "template")
    rules = tmp_path / RULES
    text = rules.read_text("utf-8")
    assert old in text
    rules.write_text(text.replace(old, new, 1), "utf-8")
    messages = [f"{f.path}:{f.line}: {f.message}" for f in check_template(tmp_path)]
    assert any(expected in message for message in messages), messages
