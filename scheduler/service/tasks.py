"""What runs inside the worker processes: the pipeline's stages, with errors returned as data.

These functions are imported by spawned worker processes, so this module imports only domain
code (never gRPC or the database). Domain exceptions do not survive pickling with their fields
(``InputError(source, problems)`` has two required arguments), so each task returns either
``{"ok": ...}`` or ``{"error": {...}}`` and :func:`raise_error` rebuilds the exception in the
server process.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable
from typing import Any

from pydantic import ValidationError

from scheduler.errors import FieldProblem, InfeasibleError, InputError, RosterNotFoundError

Outcome = dict[str, Any]
_STOP_POLL_S = 0.1


def _input_error(exc: InputError) -> Outcome:
    return {
        "error": {
            "kind": "input",
            "source": exc.source,
            "problems": [(p.field, _plain(p.value), p.message) for p in exc.problems],
        }
    }


def _plain(value: object) -> object:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return repr(value)


def _guarded(fn: Callable[[], Outcome]) -> Outcome:
    """Run a task body, turning domain errors into data."""
    try:
        return fn()
    except InputError as exc:
        return _input_error(exc)
    except InfeasibleError as exc:
        return {"error": {"kind": "infeasible", "clashes": list(exc.clashes)}}
    except RosterNotFoundError as exc:
        return {"error": {"kind": "not_found", "reasons": list(exc.reasons)}}
    except ValidationError as exc:
        problems = [
            FieldProblem(".".join(str(p) for p in e["loc"]) or "input", e.get("input"), e["msg"])
            for e in exc.errors()
        ]
        return _input_error(InputError("input", problems))
    except ValueError as exc:
        found = getattr(exc, "problems", None)
        if found is not None:  # forecasts.schema.HistoryError and friends
            return _input_error(
                InputError(
                    "history",
                    [
                        FieldProblem(
                            getattr(p, "field", "history"),
                            getattr(p, "value", None),
                            getattr(p, "message", str(p)),
                        )
                        for p in found
                    ],
                )
            )
        raise


def raise_error(outcome: Outcome) -> None:
    """Re-raise the domain error a task returned as data (no-op for a success)."""
    error = outcome.get("error")
    if error is None:
        return
    if error["kind"] == "input":
        raise InputError(error["source"], [FieldProblem(*p) for p in error["problems"]])
    if error["kind"] == "infeasible":
        raise InfeasibleError(error["clashes"])
    if error["kind"] == "not_found":
        raise RosterNotFoundError(error["reasons"])
    raise RuntimeError(f"unknown task error {error!r}")


def warm_up() -> int:
    """Import the heavy modules in a fresh worker so the first real task is fast."""
    import scheduler.pipeline  # noqa: F401

    return os.getpid()


def worker_pid() -> int:
    """The worker's process id (tests and diagnostics)."""
    return os.getpid()


def _stopper(stop_event: Any) -> Callable[[], bool]:
    """``should_stop`` for the solver, polling the shared event at most every 100 ms."""
    if stop_event is None:
        return lambda: False
    state: dict[str, float] = {"last": 0.0, "stop": 0.0}

    def should_stop() -> bool:
        if state["stop"]:
            return True  # once stopped, stay stopped without asking again
        now = time.monotonic()
        if now - state["last"] >= _STOP_POLL_S:
            state["last"] = now
            try:
                state["stop"] = 1.0 if stop_event.is_set() else 0.0
            except (OSError, EOFError):  # the server is gone: stop
                state["stop"] = 1.0
        return state["stop"] > 0

    return should_stop


def kpi_records(summary: dict[str, Any]) -> list[dict[str, Any]]:
    """KPIs (``name, queue, period, value``) from :func:`scheduler.pipeline.summarize`."""
    out: list[dict[str, Any]] = []
    for key, name in (("paid_hours", "paid_hours"), ("agents_rostered", "agents_rostered")):
        if isinstance(summary.get(key), int | float):
            out.append({"name": name, "queue": "", "period": "week", "value": float(summary[key])})
    if isinstance(summary.get("shifts"), int):
        out.append(
            {"name": "shifts", "queue": "", "period": "week", "value": float(summary["shifts"])}
        )
    for key, default_period in (("service_by_queue_week", "week"), ("service_by_queue_day", "")):
        for record in summary.get(key) or []:
            queue = str(record.get("queue", ""))
            period = str(
                record.get("day", record.get("date", record.get("period", default_period)))
            )
            period = period[:10] if period else default_period
            for column, value in record.items():
                if column in ("queue", "day", "date", "period", "ds"):
                    continue
                if isinstance(value, int | float) and not isinstance(value, bool):
                    out.append(
                        {"name": column, "queue": queue, "period": period, "value": float(value)}
                    )
    return out


