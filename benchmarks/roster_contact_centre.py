"""Contact-centre roster benchmark on seeded generated instances.

For each instance (60 agents / 3 queues and 300 agents / 6 queues, one week at 15 minutes unless
told otherwise) it records the time to the first feasible roster, the objective and service KPIs
at each checkpoint (separate solves with that time limit), peak memory, and whether the roster
validates. Writes a markdown table to ``benchmarks/results/roster_contact_centre.md``.

Usage::

    .venv/bin/python benchmarks/roster_contact_centre.py --checkpoints 30 60 120 --workers 2
"""

from __future__ import annotations

import argparse
import datetime as dt
import resource
import subprocess
import time
from pathlib import Path

from scheduler.roster.generate import generate_instance
from scheduler.roster.problem_data import build_problem
from scheduler.roster.result import ProgressEvent, SolveParams
from scheduler.roster.solve import solve
from scheduler.roster.validate import validate_roster

INSTANCES = {"cc60x3": (60, 3), "cc300x6": (300, 6)}


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

    result = solve(data, SolveParams(time_limit_s=limit, workers=workers, seed=seed),
                   on_progress=progress)
    return {
        "instance": name, "interval": interval, "limit_s": limit, "build_s": round(build_s, 2),
        "first_feasible_s": first[0] if first else None, "objective": result.objective,
        "answered": result.kpis.get("answered_in_target"),
        "under": result.kpis.get("understaffed_agent_intervals"),
        "violations": len(validate_roster(data, result.roster)),
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
    args = parser.parse_args()
    rows = []
    for name in args.instances:
        for limit in args.checkpoints:
            row = run(name, args.interval, limit, args.workers, args.seed)
            print(row, flush=True)
            rows.append(row)
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True, check=False).stdout.strip()
    lines = [
        f"# Contact-centre roster benchmark ({dt.date.today()}, commit {commit})",
        "",
        f"Generated instances (seed {args.seed}), {args.interval}-minute intervals, one week, "
        f"{args.workers} workers. Objective in value units (lower is better: minus contacts "
        "answered in target plus penalties). Each row is a separate solve with that limit.",
        "",
        "| instance | candidates | limit s | first feasible s | objective | answered in target "
        "| understaffed agent-intervals | violations | peak MB |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['instance']} | {r['candidates']} | {r['limit_s']:g} | {r['first_feasible_s']} "
            f"| {r['objective']:,.1f} | {r['answered']:,.1f} | {r['under']:g} | {r['violations']} "
            f"| {r['peak_mb']} |")
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
