"""The SMS simulator's memory: accounts, sent messages, idempotency keys and number states."""

import random
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime

from app.notifications.sms.segments import count_segments

IDEMPOTENCY_TTL_SECONDS = 24 * 3600
# A callback's state never goes back: sent < delivered/undelivered/failed (final).
STATUS_RANK = {"queued": 0, "sent": 1, "delivered": 2, "undelivered": 2, "failed": 2}
ERROR_MESSAGES = {30003: "Unreachable destination handset", 30005: "Unknown destination handset",
                  30006: "Landline or unreachable carrier", 30007: "Message filtered by carrier",
                  30008: "Unknown error"}


class KeyConflict(Exception):
    """The Idempotency-Key was used before for a different form."""


class ResetMeanwhile(Exception):
    """The simulator was reset while this request waited (latency): its message must not land."""


class OptedOut(Exception):
    """The recipient replied STOP to this account earlier."""


@dataclass
class Account:
    """A provider account: its token, the numbers it may send from and its inbound URL."""

    sid: str
    token: str
    numbers: set[str]
    inbound_url: str | None = None


@dataclass
class Message:
    """A sent message: the record the API shows plus what only the simulator knows."""

    record: dict
    idempotency_key: str | None
    status_callback: str | None
    fingerprint: tuple
    keyed_at: float = 0.0


@dataclass
class Numbers:
    """Recipient states: opted out (21610 on send) and undeliverable (failure callback)."""

    opted_out: set[str] = field(default_factory=set)
    undeliverable: dict[str, tuple[str, int]] = field(default_factory=dict)  # number -> (status, code)


class Store:
    """All simulator data behind one lock; the clock can be moved forward to expire keys."""

    def __init__(self, rng: random.Random, startup_accounts: list[Account]):
        self._lock = threading.Lock()
        self._rng = rng
        self._startup = startup_accounts
        self.generation = 0
        self.reset()

    def reset(self) -> None:
        """Back to the start-up accounts, no messages, no keys, every number deliverable."""
        with self._lock:
            self.generation += 1
            self._accounts = {a.sid: Account(a.sid, a.token, set(a.numbers), a.inbound_url)
                              for a in self._startup}
            self._messages: dict[str, Message] = {}
            self._keys: dict[tuple[str, str], Message] = {}
            self.numbers = Numbers()
            self._clock_offset = 0.0

    def now(self) -> float:
        """The simulator's clock (real time plus whatever tests advanced it by)."""
        return time.time() + self._clock_offset

    def advance_clock(self, seconds: float) -> None:
        """Move the clock forward, e.g. past the 24 h an idempotency key is kept."""
        with self._lock:
            self._clock_offset += seconds

    def upsert_account(self, account: Account) -> bool:
        """Create the account or replace its settings; True when it was created."""
        with self._lock:
            created = account.sid not in self._accounts
            self._accounts[account.sid] = account
            return created

    def account(self, sid: str) -> Account | None:
        """The account, or None."""
        with self._lock:
            return self._accounts.get(sid)

    def only_account(self) -> Account | None:
        """The account when there is exactly one, else None."""
        with self._lock:
            return next(iter(self._accounts.values())) if len(self._accounts) == 1 else None

    def create_or_replay(self, account: Account, form: dict, key: str | None,
                         status_callback: str | None, generation: int) -> tuple[dict, bool]:
        """(record, replayed): the key's first message as it is now, or a new queued message."""
        fingerprint = (form["To"], form["From"], form["Body"], status_callback)
        with self._lock:
            if generation != self.generation:
                raise ResetMeanwhile()
            now = self.now()
            if key is not None:
                earlier = self._keys.get((account.sid, key))
                if earlier is not None and now - earlier.keyed_at < IDEMPOTENCY_TTL_SECONDS:
                    if earlier.fingerprint != fingerprint:
                        raise KeyConflict(key)
                    return dict(earlier.record), True
            if form["To"] in self.numbers.opted_out:
                raise OptedOut(form["To"])
            message = Message(self._new_record(account.sid, form, now), key, status_callback,
                              fingerprint, now)
            self._messages[message.record["sid"]] = message
            if key is not None:
                self._keys[(account.sid, key)] = message
            return dict(message.record), False

    def get(self, account_sid: str, message_sid: str) -> dict | None:
        """The message's record as it is now, or None."""
        with self._lock:
            message = self._messages.get(message_sid)
            if message is None or message.record["account_sid"] != account_sid:
                return None
            return dict(message.record)

    def message(self, message_sid: str) -> Message | None:
        """The message with its simulator-only fields (a copy of the record)."""
        with self._lock:
            message = self._messages.get(message_sid)
            return None if message is None else Message(dict(message.record), message.idempotency_key,
                                                        message.status_callback, message.fingerprint,
                                                        message.keyed_at)

    def move_status(self, message_sid: str, status: str, error_code: int | None) -> None:
        """Record a delivery state unless the message already went further."""
        with self._lock:
            message = self._messages.get(message_sid)
            if message is None or STATUS_RANK[status] <= STATUS_RANK[message.record["status"]]:
                return
            record = message.record
            record.update(status=status, date_updated=_rfc2822(self.now()), error_code=error_code,
                          error_message=ERROR_MESSAGES.get(error_code) if error_code else None)
            if status == "sent":
                record["date_sent"] = record["date_updated"]

    def queued_sids(self) -> list[str]:
        """Messages no callback has moved yet, oldest first."""
        with self._lock:
            return [sid for sid, m in self._messages.items() if m.record["status"] == "queued"]

    def all_messages(self) -> list[dict]:
        """Every message with its idempotency key and callback URL, oldest first."""
        with self._lock:
            return [{**m.record, "idempotency_key": m.idempotency_key,
                     "status_callback": m.status_callback} for m in self._messages.values()]

    def failure_for(self, number: str) -> tuple[str, int] | None:
        """(final status, ErrorCode) when messages to this number are undeliverable, else None."""
        with self._lock:
            return self.numbers.undeliverable.get(number)

    def set_number(self, number: str, opted_out: bool | None = None,
                   undeliverable: tuple[str, int] | None | bool = False) -> None:
        """Change a number's state; undeliverable=None makes it deliverable again."""
        with self._lock:
            if opted_out is True:
                self.numbers.opted_out.add(number)
            elif opted_out is False:
                self.numbers.opted_out.discard(number)
            if undeliverable is None:
                self.numbers.undeliverable.pop(number, None)
            elif undeliverable is not False:
                self.numbers.undeliverable[number] = undeliverable

    def new_sid(self) -> str:
        """A message sid: "SM" and 32 hex digits from the seedable random source."""
        return f"SM{self._rng.getrandbits(128):032x}"

    def _new_record(self, account_sid: str, form: dict, now: float) -> dict:
        created, sid = _rfc2822(now), self.new_sid()
        return {"sid": sid, "account_sid": account_sid, "to": form["To"],
                "from": form["From"], "body": form["Body"], "status": "queued",
                "num_segments": str(count_segments(form["Body"]).segments), "num_media": "0",
                "direction": "outbound-api", "api_version": "2010-04-01", "date_created": created,
                "date_updated": created, "date_sent": None, "error_code": None,
                "error_message": None, "price": None,
                "uri": f"/2010-04-01/Accounts/{account_sid}/Messages/{sid}.json"}


def _rfc2822(moment: float) -> str:
    return format_datetime(datetime.fromtimestamp(moment, UTC))
