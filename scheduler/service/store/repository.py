"""The repository: every read and write of the service's tables, each in its own transaction.

Optimistic locking: ``rosters.latest_version`` is compared and set in one ``UPDATE ... WHERE
latest_version = :expected``; zero rows updated means someone else got there first and the caller
gets :class:`~scheduler.service.errors.VersionConflictError` (ABORTED), so two regenerations never
lose each other's work. Creates are idempotent by ``(tenant, request_id)`` with unique constraints
as the last line of defence. Tenancy is enforced here: every query filters by tenant, so another
tenant's rows are simply not found.

Methods are synchronous; the async servicers call them through ``asyncio.to_thread``.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Engine, create_engine, event, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from scheduler.errors import FieldProblem, InputError
from scheduler.service.errors import NotFoundError, VersionConflictError
from scheduler.service.store.migrations import upgrade
from scheduler.service.store.models import AuditRow, JobRow, RosterRow, RosterVersionRow

DRAFT, PUBLISHED, SUPERSEDED = "DRAFT", "PUBLISHED", "SUPERSEDED"
ACTIVE_JOB_STATES = ("QUEUED", "RUNNING")
TERMINAL_JOB_STATES = ("SUCCEEDED", "FAILED", "CANCELLED", "INTERRUPTED")


def now() -> dt.datetime:
    """Current UTC time (timezone-aware)."""
    return dt.datetime.now(dt.UTC)


def new_id() -> str:
    """A fresh opaque identifier."""
    return uuid.uuid4().hex


@dataclass(frozen=True)
class NewVersion:
    """What a finished solve stores as a new roster version."""

    tenant: str
    principal: str
    roster_id: str | None
    based_on_version: int
    site: str
    horizon_start: str
    days: int
    result_json: str
    kpis_json: str
    inputs_sha256: str
    request_id: str | None = None
    job_id: str | None = None


def make_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite gets WAL, a busy timeout and foreign keys."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
            cursor = dbapi_conn.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()

        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=10)


def open_repository(url: str) -> Repository:
    """Connect, apply pending migrations and return the repository."""
    engine = make_engine(url)
    upgrade(engine)
    return Repository(engine)


def _encode_page_token(create_time: dt.datetime, roster_id: str) -> str:
    raw = json.dumps({"t": create_time.isoformat(), "id": roster_id}).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode_page_token(token: str) -> tuple[dt.datetime, str]:
    try:
        padded = token + "=" * (-len(token) % 4)
        raw = json.loads(base64.urlsafe_b64decode(padded.encode()))
        stamp = dt.datetime.fromisoformat(raw["t"])
        return stamp, str(raw["id"])
    except (ValueError, KeyError, TypeError) as exc:
        raise InputError(
            "ListRostersRequest", [FieldProblem("page_token", token, "not a token this API issued")]
        ) from exc


def _aware(stamp: dt.datetime | None) -> dt.datetime | None:
    """SQLite returns naive datetimes; they were stored as UTC."""
    if stamp is not None and stamp.tzinfo is None:
        return stamp.replace(tzinfo=dt.UTC)
    return stamp


JOB_ACTIONS = ("create_job", "cancel_job")
"""Audit actions whose target is a job (the others' target is a roster)."""
AUDIT_ACTIONS = ("generate", "publish", *JOB_ACTIONS)


@dataclass(frozen=True)
class AuditEntry:
    """An audit event with the roster and job it concerns resolved."""

    event_id: int
    time: dt.datetime
    principal: str
    action: str
    roster_id: str
    job_id: str
    version: int
    site: str
    inputs_sha256: str


def _audit_entry(row: AuditRow, job_roster: str | None) -> AuditEntry:
    try:
        details = json.loads(row.details_json or "{}")
    except ValueError:
        details = {}
    if row.action in JOB_ACTIONS:
        job_id, roster_id = row.target, job_roster or str(details.get("roster_id") or "")
    else:
        job_id, roster_id = str(details.get("job_id") or ""), row.target
    return AuditEntry(
        event_id=row.id,
        time=_aware(row.time) or now(),
        principal=row.principal,
        action=row.action,
        roster_id=roster_id,
        job_id=job_id,
        version=row.version,
        site=row.site,
        inputs_sha256=row.inputs_sha256,
    )


def _decode_audit_token(token: str) -> int:
    try:
        padded = token + "=" * (-len(token) % 4)
        before = json.loads(base64.urlsafe_b64decode(padded.encode()))["before"]
        if not isinstance(before, int) or isinstance(before, bool):
            raise TypeError(before)
        return before
    except (ValueError, KeyError, TypeError) as exc:
        raise InputError(
            "ListAuditEventsRequest",
            [FieldProblem("page_token", token, "not a token this API issued")],
        ) from exc


class Repository:
    """Rosters, versions, jobs and audit events of all tenants."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    def close(self) -> None:
        """Release the connection pool."""
        self.engine.dispose()

    # -- rosters -----------------------------------------------------------------------------

    def find_version_by_request(self, tenant: str, request_id: str) -> RosterVersionRow | None:
        """The version an earlier GenerateRoster with this idempotency key created."""
        with self._sessions() as s:
            return s.scalars(
                select(RosterVersionRow).where(
                    RosterVersionRow.tenant == tenant, RosterVersionRow.request_id == request_id
                )
            ).first()

    def get_roster(self, tenant: str, roster_id: str) -> RosterRow:
        """The roster, or NOT_FOUND (also for another tenant's roster)."""
        with self._sessions() as s:
            return self._roster(s, tenant, roster_id)

    @staticmethod
    def _roster(s: Session, tenant: str, roster_id: str) -> RosterRow:
        row = s.get(RosterRow, roster_id)
        if row is None or row.tenant != tenant:
            raise NotFoundError(f"roster {roster_id!r} not found")
        return row

    def get_version(
        self, tenant: str, roster_id: str, version: int = 0
    ) -> tuple[RosterRow, RosterVersionRow]:
        """A version of a roster (``0`` = latest)."""
        with self._sessions() as s:
            roster = self._roster(s, tenant, roster_id)
            wanted = version or roster.latest_version
            row = s.scalars(
                select(RosterVersionRow).where(
                    RosterVersionRow.roster_id == roster_id, RosterVersionRow.version == wanted
                )
            ).first()
            if row is None:
                raise NotFoundError(
                    f"roster {roster_id!r} has no version {wanted} "
                    f"(latest is {roster.latest_version})"
                )
            return roster, row

    def published_version(self, tenant: str, roster_id: str) -> RosterVersionRow | None:
        """The published version of a roster, if any."""
        with self._sessions() as s:
            roster = self._roster(s, tenant, roster_id)
            if not roster.published_version:
                return None
            return s.scalars(
                select(RosterVersionRow).where(
                    RosterVersionRow.roster_id == roster_id,
                    RosterVersionRow.version == roster.published_version,
                )
            ).first()

    def add_version(self, new: NewVersion) -> tuple[RosterRow, RosterVersionRow]:
        """Store a solve's result as the next draft version (compare-and-set on the roster).

        Raises
        ------
        VersionConflictError
            If the roster's latest version is no longer ``new.based_on_version``.
        NotFoundError
            If ``new.roster_id`` names no roster of the tenant.
        """
        stamp = now()
        try:
            with self._sessions.begin() as s:
                if new.roster_id is None:
                    roster = RosterRow(
                        id=new_id(),
                        tenant=new.tenant,
                        site=new.site,
                        horizon_start=new.horizon_start,
                        days=new.days,
                        latest_version=1,
                        published_version=0,
                        created_by=new.principal,
                        create_time=stamp,
                        update_time=stamp,
                    )
                    s.add(roster)
                    s.flush()
                    version = 1
                else:
                    roster = self._roster(s, new.tenant, new.roster_id)
                    version = new.based_on_version + 1
                    done = s.execute(
                        update(RosterRow)
                        .where(
                            RosterRow.id == new.roster_id,
                            RosterRow.latest_version == new.based_on_version,
                        )
                        .values(latest_version=version, update_time=stamp)
                        .execution_options(synchronize_session=False)
                    )
                    if done.rowcount != 1:  # type: ignore[attr-defined]
                        raise VersionConflictError(
                            f"roster {new.roster_id!r} moved on: this solve was based on version "
                            f"{new.based_on_version}, but another change was stored first; "
                            "reload the roster and regenerate"
                        )
                    s.refresh(roster)
                row = RosterVersionRow(
                    roster_id=roster.id,
                    tenant=new.tenant,
                    version=version,
                    state=DRAFT,
                    result_json=new.result_json,
                    kpis_json=new.kpis_json,
                    inputs_sha256=new.inputs_sha256,
                    request_id=new.request_id,
                    job_id=new.job_id,
                    created_by=new.principal,
                    create_time=stamp,
                )
                s.add(row)
                s.add(
                    AuditRow(
                        time=stamp,
                        tenant=new.tenant,
                        principal=new.principal,
                        action="generate",
                        target=roster.id,
                        version=version,
                        inputs_sha256=new.inputs_sha256,
                        details_json=json.dumps({"job_id": new.job_id, "site": new.site}),
                        site=new.site,
                    )
                )
            return roster, row
        except IntegrityError:
            if new.request_id is not None:
                found = self.find_version_by_request(new.tenant, new.request_id)
                if found is not None:
                    return self.get_version(new.tenant, found.roster_id, found.version)
            raise VersionConflictError(
                f"roster {new.roster_id!r}: a concurrent change stored version "
                f"{new.based_on_version + 1} first; reload and regenerate"
            ) from None

    def publish(
        self, tenant: str, principal: str, roster_id: str, version: int
    ) -> tuple[RosterRow, RosterVersionRow]:
        """Publish ``version`` if it is still the latest (idempotent for the published one)."""
        stamp = now()
        with self._sessions.begin() as s:
            roster = self._roster(s, tenant, roster_id)
            if version <= 0:
                raise InputError(
                    "PublishRosterRequest",
                    [FieldProblem("version", version, "give the version you reviewed (>= 1)")],
                )
            if version > roster.latest_version:
                raise NotFoundError(
                    f"roster {roster_id!r} has no version {version} "
                    f"(latest is {roster.latest_version})"
                )
            if roster.published_version == version:
                row = s.scalars(
                    select(RosterVersionRow).where(
                        RosterVersionRow.roster_id == roster_id, RosterVersionRow.version == version
                    )
                ).one()
                return roster, row
            if version != roster.latest_version:
                raise VersionConflictError(
                    f"roster {roster_id!r}: version {version} is stale, the latest is "
                    f"{roster.latest_version}; review it and publish that"
                )
            done = s.execute(
                update(RosterRow)
                .where(RosterRow.id == roster_id, RosterRow.latest_version == version)
                .values(published_version=version, update_time=stamp)
                .execution_options(synchronize_session=False)
            )
            if done.rowcount != 1:  # type: ignore[attr-defined]
                raise VersionConflictError(
                    f"roster {roster_id!r} changed while publishing version {version}; reload"
                )
            s.execute(
                update(RosterVersionRow)
                .where(RosterVersionRow.roster_id == roster_id, RosterVersionRow.state == PUBLISHED)
                .values(state=SUPERSEDED)
                .execution_options(synchronize_session=False)
            )
            s.execute(
                update(RosterVersionRow)
                .where(RosterVersionRow.roster_id == roster_id, RosterVersionRow.version == version)
                .values(state=PUBLISHED, published_by=principal, publish_time=stamp)
                .execution_options(synchronize_session=False)
            )
            row = s.scalars(
                select(RosterVersionRow).where(
                    RosterVersionRow.roster_id == roster_id, RosterVersionRow.version == version
                )
            ).one()
            s.add(
                AuditRow(
                    time=stamp,
                    tenant=tenant,
                    principal=principal,
                    action="publish",
                    target=roster_id,
                    version=version,
                    inputs_sha256=row.inputs_sha256,
                    details_json="{}",
                    site=roster.site,
                )
            )
            s.flush()
            s.refresh(roster)
            s.refresh(row)
            return roster, row

    def list_rosters(
        self,
        tenant: str,
        *,
        sites: Iterable[str] | None,
        site: str = "",
        page_size: int = 50,
        page_token: str = "",
    ) -> tuple[list[RosterRow], str]:
        """A page of rosters, newest first; ``sites=None`` means every site of the tenant."""
        query = select(RosterRow).where(RosterRow.tenant == tenant)
        if sites is not None:
            query = query.where(RosterRow.site.in_(list(sites)))
        if site:
            query = query.where(RosterRow.site == site)
        if page_token:
            stamp, last_id = _decode_page_token(page_token)
            query = query.where(
                (RosterRow.create_time < stamp)
                | ((RosterRow.create_time == stamp) & (RosterRow.id < last_id))
            )
        query = query.order_by(RosterRow.create_time.desc(), RosterRow.id.desc()).limit(
            page_size + 1
        )
        with self._sessions() as s:
            rows = list(s.scalars(query))
        token = ""
        if len(rows) > page_size:
            rows = rows[:page_size]
            last = rows[-1]
            token = _encode_page_token(_aware(last.create_time) or now(), last.id)
        return rows, token

    # -- jobs --------------------------------------------------------------------------------

    def create_job(self, row: JobRow) -> tuple[JobRow, bool]:
        """Insert a job; returns ``(job, created)`` (the existing one for a repeated request)."""
        if row.request_id:
            existing = self.find_job_by_request(row.tenant, row.request_id)
            if existing is not None:
                return existing, False
        try:
            with self._sessions.begin() as s:
                s.add(row)
                s.add(
                    AuditRow(
                        time=row.create_time,
                        tenant=row.tenant,
                        principal=row.created_by,
                        action="create_job",
                        target=row.id,
                        version=row.expected_version,
                        inputs_sha256=row.inputs_sha256,
                        details_json=json.dumps({"roster_id": row.roster_id, "site": row.site}),
                        site=row.site,
                    )
                )
            return row, True
        except IntegrityError:
            if row.request_id:
                existing = self.find_job_by_request(row.tenant, row.request_id)
                if existing is not None:
                    return existing, False
            raise

    def find_job_by_request(self, tenant: str, request_id: str) -> JobRow | None:
        """The job an earlier CreateRosterJob with this idempotency key created."""
        with self._sessions() as s:
            return s.scalars(
                select(JobRow).where(JobRow.tenant == tenant, JobRow.request_id == request_id)
            ).first()

    def get_job(self, tenant: str | None, job_id: str) -> JobRow:
        """A job of the tenant (``None`` = any tenant, for the server itself)."""
        with self._sessions() as s:
            row = s.get(JobRow, job_id)
            if row is None or (tenant is not None and row.tenant != tenant):
                raise NotFoundError(f"job {job_id!r} not found")
            return row

    def update_job(self, job_id: str, **values: Any) -> JobRow:
        """Set columns of a job and return it."""
        with self._sessions.begin() as s:
            row = s.get(JobRow, job_id)
            if row is None:
                raise NotFoundError(f"job {job_id!r} not found")
            for key, value in values.items():
                setattr(row, key, value)
            return row

    def interrupt_active_jobs(
        self, *, replica: str | None = None, stale_before: dt.datetime | None = None
    ) -> int:
        """Mark queued or running jobs INTERRUPTED: all of them by default (one server), else
        those of ``replica`` (a restarted replica's own) and those whose runner has not sent a
        heartbeat since ``stale_before`` (a replica that died)."""
        query = update(JobRow).where(JobRow.state.in_(ACTIVE_JOB_STATES))
        if replica is not None or stale_before is not None:
            gone: list[ColumnElement[bool]] = [JobRow.heartbeat_time.is_(None)]
            if stale_before is not None:
                gone.append(JobRow.heartbeat_time < stale_before)
            if replica is not None:
                gone.append(JobRow.replica == replica)
            query = query.where(or_(*gone))
        with self._sessions.begin() as s:
            done = s.execute(
                query.values(
                    state="INTERRUPTED",
                    error="the server stopped while this job was queued or running; create it anew",
                    error_code="ABORTED",
                    end_time=now(),
                ).execution_options(synchronize_session=False)
            )
            return int(done.rowcount)  # type: ignore[attr-defined]

    def request_cancel(self, tenant: str, job_id: str) -> JobRow:
        """Flag a queued or running job for cancellation (the replica running it polls)."""
        with self._sessions.begin() as s:
            s.execute(
                update(JobRow)
                .where(
                    JobRow.id == job_id,
                    JobRow.tenant == tenant,
                    JobRow.state.in_(ACTIVE_JOB_STATES),
                )
                .values(cancel_requested=True)
                .execution_options(synchronize_session=False)
            )
        return self.get_job(tenant, job_id)

    def poll_running_jobs(self, job_ids: Iterable[str], replica: str) -> set[str]:
        """Heartbeat for the jobs this replica runs; returns those someone asked to cancel."""
        ids = list(job_ids)
        if not ids:
            return set()
        with self._sessions.begin() as s:
            s.execute(
                update(JobRow)
                .where(JobRow.id.in_(ids))
                .values(heartbeat_time=now(), replica=replica)
                .execution_options(synchronize_session=False)
            )
            return set(
                s.scalars(
                    select(JobRow.id).where(JobRow.id.in_(ids), JobRow.cancel_requested.is_(True))
                )
            )

    # -- audit -------------------------------------------------------------------------------

    def audit(
        self,
        tenant: str,
        principal: str,
        action: str,
        target: str,
        *,
        version: int = 0,
        inputs_sha256: str = "",
        site: str = "",
        details: dict[str, Any] | None = None,
    ) -> None:
        """Record an event in the audit trail."""
        with self._sessions.begin() as s:
            s.add(
                AuditRow(
                    time=now(),
                    tenant=tenant,
                    principal=principal,
                    action=action,
                    target=target,
                    version=version,
                    inputs_sha256=inputs_sha256,
                    details_json=json.dumps(details or {}),
                    site=site,
                )
            )

    def list_audit_events(
        self,
        tenant: str,
        *,
        sites: Iterable[str] | None,
        roster_id: str = "",
        action: str = "",
        page_size: int = 50,
        page_token: str = "",
    ) -> tuple[list[AuditEntry], str]:
        """A page of the tenant's audit trail, newest first; ``sites=None`` means every site.

        ``roster_id`` keeps the roster's own events and those of the jobs that write to it.
        """
        query = (
            select(AuditRow, JobRow.roster_id)
            .outerjoin(JobRow, (JobRow.id == AuditRow.target) & (JobRow.tenant == AuditRow.tenant))
            .where(AuditRow.tenant == tenant)
        )
        if sites is not None:
            query = query.where(AuditRow.site.in_(list(sites)))
        if roster_id:
            query = query.where((AuditRow.target == roster_id) | (JobRow.roster_id == roster_id))
        if action:
            query = query.where(AuditRow.action == action)
        if page_token:
            query = query.where(AuditRow.id < _decode_audit_token(page_token))
        query = query.order_by(AuditRow.id.desc()).limit(page_size + 1)
        with self._sessions() as s:
            found = [(row, job_roster) for row, job_roster in s.execute(query)]
        entries = [_audit_entry(row, job_roster) for row, job_roster in found[:page_size]]
        token = ""
        if len(found) > page_size:
            raw = json.dumps({"before": entries[-1].event_id}).encode()
            token = base64.urlsafe_b64encode(raw).decode().rstrip("=")
        return entries, token

    def audit_events(self, tenant: str, target: str | None = None) -> list[AuditRow]:
        """The tenant's audit trail, oldest first (optionally for one roster or job)."""
        query = select(AuditRow).where(AuditRow.tenant == tenant)
        if target is not None:
            query = query.where(AuditRow.target == target)
        with self._sessions() as s:
            return list(s.scalars(query.order_by(AuditRow.id)))
