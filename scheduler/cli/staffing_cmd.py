"""``wfm erlang`` (a staffing calculator) and ``wfm staff`` (forecast -> requirements table).

``wfm erlang`` sizes one interval (or, with ``--agents``, evaluates a given number of productive
agents) with Erlang C, or Erlang A when ``--patience-seconds`` is given. ``--json`` prints one
object with ``agents, scheduled_agents, service_level, asa_seconds, occupancy, p_wait,
p_abandon, binding`` (``p_abandon`` null without patience, ``asa_seconds`` null when the queue is
unstable, ``binding`` null when evaluating). Impossible inputs exit 2 naming the flag.

``wfm staff`` reads a scenario and a forecast CSV and writes the requirements CSV documented in
:mod:`scheduler.staffing.requirements`.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Annotated, Any

import pandas as pd
import typer
from rich.console import Console
from rich.table import Table

from scheduler.cli.common import EXIT_BAD_INPUT, err_console, user_errors
from scheduler.errors import FieldProblem, InputError
from scheduler.scenario import load_scenario
from scheduler.staffing.erlang import queue_metrics
from scheduler.staffing.sizing import scheduled_from_productive, size_agents

console = Console()


def register(app: typer.Typer) -> None:
    """Add the ``erlang`` and ``staff`` commands to ``app``."""
    app.command("erlang")(erlang)
    app.command("staff")(staff)


def _bad_flag(flag: str, value: object, rule: str) -> typer.Exit:
    err_console.print(f"[bold red]error[/]: {flag} {rule} (got {value!r})", highlight=False)
    return typer.Exit(EXIT_BAD_INPUT)


def _check_flags(
    calls: float,
    interval_minutes: int,
    aht_seconds: float,
    target: float,
    answer_seconds: float,
    patience_seconds: float | None,
    shrinkage: float,
    max_occupancy: float,
    agents: int | None,
) -> None:
    checks: list[tuple[bool, str, object, str]] = [
        (math.isfinite(calls) and calls >= 0, "--calls", calls, "must be a number >= 0"),
        (interval_minutes > 0, "--interval-minutes", interval_minutes, "must be > 0"),
        (
            math.isfinite(aht_seconds) and aht_seconds > 0,
            "--aht-seconds",
            aht_seconds,
            "must be > 0",
        ),
        (0 < target < 1, "--target", target, "must be strictly between 0 and 1"),
        (answer_seconds >= 0, "--answer-seconds", answer_seconds, "must be >= 0"),
        (
            patience_seconds is None or patience_seconds > 0,
            "--patience-seconds",
            patience_seconds,
            "must be > 0",
        ),
        (0 <= shrinkage < 1, "--shrinkage", shrinkage, "must be in [0, 1)"),
        (0 < max_occupancy <= 1, "--max-occupancy", max_occupancy, "must be in (0, 1]"),
        (agents is None or agents >= 0, "--agents", agents, "must be >= 0"),
    ]
    for ok, flag, value, rule in checks:
        if not ok:
            raise _bad_flag(flag, value, rule)


def _number(value: float) -> float | None:
    """JSON has no NaN or infinity: those become null."""
    return float(value) if math.isfinite(value) else None


def erlang(
    calls: Annotated[float, typer.Option("--calls", help="Calls offered in the interval.")],
    aht_seconds: Annotated[float, typer.Option("--aht-seconds", help="Mean handle time, s.")],
    interval_minutes: Annotated[
        int, typer.Option("--interval-minutes", help="Interval length, minutes.")
    ] = 30,
    target: Annotated[
        float, typer.Option("--target", help="Service level target, e.g. 0.8.")
    ] = 0.8,
    answer_seconds: Annotated[
        float, typer.Option("--answer-seconds", help="Answer within this many seconds.")
    ] = 20.0,
    patience_seconds: Annotated[
        float | None,
        typer.Option("--patience-seconds", help="Mean patience, s: use Erlang A."),
    ] = None,
    shrinkage: Annotated[
        float, typer.Option("--shrinkage", help="Share of scheduled time off the phones.")
    ] = 0.0,
    max_occupancy: Annotated[
        float, typer.Option("--max-occupancy", help="Occupancy cap (1 = none).")
    ] = 1.0,
    agents: Annotated[
        int | None,
        typer.Option("--agents", help="Evaluate this many productive agents instead of sizing."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Size (or evaluate) one interval with Erlang C, or Erlang A given a patience."""
    _check_flags(
        calls,
        interval_minutes,
        aht_seconds,
        target,
        answer_seconds,
        patience_seconds,
        shrinkage,
        max_occupancy,
        agents,
    )
    lam = calls / (interval_minutes * 60.0)
    binding: str | None = None
    if agents is None:
        sizing = size_agents(
            [lam],
            aht_seconds,
            service_level=target,
            answer_seconds=answer_seconds,
            max_occupancy=max_occupancy,
            patience_s=patience_seconds,
        )
        n = int(sizing.agents[0])
        binding = str(sizing.binding[0])
    else:
        n = agents
    m = queue_metrics(n, lam, aht_seconds, answer_seconds, patience_seconds)
    result: dict[str, Any] = {
        "agents": n,
        "scheduled_agents": int(scheduled_from_productive([n], shrinkage)[0]),
        "service_level": _number(float(m.service_level)),
        "asa_seconds": _number(float(m.asa_s)),
        "occupancy": _number(float(m.occupancy)),
        "p_wait": _number(float(m.p_wait)),
        "p_abandon": None if patience_seconds is None else _number(float(m.p_abandon)),
        "binding": binding,
    }
    if as_json:
        typer.echo(json.dumps(result))
        return
    model = "Erlang A" if patience_seconds is not None else "Erlang C"
    title = f"{model}: {calls:g} calls / {interval_minutes} min, AHT {aht_seconds:g} s"
    table = Table(title=title)
    table.add_column("measure")
    table.add_column("value", justify="right")
    for key, value in result.items():
        if value is None:
            shown = "-"
        elif isinstance(value, float):
            shown = f"{value:.1f}" if key == "asa_seconds" else f"{value:.4f}"
        else:
            shown = str(value)
        table.add_row(key, shown)
    console.print(table)


def _read_forecast(path: Path) -> pd.DataFrame:
    source = str(path)
    try:
        return pd.read_csv(path)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise InputError(source, [FieldProblem("forecast", source, f"not a CSV: {exc}")]) from exc


def staff(
    scenario: Annotated[Path, typer.Option("--scenario", help="Scenario YAML.")],
    forecast: Annotated[
        Path, typer.Option("--forecast", help="Forecast CSV: queue, ds, offered, aht_s.")
    ],
    out: Annotated[Path, typer.Option("--out", help="Requirements CSV to write.")],
) -> None:
    """Turn a forecast into the requirements table (needs, binding limit, SL curves)."""
    with user_errors():
        loaded = load_scenario(scenario)
        frame = _read_forecast(forecast)
        # The pipeline chains the stages; imported here since it pulls in every stage.
        from scheduler.pipeline import staffing_stage

        requirements = staffing_stage(loaded, frame)
        out.parent.mkdir(parents=True, exist_ok=True)
        requirements.to_csv(out, index=False)
    queues = requirements["queue"].nunique() if len(requirements) else 0
    err_console.print(
        f"wrote {out}: {len(requirements)} rows for {queues} queue(s)", highlight=False
    )
