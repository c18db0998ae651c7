"""The site configuration, `.guidewright/config.yml`, changed by the commands that learn
something of the site as they write it (`new` and `adopt`: a tag created on purpose, the
first content owner) or that make it (`adopt` on a site new to guidewright), each in its
write session: the file is replaced only while it still is the text the change was made
to, and a change made meanwhile is read again and the change made anew on it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence

from guidewright.core.atomic import ABSENT, read_seen
from guidewright.core.errors import OperationFailed
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

    def with_tags(config: SiteConfig) -> SiteConfig | None:
        new = [tag for tag in dict.fromkeys(tags) if tag not in config.tags]
        return dataclasses.replace(config, tags=[*config.tags, *new]) if new else None

    _edit(session, with_tags)


def remember_content_owner(session: WriteSession, content_owner: str) -> None:
    """Keep the first content owner given as the site's default."""

    def with_owner(config: SiteConfig) -> SiteConfig | None:
        if config.content_owner:
            return None
        return dataclasses.replace(config, content_owner=content_owner)

    _edit(session, with_owner)


def _edit(session: WriteSession, change: Callable[[SiteConfig], SiteConfig | None]) -> None:
    """The configuration as saved now, changed (None: nothing to change), written back;
    read again and changed anew when someone saved it meanwhile."""
    path = session.site.root / CONFIG_RELPATH
    for _ in range(_ATTEMPTS):
        try:
            raw, seen = read_seen(path)
        except FileNotFoundError:
            raw, seen = b"", ABSENT
        except OSError as error:
            raise OperationFailed(f"could not read {CONFIG_RELPATH}: {error.strerror}") from error
        changed = change(parse_config(raw))
        if changed is None:
            return
        result = session.write_one(Target(CONFIG_RELPATH, seen, config_text(changed).encode()))
        if result.status is Written.WRITTEN:
            return
        if result.status is not Written.LEFT:
            raise OperationFailed(f"could not save {result.message}")
    raise OperationFailed(f"could not save {result.message}")
