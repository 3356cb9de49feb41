"""Check any roster against the hard rules, independently of how it was made.

Used by the ValidateRoster RPC, by planners who edit a roster by hand, and by the tests of the
solver (a roster the engine returns must validate clean). It reads the scenario's rules directly
rather than the solver's candidate set, so it also catches an engine bug. Rules over the whole
roster (shift cover minima and maxima per day) are reported with agent ``*``.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from dataclasses import dataclass

from scheduler.model import format_clock
from scheduler.model.base import MINUTES_PER_DAY
from scheduler.roster.cpsat.constraints import availability, pinned
from scheduler.roster.cpsat.constraints.contracts import horizon_limits, week_limits
from scheduler.roster.kpis import shift_cover_counts
from scheduler.roster.problem_data import ProblemData
from scheduler.roster.result import Roster, Shift


@dataclass(frozen=True)
class Violation:
    """One broken hard rule: which rule, whose, which day (None for week-level rules), why."""

    rule: str
    agent: str
    day: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.agent}" + ("" if self.day is None else f" day {self.day}")
        return f"[{self.rule}] {where}: {self.message}"


def validate_roster(data: ProblemData, roster: Roster) -> list[Violation]:
    """Every hard-rule violation in ``roster`` (empty when it is valid).

    Parameters
    ----------
    data
        The problem the roster is for.
    roster
        The roster to check.

    Returns
    -------
    list[Violation]
        Ordered by agent, then day.
    """
    out: list[Violation] = []
    scenario = data.scenario
    if roster.horizon_start != data.horizon_start or roster.days != data.days:
        out.append(
            Violation(
                "horizon",
                "*",
                None,
                f"roster covers {roster.horizon_start}+{roster.days}d, problem "
                f"{data.horizon_start}+{data.days}d",
            )
        )
    agents = {a.id: a for a in scenario.agents}
    by_agent: dict[str, dict[int, Shift]] = defaultdict(dict)
    for shift in roster.shifts:
        if shift.agent not in agents:
            out.append(Violation("agent", shift.agent, shift.day, "unknown agent"))
            continue
        if not 0 <= shift.day < data.days:
            out.append(Violation("horizon", shift.agent, shift.day, "day outside the horizon"))
            continue
        if shift.day in by_agent[shift.agent]:
            out.append(Violation("assignment", shift.agent, shift.day, "more than one shift"))
            continue
        by_agent[shift.agent][shift.day] = shift
        out.extend(_check_shift(data, shift))
    for spec in data.agents:
        out.extend(_check_week(data, spec.index, by_agent.get(spec.id, {})))
    out.extend(_check_cover(data, roster))
    return sorted(out, key=lambda v: (v.agent, -1 if v.day is None else v.day, v.rule))


def _check_cover(data: ProblemData, roster: Roster) -> list[Violation]:
    """Shift cover rows below their minimum or above their maximum on a day."""
    out = []
    for row in shift_cover_counts(data.scenario, roster):
        where = f"shift_cover[{row.entry}] ({row.label}) on {row.date.isoformat()}"
        if row.shortfall:
            out.append(
                Violation(
                    "shift_cover",
                    "*",
                    row.day,
                    f"{where}: {row.scheduled} shift(s) < min {row.min}",
                )
            )
        if row.excess:
            out.append(
                Violation(
                    "shift_cover",
                    "*",
                    row.day,
                    f"{where}: {row.scheduled} shift(s) > max {row.max}",
                )
            )
    return out


def _check_shift(data: ProblemData, shift: Shift) -> list[Violation]:
    scenario = data.scenario
    agent = scenario.agents[data.agent_index(shift.agent)]
    contract = scenario.contract(agent.contract)
    out: list[Violation] = []

    def bad(rule: str, message: str) -> None:
        out.append(Violation(rule, shift.agent, shift.day, message))

    if shift.template not in contract.shift_templates:
        bad("contracts", f"template {shift.template!r} not allowed by contract {contract.id!r}")
        return out
    tpl = scenario.template(shift.template)
    start_clock = shift.start - shift.day * MINUTES_PER_DAY
    length = shift.end - shift.start
    if start_clock not in tpl.starts():
        bad("template", f"start {format_clock(start_clock)} not a start of {tpl.id!r}")
    if length not in tpl.lengths_minutes:
        bad("template", f"length {length} min not a length of {tpl.id!r}")
    date = data.date(shift.day)
    if not tpl.runs_on(date.weekday()):
        bad("template", f"{tpl.id!r} does not run on {date:%A}")
    if date in agent.time_off:
        bad("availability", f"works on time off {date}")
    elif not availability.available(agent, date, start_clock, length):
        bad("availability", f"{format_clock(start_clock)}+{length} min outside availability")
    if shift.paid_minutes != tpl.paid_minutes(length):
        bad("template", f"paid_minutes {shift.paid_minutes} != {tpl.paid_minutes(length)}")
    # Breaks: one per rule, in its window, with its length, not overlapping.
    names = [b.name for b in shift.breaks]
    expected = [r.name for r in tpl.breaks]
    if sorted(names) != sorted(expected):
        bad("breaks", f"breaks {names} but template {tpl.id!r} needs {expected}")
    spans = sorted((b.start, b.end) for b in shift.breaks)
    for (_, e1), (s2, _) in itertools.pairwise(spans):
        if s2 < e1:
            bad("breaks", f"breaks overlap at {shift.clock(s2)}")
    # Pair the i-th break of a name with the i-th rule of that name.
    pending = defaultdict(list)
    for r in tpl.breaks:
        pending[r.name].append(r)
    for b in sorted(shift.breaks, key=lambda x: x.start):
        if not pending.get(b.name):
            continue
        rule = pending[b.name].pop(0)
        if b.end - b.start != rule.minutes:
            bad("breaks", f"{b.name} lasts {b.end - b.start} min, rule says {rule.minutes}")
        if not (
            shift.start + rule.earliest_after_start <= b.start
            and b.end <= shift.start + rule.latest_end_after_start
        ):
            bad(
                "breaks", f"{b.name} {shift.clock(b.start)}-{shift.clock(b.end)} outside its window"
            )
    # Activities: inside the shift, off breaks, one at a time, on skilled queues.
    acts = sorted(shift.activities, key=lambda a: a.start)
    for act in acts:
        if act.queue not in agent.skills:
            bad("skills", f"works {act.queue!r} without the skill")
        if act.start < shift.start or act.end > shift.end or act.end <= act.start:
            bad(
                "activities",
                f"{act.queue} {shift.clock(act.start)}-{shift.clock(act.end)} outside the shift",
            )
        for b in shift.breaks:
            if act.start < b.end and b.start < act.end:
                bad("activities", f"{act.queue} overlaps {b.name} at {shift.clock(b.start)}")
    for a1, a2 in itertools.pairwise(acts):
        if a2.start < a1.end:
            bad("activities", f"activities overlap at {shift.clock(a2.start)}")
    return out


def _check_horizon(data: ProblemData, a: int, shifts: dict[int, Shift]) -> list[Violation]:
    """The contract's limits over the whole horizon (minutes, shifts per kind)."""
    spec = data.agents[a]
    limits = horizon_limits(spec.contract)
    if not limits.any:
        return []
    kinds = {t.id: t.kind for t in data.templates}
    paid = sum(s.paid_minutes for s in shifts.values())
    out: list[Violation] = []

    def bad(message: str) -> None:
        out.append(Violation("contracts", spec.id, None, message))

    if limits.max_minutes is not None and paid > limits.max_minutes:
        bad(f"horizon: {paid} paid min > max_minutes_per_horizon {limits.max_minutes}")
    if limits.min_minutes is not None and paid < limits.min_minutes:
        # " < min " marks a minimum more days can still reach (construct.py relies on it).
        bad(f"horizon: {paid} paid min < min {limits.min_minutes} (min_minutes_per_horizon)")
    for kind, limit in limits.max_by_kind:
        count = sum(1 for s in shifts.values() if kinds[s.template] == kind)
        if count > limit:
            bad(f"horizon: {count} {kind} shifts > max_shifts_by_kind_per_horizon {limit}")
    return out


