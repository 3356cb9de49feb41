"""The one place that chains the stages: forecast -> staffing -> roster -> evaluation.

The CLI, batch jobs and the gRPC service all call these functions; none re-implements the
chaining. Each stage takes and returns plain tables or typed results, so a planner can stop after
any stage, edit its output file, and go on from there.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from forecasts.core import ForecastRun, forecast_history
from scheduler.model import Scenario
from scheduler.roster.export import roster_table
from scheduler.roster.kpis import coverage_frame
from scheduler.roster.problem_data import build_problem
from scheduler.roster.result import ProgressEvent, Result, Roster, SolveParams
from scheduler.roster.solve import solve
from scheduler.staffing.evaluate import evaluate_schedule, summarize_evaluation
from scheduler.staffing.requirements import build_requirements

Progress = Callable[[str], None]


def forecast_stage(
    history: pd.DataFrame,
    scenario: Scenario | None = None,
    *,
    horizon_days: int | None = None,
    method: str = "auto",
    backtest_origins: int = 4,
    jobs: int = 1,
    progress: Progress | None = None,
) -> ForecastRun:
    """Forecast every queue of ``history`` over the scenario's horizon (or after the history).

    Parameters
    ----------
    history
        Validated history frame (``queue, ds, offered, aht_s[, abandoned]``).
    scenario
        Gives the horizon start and length, opening hours, special days and country; without it
        the forecast starts after the history and open hours are inferred from the data.
    horizon_days
        Overrides the scenario's horizon length (default 7 without a scenario).
    method
        ``auto`` picks per queue the method with the best backtest.
    backtest_origins
        Rolling weekly origins used to pick and report accuracy.
    jobs
        Parallel worker processes.
    progress
        Called with a short message as each queue completes.
    """
    if scenario is None:
        return forecast_history(
            history,
            horizon_days=horizon_days or 7,
            method=method,
            backtest_origins=backtest_origins,
            jobs=jobs,
            progress=progress,
        )
    site = scenario.site
    return forecast_history(
        history,
        horizon_days=horizon_days or scenario.horizon.days,
        start=pd.Timestamp(scenario.horizon.start),
        open_hours=site.forecast_open_hours(),
        special_days=site.forecast_special_days(),
        country=site.country,
        method=method,
        backtest_origins=backtest_origins,
        jobs=jobs,
        progress=progress,
    )


def staffing_stage(scenario: Scenario, forecast: pd.DataFrame) -> pd.DataFrame:
    """Requirements per queue x interval for the scenario's queues and goals.

    Deferred deadlines count the site's open time only (``Site.hours_on``, special days
    included): work arriving just before a closure is due after the reopening.
    """
    site = scenario.site
    return build_requirements(
        forecast,
        scenario.queues,
        site.interval_minutes,
        open_hours=lambda date: [(w.start, w.end) for w in site.hours_on(date)],
    )


def roster_stage(
    scenario: Scenario,
    requirements: pd.DataFrame,
    *,
    params: SolveParams | None = None,
    previous: Roster | None = None,
    on_progress: Callable[[ProgressEvent], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> Result:
    """Roster the scenario's agents against ``requirements``.

    Raises
    ------
    scheduler.errors.InfeasibleError
        When the hard rules cannot all hold; it names the clashing rules.
    scheduler.errors.RosterNotFoundError
        When no roster meeting them was found in the time given (not proven impossible).
    """
    data = build_problem(scenario, requirements, previous)
    return solve(data, params or SolveParams(), on_progress=on_progress, should_stop=should_stop)


def evaluate_stage(scenario: Scenario, requirements: pd.DataFrame, roster: Roster) -> pd.DataFrame:
    """Predicted service per queue x interval for the agents the roster puts on each queue."""
    data = build_problem(scenario, requirements)
    scheduled = coverage_frame(data, roster)
    return evaluate_schedule(
        requirements, scheduled, scenario.queues, scenario.site.interval_minutes
    )


def summarize(
    scenario: Scenario, requirements: pd.DataFrame, result: Result, evaluation: pd.DataFrame
) -> dict[str, Any]:
    """The KPIs a planner reads first (written as ``summary.json``)."""
    daily = _with_goals(summarize_evaluation(evaluation, "day"), scenario)
    weekly = _with_goals(summarize_evaluation(evaluation, "horizon"), scenario)
    paid_minutes = sum(shift.paid_minutes for shift in result.roster.shifts)
    return {
        "solver": {
            "status": result.status.value,
            "objective": result.objective,
            "bound": result.bound,
            "gap": result.gap,
            "seconds": round(result.seconds, 2),
            "seed": result.seed,
            "objective_terms": result.objective_terms,
        },
        "paid_hours": round(paid_minutes / 60, 1),
        "agents_rostered": len({s.agent for s in result.roster.shifts}),
        "agents_available": len(scenario.agents),
        "shifts": len(result.roster.shifts),
        "service_by_queue_week": _records(weekly),
        "service_by_queue_day": _records(daily),
        # Cover by shift type per day: only rows a planner asked for (empty without any).
        "shift_cover": [count.model_dump(mode="json") for count in result.shift_cover],
        "messages": list(result.messages),
    }


def goal_text(scenario: Scenario, queue_id: str) -> str:
    """The queue's promise in words, e.g. ``80% in 20 s`` or ``90% in 240 min``."""
    queue = scenario.queue(queue_id)
    goal = queue.goal
    parts = []
    if goal.service_level is not None:
        within = (
            f"{goal.deadline_minutes} min"
            if goal.deadline_minutes is not None
            else f"{goal.answer_seconds:g} s"
        )
        parts.append(f"{goal.service_level:.0%} in {within}")
    if goal.asa_seconds is not None:
        parts.append(f"ASA ≤ {goal.asa_seconds:g} s")
    if goal.max_abandon is not None:
        parts.append(f"abandon ≤ {goal.max_abandon:.0%}")
    return ", ".join(parts)


