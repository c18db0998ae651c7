"""The engine configuration's tags (mkdocs.yml, properdocs.yml), renamed as the pages' are:
Material's tags plugin refuses a tag its `tags_allowed` does not list, and maps tags to
icons in `extra: tags:`. A text edit of those lines alone, read back before it is kept;
the rest of the file (its comments, its `!!python/name` tags) stays byte for byte.

The file is composed, not loaded: composing builds nodes with their places and runs no
constructor, so the `!!python/name:` and `!ENV` tags a site uses need no loader of ours.
"""

from __future__ import annotations

from collections.abc import Mapping

import yaml

from guidewright.core.errors import OperationFailed
from guidewright.core.yaml_edit import NoTextEdit, mapping_value, scalar_text, sequence_rewritten
from guidewright.core.yaml_problem import yaml_problem
from guidewright.site.config_edit import renamed_tags

TAGS_PLUGIN = ("tags", "material/tags")


def _compose(text: str, relpath: str) -> yaml.Node | None:
    try:
        return yaml.compose(text, Loader=yaml.SafeLoader)  # nodes only: no constructor runs
    except yaml.YAMLError as error:
        raise OperationFailed(f"{relpath}: {yaml_problem(error, text=text)}") from None


def _tags_plugin_options(root: yaml.Node | None) -> yaml.Node | None:
    """The options of the tags plugin, as a list entry (`- tags: {...}`) or a key."""
    plugins = mapping_value(root, "plugins")
    if isinstance(plugins, yaml.MappingNode):
        for name in TAGS_PLUGIN:
            if (found := mapping_value(plugins, name)) is not None:
                return found
    if isinstance(plugins, yaml.SequenceNode):
        for entry in plugins.value:
            for name in TAGS_PLUGIN:
                if (found := mapping_value(entry, name)) is not None:
                    return found
    return None


def _allowed(root: yaml.Node | None) -> yaml.SequenceNode | None:
    found = mapping_value(_tags_plugin_options(root), "tags_allowed")
    return found if isinstance(found, yaml.SequenceNode) else None


def _allowed_values(root: yaml.Node | None) -> list[str] | None:
    found = _allowed(root)
    if found is None:
        return None
    return [item.value for item in found.value if isinstance(item, yaml.ScalarNode)]


def _icon_keys(root: yaml.Node | None) -> list[yaml.ScalarNode]:
    """The tags `extra: tags:` maps to icons (Material's tag icons), as key nodes."""
    icons = mapping_value(mapping_value(root, "extra"), "tags")
    if not isinstance(icons, yaml.MappingNode):
        return []
    return [key for key, _ in icons.value if isinstance(key, yaml.ScalarNode)]


def engine_tags_renamed(text: str, relpath: str, renames: Mapping[str, str]) -> str | None:
    """`text` (the engine configuration at `relpath`) with the tags plugin's `tags_allowed`
    and the tag icons of `extra: tags:` renamed (None: neither names a renamed tag)."""
    root = _compose(text, relpath)
    allowed = _allowed_values(root)
    wanted = renamed_tags(allowed, renames) if allowed is not None else None
    edited = text
    if allowed is not None and wanted != allowed:
        node = _allowed(root)
        assert node is not None  # `allowed` was read from it
        try:
            edited = sequence_rewritten(edited, node, wanted or [])
        except NoTextEdit as error:
            raise OperationFailed(f"{relpath}: tags_allowed: {error}; rename by hand") from None
    # Placed in the text as it is now (the allow-list's edit may have moved them).
    keys = _icon_keys(root if edited == text else _compose(edited, relpath))
    present = {key.value for key in keys}
    renamed = []
    for key in keys:  # an icon the new tag has already (or was just given) stays
        new = renames.get(key.value)
        if new is not None and new not in present:
            present = (present - {key.value}) | {new}
            renamed.append((key, new))
    for key, new in sorted(renamed, key=lambda found: -found[0].start_mark.index):
        start, end = key.start_mark.index, key.end_mark.index
        edited = edited[:start] + scalar_text(new, key.style) + edited[end:]
    if edited == text:
        return None
    after = _compose(edited, relpath)
    icons_after = [key.value for key in _icon_keys(after)]
    if _allowed_values(after) != wanted or sorted(icons_after) != sorted(present):
        raise OperationFailed(
            f"{relpath}: a line edit of its tags would not read back as it should; rename "
            "them by hand"
        )
    return edited
