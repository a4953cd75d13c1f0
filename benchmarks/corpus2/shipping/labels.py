import re

from shipping.models import Order


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def label_text(order: Order) -> str:
    lines = [order.customer.upper(), *order.address.split(", ")]
    if order.express:
        lines.insert(0, "*** EXPRESS ***")
    return "\n".join(lines)


def parse_tracking(code: str) -> tuple[str, int]:
    """'ZX-000123' -> ('ZX', 123)."""
    match = re.fullmatch(r"([A-Z]{2})-(\d{6})", code)
    if match is None:
        raise ValueError(f"not a tracking code: {code!r}")
    return match.group(1), int(match.group(2))
