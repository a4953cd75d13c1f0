"""Amounts in integer cents."""

from __future__ import annotations


def parse_amount(text: str) -> int:
    """Parse "12.34" into 1234 cents."""
    text = text.strip()
    if not text:
        raise ValueError("empty amount")
    negative = text.startswith("-")
    if negative:
        text = text[1:]
    whole, _, frac = text.partition(".")
    if not whole.isdigit() or (frac and not frac.isdigit()) or len(frac) > 2:
        raise ValueError(f"not an amount: {text!r}")
    cents = int(whole) * 100 + int(frac.ljust(2, "0") or "0")
    return -cents if negative else cents


def format_amount(cents: int) -> str:
    sign = "-" if cents < 0 else ""
    cents = abs(cents)
    return f"{sign}{cents // 100}.{cents % 100:02d}"


def split(total: int, parts: int) -> list[int]:
    """Split total into parts that differ by at most one cent."""
    if parts <= 0:
        raise ValueError("parts must be positive")
    base, rest = divmod(total, parts)
    return [base + 1 if i < rest else base for i in range(parts)]


def apply_rate(cents: int, rate: float) -> int:
    return round(cents * rate)


def is_round(cents: int) -> bool:
    return cents % 100 == 0
