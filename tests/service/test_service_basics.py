"""Server basics over real stubs: health, reflection, auth, the error model, empty listings."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import grpc
import pytest
from google.rpc import error_details_pb2
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection_pb2, reflection_pb2_grpc
from grpc_status import rpc_status

from scheduler.service.testing import (
    Client,
    ServerThread,
    auth,
    client_for,
    roster_input,
    tiny_forecast,
    tiny_scenario,
)
from scheduler.v1 import (
    demand_pb2,
    roster_service_pb2,
    scenario_pb2,
    staffing_service_pb2,
)


def bad_request(err: grpc.RpcError) -> dict[str, str]:
    """field -> description of the BadRequest details of an INVALID_ARGUMENT error."""
    status = rpc_status.from_call(err)  # type: ignore[arg-type]
    assert status is not None, "no google.rpc.Status details"
    fields = {}
    for detail in status.details:
        if detail.Is(error_details_pb2.BadRequest.DESCRIPTOR):
            info = error_details_pb2.BadRequest()
            detail.Unpack(info)
            fields.update({v.field: v.description for v in info.field_violations})
    return fields


def test_health_is_open_and_serving(shared_server: ServerThread) -> None:
    """Health needs no token and reports every service SERVING."""
    with grpc.insecure_channel(shared_server.address) as channel:
        stub = health_pb2_grpc.HealthStub(channel)
        for name in ("", "scheduler.v1.RosterService", "scheduler.v1.ForecastService"):
            reply = stub.Check(health_pb2.HealthCheckRequest(service=name), timeout=5)
            assert reply.status == health_pb2.HealthCheckResponse.SERVING


def test_reflection_lists_the_api(shared_server: ServerThread) -> None:
    """grpcurl-style discovery works without a token."""
    with grpc.insecure_channel(shared_server.address) as channel:
        stub = reflection_pb2_grpc.ServerReflectionStub(channel)
        replies = stub.ServerReflectionInfo(
            iter([reflection_pb2.ServerReflectionRequest(list_services="")]), timeout=5
        )
        names = {s.name for r in replies for s in r.list_services_response.service}
    assert {
        "scheduler.v1.RosterService",
        "scheduler.v1.StaffingService",
        "scheduler.v1.ForecastService",
        "grpc.health.v1.Health",
    } <= names


@pytest.mark.parametrize(
    "metadata, code",
    [
        ((), grpc.StatusCode.UNAUTHENTICATED),
        ((("authorization", "Bearer nope"),), grpc.StatusCode.UNAUTHENTICATED),
        ((("authorization", "Basic dXNlcg=="),), grpc.StatusCode.UNAUTHENTICATED),
        (auth("viewer-a"), grpc.StatusCode.PERMISSION_DENIED),
    ],
)
def test_generate_needs_a_planner_token(
    client: Client, metadata: tuple[tuple[str, str], ...], code: grpc.StatusCode
) -> None:
    """No token, a bad token or a viewer's token cannot generate rosters."""
    with pytest.raises(grpc.RpcError) as info:
        client.rosters.GenerateRoster(
            roster_service_pb2.GenerateRosterRequest(input=roster_input()),
            metadata=metadata,
            timeout=10,
        )
    assert info.value.code() == code


def test_viewer_can_list(client: Client) -> None:
    """Listing is a viewer's right; another tenant's rosters never show."""
    reply = client.rosters.ListRosters(
        roster_service_pb2.ListRostersRequest(), metadata=auth("viewer-a"), timeout=5
    )
    assert all(r.site for r in reply.rosters)


def test_site_scope_is_enforced(client: Client) -> None:
    """A token scoped to lisbon cannot roster porto."""
    with pytest.raises(grpc.RpcError) as info:
        client.rosters.GenerateRoster(
            roster_service_pb2.GenerateRosterRequest(input=roster_input(site="porto")),
            metadata=auth("planner-lisbon"),
            timeout=10,
        )
    assert info.value.code() == grpc.StatusCode.PERMISSION_DENIED
    assert "porto" in (info.value.details() or "")


def test_bad_scenario_names_each_field(client: Client) -> None:
    """INVALID_ARGUMENT with one BadRequest violation per bad field, paths as in the request."""
    scenario = tiny_scenario()
    scenario.agents[0].skills["chat"] = 1.0  # unknown queue
    scenario.agents[1].contract = "nope"  # unknown contract
    scenario.queues[0].goal.service_level = 1.5  # out of range
    request = roster_service_pb2.GenerateRosterRequest(
        input=roster_service_pb2.RosterInput(scenario=scenario, forecast=tiny_forecast())
    )
    with pytest.raises(grpc.RpcError) as info:
        client.rosters.GenerateRoster(request, metadata=auth("planner-a"), timeout=10)
    assert info.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    fields = bad_request(info.value)
    assert "input.scenario.agents[0].skills" in fields
    assert "chat" in fields["input.scenario.agents[0].skills"]
    assert "input.scenario.agents[1].contract" in fields
    assert any(f.startswith("input.scenario.queues[0].goal") for f in fields), fields


