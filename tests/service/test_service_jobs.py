"""Roster jobs: live progress, cancel, idempotency, admission control, crashed workers, restart."""

from __future__ import annotations

import itertools
import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import grpc
import pytest

from scheduler.service.testing import (
    PIPELINE_PROBLEM,
    Client,
    ServerThread,
    auth,
    busy_input,
    client_for,
    roster_input,
    write_tokens,
)
from scheduler.v1 import roster_pb2, roster_service_pb2

pytestmark = pytest.mark.skipif(PIPELINE_PROBLEM is not None, reason=str(PIPELINE_PROBLEM))

PLANNER = auth("planner-a")
TERMINAL = {
    roster_pb2.JOB_STATE_SUCCEEDED,
    roster_pb2.JOB_STATE_FAILED,
    roster_pb2.JOB_STATE_CANCELLED,
    roster_pb2.JOB_STATE_INTERRUPTED,
}


def create(client: Client, inp: roster_service_pb2.RosterInput, request_id: str = "") -> str:
    """Start a job; returns its id."""
    reply = client.rosters.CreateRosterJob(
        roster_service_pb2.CreateRosterJobRequest(request_id=request_id, input=inp),
        metadata=PLANNER,
        timeout=30,
    )
    assert reply.job.state == roster_pb2.JOB_STATE_QUEUED
    return reply.job.job_id


def watch(
    client: Client, job_id: str, timeout: float = 60
) -> Iterator[roster_service_pb2.WatchRosterJobResponse]:
    """The job's event stream."""
    return client.rosters.WatchRosterJob(
        roster_service_pb2.WatchRosterJobRequest(job_id=job_id), metadata=PLANNER, timeout=timeout
    )


