"""Two replicas sharing one database: a cancel sent to the replica that is not running the job
stops the search on the one that is; a replica starting up leaves the other's jobs alone."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from scheduler.service.testing import (
    PIPELINE_PROBLEM,
    Client,
    ServerThread,
    auth,
    busy_input,
    client_for,
    write_tokens,
)
from scheduler.v1 import roster_pb2, roster_service_pb2

pytestmark = pytest.mark.skipif(PIPELINE_PROBLEM is not None, reason=str(PIPELINE_PROBLEM))

PLANNER = auth("planner-a")


def get_job(client: Client, job_id: str) -> roster_pb2.RosterJob:
    """GetRosterJob."""
    return client.rosters.GetRosterJob(
        roster_service_pb2.GetRosterJobRequest(job_id=job_id), metadata=PLANNER, timeout=10
    ).job


def test_cancel_reaches_the_replica_running_the_job(
    shared_server: ServerThread, client: Client, tmp_path: Path
) -> None:
    """Replica A runs a 30 s search; replica B (same SQLite file) starts, sees it RUNNING, and
    takes the cancel; A notices the flag within its poll interval and stops with CANCELLED."""
    job = client.rosters.CreateRosterJob(
        roster_service_pb2.CreateRosterJobRequest(input=busy_input(time_limit=30.0)),
        metadata=PLANNER,
        timeout=30,
    ).job
    for event in client.rosters.WatchRosterJob(
        roster_service_pb2.WatchRosterJobRequest(job_id=job.job_id), metadata=PLANNER, timeout=60
    ):
        if event.WhichOneof("event") == "progress":
            break  # A is searching

    replica_b = ServerThread(
        data_dir=tmp_path,
        auth_file=write_tokens(tmp_path / "tokens.json"),
        database_url=shared_server.settings.resolved_database_url,
        replica_id="replica-b",
        workers=1,
        max_jobs=1,
    ).start()
    try:
        b = client_for(replica_b.address)
        assert get_job(b, job.job_id).state == roster_pb2.JOB_STATE_RUNNING
        asked = time.monotonic()
        reply = b.rosters.CancelRosterJob(
            roster_service_pb2.CancelRosterJobRequest(job_id=job.job_id),
            metadata=PLANNER,
            timeout=10,
        ).job
        assert reply.cancel_requested and reply.state == roster_pb2.JOB_STATE_RUNNING
        while (final := get_job(b, job.job_id)).state == roster_pb2.JOB_STATE_RUNNING:
            assert time.monotonic() - asked < 15, "replica A did not stop the search"
            time.sleep(0.1)
        stopped_after = time.monotonic() - asked
        assert final.state == roster_pb2.JOB_STATE_CANCELLED, final
        assert final.solve.seconds < 25, "the search ran to its time limit"
        assert stopped_after < 10
        trail = b.rosters.ListAuditEvents(
            roster_service_pb2.ListAuditEventsRequest(action="cancel_job"),
            metadata=PLANNER,
            timeout=10,
        ).events
        assert job.job_id in {e.job_id for e in trail}
        b.channel.close()
    finally:
        replica_b.stop()
