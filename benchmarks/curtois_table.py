"""Turn ``curtois_run.py`` JSON lines into a markdown table (stdout).

Usage::

    .venv/bin/python benchmarks/curtois_table.py benchmarks/results/curtois_60s.jsonl
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def table(lines: list[dict[str, object]]) -> str:
    """Markdown rows: instance, objective, lower bound, best known, gap, status, seconds, load
    (1-minute load average before/after, when recorded)."""

    def number(record: dict[str, object]) -> int:
        return int(str(record["instance"]).removeprefix("Instance"))

    out = [
        "| instance | objective | lower bound | best known | gap | status | seconds | load |",
        "|---|---:|---:|---:|---:|---|---:|---:|",
    ]
    for r in sorted(lines, key=number):
        gap = r.get("gap")
        broken = r["objective"] is not None and not r.get("feasible", True)
        feasible = " (violations)" if broken else ""
        out.append(
            f"| {r['instance']} | {r['objective'] if r['objective'] is not None else '-'} | "
            f"{r['lower_bound'] if r['lower_bound'] is not None else '-'} | "
            f"{r.get('best_known') or '-'} | "
            f"{'-' if gap is None else f'{float(str(gap)):.2%}'} | {r['status']}{feasible} | "
            f"{r['seconds']} | {_load(r)} |"
        )
    return "\n".join(out)


def _load(record: dict[str, object]) -> str:
    if "load_before" not in record:
        return "-"
    return f"{record['load_before']}/{record.get('load_after', '-')}"


def main() -> None:
    rows = [json.loads(line) for line in Path(sys.argv[1]).read_text().splitlines() if line]
    print(table(rows))


if __name__ == "__main__":
    main()
