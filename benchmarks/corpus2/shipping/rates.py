from decimal import ROUND_HALF_UP, Decimal

ZONES = {"domestic": Decimal("4.50"), "eu": Decimal("9.90"), "world": Decimal("19.00")}
PER_KG = {"domestic": Decimal("1.20"), "eu": Decimal("2.50"), "world": Decimal("6.00")}


class RateError(ValueError):
    pass


def quote(weight_kg: float, zone: str, express: bool = False) -> Decimal:
    """The price of a parcel: base price of the zone plus a price per started kilogram."""
    if weight_kg <= 0:
        raise RateError(f"weight must be positive, got {weight_kg}")
    if zone not in ZONES:
        raise RateError(f"unknown zone {zone!r}")
    kilos = int(-(-weight_kg // 1))
    price = ZONES[zone] + PER_KG[zone] * kilos
    if express:
        price = price * Decimal("1.5")
    return price.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def cheapest(weight_kg: float, zones: list[str]) -> str:
    if not zones:
        raise RateError("no zones")
    return min(zones, key=lambda z: quote(weight_kg, z))
