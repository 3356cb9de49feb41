"""Roster RPCs with real solves: generate, idempotency, versions, publish, locking, validate."""

from __future__ import annotations

import threading
import time

import grpc
import pytest

from scheduler.service.testing import PIPELINE_PROBLEM, Client, auth, roster_input, tiny_forecast
from scheduler.v1 import roster_pb2, roster_service_pb2, staffing_service_pb2

pytestmark = pytest.mark.skipif(PIPELINE_PROBLEM is not None, reason=str(PIPELINE_PROBLEM))

PLANNER = auth("planner-a")


def generate(client: Client, **kwargs: object) -> roster_pb2.RosterVersion:
    """GenerateRoster for the tiny scenario; returns the stored version."""
    request_id = str(kwargs.pop("request_id", ""))
    reply = client.rosters.GenerateRoster(
        roster_service_pb2.GenerateRosterRequest(
            request_id=request_id,
            input=roster_input(**kwargs),  # type: ignore[arg-type]
        ),
        metadata=PLANNER,
        timeout=60,
    )
    return reply.roster


def test_generate_returns_a_stored_feasible_roster(client: Client) -> None:
    """A tiny week solves; the draft is stored and readable with GetRoster."""
    version = generate(client)
    assert version.version == 1
    assert version.state == roster_pb2.ROSTER_STATE_DRAFT
    assert version.solve.status in (
        roster_pb2.SOLVE_STATUS_OPTIMAL,
        roster_pb2.SOLVE_STATUS_FEASIBLE,
    )
    assert version.roster.shifts, "the roster has shifts"
    assert {s.agent for s in version.roster.shifts} <= {"A1", "A2", "A3"}
    assert version.created_by == "planner-a"
    assert len(version.inputs_sha256) == 64
    got = client.rosters.GetRoster(
        roster_service_pb2.GetRosterRequest(roster_id=version.roster_id),
        metadata=auth("viewer-a"),
        timeout=10,
    ).roster
    assert got.roster == version.roster


def test_generate_is_idempotent_by_request_id(client: Client) -> None:
    """Repeating a request id returns the first result without solving again."""
    first = generate(client, request_id="idem-1")
    again = generate(client, request_id="idem-1")
    assert (again.roster_id, again.version) == (first.roster_id, first.version)


def test_regenerate_publish_and_stale_versions(client: Client) -> None:
    """v1 -> publish; regenerate on v1 -> v2 with a diff; publishing v1 now is ABORTED."""
    v1 = generate(client)
    client.rosters.PublishRoster(
        roster_service_pb2.PublishRosterRequest(roster_id=v1.roster_id, version=1),
        metadata=PLANNER,
        timeout=10,
    )
    v2 = generate(client, roster_id=v1.roster_id, expected_version=1)
    assert v2.version == 2 and v2.state == roster_pb2.ROSTER_STATE_DRAFT
    with pytest.raises(grpc.RpcError) as info:
        generate(client, roster_id=v1.roster_id, expected_version=1)
    assert info.value.code() == grpc.StatusCode.ABORTED
    # Publishing the stale v1 again is a no-op (it is the published one); publishing v2 works.
    published = client.rosters.PublishRoster(
        roster_service_pb2.PublishRosterRequest(roster_id=v1.roster_id, version=2),
        metadata=PLANNER,
        timeout=10,
    ).roster
    assert published.state == roster_pb2.ROSTER_STATE_PUBLISHED
    old = client.rosters.GetRoster(
        roster_service_pb2.GetRosterRequest(roster_id=v1.roster_id, version=1),
        metadata=PLANNER,
        timeout=10,
    ).roster
    assert old.state == roster_pb2.ROSTER_STATE_SUPERSEDED


def test_publish_stale_version_is_aborted(client: Client) -> None:
    """A planner who reviewed v1 cannot publish it once v2 exists."""
    v1 = generate(client)
    generate(client, roster_id=v1.roster_id, expected_version=1)
    with pytest.raises(grpc.RpcError) as info:
        client.rosters.PublishRoster(
            roster_service_pb2.PublishRosterRequest(roster_id=v1.roster_id, version=1),
            metadata=PLANNER,
            timeout=10,
        )
    assert info.value.code() == grpc.StatusCode.ABORTED
    assert "latest is 2" in (info.value.details() or "")


