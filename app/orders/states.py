"""The order lifecycle, written down once: every status change in the app is checked against this table."""

PENDING, CONFIRMED, FULFILLED, CANCELLED = "pending", "confirmed", "fulfilled", "cancelled"
STATUSES = (PENDING, CONFIRMED, FULFILLED, CANCELLED)

# from status -> the statuses it may move to
TRANSITIONS = {
    PENDING: (CONFIRMED, CANCELLED),
    CONFIRMED: (FULFILLED, CANCELLED),
    FULFILLED: (),
    CANCELLED: (),
}
# Finished orders may be archived (hidden from the default list); open ones may not.
ARCHIVABLE = (FULFILLED, CANCELLED)

# The button that performs a transition, by target status.
ACTION_LABELS = {CONFIRMED: "Confirm", FULFILLED: "Mark fulfilled", CANCELLED: "Cancel order"}
STATUS_LABELS = {PENDING: "Pending", CONFIRMED: "Confirmed", FULFILLED: "Fulfilled", CANCELLED: "Cancelled"}


def allowed_targets(status: str) -> tuple[str, ...]:
    """The statuses an order in `status` may move to (empty for final states)."""
    return TRANSITIONS.get(status, ())


def refusal(number: str, current: str, target: str) -> str | None:
    """None when current -> target is allowed, else the sentence that says why not."""
    if target not in STATUSES:
        return f"“{target[:40]}” is not an order status."
    if target in allowed_targets(current):
        return None
    if not allowed_targets(current):
        return f"Order {number} is {current} and can no longer change."
    options = " or ".join(allowed_targets(current))
    return f"Order {number} is {current}: it can only become {options}, not {target}."
