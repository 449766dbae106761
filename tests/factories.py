"""The one place tests build rows: every builder goes through the real services (the `factory` fixture).

Rows built this way are states the app itself can reach; a test that needs a new kind of row adds a
method here rather than a helper of its own.
"""
from __future__ import annotations

import itertools
import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from app.auth import services as auth_services
from app.balances import services as balance_services
from app.campaigns import services as campaign_services
from app.customers import services as customer_services
from app.customers.models import Customer
from app.extensions import db
from app.inventory import services as inventory_services
from app.notifications import services as notification_services
from app.orders import services as order_services
from app.platforms.models import MEGAPHONE_ID, Platform, PlatformConnection
from app.platforms.services import save_connection

if TYPE_CHECKING:  # a plugin module: importing it here would import it before pytest can rewrite its asserts
    from tests.simulator_fixtures import SimulatorControl

PASSWORD = "correct-horse-42"
SPRING = {"title": "Spring Promo", "advertiser": "Acme Coffee", "start_date": date(2026, 3, 1),
          "end_date": date(2026, 3, 31), "status": "active", "budget": Decimal("1500.00")}


def new_key() -> str:
    """A fresh one-time form key (an order's idempotency key)."""
    return uuid.uuid4().hex


def _id(row_or_id) -> int:
    return getattr(row_or_id, "id", row_or_id)


@dataclass
class Connected:
    """A customer connected to a simulator organization, and what a test asks of that pair."""

    customer: Customer
    platform: Platform
    connection: PlatformConnection
    simulator: SimulatorControl

    def campaign(self, **fields):
        """A campaign created through the real service (so it exists on the platform too)."""
        return campaign_services.create_campaign(self.customer, self.platform, {**SPRING, **fields})

    def platform_ids(self) -> set[str]:
        """The ids the platform holds for this customer's organization right now."""
        return {record["id"] for record in self.simulator.campaigns(org=self.connection.organization)}

    def requests(self, method: str | None = None) -> list[dict]:
        """The API requests the platform received (optionally of one method)."""
        return [r for r in self.simulator.request_log() if method is None or r["method"] == method]


class Factory:
    """Builds customers, logins, items, money, orders and platform connections; numbers keep them unique."""

    def __init__(self):
        self._numbers = itertools.count(1)

    def customer(self, code=None, name=None, **kwargs):
        """A customer with a unique code."""
        n = next(self._numbers)
        return customer_services.create_customer(code or f"CUST{n:03d}", name or f"Customer {n}", **kwargs)

    def user(self, role="operator", customer=None, email=None, password=PASSWORD, **kwargs):
        """A login; customer logins get a customer of their own unless one is given."""
        if role == "customer" and customer is None:
            customer = self.customer()
        n = next(self._numbers)
        return auth_services.create_user(email or f"{role}{n}@test.example", password, role, customer=customer, **kwargs)

    def item(self, sku=None, price="10.00", stock=0, name=None, threshold=0):
        """An inventory item with opening stock (a real movement)."""
        n = next(self._numbers)
        return inventory_services.create_item(sku or f"ITEM-{n:04d}", name or f"Item {n}", price,
                                              low_stock_threshold=threshold, opening_stock=stock)

    def contact(self, customer, channel, address, **kwargs):
        """A contact point (email or sms) of a customer (object or id), through the service."""
        return notification_services.add_contact_point(_id(customer), channel, address, **kwargs)[0]

    def deposit(self, customer, amount="1000.00"):
        """Money on a customer's balance (customer object or id)."""
        return balance_services.record_deposit(_id(customer), amount, "Test deposit")

    def placed_order(self, customer, lines, key=None, **kwargs):
        """place_order's PlacedOrder (order + replayed) for [(item, quantity)], objects or ids."""
        pairs = [(_id(item), quantity) for item, quantity in lines]
        return order_services.place_order(_id(customer), pairs, key or new_key(), **kwargs)

    def order(self, customer, lines, key=None, **kwargs):
        """A placed order of [(item, quantity)] for a customer; returns the Order."""
        return self.placed_order(customer, lines, key, **kwargs).order

    def connection(self, simulator: SimulatorControl, code: str, org: str | None = None,
                   token: str | None = None, **kwargs) -> Connected:
        """A new customer connected to its own (or the simulator's default) organization."""
        customer = self.customer(code=code, name=f"{code.capitalize()} Ltd")
        if org:
            simulator.create_organization(org, token)
        platform = db.session.get(Platform, MEGAPHONE_ID)
        connection = save_connection(customer, platform, org or simulator.org, token or simulator.token, **kwargs)
        return Connected(customer, platform, connection, simulator)
