"""The roster problem in solver units: frozen, validated, built once per solve.

:func:`build_problem` turns a :class:`~scheduler.model.Scenario` and the staffing stage's
requirements frame into :class:`ProblemData`: every quantity the engine reads is an integer with an
explicit unit.

- Time is counted in minutes from local midnight at the start of the horizon's first day, and in
  *intervals* of ``interval`` minutes (``t = minute // interval``). Shifts may cross midnight, so
  the grid runs ``spill`` intervals past the last day.
- Objective values are in *scaled units* from :func:`scale`: one contact answered within target
  (times the service weight) is ``SCALE`` units.
- Every agent-day owns a tuple of :class:`Candidate` shifts: the (template, start, length)
  combinations its contract, availability, time off and the site's opening hours allow. Choosing
  at most one candidate per agent-day is the decision; breaks and the queue worked per interval
  follow from it.

The value of staff on a queue and interval is a concave function of the head count ``m``: the
*gain* of the m-th agent ``g(m) = w_service * (V(m) - V(m-1)) + w_under * [m <= need]
- w_over * [m > need]`` where ``V(m) = offered * SL(m)`` is the number of contacts answered within
target (from the staffing curve; linear from 0 below the curve's first point and replaced by its
upper concave envelope so that gains never increase). Deferred queues add a cumulative backlog
term (see :mod:`scheduler.roster.cpsat.constraints.deferred`). The same envelope, scaled
(``in_target``), with the contacts ``offered`` and each queue's service-level ``goal``, prices
each immediate queue-day short of its goal (see
:mod:`scheduler.roster.cpsat.constraints.goal_attainment`).

Cover by shift type per day (the scenario's ``shift_cover``) becomes one :class:`CoverRow` per
row and covered day: the candidates that count (their template matches and they start that day)
and the row's limits, its weights scaled like everything else (see
:mod:`scheduler.roster.cpsat.constraints.shift_cover`).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import NamedTuple

import numpy as np
import pandas as pd

from scheduler.errors import FieldProblem, InputError
from scheduler.model import (
    WEEKDAYS,
    Agent,
    Contract,
    FairnessLedgerEntry,
    Scenario,
    ShiftTemplate,
    format_clock,
)
from scheduler.model.agent import PinnedShift
from scheduler.model.base import MINUTES_PER_DAY
from scheduler.roster.cpsat.constraints import availability, cost, pinned, preferences, stability
from scheduler.roster.result import Roster

SCALE = 1000
"""Scaled objective units per unit of value (one contact answered within target)."""

EARLY_START_BEFORE = 7 * 60
"""A shift starting before 07:00 counts as an early start for fairness."""
LATE_FINISH_AFTER = 20 * 60
"""A shift ending after 20:00 counts as a late finish for fairness."""
NIGHT_BEFORE = 6 * 60
"""A shift working any minute between 00:00 and 06:00 counts as a night."""

REQUIRED_COLUMNS = ("queue", "ds", "scheduled_needed")


def scale(value: float) -> int:
    """Convert a value (contacts, preference units, ...) to integer objective units.

    This is the only place floats become solver integers; :func:`unscale` inverts it.
    """
    return round(value * SCALE)


def unscale(units: float) -> float:
    """Convert integer objective units back to values."""
    return units / SCALE


@dataclass(frozen=True, slots=True)
class BreakSpec:
    """A break rule on the interval grid.

    The break may start ``first`` to ``last`` intervals after the shift starts; it takes the
    agent off queue for ``span`` intervals (its ``minutes`` rounded up to whole intervals, so a
    15-minute break on a 30-minute grid costs the whole interval of coverage).
    """

    name: str
    minutes: int
    paid: bool
    first: int
    last: int
    span: int


@dataclass(frozen=True, slots=True)
class TemplateSpec:
    """A shift template's identity, kind and breaks on the grid."""

    id: str
    kind: str
    breaks: tuple[BreakSpec, ...]


class Candidate(NamedTuple):
    """One shift an agent may work on one day.

    ``start``/``end`` are horizon minutes; ``first``/``last`` the intervals it covers
    (``last`` exclusive). ``cost`` is the scaled per-shift objective cost (pay, preferences,
    stability), ``day_kind`` the flags fairness counts.

    A named tuple rather than a frozen dataclass: a long horizon has a million candidates,
    and a frozen dataclass takes twice as long to create (3 s for a million).
    """

    # Shadows tuple.index (never used on a candidate); the name is the engine's throughout.
    index: int  # type: ignore[assignment]
    agent: int
    day: int
    template: int
    start: int
    end: int
    first: int
    last: int
    paid_minutes: int
    early: bool
    late: bool
    night: bool
    pay_cost: int
    preference_cost: int
    stability_cost: int

    @property
    def cost(self) -> int:
        """Scaled per-shift cost: pay + preferences + stability."""
        return self.pay_cost + self.preference_cost + self.stability_cost

    @property
    def length(self) -> int:
        """Minutes from start to end."""
        return self.end - self.start


