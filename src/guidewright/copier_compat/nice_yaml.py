"""The `to_nice_yaml` filter Copier's templates use, byte for byte, in a fraction of the time.

Copier's answers file is `{{ _copier_answers | to_nice_yaml }}`: jinja2_ansible_filters'
`yaml.dump(..., indent=4, allow_unicode=True, default_flow_style=False)`, whose
pure-Python emitter costs about a millisecond per page, most of `adopt`'s render of a page's
answers file. PyYAML's C emitter (libyaml) writes the same bytes for the data answers hold,
with the same Python representer and resolver in front of it, except for characters libyaml
judges otherwise (it escapes every character outside the Basic Multilingual Plane, an
emoji; the Python emitter writes it as it is). So the C emitter is used only for data whose
every scalar is plain answer data in the characters both judge alike; anything else (an
emoji, a control character, a tuple, an object shared twice, a filter argument, a scalar
at the root) goes to the original filter. In front of libyaml, the nodes of text, whole
numbers, booleans, null, lists and mappings are made directly rather than by PyYAML's
representer, and the resolver's tag for a text is remembered: a third less time (135 to
86 µs for an answers file of bench_adopt's). tests/test_nice_yaml.py compares all of it
on generated answers.

Mirrors `jinja2_ansible_filters.core_filters.to_nice_yaml`, the filter Copier's answers
file template calls. Differential tests: tests/test_nice_yaml.py.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

import yaml
from jinja2_ansible_filters.core_filters import to_nice_yaml as ansible_to_nice_yaml

# The characters both emitters judge alike: printable ASCII, a line feed, and the rest of
# the Basic Multilingual Plane but for NEL, the BOM, the Unicode line and paragraph
# separators and the surrogates. Written as the characters outside them: the class of
# those inside compiles to a table of the whole plane, 6 ms of every run's start.
_UNSAFE_CHARACTER = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff\U00010000-\U0010ffff]"
)
_TEXT_LIKE = (bool, int, float, type(None))  # never an alias
_DATES = (datetime.date, datetime.datetime)
_SCALARS = _TEXT_LIKE + _DATES
_KEY_CHARACTERS = 40  # at most 120 bytes in UTF-8, within both emitters' simple keys
_C_DUMPER: Any = getattr(yaml, "CDumper", None)  # None where PyYAML was built without libyaml


def to_nice_yaml(data: Any, *args: Any, **kwargs: Any) -> str:
    """jinja2_ansible_filters' `to_nice_yaml`, the same text for every input."""
    # A scalar at the root ends its document otherwise ("..." or not): a mapping or a list.
    plain = type(data) in (dict, list) and _judged_alike(data, set())
    if args or kwargs or _C_DUMPER is None or not plain:
        return str(ansible_to_nice_yaml(data, *args, **kwargs))
    try:
        node = _node(data)
    except _NotPlain:  # a float, a date, a key not text: PyYAML's representer
        text: str = yaml.dump(
            data, Dumper=_C_DUMPER, indent=4, allow_unicode=True, default_flow_style=False
        )
        return text
    serialized: str = yaml.serialize(node, Dumper=_RememberingDumper, indent=4, allow_unicode=True)
    return serialized


class _NotPlain(Exception):
    """A value `_node` leaves to PyYAML's representer."""


_STR = "tag:yaml.org,2002:str"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"


def _node(data: Any) -> yaml.Node:
    """The node PyYAML's `Representer` makes of `data` under `yaml.dump(...,
    default_flow_style=False)`, for text, whole numbers, booleans, null, lists and
    mappings keyed by text (the answers' every value but a rare float or date), made
    directly: the representer's generic dispatch cost a third of the answers file's YAML.
    Called only on data `_judged_alike` passed, so no object is shared (no alias)."""
    kind = type(data)
    if kind is str:
        return yaml.ScalarNode(_STR, data)
    if kind is dict:
        # The representer sorts the items (`sort_keys`); keys all text sort as text.
        if not all(type(key) is str for key in data):
            raise _NotPlain
        pairs = [(yaml.ScalarNode(_STR, k), _node(v)) for k, v in sorted(data.items())]
        return yaml.MappingNode(_MAP, pairs, flow_style=False)
    if kind is list:
        return yaml.SequenceNode(_SEQ, [_node(item) for item in data], flow_style=False)
    if kind is bool:
        return yaml.ScalarNode("tag:yaml.org,2002:bool", "true" if data else "false")
    if kind is int:
        return yaml.ScalarNode("tag:yaml.org,2002:int", str(data))
    if data is None:
        return yaml.ScalarNode("tag:yaml.org,2002:null", "null")
    raise _NotPlain


_RESOLVED: dict[tuple[str, Any], str] = {}  # (text, implicit) -> the tag PyYAML resolves
_RESOLVED_KEPT = 4096  # then forgotten: a site's titles are not kept for the run
_RESOLVED_LONGEST = 200  # longer texts (descriptions) rarely repeat: asked, not kept


class _RememberingDumper(_C_DUMPER or yaml.Dumper):  # type: ignore[misc]
    """libyaml's dumper, remembering which tag PyYAML's resolver gives a text (asked
    twice of every scalar it writes; most are written on every page: tags, owners)."""

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        if kind is not yaml.ScalarNode or len(value) > _RESOLVED_LONGEST:
            return super().resolve(kind, value, implicit)
        key = (value, implicit)
        found = _RESOLVED.get(key)
        if found is None:
            if len(_RESOLVED) >= _RESOLVED_KEPT:
                _RESOLVED.clear()
            found = _RESOLVED[key] = super().resolve(kind, value, implicit)
        return found


def _key_alike(key: Any) -> bool:
    """Whether both emitters write `key` alike: an empty or multi-line text is a complex
    key (`? ''`) to the Python emitter, a simple one to libyaml, and a long one is complex
    past 128 characters to one and 128 bytes to the other; a question's name is short."""
    if type(key) is str:
        return (
            0 < len(key) <= _KEY_CHARACTERS
            and "\n" not in key
            and _UNSAFE_CHARACTER.search(key) is None
        )
    return type(key) in _SCALARS


def _judged_alike(data: Any, seen: set[int]) -> bool:
    """Whether both emitters write `data` alike: dicts, lists and scalars of plain types
    (exactly those types: a subclass may represent itself otherwise), each container
    once (a shared one becomes an anchor and an alias), text in the safe characters."""
    kind = type(data)
    if kind is str:
        # A space beside a line break makes the text double-quoted, and the emitters fold
        # a long double-quoted text at different places (an escaped backslash).
        return _UNSAFE_CHARACTER.search(data) is None and " \n" not in data and "\n " not in data
    if kind in _TEXT_LIKE:
        return True
    if kind is not dict and kind is not list and kind not in _DATES:
        return False
    if id(data) in seen:  # represented once, then as an alias (dates too, unlike text)
        return False
    seen.add(id(data))
    if kind in _DATES:
        return True
    if kind is dict:
        return all(_key_alike(k) and _judged_alike(v, seen) for k, v in data.items())
    return all(_judged_alike(item, seen) for item in data)
