"""Email addresses: one check, through email-validator, for every address the app accepts."""
from email_validator import EmailNotValidError, validate_email


def normalise_email(value: str | None) -> str:
    """Trimmed and lower-cased: the form we store and look up (the unique index is on lower(email))."""
    return (value or "").strip().lower()


def email_problem(address: str) -> str | None:
    """What is wrong with an address, in a sentence for the form, or None; syntax only (no DNS lookup)."""
    try:
        validate_email(address, check_deliverability=False)
    except EmailNotValidError as error:
        return f"Enter a valid email address, such as name@example.com. {error}"
    return None
