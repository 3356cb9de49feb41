"""``wfm init`` (start from the bundled example) and ``wfm validate`` (check input files)."""

from __future__ import annotations

import shutil
from pathlib import Path

import typer
from rich.console import Console

from forecasts.schema import Problem, infer_interval_minutes, read_history, validate_history
from scheduler.cli.common import EXIT_BAD_INPUT, err_console
from scheduler.errors import FieldProblem, InputError
from scheduler.examples import example_path
from scheduler.model import Scenario
from scheduler.scenario import load_scenario

EXAMPLE_FILES = ("scenario.yaml", "history.csv")


def init(
    directory: Path = typer.Argument(..., help="Directory to write the example into."),
    force: bool = typer.Option(False, "--force", help="Overwrite files that already exist."),
) -> None:
    """Write the bundled bank example (scenario and history) into DIRECTORY to start from."""
    directory.mkdir(parents=True, exist_ok=True)
    existing = [name for name in EXAMPLE_FILES if (directory / name).exists()]
    if existing and not force:
        err_console.print(
            f"[bold red]error[/]: {directory} already has {', '.join(existing)}; "
            "use --force to overwrite (nothing was written)"
        )
        raise typer.Exit(EXIT_BAD_INPUT)
    for name in EXAMPLE_FILES:
        shutil.copyfile(example_path(f"bank/{name}"), directory / name)
    Console().print(
        f"Wrote {', '.join(EXAMPLE_FILES)} to {directory}.\n"
        f"Next: wfm validate --scenario {directory / 'scenario.yaml'} "
        f"--history {directory / 'history.csv'}"
    )


def history_scenario_problems(
    history_queues: set[str], minutes: int, scenario: Scenario
) -> list[FieldProblem]:
    """Problems between a history file and the scenario it is meant to feed."""
    problems = []
    scenario_queues = {q.id for q in scenario.queues}
    for queue in sorted(history_queues - scenario_queues):
        problems.append(
            FieldProblem("history.queue", queue, "queue not defined in the scenario's queues")
        )
    for queue in sorted(scenario_queues - history_queues):
        problems.append(FieldProblem("scenario.queues", queue, "queue has no history to forecast"))
    if minutes != scenario.site.interval_minutes:
        problems.append(
            FieldProblem(
                "history.ds",
                f"{minutes} min",
                f"interval differs from site.interval_minutes={scenario.site.interval_minutes}",
            )
        )
    return problems


def validate(
    scenario_file: Path = typer.Option(..., "--scenario", help="Scenario YAML file."),
    history_file: Path | None = typer.Option(None, "--history", help="History CSV or Parquet."),
) -> None:
    """Check a scenario (and optionally a history file); report every problem at once."""
    problems: list[FieldProblem | Problem] = []
    warnings: list[Problem] = []
    scenario: Scenario | None = None
    try:
        scenario = load_scenario(scenario_file)
    except InputError as exc:
        problems += [FieldProblem(f"scenario:{p.field}", p.value, p.message) for p in exc.problems]
    if history_file is not None:
        from forecasts.schema import HistoryError

        try:
            history = read_history(history_file)
        except HistoryError as exc:
            problems += exc.problems
        else:
            found = validate_history(history)
            problems += [p for p in found if p.severity == "error"]
            warnings += [p for p in found if p.severity != "error"]
            if scenario is not None and not any(p.severity == "error" for p in found):
                problems += history_scenario_problems(
                    set(history["queue"].astype(str)), infer_interval_minutes(history), scenario
                )
    out = Console(soft_wrap=True)
    for warning in warnings:
        out.print(f"[yellow]warning[/]: {warning}", highlight=False)
    if problems:
        err_console.print(f"[bold red]{len(problems)} problem(s)[/]:")
        for problem in problems:
            err_console.print(f"  - {problem}", markup=False, highlight=False)
        raise typer.Exit(EXIT_BAD_INPUT)
    assert scenario is not None
    out.print(
        f"[green]OK[/]: {scenario_file}: {len(scenario.queues)} queues, {len(scenario.agents)} "
        f"agents, {len(scenario.shift_templates)} shift templates, "
        f"{scenario.horizon.days} days from {scenario.horizon.start}"
        + (f"; {history_file}: valid" if history_file else "")
    )


def register(app: typer.Typer) -> None:
    """Add ``init`` and ``validate`` to ``app``."""
    app.command("init")(init)
    app.command("validate")(validate)