def wait_terminal(client: Client, job_id: str, timeout: float = 60) -> roster_pb2.RosterJob:
    """Poll GetRosterJob until the job finishes."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = client.rosters.GetRosterJob(
            roster_service_pb2.GetRosterJobRequest(job_id=job_id), metadata=PLANNER, timeout=10
        ).job
        if job.state in TERMINAL:
            return job
        time.sleep(0.2)
    raise AssertionError(f"job {job_id} did not finish in {timeout} s")


def test_watch_streams_progress_then_the_final_state(client: Client) -> None:
    """The stream opens with the job, carries progress, and ends with SUCCEEDED + version."""
    job_id = create(client, busy_input(time_limit=2.0))
    events = list(watch(client, job_id))
    assert events[0].WhichOneof("event") == "job"
    progress = [e.progress for e in events if e.WhichOneof("event") == "progress"]
    assert progress, "at least one progress event"
    assert all(b.seconds >= a.seconds for a, b in itertools.pairwise(progress))
    final = events[-1].job
    assert final.state == roster_pb2.JOB_STATE_SUCCEEDED, final.error
    assert final.version == 1 and final.roster_id
    assert final.solve.status in (roster_pb2.SOLVE_STATUS_FEASIBLE, roster_pb2.SOLVE_STATUS_OPTIMAL)
    stored = client.rosters.GetRoster(
        roster_service_pb2.GetRosterRequest(roster_id=final.roster_id), metadata=PLANNER, timeout=10
    ).roster
    assert stored.job_id == job_id and stored.roster.shifts


def test_cancel_stops_the_search_and_keeps_the_best_roster(client: Client) -> None:
    """Cancelling a 60 s solve ends it within seconds; the best roster so far is kept."""
    job_id = create(client, busy_input(time_limit=60.0))
    started = time.monotonic()
    stream = watch(client, job_id, timeout=60)
    for event in stream:
        if event.WhichOneof("event") == "progress" and event.progress.phase not in (
            "precheck",
            "construct",
        ):
            break
    client.rosters.CancelRosterJob(
        roster_service_pb2.CancelRosterJobRequest(job_id=job_id), metadata=PLANNER, timeout=10
    )
    final = [e for e in stream if e.WhichOneof("event") == "job"][-1].job
    assert time.monotonic() - started < 30
    assert final.state == roster_pb2.JOB_STATE_CANCELLED, final.error
    assert final.version == 1, "the incumbent was stored as a draft"


def test_create_job_is_idempotent(client: Client) -> None:
    """The same request id returns the same job."""
    first = create(client, roster_input(), request_id="job-idem")
    again = client.rosters.CreateRosterJob(
        roster_service_pb2.CreateRosterJobRequest(request_id="job-idem", input=roster_input()),
        metadata=PLANNER,
        timeout=30,
    ).job
    assert again.job_id == first
    assert wait_terminal(client, first).state == roster_pb2.JOB_STATE_SUCCEEDED


def test_infeasible_job_fails_with_the_clashes(client: Client) -> None:
    """A job whose rules cannot hold fails with FAILED_PRECONDITION and says why."""
    inp = roster_input()
    # Working all 7 days of a week means both days of this 2-day horizon, but every agent has
    # the first day off: the contract and the time off clash for each of them.
    inp.scenario.contracts[0].max_days = 7
    inp.scenario.contracts[0].min_days = 7
    for agent in inp.scenario.agents:
        agent.time_off.append("2025-03-03")
    job_id = create(client, inp)
    job = wait_terminal(client, job_id)
    assert job.state == roster_pb2.JOB_STATE_FAILED
    assert job.error_code == "FAILED_PRECONDITION", job.error
    assert "A1" in job.error and "time off" in job.error.lower(), job.error


@pytest.fixture
def lone_server(tmp_path: Path) -> Iterator[ServerThread]:
    """A server with one worker and room for one task."""
    server = ServerThread(
        data_dir=tmp_path, auth_file=write_tokens(tmp_path / "tokens.json"), workers=1, max_jobs=1
    ).start()
    yield server
    server.stop()


def test_admission_and_crashed_worker(lone_server: ServerThread) -> None:
    """Full -> RESOURCE_EXHAUSTED; a killed worker fails its job; the server keeps serving."""
    c = client_for(lone_server.address)
    job_id = create(c, busy_input(time_limit=60.0))
    for event in watch(c, job_id):
        if event.WhichOneof("event") == "progress":
            break
    with pytest.raises(grpc.RpcError) as info:
        c.rosters.GenerateRoster(
            roster_service_pb2.GenerateRosterRequest(input=roster_input()),
            metadata=PLANNER,
            timeout=30,
        )
    assert info.value.code() == grpc.StatusCode.RESOURCE_EXHAUSTED
    assert lone_server.server is not None
    for pid in lone_server.server.pool.worker_pids():
        os.kill(pid, signal.SIGKILL)
    job = wait_terminal(c, job_id, timeout=30)
    assert job.state == roster_pb2.JOB_STATE_FAILED
    assert "died" in job.error and job.error_code == "UNAVAILABLE"
    reply = c.rosters.GenerateRoster(
        roster_service_pb2.GenerateRosterRequest(input=roster_input()),
        metadata=PLANNER,
        timeout=60,
    )
    assert reply.roster.roster.shifts, "a fresh worker serves the next solve"
    c.channel.close()


def test_restart_keeps_rosters_and_interrupts_running_jobs(tmp_path: Path) -> None:
    """Stop a server mid-job; a new one on the same data keeps rosters and the job's record."""
    tokens = write_tokens(tmp_path / "tokens.json")
    first = ServerThread(data_dir=tmp_path, auth_file=tokens, workers=1, max_jobs=2).start()
    c = client_for(first.address)
    v1 = c.rosters.GenerateRoster(
        roster_service_pb2.GenerateRosterRequest(input=roster_input()), metadata=PLANNER, timeout=60
    ).roster
    c.rosters.PublishRoster(
        roster_service_pb2.PublishRosterRequest(roster_id=v1.roster_id, version=1),
        metadata=PLANNER,
        timeout=10,
    )
    job_id = create(c, busy_input(time_limit=60.0))
    for event in watch(c, job_id):
        if event.WhichOneof("event") == "progress":
            break
    c.channel.close()
    first.stop(grace=2.0)

    second = ServerThread(data_dir=tmp_path, auth_file=tokens, workers=1, max_jobs=2).start()
    try:
        c = client_for(second.address)
        got = c.rosters.GetRoster(
            roster_service_pb2.GetRosterRequest(roster_id=v1.roster_id),
            metadata=PLANNER,
            timeout=10,
        ).roster
        assert got.state == roster_pb2.ROSTER_STATE_PUBLISHED and got.roster == v1.roster
        job = c.rosters.GetRosterJob(
            roster_service_pb2.GetRosterJobRequest(job_id=job_id), metadata=PLANNER, timeout=10
        ).job
        assert job.state == roster_pb2.JOB_STATE_INTERRUPTED, job
        c.channel.close()
    finally:
        second.stop()
