"""Typed outputs of the roster engine: the roster itself, solver status, KPIs and the diff.

Times are integer minutes from local midnight at the start of the horizon's first day, so a shift
on day 2 from 08:00 to 16:30 is ``start=2*1440+480, end=2*1440+990``; shifts crossing midnight
simply run past the day boundary.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import Field

from scheduler.model.base import MINUTES_PER_DAY, Frozen, format_clock
from scheduler.model.scenario import FairnessLedgerEntry


class SolveStatus(StrEnum):
    """Outcome of a solve, in CP-SAT's vocabulary."""

    OPTIMAL = "OPTIMAL"
    FEASIBLE = "FEASIBLE"
    INFEASIBLE = "INFEASIBLE"
    UNKNOWN = "UNKNOWN"


class BreakSpan(Frozen):
    """A placed break, ``[start, end)`` in horizon minutes."""

    name: str
    start: int
    end: int
    paid: bool = True


class ActivitySpan(Frozen):
    """Time on one queue, ``[start, end)`` in horizon minutes."""

    queue: str
    start: int
    end: int


class Shift(Frozen):
    """One agent's shift on one day of the horizon."""

    agent: str
    day: int = Field(ge=0)
    template: str
    start: int
    end: int
    breaks: tuple[BreakSpan, ...] = ()
    activities: tuple[ActivitySpan, ...] = ()
    paid_minutes: int = Field(ge=0)

    def date(self, horizon_start: dt.date) -> dt.date:
        """The calendar date the shift starts on."""
        return horizon_start + dt.timedelta(days=self.day)

    def clock(self, minute: int) -> str:
        """``HH:MM`` of a horizon minute relative to this shift's day.

        Past 24:00 keeps counting (26:00 is 02:00 the next day).
        """
        return format_clock(minute - self.day * MINUTES_PER_DAY)


class Roster(Frozen):
    """Every shift of the horizon."""

    horizon_start: dt.date
    days: int = Field(ge=1)
    interval_minutes: int
    shifts: tuple[Shift, ...] = ()

    def shifts_of(self, agent: str) -> list[Shift]:
        """The agent's shifts in day order."""
        return sorted((s for s in self.shifts if s.agent == agent), key=lambda s: s.day)

    def on_queue(self, queue: str, minute: int) -> int:
        """Agents working ``queue`` at horizon ``minute``."""
        return sum(
            1
            for shift in self.shifts
            if shift.start <= minute < shift.end
            for a in shift.activities
            if a.queue == queue and a.start <= minute < a.end
        )


class ProgressEvent(Frozen):
    """A solver progress report: elapsed seconds, best objective and bound so far."""

    seconds: float
    objective: float | None
    bound: float | None
    phase: str = "search"
    message: str = ""


class SolveParams(Frozen):
    """Solver controls passed through to CP-SAT and the heuristics around it."""

    time_limit_s: float = Field(default=30.0, gt=0)
    gap_limit: float = Field(default=0.0, ge=0)
    workers: int = Field(default=2, ge=1)
    seed: int = 0
    log_search: bool = False
    max_iterations: int | None = Field(
        default=None, ge=0, description="cap on LNS neighbourhoods (reproducible runs)"
    )
    lp_bound: bool = Field(
        default=True, description="solve the LP relaxation (HiGHS) for the bound and the gap"
    )
    deterministic_time: float | None = Field(
        default=None,
        gt=0,
        description="with one worker, CP-SAT's deterministic-time budget for the whole-model "
        "solve of small cases: the same roster whatever the machine's load (the wall-clock "
        "limit still applies)",
    )


