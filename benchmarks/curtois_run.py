"""Run the Curtois & Qu benchmark and append one JSON line per instance to a results file.

Usage::

    .venv/bin/python benchmarks/curtois_run.py --time-limit 60 --workers 2 \
        --out benchmarks/results/curtois_60s.jsonl [--only 1-15] [--parallel 1] \
        [--engine scenario]

Each instance runs in its own process (``--parallel`` at a time) so one slow instance cannot
starve the others of memory; rosters go to ``--solutions``. Turn the JSON lines into the
markdown table with ``benchmarks/curtois_table.py``.
"""

from __future__ import annotations

import argparse
import json
import os
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

from scheduler.roster.curtois.benchmark import (
    ENGINES,
    Engine,
    find_instances,
    instance_number,
    read_best_known,
    run_instance,
)
from scheduler.roster.curtois.instances import INSTANCES_DIR

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DIR = INSTANCES_DIR


def _one(
    path: str, solutions: str, time_limit: float, workers: int, seed: int, engine: Engine
) -> str:
    best = read_best_known(Path(path).parent / "best_known.csv")
    load_before = os.getloadavg()[0]
    record = run_instance(
        Path(path), Path(solutions), time_limit, workers, seed, best, engine=engine
    )
    data = record.to_json()
    data["engine"] = engine
    # The machine is shared: the 1-minute load average before and after says how contended.
    data["load_before"] = round(load_before, 2)
    data["load_after"] = round(os.getloadavg()[0], 2)
    return json.dumps(data)


def _selection(spec: str | None, paths: list[Path]) -> list[Path]:
    if not spec:
        return paths
    wanted: set[int] = set()
    for part in spec.split(","):
        lo, _, hi = part.partition("-")
        wanted.update(range(int(lo), int(hi or lo) + 1))
    return [p for p in paths if instance_number(p) in wanted]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--instances-dir", type=Path, default=DEFAULT_DIR)
    parser.add_argument("--only", help="instance numbers, e.g. 1-15 or 1,4,20-24")
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--parallel", type=int, default=1)
    parser.add_argument(
        "--engine",
        choices=list(ENGINES),
        default="curtois",
        help="curtois: the dedicated formulation; scenario: the roster engine on the mapped one",
    )
    parser.add_argument("--solutions", type=Path, default=ROOT / "benchmarks/results/solutions")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    paths = _selection(args.only, find_instances(args.instances_dir))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with ProcessPoolExecutor(max_workers=args.parallel) as pool:
        futures = [
            pool.submit(
                _one,
                str(p),
                str(args.solutions),
                args.time_limit,
                args.workers,
                args.seed,
                args.engine,
            )
            for p in paths
        ]
        for future in as_completed(futures):
            line = future.result()
            with args.out.open("a", encoding="utf-8") as handle:
                handle.write(line + "\n")
                handle.flush()
                os.fsync(handle.fileno())
            print(line, flush=True)


if __name__ == "__main__":
    main()