@pytest.mark.parametrize(
    "request_, field",
    [
        (roster_service_pb2.GenerateRosterRequest(), "input"),
        (
            roster_service_pb2.GenerateRosterRequest(
                input=roster_service_pb2.RosterInput(scenario=tiny_scenario())
            ),
            "input.requirements",
        ),
        (
            roster_service_pb2.GenerateRosterRequest(
                input=roster_service_pb2.RosterInput(
                    scenario=tiny_scenario(),
                    forecast=[demand_pb2.ForecastRow(queue="voice", ds="yesterday")],
                )
            ),
            "input.forecast[0].ds",
        ),
        (
            roster_service_pb2.GenerateRosterRequest(
                input=roster_service_pb2.RosterInput(
                    scenario=scenario_pb2.Scenario(site=scenario_pb2.Site(name="lisbon")),
                    forecast=tiny_forecast(),
                )
            ),
            "input.scenario.horizon",
        ),
    ],
)
def test_bad_input_is_never_internal(
    client: Client, request_: roster_service_pb2.GenerateRosterRequest, field: str
) -> None:
    """Empty and malformed requests get INVALID_ARGUMENT naming the field."""
    with pytest.raises(grpc.RpcError) as info:
        client.rosters.GenerateRoster(request_, metadata=auth("planner-a"), timeout=10)
    assert info.value.code() == grpc.StatusCode.INVALID_ARGUMENT, info.value.details()
    assert field in bad_request(info.value), bad_request(info.value)


def test_bad_options_and_tables(client: Client) -> None:
    """Options and table rows are checked before any work is queued."""
    request = roster_service_pb2.GenerateRosterRequest(input=roster_input())
    request.input.options.time_limit_seconds = -1
    request.input.options.workers = 0
    with pytest.raises(grpc.RpcError) as info:
        client.rosters.GenerateRoster(request, metadata=auth("planner-a"), timeout=10)
    fields = bad_request(info.value)
    assert {"input.options.time_limit_seconds", "input.options.workers"} <= set(fields)
    bad = staffing_service_pb2.ComputeRequirementsRequest(
        scenario=tiny_scenario(), forecast=[demand_pb2.ForecastRow(queue="", ds="2025-03-03")]
    )
    with pytest.raises(grpc.RpcError) as info:
        client.staffing.ComputeRequirements(bad, metadata=auth("viewer-a"), timeout=10)
    assert "forecast[0].queue" in bad_request(info.value)


def test_not_found(client: Client) -> None:
    """Unknown rosters and jobs are NOT_FOUND; empty ids are INVALID_ARGUMENT."""
    md = auth("viewer-a")
    for call, req in (
        (client.rosters.GetRoster, roster_service_pb2.GetRosterRequest(roster_id="missing")),
        (client.rosters.GetRosterJob, roster_service_pb2.GetRosterJobRequest(job_id="missing")),
    ):
        with pytest.raises(grpc.RpcError) as info:
            call(req, metadata=md, timeout=5)
        assert info.value.code() == grpc.StatusCode.NOT_FOUND
    with pytest.raises(grpc.RpcError) as info:
        client.rosters.GetRoster(roster_service_pb2.GetRosterRequest(), metadata=md, timeout=5)
    assert info.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    with pytest.raises(grpc.RpcError) as info:
        list(
            client.rosters.WatchRosterJob(
                roster_service_pb2.WatchRosterJobRequest(job_id="missing"), metadata=md, timeout=5
            )
        )
    assert info.value.code() == grpc.StatusCode.NOT_FOUND


def test_bad_page_token(client: Client) -> None:
    """A page token the API did not issue is INVALID_ARGUMENT, not INTERNAL."""
    with pytest.raises(grpc.RpcError) as info:
        client.rosters.ListRosters(
            roster_service_pb2.ListRostersRequest(page_token="garbage!"),
            metadata=auth("viewer-a"),
            timeout=5,
        )
    assert info.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert "page_token" in bad_request(info.value)


def test_fresh_server_bootstraps_an_admin_token(tmp_path: Path) -> None:
    """No configuration: a token is created (0600) and still required; it works."""
    server = ServerThread(data_dir=tmp_path / "fresh", workers=1, max_jobs=1).start()
    try:
        token_file = tmp_path / "fresh" / "admin-token"
        assert token_file.exists()
        assert stat.S_IMODE(os.stat(token_file).st_mode) == 0o600
        token = token_file.read_text().strip()
        c = client_for(server.address)
        with pytest.raises(grpc.RpcError) as info:
            c.rosters.ListRosters(roster_service_pb2.ListRostersRequest(), timeout=5)
        assert info.value.code() == grpc.StatusCode.UNAUTHENTICATED
        reply = c.rosters.ListRosters(
            roster_service_pb2.ListRostersRequest(), metadata=auth(token), timeout=5
        )
        assert list(reply.rosters) == []
        c.channel.close()
    finally:
        server.stop()
