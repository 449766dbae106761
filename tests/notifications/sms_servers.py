"""The SMS simulator and a stand-in for OMS's webhooks, each served on an ephemeral 127.0.0.1 port."""

import socket
import threading
import time
from collections import deque

import requests
from flask import Flask, request
from werkzeug.serving import WSGIRequestHandler, make_server

from app.notifications.sms.client import SmsClient

SMS_ACCOUNT = "ACtest0001"
SMS_TOKEN = "sms-s3cret-token-9f2e"
SMS_FROM = "+15550001111"


class _QuietRequestHandler(WSGIRequestHandler):
    """Keeps one access-log line per request out of the test output."""

    def log_request(self, *args, **kwargs) -> None:
        pass


class Served:
    """A WSGI app in a threaded server on an ephemeral 127.0.0.1 port."""

    def __init__(self, app, name: str):
        self.server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_QuietRequestHandler)
        self.url = f"http://127.0.0.1:{self.server.port}"
        self.thread = threading.Thread(target=self.server.serve_forever, name=name, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        """Shut the server down and wait for its thread."""
        self.server.shutdown()
        self.thread.join(timeout=5)


class SmsSimulator:
    """A running simulator: its URL, /_sim controls, raw contract calls and a ready client."""

    def __init__(self, url: str):
        self.url = url
        self.account, self.token, self.from_number = SMS_ACCOUNT, SMS_TOKEN, SMS_FROM
        self.http = requests.Session()

    def control(self, method: str, path: str, body: dict | None = None) -> object:
        """Call a /_sim endpoint and return its JSON, failing the test on an error status."""
        response = self.http.request(method, f"{self.url}/_sim{path}", json=body, timeout=30)
        assert response.ok, f"/_sim{path} answered {response.status_code}: {response.text}"
        return response.json()

    def reset(self) -> None:
        """No messages, faults or number states; manual callbacks without retry delay; one account."""
        self.control("POST", "/reset", {"seed": 12})
        self.control("POST", "/accounts", {"sid": self.account, "token": self.token, "numbers": [self.from_number]})

    def messages(self) -> list[dict]:
        """Every message the simulator accepted, with its idempotency key."""
        return self.control("GET", "/messages")

    def callbacks(self) -> list[dict]:
        """Every callback and inbound POST attempt."""
        return self.control("GET", "/callbacks")

    def post_message(self, form: dict, *, key: str | None = None, auth=("default",), account=None):
        """A raw POST to the Messages resource (auth=None sends no credentials)."""
        headers = {"Idempotency-Key": key} if key is not None else {}
        auth = (self.account, self.token) if auth == ("default",) else auth
        return self.http.post(f"{self.messages_url(account)}.json", data=form, headers=headers, auth=auth,
                              timeout=30)

    def get_message(self, sid: str):
        """A raw GET of one message."""
        return self.http.get(f"{self.messages_url()}/{sid}.json", auth=(self.account, self.token), timeout=30)

    def messages_url(self, account: str | None = None) -> str:
        return f"{self.url}/2010-04-01/Accounts/{account or self.account}/Messages"

    def form(self, to: str = "+15557654321", body: str = "Your order shipped", **extra) -> dict:
        """A valid send form from this account's number."""
        return {"To": to, "From": self.from_number, "Body": body, **extra}

    def client(self, **options) -> SmsClient:
        """A client for the test account with short timeouts."""
        settings = {"connect_timeout": 1.0, "read_timeout": 2.0, **options}
        return SmsClient(self.url, self.account, self.token, self.from_number, **settings)


class WebhookReceiver:
    """Stands in for OMS's webhook endpoints: records each POST and answers with queued statuses."""

    def __init__(self):
        self.requests: list[dict] = []
        self.statuses: deque[int] = deque()  # answers to give, in order; 200 when empty
        self._lock = threading.Lock()
        app = Flask("webhook_receiver")
        app.add_url_rule("/<path:path>", "hook", self._hook, methods=["POST"])
        self._served = Served(app, "webhook-receiver")
        self.url = self._served.url

    def _hook(self, path: str):
        with self._lock:
            self.requests.append({"url": request.url, "form": request.form.to_dict(flat=False),
                                  "signature": request.headers.get("X-Twilio-Signature")})
            status = self.statuses.popleft() if self.statuses else 200
        return "", status

    def reset(self) -> None:
        """Forget the recorded requests and the queued answers."""
        with self._lock:
            self.requests.clear()
            self.statuses.clear()

    def stop(self) -> None:
        """Shut the server down."""
        self._served.stop()

    def wait_for(self, count: int, seconds: float = 10) -> list[dict]:
        """The recorded requests once there are at least `count` (background deliveries)."""
        deadline = time.monotonic() + seconds
        while len(self.requests) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        return list(self.requests)


def free_port() -> int:
    """A port nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
