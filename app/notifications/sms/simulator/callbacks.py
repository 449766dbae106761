"""Signed POSTs from the simulator to OMS: status callbacks and inbound messages, with retries."""

import threading
import time
from collections import deque
from concurrent.futures import ThreadPoolExecutor

import requests

from app.notifications.sms.numbers import opt_change
from app.notifications.sms.segments import count_segments
from app.notifications.sms.signature import compute_signature

MAX_RETRIES = 3  # a callback not answered 2xx is sent again up to 3 times
CALLBACK_LOG_LIMIT = 20_000
FINAL_PATHS = {"failed": ("failed",), "undelivered": ("sent", "undelivered")}
DELIVERED_PATH = ("sent", "delivered")


class Dispatcher:
    """Sends signed form POSTs, logs every attempt, and runs automatic delivery in the background."""

    def __init__(self, *, auto_deliver: bool, retry_delay_ms: int = 500):
        self._defaults = {"auto_deliver": auto_deliver, "retry_delay_ms": retry_delay_ms}
        self._lock = threading.Lock()
        self._http = requests.Session()
        self._pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="sms-sim-callbacks")
        self.reset()

    def reset(self) -> None:
        """Start-up delivery settings and an empty attempt log."""
        with self._lock:
            self.settings = dict(self._defaults)
            self._log: deque[dict] = deque(maxlen=CALLBACK_LOG_LIMIT)

    def attempts(self) -> list[dict]:
        """Every POST attempt since the last reset, oldest first."""
        with self._lock:
            return list(self._log)

    def background(self, task, *args) -> None:
        """Run a task off the request thread (automatic delivery)."""
        self._pool.submit(task, *args)

    def post(self, kind: str, url: str, params: dict, auth_token: str) -> list[int | None]:
        """POST until a 2xx answer or MAX_RETRIES resends; the status of each attempt (None: no answer)."""
        signature = compute_signature(url, params, auth_token)
        statuses: list[int | None] = []
        for attempt in range(1 + MAX_RETRIES):
            if attempt:
                time.sleep(self.settings["retry_delay_ms"] * attempt / 1000)
            try:
                status = self._http.post(url, data=params, timeout=10,
                                         headers={"X-Twilio-Signature": signature}).status_code
            except requests.RequestException:
                status = None
            statuses.append(status)
            with self._lock:
                self._log.append({"kind": kind, "url": url, "params": dict(params),
                                  "signature": signature, "attempt": attempt + 1, "status": status})
            if status is not None and 200 <= status < 300:
                break
        return statuses


def natural_path(store, to_number: str) -> tuple[tuple[str, ...], int | None]:
    """The states a message to this number goes through, and the ErrorCode of a failure."""
    failure = store.failure_for(to_number)
    if failure is None:
        return DELIVERED_PATH, None
    status, code = failure
    return FINAL_PATHS[status], code


def advance(state, message_sid: str, statuses: list[str] | None = None, repeat: int = 1) -> list[dict]:
    """Move a message through `statuses` (default: its natural path), sending each callback.

    Tests pass statuses out of order or repeat them to reproduce late and duplicate callbacks;
    the stored status still only moves forward.
    """
    message = state.store.message(message_sid)
    if message is None:
        return []
    record = message.record
    path, code = natural_path(state.store, record["to"])
    results = []
    for status in statuses or path:
        error_code = (code or 30008) if status in ("failed", "undelivered") else None
        state.store.move_status(message_sid, status, error_code)
        account = state.store.account(record["account_sid"])
        for _ in range(repeat):
            if message.status_callback and account is not None:
                params = {"MessageSid": message_sid, "SmsSid": message_sid, "MessageStatus": status,
                          "SmsStatus": status, "To": record["to"], "From": record["from"],
                          "AccountSid": record["account_sid"], "ApiVersion": "2010-04-01"}
                if error_code:
                    params["ErrorCode"] = str(error_code)
                attempts = state.dispatcher.post("status", message.status_callback, params,
                                                 account.token)
                results.append({"status": status, "attempts": attempts})
    return results


def send_inbound(state, account, from_number: str, body: str, to_number: str | None = None,
                 url: str | None = None) -> dict:
    """POST a customer's reply to the account's inbound URL; STOP/START change the number's state."""
    change = opt_change(body)
    if change:
        state.store.set_number(from_number, opted_out=change == "out")
    sid = state.store.new_sid()
    params = {"MessageSid": sid, "SmsSid": sid, "SmsMessageSid": sid, "AccountSid": account.sid,
              "From": from_number, "To": to_number or min(account.numbers), "Body": body,
              "NumMedia": "0", "NumSegments": str(count_segments(body).segments),
              "ApiVersion": "2010-04-01"}
    target = url or account.inbound_url
    attempts = state.dispatcher.post("inbound", target, params, account.token) if target else []
    return {"sid": sid, "url": target, "attempts": attempts, "opt_change": change}
