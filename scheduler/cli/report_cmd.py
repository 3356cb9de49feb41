"""``wfm report``: the HTML roster report from the files earlier stages wrote.

Reads the scenario, the requirements table and a roster (``roster.json``, a serialised
:class:`~scheduler.roster.result.Result`), re-evaluates the roster's service through the pipeline
and writes one self-contained HTML file. Bad input ends with a message naming the file and the
field, and exit status 2.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import pandas as pd
import typer
from pydantic import ValidationError

from scheduler.cli.common import EXIT_BAD_INPUT, err_console, read_requirements_csv, user_errors
from scheduler.errors import FieldProblem, InputError
from scheduler.model import Scenario
from scheduler.roster.result import Result
from scheduler.scenario import load_scenario

REQUIRED_COLUMNS = ("queue", "ds", "required_agents", "required_int", "scheduled_needed")
"""Columns of the requirements table the report's evaluation cannot do without (DESIGN §4)."""


def read_requirements(path: Path, scenario: Scenario) -> pd.DataFrame:
    """Read a requirements CSV and check it fits the scenario.

    Parameters
    ----------
    path
        The CSV the staffing stage wrote.
    scenario
        Its queues are the ones the table may name.

    Returns
    -------
    pandas.DataFrame
        The table with ``ds`` parsed as timestamps.

    Raises
    ------
    InputError
        Naming missing columns, unparseable timestamps or unknown queues.
    OSError
        When the file cannot be read.
    """
    source = str(path)
    frame = read_requirements_csv(path)
    missing = [c for c in REQUIRED_COLUMNS if c not in frame.columns]
    if missing:
        problems = [FieldProblem(c, list(frame.columns), "missing column") for c in missing]
        raise InputError(source, problems)
    unknown = sorted(set(frame["queue"].astype(str)) - {q.id for q in scenario.queues})
    if unknown:
        known = sorted(q.id for q in scenario.queues)
        raise InputError(source, [FieldProblem("queue", unknown, f"unknown queue; known: {known}")])
    return frame


def read_result(path: Path, scenario: Scenario) -> Result:
    """Read ``roster.json`` and check it is a roster of the scenario's horizon.

    Parameters
    ----------
    path
        A serialised :class:`~scheduler.roster.result.Result`.
    scenario
        The roster must start on its horizon's first day.

    Returns
    -------
    Result
        The validated result.

    Raises
    ------
    InputError
        Naming each invalid field, or a horizon that does not match the scenario's.
    OSError
        When the file cannot be read.
    """
    source = str(path)
    try:
        result = Result.model_validate_json(path.read_text(encoding="utf-8"))
    except ValidationError as exc:
        problems = [
            FieldProblem(".".join(str(p) for p in e["loc"]) or "roster", e.get("input"), e["msg"])
            for e in exc.errors()
        ]
        raise InputError(source, problems) from exc
    if result.roster.horizon_start != scenario.horizon.start:
        problem = FieldProblem(
            "roster.horizon_start",
            result.roster.horizon_start.isoformat(),
            f"the scenario's horizon starts {scenario.horizon.start.isoformat()}",
        )
        raise InputError(source, [problem])
    return result


def build_report(scenario_path: Path, requirements_path: Path, roster_path: Path) -> str:
    """Load the three files, evaluate the roster and render the report.

    Parameters
    ----------
    scenario_path, requirements_path, roster_path
        The stage files.

    Returns
    -------
    str
        The HTML document.
    """
    # Read and check every input before touching the pipeline, so bad files are reported even
    # where a stage cannot run.
    scenario = load_scenario(scenario_path)
    requirements = read_requirements(requirements_path, scenario)
    result = read_result(roster_path, scenario)
    # The pipeline pulls in the forecasting and solver stacks; import it only when a report is
    # actually built so `wfm --help` stays fast.
    from scheduler.pipeline import evaluate_stage, summarize
    from scheduler.report.html import render_report

    evaluation = evaluate_stage(scenario, requirements, result.roster)
    summary = summarize(scenario, requirements, result, evaluation)
    return render_report(scenario, requirements, result, evaluation, summary)


def report(
    scenario: Annotated[
        Path, typer.Option("--scenario", "-s", help="Scenario file (YAML).", dir_okay=False)
    ],
    requirements: Annotated[
        Path, typer.Option("--requirements", "-r", help="requirements.csv from `wfm staff`.")
    ],
    roster: Annotated[Path, typer.Option("--roster", help="roster.json from `wfm roster`.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="HTML file to write.")] = Path(
        "report.html"
    ),
) -> None:
    """Write the HTML roster report (KPIs, service, coverage, Gantt, fairness, changes)."""
    with user_errors():
        document = build_report(scenario, requirements, roster)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(document, encoding="utf-8")
    except OSError as exc:
        err_console.print(f"[bold red]error[/]: cannot write {out}: {exc.strerror or exc}")
        raise typer.Exit(EXIT_BAD_INPUT) from exc
    typer.echo(f"wrote {out} ({len(document.encode('utf-8')) / 1024:.0f} KB)")


def register(app: typer.Typer) -> None:
    """Add the ``report`` command to the ``wfm`` application.

    Parameters
    ----------
    app
        The Typer application.
    """
    app.command("report")(report)
