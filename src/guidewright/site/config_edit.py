"""The site configuration, `.guidewright/config.yml`, changed by the commands that learn
something of the site as they write it (`new` and `adopt`: a tag created on purpose, the
first content owner) or that make it (`adopt` on a site new to guidewright), each in its
write session: the file is replaced only while it still is the text the change was made
to, and a change made meanwhile is read again and the change made anew on it.

An existing configuration is the author's file: it is edited as text, a targeted edit of
the lines that change (a tag added after the last one, in the list's own style; a
content owner set), never dumped again, so its comments, its layout and keys guidewright
does not know stay as they are. Each edit is read back: the configuration must then hold
exactly what it held, plus the change; else the file stays and the error says what to add
by hand.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import yaml

from guidewright.core.atomic import ABSENT, read_seen
from guidewright.core.bounded_read import YAML_BYTES
from guidewright.core.errors import OperationFailed
from guidewright.core.yaml_edit import (
    NoTextEdit,
    added_to_collection,
    appended,
    compose,
    line_end,
    mapping_value,
    replaced,
    require_reads_as,
    scalar_text,
    sequence_rewritten,
)
from guidewright.site.site import CONFIG_RELPATH, SiteConfig, config_text, parse_config
from guidewright.site.write_session import Target, WriteSession, Written

_ATTEMPTS = 3  # a configuration changed meanwhile is read again, a few times at most


def create_config(session: WriteSession, config: SiteConfig) -> bool:
    """Write a new site configuration; False when one exists already (it stays)."""
    text = config_text(config).encode("utf-8")
    result = session.write_one(Target(CONFIG_RELPATH, ABSENT, text))
    if result.status in (Written.FAILED, Written.REFUSED):
        raise OperationFailed(f"could not save {result.message}")
    return result.status is Written.WRITTEN


def add_site_tags(session: WriteSession, tags: Sequence[str]) -> None:
    """Add tags an author created on purpose to the site's `tags`: known from then on."""

    def with_tags(text: str) -> str | None:
        config = parse_config(text.encode("utf-8"))
        new = [tag for tag in dict.fromkeys(tags) if tag not in config.tags]
        if not new:
            return None
        try:
            return _added_to_list(text, "tags", new)
        except NoTextEdit as error:
            shown = ", ".join(new)
            raise OperationFailed(
                f"{CONFIG_RELPATH}: tags: {error}; add {shown} to them by hand"
            ) from None

    _edit(session, with_tags)


def renamed_tags(tags: Sequence[str], renames: Mapping[str, str]) -> list[str]:
    """`tags` with each renamed (`renames`: old to new), each tag once, where it first
    stood: the one rule for a tag list's new value (`guidewright tags rename` and `merge`)."""
    return list(dict.fromkeys(renames.get(tag, tag) for tag in tags))


def site_tags_renamed(text: str, renames: Mapping[str, str]) -> str | None:
    """The configuration's text with its `tags` renamed (None: it lists none of them);
    refused (OperationFailed, saying what to change by hand) where no line edit can."""
    node, data = _read_or_refused(text, renames)
    tags = data.get("tags")
    found = mapping_value(node, "tags")
    if not isinstance(tags, list) or not any(tag in renames for tag in tags):
        return None
    wanted = renamed_tags(tags, renames)
    try:
        if not isinstance(found, yaml.SequenceNode):
            raise NoTextEdit("not a list")
        edited = sequence_rewritten(text, found, wanted)
        require_reads_as(edited, {**data, "tags": wanted})
        return edited
    except NoTextEdit as error:
        shown = ", ".join(f"{old} to {new}" for old, new in renames.items())
        raise OperationFailed(f"{CONFIG_RELPATH}: tags: {error}; rename {shown} by hand") from None


def _read_or_refused(
    text: str, renames: Mapping[str, str]
) -> tuple[yaml.MappingNode | None, dict[str, Any]]:
    try:
        return _read(text)
    except NoTextEdit as error:
        shown = ", ".join(f"{old} to {new}" for old, new in renames.items())
        raise OperationFailed(f"{CONFIG_RELPATH}: {error}; rename {shown} by hand") from None


