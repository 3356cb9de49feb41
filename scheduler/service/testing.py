"""Test helpers for integrators and for this project's tests: a real server in a thread.

:class:`ServerThread` runs a :class:`~scheduler.service.server.WfmServer` on its own event loop in
a daemon thread (port 0), so synchronous code (tests, notebooks) can call it with ordinary stubs.
The tiny scenario builders give a 1-queue, few-agent problem that solves in well under a second.
"""

from __future__ import annotations

import asyncio
import importlib
import json
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import grpc

from scheduler.service.auth import hash_token
from scheduler.service.server import WfmServer, build_server
from scheduler.service.settings import load_settings
from scheduler.v1 import (
    demand_pb2,
    forecast_service_pb2_grpc,
    roster_pb2,
    roster_service_pb2,
    roster_service_pb2_grpc,
    scenario_pb2,
    staffing_service_pb2_grpc,
)


def _pipeline_problem() -> str | None:
    try:
        importlib.import_module("scheduler.pipeline")
    except Exception as exc:  # the engine is being written in parallel
        return f"scheduler.pipeline does not import yet ({type(exc).__name__}: {exc})"
    return None


PIPELINE_PROBLEM = _pipeline_problem()

TOKENS = {
    "admin-a": ("acme", ["*"], "admin"),
    "planner-a": ("acme", ["*"], "planner"),
    "viewer-a": ("acme", ["*"], "viewer"),
    "planner-lisbon": ("acme", ["lisbon"], "planner"),
    "planner-b": ("globex", ["*"], "planner"),
}
"""token -> (tenant, sites, role) written to the test servers' tokens file."""


def auth(token: str) -> tuple[tuple[str, str], ...]:
    """Call metadata for a bearer token."""
    return (("authorization", f"Bearer {token}"),)


def write_tokens(path: Path) -> Path:
    """Write the test tokens (hashed) to ``path``."""
    entries = [
        {"name": name, "sha256": hash_token(name), "tenant": t, "sites": s, "role": r}
        for name, (t, s, r) in TOKENS.items()
    ]
    path.write_text(json.dumps({"tokens": entries}), encoding="utf-8")
    return path


class ServerThread:
    """A WfmServer running on its own event loop in a daemon thread."""

    def __init__(self, **overrides: Any) -> None:
        self.settings = load_settings(
            {"listen": "127.0.0.1:0", "metrics_listen": "off", "log_level": "WARNING", **overrides},
            environ={},
        )
        self.loop = asyncio.new_event_loop()
        self.server: WfmServer | None = None
        self._ready = threading.Event()
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        try:
            self.server = self.loop.run_until_complete(build_server(self.settings))
            self.loop.run_until_complete(self.server.start())
        except BaseException as exc:
            self._error = exc
            self._ready.set()
            return
        self._ready.set()
        self.loop.run_forever()

    def start(self) -> ServerThread:
        self._thread.start()
        self._ready.wait(180)
        if self._error is not None:
            raise self._error
        return self

    @property
    def address(self) -> str:
        assert self.server is not None
        return self.server.address

    def call(self, coro: Any, timeout: float = 60) -> Any:
        """Run a coroutine on the server's loop (to reach into the server from a test)."""
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    def stop(self, grace: float = 1.0) -> None:
        if self.server is not None and not self.loop.is_closed():
            self.call(self.server.stop(grace), timeout=120)
            self.loop.call_soon_threadsafe(self.loop.stop)
            self._thread.join(30)
            self.loop.close()


@dataclass
class Client:
    """Stubs over one channel."""

    channel: grpc.Channel
    rosters: roster_service_pb2_grpc.RosterServiceStub
    staffing: staffing_service_pb2_grpc.StaffingServiceStub
    forecasts: forecast_service_pb2_grpc.ForecastServiceStub


