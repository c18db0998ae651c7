"""The order tests are handed to pytest-xdist's workers in: those marked `long` first.

A worker that picks up a test of tens of seconds near the end of a run ends the run alone
with it while the other worker has nothing left to do. Started first, it runs while the
other worker takes the many short tests, and the two end together."""

from __future__ import annotations

import pytest


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """`long` tests first; the others keep their order (every worker sorts alike)."""
    items.sort(key=lambda item: item.get_closest_marker("long") is None)
