"""Requests the load test sends: the tiny scenario of the service tests (solves in ~0.1 s)."""

from __future__ import annotations

from scheduler.service.testing import roster_input
from scheduler.v1 import roster_service_pb2


def generate_request(site: str = "load") -> roster_service_pb2.GenerateRosterRequest:
    """A GenerateRoster for 3 agents over 2 days (1 s solver limit)."""
    return roster_service_pb2.GenerateRosterRequest(input=roster_input(site=site, time_limit=1.0))


def list_request() -> roster_service_pb2.ListRostersRequest:
    """The first page of rosters."""
    return roster_service_pb2.ListRostersRequest(page_size=20)
