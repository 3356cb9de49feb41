"""The ``<Instance>.roster`` solution file: one line per employee, one tab-separated field per day.

Each line holds the employee ID followed by exactly ``H`` tab-separated fields, in the employees'
file order; a field is the shift ID worked that day, or empty for a day off. The file is what the
evaluator scores, so the benchmark's reported objective is that of the file, not the solver's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from scheduler.errors import FieldProblem, InputError
from scheduler.roster.curtois.reader import CurtoisInstance


@dataclass(frozen=True)
class CurtoisRoster:
    """Shift ID (or ``None`` for off) per employee (file order) and day."""

    shifts: tuple[tuple[str | None, ...], ...]

    @classmethod
    def from_rows(cls, rows: Sequence[Sequence[str | None]]) -> CurtoisRoster:
        """Build from any nested sequence, turning empty strings into days off."""
        return cls(tuple(tuple(s or None for s in row) for row in rows))

    def worked(self, employee: int, day: int) -> bool:
        """Whether ``employee`` works on ``day``."""
        return self.shifts[employee][day] is not None


def format_roster(instance: CurtoisInstance, roster: CurtoisRoster) -> str:
    """The text of the ``.roster`` file for ``roster`` (trailing newline included)."""
    if len(roster.shifts) != len(instance.employees):
        raise ValueError(
            f"roster has {len(roster.shifts)} rows, instance {instance.name} has "
            f"{len(instance.employees)} employees"
        )
    lines = []
    for employee, row in zip(instance.employees, roster.shifts, strict=True):
        if len(row) != instance.horizon:
            raise ValueError(
                f"employee {employee.id}: {len(row)} days, expected {instance.horizon}"
            )
        lines.append("\t".join([employee.id, *(s or "" for s in row)]))
    return "\n".join(lines) + "\n"


def write_roster(path: str | Path, instance: CurtoisInstance, roster: CurtoisRoster) -> Path:
    """Write ``roster`` to ``path`` (a file, or a directory that gets ``<Instance>.roster``)."""
    path = Path(path)
    if path.is_dir():
        path = path / f"{instance.name}.roster"
    path.write_text(format_roster(instance, roster), encoding="utf-8")
    return path


def read_roster(path: str | Path, instance: CurtoisInstance) -> CurtoisRoster:
    """Read a ``.roster`` file written for ``instance``.

    Raises
    ------
    InputError
        For a missing or extra employee, a wrong number of day fields or an unknown shift ID,
        naming the line and value.
    """
    path = Path(path)
    text = path.read_text(encoding="utf-8")
    problems: list[FieldProblem] = []
    rows: dict[str, tuple[str | None, ...]] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        fields = line.split("\t")
        emp_id, days = fields[0].strip(), [f.strip() for f in fields[1:]]
        where = f"line {number}"
        if emp_id in rows:
            problems.append(FieldProblem(where, emp_id, "employee listed twice"))
            continue
        # A line whose last days are off may have lost its trailing tabs to an editor.
        if len(days) > instance.horizon:
            problems.append(FieldProblem(where, len(days), f"more than {instance.horizon} days"))
            continue
        days += [""] * (instance.horizon - len(days))
        unknown = [s for s in days if s and s not in instance.shift_index]
        if unknown:
            problems.append(FieldProblem(where, unknown[0], "unknown shift ID"))
            continue
        rows[emp_id] = tuple(s or None for s in days)
    known = [e.id for e in instance.employees]
    for extra in sorted(set(rows) - set(known)):
        problems.append(FieldProblem(str(path), extra, "employee not in the instance"))
    for missing in [e for e in known if e not in rows]:
        problems.append(FieldProblem(str(path), missing, "employee missing from the roster"))
    if problems:
        raise InputError(str(path), problems)
    return CurtoisRoster(tuple(rows[e] for e in known))
