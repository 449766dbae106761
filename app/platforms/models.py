"""Ad platforms OMS talks to; row 1 (megaphone) is created by the first migration."""
from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from app.common.models import TimestampMixin
from app.extensions import db

MEGAPHONE_ID = 1


class Platform(TimestampMixin, db.Model):
    """An ad platform kind, e.g. Megaphone."""

    __tablename__ = "platforms"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(120))
