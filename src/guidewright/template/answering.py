"""Turn flags, a data file, site knowledge and defaults into one document's answers.

Nothing here prompts: an interactive caller passes an `Ask` callback, which this
module calls once per field with the default and a validator.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Protocol

import yaml

from guidewright import schema
from guidewright.documents.site import Site
from guidewright.errors import InvalidInput, describe_yaml_error
from guidewright.schema import NOT_ASKED, Field, Kind
from guidewright.template.jinja import default_value

DocumentAnswers = dict[str, Any]
Validator = Callable[[Any], "str | None"]


class Ask(Protocol):
    def __call__(self, field: Field, default: Any, validate: Validator) -> Any: ...


def normalize(field: Field, value: Any) -> Any:
    """Forgive the usual spellings: 45 for '45 min', a YAML date, 1.0 as a number."""
    if field.kind is Kind.DATE and isinstance(value, dt.date):
        return value.isoformat()
    if field.kind is Kind.DURATION and isinstance(value, int) and not isinstance(value, bool):
        return f"{value} min"
    if field.kind is Kind.DURATION and isinstance(value, str):
        return schema.minutes_to_duration(value)
    if field.kind in {Kind.TEXT, Kind.VERSION} and isinstance(value, int | float):
        return str(value)
    if field.kind.is_list and isinstance(value, str):
        return [value]
    if field.kind.is_list and isinstance(value, tuple):
        return list(value)
    return value


def answer_problem(field: Field, value: Any, answers: Mapping[str, Any], site: Site) -> str | None:
    """What is wrong with this answer for this site, or None."""
    found = schema.problem(field, value, answers)
    if found:
        return found
    if field.kind is Kind.DOC_LIST:
        documents = set(site.documents())
        for path in value:
            if path not in documents:
                return f"{field.key}: {path} is not a document of {site.docs_dir}/"
    if field.key == "slug" and "section" in answers:
        target = site.document_path(answers["section"], value)
        if target.exists():
            shown = target.relative_to(site.root).as_posix()
            return (
                f"slug: {shown} already exists (an existing document is updated with "
                "`guidewright update`, never overwritten); choose another slug"
            )
    return None


def site_default(field: Field, site: Site) -> Any:
    if field.key == "content_owner":
        return site.config.content_owner
    if field.key == "contributors":
        name = site.git_user_name()
        return [name] if name else None
    return None


def load_data_file(path: Path, content_type: str) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text("utf-8"))
    except OSError as error:
        raise InvalidInput(f"--data-file: cannot read {path}: {error.strerror}") from error
    except yaml.YAMLError as error:
        raise InvalidInput(
            f"--data-file: {path} is not valid YAML: {describe_yaml_error(error)}"
        ) from error
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise InvalidInput(f"--data-file: {path} must be a YAML mapping of field names to values")
    allowed = {f.key for f in schema.fields_for(content_type) if f.key not in NOT_ASKED}
    unknown = sorted(str(k) for k in data if k not in allowed and k != "content_type")
    if unknown:
        raise InvalidInput(
            f"--data-file: unknown field(s) for a {content_type}: {', '.join(unknown)} "
            f"(allowed: {', '.join(sorted(allowed))})"
        )
    if data.get("content_type", content_type) != content_type:
        raise InvalidInput(
            f"--data-file: content_type is {data['content_type']!r} but this command "
            f"creates a {content_type}"
        )
    data.pop("content_type", None)
    return data


def collect_answers(
    content_type: str, given: Mapping[str, Any], site: Site, ask: Ask | None
) -> DocumentAnswers:
    """Every answer of a new document, in schema order.

    `given` values must be valid; missing ones are asked (when `ask` is given) or take
    their default. Without `ask`, every field lacking both is reported at once.
    """
    answers: DocumentAnswers = {"content_type": content_type, "docs_dir": site.docs_dir}
    for key in NOT_ASKED:
        found = answer_problem(schema.FIELDS_BY_KEY[key], answers[key], answers, site)
        if found:
            raise InvalidInput(found)
    missing: list[Field] = []
    for field in schema.fields_for(content_type):
        if field.key in NOT_ASKED:
            continue
        if field.key in given:
            value = normalize(field, given[field.key])
            found = answer_problem(field, value, answers, site)
            if found:
                raise InvalidInput(found)
            answers[field.key] = value
            continue
        default = site_default(field, site)
        if default is None:
            default = default_value(field, content_type, answers)
        if ask is not None:

            def validate(value: Any, field: Field = field) -> str | None:
                return answer_problem(field, normalize(field, value), answers, site)

            answers[field.key] = normalize(field, ask(field, default, validate))
            continue
        if default is None:
            missing.append(field)
            continue
        found = answer_problem(field, default, answers, site)
        if found and missing:
            continue  # most likely derived from a missing answer, which is reported
        if found:
            raise InvalidInput(f"{found} (the default {default!r} does not fit; pass {field.flag})")
        answers[field.key] = default
    if missing:
        listed = ", ".join(f"{f.flag} ({f.key})" for f in missing)
        raise InvalidInput(f"missing answers, pass: {listed}")
    return answers