def test_two_concurrent_regenerations_one_wins(client: Client) -> None:
    """Two planners regenerate the same version at once: one is stored, the other ABORTED."""
    v1 = generate(client)
    codes: list[grpc.StatusCode] = []

    def regenerate() -> None:
        try:
            generate(client, roster_id=v1.roster_id, expected_version=1, time_limit=2.0)
            codes.append(grpc.StatusCode.OK)
        except grpc.RpcError as err:
            codes.append(err.code())

    threads = [threading.Thread(target=regenerate) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(c.name for c in codes) == ["ABORTED", "OK"]
    latest = client.rosters.GetRoster(
        roster_service_pb2.GetRosterRequest(roster_id=v1.roster_id), metadata=PLANNER, timeout=10
    ).roster
    assert latest.version == 2


def test_other_tenant_cannot_see_or_touch(client: Client) -> None:
    """globex's planner gets NOT_FOUND for acme's roster and never lists it."""
    v1 = generate(client)
    other = auth("planner-b")
    for call, request in (
        (client.rosters.GetRoster, roster_service_pb2.GetRosterRequest(roster_id=v1.roster_id)),
        (
            client.rosters.PublishRoster,
            roster_service_pb2.PublishRosterRequest(roster_id=v1.roster_id, version=1),
        ),
    ):
        with pytest.raises(grpc.RpcError) as info:
            call(request, metadata=other, timeout=10)
        assert info.value.code() == grpc.StatusCode.NOT_FOUND
    listed = client.rosters.ListRosters(
        roster_service_pb2.ListRostersRequest(page_size=500), metadata=other, timeout=10
    )
    assert v1.roster_id not in {r.roster_id for r in listed.rosters}


def test_list_rosters_paginates(client: Client) -> None:
    """Pages of one walk every roster of the site once."""
    for _ in range(2):
        generate(client, site="faro")
    seen: list[str] = []
    token = ""
    while True:
        page = client.rosters.ListRosters(
            roster_service_pb2.ListRostersRequest(page_size=1, page_token=token, site="faro"),
            metadata=auth("viewer-a"),
            timeout=10,
        )
        seen += [r.roster_id for r in page.rosters]
        token = page.next_page_token
        if not token:
            break
    assert len(seen) == len(set(seen)) >= 2


def test_deadline_clamps_the_time_limit(client: Client) -> None:
    """A 60 s time limit with a 3 s deadline answers in time, and says it was clamped."""
    started = time.monotonic()
    reply = client.rosters.GenerateRoster(
        roster_service_pb2.GenerateRosterRequest(input=roster_input(time_limit=60.0)),
        metadata=PLANNER,
        timeout=3.0,
    )
    assert time.monotonic() - started < 3.0
    assert any("clamped" in m for m in reply.roster.solve.messages)


def test_too_short_deadline_is_refused(client: Client) -> None:
    """A deadline that leaves no time to solve is DEADLINE_EXCEEDED at once, not INTERNAL."""
    with pytest.raises(grpc.RpcError) as info:
        client.rosters.GenerateRoster(
            roster_service_pb2.GenerateRosterRequest(input=roster_input()),
            metadata=PLANNER,
            timeout=0.25,
        )
    assert info.value.code() == grpc.StatusCode.DEADLINE_EXCEEDED


def test_validate_stored_and_broken_rosters(client: Client) -> None:
    """A generated roster validates clean; one with a shift for an unknown agent does not."""
    v1 = generate(client)
    request = roster_service_pb2.ValidateRosterRequest(
        scenario=roster_input().scenario, roster_id=v1.roster_id
    )
    reply = client.rosters.ValidateRoster(request, metadata=auth("viewer-a"), timeout=30)
    assert reply.valid, reply.violations
    broken = roster_pb2.Roster()
    broken.CopyFrom(v1.roster)
    broken.shifts[0].start += 1
    broken.shifts[0].end += 1
    reply = client.rosters.ValidateRoster(
        roster_service_pb2.ValidateRosterRequest(
            scenario=roster_input().scenario, roster=broken, forecast=tiny_forecast()
        ),
        metadata=auth("viewer-a"),
        timeout=30,
    )
    assert not reply.valid and reply.violations
    assert reply.violations[0].agent == broken.shifts[0].agent


def test_requirements_round_trip(client: Client) -> None:
    """ComputeRequirements' rows feed GenerateRoster unchanged."""
    reqs = client.staffing.ComputeRequirements(
        staffing_service_pb2.ComputeRequirementsRequest(
            scenario=roster_input().scenario, forecast=tiny_forecast()
        ),
        metadata=auth("viewer-a"),
        timeout=30,
    ).requirements
    assert len(reqs) == 32 and all(r.queue == "voice" for r in reqs)
    inp = roster_input()
    del inp.forecast[:]
    inp.requirements.extend(reqs)
    reply = client.rosters.GenerateRoster(
        roster_service_pb2.GenerateRosterRequest(input=inp), metadata=PLANNER, timeout=60
    )
    assert reply.roster.roster.shifts
