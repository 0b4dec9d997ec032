"""Fixtures of the look-back tests (the helpers live in ``conftest_helpers``)."""

from __future__ import annotations

from conftest_helpers import engine, settings

__all__ = ["engine", "settings"]