@dataclass(frozen=True, slots=True)
class TailShift:
    """A shift worked before the horizon (from the previous roster), for cross-week rules."""

    day: int
    start: int
    end: int
    kind: str


@dataclass(frozen=True, slots=True)
class AgentSpec:
    """An agent in solver terms.

    ``skills`` are queue indices (sorted), ``group`` the index of the agent's skill set among
    all distinct skill sets (agents of a group are interchangeable for queue allocation).
    ``candidates[d]`` indexes :attr:`ProblemData.candidates`; ``off_cost[d]`` is the scaled
    stability cost of not working day ``d`` (against a previous roster) and
    ``off_preference_cost[d]`` the scaled preference cost of it (dated ``on`` requests missed).
    """

    index: int
    id: str
    contract: Contract
    skills: tuple[int, ...]
    proficiency: tuple[float, ...]
    group: int
    candidates: tuple[tuple[int, ...], ...]
    off_cost: tuple[int, ...]
    off_preference_cost: tuple[int, ...]
    tail: tuple[TailShift, ...]
    ledger: FairnessLedgerEntry
    target_minutes: int
    pinned_days: frozenset[int] = frozenset()


@dataclass(frozen=True, slots=True)
class CoverRow:
    """One cover row of the scenario on one horizon day.

    ``entry`` indexes ``scenario.shift_cover``; ``candidates`` are the candidate shifts (of every
    agent) that count for the row on ``day``. ``min``/``max`` are hard, ``target`` soft with
    ``under_cost``/``over_cost`` scaled units per shift below/above it.
    """

    entry: int
    day: int
    label: str
    candidates: frozenset[int]
    min: int
    target: int | None
    max: int | None
    under_cost: int
    over_cost: int

    def describe(self, date: dt.date) -> str:
        """``shift_cover[0] (kind late) on Tue 2024-01-02``, for messages."""
        return f"shift_cover[{self.entry}] ({self.label}) on {date:%a} {date.isoformat()}"


@dataclass(frozen=True)
class ProblemData:
    """Everything the roster engine reads, in integer solver units (see the module docstring).

    Attributes
    ----------
    gains
        ``gains[q, t, k]`` is the scaled gain of the ``(k+1)``-th agent on queue ``q`` in
        interval ``t`` (non-increasing in ``k``); past ``k = levels - 1`` the gain stays at
        ``tail_gain[q, t]``.
    value_curve
        ``value_curve[q, t, m]`` contacts answered within target with ``m`` agents (unscaled,
        the true curve, for reporting).
    need
        ``need[q, t]`` agents the staffing stage asks to put on queue ``q``.
    due
        Deferred queues: ``due[q, t]`` agent-minutes of work that must be done by the end of
        interval ``t`` (cumulative); zero rows for immediate queues.
    arrived
        Deferred queues: ``arrived[q, t]`` agent-minutes of work arrived by the end of ``t``;
        capacity before work arrives is wasted, so it bounds what can be done (see
        :func:`scheduler.roster.cpsat.constraints.deferred.lateness`).
    late_cost
        Deferred queues: scaled cost per agent-minute overdue per interval.
    in_target
        ``in_target[q, t, m]`` scaled contacts answered within target with ``m`` agents on the
        upper concave envelope of the value curve (the value the gains are drawn from); past
        ``m = levels - 1`` it stays at the last level.
    offered
        ``offered[q, t]`` contacts offered where the queue has a value curve (immediate queues;
        zero elsewhere).
    goal
        Per queue, the service-level goal the goal-attainment term holds each day to (the
        share of contacts answered within target); 0 for deferred queues and goals without a
        service level.
    prof_ref
        ``prof_ref[q, t]`` scaled service value of the marginal required agent, the reference
        an agent's proficiency scales (see :mod:`scheduler.roster.cpsat.constraints.proficiency`).
    cover
        Cover rows by shift type per day, in scenario order then day order.
    cover_of
        Candidate index -> indices into ``cover`` of the rows it counts for (candidates that
        count for none are left out).
    """

    scenario: Scenario
    horizon_start: dt.date
    days: int
    interval: int
    per_day: int
    n_intervals: int
    queues: tuple[str, ...]
    deferred: tuple[bool, ...]
    templates: tuple[TemplateSpec, ...]
    agents: tuple[AgentSpec, ...]
    groups: tuple[tuple[int, ...], ...]
    candidates: tuple[Candidate, ...]
    gains: np.ndarray
    tail_gain: np.ndarray
    prof_ref: np.ndarray
    value_curve: np.ndarray
    need: np.ndarray
    due: np.ndarray
    arrived: np.ndarray
    late_cost: tuple[int, ...]
    in_target: np.ndarray
    offered: np.ndarray
    goal: tuple[float, ...]
    weekend_of_day: tuple[int | None, ...]
    week_of_day: tuple[int, ...]
    forbidden: frozenset[tuple[str, str]]
    previous: Roster | None = None
    messages: tuple[str, ...] = field(default=())
    cover: tuple[CoverRow, ...] = ()
    cover_of: Mapping[int, tuple[int, ...]] = field(default_factory=lambda: MappingProxyType({}))

    @property
    def n_demand(self) -> int:
        """Intervals inside the horizon's days (demand is known only there)."""
        return self.days * self.per_day

    @property
    def levels(self) -> int:
        """Number of tabulated gain levels per queue and interval."""
        return int(self.gains.shape[2])

    def gain(self, q: int, t: int, k: int) -> int:
        """Scaled gain of the ``(k+1)``-th agent on queue ``q`` in interval ``t``."""
        if k < self.levels:
            return int(self.gains[q, t, k])
        return int(self.tail_gain[q, t])

    def template_of(self, cand: Candidate) -> TemplateSpec:
        """The template a candidate is drawn from."""
        return self.templates[cand.template]

    def queue_index(self, queue_id: str) -> int:
        """Index of a queue id."""
        return self.queues.index(queue_id)

    def agent_index(self, agent_id: str) -> int:
        """Index of an agent id."""
        for spec in self.agents:
            if spec.id == agent_id:
                return spec.index
        raise KeyError(agent_id)

    def date(self, day: int) -> dt.date:
        """Calendar date of horizon day ``day``."""
        return self.horizon_start + dt.timedelta(days=day)


