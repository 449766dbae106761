"""Campaign fixtures: the platform simulator on a real socket, and a customer connected to it.

The simulator server comes from tests/platforms until it becomes a root-level `simulator` fixture;
this file is the one place that borrows it (tests/admin imports from here).
"""
import logging
import re
from dataclasses import dataclass
from datetime import date
from html import unescape
from decimal import Decimal

import pytest

from app.campaigns import services
from app.customers.models import Customer
from app.extensions import db
from app.platforms.models import MEGAPHONE_ID, Platform, PlatformConnection
from app.platforms.services import save_connection
from tests.platforms.conftest import SimulatorControl, megaphone_server  # noqa: F401  (session server thread)

# Short limits so the slow and failing platform paths take a second, not a minute.
FAST_PLATFORM_SETTINGS = {"MEGAPHONE_CONNECT_TIMEOUT": 0.5, "MEGAPHONE_READ_TIMEOUT": 0.5,
                          "MEGAPHONE_MAX_RETRY_SECONDS": 1.5}
SPRING = {"title": "Spring Promo", "advertiser": "Acme Coffee", "start_date": date(2026, 3, 1),
          "end_date": date(2026, 3, 31), "status": "active", "budget": Decimal("1500.00")}


@pytest.fixture
def simulator(megaphone_server) -> SimulatorControl:
    """The simulator, reset, with one organization (simulator.org / simulator.token)."""
    megaphone_server.reset()
    return megaphone_server


@pytest.fixture
def platform_app(app, simulator):
    """The test app pointed at the simulator, with short platform timeouts."""
    app.config.update(MEGAPHONE_BASE_URL=simulator.api_url, **FAST_PLATFORM_SETTINGS)
    return app


@pytest.fixture
def all_logs(caplog):
    """caplog at DEBUG from every logger (HTTP libraries included), for 'never logged' checks."""
    caplog.set_level(logging.DEBUG)
    return caplog


@dataclass
class Connected:
    """A customer connected to the simulator's organization, and helpers to make campaigns for it."""

    customer: Customer
    platform: Platform
    connection: PlatformConnection
    sim: SimulatorControl

    def campaign(self, **fields):
        """A campaign created through the real service (so it exists on the platform too)."""
        return services.create_campaign(self.customer, self.platform, {**SPRING, **fields})

    def platform_ids(self) -> set[str]:
        """The ids the platform holds for this customer's organization right now."""
        return {record["id"] for record in self.sim.campaigns(org=self.connection.organization)}

    def requests(self, method: str | None = None) -> list[dict]:
        """The API requests the platform received (optionally of one method)."""
        return [r for r in self.sim.request_log() if method is None or r["method"] == method]


def connect(factory, sim: SimulatorControl, code: str, org: str | None = None, token: str | None = None) -> Connected:
    """A new customer with a connection to its own (or the default) simulator organization."""
    customer = factory.customer(code=code, name=f"{code.capitalize()} Ltd")
    if org:
        sim.create_organization(org, token)
    platform = db.session.get(Platform, MEGAPHONE_ID)
    connection = save_connection(customer, platform, org or sim.org, token or sim.token)
    return Connected(customer, platform, connection, sim)


@pytest.fixture
def connected(platform_app, factory, simulator) -> Connected:
    """Customer ACME connected to the simulator's default organization."""
    return connect(factory, simulator, "ACME")


def form_data(**changes) -> dict:
    """The campaign form as a browser posts it, with some fields changed."""
    data = {"title": "Spring Promo", "advertiser": "Acme Coffee", "start_date": "2026-03-01",
            "end_date": "2026-03-31", "status": "active", "budget": "1500.00"}
    return {**data, **changes}


def field_error(html: str, name: str) -> str | None:
    """The message shown under a form field, or None (see the field() macro)."""
    match = re.search(rf'<small id="{name}-error" class="field-error">([^<]*)</small>', html)
    return unescape(match.group(1)) if match else None


def listed_titles(html: str) -> list[str]:
    """The campaign titles of a list page or fragment, top to bottom."""
    return [unescape(t) for t in re.findall(r'<td><a href="/platforms/\d+/campaigns/\d+">([^<]*)</a></td>', html)]
