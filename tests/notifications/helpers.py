"""Small readers and actions the notification tests share."""
import os
import subprocess
import sys

from sqlalchemy import select

from app.common.transactions import run_in_transaction
from app.extensions import db
from app.notifications.models import Delivery
from app.notifications.relay import relay_once
from app.outbox.services import record_event
from app.queues import EMAIL, SMS
from tests.sync.helpers import run_worker
from tests.processes import ROOT

PHONE = "+15557654321"


def deliveries(**where) -> list[Delivery]:
    """Every delivery (optionally filtered by column values), oldest first, read fresh."""
    db.session.expire_all()
    stmt = select(Delivery).filter_by(**where).order_by(Delivery.id)
    return db.session.execute(stmt).scalars().all()


def emit(event: str, **payload) -> None:
    """Write one outbox event in its own transaction, as a domain service does."""
    run_in_transaction(lambda: record_event(event, payload))


def by_channel(rows: list[Delivery]) -> dict[str, tuple[str, str | None]]:
    """{channel: (status, reason)} for one event's deliveries."""
    return {row.channel: (row.status, row.reason) for row in rows}


def relay_and_send(now=None) -> None:
    """One relay pass, then a real burst worker on the email and sms queues until they are empty."""
    relay_once(now)
    run_worker(EMAIL, SMS)


def start_worker(app, log_path, *queues: str) -> subprocess.Popen:
    """A real `python worker.py QUEUE...` process with the test app's database, Redis and notification settings."""
    config = app.config
    env = {**os.environ, "OMS_ENV": "test", "DATABASE_URL": config["SQLALCHEMY_DATABASE_URI"],
           "REDIS_URL": config["REDIS_URL"], **{name: config[name] for name in (
               "SMTP_URL", "MAIL_FROM", "SMS_BASE_URL", "SMS_ACCOUNT_SID", "SMS_AUTH_TOKEN", "SMS_FROM",
               "OMS_PUBLIC_URL")}}
    with open(log_path, "wb") as log:
        return subprocess.Popen([sys.executable, "worker.py", *queues], cwd=ROOT, env=env,
                                stdout=log, stderr=subprocess.STDOUT)
