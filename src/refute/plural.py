"""Counts in messages: ``counted(1, "test")`` is "1 test", ``counted(2, "test")`` "2 tests"."""

from __future__ import annotations


def counted(n: int, noun: str, plural: str | None = None) -> str:
    """``n`` and the noun, singular for exactly one (``plural`` for irregular nouns)."""
    if n == 1:
        return f"1 {noun}"
    return f"{n} {plural if plural is not None else noun + 's'}"
