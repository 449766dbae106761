"""API tokens: a user's Bearer credentials for the JSON API, stored as a hash with a visible prefix."""
from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.common.models import TimestampMixin, as_utc, utcnow
from app.extensions import db

SCOPES = ("read", "orders:write", "inventory:write", "campaigns:write", "sync:run", "admin")
# What each role may do through the API: the same as its pages allow, never more.
ROLE_SCOPES = {
    "admin": SCOPES,
    "operator": ("read", "orders:write", "inventory:write", "campaigns:write", "sync:run"),
    "customer": ("read", "orders:write", "campaigns:write"),
}


class ApiToken(TimestampMixin, db.Model):
    """One token: only its SHA-256 is kept, so the database holds nothing a caller could present."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    prefix: Mapped[str] = mapped_column(String(16), unique=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    scopes: Mapped[str] = mapped_column(String(200))  # space-separated, a subset of SCOPES
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    user = relationship("User", lazy="joined")

    @property
    def scope_list(self) -> list[str]:
        """The scopes as a list, in SCOPES order."""
        granted = set(self.scopes.split())
        return [scope for scope in SCOPES if scope in granted]

    @property
    def state(self) -> str:
        """revoked, expired or active."""
        if self.revoked_at is not None:
            return "revoked"
        return "expired" if as_utc(self.expires_at) <= utcnow() else "active"

    def __repr__(self) -> str:
        return f"<ApiToken {self.prefix} of user {self.user_id}>"
