"""``wfm roster``: build a roster from a scenario and a requirements table.

Writes ``DIR/roster.json`` (the whole :class:`~scheduler.roster.result.Result`) and
``DIR/roster.csv`` (one row per agent shift with breaks and activities as ``HH:MM``) and
``DIR/fairness.csv`` (per agent: hours vs target, weekends, nights, lates, earlies, with the
ledger carried in). Bad input
exits 2 naming the field and value; hard rules that cannot all hold exit 3 listing the clashes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import pandas as pd
import typer
from pydantic import ValidationError
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from scheduler.cli.common import err_console, read_requirements_csv, user_errors
from scheduler.errors import FieldProblem, InputError
from scheduler.roster.export import roster_table
from scheduler.roster.problem_data import build_problem
from scheduler.roster.result import ProgressEvent, Result, Roster, SolveParams
from scheduler.roster.solve import solve
from scheduler.scenario import load_scenario


def read_previous(path: Path) -> Roster:
    """A published roster: a ``roster.json`` Result or a bare Roster JSON."""
    text = path.read_text(encoding="utf-8")
    try:
        return Result.model_validate_json(text).roster
    except ValidationError:
        pass
    try:
        return Roster.model_validate_json(text)
    except ValidationError as exc:
        raise InputError(
            str(path),
            [FieldProblem("previous", str(path), f"neither a Result nor a Roster: {exc}")],
        ) from exc


def roster(
    scenario: Annotated[Path, typer.Option("--scenario", help="scenario YAML")],
    requirements: Annotated[Path, typer.Option("--requirements", help="requirements CSV")],
    out: Annotated[Path, typer.Option("--out", help="output directory")],
    previous: Annotated[
        Path | None, typer.Option("--previous", help="published roster JSON (stability)")
    ] = None,
    time_limit: Annotated[float, typer.Option("--time-limit", help="seconds")] = 60.0,
    workers: Annotated[int, typer.Option("--workers", help="CP-SAT workers")] = 2,
    seed: Annotated[int, typer.Option("--seed", help="random seed")] = 0,
) -> None:
    """Build a roster: shifts, breaks and queue activities for every agent."""
    with user_errors():
        if time_limit <= 0 or workers < 1:
            raise InputError(
                "options",
                [FieldProblem("--time-limit/--workers", (time_limit, workers), "must be positive")],
            )
        scen = load_scenario(scenario)
        req = read_requirements_csv(requirements)
        prev = read_previous(previous) if previous is not None else None
        data = build_problem(scen, req, prev)
        params = SolveParams(time_limit_s=time_limit, workers=workers, seed=seed)
        with Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            TimeElapsedColumn(),
            console=err_console,
            transient=True,
        ) as progress:
            task = progress.add_task("rostering", total=None)

            def report(event: ProgressEvent) -> None:
                value = "" if event.objective is None else f" objective {event.objective:,.1f}"
                progress.update(task, description=f"{event.phase}{value} {event.message}")

            result = solve(data, params, on_progress=report)
        out.mkdir(parents=True, exist_ok=True)
        (out / "roster.json").write_text(result.model_dump_json(indent=1), encoding="utf-8")
        roster_table(result.roster).to_csv(out / "roster.csv", index=False)
        # Per-agent fairness with the ledger totals, to carry into next week's scenario.
        pd.DataFrame([f.audit_dict() for f in result.fairness]).to_csv(
            out / "fairness.csv", index=False
        )
        kpis = ", ".join(f"{k} {v:,.1f}" for k, v in result.kpis.items())
        err_console.print(
            f"[green]{result.status.value}[/] objective {result.objective:,.1f} in "
            f"{result.seconds:.1f}s; {len(result.roster.shifts)} shifts; {kpis}"
        )
        err_console.print(
            f"wrote {out / 'roster.json'}, {out / 'roster.csv'} and {out / 'fairness.csv'}"
        )


def register(app: typer.Typer) -> None:
    """Add the ``roster`` command to ``app``."""
    app.command("roster")(roster)
