"""Logging: one setup for web and worker, a line per request, the request id on every line, no secrets.

Every line carries a request id: the web request's (also sent back as X-Request-ID), the RQ job's id
inside a worker, "-" elsewhere. Values of password/token/secret-like keys are masked before a line is
written, so neither a query string nor a careless log call puts them in the log.
"""
import logging
import re
import sys
import time
import uuid
from urllib.parse import parse_qsl, urlencode

from flask import g, has_request_context, request

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"
HANDLER_NAME = "oms"
# A proxy's id is kept only when it cannot break a log line or a header: short, plain characters.
INCOMING_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")
SENSITIVE = r"password|passwd|token|secret|api_key|apikey|authorization|csrf"
SENSITIVE_KEY = re.compile(SENSITIVE, re.IGNORECASE)
# key=value, key: value, "key": "value" — the value up to the next separator. Every repeat is bounded
# (no leading \w*): a 100 KB run of letters must cost linear time, not a quadratic backtrack.
SENSITIVE_PAIR = re.compile(rf"((?:{SENSITIVE})\w{{0,40}}[\"']?\s{{0,5}}[=:]\s{{0,5}}[\"']?)[^\s&\"',;]+", re.IGNORECASE)
MAX_LOGGED_PATH = 2000  # a 3 MB query string is logged as its first 2,000 characters (the path too)
MASK = "[redacted]"
request_logger = logging.getLogger("oms.request")


def _current_request_id() -> str:
    if has_request_context():
        return g.get("request_id", "-")
    from rq import get_current_job  # a worker's lines carry the job id instead

    job = get_current_job()
    return job.id if job is not None else "-"


class RequestIdFilter(logging.Filter):
    """Stamps every record with the request (or job) id and masks secret values in its text."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = _current_request_id()
        try:
            message = record.getMessage()
        except Exception:  # a bad format string: let the handler report it as logging always does
            return True
        masked = SENSITIVE_PAIR.sub(rf"\1{MASK}", message)
        if masked != message:
            record.msg, record.args = masked, None
        return True


def init_logging(level_name: str) -> None:
    """Install (or replace, when the factory runs again) the one handler on the root logger."""
    root = logging.getLogger()
    for handler in [h for h in root.handlers if h.get_name() == HANDLER_NAME]:
        root.removeHandler(handler)
    handler = logging.StreamHandler(sys.stderr)
    handler.set_name(HANDLER_NAME)
    handler.setFormatter(logging.Formatter(LOG_FORMAT))
    handler.addFilter(RequestIdFilter())
    root.addHandler(handler)
    root.setLevel(level_name)


def masked_query(query_string: str) -> str:
    """The query string with the values of secret-looking keys replaced."""
    pairs = parse_qsl(query_string, keep_blank_values=True)
    return urlencode([(k, MASK if SENSITIVE_KEY.search(k) else v) for k, v in pairs], safe="[]/:,")


def start_request() -> None:
    """before_request: the request id (the proxy's, if safe) and the start time."""
    incoming = request.headers.get("X-Request-ID", "")
    g.request_id = incoming if INCOMING_ID.match(incoming) else uuid.uuid4().hex
    g.request_started = time.perf_counter()


def finish_request(response):
    """after_request: the X-Request-ID header and one line with who asked what and how it went."""
    response.headers["X-Request-ID"] = g.get("request_id", "-")
    started = g.get("request_started")
    duration_ms = (time.perf_counter() - started) * 1000 if started is not None else 0.0
    user = g.get("_login_user")  # only if this request loaded it: logging must not cost a query
    user_id = user.id if user is not None and user.is_authenticated else "-"  # not get_id(): it holds a secret
    query = request.query_string[:MAX_LOGGED_PATH].decode("latin-1")  # cut first: masking 3 MB costs 0.3 s
    path = request.path[:MAX_LOGGED_PATH] + (f"?{masked_query(query)}" if query else "")
    cut = max(0, len(request.path) - MAX_LOGGED_PATH) + max(0, len(request.query_string) - MAX_LOGGED_PATH)
    if cut > 0:
        path += f"…(+{cut:,} characters)"
    level = logging.DEBUG if request.endpoint == "static" else logging.INFO
    request_logger.log(level, "%s %s %s %.1fms user=%s ip=%s", request.method, path, response.status_code,
                       duration_ms, user_id, request.remote_addr)
    return response


def init_request_logging(app) -> None:
    """Wire the per-request id and line into the app (first before_request, so the id covers the rest)."""
    app.before_request_funcs.setdefault(None, []).insert(0, start_request)
    app.after_request(finish_request)
