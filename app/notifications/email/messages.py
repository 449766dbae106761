"""Build one email: plain text with an HTML alternative, a caller-given Message-ID, RFC 8058 headers."""

from dataclasses import dataclass
from email.message import EmailMessage


@dataclass(frozen=True)
class OutgoingEmail:
    """One message to one recipient; message_id is given by the caller so a resend keeps it."""

    to: str
    subject: str
    text: str
    message_id: str
    html: str | None = None
    unsubscribe_url: str | None = None  # adds RFC 8058 one-click List-Unsubscribe headers


def message_id(key: str, domain: str) -> str:
    """A deterministic Message-ID from a delivery key, e.g. <delivery-42@oms.example>."""
    return f"<{key}@{domain}>"


def build_message(email: OutgoingEmail, mail_from: str) -> EmailMessage:
    """Plain text with an HTML alternative when given, and the headers the caller asked for."""
    message = EmailMessage()
    message["From"] = mail_from
    message["To"] = email.to
    message["Subject"] = email.subject
    message["Message-ID"] = email.message_id if email.message_id.startswith("<") else f"<{email.message_id}>"
    if email.unsubscribe_url:
        message["List-Unsubscribe"] = f"<{email.unsubscribe_url}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.set_content(email.text)
    if email.html is not None:
        message.add_alternative(email.html, subtype="html")
    return message
