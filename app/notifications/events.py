"""The notification event types, declared once: channel defaults and whether a client may turn one off."""
from dataclasses import dataclass

EMAIL, SMS = "email", "sms"
CHANNELS = (EMAIL, SMS)
CHANNEL_LABELS = {EMAIL: "Email", SMS: "SMS"}
ANNOUNCEMENT = "announcement.sent"  # outbox names have a dot


@dataclass(frozen=True)
class EventType:
    """An outbox event clients hear about; `subject` is formatted with the event's payload."""

    name: str
    label: str
    subject: str
    email: bool  # on by default for email
    sms: bool  # on by default for SMS
    mandatory: bool = False  # on by default where declared, and a client cannot turn it off there

    def default(self, channel: str) -> bool:
        """Whether the event reaches this channel when the client has said nothing."""
        return self.email if channel == EMAIL else self.sms

    def may_turn_off(self, channel: str) -> bool:
        """Mandatory events stay on wherever they are on by default."""
        return not (self.mandatory and self.default(channel))


EVENT_TYPES = (
    EventType("order.placed", "Order placed", "Order {number} placed", email=True, sms=False, mandatory=True),
    EventType("order.confirmed", "Order confirmed", "Order {number} confirmed", email=True, sms=True),
    EventType("order.fulfilled", "Order fulfilled", "Order {number} fulfilled", email=True, sms=True),
    EventType("order.cancelled", "Order cancelled", "Order {number} cancelled", email=True, sms=True,
              mandatory=True),
    EventType("balance.credited", "Balance credited", "{amount} credited to your balance", email=True, sms=False),
    EventType("balance.low", "Balance low", "Your balance is low: {balance}", email=True, sms=True),
    EventType("campaign.deleted_on_platform", "Campaign deleted on the platform",
              "Campaign {title} was deleted on the platform", email=True, sms=False),
    EventType(ANNOUNCEMENT, "Announcements", "{subject}", email=True, sms=True),
)
EVENTS = {event.name: event for event in EVENT_TYPES}
EVENT_NAMES = tuple(EVENTS)
