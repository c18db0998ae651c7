"""Migrations a template declares in its `_guidewright` block: rename a question, map its
values, remove it, for the pages that move across a version.

Copier's `_migrations` are scripts, and a template is untrusted data: these are data, read
here, applied to a plain answers dict by a pure function, in the order declared. Which
entries a page crosses is a question of git ancestry (update/migrate.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from guidewright.core.errors import MigrationConflict, TemplateConfigError

_ENTRY_KEYS = ("version", "rename", "values", "remove")
_WHERE = "copier.yml: _guidewright: migrations"
Scalar = str | int | float | bool


@dataclass(frozen=True)
class Migration:
    """One entry: what pages get when they move to `version` or later from before it."""

    version: str
    rename: dict[str, str] = field(default_factory=dict)  # old name -> new name
    values: dict[str, dict[Scalar, Scalar]] = field(default_factory=dict)  # under new names
    remove: tuple[str, ...] = ()

    def tag_names(self) -> tuple[str, str]:
        """The tags that may stand for the version: `v2.0.0`, then `2.0.0`."""
        bare = self.version.removeprefix("v")
        return (f"v{bare}", bare)


def _fail(entry: int, version: str | None, key: str, problem: str) -> TemplateConfigError:
    named = f" (version {version})" if version else ""
    return TemplateConfigError(f"{_WHERE}: entry {entry}{named}: {key}: {problem}")


def _is_scalar(value: Any) -> bool:
    return isinstance(value, str | int | float | bool)


def _entry(number: int, raw: Any) -> Migration:
    if not isinstance(raw, dict):
        raise TemplateConfigError(
            f"{_WHERE}: entry {number}: must be a mapping with version and rename, values or remove"
        )
    version = raw.get("version")
    if isinstance(version, bool) or not isinstance(version, str | int) or not str(version).strip():
        raise _fail(number, None, "version", 'must be the version as quoted text, like "2.0.0"')
    version = str(version).strip()
    unknown = sorted(str(k) for k in raw if k not in _ENTRY_KEYS)
    if unknown:
        raise _fail(
            number, version, unknown[0], "unknown key (allowed: " + ", ".join(_ENTRY_KEYS) + ")"
        )
    rename = raw.get("rename", {})
    if not isinstance(rename, dict) or not all(
        isinstance(k, str) and isinstance(v, str) and k and v for k, v in rename.items()
    ):
        raise _fail(number, version, "rename", "must map old question names to new ones")
    targets: dict[str, str] = {}
    for old, new in rename.items():
        if new in targets:
            raise _fail(number, version, "rename", f"{targets[new]} and {old} both become {new}")
        targets[new] = old
    values = raw.get("values", {})
    if not isinstance(values, dict) or not all(
        isinstance(name, str)
        and isinstance(mapping, dict)
        and all(_is_scalar(k) and _is_scalar(v) for k, v in mapping.items())
        for name, mapping in values.items()
    ):
        raise _fail(
            number,
            version,
            "values",
            "must map each question to a mapping of old values to new ones (text or numbers)",
        )
    remove = raw.get("remove", [])
    if not isinstance(remove, list) or not all(isinstance(n, str) and n for n in remove):
        raise _fail(number, version, "remove", "must be a list of question names")
    if not (rename or values or remove):
        raise _fail(number, version, "version", "the entry renames, maps and removes nothing")
    return Migration(version, dict(rename), {k: dict(v) for k, v in values.items()}, tuple(remove))


def read_migrations(raw: Any, block_format: int) -> tuple[Migration, ...]:
    """The block's `migrations:` list, checked for shape (format 2 and later only)."""
    if raw is None:
        return ()
    if block_format < 2:
        raise TemplateConfigError(
            f"{_WHERE}: need format: 2 (the block says format {block_format})"
        )
    if not isinstance(raw, list):
        raise TemplateConfigError(
            f"{_WHERE}: must be a list of entries (version, rename, values, remove)"
        )
    return tuple(_entry(number, entry) for number, entry in enumerate(raw, 1))


def _same(a: Any, b: Any) -> bool:
    """Equal and of the same type: the value `1` is not the answer `true`."""
    return type(a) is type(b) and a == b


def _mapped(value: Any, mapping: Mapping[Scalar, Scalar]) -> tuple[Any, bool]:
    for old, new in mapping.items():
        if _same(value, old):
            return new, True
    return value, False


def map_value(value: Any, mapping: Mapping[Scalar, Scalar]) -> Any:
    """`value` mapped: a scalar as a whole, a list item by item. Where a mapped item equals
    another item, the duplicate goes and the first position stays; duplicates the author
    wrote, which no mapping made, stay."""
    if not isinstance(value, list):
        return _mapped(value, mapping)[0]
    result: list[Any] = []
    was_mapped: list[bool] = []
    for item in value:
        new, changed = _mapped(item, mapping)
        earlier = next((i for i, kept in enumerate(result) if _same(kept, new)), None)
        if earlier is not None and (changed or was_mapped[earlier]):
            continue
        result.append(new)
        was_mapped.append(changed)
    return result


def shown_value(value: Any) -> str:
    """An answer as a table cell shows it: text as it is, anything else as Python writes
    it, cut at 40 characters."""
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= 40 else text[:39] + "…"


@dataclass(frozen=True)
class Migrated:
    """Answers after the migrations, and what they did, one line per change."""

    answers: dict[str, Any]
    applied: tuple[str, ...]


def _apply_one(answers: dict[str, Any], migration: Migration) -> Iterable[str]:
    where = f"{migration.version}:"
    moving = {old: answers.pop(old) for old in migration.rename if old in answers}
    for old, value in moving.items():
        new = migration.rename[old]
        if new in answers:
            raise MigrationConflict(
                f"migration {migration.version} renames {old} to {new}, but the page already "
                f"answers {new}: remove one of the two answers"
            )
        answers[new] = value
        yield f"{where} {old} renamed {new}"
    for name, mapping in migration.values.items():
        if name in answers:
            before = answers[name]
            after = map_value(before, mapping)
            if after != before or type(after) is not type(before):
                answers[name] = after
                yield f"{where} {name} {shown_value(before)} → {shown_value(after)}"
    for name in migration.remove:
        if name in answers:
            yield f"{where} {name} removed (was {shown_value(answers.pop(name))})"


def apply_migrations(answers: Mapping[str, Any], migrations: Sequence[Migration]) -> Migrated:
    """`answers` with each migration applied in order: within one, `rename` first, then
    `values` under the new names, then `remove`. Raises MigrationConflict."""
    result = dict(answers)
    applied: list[str] = []
    for migration in migrations:
        applied.extend(_apply_one(result, migration))
    return Migrated(result, tuple(applied))
