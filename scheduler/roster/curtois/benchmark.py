"""Run one Curtois & Qu instance end to end: read, solve, write the roster, score the file.

Two engines solve it: ``curtois``, the dedicated formulation (:mod:`.solve`: column generation
and CP-SAT), and ``scenario``, the contact-centre roster engine on the instance mapped to a
scenario (:mod:`.scenario_engine`). The reported objective is the evaluator's score of the
written ``.roster`` file, re-read from disk, so what is published is what anyone can re-check
from the file, whichever engine wrote it.
"""

from __future__ import annotations

import csv
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Literal

from scheduler.errors import InfeasibleError, RosterNotFoundError
from scheduler.roster.curtois.evaluator import evaluate
from scheduler.roster.curtois.reader import read_instance
from scheduler.roster.curtois.roster_file import read_roster, write_roster
from scheduler.roster.curtois.scenario_engine import solve_with_scenario
from scheduler.roster.curtois.solve import CurtoisResult, ProgressEvent, solve

Engine = Literal["curtois", "scenario"]
"""``curtois``: the dedicated formulation; ``scenario``: the roster engine, mapped instance."""

ENGINES: tuple[Engine, ...] = ("curtois", "scenario")


@dataclass(frozen=True)
class BestKnown:
    """Best objective and lower bound from the literature (``best_known.csv``)."""

    objective: int
    lower_bound: int | None


@dataclass(frozen=True)
class BenchRecord:
    """One benchmark line: what was solved, how well, against the best known."""

    instance: str
    objective: int | None
    lower_bound: int | None
    status: str
    seconds: float
    feasible: bool
    violations: int
    best_known: int | None
    gap: float | None
    time_limit: float
    workers: int
    seed: int
    engine: Engine = "curtois"
    note: str = ""
    """Why there is no roster, when the engine ended without one (empty otherwise)."""

    def to_json(self) -> dict[str, object]:
        """A JSON-ready dict (gap as a fraction of the best known, rounded to 1e-5)."""
        data = asdict(self)
        data["seconds"] = round(self.seconds, 2)
        if self.gap is not None:
            data["gap"] = round(self.gap, 5)
        return data


def instance_number(path: Path) -> int:
    """Sort key: the number in ``Instance<N>.txt`` (so 2 comes before 10)."""
    match = re.search(r"(\d+)", path.stem)
    return int(match.group(1)) if match else 0


def find_instances(directory: Path) -> list[Path]:
    """Every ``Instance*.txt`` in ``directory``, in numeric order."""
    return sorted(directory.glob("Instance*.txt"), key=instance_number)


def read_best_known(path: Path) -> dict[str, BestKnown]:
    """Parse ``best_known.csv`` (columns ``instance, best_known, lower_bound``)."""
    if not path.exists():
        return {}
    found: dict[str, BestKnown] = {}
    with path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            bound = row.get("lower_bound") or ""
            found[row["instance"]] = BestKnown(
                int(row["best_known"]), int(bound) if bound.strip() else None
            )
    return found


def run_instance(
    path: Path,
    solutions: Path,
    time_limit: float,
    workers: int = 2,
    seed: int = 0,
    best_known: dict[str, BestKnown] | None = None,
    progress: Callable[[ProgressEvent], None] | None = None,
    engine: Engine = "curtois",
) -> BenchRecord:
    """Solve the instance at ``path`` with ``engine``, write ``solutions/<Instance>.roster``,
    score that file (``progress`` reports the dedicated engine's incumbents)."""
    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r}; use one of {list(ENGINES)}")
    instance = read_instance(path)
    result: CurtoisResult
    note = ""
    if engine == "scenario":
        began = time.monotonic()
        try:
            result = solve_with_scenario(instance, time_limit, workers, seed).curtois
        except (InfeasibleError, RosterNotFoundError) as exc:
            # One instance without a roster is a line of the benchmark, not the end of it.
            proven = isinstance(exc, InfeasibleError)
            reasons = exc.clashes if isinstance(exc, InfeasibleError) else exc.reasons
            note = ("infeasible: " if proven else "not found in time: ") + "; ".join(reasons)
            result = CurtoisResult(
                instance=instance.name,
                status="INFEASIBLE" if proven else "UNKNOWN",
                objective=None,
                lower_bound=None,
                seconds=time.monotonic() - began,
                roster=None,
                seed=seed,
                lns_iterations=0,
            )
    else:
        result = solve(
            instance, time_limit=time_limit, workers=workers, seed=seed, progress=progress
        )
    objective: int | None = None
    violations = 0
    if result.roster is not None:
        solutions.mkdir(parents=True, exist_ok=True)
        written = write_roster(solutions / f"{instance.name}.roster", instance, result.roster)
        evaluation = evaluate(instance, read_roster(written, instance))
        objective, violations = evaluation.objective, len(evaluation.violations)
    known = (best_known or {}).get(instance.name)
    gap = None
    if known is not None and objective is not None and known.objective:
        gap = (objective - known.objective) / known.objective
    return BenchRecord(
        instance=instance.name,
        objective=objective,
        lower_bound=result.lower_bound,
        status=result.status,
        seconds=result.seconds,
        feasible=objective is not None and violations == 0,
        violations=violations,
        best_known=None if known is None else known.objective,
        gap=gap,
        time_limit=time_limit,
        workers=workers,
        seed=seed,
        engine=engine,
        note=note,
    )


def run_all(
    paths: Iterable[Path],
    solutions: Path,
    time_limit: float,
    workers: int = 2,
    seed: int = 0,
    best_known: dict[str, BestKnown] | None = None,
    engine: Engine = "curtois",
) -> Iterable[BenchRecord]:
    """:func:`run_instance` over ``paths``, yielding each record as soon as it is done."""
    for path in paths:
        yield run_instance(path, solutions, time_limit, workers, seed, best_known, engine=engine)
