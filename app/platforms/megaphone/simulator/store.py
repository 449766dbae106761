"""The simulator's in-memory state: organizations, their campaigns and the request log."""

import bisect
import random
import threading
import uuid
from collections import deque
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from app.platforms.megaphone.errors import InvalidRecord
from app.platforms.megaphone.records import parse_campaign
from app.platforms.megaphone.simulator import seeding

TIMESTAMP_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"
REQUEST_LOG_LIMIT = 20_000
_LONG_AGO = datetime.min.replace(tzinfo=UTC)


class UnknownOrganization(LookupError):
    """The simulator has no organization with this id."""

    def __init__(self, org_id: str):
        super().__init__(org_id)
        self.org_id = org_id


class DuplicateCampaign(ValueError):
    """A raw insert reused an id the organization already has."""


class Organization:
    """One organization's token and campaigns, kept in (createdAt, id) order."""

    def __init__(self, org_id: str, token: str):
        self.id, self.token = org_id, token
        self.campaigns: dict[str, dict] = {}  # key -> record; records are replaced, never mutated
        self.order: list[tuple[datetime, str, str]] = []  # sorted (createdAt, id, key)
        self.updated: dict[str, datetime | None] = {}
        self.broken: set[str] = set()  # keys of records that break the contract
        self.pending: list[list] = []  # [list requests still to serve, mutation spec]
        self.version = 0
        self.filtered: tuple | None = None  # (version, since, keys): updated_since cache


