"""Worker pool, admission control, roster generation and roster jobs.

- :class:`WorkerPool`: a ``ProcessPoolExecutor`` over the *spawn* start method, created (and
  warmed up) before the gRPC server starts. Cancellation reaches a running solve through a
  ``multiprocessing.Manager`` event per task (the solver's ``should_stop``); progress comes back
  through one manager queue drained by a thread and handed to the event loop. A worker that dies
  breaks a ``ProcessPoolExecutor``; the pool then replaces the executor (spawn again, never fork)
  and the task fails with :class:`~scheduler.service.errors.WorkerCrashedError` while the server
  keeps serving.
- Admission control: at most ``settings.max_jobs`` tasks admitted at once (running or waiting);
  beyond that callers get RESOURCE_EXHAUSTED at once rather than an unbounded queue.
- :class:`RosterWork`: the steps shared by ``GenerateRoster`` and jobs: check the input, find the
  version a regeneration is based on, solve, store the new draft with the optimistic lock.
- :class:`JobManager`: roster jobs as records: queued -> running -> succeeded / failed /
  cancelled; watchers get progress events; on restart unfinished jobs become INTERRUPTED.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
import multiprocessing
import queue
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field, replace
from typing import Any

from scheduler.errors import FieldProblem, InputError
from scheduler.model import Scenario
from scheduler.roster.result import Result, Roster, SolveParams
from scheduler.service import convert, tasks
from scheduler.service.auth import Principal
from scheduler.service.errors import (
    DeadlineTooShortError,
    NoSolutionError,
    ResourceExhaustedError,
    VersionConflictError,
    WorkerCrashedError,
)
from scheduler.service.metrics import Metrics
from scheduler.service.settings import Settings
from scheduler.service.store.models import JobRow, RosterRow, RosterVersionRow
from scheduler.service.store.repository import (
    TERMINAL_JOB_STATES,
    NewVersion,
    Repository,
    new_id,
    now,
)
from scheduler.v1 import roster_pb2, roster_service_pb2

log = logging.getLogger(__name__)

Listener = Callable[[str, dict[str, Any]], None]


class WorkerPool:
    """Spawned worker processes for CPU-heavy tasks, with admission control and cancellation."""

    def __init__(self, workers: int, max_in_flight: int, metrics: Metrics) -> None:
        self._ctx = multiprocessing.get_context("spawn")
        self.workers = workers
        self.max_in_flight = max_in_flight
        self._metrics = metrics
        self._manager = self._ctx.Manager()
        self.progress_queue = self._manager.Queue()
        self._executor = self._new_executor()
        self._lock = threading.Lock()
        self._in_flight = 0
        self._listeners: dict[str, Listener] = {}
        self._loop: asyncio.AbstractEventLoop | None = None
        self._closed = threading.Event()
        self._drain_thread: threading.Thread | None = None

    def _new_executor(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(max_workers=self.workers, mp_context=self._ctx)

    def warm_up(self) -> list[int]:
        """Start every worker and import the pipeline in each (blocking; before serving)."""
        futures = [self._executor.submit(tasks.warm_up) for _ in range(self.workers)]
        pids = []
        for future in futures:
            try:
                pids.append(future.result(timeout=120))
            except Exception as exc:  # the pipeline may not import yet; tasks will say why
                log.warning("worker warm-up failed", extra={"error": repr(exc)})
        return pids

    def attach(self, loop: asyncio.AbstractEventLoop) -> None:
        """Deliver progress events to ``loop`` from now on."""
        self._loop = loop
        if self._drain_thread is None:
            self._drain_thread = threading.Thread(
                target=self._drain, name="wfm-progress", daemon=True
            )
            self._drain_thread.start()

    def _drain(self) -> None:
        while not self._closed.is_set():
            try:
                key, kind, payload = self.progress_queue.get(timeout=0.2)
            except queue.Empty:
                continue
            except (OSError, EOFError, BrokenPipeError):
                return
            listener = self._listeners.get(key)
            if listener is not None and self._loop is not None and not self._loop.is_closed():
                self._loop.call_soon_threadsafe(listener, kind, payload)

    @property
    def in_flight(self) -> int:
        """Tasks admitted and not finished."""
        return self._in_flight

    @contextmanager
    def admit(self) -> Iterator[None]:
        """Hold one admission slot, or raise RESOURCE_EXHAUSTED when all are taken."""
        with self._lock:
            if self._in_flight >= self.max_in_flight:
                raise ResourceExhaustedError(
                    f"server busy: {self._in_flight} solves/forecasts in flight (limit "
                    f"{self.max_in_flight}); retry later"
                )
            self._in_flight += 1
            self._metrics.tasks_in_flight.set(self._in_flight)
        try:
            yield
        finally:
            with self._lock:
                self._in_flight -= 1
                self._metrics.tasks_in_flight.set(self._in_flight)

    def new_stop_event(self) -> Any:
        """A cross-process event a task polls to stop early."""
        return self._manager.Event()

    def submit(self, fn: Callable[..., Any], *args: Any) -> Future[Any]:
        """Submit to the current executor (replacing it first if a crash broke it)."""
        try:
            return self._executor.submit(fn, *args)
        except BrokenProcessPool:
            self._replace_executor()
            return self._executor.submit(fn, *args)

    def _replace_executor(self) -> None:
        with self._lock:
            broken = self._executor
            if getattr(broken, "_broken", False):
                log.warning("worker pool broken by a crashed worker; starting a new one")
                self._executor = self._new_executor()
                broken.shutdown(wait=False, cancel_futures=True)

    async def run(
        self,
        kind: str,
        fn: Callable[..., Any],
        *args: Any,
        key: str | None = None,
        listener: Listener | None = None,
    ) -> Any:
        """Run ``fn(*args)`` in a worker and await its result.

        Raises
        ------
        WorkerCrashedError
            If the worker process died; the pool is replaced.
        """
        if key is not None and listener is not None:
            self._listeners[key] = listener
        started = time.monotonic()
        try:
            future = self.submit(fn, *args)
            try:
                return await asyncio.wrap_future(future)
            except asyncio.CancelledError:
                future.cancel()
                raise
        except BrokenProcessPool as exc:
            self._replace_executor()
            raise WorkerCrashedError(
                f"the worker process running this {kind} task died "
                f"({type(exc).__name__}); the task was not completed, retry it"
            ) from exc
        finally:
            self._metrics.solve_seconds.labels(kind).observe(time.monotonic() - started)
            if key is not None:
                self._listeners.pop(key, None)

    def worker_pids(self) -> list[int]:
        """Process ids of the live workers (diagnostics and tests)."""
        processes = getattr(self._executor, "_processes", None) or {}
        return [p.pid for p in processes.values() if p.is_alive()]

    def close(self) -> None:
        """Stop the workers and the manager."""
        self._closed.set()
        self._executor.shutdown(wait=True, cancel_futures=True)
        if self._drain_thread is not None:
            self._drain_thread.join(timeout=2)
        self._manager.shutdown()


@dataclass
class Plan:
    """A checked roster request, ready to solve."""

    principal: Principal
    scenario: Scenario
    requirements: Any
    forecast: Any
    params: SolveParams
    roster_id: str | None
    based_on_version: int
    previous: Roster | None
    inputs_sha256: str
    request_id: str | None
    input_message: roster_service_pb2.RosterInput
    messages: list[str] = field(default_factory=list)


@dataclass
class Solved:
    """What a solve returned: the result JSON, KPIs and the parsed result."""

    result: Result
    result_json: str
    kpis: list[dict[str, Any]]


class RosterWork:
    """Check, solve and store: the steps GenerateRoster and jobs share."""

    def __init__(self, repo: Repository, pool: WorkerPool, settings: Settings) -> None:
        self.repo = repo
        self.pool = pool
        self.settings = settings

    async def prepare(
        self,
        principal: Principal,
        message: roster_service_pb2.RosterInput,
        request_id: str,
        field_name: str = "input",
    ) -> Plan:
        """Validate the input and find what a regeneration is based on (no solving)."""
        if not message.ByteSize():
            raise InputError(field_name, [FieldProblem(field_name, None, "input is required")])
        scenario = convert.scenario_from_proto(message.scenario, f"{field_name}.scenario")
        principal.require_site(scenario.site.name)
        requirements = None
        forecast = None
        if message.requirements:
            requirements = convert.requirements_frame(
                message.requirements, f"{field_name}.requirements"
            )
        elif message.forecast:
            forecast = convert.forecast_frame(message.forecast, f"{field_name}.forecast")
        else:
            raise InputError(
                field_name,
                [FieldProblem(f"{field_name}.requirements", [], "give requirements or a forecast")],
            )
        params = convert.solve_params(
            message.options,
            default_time_limit_s=self.settings.default_time_limit_s,
            max_time_limit_s=self.settings.max_time_limit_s,
            default_workers=self.settings.solver_workers,
            field=f"{field_name}.options",
        )
        roster_id: str | None = None
        based_on = 0
        previous: Roster | None = None
        if message.roster_id:
            roster_id = message.roster_id
            roster = await asyncio.to_thread(self.repo.get_roster, principal.tenant, roster_id)
            principal.require_site(roster.site)
            if roster.site != scenario.site.name:
                raise InputError(
                    field_name,
                    [
                        FieldProblem(
                            f"{field_name}.scenario.site.name",
                            scenario.site.name,
                            f"roster {roster_id!r} belongs to site {roster.site!r}",
                        )
                    ],
                )
            if message.expected_version and message.expected_version != roster.latest_version:
                raise VersionConflictError(
                    f"roster {roster_id!r} is at version {roster.latest_version}, not the "
                    f"expected {message.expected_version}; reload it and regenerate"
                )
            based_on = roster.latest_version
            published = await asyncio.to_thread(
                self.repo.published_version, principal.tenant, roster_id
            )
            if published is not None:
                previous = Result.model_validate_json(published.result_json).roster
        return Plan(
            principal=principal,
            scenario=scenario,
            requirements=requirements,
            forecast=forecast,
            params=params,
            roster_id=roster_id,
            based_on_version=based_on,
            previous=previous,
            inputs_sha256=convert.digest(message),
            request_id=request_id or None,
            input_message=message,
        )

    def clamp_to_deadline(self, plan: Plan, time_remaining: float | None) -> Plan:
        """Shorten the solver's time limit so the answer is back before the call's deadline."""
        if time_remaining is None:
            return plan
        margin = min(self.settings.deadline_margin_s, max(0.1, 0.25 * time_remaining))
        budget = time_remaining - margin
        if budget < 0.2:
            raise DeadlineTooShortError(
                f"the call's deadline leaves {time_remaining:.2f} s; a solve needs at least "
                f"{0.2 + margin:.2f} s"
            )
        if budget >= plan.params.time_limit_s:
            return plan
        params = plan.params.model_copy(update={"time_limit_s": budget})
        note = (
            f"time limit clamped from {plan.params.time_limit_s:g} s to {budget:.2f} s "
            "by the call's deadline"
        )
        return replace(plan, params=params, messages=[*plan.messages, note])

    async def solve(
        self,
        plan: Plan,
        *,
        stop_event: Any = None,
        key: str | None = None,
        listener: Listener | None = None,
    ) -> Solved:
        """Run the roster stage in a worker; domain errors are re-raised here."""
        outcome = await self.pool.run(
            "roster",
            tasks.solve_roster,
            plan.scenario,
            plan.requirements,
            plan.forecast,
            plan.params,
            plan.previous,
            key,
            stop_event,
            self.pool.progress_queue if key is not None else None,
            key=key,
            listener=listener,
        )
        tasks.raise_error(outcome)
        ok = outcome["ok"]
        result = Result.model_validate_json(ok["result_json"])
        if plan.messages:
            result = result.model_copy(update={"messages": (*plan.messages, *result.messages)})
        return Solved(result=result, result_json=result.model_dump_json(), kpis=ok["kpis"])

    async def store(
        self, plan: Plan, solved: Solved, job_id: str | None = None
    ) -> tuple[RosterRow, RosterVersionRow]:
        """Store the solved roster as the next draft version (optimistic lock)."""
        horizon = plan.scenario.horizon
        new = NewVersion(
            tenant=plan.principal.tenant,
            principal=plan.principal.name,
            roster_id=plan.roster_id,
            based_on_version=plan.based_on_version,
            site=plan.scenario.site.name,
            horizon_start=horizon.start.isoformat(),
            days=horizon.days,
            result_json=solved.result_json,
            kpis_json=json.dumps(solved.kpis),
            inputs_sha256=plan.inputs_sha256,
            request_id=None if job_id else plan.request_id,
            job_id=job_id,
        )
        return await asyncio.to_thread(self.repo.add_version, new)


def _progress_json(payload: dict[str, Any]) -> str:
    keep = ("seconds", "objective", "bound", "phase", "message")
    return json.dumps({k: payload.get(k) for k in keep})


class JobManager:
    """Roster jobs of this server process: start, watch, cancel, and record their outcome."""

    PROGRESS_SAVE_INTERVAL_S = 1.0

    def __init__(self, work: RosterWork, metrics: Metrics) -> None:
        self.work = work
        self.repo = work.repo
        self.metrics = metrics
        self._tasks: dict[str, asyncio.Task[None]] = {}
        self._stops: dict[str, Any] = {}
        self._cancelled: set[str] = set()
        self._watchers: dict[str, set[asyncio.Queue[tuple[str, dict[str, Any]]]]] = {}
        self._admissions: dict[str, Any] = {}
        self._shutting_down = False
        self.replica = work.settings.resolved_replica_id
        self._poller: asyncio.Task[None] | None = None

    def start(self) -> None:
        """Start heartbeating this replica's jobs and watching for cancel requests."""
        if self._poller is None:
            self._poller = asyncio.create_task(self._poll_loop(), name="wfm-job-poller")

    async def _poll_loop(self) -> None:
        """Every ``job_poll_s``: heartbeat the jobs this replica runs and stop those another
        replica (or this one) flagged for cancellation; every few polls, interrupt jobs whose
        replica stopped sending heartbeats (it died)."""
        settings = self.work.settings
        sweep_every = max(1, round(settings.job_stale_s / 3 / settings.job_poll_s))
        polls = 0
        while True:
            await asyncio.sleep(settings.job_poll_s)
            polls += 1
            try:
                requested = await asyncio.to_thread(
                    self.repo.poll_running_jobs, list(self._tasks), self.replica
                )
                for job_id in requested - self._cancelled:
                    await self._stop_local(job_id)
                if polls % sweep_every == 0:
                    stale = now() - dt.timedelta(seconds=settings.job_stale_s)
                    swept = await asyncio.to_thread(
                        self.repo.interrupt_active_jobs, stale_before=stale
                    )
                    if swept:
                        log.warning(
                            "jobs of a vanished replica interrupted", extra={"count": swept}
                        )
            except Exception:  # the database may be briefly unreachable: try again next time
                log.exception("job poll failed")

    async def _stop_local(self, job_id: str) -> None:
        """Stop the search of a job this replica runs (no-op for others)."""
        stop = self._stops.get(job_id)
        if stop is None:
            return
        self._cancelled.add(job_id)
        with suppress(OSError, EOFError):
            await asyncio.to_thread(stop.set)

    async def create(
        self, principal: Principal, request: roster_service_pb2.CreateRosterJobRequest
    ) -> JobRow:
        """Check the input, record the job and start it (idempotent by request_id)."""
        if request.request_id:
            existing = await asyncio.to_thread(
                self.repo.find_job_by_request, principal.tenant, request.request_id
            )
            if existing is not None:
                return existing
        plan = await self.work.prepare(principal, request.input, request.request_id)
        admission = self.work.pool.admit()
        admission.__enter__()  # raises RESOURCE_EXHAUSTED before anything is recorded
        try:
            row = JobRow(
                id=new_id(),
                tenant=principal.tenant,
                site=plan.scenario.site.name,
                request_id=request.request_id or None,
                state="QUEUED",
                roster_id=plan.roster_id or "",
                expected_version=plan.based_on_version,
                version=0,
                input_blob=request.input.SerializeToString().hex(),
                inputs_sha256=plan.inputs_sha256,
                error="",
                error_code="",
                clashes_json="[]",
                created_by=principal.name,
                create_time=now(),
                cancel_requested=False,
                replica=self.replica,
                heartbeat_time=now(),
            )
            row, created = await asyncio.to_thread(self.repo.create_job, row)
        except BaseException:
            admission.__exit__(None, None, None)
            raise
        if not created:
            admission.__exit__(None, None, None)
            return row
        self._admissions[row.id] = admission
        self._stops[row.id] = await asyncio.to_thread(self.work.pool.new_stop_event)
        self._tasks[row.id] = asyncio.create_task(self._run(row.id, plan), name=f"job-{row.id}")
        return row

    def _publish(self, job_id: str, kind: str, payload: dict[str, Any]) -> None:
        for watcher in list(self._watchers.get(job_id, ())):
            watcher.put_nowait((kind, payload))

    async def _run(self, job_id: str, plan: Plan) -> None:
        last_save = 0.0
        saving: asyncio.Task[Any] | None = None

        def on_event(kind: str, payload: dict[str, Any]) -> None:
            nonlocal last_save, saving
            if kind == "started":
                saving = asyncio.ensure_future(
                    asyncio.to_thread(
                        self.repo.update_job, job_id, state="RUNNING", start_time=now()
                    )
                )
                self._publish(job_id, "state", {"state": "RUNNING"})
                return
            self._publish(job_id, "progress", payload)
            stamp = time.monotonic()
            if stamp - last_save >= self.PROGRESS_SAVE_INTERVAL_S and (
                saving is None or saving.done()
            ):
                last_save = stamp
                saving = asyncio.ensure_future(
                    asyncio.to_thread(
                        self.repo.update_job, job_id, progress_json=_progress_json(payload)
                    )
                )

        final: dict[str, Any] = {}
        try:
            solved = await self.work.solve(
                plan, stop_event=self._stops.get(job_id), key=job_id, listener=on_event
            )
            if saving is not None:
                await saving
            cancelled = job_id in self._cancelled
            stopped = "INTERRUPTED" if self._shutting_down else "CANCELLED"
            if not solved.result.feasible:
                stopped_early = cancelled or self._shutting_down
                final = {
                    "state": stopped if stopped_early else "FAILED",
                    "error": "stopped before any roster was found"
                    if stopped_early
                    else "no roster found within the time limit; allow more time",
                    "error_code": "CANCELLED" if stopped_early else "DEADLINE_EXCEEDED",
                    "solve_json": solved.result_json,
                }
            else:
                roster, version = await self.work.store(plan, solved, job_id=job_id)
                stopped_early = cancelled or self._shutting_down
                final = {
                    "state": stopped if stopped_early else "SUCCEEDED",
                    "error": f"{stopped.lower()}; the best roster found so far was kept as "
                    f"version {version.version}"
                    if stopped_early
                    else "",
                    "error_code": "CANCELLED" if stopped_early else "",
                    "roster_id": roster.id,
                    "version": version.version,
                    "solve_json": solved.result_json,
                }
        except asyncio.CancelledError:
            final = {
                "state": "INTERRUPTED",
                "error": "the server stopped while this job was running; create it again",
                "error_code": "ABORTED",
            }
            raise
        except Exception as exc:
            from scheduler.service.interceptors import status_of

            code, message, clashes = status_of(exc)
            final = {
                "state": "FAILED",
                "error": message,
                "error_code": code.name,
                "clashes_json": json.dumps(clashes),
            }
            if code.name == "INTERNAL":
                log.exception("roster job failed", extra={"job_id": job_id})
        finally:
            final["end_time"] = now()
            if "solve_json" not in final:
                final["solve_json"] = None
            try:
                await asyncio.shield(asyncio.to_thread(self.repo.update_job, job_id, **final))
            finally:
                self.metrics.jobs_total.labels(final["state"]).inc()
                admission = self._admissions.pop(job_id, None)
                if admission is not None:
                    admission.__exit__(None, None, None)
                self._stops.pop(job_id, None)
                self._tasks.pop(job_id, None)
                self._cancelled.discard(job_id)
                self._publish(job_id, "done", {"state": final["state"]})
                log.info(
                    "roster job finished",
                    extra={"job_id": job_id, "state": final["state"], "error": final.get("error")},
                )

    async def get(self, principal: Principal, job_id: str) -> JobRow:
        """A job of the caller's tenant and sites."""
        row = await asyncio.to_thread(self.repo.get_job, principal.tenant, job_id)
        principal.require_site(row.site)
        return row

    async def cancel(self, principal: Principal, job_id: str) -> JobRow:
        """Ask a job to stop, whichever replica runs it (its best roster so far is kept)."""
        row = await self.get(principal, job_id)
        if row.state in TERMINAL_JOB_STATES:
            return row
        # Here at once if this replica runs the job; otherwise the flag reaches the replica
        # that does within job_poll_s.
        await self._stop_local(job_id)
        await asyncio.to_thread(
            self.repo.audit, principal.tenant, principal.name, "cancel_job", job_id, site=row.site
        )
        return await asyncio.to_thread(self.repo.request_cancel, principal.tenant, job_id)

    async def watch(
        self, principal: Principal, job_id: str
    ) -> AsyncIterator[roster_service_pb2.WatchRosterJobResponse]:
        """The job's state now, its progress events, then its final state."""
        row = await self.get(principal, job_id)
        response = roster_service_pb2.WatchRosterJobResponse
        inbox: asyncio.Queue[tuple[str, dict[str, Any]]] = asyncio.Queue()
        self._watchers.setdefault(job_id, set()).add(inbox)
        try:
            yield response(job=convert.job_to_proto(row))
            if row.state in TERMINAL_JOB_STATES:
                return
            while True:
                try:
                    kind, payload = await asyncio.wait_for(inbox.get(), timeout=1.0)
                except TimeoutError:
                    # Another replica may run the job: fall back to the stored state.
                    row = await asyncio.to_thread(self.repo.get_job, principal.tenant, job_id)
                    if row.state in TERMINAL_JOB_STATES:
                        yield response(job=convert.job_to_proto(row))
                        return
                    continue
                if kind == "progress":
                    yield response(progress=convert.progress_to_proto(payload))
                elif kind == "done":
                    row = await asyncio.to_thread(self.repo.get_job, principal.tenant, job_id)
                    yield response(job=convert.job_to_proto(row))
                    return
        finally:
            watchers = self._watchers.get(job_id)
            if watchers is not None:
                watchers.discard(inbox)
                if not watchers:
                    self._watchers.pop(job_id, None)

    async def shutdown(self, grace_s: float) -> None:
        """Stop running jobs: ask them to stop, wait up to ``grace_s``, then interrupt."""
        self._shutting_down = True
        if self._poller is not None:
            self._poller.cancel()
            with suppress(asyncio.CancelledError):
                await self._poller
            self._poller = None
        running = list(self._tasks.values())
        for job_id in list(self._stops):
            stop = self._stops.get(job_id)
            if stop is not None:
                with suppress(OSError, EOFError):
                    await asyncio.to_thread(stop.set)
        if running:
            _done, pending = await asyncio.wait(running, timeout=grace_s)
            for task in pending:
                task.cancel()
            if pending:
                await asyncio.wait(pending, timeout=5)


def summary_of(plan: Plan) -> dict[str, Any]:
    """What the audit trail records about a plan's inputs."""
    return {
        "site": plan.scenario.site.name,
        "agents": len(plan.scenario.agents),
        "queues": len(plan.scenario.queues),
        "horizon_start": plan.scenario.horizon.start.isoformat(),
        "days": plan.scenario.horizon.days,
        "time_limit_s": plan.params.time_limit_s,
    }


def no_solution(result: Result) -> NoSolutionError:
    """The error for a solve that returned no roster."""
    return NoSolutionError(
        f"no roster found within {result.seconds:.1f} s (status {result.status.value}); "
        "allow more time (a longer deadline or options.time_limit_seconds)"
    )


__all__ = [
    "JobManager",
    "Plan",
    "RosterWork",
    "Solved",
    "WorkerPool",
    "no_solution",
    "roster_pb2",
    "summary_of",
]
