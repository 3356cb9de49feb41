"""The repository against SQLite and a real PostgreSQL: migrations, versions, locking, jobs."""

from __future__ import annotations

import datetime as dt
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, event, inspect, text

from scheduler.roster.result import Result, Roster, SolveStatus
from scheduler.service.errors import NotFoundError, VersionConflictError
from scheduler.service.store import Repository, open_repository
from scheduler.service.store.migrations import LATEST_VERSION, current_version, upgrade
from scheduler.service.store.models import Base, JobRow
from scheduler.service.store.repository import NewVersion, _encode_page_token, new_id, now


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh empty database of each kind."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'wfm.db'}"
        return
    base = request.getfixturevalue("postgres_url")
    name = "wfm_" + uuid.uuid4().hex[:12]
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield base.rsplit("/", 1)[0] + "/" + name
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def repo(db_url: str) -> Iterator[Repository]:
    """A migrated repository."""
    r = open_repository(db_url)
    yield r
    r.close()


def result_json(note: str = "") -> str:
    """A minimal feasible result (an empty one-day roster)."""
    roster = Roster(horizon_start=dt.date(2025, 3, 3), days=1, interval_minutes=30)
    return Result(
        status=SolveStatus.FEASIBLE, objective=1.0, roster=roster, messages=(note,)
    ).model_dump_json()


def new_version(
    roster_id: str | None = None, based_on: int = 0, tenant: str = "acme", **extra: object
) -> NewVersion:
    """A NewVersion for site lisbon."""
    fields: dict[str, object] = {
        "tenant": tenant,
        "principal": "alice",
        "roster_id": roster_id,
        "based_on_version": based_on,
        "site": "lisbon",
        "horizon_start": "2025-03-03",
        "days": 1,
        "result_json": result_json(),
        "kpis_json": "[]",
        "inputs_sha256": "0" * 64,
    }
    fields.update(extra)
    return NewVersion(**fields)  # type: ignore[arg-type]


def test_migrations_match_models(db_url: str) -> None:
    """Upgrading an empty database reaches the latest version, twice is a no-op, and the
    migrated tables have exactly the models' columns."""
    r = open_repository(db_url)
    try:
        assert upgrade(r.engine) == []
        with r.engine.connect() as conn:
            assert current_version(conn) == LATEST_VERSION
            inspector = inspect(conn)
            for table in Base.metadata.sorted_tables:
                migrated = {c["name"] for c in inspector.get_columns(table.name)}
                assert migrated == {c.name for c in table.columns}, table.name
                indexes = {
                    (i["name"], tuple(i["column_names"]))
                    for i in inspector.get_indexes(table.name)
                    if not i.get("duplicates_constraint")
                }
                modelled = {(i.name, tuple(c.name for c in i.columns)) for i in table.indexes}
                assert indexes == modelled, table.name
    finally:
        r.close()


def test_versions_and_optimistic_lock(repo: Repository) -> None:
    """New roster -> v1; a regeneration based on v1 -> v2; another based on v1 is refused."""
    roster, v1 = repo.add_version(new_version())
    assert (roster.latest_version, v1.version, v1.state) == (1, 1, "DRAFT")
    roster, v2 = repo.add_version(new_version(roster.id, based_on=1))
    assert v2.version == 2
    with pytest.raises(VersionConflictError):
        repo.add_version(new_version(roster.id, based_on=1))
    assert repo.get_roster("acme", roster.id).latest_version == 2