class Store:
    """All simulator data behind one lock, so a threaded server sees consistent pages."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._rng = random.Random()
        self._last_tick = _LONG_AGO
        self.generation = 0
        self.reset()

    def reset(self) -> None:
        """Drop every organization and the request log."""
        with self._lock:
            self.generation += 1
            self._orgs: dict[str, Organization] = {}
            self._log: deque[dict] = deque(maxlen=REQUEST_LOG_LIMIT)

    def upsert_organization(self, org_id: str, token: str) -> bool:
        """Create the organization or change its token; True when it was created."""
        with self._lock:
            if org_id in self._orgs:
                self._orgs[org_id].token = token
                return False
            self._orgs[org_id] = Organization(org_id, token)
            return True

    def authorize(self, org_id: str, token: str | None) -> int | None:
        """None when the token may use the organization, else the status to answer (401/403/404)."""
        with self._lock:
            org = self._orgs.get(org_id)
            if token and org is not None and org.token == token:
                return None
            if not token or all(other.token != token for other in self._orgs.values()):
                return 401
            return 404 if org is None else 403

    def list_page(self, org_id: str, page: int, per_page: int, since: datetime | None,
                  ) -> tuple[list[dict], int]:
        """One page of records in list order and the total matching; runs due mutations after."""
        with self._lock:
            org = self._org(org_id)
            start = (page - 1) * per_page
            if since is None:
                total, keys = len(org.order), [key for _, _, key in org.order[start:start + per_page]]
            else:
                matching = self._keys_since(org, since)
                total, keys = len(matching), matching[start:start + per_page]
            records = [org.campaigns[key] for key in keys]
            self._count_list_request(org)
            return records, total

    def get(self, org_id: str, campaign_id: str) -> dict | None:
        """The stored record, or None."""
        with self._lock:
            return self._org(org_id).campaigns.get(campaign_id)

    def create(self, org_id: str, fields: dict) -> dict:
        """Store a new campaign from validated fields, stamping id and timestamps."""
        with self._lock:
            return self._create(self._org(org_id), fields)

    def update(self, org_id: str, campaign_id: str, change: Callable[[dict], dict]) -> dict | None:
        """Apply change(record) -> new fields atomically; updatedAt moves only if something changed."""
        with self._lock:
            org = self._org(org_id)
            record = org.campaigns.get(campaign_id)
            if record is None:
                return None
            fields = change(record)
            if all(record.get(name) == value for name, value in fields.items()):
                return record
            return self._replace(org, campaign_id, {**record, **fields})

    def delete(self, org_id: str, campaign_id: str) -> bool:
        """Remove a campaign; False when it did not exist."""
        with self._lock:
            org = self._org(org_id)
            if campaign_id not in org.campaigns:
                return False
            self._remove(org, campaign_id)
            return True

    def insert_raw(self, org_id: str, raw: dict) -> dict:
        """Store a record verbatim (only a missing id or timestamp is filled in)."""
        with self._lock:
            org = self._org(org_id)
            now = _render(self._tick())
            record = {"id": str(uuid.uuid4()), **raw} if "id" not in raw else dict(raw)
            record.setdefault("createdAt", now)
            record.setdefault("updatedAt", now)
            if isinstance(record["id"], str) and record["id"] in org.campaigns:
                raise DuplicateCampaign(record["id"])
            try:
                parse_campaign(record)
                broken = False
            except InvalidRecord:
                broken = True
            created = _parse_time(record.get("createdAt")) or _LONG_AGO
            self._add(org, record, created, _parse_time(record.get("updatedAt")), broken)
            return record

    def all_campaigns(self, org_id: str) -> list[dict]:
        """Every stored record in list order, unpaged."""
        with self._lock:
            org = self._org(org_id)
            return [org.campaigns[key] for _, _, key in org.order]

    def seed(self, org_id: str, count: int, invalid: int = 0) -> int:
        """Add count valid random campaigns and invalid broken ones; returns the new total."""
        self._org_exists(org_id)
        rng = random.Random()  # generated outside the lock so serving continues meanwhile
        batch = [(seeding.random_fields(rng), False) for _ in range(count)]
        batch += [(seeding.broken_fields(rng, index), True) for index in range(invalid)]
        with self._lock:
            org = self._org(org_id)
            for fields, broken in batch:
                self._create(org, fields, broken)
            return len(org.campaigns)

    def mutate(self, org_id: str, spec: dict, after_requests: int = 0) -> dict | None:
        """Change data as a person would; deferred (None) until after_requests list requests."""
        with self._lock:
            org = self._org(org_id)
            if after_requests > 0:
                org.pending.append([after_requests, spec])
                return None
            return self._apply_mutation(org, spec)

    def log_request(self, generation: int, entry: dict) -> None:
        """Record an API request, unless the simulator was reset while it ran."""
        with self._lock:
            if generation == self.generation:
                self._log.append(entry)

    def requests(self) -> list[dict]:
        """The API request log, oldest first."""
        with self._lock:
            return sorted(self._log, key=lambda entry: entry["time"])

    def snapshot(self) -> dict:
        """Every organization with its token and campaigns in list order, as JSON-ready data."""
        with self._lock:
            return {"organizations": [
                {"id": org.id, "token": org.token,
                 "campaigns": [{"record": org.campaigns[key], "broken": key in org.broken} for _, _, key in org.order]}
                for org in self._orgs.values()]}

    def restore(self, data: dict) -> None:
        """Add the organizations and campaigns of a snapshot (ids and timestamps as they were)."""
        with self._lock:
            for saved in data.get("organizations", []):
                org = self._orgs.setdefault(saved["id"], Organization(saved["id"], saved["token"]))
                for entry in saved["campaigns"]:
                    record = entry["record"]
                    updated = _parse_time(record.get("updatedAt"))
                    self._add(org, record, _parse_time(record.get("createdAt")) or _LONG_AGO, updated, entry["broken"])
                    # Later changes must still stamp a newer updatedAt than anything restored.
                    self._last_tick = max(self._last_tick, updated or _LONG_AGO)

    def _org_exists(self, org_id: str) -> None:
        with self._lock:
            self._org(org_id)

    def _org(self, org_id: str) -> Organization:
        try:
            return self._orgs[org_id]
        except KeyError:
            raise UnknownOrganization(org_id) from None

    def _tick(self) -> datetime:
        # updatedAt must strictly increase so updated_since never misses a change made
        # within the same microsecond (or after the wall clock stepped back).
        now = max(datetime.now(UTC), self._last_tick + timedelta(microseconds=1))
        self._last_tick = now
        return now

    def _create(self, org: Organization, fields: dict, broken: bool = False) -> dict:
        now = self._tick()
        stamp = _render(now)
        record = {"id": str(uuid.uuid4()), **fields, "createdAt": stamp, "updatedAt": stamp}
        self._add(org, record, now, now, broken)
        return record

    def _add(self, org: Organization, record: dict, created: datetime, updated: datetime | None,
             broken: bool) -> None:
        raw_id = record.get("id")
        key = raw_id if isinstance(raw_id, str) and raw_id not in org.campaigns else str(uuid.uuid4())
        org.campaigns[key] = record
        org.updated[key] = updated
        entry = (created, str(raw_id), key)
        if not org.order or entry > org.order[-1]:
            org.order.append(entry)  # the usual case: new campaigns sort last
        else:
            bisect.insort(org.order, entry)
        if broken:
            org.broken.add(key)
        org.version += 1

    def _replace(self, org: Organization, key: str, record: dict) -> dict:
        record["updatedAt"] = _render(self._tick())
        org.campaigns[key] = record
        org.updated[key] = _parse_time(record["updatedAt"])
        org.broken.discard(key)
        org.version += 1
        return record

    def _remove(self, org: Organization, key: str) -> None:
        record = org.campaigns.pop(key)
        entry = (_parse_time(record.get("createdAt")) or _LONG_AGO, str(record.get("id")), key)
        del org.order[bisect.bisect_left(org.order, entry)]
        del org.updated[key]
        org.broken.discard(key)
        org.version += 1

    def _keys_since(self, org: Organization, since: datetime) -> list[str]:
        # Paging through a filtered list re-uses one scan until the data changes.
        if org.filtered and org.filtered[:2] == (org.version, since):
            return org.filtered[2]
        keys = [key for _, _, key in org.order if (org.updated[key] or _LONG_AGO) >= since]
        org.filtered = (org.version, since, keys)
        return keys

    def _count_list_request(self, org: Organization) -> None:
        for pending in org.pending:
            pending[0] -= 1
        due = [spec for left, spec in org.pending if left <= 0]
        org.pending = [pending for pending in org.pending if pending[0] > 0]
        for spec in due:
            self._apply_mutation(org, spec)

    def _apply_mutation(self, org: Organization, spec: dict) -> dict:
        healthy = [key for key in org.campaigns if key not in org.broken]
        updated = self._rng.sample(healthy, min(spec.get("update", 0), len(healthy)))
        untouched = list(set(healthy) - set(updated))
        deleted = self._rng.sample(untouched, min(spec.get("delete", 0), len(untouched)))
        result: dict[str, list[str]] = {"updated": [], "deleted": [], "created": []}
        for key in updated:
            record = org.campaigns[key]
            result["updated"].append(self._replace(org, key, {**record, **seeding.changed_fields(self._rng)})["id"])
        for key in deleted:
            result["deleted"].append(org.campaigns[key]["id"])
            self._remove(org, key)
        for _ in range(spec.get("create", 0)):
            result["created"].append(self._create(org, seeding.random_fields(self._rng))["id"])
        return result


def _render(moment: datetime) -> str:
    return moment.strftime(TIMESTAMP_FORMAT)


def _parse_time(value: object) -> datetime | None:
    try:
        moment = datetime.fromisoformat(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