def rename_site_tags(session: WriteSession, renames: Mapping[str, str]) -> None:
    """Rename tags in the site's `tags` (`renames`: old to new), in its write session."""
    _edit(session, lambda text: site_tags_renamed(text, renames))


def remember_content_owner(session: WriteSession, content_owner: str) -> None:
    """Keep the first content owner given as the site's default."""

    def with_owner(text: str) -> str | None:
        if parse_config(text.encode("utf-8")).content_owner:
            return None
        try:
            return _set_scalar(text, "content_owner", content_owner)
        except NoTextEdit as error:
            raise OperationFailed(
                f"{CONFIG_RELPATH}: content_owner: {error}; set it to {content_owner} by hand"
            ) from None

    _edit(session, with_owner)


def _edit(
    session: WriteSession, change: Callable[[str], str | None], relpath: str = CONFIG_RELPATH
) -> None:
    """The configuration (or the site's file at `relpath`) as saved now, changed (None:
    nothing to change), written back; read again and changed anew when someone saved it
    meanwhile."""
    path = session.site.root / relpath
    for _ in range(_ATTEMPTS):
        try:
            raw, seen = read_seen(path, YAML_BYTES)
        except FileNotFoundError:
            raw, seen = b"", ABSENT
        except OSError as error:
            raise OperationFailed(f"could not read {relpath}: {error.strerror}") from error
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            raise OperationFailed(f"{relpath}: not UTF-8 text") from error
        changed = change(text)
        if changed is None:
            return
        result = session.write_one(Target(relpath, seen, changed.encode("utf-8")))
        if result.status is Written.WRITTEN:
            return
        if result.status is not Written.LEFT:
            raise OperationFailed(f"could not save {result.message}")
    raise OperationFailed(f"could not save {result.message}")


def edit_setting_file(
    session: WriteSession, relpath: str, change: Callable[[str], str | None]
) -> None:
    """A settings file of the site (the engine's configuration, say) changed by a text
    edit as the configuration is: replaced only while it is the text changed."""
    _edit(session, change, relpath)


# ---- the line edits (core/yaml_edit.py) ------------------------------------------------


def _read(text: str) -> tuple[yaml.MappingNode | None, dict[str, Any]]:
    """The configuration's top-level block mapping (None: an empty file) and its data."""
    node, data = compose(text)
    if node is None:
        return None, {}
    if not isinstance(node, yaml.MappingNode) or node.flow_style or not isinstance(data, dict):
        raise NoTextEdit("it is not a mapping of one key a line")
    return node, data


def _added_to_list(text: str, key: str, values: list[str]) -> str:
    """`values` added to the end of the list `key`: a line each in a block list (with its
    indentation), an item each in a flow list, a new block list where there is none."""
    node, data = _read(text)
    end = line_end(text)
    items = [scalar_text(value, None) for value in values]
    found = mapping_value(node, key)
    if found is None:
        edited = appended(text, f"{key}:{end}" + "".join(f"- {item}{end}" for item in items))
    elif isinstance(found, yaml.SequenceNode):
        edited = added_to_collection(text, found, items)
    elif isinstance(found, yaml.ScalarNode) and found.tag.endswith(":null"):
        edited = replaced(text, found, "[" + ", ".join(items) + "]")
    else:
        raise NoTextEdit("not a list")
    require_reads_as(edited, {**data, key: [*(data.get(key) or []), *values]})
    return edited


def _set_scalar(text: str, key: str, value: str) -> str:
    """`key: value`, set where `key` is empty, or added after the last line."""
    node, data = _read(text)
    found = mapping_value(node, key)
    if found is None:
        edited = appended(text, f"{key}: {scalar_text(value, None)}{line_end(text)}")
    elif isinstance(found, yaml.ScalarNode) and not data.get(key):
        edited = replaced(text, found, scalar_text(value, None))
    else:
        raise NoTextEdit("holds a value already")
    require_reads_as(edited, {**data, key: value})
    return edited
