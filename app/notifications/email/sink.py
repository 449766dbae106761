"""A local SMTP sink for development: python -m app.notifications.email.sink --port 1025."""

import argparse
import threading
from collections import deque
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller

KEPT_MESSAGES = 1000


@dataclass(frozen=True)
class Received:
    """One message as the server got it: the connection it came on, the envelope and the parsed mail."""

    peer: tuple
    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage


class RecordingHandler:
    """An aiosmtpd handler that accepts every message and keeps the latest ones in memory."""

    def __init__(self, echo: bool = False):
        self.echo = echo
        self._lock = threading.Lock()
        self._received: deque[Received] = deque(maxlen=KEPT_MESSAGES)

    @property
    def received(self) -> list[Received]:
        """The kept messages, oldest first."""
        with self._lock:
            return list(self._received)

    def clear(self) -> None:
        """Forget every kept message."""
        with self._lock:
            self._received.clear()

    async def handle_DATA(self, server, session, envelope) -> str:
        """Keep (and optionally print) the message, then accept it."""
        # Lines arrive with the wire's CRLF; keep Python's "\n" so bodies read as they were written.
        message = message_from_bytes(envelope.content.replace(b"\r\n", b"\n"), policy=policy.default)
        with self._lock:
            self._received.append(Received(tuple(session.peer), envelope.mail_from,
                                           list(envelope.rcpt_tos), message))
        if self.echo:
            print(f"mail {message['Message-ID']} from {envelope.mail_from} to "
                  f"{', '.join(envelope.rcpt_tos)}: {message['Subject']}", flush=True)
        return "250 Message accepted for delivery"


def main(argv: list[str] | None = None) -> None:
    """Serve the sink until interrupted, printing one line per message received."""
    parser = argparse.ArgumentParser(prog="python -m app.notifications.email.sink",
                                     description="Accepts every email and prints a line for each.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=1025)
    args = parser.parse_args(argv)
    controller = Controller(RecordingHandler(echo=True), hostname=args.host, port=args.port)
    controller.start()
    print(f"SMTP sink: SMTP_URL=smtp://{args.host}:{args.port}", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
