"""Rules for customers: unique codes, archiving instead of deleting."""
import re

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from app.common.emails import email_problem, normalise_email
from app.common.errors import ValidationError
from app.common.models import utcnow
from app.customers.models import Customer
from app.extensions import db

CODE_PATTERN = re.compile(r"^[A-Z0-9][A-Z0-9_-]{1,31}$")


def normalise_code(code: str) -> str:
    """Codes are stored upper-case, so 'acme' and 'ACME' are the same customer."""
    return (code or "").strip().upper()


def find_customer_by_code(code: str) -> Customer | None:
    """The customer with this code, or None."""
    return db.session.execute(select(Customer).where(Customer.code == normalise_code(code))).scalar_one_or_none()


def _clean(code: str, name: str, email: str | None, phone: str | None) -> dict:
    values = {
        "code": normalise_code(code),
        "name": (name or "").strip(),
        "email": normalise_email(email) or None,
        "phone": (phone or "").strip() or None,
    }
    errors = {}
    if not CODE_PATTERN.match(values["code"]):
        errors["code"] = "Use 2 to 32 letters, digits, - or _, starting with a letter or digit."
    if not values["name"] or len(values["name"]) > 200:
        errors["name"] = "Enter a name of at most 200 characters."
    if values["email"] and (problem := email_problem(values["email"])):
        errors["email"] = problem
    if values["phone"] and not re.fullmatch(r"\+?[0-9 ()-]{5,32}", values["phone"]):
        errors["phone"] = "Enter a phone number: digits, spaces, ( ) - and an optional leading +."
    if errors:
        raise ValidationError(errors)
    return values


def _commit_unique_code():
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise ValidationError({"code": "Another customer already has this code."}) from None


def why_customer_cannot_order(customer_id: int) -> ValidationError | None:
    """The refusal for ordering as a missing or archived customer, or None when the customer may order."""
    row = db.session.execute(select(Customer.name, Customer.archived_at).where(Customer.id == customer_id)).first()
    if row is None:
        return ValidationError({"customer_id": "Choose a customer."})
    if row.archived_at is not None:
        return ValidationError({"customer_id": f"{row.name} is archived and cannot place orders."})
    return None


def create_customer(code: str, name: str, email: str | None = None, phone: str | None = None) -> Customer:
    """Add a customer with a zero balance."""
    customer = Customer(**_clean(code, name, email, phone))
    db.session.add(customer)
    _commit_unique_code()
    return customer


def update_customer(customer: Customer, code: str, name: str, email: str | None, phone: str | None) -> Customer:
    """Change a customer's details (never its balance: that has its own ledger)."""
    for key, value in _clean(code, name, email, phone).items():
        setattr(customer, key, value)
    _commit_unique_code()
    return customer


def set_customers_archived(ids: list[int], archived: bool) -> int:
    """Archive or restore customers in one statement; returns how many changed."""
    if not ids:
        return 0
    target = Customer.archived_at.is_(None) if archived else Customer.archived_at.is_not(None)
    result = db.session.execute(
        update(Customer).where(Customer.id.in_(ids), target).values(archived_at=utcnow() if archived else None)
    )
    db.session.commit()
    return result.rowcount