def _with_goals(frame: pd.DataFrame, scenario: Scenario) -> pd.DataFrame:
    """Add each queue's goal (text and service-level target) next to its service figures."""
    frame = frame.copy()
    frame["goal"] = [goal_text(scenario, q) for q in frame["queue"]]
    frame["target"] = [scenario.queue(q).goal.service_level for q in frame["queue"]]
    return frame


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = json.loads(frame.to_json(orient="records", date_format="iso"))
    return out


@dataclass(frozen=True)
class PipelineRun:
    """Every stage's output of one end-to-end run."""

    forecast: ForecastRun
    requirements: pd.DataFrame
    result: Result
    evaluation: pd.DataFrame
    summary: dict[str, Any]


def run_all(
    scenario: Scenario,
    history: pd.DataFrame,
    *,
    params: SolveParams | None = None,
    method: str = "auto",
    backtest_origins: int = 4,
    jobs: int = 1,
    progress: Progress | None = None,
    on_progress: Callable[[ProgressEvent], None] | None = None,
) -> PipelineRun:
    """Forecast, size, roster and evaluate in one go (what ``wfm demo`` runs)."""
    say = progress or (lambda _message: None)
    say("forecasting demand")
    forecast = forecast_stage(
        history,
        scenario,
        method=method,
        backtest_origins=backtest_origins,
        jobs=jobs,
        progress=progress,
    )
    for warning in forecast.warnings:
        say(f"history warning: {warning}")
    for queue, note in sorted(forecast.notes.items()):
        say(f"forecast {queue}: {note}")
    say("sizing staff per queue and interval")
    requirements = staffing_stage(scenario, forecast.frame)
    say("building the roster")
    result = roster_stage(scenario, requirements, params=params, on_progress=on_progress)
    say("evaluating the roster")
    evaluation = evaluate_stage(scenario, requirements, result.roster)
    summary = summarize(scenario, requirements, result, evaluation)
    return PipelineRun(forecast, requirements, result, evaluation, summary)


def write_outputs(run: PipelineRun, scenario: Scenario, out_dir: Path) -> dict[str, Path]:
    """Write every stage's output into ``out_dir``; returns the written paths by name."""
    from scheduler.report.html import render_report

    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {
        name: out_dir / name
        for name in (
            "forecast.csv",
            "forecast_metrics.csv",
            "requirements.csv",
            "roster.json",
            "roster.csv",
            "evaluation.csv",
            "summary.json",
            "report.html",
        )
    }
    run.forecast.frame.to_csv(paths["forecast.csv"], index=False)
    run.forecast.metrics.to_csv(paths["forecast_metrics.csv"], index=False)
    run.requirements.to_csv(paths["requirements.csv"], index=False)
    paths["roster.json"].write_text(run.result.model_dump_json(indent=1), encoding="utf-8")
    roster_table(run.result.roster).to_csv(paths["roster.csv"], index=False)
    run.evaluation.to_csv(paths["evaluation.csv"], index=False)
    paths["summary.json"].write_text(json.dumps(run.summary, indent=2), encoding="utf-8")
    paths["report.html"].write_text(
        render_report(scenario, run.requirements, run.result, run.evaluation, run.summary),
        encoding="utf-8",
    )
    return paths