def test_two_concurrent_regenerations_one_wins(repo: Repository) -> None:
    """Two writers based on the same version at the same moment: exactly one is stored."""
    roster, _ = repo.add_version(new_version())
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def regenerate() -> None:
        barrier.wait()
        try:
            repo.add_version(new_version(roster.id, based_on=1))
            outcomes.append("stored")
        except VersionConflictError:
            outcomes.append("aborted")

    threads = [threading.Thread(target=regenerate) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["aborted", "stored"]
    assert repo.get_roster("acme", roster.id).latest_version == 2


def test_publish_lifecycle(repo: Repository) -> None:
    """Publishing a stale version is refused; the latest publishes; a later publish supersedes."""
    roster, _ = repo.add_version(new_version())
    repo.add_version(new_version(roster.id, based_on=1))
    with pytest.raises(VersionConflictError):
        repo.publish("acme", "bob", roster.id, 1)
    roster, v2 = repo.publish("acme", "bob", roster.id, 2)
    assert (roster.published_version, v2.state, v2.published_by) == (2, "PUBLISHED", "bob")
    assert repo.publish("acme", "bob", roster.id, 2)[1].state == "PUBLISHED"  # idempotent
    repo.add_version(new_version(roster.id, based_on=2))
    repo.publish("acme", "carol", roster.id, 3)
    assert repo.get_version("acme", roster.id, 2)[1].state == "SUPERSEDED"
    assert repo.published_version("acme", roster.id).version == 3  # type: ignore[union-attr]
    actions = [(e.action, e.version) for e in repo.audit_events("acme", roster.id)]
    assert actions == [
        ("generate", 1),
        ("generate", 2),
        ("publish", 2),
        ("generate", 3),
        ("publish", 3),
    ]


def test_tenants_are_isolated(repo: Repository) -> None:
    """Another tenant's roster and job are not found, and never listed."""
    roster, _ = repo.add_version(new_version(tenant="acme"))
    with pytest.raises(NotFoundError):
        repo.get_version("globex", roster.id)
    with pytest.raises(NotFoundError):
        repo.add_version(new_version(roster.id, based_on=1, tenant="globex"))
    assert repo.list_rosters("globex", sites=None)[0] == []


def test_idempotent_by_request_id(repo: Repository) -> None:
    """The same request id stores once and finds the first result."""
    roster, _ = repo.add_version(new_version(request_id="req-1"))
    found = repo.find_version_by_request("acme", "req-1")
    assert found is not None and (found.roster_id, found.version) == (roster.id, 1)
    again_roster, again = repo.add_version(new_version(request_id="req-1"))
    assert (again_roster.id, again.version) == (roster.id, 1)
    assert repo.find_version_by_request("globex", "req-1") is None


def test_list_pagination(repo: Repository) -> None:
    """Pages of 2 over 5 rosters, newest first, no duplicates, site filter and scopes."""
    ids = [repo.add_version(new_version())[0].id for _ in range(4)]
    ids.append(repo.add_version(new_version(site="porto"))[0].id)
    seen: list[str] = []
    token = ""
    while True:
        rows, token = repo.list_rosters("acme", sites=None, page_size=2, page_token=token)
        seen += [r.id for r in rows]
        if not token:
            break
    assert sorted(seen) == sorted(ids) and len(seen) == 5
    assert seen[0] == ids[-1]
    assert len(repo.list_rosters("acme", sites=None, site="porto")[0]) == 1
    assert len(repo.list_rosters("acme", sites=["lisbon"])[0]) == 4


def _job(request_id: str | None = None, state: str = "QUEUED") -> JobRow:
    return JobRow(
        id=new_id(),
        tenant="acme",
        site="lisbon",
        request_id=request_id,
        state=state,
        roster_id="",
        expected_version=0,
        version=0,
        input_blob="",
        inputs_sha256="0" * 64,
        error="",
        error_code="",
        clashes_json="[]",
        created_by="alice",
        create_time=now(),
    )


def test_jobs_idempotent_and_interrupted_on_restart(repo: Repository) -> None:
    """A repeated request id returns the first job; a restart interrupts unfinished jobs only."""
    first, created = repo.create_job(_job("job-req"))
    assert created
    again, created = repo.create_job(_job("job-req"))
    assert not created and again.id == first.id
    running, _ = repo.create_job(_job(state="RUNNING"))
    done, _ = repo.create_job(_job(state="SUCCEEDED"))
    assert repo.interrupt_active_jobs() == 2
    assert repo.get_job("acme", first.id).state == "INTERRUPTED"
    assert repo.get_job("acme", running.id).state == "INTERRUPTED"
    assert repo.get_job("acme", done.id).state == "SUCCEEDED"
    with pytest.raises(NotFoundError):
        repo.get_job("globex", first.id)


def test_replicas_interrupt_only_their_own_or_abandoned_jobs(repo: Repository) -> None:
    """A starting replica interrupts its own leftover jobs and jobs without a recent heartbeat,
    never a job another live replica is running; cancel requests are flagged and polled."""
    fresh, _ = repo.create_job(_job(state="RUNNING"))
    mine, _ = repo.create_job(_job(state="RUNNING"))
    stale, _ = repo.create_job(_job(state="RUNNING"))
    assert repo.poll_running_jobs([fresh.id], "replica-a") == set()
    repo.poll_running_jobs([mine.id], "replica-b")
    repo.update_job(stale.id, heartbeat_time=now() - dt.timedelta(minutes=5), replica="gone")
    cutoff = now() - dt.timedelta(seconds=30)
    assert repo.interrupt_active_jobs(replica="replica-b", stale_before=cutoff) == 2
    assert repo.get_job("acme", fresh.id).state == "RUNNING"
    assert repo.get_job("acme", mine.id).state == "INTERRUPTED"
    assert repo.get_job("acme", stale.id).state == "INTERRUPTED"

    flagged = repo.request_cancel("acme", fresh.id)
    assert flagged.cancel_requested and flagged.state == "RUNNING"
    assert repo.poll_running_jobs([fresh.id, mine.id], "replica-a") == {fresh.id}
    assert not repo.request_cancel("acme", mine.id).cancel_requested  # finished: left alone
    with pytest.raises(NotFoundError):
        repo.request_cancel("globex", fresh.id)


def test_list_rosters_pages_come_from_an_index_not_a_sort(tmp_path: Path) -> None:
    """Every ListRosters query (first page, next page, site-scoped) reads an index in page
    order: no temporary sort of all the tenant's rosters, which grew with every roster."""
    r = open_repository(f"sqlite:///{tmp_path / 'wfm.db'}")
    statements: list[tuple[str, object]] = []

    @event.listens_for(r.engine, "before_cursor_execute")
    def _grab(_c: object, _cur: object, statement: str, params: object, *_: object) -> None:
        if "FROM rosters" in statement:
            statements.append((statement, params))

    try:
        first = r.add_version(new_version())[0]
        token = _encode_page_token(first.create_time, first.id)
        r.list_rosters("acme", sites=None, page_size=20)
        r.list_rosters("acme", sites=None, page_size=20, page_token=token)
        r.list_rosters("acme", sites=["lisbon"], site="lisbon", page_size=20)
        event.remove(r.engine, "before_cursor_execute", _grab)
        pages = [(q, p) for q, p in statements if "ORDER BY" in q]
        assert len(pages) == 3
        with r.engine.connect() as conn:
            for statement, params in pages:
                plan = [
                    row[-1]
                    for row in conn.exec_driver_sql(
                        "EXPLAIN QUERY PLAN " + statement,
                        params,  # type: ignore[arg-type]
                    )
                ]
                assert not any("TEMP B-TREE" in step for step in plan), (statement, plan)
                assert any("ix_rosters_tenant_create_time" in step for step in plan), plan
    finally:
        r.close()
