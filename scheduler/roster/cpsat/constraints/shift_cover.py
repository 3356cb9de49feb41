"""Cover by shift type per day: hard minimum and maximum, soft target, over the shift choice.

Maths: for cover row ``r`` (a ``shift_cover`` entry on one day ``d``) with ``S_r`` the candidate
shifts that count for it (their template has the row's kind, or is the row's template, and they
start on day ``d``), the number of shifts worked is

    N_r = sum_{c in S_r} x_c

over the shift-choice booleans ``x_c`` (an agent works at most one shift a day, so ``N_r`` counts
agents). Then

- hard: ``min_r <= N_r`` and, when a maximum is given, ``N_r <= max_r``;
- soft, when a target ``T_r`` is given: integer slacks ``under_r >= T_r - N_r`` and
  ``over_r >= N_r - T_r`` (both ``>= 0``), priced ``under_cost_r * under_r +
  over_cost_r * over_r`` in scaled units (minimisation makes each slack the positive part).
  A weight of 0 creates no slack variable; a row without a target creates none. A row only
  one free agent-day reaches (``N_r`` is ``F_r`` or ``F_r + 1``) needs no slack either: its
  penalty is ``pen(F_r) + (pen(F_r + 1) - pen(F_r)) * sum_{c in S_r} x_c``, exactly.

In a neighbourhood the agents left fixed contribute the constant ``F_r`` (their incumbent
shifts that count), so ``N_r = F_r + sum_{c in S_r, c free} x_c``: the limits hold for the whole
roster, not just the freed part. A row no freed agent can change is a constant; its penalty
enters the term's constant and its hard limits are the incumbent's business (nothing here can
repair them).

While the roster is still being built (``rm.partial``: the constructive heuristic's one-agent
models, diagnosis of one agent's week) the fixed part is incomplete, so the minimum is left out
(agents placed later may still meet it); the maximum stays, because placing more agents only
raises ``N_r``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from ortools.sat.python import cp_model

from scheduler.roster.cpsat.objective import Term

if TYPE_CHECKING:
    from scheduler.roster.cpsat.model import RosterModel
    from scheduler.roster.problem_data import CoverRow, ProblemData


def counts(data: ProblemData, choice: np.ndarray) -> np.ndarray:
    """Shifts counting for each cover row under ``choice[a, d]`` (candidate index or -1)."""
    out = np.zeros(len(data.cover), dtype=np.int64)
    if not data.cover:
        return out
    for c in choice[choice >= 0].tolist():
        for r in data.cover_of.get(int(c), ()):
            out[r] += 1
    return out


def row_penalty(row: CoverRow, count: int) -> int:
    """Scaled soft penalty of ``count`` shifts against the row's target (0 without one)."""
    if row.target is None:
        return 0
    return row.under_cost * max(0, row.target - count) + row.over_cost * max(0, count - row.target)


def penalty(data: ProblemData, row_counts: np.ndarray) -> int:
    """Scaled soft penalty of every row (the term :func:`add` encodes)."""
    return sum(row_penalty(row, int(n)) for row, n in zip(data.cover, row_counts, strict=True))


def add(rm: RosterModel) -> list[Term]:
    """Add the cover rows the free agent-days can change; price the targets."""
    data, v, model = rm.data, rm.vars, rm.model
    if not data.cover:
        return []
    fixed = _fixed_counts(rm)
    # Free shift variables per row, gathered from the (few) free candidates, not the rows.
    free: dict[int, list[int]] = {}
    for c in v.x:
        for r in data.cover_of.get(c, ()):
            free.setdefault(r, []).append(c)
    variables: list[cp_model.IntVar] = []
    coeffs: list[int] = []
    constant = 0
    for r, row in enumerate(data.cover):
        base = int(fixed[r])
        if r not in free:
            constant += row_penalty(row, base)
            continue
        cands = free[r]
        # Each agent works at most one shift a day: the free part adds at most one per agent.
        reach = base + len({data.candidates[c].agent for c in cands})
        count = cp_model.LinearExpr.sum([v.x[c] for c in cands]) + base
        if not rm.partial and row.min > base:
            rm.require("shift_cover", count >= row.min)
        if row.max is not None and reach > row.max:
            rm.require("shift_cover", count <= row.max)
        if row.target is None:
            continue
        if reach == base + 1:
            # One free agent-day reaches the row (the one-agent models of the construction):
            # its penalty is linear in that agent's choice, so no slack variables.
            step = row_penalty(row, base + 1) - row_penalty(row, base)
            constant += row_penalty(row, base)
            if step:
                variables.extend(v.x[c] for c in cands)
                coeffs.extend([step] * len(cands))
            continue
        name = f"{row.label.replace(' ', ':')},d{row.day}"
        if row.under_cost and row.target > base:
            under = model.new_int_var(0, row.target - base, f"cover_under[{name}]")
            model.add(under + count >= row.target)
            variables.append(under)
            coeffs.append(row.under_cost)
        if row.over_cost and reach > row.target:
            over = model.new_int_var(0, reach - row.target, f"cover_over[{name}]")
            model.add(over >= count - row.target)
            variables.append(over)
            coeffs.append(row.over_cost)
    expr = cp_model.LinearExpr.weighted_sum(variables, coeffs) if variables else 0
    return [Term("shift_cover", expr, constant)]


def _fixed_counts(rm: RosterModel) -> np.ndarray:
    """Per row, the shifts of fixed agent-days that count (the incumbent's, free days left out)."""
    choice = rm.plan.choice.copy()
    for a, days in rm.vars.free.items():
        for d in days:
            choice[a, d] = -1
    return counts(rm.data, choice)
