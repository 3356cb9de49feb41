"""Figures of a ``wfm demo`` output directory: queue switches per shift, SL per queue, gap.

Usage: ``.venv/bin/python benchmarks/roster_demo_figures.py /tmp/d [--markdown]``.

A *switch* is a change of queue between two activities that touch (one ends when the next
starts), i.e. between adjacent on-queue intervals of one shift -- the quantity the
``queue_switch`` objective term counts. Changes across a break are counted separately
(``after_break``): the agent comes back from the break on another queue.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import json
from pathlib import Path


def _minutes(clock: str) -> int:
    hours, minutes = clock.split(":")
    return int(hours) * 60 + int(minutes)


def switch_counts(roster_csv: Path) -> dict[str, float]:
    """Shifts, multi-queue shifts, switches (touching activities) and changes after breaks."""
    shifts = switches = after_break = mixed = 0
    per_shift: list[int] = []
    with roster_csv.open() as fh:
        for row in csv.DictReader(fh):
            shifts += 1
            acts = []
            for part in filter(None, (p.strip() for p in row["activities"].split(";"))):
                queue, span = part.rsplit(" ", 1)
                start, end = span.split("-")
                acts.append((_minutes(start), _minutes(end), queue))
            acts.sort()
            here = 0
            for (_, e1, q1), (s2, _, q2) in itertools.pairwise(acts):
                if q1 != q2:
                    if s2 == e1:
                        here += 1
                    else:
                        after_break += 1
            switches += here
            per_shift.append(here)
            mixed += len({a[2] for a in acts}) > 1
    return {
        "shifts": shifts,
        "switches": switches,
        "switches_per_shift": round(switches / max(shifts, 1), 2),
        "max_switches_in_a_shift": max(per_shift, default=0),
        "changes_after_breaks": after_break,
        "shifts_on_several_queues": mixed,
    }


def main() -> None:
    """Print the figures of one demo output directory."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    args = parser.parse_args()
    summary = json.loads((args.out / "summary.json").read_text())
    figures = switch_counts(args.out / "roster.csv")
    solver = summary["solver"]
    figures.update(
        objective=solver["objective"],
        bound=solver["bound"],
        gap_pct=None if solver["gap"] is None else round(100 * solver["gap"], 2),
        terms=solver["objective_terms"],
        service_level={
            s["queue"]: round(100 * s["service_level"], 1) for s in summary["service_by_queue_week"]
        },
        under_intervals={
            s["queue"]: s["under_intervals"] for s in summary["service_by_queue_week"]
        },
    )
    print(json.dumps(figures, indent=1))


if __name__ == "__main__":
    main()
