import unittest
from unittest import mock

from shipping.client import CarrierClient, CarrierError
from shipping.models import Order
from shipping.service import ShippingService
from shipping.store import NotFound, OrderStore


class ShippingServiceTest(unittest.TestCase):
    def setUp(self):
        self.store = mock.create_autospec(OrderStore, instance=True)
        self.client = mock.create_autospec(CarrierClient, instance=True)
        self.events = mock.Mock()
        self.service = ShippingService(self.store, self.client, self.events)
        self.order = Order(1, "Bob", "1 Main St, Springfield", 1.0)
        self.store.get.return_value = self.order
        self.client.create_label.return_value = "ZX-000001"

    def test_ship_returns_tracking(self):
        self.assertEqual(self.service.ship(1), "ZX-000001")

    def test_ship_publishes_event(self):
        self.service.ship(1)
        self.events.publish.assert_called_once_with(
            "order.shipped", {"id": 1, "tracking": "ZX-000001"})

    def test_ship_updates_order(self):
        self.service.ship(1)
        self.assertEqual(self.order.status, "shipped")
        self.assertEqual(self.order.tracking, "ZX-000001")
        self.store.update.assert_called_once_with(self.order)

    def test_ship_calls_dependencies(self):
        self.service.ship(1)
        self.store.get.assert_called_once_with(1)
        self.client.create_label.assert_called_once()
        self.store.update.assert_called()

    def test_ship_result_truthy(self):
        result = self.service.ship(1)
        self.assertTrue(result)

    def test_ship_result_with_message(self):
        result = self.service.ship(1)
        self.assertTrue(result, "ZX-000001")

    def test_ship_not_pending(self):
        self.order.status = "shipped"
        with self.assertRaises(ValueError) as ctx:
            self.service.ship(1)
        self.assertIn("is shipped", str(ctx.exception))

    def test_ship_not_pending_any_error(self):
        self.order.status = "shipped"
        self.assertRaises(Exception, self.service.ship, 1)

    def test_carrier_failure_marks_failed(self):
        self.client.create_label.side_effect = CarrierError("down")
        with self.assertRaises(CarrierError):
            self.service.ship(1)
        self.assertEqual(self.order.status, "failed")
        self.events.publish.assert_not_called()

    def test_carrier_failure_logged(self):
        self.client.create_label.side_effect = CarrierError("down")
        with self.assertLogs("shipping.service", level="WARNING") as logs:
            with self.assertRaises(CarrierError):
                self.service.ship(1)

    def test_carrier_failure_log_text(self):
        self.client.create_label.side_effect = CarrierError("down")
        with self.assertLogs("shipping.service", level="WARNING") as logs:
            with self.assertRaises(CarrierError):
                self.service.ship(1)
        self.assertEqual(logs.output, ["WARNING:shipping.service:carrier refused order 1"])

    def test_missing_order(self):
        self.store.get.side_effect = NotFound(99)
        with self.assertRaises(NotFound):
            self.service.ship(99)

    def test_service_constructed(self):
        self.assertIsNotNone(self.service)
        self.assertIsInstance(self.service, ShippingService)

    def test_store_mock_returns_order(self):
        self.assertEqual(self.store.get(1), self.order)

    def test_ship_equal_to_itself(self):
        tracking = self.service.ship(1)
        self.assertEqual(tracking, tracking)

    def test_ship_with_subtest(self):
        for tracking in ["ZX-000001", "ZX-000002"]:
            with self.subTest(tracking=tracking):
                self.client.create_label.return_value = tracking
                self.order.status = "pending"
                self.assertEqual(self.service.ship(1), tracking)

    @mock.patch("shipping.service.ShippingService.ship", return_value="ZX-999999")
    def test_ship_all_patched_ship(self, ship):
        self.store.pending.return_value = [self.order]
        self.assertEqual(self.service.ship_all(), {1: "ZX-999999"})

    @mock.patch.object(ShippingService, "ship_all")
    def test_ship_all_patched_itself(self, ship_all):
        ship_all.return_value = {1: "ZX-000001"}
        self.assertEqual(self.service.ship_all(), {1: "ZX-000001"})

    def test_ship_all_skips_failures(self):
        other = Order(2, "Eve", "2 Side St, Springfield", 3.0)
        self.store.pending.return_value = [self.order, other]
        self.store.get.side_effect = [self.order, other]
        self.client.create_label.side_effect = ["ZX-000001", CarrierError("no")]
        self.assertEqual(self.service.ship_all(), {1: "ZX-000001"})

    def test_price_string(self):
        self.assertEqual(self.service.price(1), "5.70 EUR")

    def test_price_mentions_currency(self):
        self.assertIn("EUR", self.service.price(1))


class ShippingIntegrationTest(unittest.TestCase):
    def test_ship_end_to_end(self):
        store = OrderStore()
        store.add(Order(5, "Cy", "5 Loop Rd, Springfield", 2.0))
        session = mock.Mock()
        session.post.return_value.status_code = 201
        session.post.return_value.json.return_value = {"tracking": "QQ-000005"}
        events = mock.Mock()
        service = ShippingService(store, CarrierClient(session, "https://c", "t"), events)
        self.assertEqual(service.ship(5), "QQ-000005")
        self.assertEqual(store.get(5).status, "shipped")
        self.assertEqual(store.get(5).tracking, "QQ-000005")

    def test_end_to_end_no_checks(self):
        store = OrderStore()
        store.add(Order(6, "Di", "6 Loop Rd, Springfield", 2.0))
        session = mock.Mock()
        session.post.return_value.status_code = 201
        session.post.return_value.json.return_value = {"tracking": "QQ-000006"}
        service = ShippingService(store, CarrierClient(session, "https://c", "t"), mock.Mock())
        service.ship(6)

    def test_end_to_end_conditional(self):
        store = OrderStore()
        store.add(Order(8, "Ed", "8 Loop Rd, Springfield", 2.0))
        session = mock.Mock()
        session.post.return_value.status_code = 201
        session.post.return_value.json.return_value = {"tracking": "QQ-000008"}
        service = ShippingService(store, CarrierClient(session, "https://c", "t"), mock.Mock())
        tracking = service.ship(8)
        if tracking.startswith("XX"):
            self.assertEqual(store.get(8).status, "shipped")


if __name__ == "__main__":
    unittest.main()
