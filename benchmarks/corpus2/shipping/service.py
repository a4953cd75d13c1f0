import logging
from typing import Any

from shipping.client import CarrierClient, CarrierError
from shipping.rates import quote
from shipping.store import OrderStore

log = logging.getLogger(__name__)


class ShippingService:
    def __init__(self, store: OrderStore, client: CarrierClient, events: Any) -> None:
        self.store = store
        self.client = client
        self.events = events

    def ship(self, order_id: int) -> str:
        order = self.store.get(order_id)
        if order.status != "pending":
            raise ValueError(f"order {order_id} is {order.status}")
        try:
            tracking = self.client.create_label(order)
        except CarrierError:
            log.warning("carrier refused order %s", order_id)
            order.status = "failed"
            self.store.update(order)
            raise
        order.status = "shipped"
        order.tracking = tracking
        self.store.update(order)
        self.events.publish("order.shipped", {"id": order_id, "tracking": tracking})
        return tracking

    def ship_all(self) -> dict[int, str]:
        done = {}
        for order in self.store.pending():
            try:
                done[order.id] = self.ship(order.id)
            except CarrierError:
                continue
        return done

    def price(self, order_id: int) -> str:
        order = self.store.get(order_id)
        return f"{quote(order.weight_kg, order.zone, order.express)} EUR"
