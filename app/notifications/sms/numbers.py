"""Phone numbers in the contract's E.164 shape and the STOP/START reply keywords."""

import re

E164 = re.compile(r"\+[0-9]{8,15}")
OPT_OUT_KEYWORDS = frozenset({"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT"})
OPT_IN_KEYWORDS = frozenset({"START", "UNSTOP"})


def is_e164(number: object) -> bool:
    """True for '+' followed by 8 to 15 ASCII digits."""
    return isinstance(number, str) and E164.fullmatch(number) is not None


def opt_change(body: str) -> str | None:
    """'out' for a STOP-type reply, 'in' for START/UNSTOP, None otherwise (any case, spaces ignored)."""
    word = body.strip().upper()
    if word in OPT_OUT_KEYWORDS:
        return "out"
    if word in OPT_IN_KEYWORDS:
        return "in"
    return None
