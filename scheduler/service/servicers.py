"""Thin servicers: request -> convert -> domain (in the worker pool) -> convert -> response.

They hold no error handling (the interceptor maps exceptions to status codes) and no business
rules beyond choosing which stage to run; roster generation and jobs live in
:mod:`scheduler.service.jobs`, storage in :mod:`scheduler.service.store`.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import grpc

from scheduler.errors import FieldProblem, InputError
from scheduler.roster.result import Result
from scheduler.service import convert, tasks
from scheduler.service.auth import current_principal
from scheduler.service.jobs import JobManager, RosterWork, no_solution, summary_of
from scheduler.service.store.repository import AUDIT_ACTIONS
from scheduler.v1 import (
    forecast_service_pb2,
    forecast_service_pb2_grpc,
    roster_service_pb2,
    roster_service_pb2_grpc,
    staffing_service_pb2,
    staffing_service_pb2_grpc,
)

_MAX_PAGE_SIZE = 500
_DEFAULT_PAGE_SIZE = 50


class ForecastServicer(forecast_service_pb2_grpc.ForecastServiceServicer):
    """ForecastService over :func:`scheduler.pipeline.forecast_stage`."""

    def __init__(self, work: RosterWork) -> None:
        self.work = work

    async def ForecastDemand(  # noqa: N802
        self,
        request: forecast_service_pb2.ForecastDemandRequest,
        context: grpc.aio.ServicerContext,
    ) -> forecast_service_pb2.ForecastDemandResponse:
        principal = current_principal()
        scenario = None
        if request.HasField("scenario"):
            scenario = convert.scenario_from_proto(request.scenario, "scenario")
            principal.require_site(scenario.site.name)
        history = convert.history_frame(request.history, "history")
        horizon = request.horizon_days if request.HasField("horizon_days") else None
        if horizon is not None and not 1 <= horizon <= 366:
            raise InputError("request", [FieldProblem("horizon_days", horizon, "use 1..366")])
        origins = request.backtest_origins if request.HasField("backtest_origins") else 4
        if not 0 <= origins <= 52:
            raise InputError("request", [FieldProblem("backtest_origins", origins, "use 0..52")])
        with self.work.pool.admit():
            outcome = await self.work.pool.run(
                "forecast",
                tasks.forecast_demand,
                history,
                scenario,
                horizon,
                request.method,
                origins,
            )
        tasks.raise_error(outcome)
        ok = outcome["ok"]
        return forecast_service_pb2.ForecastDemandResponse(
            forecast=convert.forecast_to_proto(ok["forecast"]),
            metrics=convert.metrics_to_proto(ok["metrics"]),
            warnings=ok["warnings"],
            notes=ok["notes"],
        )


class StaffingServicer(staffing_service_pb2_grpc.StaffingServiceServicer):
    """StaffingService over the staffing stage and the schedule evaluation."""

    def __init__(self, work: RosterWork) -> None:
        self.work = work

    async def ComputeRequirements(  # noqa: N802
        self,
        request: staffing_service_pb2.ComputeRequirementsRequest,
        context: grpc.aio.ServicerContext,
    ) -> staffing_service_pb2.ComputeRequirementsResponse:
        principal = current_principal()
        scenario = convert.scenario_from_proto(request.scenario, "scenario")
        principal.require_site(scenario.site.name)
        if not request.forecast:
            raise InputError(
                "request", [FieldProblem("forecast", [], "forecast rows are required")]
            )
        forecast = convert.forecast_frame(request.forecast, "forecast")
        with self.work.pool.admit():
            outcome = await self.work.pool.run(
                "staffing", tasks.compute_requirements, scenario, forecast
            )
        tasks.raise_error(outcome)
        return staffing_service_pb2.ComputeRequirementsResponse(
            requirements=convert.requirements_to_proto(outcome["ok"])
        )

    async def EvaluateStaffing(  # noqa: N802
        self,
        request: staffing_service_pb2.EvaluateStaffingRequest,
        context: grpc.aio.ServicerContext,
    ) -> staffing_service_pb2.EvaluateStaffingResponse:
        principal = current_principal()
        scenario = convert.scenario_from_proto(request.scenario, "scenario")
        principal.require_site(scenario.site.name)
        if not request.requirements:
            raise InputError(
                "request", [FieldProblem("requirements", [], "requirements rows are required")]
            )
        requirements = convert.requirements_frame(request.requirements, "requirements")
        roster = convert.roster_from_proto(request.roster) if request.HasField("roster") else None
        scheduled = None
        if roster is None:
            if not request.scheduled:
                raise InputError(
                    "request", [FieldProblem("roster", None, "give a roster or scheduled rows")]
                )
            scheduled = convert.scheduled_frame(request.scheduled, "scheduled")
        with self.work.pool.admit():
            outcome = await self.work.pool.run(
                "staffing", tasks.evaluate_staffing, scenario, requirements, roster, scheduled
            )
        tasks.raise_error(outcome)
        ok = outcome["ok"]
        return staffing_service_pb2.EvaluateStaffingResponse(
            intervals=convert.evaluation_to_proto(ok["evaluation"]),
            kpis=convert.kpis_to_proto(ok["kpis"]),
        )


class RosterServicer(roster_service_pb2_grpc.RosterServiceServicer):
    """RosterService: generation, jobs, versions and validation."""

    def __init__(self, work: RosterWork, jobs: JobManager) -> None:
        self.work = work
        self.jobs = jobs
        self.repo = work.repo

    async def GenerateRoster(  # noqa: N802
        self,
        request: roster_service_pb2.GenerateRosterRequest,
        context: grpc.aio.ServicerContext,
    ) -> roster_service_pb2.GenerateRosterResponse:
        principal = current_principal()
        if request.request_id:
            found = await asyncio.to_thread(
                self.repo.find_version_by_request, principal.tenant, request.request_id
            )
            if found is not None:
                roster, row = await asyncio.to_thread(
                    self.repo.get_version, principal.tenant, found.roster_id, found.version
                )
                return roster_service_pb2.GenerateRosterResponse(
                    roster=convert.version_to_proto(roster, row)
                )
        plan = await self.work.prepare(principal, request.input, request.request_id)
        plan = self.work.clamp_to_deadline(plan, context.time_remaining())
        with self.work.pool.admit():
            stop = await asyncio.to_thread(self.work.pool.new_stop_event)
            try:
                solved = await self.work.solve(plan, stop_event=stop)
            except asyncio.CancelledError:
                # The client went away or its deadline passed: stop the search now.
                stop.set()
                raise
        if not solved.result.feasible:
            raise no_solution(solved.result)
        roster, row = await self.work.store(plan, solved)
        return roster_service_pb2.GenerateRosterResponse(
            roster=convert.version_to_proto(roster, row)
        )

    async def CreateRosterJob(  # noqa: N802
        self,
        request: roster_service_pb2.CreateRosterJobRequest,
        context: grpc.aio.ServicerContext,
    ) -> roster_service_pb2.CreateRosterJobResponse:
        row = await self.jobs.create(current_principal(), request)
        return roster_service_pb2.CreateRosterJobResponse(job=convert.job_to_proto(row))

    async def GetRosterJob(  # noqa: N802
        self,
        request: roster_service_pb2.GetRosterJobRequest,
        context: grpc.aio.ServicerContext,
    ) -> roster_service_pb2.GetRosterJobResponse:
        _require("job_id", request.job_id)
        row = await self.jobs.get(current_principal(), request.job_id)
        return roster_service_pb2.GetRosterJobResponse(job=convert.job_to_proto(row))

    async def WatchRosterJob(  # noqa: N802
        self,
        request: roster_service_pb2.WatchRosterJobRequest,
        context: grpc.aio.ServicerContext,
    ) -> AsyncIterator[roster_service_pb2.WatchRosterJobResponse]:
        _require("job_id", request.job_id)
        async for event in self.jobs.watch(current_principal(), request.job_id):
            yield event

    async def CancelRosterJob(  # noqa: N802
        self,
        request: roster_service_pb2.CancelRosterJobRequest,
        context: grpc.aio.ServicerContext,
    ) -> roster_service_pb2.CancelRosterJobResponse:
        _require("job_id", request.job_id)
        row = await self.jobs.cancel(current_principal(), request.job_id)
        return roster_service_pb2.CancelRosterJobResponse(job=convert.job_to_proto(row))

    async def GetRoster(  # noqa: N802
        self,
        request: roster_service_pb2.GetRosterRequest,
        context: grpc.aio.ServicerContext,
    ) -> roster_service_pb2.GetRosterResponse:
        principal = current_principal()
        _require("roster_id", request.roster_id)
        if request.version < 0:
            raise InputError("request", [FieldProblem("version", request.version, "must be >= 0")])
        roster, row = await asyncio.to_thread(
            self.repo.get_version, principal.tenant, request.roster_id, request.version
        )
        principal.require_site(roster.site)
        return roster_service_pb2.GetRosterResponse(roster=convert.version_to_proto(roster, row))

    async def ListRosters(  # noqa: N802
        self,
        request: roster_service_pb2.ListRostersRequest,
        context: grpc.aio.ServicerContext,
    ) -> roster_service_pb2.ListRostersResponse:
        principal = current_principal()
        size = _page_size(request.page_size)
        sites = None if "*" in principal.sites else sorted(principal.sites)
        rows, token = await asyncio.to_thread(
            lambda: self.repo.list_rosters(
                principal.tenant,
                sites=sites,
                site=request.site,
                page_size=size,
                page_token=request.page_token,
            )
        )
        return roster_service_pb2.ListRostersResponse(
            rosters=[convert.summary_to_proto(r) for r in rows], next_page_token=token
        )

    async def PublishRoster(  # noqa: N802
        self,
        request: roster_service_pb2.PublishRosterRequest,
        context: grpc.aio.ServicerContext,
    ) -> roster_service_pb2.PublishRosterResponse:
        principal = current_principal()
        _require("roster_id", request.roster_id)
        roster = await asyncio.to_thread(self.repo.get_roster, principal.tenant, request.roster_id)
        principal.require_site(roster.site)
        roster, row = await asyncio.to_thread(
            self.repo.publish, principal.tenant, principal.name, request.roster_id, request.version
        )
        return roster_service_pb2.PublishRosterResponse(
            roster=convert.version_to_proto(roster, row)
        )

    async def ValidateRoster(  # noqa: N802
        self,
        request: roster_service_pb2.ValidateRosterRequest,
        context: grpc.aio.ServicerContext,
    ) -> roster_service_pb2.ValidateRosterResponse:
        principal = current_principal()
        scenario = convert.scenario_from_proto(request.scenario, "scenario")
        principal.require_site(scenario.site.name)
        if request.HasField("roster"):
            roster = convert.roster_from_proto(request.roster, "roster")
        elif request.roster_id:
            stored, row = await asyncio.to_thread(
                self.repo.get_version, principal.tenant, request.roster_id, request.version
            )
            principal.require_site(stored.site)
            roster = Result.model_validate_json(row.result_json).roster
        else:
            raise InputError("request", [FieldProblem("roster", None, "give roster or roster_id")])
        requirements = None
        if request.requirements:
            requirements = convert.requirements_frame(request.requirements, "requirements")
        with self.work.pool.admit():
            if requirements is None and request.forecast:
                forecast = convert.forecast_frame(request.forecast, "forecast")
                staffed = await self.work.pool.run(
                    "staffing", tasks.compute_requirements, scenario, forecast
                )
                tasks.raise_error(staffed)
                requirements = staffed["ok"]
            outcome = await self.work.pool.run(
                "validate", tasks.validate_roster, scenario, requirements, roster
            )
        tasks.raise_error(outcome)
        ok = outcome["ok"]
        violations = [convert.violation_to_proto(_Violation(**v)) for v in ok["violations"]]
        return roster_service_pb2.ValidateRosterResponse(
            valid=not violations, violations=violations, kpis=convert.kpis_to_proto(ok["kpis"])
        )

    async def ListAuditEvents(  # noqa: N802
        self,
        request: roster_service_pb2.ListAuditEventsRequest,
        context: grpc.aio.ServicerContext,
    ) -> roster_service_pb2.ListAuditEventsResponse:
        principal = current_principal()
        size = _page_size(request.page_size)
        if request.action and request.action not in AUDIT_ACTIONS:
            raise InputError(
                "request",
                [FieldProblem("action", request.action, f"use one of {', '.join(AUDIT_ACTIONS)}")],
            )
        if request.roster_id:
            roster = await asyncio.to_thread(
                self.repo.get_roster, principal.tenant, request.roster_id
            )
            principal.require_site(roster.site)
        sites = None if "*" in principal.sites else sorted(principal.sites)
        entries, token = await asyncio.to_thread(
            lambda: self.repo.list_audit_events(
                principal.tenant,
                sites=sites,
                roster_id=request.roster_id,
                action=request.action,
                page_size=size,
                page_token=request.page_token,
            )
        )
        return roster_service_pb2.ListAuditEventsResponse(
            events=[convert.audit_to_proto(e) for e in entries], next_page_token=token
        )


def _page_size(requested: int) -> int:
    if requested < 0:
        raise InputError("request", [FieldProblem("page_size", requested, "must be >= 0")])
    return min(requested or _DEFAULT_PAGE_SIZE, _MAX_PAGE_SIZE)


class _Violation:
    def __init__(self, rule: str, agent: str, day: int | None, message: str) -> None:
        self.rule, self.agent, self.day, self.message = rule, agent, day, message


def _require(field: str, value: str) -> None:
    if not value:
        raise InputError("request", [FieldProblem(field, value, "is required")])


__all__ = ["ForecastServicer", "RosterServicer", "StaffingServicer", "summary_of"]
