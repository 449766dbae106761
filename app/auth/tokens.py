"""API token rules: issue (shown once), authenticate a Bearer header, record use, revoke."""
import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select, update

from app.auth.models import User
from app.auth.token_models import ROLE_SCOPES, SCOPES, ApiToken
from app.common.errors import ValidationError
from app.common.models import as_utc, utcnow
from app.extensions import db

DEFAULT_EXPIRY_DAYS = 90
MAX_EXPIRY_DAYS = 3650
TOKEN_PREFIX = "oms_"
LAST_USED_RESOLUTION = timedelta(minutes=1)  # one write a minute per token at most, not one per request


def hash_token(token: str) -> str:
    """SHA-256 of the whole token: the secret is 256 random bits, so no slow hash is needed to resist guessing."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass
class IssuedToken:
    """A token just created: `secret` is the only time the caller sees it."""

    token: ApiToken
    secret: str


def _parse_scopes(scopes, role: str) -> list[str]:
    allowed = ROLE_SCOPES[role]
    if scopes is None or (isinstance(scopes, str) and not scopes.strip()):
        return list(allowed)
    wanted = [s.strip() for s in (scopes.split(",") if isinstance(scopes, str) else scopes) if s.strip()]
    unknown = [s for s in wanted if s not in SCOPES]
    if unknown:
        raise ValidationError({"scopes": f"Unknown scope {unknown[0][:40]!r}: choose from {', '.join(SCOPES)}."})
    beyond = [s for s in wanted if s not in allowed]
    if beyond:
        raise ValidationError({"scopes": f"A {role} login cannot hold the scope {beyond[0]!r}."})
    return [s for s in SCOPES if s in wanted]


def create_token(user: User, name: str = "", scopes=None, expires_days=DEFAULT_EXPIRY_DAYS) -> IssuedToken:
    """Issue a token for `user` with the given scopes (default: all its role allows) and expiry in days."""
    errors = {}
    name = (name or "").strip() or "API token"
    if len(name) > 100:
        errors["name"] = "Keep the name under 100 characters."
    try:
        days = int(str(expires_days).strip())
    except (TypeError, ValueError):
        days = 0
    if not 1 <= days <= MAX_EXPIRY_DAYS:
        errors["expires_days"] = f"Enter a whole number of days from 1 to {MAX_EXPIRY_DAYS:,}."
    try:
        granted = _parse_scopes(scopes, user.role)
    except ValidationError as error:
        errors.update(error.errors)
    if not user.active:
        errors["user"] = "This login is deactivated: it cannot hold tokens."
    if errors:
        raise ValidationError(errors)
    prefix = secrets.token_hex(4)
    secret = f"{TOKEN_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken(user_id=user.id, name=name, prefix=prefix, token_hash=hash_token(secret),
                     scopes=" ".join(granted), expires_at=utcnow() + timedelta(days=days))
    db.session.add(token)
    db.session.commit()
    return IssuedToken(token=token, secret=secret)


def find_token(secret: str) -> ApiToken | None:
    """The live token behind a presented secret (not revoked, not expired, its user active), or None."""
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 200:
        return None
    token = db.session.execute(select(ApiToken).where(ApiToken.token_hash == hash_token(secret))).scalar_one_or_none()
    if token is None or token.revoked_at is not None or as_utc(token.expires_at) <= utcnow():
        return None
    if not token.user.active:
        return None
    return token


def record_use(token: ApiToken) -> None:
    """Note when the token was last used, at most once a minute (a write per request would cost more)."""
    now = utcnow()
    if token.last_used_at is None or now - as_utc(token.last_used_at) >= LAST_USED_RESOLUTION:
        db.session.execute(update(ApiToken).where(ApiToken.id == token.id).values(last_used_at=now))
        db.session.commit()


def revoke_token(prefix: str) -> ApiToken:
    """Revoke the token with this prefix; revoking twice is harmless."""
    token = db.session.execute(select(ApiToken).where(ApiToken.prefix == (prefix or "").strip())).scalar_one_or_none()
    if token is None:
        raise ValidationError({"prefix": "No token has this prefix."})
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        db.session.commit()
    return token
