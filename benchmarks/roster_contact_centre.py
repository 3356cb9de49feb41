"""Contact-centre roster benchmark on seeded generated instances.

For each instance (60 agents / 3 queues and 300 agents / 6 queues, one week at 15 minutes unless
told otherwise) it records the time to the first feasible roster, the objective and service KPIs
at each checkpoint (separate solves with that time limit), peak memory, whether the roster
validates, and the gap to the LP bound of :mod:`scheduler.roster.bounds` (HiGHS, computed once per
instance with a long limit, so every row is measured against the same bound; ``in-solve gap`` is
what the solve itself reported, empty when the bound was not known within its time limit).
Writes a markdown table to ``benchmarks/results/roster_contact_centre.md``.

``--lp-compare COMMIT`` also solves the LP bound as :mod:`scheduler.roster.bounds` and
:mod:`scheduler.roster.lp_highs` were at ``COMMIT`` (read with ``git show``), old and new in
turns on the same instance, and reports both (size, seconds, value, load average), so that a
speed-up is measured within one run on this shared machine.

Usage::

    .venv/bin/python benchmarks/roster_contact_centre.py --checkpoints 30 60 120 --workers 2
    .venv/bin/python benchmarks/roster_contact_centre.py --checkpoints --lp-compare a320490
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import ModuleType

from scheduler.roster.bounds import lp_bound
from scheduler.roster.generate import generate_instance
from scheduler.roster.problem_data import build_problem
from scheduler.roster.result import ProgressEvent, SolveParams
from scheduler.roster.solve import solve
from scheduler.roster.validate import validate_roster

INSTANCES = {"cc60x3": (60, 3), "cc300x6": (300, 6)}


def bound_of(name: str, interval: int, seed: int) -> tuple[float | None, float, str]:
    """(LP bound, seconds, details) of one generated instance."""
    agents, queues = INSTANCES[name]
    scenario, requirements = generate_instance(agents, queues, interval=interval, seed=seed)
    data = build_problem(scenario, requirements)
    started = time.monotonic()
    bound = lp_bound(data, time_limit=600)
    seconds = round(time.monotonic() - started, 1)
    if bound is None:
        return None, seconds, "no bound"
    details = (
        f"{bound.columns} columns, {bound.rows} rows; build {bound.build_seconds:.1f} s, "
        f"HiGHS {bound.solve_seconds:.1f} s, {bound.iterations} IPM iterations"
    )
    return bound.value, seconds, details


def old_bounds(commit: str, into: Path) -> ModuleType:
    """``scheduler.roster.bounds`` as it was at ``commit`` (its ``lp_highs`` next to it)."""
    for name in ("bounds", "lp_highs"):
        text = subprocess.run(
            ["git", "show", f"{commit}:scheduler/roster/{name}.py"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        (into / f"{name}.py").write_text(text, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("old_bounds", into / "bounds.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["old_bounds"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def lp_compare(name: str, interval: int, seed: int, commit: str, rounds: int) -> list[str]:
    """Old and new LP bound of one instance, solved in turns; markdown table rows."""
    agents, queues = INSTANCES[name]
    scenario, requirements = generate_instance(agents, queues, interval=interval, seed=seed)
    data = build_problem(scenario, requirements)
    rows = []
    with tempfile.TemporaryDirectory(prefix="old-bounds-") as tmp:
        old = old_bounds(commit, Path(tmp))
        for k in range(rounds):
            for label, solve_lp in ((commit, old.lp_bound), ("this commit", lp_bound)):
                load = os.getloadavg()[0]
                started = time.monotonic()
                bound = solve_lp(data, time_limit=600)
                wall = time.monotonic() - started
                value = "none" if bound is None else f"{bound.value:,.2f}"
                size = "" if bound is None else f"{bound.columns} / {bound.rows}"
                rows.append(
                    f"| {name} | {k + 1} | {label} | {size} | {wall:.1f} | {value} | {load:.1f} |"
                )
                print(rows[-1], flush=True)
    return rows


def run(name: str, interval: int, limit: float, workers: int, seed: int) -> dict[str, object]:
    """One solve of one generated instance with ``limit`` seconds."""
    agents, queues = INSTANCES[name]
    scenario, requirements = generate_instance(agents, queues, interval=interval, seed=seed)
    started = time.monotonic()
    data = build_problem(scenario, requirements)
    build_s = time.monotonic() - started
    first: list[float] = []

    def progress(event: ProgressEvent) -> None:
        if event.objective is not None and not first:
            first.append(event.seconds)

    result = solve(
        data, SolveParams(time_limit_s=limit, workers=workers, seed=seed), on_progress=progress
    )
    return {
        "instance": name,
        "interval": interval,
        "limit_s": limit,
        "build_s": round(build_s, 2),
        "first_feasible_s": first[0] if first else None,
        "objective": result.objective,
        "answered": result.kpis.get("answered_in_target"),
        "under": result.kpis.get("understaffed_agent_intervals"),
        "violations": len(validate_roster(data, result.roster)),
        "solve_gap": result.gap,
        "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "candidates": len(data.candidates),
    }


def main() -> None:
    """Run the benchmark and write the table."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--instances", nargs="*", default=list(INSTANCES))
    parser.add_argument("--checkpoints", nargs="*", type=float, default=[30, 60, 120])
    parser.add_argument("--interval", type=int, default=15)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", default="benchmarks/results/roster_contact_centre.md")
    parser.add_argument("--lp-compare", metavar="COMMIT", help="also time the LP as at COMMIT")
    parser.add_argument("--lp-rounds", type=int, default=2, help="old/new turns per instance")
    args = parser.parse_args()
    rows = []
    compared: list[str] = []
    if args.lp_compare:
        for name in args.instances:
            compared += lp_compare(name, args.interval, args.seed, args.lp_compare, args.lp_rounds)
    bounds: dict[str, tuple[float | None, float, str]] = {}
    for name in args.instances:
        bounds[name] = bound_of(name, args.interval, args.seed)
        print(name, "LP bound", bounds[name], flush=True)
        for limit in args.checkpoints:
            row = run(name, args.interval, limit, args.workers, args.seed)
            value = bounds[name][0]
            objective = float(row["objective"])  # type: ignore[arg-type]
            row["gap"] = None if value is None else (objective - value) / max(1.0, abs(objective))
            print(row, flush=True)
            rows.append(row)
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False
    ).stdout.strip()
    machine = (
        f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
        f"load average at the end {os.getloadavg()[0]:.1f} (cores shared with other work)"
    )
    lines = [
        f"# Contact-centre roster benchmark ({dt.date.today()}, commit {commit})",
        "",
        f"Machine: {machine}.",
        "",
        f"Generated instances (seed {args.seed}), {args.interval}-minute intervals, one week, "
        f"{args.workers} workers. Objective in value units (lower is better: minus contacts "
        "answered in target plus penalties). Each row is a separate solve with that limit.",
        "",
        "| instance | candidates | limit s | first feasible s | objective | LP bound | gap "
        "| in-solve gap | answered in target | understaffed agent-intervals | violations "
        "| peak MB |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]

    def pct(value: object) -> str:
        return "" if value is None else f"{100 * float(value):.2f}%"  # type: ignore[arg-type]

    for r in rows:
        value = bounds[str(r["instance"])][0]
        lines.append(
            f"| {r['instance']} | {r['candidates']} | {r['limit_s']:g} | {r['first_feasible_s']} "
            f"| {r['objective']:,.1f} | {'' if value is None else f'{value:,.1f}'} "
            f"| {pct(r['gap'])} | {pct(r['solve_gap'])} | {r['answered']:,.1f} | {r['under']:g} "
            f"| {r['violations']} | {r['peak_mb']} |"
        )
    lines.append("")
    for name, (value, seconds, details) in bounds.items():
        lines.append(
            f"- LP bound of {name}: {value} in {seconds} s wall ({details}; HiGHS IPM without "
            "crossover, one thread, Lagrangian value of its duals)."
        )
    if compared:
        lines += [
            "",
            f"LP bound, {args.lp_compare} vs this commit, in turns on the same instance "
            "(wall seconds including the LP build and the child process):",
            "",
            "| instance | round | LP of | columns / rows | seconds | bound | load average |",
            "|---|---|---|---|---|---|---|",
            *compared,
        ]
    lines.append(
        "- gap = (objective - LP bound) / max(1, |objective|); targets 4.5% (cc60x3) and "
        "1.5% (cc300x6) at 120 s."
    )
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