class AgentFairness(Frozen):
    """What one agent got this horizon, and with the ledger carried in.

    ``weekends``, ``nights``, ``late_finishes`` and ``early_starts`` count this horizon; the
    ``*_total`` fields add what the fairness ledger carried in, and are what the spread term of
    :mod:`scheduler.roster.cpsat.constraints.fairness` compares among agents of one contract.
    ``target_minutes`` is the contract's weekly target (``target_minutes_per_week``, else its
    maximum) for the horizon's days, less the minutes the ledger says were worked over target
    before; ``minutes_vs_target = paid_minutes - target_minutes`` (positive: over target).
    :meth:`ledger_entry` is the ledger to carry into the next horizon.
    """

    agent: str
    paid_minutes: int
    target_minutes: int
    weekends: int
    nights: int
    late_finishes: int
    early_starts: int
    preferences_granted: int = 0
    preferences_asked: int = 0
    # Left out of model_dump() (exclude=True) because the service's proto message is built
    # from it field by field and does not have them yet; read them as attributes or through
    # audit_dict().
    contract: str = Field(default="", exclude=True)
    days_worked: int = Field(default=0, exclude=True)
    minutes_vs_target: int = Field(default=0, exclude=True)
    weekends_total: int = Field(default=0, exclude=True)
    nights_total: int = Field(default=0, exclude=True)
    late_finishes_total: int = Field(default=0, exclude=True)
    early_starts_total: int = Field(default=0, exclude=True)

    def audit_dict(self) -> dict[str, object]:
        """Every field, the ledger totals included (for reports and files)."""
        return {name: getattr(self, name) for name in type(self).model_fields}

    def ledger_entry(self) -> FairnessLedgerEntry:
        """The fairness ledger entry to carry into the next horizon."""
        return FairnessLedgerEntry(
            agent=self.agent,
            weekends_worked=self.weekends_total,
            nights_worked=self.nights_total,
            late_finishes=self.late_finishes_total,
            early_starts=self.early_starts_total,
            minutes_vs_target=self.minutes_vs_target,
        )


class ChangedDay(Frozen):
    """An agent-day that differs from the previous roster."""

    agent: str
    day: int
    before: str
    after: str


class RosterDiff(Frozen):
    """Changes against a previously published roster."""

    changed_days: tuple[ChangedDay, ...] = ()
    moved_minutes: int = 0


class CoverCount(Frozen):
    """Shifts a roster gives one shift cover row on one day, against the row's limits.

    ``entry`` indexes the scenario's ``shift_cover``; ``label`` says what it counts (``kind
    late`` or ``template N8``). ``shortfall`` is the shifts missing to ``min`` (a broken hard
    rule when positive), ``excess`` the shifts above ``max``; ``below_target`` and
    ``above_target`` are what the soft target prices.
    """

    entry: int
    label: str
    date: dt.date
    day: int
    scheduled: int
    min: int
    target: int | None = None
    max: int | None = None
    shortfall: int = 0
    excess: int = 0
    below_target: int = 0
    above_target: int = 0


class Result(Frozen):
    """Everything a solve returns.

    ``objective`` is in value units, lower is better. ``bound`` is a proven lower bound on the
    objective of every roster satisfying the hard rules: CP-SAT's own when it proves the roster
    optimal (then equal to ``objective``), otherwise the LP relaxation of
    :mod:`scheduler.roster.bounds` (None when HiGHS did not finish within the time limit).
    ``gap = (objective - bound) / max(1, |objective|)``: the share of the objective the roster
    may still be from the optimum (0 when optimal).
    """

    status: SolveStatus
    objective: float | None
    bound: float | None = None
    gap: float | None = None
    seed: int = 0
    seconds: float = 0.0
    roster: Roster
    objective_terms: dict[str, float] = Field(default_factory=dict)
    kpis: dict[str, float] = Field(
        default_factory=dict,
        description="answered_in_target, under/overstaffed agent-intervals, paid_hours",
    )
    fairness: tuple[AgentFairness, ...] = ()
    diff: RosterDiff | None = None
    messages: tuple[str, ...] = ()
    shift_cover: tuple[CoverCount, ...] = Field(
        default=(), description="per shift cover row and day: scheduled vs min/target/max"
    )

    @property
    def feasible(self) -> bool:
        """Whether a roster satisfying every hard rule was found."""
        return self.status in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE)