def solve_roster(
    scenario: Any,
    requirements: Any,
    forecast: Any,
    params: Any,
    previous: Any,
    key: str | None,
    stop_event: Any,
    progress_queue: Any,
) -> Outcome:
    """Requirements (or staffing from a forecast) -> roster -> KPIs, reporting progress.

    Returns ``{"ok": {"result_json", "kpis"}}``; ``result_json`` is the Result as JSON.
    """

    def report(kind: str, payload: dict[str, Any]) -> None:
        if key is not None and progress_queue is not None:
            with contextlib.suppress(OSError, EOFError):
                progress_queue.put((key, kind, payload))

    def body() -> Outcome:
        from scheduler import pipeline

        report("started", {"pid": os.getpid()})
        reqs = requirements
        if reqs is None:
            if forecast is None:
                raise InputError(
                    "input",
                    [FieldProblem("input.requirements", [], "give requirements or a forecast")],
                )
            reqs = pipeline.staffing_stage(scenario, forecast)
        started = time.monotonic()
        result = pipeline.roster_stage(
            scenario,
            reqs,
            params=params,
            previous=previous,
            on_progress=lambda event: report("progress", event.model_dump()),
            should_stop=_stopper(stop_event),
        )
        kpis: list[dict[str, Any]] = []
        messages = list(result.messages)
        if result.feasible:
            try:
                evaluation = pipeline.evaluate_stage(scenario, reqs, result.roster)
                kpis = kpi_records(pipeline.summarize(scenario, reqs, result, evaluation))
            except Exception as exc:  # KPIs are a report: a failure must not lose the roster
                messages.append(f"KPIs not computed: {type(exc).__name__}: {exc}")
        if messages != list(result.messages):
            result = result.model_copy(update={"messages": tuple(messages)})
        return {
            "ok": {
                "result_json": result.model_dump_json(),
                "kpis": kpis,
                "feasible": result.feasible,
                "status": result.status.value,
                "seconds": time.monotonic() - started,
            }
        }

    return _guarded(body)


def forecast_demand(
    history: Any, scenario: Any, horizon_days: int | None, method: str, origins: int
) -> Outcome:
    """Forecast every queue; returns the forecast and metrics frames and warnings."""

    def body() -> Outcome:
        from scheduler import pipeline

        run = pipeline.forecast_stage(
            history,
            scenario,
            horizon_days=horizon_days,
            method=method or "auto",
            backtest_origins=origins,
            jobs=1,
        )
        warnings = [str(w) for w in getattr(run, "warnings", []) or []]
        notes = [f"{queue}: {note}" for queue, note in (getattr(run, "notes", {}) or {}).items()]
        return {
            "ok": {
                "forecast": run.frame,
                "metrics": run.metrics,
                "warnings": warnings,
                "notes": notes,
            }
        }

    return _guarded(body)


def compute_requirements(scenario: Any, forecast: Any) -> Outcome:
    """Requirements frame for a forecast frame."""

    def body() -> Outcome:
        from scheduler import pipeline

        return {"ok": pipeline.staffing_stage(scenario, forecast)}

    return _guarded(body)


def evaluate_staffing(scenario: Any, requirements: Any, roster: Any, scheduled: Any) -> Outcome:
    """Predicted service per interval and KPIs for a roster or scheduled counts."""

    def body() -> Outcome:
        from scheduler import pipeline
        from scheduler.staffing.evaluate import evaluate_schedule, summarize_evaluation

        if roster is not None:
            evaluation = pipeline.evaluate_stage(scenario, requirements, roster)
        else:
            evaluation = evaluate_schedule(
                requirements, scheduled, scenario.queues, scenario.site.interval_minutes
            )
        summary = {
            "service_by_queue_week": pipeline._records(summarize_evaluation(evaluation, "week")),
            "service_by_queue_day": pipeline._records(summarize_evaluation(evaluation, "day")),
        }
        return {"ok": {"evaluation": evaluation, "kpis": kpi_records(summary)}}

    return _guarded(body)


def validate_roster(scenario: Any, requirements: Any, roster: Any) -> Outcome:
    """Hard-rule violations of a roster, and KPIs when requirements are given."""

    def body() -> Outcome:
        from scheduler import pipeline
        from scheduler.roster.problem_data import build_problem
        from scheduler.roster.validate import validate_roster as check

        reqs = requirements
        if reqs is None:
            import pandas as pd

            reqs = pd.DataFrame(
                {
                    "queue": pd.Series([], dtype=str),
                    "ds": pd.Series([], dtype="datetime64[ns]"),
                    "required_agents": pd.Series([], dtype=float),
                    "required_int": pd.Series([], dtype=int),
                    "scheduled_needed": pd.Series([], dtype=int),
                }
            )
        data = build_problem(scenario, reqs)
        violations = [
            {
                "rule": str(getattr(v, "rule", getattr(v, "kind", ""))),
                "agent": str(getattr(v, "agent", "") or ""),
                "day": getattr(v, "day", None),
                "message": str(getattr(v, "message", v)),
            }
            for v in check(data, roster)
        ]
        kpis: list[dict[str, Any]] = []
        if requirements is not None and not violations:
            evaluation = pipeline.evaluate_stage(scenario, requirements, roster)
            from scheduler.roster.result import Result, SolveStatus

            result = Result(status=SolveStatus.FEASIBLE, objective=None, roster=roster)
            kpis = kpi_records(pipeline.summarize(scenario, requirements, result, evaluation))
        return {"ok": {"violations": violations, "kpis": kpis}}

    return _guarded(body)
