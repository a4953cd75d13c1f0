"""Counts in messages: ``counted(1, "test")`` is "1 test", ``counted(2, "test")`` "2 tests"."""

from __future__ import annotations


def counted(n: int, noun: str) -> str:
    """``n`` and the noun, singular for exactly one."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"
