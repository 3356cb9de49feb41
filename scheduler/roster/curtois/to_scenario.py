"""A Curtois & Qu instance as a scenario of the contact-centre roster engine.

The benchmark's rules are the engine's rules, so the mapping is one to one and the engine's
objective (in value units) equals the benchmark's penalty:

- **shift types** -> one :class:`~scheduler.model.ShiftTemplate` each, template id and ``kind``
  both the shift ID, one length, no breaks. Curtois shift types have lengths but no clock times;
  every template starts at 00:00, so with lengths of at most 16 hours no shift crosses midnight
  (a shift counts for the day it is worked on, as in the benchmark) and consecutive days are at
  least ``1440 - length`` minutes apart. ``min_rest_minutes`` is 0: the benchmark has no rest
  rule, only ``CannotFollow``, which becomes ``rules.forbidden_successions`` of kinds. The site's
  grid is the coarsest of 60, 30 and 15 minutes that every length fits.
- **staff** -> one :class:`~scheduler.model.Contract` per distinct parameter set (employees of
  a set share it): the shift types with ``MaxShifts > 0`` as allowed templates,
  ``max_shifts_by_kind_per_horizon`` where ``MaxShifts`` is below the horizon length (a larger
  maximum cannot bind), ``min/max_minutes_per_horizon``, ``max_consecutive_days``,
  ``min_consecutive_days`` (``MinConsecutiveShifts``), ``min_consecutive_days_off`` and
  ``max_weekends``. The benchmark has no weekly limits, so the weekly ones are set so they
  cannot bind (7 days, 7 x 1440 minutes).
- **days off** -> ``time_off`` (hard); **on/off requests** -> dated
  :class:`~scheduler.model.agent.ShiftRequest` preferences of their kind and weight.
- **cover** -> :class:`~scheduler.model.ShiftCover` rows counting the shift type's kind, with
  the requirement as a soft ``target`` priced by ``WeightUnder``/``WeightOver`` per shift (no
  hard minimum or maximum); days with equal requirement and weights share one row.
- **objective** -> every weight but ``preferences`` (1, so a request costs its weight) is 0;
  the cover rows carry their own weights. There are no queues and no demand: the scenario is a
  pure shift-cover roster and takes an empty requirements frame.

Boundary semantics, checked against :mod:`scheduler.roster.curtois.evaluator` (the reference):
the horizon starts on a Monday (the benchmark's day 0), so weekend ``k`` is days ``7k + 5`` and
``7k + 6`` and a weekend counts once if either day is worked, as the engine's ``max_weekends``
counts it. Without a previous roster the engine knows nothing before day 0, so, as in the
benchmark, a run of working days or days off touching the first or the last day is exempt from
the minimum run lengths, and maximum runs count from day 0.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import pandas as pd

from scheduler.model import (
    Agent,
    Contract,
    Horizon,
    ObjectiveWeights,
    Preferences,
    Rules,
    Scenario,
    ShiftCover,
    ShiftTemplate,
    Site,
)
from scheduler.model.agent import ShiftRequest
from scheduler.model.base import MINUTES_PER_DAY
from scheduler.roster.curtois.reader import CurtoisInstance, Employee
from scheduler.roster.problem_data import REQUIRED_COLUMNS

DEFAULT_START = dt.date(2024, 1, 1)
"""A Monday: the benchmark's day 0 is a Monday."""

SHIFT_START = 0
"""Every shift starts at 00:00 (see the module docstring)."""

GRIDS = (60, 30, 15)
"""Interval lengths the site may use, coarsest first (the coarsest that fits keeps models small)."""


def to_scenario(instance: CurtoisInstance, start: dt.date = DEFAULT_START) -> Scenario:
    """The scenario whose rosters are the instance's, with the same objective.

    Parameters
    ----------
    instance
        A read benchmark instance.
    start
        The date of day 0; must be a Monday (the benchmark's weekends are days 5 and 6).

    Returns
    -------
    Scenario
        A queue-less scenario (see the module docstring); solve it with
        :func:`empty_requirements`.

    Raises
    ------
    ValueError
        If ``start`` is not a Monday, a shift type is too long for one day's template, or an
        employee may work no shift type at all.
    """
    if start.weekday() != 0:
        raise ValueError(f"start {start} is a {start:%A}; the benchmark's day 0 is a Monday")
    dates = [start + dt.timedelta(days=d) for d in range(instance.horizon)]
    step = _grid(instance)
    templates = [_template(s.id, s.minutes, step) for s in instance.shifts]
    contracts: dict[tuple[object, ...], Contract] = {}
    agents = []
    requests = _requests(instance, dates)
    for index, employee in enumerate(instance.employees):
        key = _contract_key(employee)
        if key not in contracts:
            contracts[key] = _contract(instance, employee, f"C{len(contracts) + 1}")
        agents.append(
            Agent(
                id=employee.id,
                contract=contracts[key].id,
                time_off=[dates[d] for d in sorted(employee.days_off)],
                preferences=Preferences(requests=requests.get(index, [])),
            )
        )
    forbidden = [
        (first.id, second) for first in instance.shifts for second in sorted(first.cannot_follow)
    ]
    zero = {name: 0.0 for name in ObjectiveWeights.model_fields}
    return Scenario(
        site=Site(name=instance.name, interval_minutes=step),
        horizon=Horizon(start=start, days=instance.horizon),
        contracts=list(contracts.values()),
        shift_templates=templates,
        agents=agents,
        rules=Rules(
            forbidden_successions=forbidden,
            weekend_days=["sat", "sun"],
            objective=ObjectiveWeights(**{**zero, "preferences": 1.0}),
        ),
        shift_cover=_cover(instance, dates),
    )


