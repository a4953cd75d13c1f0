import sqlite3

from shipping.models import Order


class NotFound(KeyError):
    pass


class OrderStore:
    def __init__(self, path: str = ":memory:") -> None:
        self.db = sqlite3.connect(path)
        self.db.execute("CREATE TABLE IF NOT EXISTS orders (id INTEGER PRIMARY KEY, customer TEXT,"
                        " address TEXT, kg REAL, zone TEXT, express INTEGER, status TEXT,"
                        " tracking TEXT)")

    def add(self, order: Order) -> None:
        self.db.execute("INSERT INTO orders VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                        (order.id, order.customer, order.address, order.weight_kg, order.zone,
                         int(order.express), order.status, order.tracking))

    def get(self, order_id: int) -> Order:
        row = self.db.execute("SELECT * FROM orders WHERE id = ?", (order_id,)).fetchone()
        if row is None:
            raise NotFound(order_id)
        return Order(row[0], row[1], row[2], row[3], row[4], bool(row[5]), row[6], row[7])

    def update(self, order: Order) -> None:
        self.db.execute("UPDATE orders SET status = ?, tracking = ? WHERE id = ?",
                        (order.status, order.tracking, order.id))

    def pending(self) -> list[Order]:
        rows = self.db.execute("SELECT id FROM orders WHERE status = 'pending' ORDER BY id")
        return [self.get(r[0]) for r in rows.fetchall()]
