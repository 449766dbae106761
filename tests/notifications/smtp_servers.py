"""aiosmtpd servers for the SMTP tests: the dev sink's handler, with refusals and optional AUTH."""

import asyncio

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

from app.notifications.email.sink import RecordingHandler
from app.notifications.email.smtp import parse_smtp_url
from tests.notifications.sms_servers import free_port

SMTP_USER, SMTP_PASSWORD = "mailer", "p@ss word"


class RefusingHandler(RecordingHandler):
    """The sink's handler, refusing the recipients a test names with the reply it names."""

    def __init__(self):
        super().__init__()
        self.refusals: dict[str, str] = {}
        self.delay = 0.0  # seconds each message takes to accept, to catch a sender mid-batch

    async def handle_DATA(self, server, session, envelope) -> str:
        await asyncio.sleep(self.delay)
        return await super().handle_DATA(server, session, envelope)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options) -> str:
        if address in self.refusals:
            return self.refusals[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"


class SmtpServer:
    """A running aiosmtpd server: its SMTP_URL settings and what it received."""

    def __init__(self, **controller_options):
        self.handler = RefusingHandler()
        self.port = free_port()
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port, **controller_options)
        self.controller.start()

    def settings(self, url_rest: str = ""):
        """SmtpSettings for smtp://{url_rest}127.0.0.1:port (url_rest may carry user:pass@)."""
        return parse_smtp_url(f"smtp://{url_rest}127.0.0.1:{self.port}?timeout=5")

    def reset(self) -> None:
        self.handler.clear()
        self.handler.delay = 0.0
        self.handler.refusals.clear()


def authenticator(server, session, envelope, mechanism, auth_data) -> AuthResult:
    ok = auth_data.login == SMTP_USER.encode() and auth_data.password == SMTP_PASSWORD.encode()
    return AuthResult(success=ok, handled=False)  # handled=False: the server answers 535 itself
