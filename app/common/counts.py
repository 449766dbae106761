"""How many rows a list matches, at no more than a page's cost: exact when cheap, else the planner's estimate.

An exact COUNT of a big filtered list reads every matching row (a broad search on a million campaigns:
tens of milliseconds to seconds), where a keyset page reads 26. So a page counts exactly only what
is known to be small, asks PostgreSQL's planner for an estimate otherwise ("about N"), and leaves the
exact figure to its own request (exact_count), cached briefly per query in Redis.
"""
import hashlib
import json
import time
from dataclasses import dataclass

from flask import current_app
from redis.exceptions import RedisError
from sqlalchemy import Select, func, select, text
from sqlalchemy.exc import OperationalError

from app.extensions import db
from app.redis_client import get_redis

EXACT_COUNT_CAP = 1_000  # counting at most this many rows costs about what the page does
EXACT_COUNT_SECONDS = 5  # the on-demand exact count gives up (and keeps the estimate) after this long
EXACT_COUNT_CACHE_SECONDS = 60
ESTIMATE_SECONDS = 10  # an estimate is one anyway: a few seconds old is as good
ESTIMATE_CACHE_SIZE = 1000
_estimates: dict = {}


@dataclass(frozen=True)
class Count:
    """A list's total: exact, an estimate ("about"), or a floor ("more than") where no estimate exists."""

    value: int
    kind: str = "exact"  # exact | about | more than

    @property
    def exact(self) -> bool:
        return self.kind == "exact"

    @property
    def label(self) -> str:
        return f"{self.value:,}" if self.exact else f"{self.kind} {self.value:,}"


def _capped_count(filtered: Select, cap: int) -> int:
    """COUNT over at most cap + 1 matching rows."""
    return db.session.execute(select(func.count()).select_from(filtered.limit(cap + 1).subquery())).scalar_one()


def planner_estimate(filtered: Select) -> int | None:
    """PostgreSQL's estimate of the rows the query returns (EXPLAIN, no execution), kept ESTIMATE_SECONDS
    per query in this process (compiling an ORM query costs more than the page); None elsewhere."""
    if db.session.get_bind().dialect.name != "postgresql":
        return None
    cache_key = filtered._generate_cache_key()  # what SQLAlchemy's own statement cache keys on
    key = (cache_key.key, repr([bind.effective_value for bind in cache_key.bindparams])) if cache_key else None
    now = time.monotonic()
    if key is not None and (hit := _estimates.get(key)) and hit[1] > now:
        return hit[0]
    estimate = _explain_rows(filtered)
    if key is not None:
        if len(_estimates) >= ESTIMATE_CACHE_SIZE:
            _estimates.clear()  # crude but bounded: a burst of distinct searches starts the cache afresh
        _estimates[key] = (estimate, now + ESTIMATE_SECONDS)
    return estimate


def _explain_rows(filtered: Select) -> int:
    compiled = filtered.compile(dialect=db.session.get_bind().dialect, compile_kwargs={"render_postcompile": True})
    plan = db.session.connection().exec_driver_sql(f"EXPLAIN (FORMAT JSON) {compiled}", compiled.params).scalar_one()
    plan = json.loads(plan) if isinstance(plan, str) else plan
    return int(plan[0]["Plan"]["Plan Rows"])


def count_for_page(filtered: Select) -> Count:
    """The total a page shows: exact up to EXACT_COUNT_CAP when the planner expects no more, else an estimate."""
    estimate = planner_estimate(filtered)
    if estimate is not None and estimate > EXACT_COUNT_CAP:
        return Count(estimate, "about")
    total = _capped_count(filtered, EXACT_COUNT_CAP)
    if total <= EXACT_COUNT_CAP:
        return Count(total)
    # The planner expected few rows but there are more (or there is no planner to ask: SQLite).
    return Count(max(estimate or 0, EXACT_COUNT_CAP), "about" if estimate else "more than")


def _cache_key(filtered: Select) -> str:
    """The query itself (SQL and parameters, so the login's scope too) names its cached count."""
    compiled = filtered.compile(dialect=db.session.get_bind().dialect)
    raw = json.dumps([str(compiled), sorted((k, repr(v)) for k, v in compiled.params.items())])
    return "list-count:" + hashlib.sha256(raw.encode()).hexdigest()


def exact_count(filtered: Select) -> Count | None:
    """The exact total, counted in its own request and cached for a minute; None if it takes too long."""
    key = _cache_key(filtered)
    try:
        cached = get_redis().get(key)
    except RedisError:
        cached = None
    if cached is not None:
        return Count(int(cached))
    try:
        with db.session.begin_nested():
            if db.session.get_bind().dialect.name == "postgresql":  # bounded: a count never holds a worker long
                db.session.execute(text(f"SET LOCAL statement_timeout = {EXACT_COUNT_SECONDS * 1000}"))
            total = db.session.execute(select(func.count()).select_from(filtered.subquery())).scalar_one()
    except OperationalError:
        current_app.logger.info("exact list count timed out after %s s", EXACT_COUNT_SECONDS)
        return None
    try:
        get_redis().set(key, total, ex=EXACT_COUNT_CACHE_SECONDS)
    except RedisError:
        pass  # no cache: the next request counts again
    return Count(total)
