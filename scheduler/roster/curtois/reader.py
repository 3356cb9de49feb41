"""Reader for the Curtois & Qu shift-scheduling benchmark format.

The files (``shared/benchmarks/curtois/Instance*.txt``) are plain text with ``#`` comment lines
and ``SECTION_*`` headers; every data line is comma-separated. This module turns one file into a
frozen, validated :class:`CurtoisInstance` and fails with an :class:`~scheduler.errors.InputError`
that names the line, the field and the offending value for anything it cannot read.

Sections and fields (``H`` days, day 0 a Monday, weekend ``k`` = days ``7k+5`` and ``7k+6``):

- ``SECTION_HORIZON``: ``H``.
- ``SECTION_SHIFTS``: ``ShiftID, LengthMinutes, CannotFollow`` (``|``-separated shift IDs that may
  not be worked the day after this shift).
- ``SECTION_STAFF``: ``ID, MaxShifts, MaxTotalMinutes, MinTotalMinutes, MaxConsecutiveShifts,
  MinConsecutiveShifts, MinConsecutiveDaysOff, MaxWeekends`` with ``MaxShifts`` a ``|``-separated
  list of ``ShiftID=max``.
- ``SECTION_DAYS_OFF``: ``EmployeeID, Day, Day, ...``.
- ``SECTION_SHIFT_ON_REQUESTS`` / ``SECTION_SHIFT_OFF_REQUESTS``: ``EmployeeID, Day, ShiftID,
  Weight``.
- ``SECTION_COVER``: ``Day, ShiftID, Requirement, WeightUnder, WeightOver``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from scheduler.errors import FieldProblem, InputError

SECTIONS = (
    "SECTION_HORIZON",
    "SECTION_SHIFTS",
    "SECTION_STAFF",
    "SECTION_DAYS_OFF",
    "SECTION_SHIFT_ON_REQUESTS",
    "SECTION_SHIFT_OFF_REQUESTS",
    "SECTION_COVER",
)


@dataclass(frozen=True)
class ShiftType:
    """A shift type: its ID, paid length and the shift types that may not follow it next day."""

    id: str
    minutes: int
    cannot_follow: frozenset[str]


@dataclass(frozen=True)
class Employee:
    """One employee's contract: per-type maxima, minute bounds, sequence and weekend limits."""

    id: str
    max_shifts: Mapping[str, int]
    max_total_minutes: int
    min_total_minutes: int
    max_consecutive_shifts: int
    min_consecutive_shifts: int
    min_consecutive_days_off: int
    max_weekends: int
    days_off: frozenset[int] = frozenset()

    def may_work(self, shift_id: str) -> bool:
        """Whether the contract allows at least one shift of type ``shift_id``."""
        return self.max_shifts.get(shift_id, 0) > 0


@dataclass(frozen=True)
class ShiftRequest:
    """A soft wish: employee ``employee`` on ``day`` wants (on) or does not want (off) ``shift``."""

    employee: int
    day: int
    shift: str
    weight: int


@dataclass(frozen=True)
class Cover:
    """Wanted head count of shift ``shift`` on ``day`` with per-head under/over weights."""

    day: int
    shift: str
    requirement: int
    weight_under: int
    weight_over: int


