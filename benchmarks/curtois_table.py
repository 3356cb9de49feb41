"""Turn ``curtois_run.py`` JSON lines into a markdown table (stdout).

Usage::

    .venv/bin/python benchmarks/curtois_table.py benchmarks/results/curtois_60s.jsonl

With ``--columns``, one row per instance and one column group per run (objective, gap to the
best known, seconds), each run given as ``LABEL=FILE[,FILE...]`` (files of one run merged, the
last line of an instance winning)::

    .venv/bin/python benchmarks/curtois_table.py --columns \
        "60 s=benchmarks/results/curtois_60s_final.jsonl" \
        "600 s=benchmarks/results/curtois_600s.jsonl,benchmarks/results/curtois_600s_b.jsonl"
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


def _records(paths: str) -> dict[str, dict[str, object]]:
    """Instance name -> its JSON line, over the comma-separated ``paths``."""
    out: dict[str, dict[str, object]] = {}
    for path in paths.split(","):
        for line in Path(path).read_text().splitlines():
            if line.strip():
                record = json.loads(line)
                out[str(record["instance"])] = record
    return out


def columns(runs: list[tuple[str, dict[str, dict[str, object]]]]) -> str:
    """Markdown: instance, best known, then objective / gap / seconds for each labelled run."""
    names = sorted(
        {name for _, records in runs for name in records},
        key=lambda n: int(n.removeprefix("Instance")),
    )
    head = "| instance | best known |" + "".join(
        f" {label} objective | {label} gap | {label} s |" for label, _ in runs
    )
    rule = "|---|---:|" + "---:|---:|---:|" * len(runs)
    out = [head, rule]
    for name in names:
        best = next(
            (r[name].get("best_known") for _, r in runs if r.get(name, {}).get("best_known")), None
        )
        cells = [f"| {name.removeprefix('Instance')} | {best or '-'} |"]
        for _, records in runs:
            r = records.get(name)
            if r is None:
                cells.append(" | | |")
                continue
            gap = r.get("gap")
            proven = " (opt)" if r.get("status") == "OPTIMAL" else ""
            broken = (
                " (violations)" if r["objective"] is not None and not r.get("feasible", 1) else ""
            )
            objective = "-" if r["objective"] is None else f"{r['objective']}{proven}{broken}"
            gap_text = "-" if gap is None else f"{float(str(gap)):+.2%}"
            cells.append(f" {objective} | {gap_text} | {float(str(r['seconds'])):.0f} |")
        out.append("".join(cells))
    return "\n".join(out)


def main() -> None:
    if sys.argv[1:2] == ["--columns"]:
        runs = []
        for spec in sys.argv[2:]:
            label, _, paths = spec.partition("=")
            runs.append((label, _records(paths)))
        print(columns(runs))
        return
    rows = [json.loads(line) for line in Path(sys.argv[1]).read_text().splitlines() if line]
    print(table(rows))


if __name__ == "__main__":
    main()
