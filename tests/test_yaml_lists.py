"""A YAML list's items changed in its text (core/yaml_edit.py): each layout keeps its style,
its comments and every other byte; what cannot be edited so is refused, never rewritten."""

from __future__ import annotations

import pytest
import yaml

from guidewright.core.yaml_edit import NoTextEdit, mapping_value, sequence_rewritten
from guidewright.site.config_edit import renamed_tags

RENAME = {"caching": "cache"}
MERGE = {"caching": "cache", "redis": "cache"}


def edited(text: str, renames: dict[str, str]) -> str:
    node = mapping_value(yaml.compose(text), "tags")
    assert isinstance(node, yaml.SequenceNode)
    wanted = renamed_tags([item.value for item in node.value], renames)
    after = sequence_rewritten(text, node, wanted)
    assert yaml.safe_load(after)["tags"] == wanted  # reads back as wanted
    return after


@pytest.mark.parametrize(
    ("before", "renames", "after"),
    [
        (
            'tags: ["caching", "aws"]  # 2-6 tags\nx: 1\n',
            RENAME,
            'tags: ["cache", "aws"]  # 2-6 tags\nx: 1\n',
        ),
        ("tags: [caching, aws]\n", RENAME, "tags: [cache, aws]\n"),
        ("tags: ['caching', 'aws']\n", RENAME, "tags: ['cache', 'aws']\n"),
        (
            "tags:\n  - caching  # the old name\n  - aws\nx: 1\n",
            RENAME,
            "tags:\n  - cache  # the old name\n  - aws\nx: 1\n",
        ),
        ("tags:\r\n- caching\r\n- aws\r\n", RENAME, "tags:\r\n- cache\r\n- aws\r\n"),
        ('tags: ["caching", "redis", "aws"]\n', MERGE, 'tags: ["cache", "aws"]\n'),
        (
            "tags:\n  - caching\n  - redis\n  - aws\nx: 1\n",
            MERGE,
            "tags:\n  - cache\n  - aws\nx: 1\n",
        ),
        ("tags:\r\n- caching\r\n- redis\r\n- aws\r\n", MERGE, "tags:\r\n- cache\r\n- aws\r\n"),
        (
            'tags: ["yes-caching", "caching"]\n',
            {"caching": "yes"},
            'tags: ["yes-caching", "yes"]\n',
        ),
        (
            "tags: [caching, aws]\n",
            {"caching": "yes"},
            'tags: ["yes", aws]\n',
        ),  # plain yes is a boolean
    ],
)
def test_each_layout_keeps_its_style(before: str, renames: dict[str, str], after: str) -> None:
    assert edited(before, renames) == after


def test_an_item_that_is_no_plain_value_is_refused() -> None:
    text = "tags: [[caching], aws]\n"
    node = mapping_value(yaml.compose(text), "tags")
    assert isinstance(node, yaml.SequenceNode)
    with pytest.raises(NoTextEdit):
        sequence_rewritten(text, node, ["cache"])
