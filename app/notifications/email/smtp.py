"""Email over SMTP: SMTP_URL parsing and one connection reused for a whole batch of messages."""

import logging
import smtplib
import ssl
from dataclasses import dataclass
from email.utils import parseaddr
from urllib.parse import parse_qs, unquote, urlsplit

from app.notifications.email.messages import OutgoingEmail, build_message
from app.notifications.email.outcomes import EmailOutcome, Misconfigured, Permanent, Sent, Transient

logger = logging.getLogger("oms.notifications.email")

DEFAULT_PORTS = {("smtp", False): 25, ("smtp", True): 587, ("smtps", False): 465}
_TRUE, _FALSE = {"1", "true", "yes", "on"}, {"0", "false", "no", "off", ""}


class InvalidSmtpUrl(ValueError):
    """SMTP_URL cannot be used; the message says why in a sentence."""


@dataclass(frozen=True)
class SmtpSettings:
    """Where and how to connect: implicit TLS (smtps), STARTTLS, or plain; login only with a user."""

    host: str
    port: int
    implicit_tls: bool = False
    starttls: bool = False
    username: str | None = None
    password: str | None = None
    timeout: float = 10.0

    def __repr__(self) -> str:  # the password never reaches a log line
        return (f"SmtpSettings(host={self.host!r}, port={self.port}, implicit_tls={self.implicit_tls}, "
                f"starttls={self.starttls}, username={self.username!r})")


def parse_smtp_url(url: str) -> SmtpSettings:
    """smtp://[user:pass@]host[:port][?starttls=1&timeout=S] or smtps://... (implicit TLS)."""
    try:
        parts = urlsplit(url)
        port = parts.port
        query = {name: values[-1] for name, values in parse_qs(parts.query, keep_blank_values=True).items()}
    except ValueError as exc:
        raise InvalidSmtpUrl(f"SMTP_URL is not a valid URL ({exc})") from None
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
        raise InvalidSmtpUrl("SMTP_URL must look like smtp://user:pass@host:587?starttls=1 or smtps://host:465")
    unknown = set(query) - {"starttls", "timeout"}
    if unknown:
        raise InvalidSmtpUrl(f"SMTP_URL has unknown options: {', '.join(sorted(unknown))}")
    starttls = query.get("starttls", "0").lower()
    if starttls not in _TRUE | _FALSE:
        raise InvalidSmtpUrl("SMTP_URL starttls must be 1 or 0")
    starttls_on = starttls in _TRUE
    if starttls_on and parts.scheme == "smtps":
        raise InvalidSmtpUrl("SMTP_URL: smtps:// is already TLS; drop starttls=1")
    try:
        timeout = float(query.get("timeout", "10"))
    except ValueError:
        timeout = 0.0
    if not timeout > 0:
        raise InvalidSmtpUrl("SMTP_URL timeout must be a positive number of seconds")
    return SmtpSettings(
        host=parts.hostname, port=port or DEFAULT_PORTS[(parts.scheme, starttls_on)],
        implicit_tls=parts.scheme == "smtps", starttls=starttls_on,
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password is not None else None, timeout=timeout)


class SmtpSession:
    """One connection for a batch: `with SmtpSession(settings, mail_from) as smtp: smtp.send(email)`.

    Connects on the first send and reconnects after a dropped link; every failure becomes an
    outcome, so one bad recipient never stops the rest of the batch.
    """

    def __init__(self, settings: SmtpSettings, mail_from: str):
        self.settings = settings
        self.mail_from = mail_from
        self._envelope_from = parseaddr(mail_from)[1]
        self._connection: smtplib.SMTP | None = None

    def __enter__(self) -> "SmtpSession":
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def close(self) -> None:
        """Say QUIT politely; drop the socket either way."""
        connection, self._connection = self._connection, None
        if connection is not None:
            try:
                connection.quit()
            except (smtplib.SMTPException, OSError):
                connection.close()

    def send(self, email: OutgoingEmail) -> EmailOutcome:
        """Send one message over the batch's connection and say how it went."""
        try:
            message = build_message(email, self.mail_from)
        except ValueError as exc:  # e.g. a line break in the subject: no server would take it
            return Permanent(f"the message could not be built: {exc}", None)
        try:
            self._connect().send_message(message, from_addr=self._envelope_from, to_addrs=[email.to])
        except smtplib.SMTPRecipientsRefused as exc:
            code, reply = exc.recipients.get(email.to, (None, b""))
            return _classified(code, reply)
        except smtplib.SMTPAuthenticationError as exc:
            self._drop()
            return Misconfigured(f"the SMTP server refused the login: {_text(exc.smtp_error)}", exc.smtp_code)
        except smtplib.SMTPNotSupportedError as exc:
            self._drop()
            return Misconfigured(f"the SMTP server does not support what SMTP_URL asks for ({exc})")
        except smtplib.SMTPResponseException as exc:
            if exc.smtp_code == 421 or isinstance(exc, (smtplib.SMTPConnectError, smtplib.SMTPHeloError)):
                self._drop()  # the server is closing this link; the next send opens a new one
            return _classified(exc.smtp_code, exc.smtp_error)
        except ssl.SSLCertVerificationError as exc:
            self._drop()
            return Misconfigured(f"the SMTP server's certificate was not trusted ({exc.verify_message})")
        except (smtplib.SMTPException, OSError) as exc:
            self._drop()
            return Transient(f"the SMTP server could not be reached or dropped the link "
                             f"({type(exc).__name__}: {exc})")
        logger.info("email %s sent to %s", message["Message-ID"], email.to)
        return Sent(message["Message-ID"])

    def _connect(self) -> smtplib.SMTP:
        if self._connection is not None:
            return self._connection
        s = self.settings
        if s.implicit_tls:
            connection = smtplib.SMTP_SSL(s.host, s.port, timeout=s.timeout,
                                          context=ssl.create_default_context())
        else:
            connection = smtplib.SMTP(s.host, s.port, timeout=s.timeout)
        try:
            connection.ehlo()
            if s.starttls:
                connection.starttls(context=ssl.create_default_context())
                connection.ehlo()
            if s.username:
                connection.login(s.username, s.password or "")
        except BaseException:
            connection.close()
            raise
        self._connection = connection
        return connection

    def _drop(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            connection.close()


def _classified(code: int | None, reply: bytes | str) -> EmailOutcome:
    """4xx (and anything unexpected) is transient; 5xx is permanent, with the server's words."""
    reason = f"{code} {_text(reply)}".strip() if code else _text(reply) or "no reply"
    if code == 530:  # "authentication required": SMTP_URL lacks the user the server wants
        return Misconfigured(reason, code)
    if code is not None and 500 <= code < 600:
        return Permanent(reason, code)
    return Transient(reason, code)


def _text(reply: bytes | str) -> str:
    return reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)
