"""Signing in, and creating and changing logins."""
import secrets

from flask import current_app, session
from flask_login import current_user, login_user, logout_user
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash

from app.auth import throttle
from app.auth.models import ROLES, STAFF_ROLES, User, hash_password
from app.common.emails import email_problem, normalise_email
from app.common.errors import ValidationError
from app.common.models import utcnow
from app.customers.models import Customer
from app.extensions import db

MIN_PASSWORD_LENGTH = 8
BAD_CREDENTIALS = "Email or password is incorrect."


def find_user_by_email(email: str) -> User | None:
    """Case-insensitive lookup, matching the unique index on lower(email)."""
    return db.session.execute(select(User).where(func.lower(User.email) == email.strip().lower())).scalar_one_or_none()


def sign_in(email: str, password: str, ip: str, remember: bool = False) -> User:
    """Check credentials under the throttle, renew the session and log the user in."""
    blocked = throttle.seconds_blocked(email, ip)
    if blocked:
        raise ValidationError(
            f"Too many failed sign-in attempts. Try again in {throttle.minutes(blocked)} minute(s)."
        )
    user = find_user_by_email(email)
    if user is None:
        check_password_hash(_dummy_hash(), password)  # an unknown email costs what a known one does
    if user is None or not user.check_password(password):
        throttle.record_failure(email, ip)
        raise ValidationError(BAD_CREDENTIALS)
    if not user.active:
        raise ValidationError("This account is deactivated. Ask an administrator to reactivate it.")
    throttle.clear_account(email, ip)
    # A fresh session at login: nothing set before authentication survives into it.
    session.clear()
    login_user(user, remember=remember)
    user.last_login_at = utcnow()
    db.session.commit()
    return user


def _dummy_hash() -> str:
    """A hash of a random password, made once per app (so with the app's hash method), for unknown emails."""
    if "dummy_password_hash" not in current_app.extensions:
        current_app.extensions["dummy_password_hash"] = hash_password(secrets.token_hex(16))
    return current_app.extensions["dummy_password_hash"]


def sign_out() -> None:
    """Log out, end every session of this user server-side (copied cookies too), drop the session."""
    if current_user.is_authenticated:
        end_sessions(current_user._get_current_object())
    logout_user()
    session.clear()


def end_sessions(user: User) -> None:
    """Sign a user out everywhere: every session and remember-me cookie issued so far stops working."""
    user.end_sessions()
    db.session.commit()


def _validate(email: str, role: str, customer: Customer | None, password: str | None) -> dict[str, str]:
    errors = {}
    if problem := email_problem(email):
        errors["email"] = problem
    if role not in ROLES:
        errors["role"] = f"Role must be one of: {', '.join(ROLES)}."
    elif role == "customer" and customer is None:
        errors["customer_id"] = "A customer login must belong to a customer."
    elif role in STAFF_ROLES and customer is not None:
        errors["customer_id"] = "Admins and operators see every customer: leave the customer empty."
    if password is not None and len(password) < MIN_PASSWORD_LENGTH:
        errors["password"] = f"Use at least {MIN_PASSWORD_LENGTH} characters."
    return errors


def _commit_unique_email() -> None:
    """Commit a new or changed login; the database's unique index settles a duplicate email, even under races."""
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise ValidationError({"email": "A user with this email already exists."}) from None


def create_user(email: str, password: str, role: str, name: str = "", customer: Customer | None = None) -> User:
    """Create a login (an email is used by one login only)."""
    email = normalise_email(email)
    errors = _validate(email, role, customer, password)
    if errors:
        raise ValidationError(errors)
    user = User(email=email, name=(name or "").strip(), role=role, customer=customer, active=True)
    user.set_password(password)
    db.session.add(user)
    _commit_unique_email()
    return user


def update_user(user: User, *, acting_user: User, email: str, name: str, role: str,
                customer: Customer | None, active: bool) -> User:
    """Change a login's details; deactivating or changing its role ends its sessions."""
    email = normalise_email(email)
    errors = _validate(email, role, customer, None)
    if user.id == acting_user.id and (role != "admin" or not active):
        errors[""] = "You cannot remove your own admin rights or deactivate yourself."
    if errors:
        raise ValidationError(errors)
    if (role != user.role or not active) and user.active:
        user.end_sessions()  # a change of power signs the user out everywhere
    user.email, user.name, user.role, user.customer, user.active = email, (name or "").strip(), role, customer, active
    _commit_unique_email()
    return user


def reset_password(user: User, password: str) -> None:
    """Set a new password; every existing session of that user ends."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationError({"password": f"Use at least {MIN_PASSWORD_LENGTH} characters."})
    user.set_password(password)
    db.session.commit()


def set_users_active(ids: list[int], active: bool, acting_user: User) -> int:
    """Bulk deactivate (archive) or reactivate users; an admin cannot deactivate themself."""
    users = db.session.execute(select(User).where(User.id.in_(ids))).scalars().all()
    changed = 0
    for user in users:
        if user.id == acting_user.id and not active:
            continue
        if user.active != active:
            user.active = active
            changed += 1
            if not active:
                user.end_sessions()  # reactivating later must not bring old cookies back
    db.session.commit()
    return changed