def empty_requirements() -> pd.DataFrame:
    """The requirements frame of a queue-less scenario: the usual columns, no rows."""
    return pd.DataFrame({column: [] for column in REQUIRED_COLUMNS})


def _grid(instance: CurtoisInstance) -> int:
    for step in GRIDS:
        if all(s.minutes % step == 0 for s in instance.shifts):
            return step
    bad = next(s for s in instance.shifts if s.minutes % GRIDS[-1])
    raise ValueError(
        f"shift {bad.id}: length {bad.minutes} min is not a multiple of {GRIDS[-1]} minutes"
    )


def _template(shift_id: str, minutes: int, step: int) -> ShiftTemplate:
    if not 0 < minutes <= MINUTES_PER_DAY - SHIFT_START or minutes > 16 * 60:
        raise ValueError(f"shift {shift_id}: length {minutes} min does not fit one day's template")
    return ShiftTemplate(
        id=shift_id,
        kind=shift_id,
        start_earliest=SHIFT_START,
        start_latest=SHIFT_START,
        start_step_minutes=step,
        lengths_minutes=[minutes],
    )


def _contract_key(employee: Employee) -> tuple[object, ...]:
    """Everything of an employee's contract (not the ID, not the days off)."""
    return (
        tuple(sorted(employee.max_shifts.items())),
        employee.max_total_minutes,
        employee.min_total_minutes,
        employee.max_consecutive_shifts,
        employee.min_consecutive_shifts,
        employee.min_consecutive_days_off,
        employee.max_weekends,
    )


def _contract(instance: CurtoisInstance, employee: Employee, contract_id: str) -> Contract:
    allowed = [s.id for s in instance.shifts if employee.may_work(s.id)]
    if not allowed:
        raise ValueError(f"employee {employee.id}: MaxShifts allows no shift type")
    binding = {s: most for s, most in employee.max_shifts.items() if 0 < most < instance.horizon}
    return Contract(
        id=contract_id,
        shift_templates=allowed,
        # The benchmark has no weekly limits: a week may hold seven shifts of any length.
        min_minutes_per_week=0,
        max_minutes_per_week=7 * MINUTES_PER_DAY,
        min_days=0,
        max_days=7,
        max_consecutive_days=max(1, employee.max_consecutive_shifts),
        min_consecutive_days=max(1, employee.min_consecutive_shifts),
        min_consecutive_days_off=max(1, employee.min_consecutive_days_off),
        min_rest_minutes=0,
        max_weekends=employee.max_weekends,
        min_minutes_per_horizon=employee.min_total_minutes,
        max_minutes_per_horizon=employee.max_total_minutes,
        max_shifts_by_kind_per_horizon=binding,
    )


def _requests(instance: CurtoisInstance, dates: list[dt.date]) -> dict[int, list[ShiftRequest]]:
    out: dict[int, list[ShiftRequest]] = defaultdict(list)
    for want, found in (("on", instance.on_requests), ("off", instance.off_requests)):
        for r in found:
            out[r.employee].append(
                ShiftRequest(date=dates[r.day], want=want, kind=r.shift, weight=r.weight)
            )
    return dict(out)


def _cover(instance: CurtoisInstance, dates: list[dt.date]) -> list[ShiftCover]:
    """One row per shift type and (requirement, weights), listing the days it applies on."""
    days: dict[tuple[str, int, int, int], list[dt.date]] = defaultdict(list)
    for line in instance.cover:
        key = (line.shift, line.requirement, line.weight_under, line.weight_over)
        days[key].append(dates[line.day])
    return [
        ShiftCover(
            kind=shift,
            dates=sorted(on),
            target=requirement,
            under_weight=under,
            over_weight=over,
        )
        for (shift, requirement, under, over), on in sorted(days.items())
    ]
