"""RosterService.ListAuditEvents: who generated, published, created or cancelled what.

Planner and admin only; tenant- and site-isolated; paginated newest first; filtered by roster
(its own events and its jobs') and by action. The schema step that added ``site`` to old events
is checked on a version-1 database.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import grpc
import pytest
from google.rpc import error_details_pb2
from grpc_status import rpc_status
from sqlalchemy import create_engine, text

from scheduler.service.store import open_repository
from scheduler.service.store.migrations import MIGRATIONS
from scheduler.service.testing import PIPELINE_PROBLEM, Client, auth, roster_input
from scheduler.v1 import roster_pb2, roster_service_pb2

needs_engine = pytest.mark.skipif(PIPELINE_PROBLEM is not None, reason=str(PIPELINE_PROBLEM))

PLANNER = auth("planner-a")


def bad_request(err: grpc.RpcError) -> set[str]:
    """Fields named by the BadRequest details of an INVALID_ARGUMENT error."""
    status = rpc_status.from_call(err)  # type: ignore[arg-type]
    assert status is not None, "no google.rpc.Status details"
    fields: set[str] = set()
    for detail in status.details:
        if detail.Is(error_details_pb2.BadRequest.DESCRIPTOR):
            info = error_details_pb2.BadRequest()
            detail.Unpack(info)
            fields.update(v.field for v in info.field_violations)
    return fields


def list_events(
    client: Client, token: str = "planner-a", **fields: object
) -> roster_service_pb2.ListAuditEventsResponse:
    """One ListAuditEvents call."""
    return client.rosters.ListAuditEvents(
        roster_service_pb2.ListAuditEventsRequest(**fields),  # type: ignore[arg-type]
        metadata=auth(token),
        timeout=10,
    )


def generate(
    client: Client, token: str = "planner-a", **kwargs: object
) -> roster_pb2.RosterVersion:
    """GenerateRoster on the tiny scenario."""
    return client.rosters.GenerateRoster(
        roster_service_pb2.GenerateRosterRequest(input=roster_input(**kwargs)),  # type: ignore[arg-type]
        metadata=auth(token),
        timeout=60,
    ).roster


def finish_job(client: Client, inp: roster_service_pb2.RosterInput) -> roster_pb2.RosterJob:
    """Create a job and follow its stream to the final state."""
    job = client.rosters.CreateRosterJob(
        roster_service_pb2.CreateRosterJobRequest(input=inp), metadata=PLANNER, timeout=30
    ).job
    last = job
    for event in client.rosters.WatchRosterJob(
        roster_service_pb2.WatchRosterJobRequest(job_id=job.job_id), metadata=PLANNER, timeout=60
    ):
        if event.HasField("job"):
            last = event.job
    return last


@needs_engine
def test_a_rosters_trail_newest_first_and_paginated(client: Client) -> None:
    """generate v1, publish v1, a job regenerating it (v2): four events, the job's linked to
    the roster, newest first, in pages of two."""
    v1 = generate(client, site="audit-site")
    client.rosters.PublishRoster(
        roster_service_pb2.PublishRosterRequest(roster_id=v1.roster_id, version=1),
        metadata=PLANNER,
        timeout=10,
    )
    job = finish_job(client, roster_input(site="audit-site", roster_id=v1.roster_id))
    assert job.state == roster_pb2.JOB_STATE_SUCCEEDED and job.version == 2

    everything = list_events(client, roster_id=v1.roster_id)
    actions = [(e.action, e.version) for e in everything.events]
    assert actions == [("generate", 2), ("create_job", 1), ("publish", 1), ("generate", 1)]
    assert not everything.next_page_token
    newest = everything.events[0]
    assert newest.roster_id == v1.roster_id and newest.job_id == job.job_id
    assert newest.principal == "planner-a" and newest.site == "audit-site"
    assert len(newest.inputs_sha256) == 64 and newest.time.seconds > 0
    created = everything.events[1]
    assert (created.job_id, created.roster_id) == (job.job_id, v1.roster_id)
    assert everything.events[3].inputs_sha256 == v1.inputs_sha256
    ids = [e.event_id for e in everything.events]
    assert ids == sorted(ids, reverse=True)

    first = list_events(client, roster_id=v1.roster_id, page_size=2)
    assert [e.event_id for e in first.events] == ids[:2] and first.next_page_token
    second = list_events(
        client, roster_id=v1.roster_id, page_size=2, page_token=first.next_page_token
    )
    assert [e.event_id for e in second.events] == ids[2:] and not second.next_page_token

    published = list_events(client, roster_id=v1.roster_id, action="publish")
    assert [(e.action, e.principal) for e in published.events] == [("publish", "planner-a")]


@needs_engine
def test_tenants_and_sites_are_isolated(client: Client) -> None:
    """Another tenant's roster is NOT_FOUND and never listed; a site-scoped token lists only its
    sites' events and is PERMISSION_DENIED for another site's roster."""
    ours = generate(client, site="audit-porto")
    theirs = generate(client, token="planner-b", site="audit-porto")
    in_lisbon = generate(client, token="planner-lisbon", site="lisbon")
    with pytest.raises(grpc.RpcError) as info:
        list_events(client, token="planner-b", roster_id=ours.roster_id)
    assert info.value.code() == grpc.StatusCode.NOT_FOUND
    seen_by_b = {e.roster_id for e in list_events(client, token="planner-b", page_size=500).events}
    assert theirs.roster_id in seen_by_b and ours.roster_id not in seen_by_b

    lisbon_only = list_events(client, token="planner-lisbon", page_size=500).events
    assert {e.site for e in lisbon_only} == {"lisbon"}
    assert in_lisbon.roster_id in {e.roster_id for e in lisbon_only}
    with pytest.raises(grpc.RpcError) as info:
        list_events(client, token="planner-lisbon", roster_id=ours.roster_id)
    assert info.value.code() == grpc.StatusCode.PERMISSION_DENIED


def test_viewers_may_not_read_the_trail(client: Client) -> None:
    """The audit trail needs the planner role; no token is UNAUTHENTICATED."""
    with pytest.raises(grpc.RpcError) as info:
        list_events(client, token="viewer-a")
    assert info.value.code() == grpc.StatusCode.PERMISSION_DENIED
    with pytest.raises(grpc.RpcError) as info:
        client.rosters.ListAuditEvents(roster_service_pb2.ListAuditEventsRequest(), timeout=10)
    assert info.value.code() == grpc.StatusCode.UNAUTHENTICATED
    assert list_events(client, token="admin-a").ListFields() is not None


@pytest.mark.parametrize(
    ("fields", "bad_field"),
    [
        ({"page_size": -1}, "page_size"),
        ({"page_token": "not-a-token"}, "page_token"),
        ({"action": "delete"}, "action"),
    ],
)
def test_bad_requests_name_the_field(
    client: Client, fields: dict[str, Any], bad_field: str
) -> None:
    """Bad paging or filters are INVALID_ARGUMENT naming the field."""
    with pytest.raises(grpc.RpcError) as info:
        list_events(client, **fields)
    assert info.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert bad_field in bad_request(info.value)


def test_unknown_roster_is_not_found(client: Client) -> None:
    """Filtering by a roster id nobody has is NOT_FOUND."""
    with pytest.raises(grpc.RpcError) as info:
        list_events(client, roster_id="no-such-roster")
    assert info.value.code() == grpc.StatusCode.NOT_FOUND


def test_schema_step_backfills_the_site_of_old_events(tmp_path: Path) -> None:
    """Events written under schema version 1 get their roster's or job's site on upgrade."""
    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = create_engine(url)
    stamp = dt.datetime(2025, 3, 1, tzinfo=dt.UTC).isoformat()
    with engine.begin() as conn:
        MIGRATIONS[0][2](conn)
        conn.execute(
            text(
                "CREATE TABLE wfm_schema (version INTEGER PRIMARY KEY, "
                "description VARCHAR(256) NOT NULL, applied_at VARCHAR(40) NOT NULL)"
            )
        )
        conn.execute(text("INSERT INTO wfm_schema VALUES (1, 'initial', :t)"), {"t": stamp})
        conn.execute(
            text(
                "INSERT INTO rosters VALUES ('r1', 'acme', 'lisbon', '2025-03-03', 1, 1, 0, "
                "'alice', :t, :t)"
            ),
            {"t": stamp},
        )
        conn.execute(
            text(
                "INSERT INTO jobs (id, tenant, site, state, roster_id, expected_version, version, "
                "input_blob, inputs_sha256, error, error_code, clashes_json, created_by, "
                "create_time) VALUES ('j1', 'acme', 'porto', 'SUCCEEDED', '', 0, 0, '', '', '', "
                "'', '[]', 'alice', :t)"
            ),
            {"t": stamp},
        )
        for target, action in (("r1", "generate"), ("j1", "create_job"), ("gone", "publish")):
            conn.execute(
                text(
                    "INSERT INTO audit_events (time, tenant, principal, action, target, version, "
                    "inputs_sha256, details_json) VALUES (:t, 'acme', 'alice', :a, :g, 1, '', "
                    "'{}')"
                ),
                {"t": stamp, "a": action, "g": target},
            )
    engine.dispose()
    repo = open_repository(url)
    try:
        entries, _ = repo.list_audit_events("acme", sites=None)
        assert {(e.action, e.site) for e in entries} == {
            ("generate", "lisbon"),
            ("create_job", "porto"),
            ("publish", ""),
        }
        scoped, _ = repo.list_audit_events("acme", sites=["porto"])
        assert [(e.action, e.job_id) for e in scoped] == [("create_job", "j1")]
    finally:
        repo.close()
