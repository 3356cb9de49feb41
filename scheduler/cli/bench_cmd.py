"""``wfm bench``: literature benchmarks; ``wfm bench curtois`` runs the Curtois & Qu instances.

``--engine curtois`` (the default) solves them with the dedicated formulation, ``--engine
scenario`` with the contact-centre roster engine on the instances mapped to scenarios; both
write the same roster files, scored by the same evaluator.
"""

from __future__ import annotations

import json
import os
import time
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from scheduler.cli.common import err_console, user_errors
from scheduler.roster.curtois.benchmark import (
    BenchRecord,
    find_instances,
    read_best_known,
    run_instance,
)
from scheduler.roster.curtois.instances import INSTANCES_DIR

DEFAULT_INSTANCES = INSTANCES_DIR
"""The bundled copies of the 24 instances (package data)."""

console = Console()


class EngineChoice(StrEnum):
    """Which engine solves the instances."""

    CURTOIS = "curtois"
    SCENARIO = "scenario"


def register(app: typer.Typer) -> None:
    """Add the ``bench`` sub-app (with ``curtois``) to ``app``."""
    bench = typer.Typer(help="Literature benchmarks.", no_args_is_help=True)
    bench.command("curtois")(curtois)
    app.add_typer(bench, name="bench")


def curtois(
    files: Annotated[
        list[Path] | None,
        typer.Argument(help="Instance files; default every Instance*.txt of --instances-dir."),
    ] = None,
    time_limit: Annotated[float, typer.Option(help="Seconds per instance (> 0).")] = 60.0,
    workers: Annotated[int, typer.Option(help="CP-SAT worker threads (>= 1).")] = 2,
    solutions: Annotated[
        Path, typer.Option(help="Directory for the <Instance>.roster files.")
    ] = Path("solutions"),
    json_lines: Annotated[
        bool, typer.Option("--json", help="One JSON object per instance and line.")
    ] = False,
    seed: Annotated[int, typer.Option(help="Random seed.")] = 0,
    instances_dir: Annotated[
        Path, typer.Option(help="Where the instances and best_known.csv live.")
    ] = DEFAULT_INSTANCES,
    engine: Annotated[
        EngineChoice,
        typer.Option(
            case_sensitive=False,
            help="curtois: the dedicated formulation; scenario: the contact-centre roster engine "
            "on the instance mapped to a scenario.",
        ),
    ] = EngineChoice.CURTOIS,
) -> None:
    """Solve Curtois & Qu instances, write their rosters and score the written files."""
    if not time_limit > 0:
        raise typer.BadParameter(f"must be > 0, got {time_limit}", param_hint="--time-limit")
    if workers < 1:
        raise typer.BadParameter(f"must be >= 1, got {workers}", param_hint="--workers")
    with user_errors():
        paths = list(files) if files else find_instances(instances_dir)
        if not paths:
            raise typer.BadParameter(f"no Instance*.txt in {instances_dir}")
        missing = [p for p in paths if not p.is_file()]
        if missing:
            raise typer.BadParameter(f"no such instance file: {missing[0]}")
        known_dir = paths[0].parent if files else instances_dir
        best = read_best_known(known_dir / "best_known.csv")
        records: list[BenchRecord] = []
        for number, path in enumerate(paths, start=1):
            # Progress goes to stderr so that --json output stays one object per line.
            err_console.print(
                f"[{number}/{len(paths)}] {path.stem}: {engine.value} engine, "
                f"{time_limit:g} s, {workers} worker(s) ...",
                highlight=False,
            )
            began = time.monotonic()
            record = run_instance(
                path, solutions, time_limit, workers, seed, best, engine=engine.value
            )
            # The machine's load says how much of the cores the run really had.
            err_console.print(
                f"[{number}/{len(paths)}] {record.instance}: objective {record.objective} "
                f"({record.status}) in {time.monotonic() - began:.1f} s, "
                f"load {os.getloadavg()[0]:.2f}",
                highlight=False,
            )
            if record.note:
                err_console.print(f"  {record.note}", markup=False, highlight=False)
            records.append(record)
            if json_lines:
                typer.echo(json.dumps(record.to_json()))
            else:
                console.print(
                    f"{record.instance}: {record.objective} ({record.status}, "
                    f"{record.seconds:.1f} s)",
                    highlight=False,
                )
        if not json_lines:
            console.print(results_table(records))


def results_table(records: list[BenchRecord]) -> Table:
    """Objective, bound, best known and gap per instance."""
    table = Table(title="Curtois & Qu benchmark")
    for column in ("instance", "objective", "lower bound", "best known", "gap", "status", "s"):
        table.add_column(column, justify="left" if column in ("instance", "status") else "right")
    for r in records:
        table.add_row(
            r.instance,
            "-" if r.objective is None else str(r.objective),
            "-" if r.lower_bound is None else str(r.lower_bound),
            "-" if r.best_known is None else str(r.best_known),
            "-" if r.gap is None else f"{r.gap:.2%}",
            r.status if r.feasible or r.objective is None else f"{r.status} (violations!)",
            f"{r.seconds:.1f}",
        )
    return table