def build_problem(
    scenario: Scenario, requirements: pd.DataFrame, previous: Roster | None = None
) -> ProblemData:
    """Build the frozen problem from a scenario and the staffing requirements.

    Parameters
    ----------
    scenario
        Site, queues, agents, contracts, templates, rules and fairness ledger.
    requirements
        The staffing stage's frame: ``queue, ds, scheduled_needed`` and, where known,
        ``offered, sl_curve, curve_start`` (immediate queues) or ``work_minutes,
        deadline_minutes`` (deferred queues).
    previous
        A published roster: its shifts inside this horizon are the reference for stability,
        its shifts before the horizon carry rest and consecutive-day rules across the boundary.

    Returns
    -------
    ProblemData
        The problem in integer solver units.

    Raises
    ------
    InputError
        Naming the field and value of anything the engine cannot use.
    """
    problems: list[FieldProblem] = []
    messages: list[str] = []
    step = scenario.site.interval_minutes
    days = scenario.horizon.days
    per_day = MINUTES_PER_DAY // step
    weights = scenario.rules.objective

    templates, template_index = _templates(scenario, step, problems)
    queues = tuple(q.id for q in scenario.queues)
    deferred = tuple(q.channel.is_deferred for q in scenario.queues)
    if problems:
        raise InputError("scenario", problems)

    # Demand first: it does not depend on the candidates.
    demand = _demand(scenario, requirements, step, per_day, problems, messages)
    if problems:
        raise InputError("requirements", problems)
    need, value_curve, offered_aht, work, due_end, offered = demand
    gains, tail_gain, prof_ref, in_target = _gains(
        need, value_curve, weights.service, weights.understaffing, weights.overstaffing
    )
    due, arrived, late_cost = _deferred(work, due_end, offered_aht, deferred, weights.service)

    dates = scenario.horizon.dates()
    weekend_names = set(scenario.rules.weekend_days)
    weekend_of_day = tuple(
        _weekend_key(d, dates[0]) if WEEKDAYS[d.weekday()] in weekend_names else None for d in dates
    )
    week_of_day = tuple(i // 7 for i in range(days))
    ledger = {e.agent: e for e in scenario.fairness_ledger}
    prev_days, tails = _previous(scenario, previous)
    # Stability only means something against published days of this horizon.
    w_stability = weights.stability if prev_days else 0.0

    # Agents, their skill groups and candidate shifts.
    skill_sets: dict[tuple[int, ...], int] = {}
    agents: list[AgentSpec] = []
    candidates: list[Candidate] = []
    spill = 0
    contracts = {c.id: c for c in scenario.contracts}
    options_of: dict[str, _ShiftOptions] = {}
    opening: dict[tuple[dt.date, int, int], bool] = {}
    for a_index, agent in enumerate(scenario.agents):
        contract = contracts[agent.contract]
        if contract.id not in options_of:
            options_of[contract.id] = _ShiftOptions(scenario, contract, template_index, opening)
        options = options_of[contract.id]
        pay_costs: dict[int, int] = {}
        wishes = preferences.has_undated_wishes(agent)
        skills = tuple(sorted(queues.index(q) for q in agent.skills))
        group = skill_sets.setdefault(skills, len(skill_sets))
        per_day_cands: list[tuple[int, ...]] = []
        off_cost: list[int] = []
        off_preference_cost: list[int] = []
        pins = _pins(agent, a_index, dates, problems, messages)
        requests = preferences.requests_by_date(agent)
        for day, date in enumerate(dates):
            pin = pins.get(day)
            before = prev_days.get((agent.id, day))
            off_cost.append(stability.change_cost(before, None, w_stability))
            day_requests = requests.get(date, ())
            off_preference_cost.append(preferences.off_cost(day_requests, weights.preferences))
            chosen: list[int] = []
            if date not in agent.time_off:
                for tpl, t_index, start_clock, length, paid in options.on(date.weekday()):
                    if pin is not None and not pinned.matches(pin, tpl.id, start_clock, length):
                        continue
                    if not (
                        availability.available(agent, date, start_clock, length)
                        and options.open(date, start_clock, length)
                    ):
                        continue
                    start = day * MINUTES_PER_DAY + start_clock
                    end = start + length
                    flags = _day_flags(start_clock, length, tpl.kind)
                    if paid not in pay_costs:
                        pay_costs[paid] = cost.shift_cost(agent, paid, weights.cost)
                    cand = Candidate(
                        index=len(candidates),
                        agent=a_index,
                        day=day,
                        template=t_index,
                        start=start,
                        end=end,
                        first=start // step,
                        last=-(-end // step),
                        paid_minutes=paid,
                        early=flags[0],
                        late=flags[1],
                        night=flags[2],
                        pay_cost=pay_costs[paid],
                        preference_cost=preferences.shift_cost(
                            agent,
                            date,
                            start_clock,
                            tpl.id,
                            tpl.kind,
                            weights.preferences,
                            day_requests,
                        )
                        if wishes or day_requests
                        else 0,
                        stability_cost=stability.change_cost(
                            before, (start, end, tpl.id), w_stability
                        )
                        if w_stability
                        else 0,
                    )
                    spill = max(spill, cand.last - days * per_day)
                    candidates.append(cand)
                    chosen.append(cand.index)
            if pin is not None and not chosen:
                j = agent.pinned.index(pin)
                problems.append(
                    FieldProblem(
                        f"agents[{a_index}](id={agent.id}).pinned[{j}]",
                        f"{pin.date} {pin.template} {format_clock(pin.start)}",
                        "no shift the contract, template, availability, time off and opening "
                        "hours allow matches the pin",
                    )
                )
            per_day_cands.append(tuple(chosen))
        entry = ledger.get(agent.id, FairnessLedgerEntry(agent=agent.id))
        agents.append(
            AgentSpec(
                index=a_index,
                id=agent.id,
                contract=contract,
                skills=skills,
                proficiency=tuple(agent.skills[queues[q]] for q in skills),
                group=group,
                candidates=tuple(per_day_cands),
                off_cost=tuple(off_cost),
                off_preference_cost=tuple(off_preference_cost),
                tail=tails.get(agent.id, ()),
                ledger=entry,
                target_minutes=_target_minutes(contract, days, entry),
                pinned_days=frozenset(pins),
            )
        )
    if problems:
        raise InputError("scenario", problems)
    groups = [tuple(a.index for a in agents if a.group == g) for g in range(len(skill_sets))]
    n_intervals = days * per_day + max(spill, 0)
    # Pad demand arrays over the spill: nothing is known after the horizon, so staff there is
    # worth nothing either way.
    pad = n_intervals - days * per_day
    if pad:
        gains = np.concatenate(
            [gains, np.zeros((gains.shape[0], pad, gains.shape[2]), dtype=gains.dtype)], axis=1
        )
        tail_gain = np.concatenate(
            [tail_gain, np.zeros((tail_gain.shape[0], pad), dtype=tail_gain.dtype)], axis=1
        )
        need = np.concatenate([need, np.zeros((need.shape[0], pad), dtype=need.dtype)], axis=1)
        value_curve = np.concatenate(
            [value_curve, np.repeat(value_curve[:, -1:, :] * 0, pad, axis=1)], axis=1
        )
        due = np.concatenate([due, np.repeat(due[:, -1:], pad, axis=1)], axis=1)
        arrived = np.concatenate([arrived, np.repeat(arrived[:, -1:], pad, axis=1)], axis=1)
        prof_ref = np.concatenate(
            [prof_ref, np.zeros((prof_ref.shape[0], pad), dtype=prof_ref.dtype)], axis=1
        )
        in_target = np.concatenate(
            [in_target, np.zeros((in_target.shape[0], pad, in_target.shape[2]), dtype=np.int64)],
            axis=1,
        )
        offered = np.concatenate([offered, np.zeros((offered.shape[0], pad))], axis=1)
    for arr in (gains, tail_gain, prof_ref, need, value_curve, due, arrived, in_target, offered):
        arr.setflags(write=False)
    cover = _cover_rows(scenario, templates, candidates)
    cover_of: dict[int, list[int]] = {}
    for r, row in enumerate(cover):
        for c in row.candidates:
            cover_of.setdefault(c, []).append(r)
    return ProblemData(
        scenario=scenario,
        horizon_start=scenario.horizon.start,
        days=days,
        interval=step,
        per_day=per_day,
        n_intervals=n_intervals,
        queues=queues,
        deferred=deferred,
        templates=templates,
        agents=tuple(agents),
        groups=tuple(groups),
        candidates=tuple(candidates),
        gains=gains,
        tail_gain=tail_gain,
        prof_ref=prof_ref,
        value_curve=value_curve,
        need=need,
        due=due,
        arrived=arrived,
        late_cost=late_cost,
        in_target=in_target,
        offered=offered,
        goal=tuple(
            0.0
            if q.channel.is_deferred or q.goal.service_level is None
            else float(q.goal.service_level)
            for q in scenario.queues
        ),
        weekend_of_day=weekend_of_day,
        week_of_day=week_of_day,
        forbidden=frozenset((a, b) for a, b in scenario.rules.forbidden_successions),
        previous=previous,
        messages=tuple(messages),
        cover=cover,
        cover_of=MappingProxyType({c: tuple(rows) for c, rows in cover_of.items()}),
    )


class _ShiftOptions:
    """The shifts a contract's templates offer per weekday, and the site's opening test.

    Computed once per contract rather than per candidate: a 364-day, 150-agent scenario has a
    million candidates, and looking templates up by id, listing their starts and pricing their
    paid minutes per candidate took most of the problem's 15 s build. ``opening`` memoises the
    opening-hours test (shared by every contract).
    """

    def __init__(
        self,
        scenario: Scenario,
        contract: Contract,
        template_index: Mapping[str, int],
        opening: dict[tuple[dt.date, int, int], bool],
    ) -> None:
        self._site = scenario.site
        by_id = {t.id: t for t in scenario.shift_templates}
        self._by_weekday: list[list[tuple[ShiftTemplate, int, int, int, int]]] = []
        for weekday in range(7):
            found = []
            for template_id in contract.shift_templates:
                tpl = by_id[template_id]
                if not tpl.runs_on(weekday):
                    continue
                for start_clock in tpl.starts():
                    for length in tpl.lengths_minutes:
                        found.append(
                            (
                                tpl,
                                template_index[tpl.id],
                                start_clock,
                                length,
                                tpl.paid_minutes(length),
                            )
                        )
            self._by_weekday.append(found)
        self._open_cache = opening

    def on(self, weekday: int) -> list[tuple[ShiftTemplate, int, int, int, int]]:
        """``(template, template index, start clock, length, paid minutes)`` on ``weekday``."""
        return self._by_weekday[weekday]

    def open(self, date: dt.date, start_clock: int, length: int) -> bool:
        """Whether the shift overlaps the site's opening hours (memoised)."""
        key = (date, start_clock, length)
        found = self._open_cache.get(key)
        if found is None:
            found = availability.overlaps_opening(self._site, date, start_clock, length)
            self._open_cache[key] = found
        return found


def _cover_rows(
    scenario: Scenario, templates: tuple[TemplateSpec, ...], candidates: list[Candidate]
) -> tuple[CoverRow, ...]:
    """One :class:`CoverRow` per ``shift_cover`` entry and day it applies on."""
    if not scenario.shift_cover:
        return ()
    by_day_template: dict[tuple[int, int], list[int]] = {}
    for cand in candidates:
        by_day_template.setdefault((cand.day, cand.template), []).append(cand.index)
    rows = []
    for entry, spec in enumerate(scenario.shift_cover):
        counted = [i for i, t in enumerate(templates) if spec.counts(t.id, t.kind)]
        for day, date in enumerate(scenario.horizon.dates()):
            if not spec.applies_on(date):
                continue
            members = frozenset(c for t in counted for c in by_day_template.get((day, t), ()))
            soft = spec.target is not None
            rows.append(
                CoverRow(
                    entry=entry,
                    day=day,
                    label=spec.label,
                    candidates=members,
                    min=spec.min,
                    target=spec.target,
                    max=spec.max,
                    under_cost=scale(spec.under_weight) if soft else 0,
                    over_cost=scale(spec.over_weight) if soft else 0,
                )
            )
    return tuple(rows)


def _templates(
    scenario: Scenario, step: int, problems: list[FieldProblem]
) -> tuple[tuple[TemplateSpec, ...], dict[str, int]]:
    specs: list[TemplateSpec] = []
    index: dict[str, int] = {}
    for i, tpl in enumerate(scenario.shift_templates):
        where = f"shift_templates[{i}](id={tpl.id})"
        if tpl.start_earliest % step or tpl.start_step_minutes % step:
            problems.append(
                FieldProblem(
                    f"{where}.start_earliest/start_step_minutes",
                    (tpl.start_earliest, tpl.start_step_minutes),
                    f"shift starts must fall on the site's {step}-minute interval grid",
                )
            )
        for length in tpl.lengths_minutes:
            if length % step:
                problems.append(
                    FieldProblem(
                        f"{where}.lengths_minutes",
                        length,
                        f"not a multiple of the {step}-minute interval",
                    )
                )
        specs.append(TemplateSpec(tpl.id, tpl.kind, _breaks(tpl, step, where, problems)))
        index[tpl.id] = i
    return tuple(specs), index


def _breaks(
    tpl: ShiftTemplate, step: int, where: str, problems: list[FieldProblem]
) -> tuple[BreakSpec, ...]:
    out = []
    for j, rule in enumerate(tpl.breaks):
        first = -(-rule.earliest_after_start // step)
        last = (rule.latest_end_after_start - rule.minutes) // step
        if last < first:
            problems.append(
                FieldProblem(
                    f"{where}.breaks[{j}]",
                    (rule.earliest_after_start, rule.latest_end_after_start),
                    f"no {step}-minute grid start fits a {rule.minutes}-minute break "
                    "in this window",
                )
            )
            continue
        out.append(
            BreakSpec(rule.name, rule.minutes, rule.paid, first, last, -(-rule.minutes // step))
        )
    total = sum(b.span for b in out)
    if out and total * step > min(tpl.lengths_minutes):
        problems.append(
            FieldProblem(
                f"{where}.breaks", total * step, "breaks take longer than the shortest shift"
            )
        )
    return tuple(out)


def _pins(
    agent: Agent,
    a_index: int,
    dates: list[dt.date],
    problems: list[FieldProblem],
    messages: list[str],
) -> dict[int, PinnedShift]:
    """The agent's pins by horizon day (pins outside the horizon are ignored, with a note)."""
    out: dict[int, PinnedShift] = {}
    day_of = {date: i for i, date in enumerate(dates)}
    for j, pin in enumerate(agent.pinned):
        day = day_of.get(pin.date)
        if day is None:
            messages.append(f"{agent.id}: pin on {pin.date} is outside the horizon; ignored")
        elif day in out:
            problems.append(
                FieldProblem(
                    f"agents[{a_index}](id={agent.id}).pinned[{j}]",
                    str(pin.date),
                    "a second pin on the same date",
                )
            )
        else:
            out[day] = pin
    return out


def _day_flags(start_clock: int, length: int, kind: str) -> tuple[bool, bool, bool]:
    end_clock = start_clock + length
    early = start_clock < EARLY_START_BEFORE or kind == "early"
    late = end_clock > LATE_FINISH_AFTER or kind == "late"
    night = start_clock < NIGHT_BEFORE or end_clock > MINUTES_PER_DAY or kind == "night"
    return early, late, night


def _weekend_key(date: dt.date, start: dt.date) -> int:
    # Weekend days of one ISO week form one weekend (Sat+Sun share the week of the Monday).
    monday = start - dt.timedelta(days=start.weekday())
    return (date - monday).days // 7


def _target_minutes(contract: Contract, days: int, entry: FairnessLedgerEntry) -> int:
    # The contract's target (else its maximum); minutes owed from earlier weeks raise it.
    weekly = contract.target_minutes_per_week
    if weekly is None:
        weekly = contract.max_minutes_per_week
    target = round(weekly * days / 7) - entry.minutes_vs_target
    return max(0, target)


def _previous(
    scenario: Scenario, previous: Roster | None
) -> tuple[dict[tuple[str, int], tuple[int, int, str]], dict[str, tuple[TailShift, ...]]]:
    """Split a previous roster into reference shifts (inside the horizon) and tails (before)."""
    if previous is None:
        return {}, {}
    offset = (previous.horizon_start - scenario.horizon.start).days
    kinds = {t.id: t.kind for t in scenario.shift_templates}
    inside: dict[tuple[str, int], tuple[int, int, str]] = {}
    tails: dict[str, list[TailShift]] = {}
    shift_by = offset * MINUTES_PER_DAY
    for s in previous.shifts:
        day = s.day + offset
        if 0 <= day < scenario.horizon.days:
            inside[(s.agent, day)] = (s.start + shift_by, s.end + shift_by, s.template)
        elif -14 <= day < 0:
            tails.setdefault(s.agent, []).append(
                TailShift(day, s.start + shift_by, s.end + shift_by, kinds.get(s.template, ""))
            )
    return inside, {k: tuple(sorted(v, key=lambda x: x.day)) for k, v in tails.items()}


Demand = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]


def _demand(
    scenario: Scenario,
    requirements: pd.DataFrame,
    step: int,
    per_day: int,
    problems: list[FieldProblem],
    messages: list[str],
) -> Demand:
    """Per queue x interval: need, value curve, mean AHT, deferred work, its due interval and
    the contacts offered where a value curve exists.

    The due interval ``due_end[q, t]`` is the one by whose end work arriving in ``t`` must be
    done: from the requirements' ``due_by`` (deadlines counted in business hours) where given,
    else ``t + ceil(deadline / step) - 1`` on the clock.
    """
    n_q = len(scenario.queues)
    n_t = scenario.horizon.days * per_day
    if not scenario.queues and requirements.empty:
        # A roster driven by shift cover alone has no demand to read (any columns will do).
        return _empty_demand(n_q, n_t)
    missing = [c for c in REQUIRED_COLUMNS if c not in requirements.columns]
    if missing:
        problems.append(
            FieldProblem(
                "requirements.columns", list(requirements.columns), f"missing column(s) {missing}"
            )
        )
        return _empty_demand(n_q, n_t)
    queue_ids = {q.id: i for i, q in enumerate(scenario.queues)}
    frame = requirements.reset_index(drop=True)
    unknown = sorted(set(frame["queue"].astype(str)) - set(queue_ids))
    if unknown:
        problems.append(
            FieldProblem(
                "requirements.queue", unknown, f"unknown queue(s); scenario has {sorted(queue_ids)}"
            )
        )
        return _empty_demand(n_q, n_t)
    try:
        ds = pd.to_datetime(frame["ds"])
    except (ValueError, TypeError) as exc:
        problems.append(FieldProblem("requirements.ds", str(frame["ds"].iloc[0]), str(exc)))
        return _empty_demand(n_q, n_t)
    if getattr(ds.dt, "tz", None) is not None:
        ds = ds.dt.tz_convert(scenario.site.timezone).dt.tz_localize(None)
    origin = pd.Timestamp(scenario.horizon.start)
    minutes = (ds - origin).dt.total_seconds() / 60.0
    off_grid = minutes[(minutes % step) != 0]
    if len(off_grid):
        bad = ds[off_grid.index[0]]
        problems.append(
            FieldProblem(
                "requirements.ds", str(bad), f"not on the site's {step}-minute interval grid"
            )
        )
        return _empty_demand(n_q, n_t)
    t_index = (minutes // step).astype(int).to_numpy()
    inside = (t_index >= 0) & (t_index < n_t)
    if (~inside).any():
        messages.append(f"requirements: {int((~inside).sum())} row(s) outside the horizon ignored")
    needed = pd.to_numeric(frame["scheduled_needed"], errors="coerce")
    if needed.isna().any() or (needed < 0).any():
        row = int(np.flatnonzero(needed.isna() | (needed < 0))[0])
        problems.append(
            FieldProblem(
                f"requirements.scheduled_needed[{row}]",
                frame["scheduled_needed"].iloc[row],
                "must be a non-negative number",
            )
        )
        return _empty_demand(n_q, n_t)

    curves: list[list[float]] = []
    max_len = 1
    parsed_rows = []
    for row_index in np.flatnonzero(inside):
        row = int(row_index)
        q = queue_ids[str(frame["queue"].iloc[row])]
        t = int(t_index[row])
        need = math.ceil(float(needed.iloc[row]) - 1e-9)
        offered = _number(frame, "offered", row)
        curve: list[float] = []
        start = 0
        raw_curve = frame["sl_curve"].iloc[row] if "sl_curve" in frame.columns else None
        immediate = not scenario.queues[q].channel.is_deferred
        if isinstance(raw_curve, str) and raw_curve.strip() and immediate:
            try:
                curve = [float(x) for x in raw_curve.split(";") if x.strip()]
            except ValueError:
                problems.append(
                    FieldProblem(
                        f"requirements.sl_curve[{row}]", raw_curve, "expected ';'-joined numbers"
                    )
                )
                continue
            start = int(_number(frame, "curve_start", row))
        curves.append(curve)
        max_len = max(max_len, start + len(curve) + 1, need + 2)
        parsed_rows.append((q, t, need, offered, start, len(curves) - 1, row))
    need_arr = np.zeros((n_q, n_t), dtype=np.int64)
    value = np.zeros((n_q, n_t, max_len), dtype=np.float64)
    aht = np.zeros(n_q, dtype=np.float64)
    aht_weight = np.zeros(n_q, dtype=np.float64)
    work = np.zeros((n_q, n_t), dtype=np.float64)
    deadline = np.zeros(n_q, dtype=np.int64)
    for q, queue in enumerate(scenario.queues):
        if queue.goal.deadline_minutes:
            deadline[q] = queue.goal.deadline_minutes
    due_by = (
        pd.to_datetime(frame["due_by"], errors="coerce")
        if "due_by" in frame.columns
        else pd.Series(pd.NaT, index=frame.index)
    )
    if getattr(due_by.dt, "tz", None) is not None:
        due_by = due_by.dt.tz_convert(scenario.site.timezone).dt.tz_localize(None)
    due_end = np.tile(np.arange(n_t, dtype=np.int64), (n_q, 1))
    offered_arr = np.zeros((n_q, n_t), dtype=np.float64)
    for q, t, need, offered, start, ci, row in parsed_rows:
        need_arr[q, t] = need
        curve = curves[ci]
        if curve and offered > 0:
            sl = np.clip(np.asarray(curve), 0.0, 1.0)
            v = np.empty(max_len)
            # Below the first tabulated point the value rises linearly from nothing.
            v[: start + 1] = np.linspace(0.0, sl[0] * offered, start + 1)
            v[start : start + len(sl)] = sl * offered
            v[start + len(sl) :] = sl[-1] * offered
            value[q, t] = v
            offered_arr[q, t] = offered
        a = _number(frame, "aht_s", row)
        if a > 0 and offered > 0:
            aht[q] += a * offered
            aht_weight[q] += offered
        if scenario.queues[q].channel.is_deferred:
            # An agent-interval on a deferred queue clears interval * (1 - shrinkage) *
            # max_occupancy minutes of work, as the staffing evaluator counts it; express the
            # work in rostered agent-minutes so the roster and its evaluation agree.
            queue = scenario.queues[q]
            effective = (1.0 - queue.shrinkage) * queue.max_occupancy
            work[q, t] = _number(frame, "work_minutes", row) / effective
            d = _number(frame, "deadline_minutes", row)
            if d > 0:
                deadline[q] = int(d)
            due_end[q, t] = t + max(1, math.ceil(deadline[q] / step)) - 1
            if not pd.isna(due_by.iloc[row]):
                lead = (due_by.iloc[row] - ds.iloc[row]).total_seconds() / 60.0
                due_end[q, t] = t + max(1, math.ceil(lead / step - 1e-9)) - 1
    mean_aht = np.where(aht_weight > 0, aht / np.maximum(aht_weight, 1e-9), 300.0)
    return need_arr, value, mean_aht, work, due_end, offered_arr


def _number(frame: pd.DataFrame, column: str, row: int) -> float:
    if column not in frame.columns:
        return 0.0
    value = pd.to_numeric(frame[column].iloc[row], errors="coerce")
    return 0.0 if pd.isna(value) else float(value)


def _empty_demand(n_q: int, n_t: int) -> Demand:
    return (
        np.zeros((n_q, n_t), dtype=np.int64),
        np.zeros((n_q, n_t, 1)),
        np.full(n_q, 300.0),
        np.zeros((n_q, n_t)),
        np.tile(np.arange(n_t, dtype=np.int64), (n_q, 1)),
        np.zeros((n_q, n_t)),
    )


def concave_envelope(values: np.ndarray) -> np.ndarray:
    """Upper concave envelope of ``values[m]`` over ``m = 0..M`` (same shape).

    Marginal gains of the envelope never increase, which makes the per-level unit formulation
    (and the min-cost-flow allocation) exact on it.
    """
    n = len(values)
    hull: list[int] = []
    for m in range(n):
        while len(hull) >= 2:
            a, b = hull[-2], hull[-1]
            # Drop b if it lies on or below the chord a -> m.
            if (values[b] - values[a]) * (m - a) <= (values[m] - values[a]) * (b - a):
                hull.pop()
            else:
                break
        hull.append(m)
    return np.interp(np.arange(n), hull, values[hull])


def _gains(
    need: np.ndarray, value: np.ndarray, w_service: float, w_under: float, w_over: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Scaled gains per level, tail gain, proficiency reference and the scaled envelope."""
    n_q, n_t, levels = value.shape
    gains = np.zeros((n_q, n_t, levels), dtype=np.int64)
    in_target = np.zeros((n_q, n_t, levels), dtype=np.int64)
    prof_ref = np.zeros((n_q, n_t), dtype=np.int64)
    tail = np.full((n_q, n_t), -scale(w_over), dtype=np.int64)
    ks = np.arange(1, levels + 1)
    for q in range(n_q):
        for t in range(n_t):
            v = value[q, t]
            service = np.zeros(levels)
            if v.any():
                env = concave_envelope(v)
                service[: levels - 1] = np.diff(env)
                in_target[q, t] = np.rint(env * SCALE).astype(np.int64)
                prof_ref[q, t] = max(0, scale(w_service * service[max(int(need[q, t]) - 1, 0)]))
            g = w_service * service + np.where(ks <= need[q, t], w_under, -w_over)
            gains[q, t] = [scale(x) for x in g]
    # Rounding may break monotonicity by a unit; restore it so concavity stays exact.
    gains = np.minimum.accumulate(gains, axis=2)
    tail = np.minimum(tail, gains[:, :, -1])
    return gains, tail, prof_ref, in_target


def _deferred(
    work: np.ndarray,
    due_end: np.ndarray,
    aht: np.ndarray,
    deferred: tuple[bool, ...],
    w_service: float,
) -> tuple[np.ndarray, np.ndarray, tuple[int, ...]]:
    """Cumulative agent-minutes due and arrived by the end of each interval; lateness cost."""
    n_q, n_t = work.shape
    due = np.zeros((n_q, n_t), dtype=np.int64)
    arrived = np.zeros((n_q, n_t), dtype=np.int64)
    late_cost = []
    for q in range(n_q):
        if not deferred[q]:
            late_cost.append(0)
            continue
        # Work arriving in interval t is due by the end of interval due_end[q, t]; work due
        # after the horizon is not counted (it lands in the dropped last bin).
        falls_due = np.bincount(np.clip(due_end[q], 0, n_t), weights=work[q], minlength=n_t + 1)[
            :n_t
        ]
        cumulative = np.cumsum(work[q])
        due[q] = np.round(np.cumsum(falls_due)).astype(np.int64)
        arrived[q] = np.round(cumulative).astype(np.int64)
        late_cost.append(scale(w_service * 60.0 / max(float(aht[q]), 1.0)))
    return due, arrived, tuple(late_cost)
