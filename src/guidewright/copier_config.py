"""`copier.yml`, derived from the schema.

The repository's `copier.yml` is this module's output; a test keeps the two equal.
Regenerate with `python -m guidewright.copier_config > copier.yml`.
"""

from __future__ import annotations

from typing import Any

import yaml

from guidewright import schema
from guidewright.schema import Field, Kind

ANSWERS_DIR = ".guidewright/answers"
SETTINGS: dict[str, Any] = {
    "_subdirectory": "template",
    "_answers_file": ANSWERS_DIR + "/{{ section }}/{{ slug }}.yml",
    "_exclude": ["_partials"],
}
HEADER = (
    "# Generated from src/guidewright/schema.py by `python -m guidewright.copier_config`.\n"
    "# Do not edit by hand: tests/test_copier_config.py fails when the two disagree.\n"
)


def _literal(text: str) -> str:
    """A Jinja string literal (Jinja unescapes backslashes like Python)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _text_ok(var: str) -> str:
    return (
        f"({var} is string and {var}.strip() "
        f"and not ({var} | regex_search({_literal(schema.CONTROL_PATTERN)})))"
    )


def _pattern_ok(var: str, pattern: str) -> str:
    return f"({var} is string and {var} | regex_search({_literal(pattern)}))"


def _date_statements(var: str, after: str | None) -> list[str]:
    lines = [
        f"{{%- if {_pattern_ok(var, schema.DATE_PATTERN)} -%}}",
        f'{{%- set ymd = {var}.split("-") | map("int") | list -%}}',
        "{%- set leap = (ymd[0] % 4 == 0 and ymd[0] % 100 != 0) or ymd[0] % 400 == 0 -%}",
        "{%- set days = [31, 29 if leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]"
        "[ymd[1] - 1] if 1 <= ymd[1] <= 12 else 0 -%}",
        "{%- set ns.ok = ymd[0] >= 1 and 1 <= ymd[2] <= days -%}",
        "{%- endif -%}",
    ]
    if after:
        lines.append(
            f"{{%- if ns.ok and {_pattern_ok(after, schema.DATE_PATTERN)} "
            f"and {var} <= {after} -%}}{{%- set ns.ok = false -%}}{{%- endif -%}}"
        )
    return lines


def _list_statements(field: Field, var: str, item_ok: str | None, distinct: bool) -> list[str]:
    count = f"{field.min_items} <= ({var} | length)"
    if field.max_items is not None:
        count += f" <= {field.max_items}"
    lines = [
        f"{{%- set ns.ok = {var} is sequence and {var} is not string and {var} is not mapping -%}}",
        f"{{%- if ns.ok and not ({count}) -%}}{{%- set ns.ok = false -%}}{{%- endif -%}}",
    ]
    if item_ok:
        lines.append(
            f"{{%- if ns.ok -%}}{{%- for item in {var} -%}}{{%- if not {item_ok} -%}}"
            "{%- set ns.ok = false -%}{%- endif -%}{%- endfor -%}{%- endif -%}"
        )
    if distinct:
        lines.append(
            f"{{%- if ns.ok and ({var} | unique(case_sensitive=true) | list | length) "
            f"!= ({var} | length) -%}}{{%- set ns.ok = false -%}}{{%- endif -%}}"
        )
    return lines


def _ok_statements(field: Field) -> list[str] | None:
    var, kind = field.key, field.kind
    single = {
        Kind.TEXT: _text_ok(var),
        Kind.SLUG: _pattern_ok(var, schema.SLUG_PATTERN),
        Kind.SECTION: _pattern_ok(var, schema.SECTION_PATTERN),
        Kind.FOLDER: _pattern_ok(var, schema.FOLDER_PATTERN),
        Kind.VERSION: _pattern_ok(var, schema.VERSION_PATTERN),
        Kind.DURATION: (
            f"({_pattern_ok(var, schema.DURATION_PATTERN)} and "
            f'{schema.MIN_MINUTES} <= ({var}.split(" ")[0] | int) <= {schema.MAX_MINUTES})'
        ),
    }
    if kind in single:
        return [f"{{%- set ns.ok = {single[kind]} -%}}"]
    if kind is Kind.DATE:
        return _date_statements(var, field.after)
    if kind is Kind.CHOICE:
        return None  # Copier checks `choices` itself.
    if kind is Kind.CHOICES:
        return _list_statements(field, var, None, distinct=True)
    if kind is Kind.TEXT_LIST:
        return _list_statements(field, var, _text_ok("item"), distinct=False)
    if kind is Kind.TAG_LIST:
        return _list_statements(field, var, _pattern_ok("item", schema.SLUG_PATTERN), True)
    if kind is Kind.DOC_LIST:
        return _list_statements(field, var, _pattern_ok("item", schema.DOC_PATH_PATTERN), False)
    raise AssertionError(kind)


def copier_validator(field: Field) -> str | None:
    statements = _ok_statements(field)
    if statements is None:
        return None
    return "\n".join(
        ["{%- set ns = namespace(ok=false) -%}", *statements,
         f"{{%- if not ns.ok -%}}{field.rule}{{%- endif -%}}"]
    )  # fmt: skip


def _default(field: Field) -> Any:
    if not isinstance(field.default, dict):
        return field.default
    branches = [(ct, field.default[ct]) for ct in field.content_types if ct in field.default]
    if len(branches) == 1:
        return branches[0][1]
    text = ""
    for index, (content_type, template) in enumerate(branches):
        keyword = "if" if index == 0 else "elif"
        text += f'{{% {keyword} content_type == "{content_type}" %}}{template}'
    return text + "{% endif %}"


def copier_question(field: Field) -> dict[str, Any]:
    question: dict[str, Any] = {
        "type": "yaml" if field.kind.is_list and field.kind is not Kind.CHOICES else "str",
        "help": field.help,
    }
    if field.choices:
        question["choices"] = list(field.choices)
    if field.kind is Kind.CHOICES:
        question["multiselect"] = True
    default = _default(field)
    if default is not None:
        question["default"] = default
    if field.content_types != schema.CONTENT_TYPES:
        only = field.content_types[0]
        question["when"] = f'{{{{ content_type == "{only}" }}}}'
    validator = copier_validator(field)
    if validator:
        question["validator"] = validator
    return question


class _Dumper(yaml.SafeDumper):
    pass


def _str_representer(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str_representer)


def render_copier_yml() -> str:
    data: dict[str, Any] = dict(SETTINGS)
    for field in schema.FIELDS:
        data[field.key] = copier_question(field)
    body = yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=1000)
    return HEADER + body


if __name__ == "__main__":
    print(render_copier_yml(), end="")
