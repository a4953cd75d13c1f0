from dataclasses import dataclass, field


@dataclass
class Order:
    id: int
    customer: str
    address: str
    weight_kg: float
    zone: str = "domestic"
    express: bool = False
    status: str = "pending"
    tracking: str | None = None
    tags: list[str] = field(default_factory=list)
