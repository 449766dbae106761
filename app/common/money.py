"""Money is Decimal, in cents, everywhere: one parser so every form and service rounds the same way."""
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")
# Numeric(12, 2) holds up to 9,999,999,999.99; refusing more here keeps the database error away from users.
MAX_AMOUNT = Decimal("9999999999.99")


class AmountTooLarge(ValueError):
    """A finite amount beyond MAX_AMOUNT: callers can say the limit instead of "not an amount"."""


def to_money(value) -> Decimal:
    """A Decimal rounded to cents (half up); ValueError for anything that is not a finite amount."""
    if isinstance(value, float):
        value = repr(value)  # the shortest text that round-trips, never the binary expansion
    shown = repr(value)[:40]  # a 100 KB input must not become a 100 KB message
    try:
        amount = Decimal(str(value).strip().replace(",", ""))
    except (InvalidOperation, TypeError, ValueError):
        raise ValueError(f"{shown} is not an amount") from None
    if not amount.is_finite():
        raise ValueError(f"{shown} is not an amount")
    # Compared before rounding: quantize raises InvalidOperation past 28 digits (1e309, thirty 9s).
    if abs(amount) > MAX_AMOUNT + CENT / 2:
        raise AmountTooLarge(f"{shown} is too large")
    amount = amount.quantize(CENT, rounding=ROUND_HALF_UP)
    if abs(amount) > MAX_AMOUNT:
        raise AmountTooLarge(f"{shown} is too large")
    return amount


def parse_amount(value, field: str, errors: dict, *, allow_negative: bool = False, allow_zero: bool = False):
    """Parse a form amount into cents, or record a message for `field` in errors and return None."""
    try:
        amount = to_money(value)
    except AmountTooLarge:
        errors[field] = f"Enter an amount of at most {MAX_AMOUNT:,}."
        return None
    except ValueError:
        errors[field] = "Enter an amount such as 12.50."
        return None
    if amount < 0 and not allow_negative:
        errors[field] = "Enter an amount of 0.00 or more." if allow_zero else "Enter an amount greater than 0.00."
        return None
    if amount == 0 and not allow_zero:
        errors[field] = "Enter an amount other than 0.00." if allow_negative else "Enter an amount greater than 0.00."
        return None
    return amount