def _check_week(data: ProblemData, a: int, shifts: dict[int, Shift]) -> list[Violation]:
    spec = data.agents[a]
    contract = spec.contract
    kinds = {t.id: t.kind for t in data.templates}
    out: list[Violation] = []

    def bad(rule: str, day: int | None, message: str) -> None:
        out.append(Violation(rule, spec.id, day, message))

    # Days by week in one pass: the construction checks long horizons week by week per
    # candidate, and a scan of every day per week made that quadratic.
    by_week: dict[int, list[int]] = {}
    for d, w in enumerate(data.week_of_day):
        by_week.setdefault(w, []).append(d)
    for w, days in sorted(by_week.items()):
        n = len(days)
        paid = sum(shifts[d].paid_minutes for d in days if d in shifts)
        worked = sum(1 for d in days if d in shifts)
        limits = week_limits(data.scenario, contract, n)
        hi, lo = limits.max_minutes, limits.min_minutes
        if paid > hi:
            bad("contracts", None, f"week {w + 1}: {paid} paid min > max {hi}")
        if paid < lo:
            bad("contracts", None, f"week {w + 1}: {paid} paid min < min {lo}")
        if worked > limits.max_days:
            bad("contracts", None, f"week {w + 1}: {worked} days > max_days {limits.max_days}")
        if worked < limits.min_days:
            bad("contracts", None, f"week {w + 1}: {worked} days < min_days {limits.min_days}")
        for kind, limit in limits.max_by_kind:
            count = sum(1 for d in days if d in shifts and kinds[shifts[d].template] == kind)
            if count > limit:
                bad("contracts", None, f"week {w + 1}: {count} {kind} shifts > {limit}")
    out.extend(_check_horizon(data, a, shifts))
    # Day series with the previous roster's tail.
    series: dict[int, tuple[int, int, str] | None] = {}
    if data.previous is not None:
        for d in range(-14, 0):
            series[d] = None
    for t in spec.tail:
        series[t.day] = (t.start, t.end, t.kind)
    for d in range(data.days):
        s = shifts.get(d)
        series[d] = None if s is None else (s.start, s.end, kinds[s.template])
    days_sorted = sorted(series)
    works = {d: series[d] is not None for d in days_sorted}
    run = 0
    for d in days_sorted:
        run = run + 1 if works[d] else 0
        if run > contract.max_consecutive_days and d >= 0:
            bad("sequences", d, f"{run} consecutive days > {contract.max_consecutive_days}")
    for gap in range(1, contract.min_consecutive_days_off):
        for d in days_sorted:
            window = [d + i for i in range(gap + 2)]
            if not all(i in works for i in window) or window[-1] < 0:
                continue
            if works[d] and works[d + gap + 1] and not any(works[d + i] for i in range(1, gap + 1)):
                bad(
                    "sequences",
                    d + 1,
                    f"only {gap} day(s) off, contract needs {contract.min_consecutive_days_off}",
                )
    for run in range(1, contract.min_consecutive_days):
        for d in days_sorted:
            window = [d + i for i in range(run + 2)]
            if not all(i in works for i in window) or window[-1] < 0:
                continue
            if not works[d] and not works[d + run + 1] and all(works[i] for i in window[1:-1]):
                bad(
                    "sequences",
                    d + 1,
                    f"only {run} consecutive day(s) worked, contract needs "
                    f"{contract.min_consecutive_days}",
                )
    for pin_day in sorted(spec.pinned_days):
        pin = next(p for p in data.scenario.agents[a].pinned if p.date == data.date(pin_day))
        got = shifts.get(pin_day)
        if got is None or not pinned.matches(
            pin, got.template, got.start - pin_day * MINUTES_PER_DAY, got.end - got.start
        ):
            bad("pinned", pin_day, f"pinned {pin.template} at {format_clock(pin.start)} not kept")
    if contract.max_weekends is not None:
        weekends = {data.weekend_of_day[d] for d in shifts if data.weekend_of_day[d] is not None}
        if len(weekends) > contract.max_weekends:
            bad("sequences", None, f"{len(weekends)} weekends > max {contract.max_weekends}")
    rest = contract.min_rest_minutes
    for d in days_sorted:
        first = series.get(d)
        if first is None:
            continue
        for e in (d + 1, d + 2):
            second = series.get(e)
            if second is None or e < 0:
                continue
            if second[0] < first[1] + rest:
                bad("rest", e, f"{(second[0] - first[1]) / 60:.1f} h rest < {rest / 60:.1f} h")
        nxt = series.get(d + 1)
        if nxt is not None and d + 1 >= 0 and (first[2], nxt[2]) in data.forbidden:
            bad("rest", d + 1, f"forbidden succession {first[2]} -> {nxt[2]}")
    return out
