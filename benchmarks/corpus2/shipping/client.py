from typing import Any

from shipping.models import Order


class CarrierError(RuntimeError):
    pass


class CarrierClient:
    """Talks to the carrier's HTTP API through a requests-like session."""

    def __init__(self, session: Any, base_url: str, token: str) -> None:
        self.session = session
        self.base_url = base_url.rstrip("/")
        self.token = token

    def create_label(self, order: Order) -> str:
        response = self.session.post(
            f"{self.base_url}/labels",
            json={"ref": order.id, "to": order.address, "kg": order.weight_kg},
            headers={"Authorization": f"Bearer {self.token}"},
            timeout=10,
        )
        if response.status_code >= 400:
            raise CarrierError(f"carrier refused order {order.id}: {response.status_code}")
        return response.json()["tracking"]

    def cancel(self, tracking: str) -> bool:
        response = self.session.delete(f"{self.base_url}/labels/{tracking}", timeout=10)
        return response.status_code == 204
