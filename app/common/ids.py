"""Row ids from text people can type: what cannot be an id of ours becomes None, never a query error."""

MAX_ID = 2**31 - 1  # primary keys are 32-bit INTEGERs on both databases


def parse_id(value) -> int | None:
    """'12' or 12 -> 12; '', None, 'abc', '-1', '0', '²' and numbers beyond MAX_ID -> None.

    A bigger number is no row of ours, and sent to the database it fails the query instead
    (PostgreSQL: integer out of range; SQLite: an integer overflow in the driver).
    """
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= len(str(MAX_ID)):
        number = int(value)
    else:
        return None
    return number if 0 < number <= MAX_ID else None
