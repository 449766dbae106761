"""Row ids from text people can type: what cannot be an id of ours becomes None, never a query error."""
from werkzeug.routing import IntegerConverter

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


class IdConverter(IntegerConverter):
    """The app's `<int:...>` converter: a path number beyond MAX_ID matches no route (404), never a query."""

    def __init__(self, url_map, fixed_digits=0, min=None, max=MAX_ID, signed=False):  # noqa: A002 (werkzeug's names)
        super().__init__(url_map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)