@dataclass(frozen=True)
class CurtoisInstance:
    """One benchmark instance, validated; employees and shifts keep their file order."""

    name: str
    horizon: int
    shifts: tuple[ShiftType, ...]
    employees: tuple[Employee, ...]
    on_requests: tuple[ShiftRequest, ...]
    off_requests: tuple[ShiftRequest, ...]
    cover: tuple[Cover, ...]
    shift_index: Mapping[str, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        index = {s.id: i for i, s in enumerate(self.shifts)}
        object.__setattr__(self, "shift_index", MappingProxyType(index))

    @property
    def weekends(self) -> int:
        """Number of weekends in the horizon (the horizon is a whole number of weeks)."""
        return self.horizon // 7

    def shift(self, shift_id: str) -> ShiftType:
        """The shift type with ID ``shift_id``."""
        return self.shifts[self.shift_index[shift_id]]


def read_instance(path: str | Path) -> CurtoisInstance:
    """Read and validate one instance file.

    Parameters
    ----------
    path
        An ``Instance<N>.txt`` file; the instance is named after the file stem.

    Returns
    -------
    CurtoisInstance
        The validated instance.

    Raises
    ------
    InputError
        Naming each bad line, field and value.
    """
    path = Path(path)
    return parse_instance(path.read_text(encoding="utf-8"), name=path.stem, source=str(path))


def parse_instance(text: str, name: str, source: str = "<text>") -> CurtoisInstance:
    """Parse the text of one instance file; see :func:`read_instance`."""
    sections = _split_sections(text, source)
    problems: list[FieldProblem] = []
    parser = _Parser(sections, source, problems)
    instance = parser.build(name)
    if problems or instance is None:
        raise InputError(source, problems)
    return instance


def _split_sections(text: str, source: str) -> dict[str, list[tuple[int, list[str]]]]:
    """Group data lines (line number, stripped fields) under their section header."""
    sections: dict[str, list[tuple[int, list[str]]]] = {}
    current: str | None = None
    problems: list[FieldProblem] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("SECTION_"):
            if line not in SECTIONS:
                problems.append(FieldProblem(f"line {number}", line, "unknown section header"))
            elif line in sections:
                problems.append(FieldProblem(f"line {number}", line, "section appears twice"))
            current = line
            sections.setdefault(line, [])
            continue
        if current is None:
            problems.append(FieldProblem(f"line {number}", line, "data before any SECTION_ header"))
            continue
        sections[current].append((number, [f.strip() for f in line.split(",")]))
    for required in ("SECTION_HORIZON", "SECTION_SHIFTS", "SECTION_STAFF", "SECTION_COVER"):
        if required not in sections:
            problems.append(FieldProblem(required, None, "required section is missing"))
    if problems:
        raise InputError(source, problems)
    return sections


class _Parser:
    """Turns grouped lines into the dataclasses, collecting every problem rather than the first."""

    def __init__(
        self,
        sections: dict[str, list[tuple[int, list[str]]]],
        source: str,
        problems: list[FieldProblem],
    ) -> None:
        self.sections = sections
        self.source = source
        self.problems = problems

    def fail(self, line: int, what: str, value: object, message: str) -> None:
        self.problems.append(FieldProblem(f"line {line} {what}", value, message))

    def integer(self, line: int, what: str, value: str, minimum: int = 0) -> int | None:
        try:
            number = int(value)
        except ValueError:
            self.fail(line, what, value, "is not an integer")
            return None
        if number < minimum:
            self.fail(line, what, value, f"must be >= {minimum}")
            return None
        return number

    def fields(self, line: int, values: list[str], count: int, section: str) -> bool:
        # Trailing empty fields (e.g. "D,480,") are part of the format, so only demand `count`.
        if len(values) < count:
            self.fail(line, section, ",".join(values), f"expected {count} fields")
            return False
        return True

    def build(self, name: str) -> CurtoisInstance | None:
        horizon = self.horizon()
        shifts = self.shifts()
        shift_ids = {s.id for s in shifts}
        for s in shifts:
            for other in sorted(s.cannot_follow - shift_ids):
                self.problems.append(
                    FieldProblem(f"shift {s.id} CannotFollow", other, "unknown shift ID")
                )
        employees = self.staff(shift_ids)
        if horizon is None:
            return None
        staff_index = {e.id: i for i, e in enumerate(employees)}
        days_off = self.days_off(staff_index, horizon)
        employees = [
            Employee(**{**e.__dict__, "days_off": frozenset(days_off.get(i, ()))})
            for i, e in enumerate(employees)
        ]
        on = self.requests("SECTION_SHIFT_ON_REQUESTS", staff_index, shift_ids, horizon)
        off = self.requests("SECTION_SHIFT_OFF_REQUESTS", staff_index, shift_ids, horizon)
        cover = self.cover(shift_ids, horizon)
        if self.problems:
            return None
        return CurtoisInstance(
            name=name,
            horizon=horizon,
            shifts=tuple(shifts),
            employees=tuple(employees),
            on_requests=tuple(on),
            off_requests=tuple(off),
            cover=tuple(cover),
        )

    def horizon(self) -> int | None:
        lines = self.sections["SECTION_HORIZON"]
        if len(lines) != 1 or len(lines[0][1]) != 1:
            where = lines[0][0] if lines else 0
            self.fail(where, "SECTION_HORIZON", lines, "expected one line holding the day count")
            return None
        number, values = lines[0]
        horizon = self.integer(number, "horizon", values[0], minimum=1)
        if horizon is not None and horizon % 7:
            self.fail(number, "horizon", horizon, "must be a whole number of weeks")
            return None
        return horizon

    def shifts(self) -> list[ShiftType]:
        shifts: list[ShiftType] = []
        seen: set[str] = set()
        for number, values in self.sections["SECTION_SHIFTS"]:
            if not self.fields(number, values, 2, "shift"):
                continue
            shift_id = values[0]
            if not shift_id or shift_id in seen:
                self.fail(number, "ShiftID", shift_id, "is empty or repeated")
                continue
            minutes = self.integer(number, f"shift {shift_id} LengthMinutes", values[1], 1)
            follow = values[2] if len(values) > 2 else ""
            banned = frozenset(f.strip() for f in follow.split("|") if f.strip())
            if minutes is not None:
                seen.add(shift_id)
                shifts.append(ShiftType(shift_id, minutes, banned))
        if not shifts and not self.problems:
            self.fail(0, "SECTION_SHIFTS", None, "no shift types")
        return shifts

    def staff(self, shift_ids: set[str]) -> list[Employee]:
        employees: list[Employee] = []
        seen: set[str] = set()
        names = (
            "MaxTotalMinutes",
            "MinTotalMinutes",
            "MaxConsecutiveShifts",
            "MinConsecutiveShifts",
            "MinConsecutiveDaysOff",
            "MaxWeekends",
        )
        for number, values in self.sections["SECTION_STAFF"]:
            if not self.fields(number, values, 8, "staff"):
                continue
            emp_id = values[0]
            if not emp_id or emp_id in seen:
                self.fail(number, "employee ID", emp_id, "is empty or repeated")
                continue
            seen.add(emp_id)
            max_shifts: dict[str, int] = {}
            for part in filter(None, (p.strip() for p in values[1].split("|"))):
                shift_id, sep, count = part.partition("=")
                if not sep or shift_id not in shift_ids:
                    self.fail(number, f"employee {emp_id} MaxShifts", part, "expected ShiftID=max")
                    continue
                value = self.integer(number, f"employee {emp_id} MaxShifts {shift_id}", count)
                if value is not None:
                    max_shifts[shift_id] = value
            numbers = [
                self.integer(number, f"employee {emp_id} {what}", raw)
                for what, raw in zip(names, values[2:8], strict=True)
            ]
            if any(n is None for n in numbers):
                continue
            hi, lo, max_run, min_run, min_off, weekends = (int(n or 0) for n in numbers)
            if lo > hi:
                self.fail(number, f"employee {emp_id} MinTotalMinutes", lo, f"exceeds max {hi}")
                continue
            employees.append(
                Employee(
                    id=emp_id,
                    max_shifts=MappingProxyType(max_shifts),
                    max_total_minutes=hi,
                    min_total_minutes=lo,
                    max_consecutive_shifts=max_run,
                    min_consecutive_shifts=min_run,
                    min_consecutive_days_off=min_off,
                    max_weekends=weekends,
                )
            )
        return employees

    def _day(self, number: int, what: str, raw: str, horizon: int) -> int | None:
        day = self.integer(number, what, raw)
        if day is not None and day >= horizon:
            self.fail(number, what, day, f"outside the horizon 0..{horizon - 1}")
            return None
        return day

    def _employee(self, number: int, raw: str, staff: Mapping[str, int]) -> int | None:
        if raw not in staff:
            self.fail(number, "EmployeeID", raw, "unknown employee")
            return None
        return staff[raw]

    def days_off(self, staff: Mapping[str, int], horizon: int) -> dict[int, set[int]]:
        result: dict[int, set[int]] = {}
        for number, values in self.sections.get("SECTION_DAYS_OFF", []):
            emp = self._employee(number, values[0], staff)
            if emp is None:
                continue
            for raw in filter(None, values[1:]):
                day = self._day(number, f"employee {values[0]} day off", raw, horizon)
                if day is not None:
                    result.setdefault(emp, set()).add(day)
        return result

    def requests(
        self, section: str, staff: Mapping[str, int], shift_ids: set[str], horizon: int
    ) -> list[ShiftRequest]:
        found: list[ShiftRequest] = []
        for number, values in self.sections.get(section, []):
            if not self.fields(number, values, 4, section):
                continue
            emp = self._employee(number, values[0], staff)
            day = self._day(number, "Day", values[1], horizon)
            known = self._known_shift(number, values[2], shift_ids)
            weight = self.integer(number, "Weight", values[3])
            if emp is None or day is None or not known or weight is None:
                continue
            found.append(ShiftRequest(emp, day, values[2], weight))
        return found

    def _known_shift(self, number: int, shift_id: str, shift_ids: set[str]) -> bool:
        if shift_id not in shift_ids:
            self.fail(number, "ShiftID", shift_id, "unknown shift")
            return False
        return True

    def cover(self, shift_ids: set[str], horizon: int) -> list[Cover]:
        found: list[Cover] = []
        seen: set[tuple[int, str]] = set()
        for number, values in self.sections["SECTION_COVER"]:
            if not self.fields(number, values, 5, "cover"):
                continue
            day = self._day(number, "Day", values[0], horizon)
            known = self._known_shift(number, values[1], shift_ids)
            req = self.integer(number, "Requirement", values[2])
            under = self.integer(number, "WeightUnder", values[3])
            over = self.integer(number, "WeightOver", values[4])
            if day is None or not known or req is None or under is None or over is None:
                continue
            if (day, values[1]) in seen:
                self.fail(number, "cover", (day, values[1]), "repeated day and shift")
                continue
            seen.add((day, values[1]))
            found.append(Cover(day, values[1], req, under, over))
        return found
