"""Imports every domain's models so SQLAlchemy and Alembic see the whole schema."""
from app.auth.models import User  # noqa: F401
from app.customers.models import Customer  # noqa: F401
from app.platforms.models import Platform  # noqa: F401
