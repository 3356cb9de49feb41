"""Independent scorer for Curtois & Qu rosters: hard-rule check and objective, from the rules.

Written straight from the benchmark's rules (``shared/benchmarks/curtois/README.md``) over a plain
shift-per-day table, sharing no code with the CP-SAT model, so a modelling error shows up as a
disagreement between the solver's objective and this one.

Hard rules (``H`` days; ``w[d]`` = 1 when a shift is worked on day ``d``):

- at most one shift a day (by construction of the table) and none on a listed day off;
- no shift ``t`` on day ``d+1`` after shift ``s`` on ``d`` when ``t`` is in ``CannotFollow(s)``;
- per shift type, count <= ``MaxShifts``; ``MinTotalMinutes <= sum minutes <= MaxTotalMinutes``;
- every maximal run of worked days has length <= ``MaxConsecutiveShifts``;
- every maximal run of worked days that touches neither day 0 nor day ``H-1`` has length
  >= ``MinConsecutiveShifts``, and likewise every such run of days off has length
  >= ``MinConsecutiveDaysOff``;
- weekends worked (Saturday ``7k+5`` or Sunday ``7k+6`` worked) <= ``MaxWeekends``.

Objective: ``sum(on-request weights not granted) + sum(off-request weights violated) +
sum over cover lines of WeightUnder*max(0, req-n) + WeightOver*max(0, n-req)``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from scheduler.roster.curtois.reader import CurtoisInstance
from scheduler.roster.curtois.roster_file import CurtoisRoster


@dataclass(frozen=True)
class Evaluation:
    """Score of one roster: objective split by term, and every hard-rule violation found."""

    objective: int
    on_request_penalty: int
    off_request_penalty: int
    cover_under_penalty: int
    cover_over_penalty: int
    violations: tuple[str, ...]

    @property
    def feasible(self) -> bool:
        """Whether every hard rule holds."""
        return not self.violations


def _runs(worked: list[bool], value: bool) -> list[tuple[int, int]]:
    """Maximal runs ``(start, length)`` of days whose worked flag equals ``value``."""
    runs: list[tuple[int, int]] = []
    start = None
    for day, flag in enumerate([*worked, not value]):
        if flag == value and start is None:
            start = day
        elif flag != value and start is not None:
            runs.append((start, day - start))
            start = None
    return runs


def hard_violations(instance: CurtoisInstance, roster: CurtoisRoster) -> list[str]:
    """Every hard-rule violation in ``roster``, one readable line each."""
    found: list[str] = []
    horizon = instance.horizon
    minutes = {s.id: s.minutes for s in instance.shifts}
    banned = {s.id: s.cannot_follow for s in instance.shifts}
    if len(roster.shifts) != len(instance.employees):
        return [f"roster has {len(roster.shifts)} rows for {len(instance.employees)} employees"]
    for emp, row in zip(instance.employees, roster.shifts, strict=True):
        who = f"employee {emp.id}"
        if len(row) != horizon:
            found.append(f"{who}: {len(row)} days, expected {horizon}")
            continue
        worked = [s is not None for s in row]
        for day, shift in enumerate(row):
            if shift is None:
                continue
            if shift not in minutes:
                found.append(f"{who} day {day}: unknown shift {shift}")
            if day in emp.days_off:
                found.append(f"{who} day {day}: works {shift} on a day off")
            nxt = row[day + 1] if day + 1 < horizon else None
            if nxt is not None and nxt in banned.get(shift, frozenset()):
                found.append(f"{who} day {day}: {nxt} may not follow {shift}")
        counts = Counter(s for s in row if s is not None)
        for shift, count in counts.items():
            if count > emp.max_shifts.get(shift, 0):
                found.append(f"{who}: {count} x {shift} > max {emp.max_shifts.get(shift, 0)}")
        total = sum(minutes.get(s, 0) for s in row if s is not None)
        if not emp.min_total_minutes <= total <= emp.max_total_minutes:
            found.append(
                f"{who}: {total} minutes outside [{emp.min_total_minutes}, {emp.max_total_minutes}]"
            )
        for start, length in _runs(worked, True):
            if length > emp.max_consecutive_shifts:
                found.append(f"{who}: {length} shifts in a row from day {start}")
            inner = start > 0 and start + length < horizon
            if inner and length < emp.min_consecutive_shifts:
                found.append(f"{who}: only {length} shift(s) in a row from day {start}")
        for start, length in _runs(worked, False):
            inner = start > 0 and start + length < horizon
            if inner and length < emp.min_consecutive_days_off:
                found.append(f"{who}: only {length} day(s) off in a row from day {start}")
        weekends = sum(worked[7 * k + 5] or worked[7 * k + 6] for k in range(horizon // 7))
        if weekends > emp.max_weekends:
            found.append(f"{who}: {weekends} weekends worked > max {emp.max_weekends}")
    return found


def penalties(instance: CurtoisInstance, roster: CurtoisRoster) -> tuple[int, int, int, int]:
    """The four objective terms of ``roster``: on-requests, off-requests, under, over cover."""
    on = sum(r.weight for r in instance.on_requests if roster.shifts[r.employee][r.day] != r.shift)
    off = sum(
        r.weight for r in instance.off_requests if roster.shifts[r.employee][r.day] == r.shift
    )
    staffed = Counter(
        (day, shift) for row in roster.shifts for day, shift in enumerate(row) if shift is not None
    )
    under = over = 0
    for line in instance.cover:
        n = staffed[(line.day, line.shift)]
        under += line.weight_under * max(0, line.requirement - n)
        over += line.weight_over * max(0, n - line.requirement)
    return on, off, under, over


def objective_value(instance: CurtoisInstance, roster: CurtoisRoster) -> int:
    """The benchmark objective of ``roster`` (hard rules not checked)."""
    return sum(penalties(instance, roster))


def evaluate(instance: CurtoisInstance, roster: CurtoisRoster) -> Evaluation:
    """Score ``roster`` against ``instance``: objective terms and hard-rule violations."""
    on, off, under, over = penalties(instance, roster)
    return Evaluation(
        objective=on + off + under + over,
        on_request_penalty=on,
        off_request_penalty=off,
        cover_under_penalty=under,
        cover_over_penalty=over,
        violations=tuple(hard_violations(instance, roster)),
    )
