"""Imports every domain's models so SQLAlchemy and Alembic see the whole schema."""
from app.auth.models import User  # noqa: F401
from app.auth.token_models import ApiToken  # noqa: F401
from app.balances.models import BalanceEntry  # noqa: F401
from app.campaigns.models import Campaign  # noqa: F401
from app.customers.models import Customer  # noqa: F401
from app.inventory.models import InventoryItem, StockMovement  # noqa: F401
from app.notifications.models import Announcement, ContactPoint, Delivery, DeliveryAttempt, Preference, QuietHours  # noqa: F401
from app.orders.models import Order, OrderEvent, OrderLine  # noqa: F401
from app.outbox.models import OutboxEvent  # noqa: F401
from app.platforms.models import Platform, PlatformConnection  # noqa: F401
from app.sync.models import SyncRun  # noqa: F401