def client_for(address: str) -> Client:
    """Stubs on an insecure channel to ``address``."""
    channel = grpc.insecure_channel(address)
    return Client(
        channel,
        roster_service_pb2_grpc.RosterServiceStub(channel),
        staffing_service_pb2_grpc.StaffingServiceStub(channel),
        forecast_service_pb2_grpc.ForecastServiceStub(channel),
    )


def tiny_scenario(site: str = "lisbon", agents: int = 3, days: int = 2) -> scenario_pb2.Scenario:
    """One voice queue open 08:00-16:00, ``agents`` full-timers on an 8 h day template."""
    day_window = scenario_pb2.TimeWindowList(
        windows=[scenario_pb2.TimeWindow(start=8 * 60, end=16 * 60)]
    )
    return scenario_pb2.Scenario(
        site=scenario_pb2.Site(
            name=site,
            timezone="Europe/Lisbon",
            interval_minutes=30,
            opening_hours={
                d: day_window for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
            },
        ),
        horizon=scenario_pb2.Horizon(start="2025-03-03", days=days),
        queues=[
            scenario_pb2.Queue(
                id="voice",
                channel=scenario_pb2.CHANNEL_VOICE,
                goal=scenario_pb2.ServiceGoal(service_level=0.8, answer_seconds=20),
            )
        ],
        contracts=[
            scenario_pb2.Contract(
                id="full", max_minutes_per_week=2400, max_days=5, shift_templates=["day"]
            )
        ],
        shift_templates=[
            scenario_pb2.ShiftTemplate(
                id="day",
                kind="day",
                start_earliest=8 * 60,
                start_latest=8 * 60,
                start_step_minutes=30,
                lengths_minutes=[480],
                breaks=[
                    scenario_pb2.BreakRule(
                        name="lunch",
                        minutes=30,
                        paid=False,
                        earliest_after_start=180,
                        latest_end_after_start=300,
                    )
                ],
            )
        ],
        agents=[
            scenario_pb2.Agent(id=f"A{i + 1}", skills={"voice": 1.0}, contract="full")
            for i in range(agents)
        ],
    )


def tiny_forecast(days: int = 2, offered: float = 12.0) -> list[demand_pb2.ForecastRow]:
    """Half-hourly voice demand 08:00-16:00 on each day from 2025-03-03."""
    rows = []
    for day in range(days):
        for slot in range(16):
            minute = 8 * 60 + 30 * slot
            rows.append(
                demand_pb2.ForecastRow(
                    queue="voice",
                    ds=f"2025-03-{3 + day:02d}T{minute // 60:02d}:{minute % 60:02d}:00",
                    offered=offered,
                    aht_s=300.0,
                    offered_lo=offered * 0.8,
                    offered_hi=offered * 1.2,
                    model="test",
                )
            )
    return rows


def roster_input(
    site: str = "lisbon",
    time_limit: float = 5.0,
    roster_id: str = "",
    expected_version: int = 0,
    agents: int = 3,
    days: int = 2,
) -> roster_service_pb2.RosterInput:
    """A complete tiny roster request input."""
    return roster_service_pb2.RosterInput(
        scenario=tiny_scenario(site, agents=agents, days=days),
        forecast=tiny_forecast(days),
        options=roster_pb2.SolveOptions(time_limit_seconds=time_limit, workers=1, seed=1),
        roster_id=roster_id,
        expected_version=expected_version,
    )


def busy_input(time_limit: float = 30.0, site: str = "lisbon") -> roster_service_pb2.RosterInput:
    """A 30-agent week with flexible starts and lengths: searches until its time limit."""
    inp = roster_input(site=site, time_limit=time_limit, agents=30, days=7)
    template = inp.scenario.shift_templates[0]
    template.start_earliest = 6 * 60
    template.start_latest = 10 * 60
    del template.lengths_minutes[:]
    template.lengths_minutes.extend([360, 420, 480])
    for row in inp.forecast:
        row.offered = 40.0
    return inp
