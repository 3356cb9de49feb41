"""Load profile: mostly reads (list, get), some roster generations of a tiny scenario.

Run through ``python loadtests/run.py`` (starts a loopback server, applies pass/fail thresholds),
or against a running server: ``WFM_TOKEN=... locust -f loadtests/locustfile.py --host
127.0.0.1:50051``.
"""

from __future__ import annotations

import os
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from grpc_user import GrpcUser
from locust import between, task
from payloads import generate_request, list_request

from scheduler.v1 import roster_service_pb2, roster_service_pb2_grpc


class PlannerUser(GrpcUser):
    """A planner's client: browses rosters, opens one, sometimes regenerates."""

    wait_time = between(0.05, 0.2)
    token = os.environ.get("WFM_TOKEN", "")

    def on_start(self) -> None:
        super().on_start()
        self.stub = roster_service_pb2_grpc.RosterServiceStub(self.channel)
        self.roster_ids: list[str] = []

    @task(5)
    def list_rosters(self) -> None:
        reply = self.call("ListRosters", self.stub.ListRosters, list_request())
        if reply is not None:
            self.roster_ids = [r.roster_id for r in reply.rosters]

    @task(5)
    def get_roster(self) -> None:
        if not self.roster_ids:
            return
        request = roster_service_pb2.GetRosterRequest(roster_id=random.choice(self.roster_ids))
        self.call("GetRoster", self.stub.GetRoster, request)

    @task(1)
    def generate_roster(self) -> None:
        self.call("GenerateRoster", self.stub.GenerateRoster, generate_request(), timeout=30)
