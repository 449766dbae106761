"""The User model: staff and customer logins."""
import secrets
from datetime import datetime

from flask import current_app
from flask_login import UserMixin
from sqlalchemy import Boolean, CheckConstraint, DateTime, ForeignKey, Index, String, func, true
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from app.common.checks import one_of
from app.common.models import TimestampMixin
from app.extensions import db

ROLES = ("admin", "operator", "customer")
STAFF_ROLES = ("admin", "operator")


def hash_password(password: str) -> str:
    """The one way this app hashes a password (sign-in's dummy check must cost exactly the same)."""
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


def new_session_token() -> str:
    """A random token that ties sessions and remember-me cookies to the current password."""
    return secrets.token_hex(16)


class User(UserMixin, TimestampMixin, db.Model):
    """A login: admin, operator (operations staff) or customer (tied to one customer)."""

    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint(one_of("role", ROLES), name="role_known"),
        CheckConstraint("role <> 'customer' OR customer_id IS NOT NULL", name="customer_role_has_customer"),
        Index("ix_users_name_id", "name", "id"),
        Index("ix_users_role_id", "role", "id"),
        Index("ix_users_last_login_id", "last_login_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254))
    name: Mapped[str] = mapped_column(String(200), default="", server_default="")
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20))
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"), index=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    session_token: Mapped[str] = mapped_column(String(32), default=new_session_token)

    customer = relationship("Customer", lazy="joined")

    def set_password(self, password: str) -> None:
        """Hash with scrypt and invalidate every existing session and remember-me cookie."""
        self.password_hash = hash_password(password)
        self.end_sessions()

    def end_sessions(self) -> None:
        """Make every session and remember-me cookie issued so far useless (they carry the old token)."""
        self.session_token = new_session_token()

    def check_password(self, password: str) -> bool:
        """Whether the password matches the stored hash."""
        return check_password_hash(self.password_hash, password)

    def get_id(self) -> str:
        """Flask-Login id that stops working when the password changes (alternative-id pattern)."""
        return f"{self.id}:{self.session_token}"

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_staff(self) -> bool:
        """Admins and operators see every customer's data."""
        return self.role in STAFF_ROLES

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role}>"


# Case-insensitive uniqueness lives in the database, so two concurrent sign-ups cannot race past it.
Index("uq_users_email_lower", func.lower(User.email), unique=True)
