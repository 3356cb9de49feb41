"""``wfm demo``: the whole pipeline on the bundled bank example, with progress and a summary."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from scheduler.cli.common import user_errors
from scheduler.examples import example_path
from scheduler.roster.result import ProgressEvent, SolveParams

console = Console()


def _say(started: float) -> tuple[Callable[[str], None], Callable[[ProgressEvent], None]]:
    """Printers for stage messages and solver progress, stamped with elapsed seconds."""

    def stage(message: str) -> None:
        stamp = f"[dim]{time.monotonic() - started:6.1f}s[/]"
        console.print(stamp, escape(message), highlight=False)

    def solver(event: ProgressEvent) -> None:
        objective = "-" if event.objective is None else f"{event.objective:,.1f}"
        bound = "" if event.bound is None else f", bound {event.bound:,.1f}"
        note = f" {escape(event.message)}" if event.message else ""
        console.print(
            f"[dim]{time.monotonic() - started:6.1f}s[/]   roster {event.phase}: "
            f"objective {objective}{bound}{note}",
            highlight=False,
        )

    return stage, solver


def summary_table(summary: dict[str, object]) -> Table:
    """Service level per queue for the week, plus the solver's status."""
    table = Table(title="Roster summary (predicted, whole week)")
    for column in ("queue", "offered", "service level", "goal", "under-staffed intervals"):
        table.add_column(column, justify="right" if column != "queue" else "left")
    rows = summary.get("service_by_queue_week", [])
    assert isinstance(rows, list)
    for row in rows:
        table.add_row(
            str(row.get("queue")),
            f"{row.get('offered', 0):,.0f}",
            _pct(row.get("service_level")),
            str(row.get("goal", "")),
            str(row.get("under_intervals", "")),
        )
    return table


def _pct(value: object) -> str:
    return f"{value:.1%}" if isinstance(value, float) else "-"


def demo(
    out: Path = typer.Option(Path("demo-output"), "--out", help="Directory for every output file."),
    time_limit: float = typer.Option(60.0, "--time-limit", help="Roster solver seconds."),
    jobs: int = typer.Option(2, "--jobs", min=1, help="Parallel forecasting processes."),
    seed: int = typer.Option(0, "--seed", help="Solver random seed."),
) -> None:
    """Run forecast -> staffing -> roster -> report on the bundled bank example."""
    from forecasts.schema import read_history
    from scheduler.pipeline import run_all, write_outputs
    from scheduler.scenario import load_scenario

    started = time.monotonic()
    stage, solver = _say(started)
    with user_errors():
        scenario = load_scenario(example_path("bank/scenario.yaml"))
        history = read_history(example_path("bank/history.csv"))
        stage(
            f"loaded the bank example: {len(scenario.queues)} queues, "
            f"{len(scenario.agents)} agents, "
            f"{history['ds'].min():%Y-%m-%d} .. {history['ds'].max():%Y-%m-%d} of history"
        )
        run = run_all(
            scenario,
            history,
            params=SolveParams(time_limit_s=time_limit, seed=seed, workers=2),
            jobs=jobs,
            progress=stage,
            on_progress=solver,
        )
        paths = write_outputs(run, scenario, out)
    console.print(summary_table(run.summary))
    solver_info = run.summary["solver"]
    assert isinstance(solver_info, dict)
    gap = solver_info.get("gap")
    console.print(
        f"Roster: {solver_info['status']}, {run.summary['shifts']} shifts, "
        f"{run.summary['paid_hours']} paid hours"
        + (f", gap {gap:.1%}" if isinstance(gap, float) else "")
        + f". Finished in {time.monotonic() - started:.0f}s."
    )
    console.print("Files: " + ", ".join(str(p) for p in paths.values()), highlight=False)


def register(app: typer.Typer) -> None:
    """Add ``demo`` to ``app``."""
    app.command("demo")(demo)
