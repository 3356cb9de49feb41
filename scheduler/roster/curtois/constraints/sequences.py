"""Runs of worked days and days off: max/min consecutive shifts, min consecutive days off.

With ``w[d]`` = "works on day d" for one employee (days outside ``0..H-1`` count as off):

- Max consecutive shifts ``C``: every window of ``C+1`` days holds a day off::

      sum_{i=d}^{d+C} w[i] <= C          for d = 0 .. H-C-1

- Min consecutive shifts ``m``: no isolated run of ``k < m`` worked days strictly inside the
  horizon (runs touching day 0 or day ``H-1`` are exempt), i.e. forbid the pattern
  ``off, work^k, off`` with the offs at days ``d-1`` and ``d+k``, ``1 <= d``, ``d+k <= H-1``::

      w[d-1] or not w[d] or ... or not w[d+k-1] or w[d+k]

- Min consecutive days off ``m'``: the same with worked and off swapped::

      not w[d-1] or w[d] or ... or w[d+k-1] or not w[d+k]

These sliding-window clauses are exactly the forbidden patterns (no auxiliary run variables),
which keeps unit propagation strong and lets the LP see the max-run windows directly.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from scheduler.roster.curtois.model import CurtoisModel


def add(model: CurtoisModel) -> None:
    """Add the three run rules for every employee of the model."""
    horizon = model.instance.horizon
    for e in model.employees:
        emp = model.instance.employees[e]
        work = [model.works(e, d) for d in range(horizon)]
        _max_run(model, work, emp.max_consecutive_shifts)
        _min_runs(model, work, emp.min_consecutive_shifts, worked=True)
        _min_runs(model, work, emp.min_consecutive_days_off, worked=False)


def _max_run(model: CurtoisModel, work: list, limit: int) -> None:  # type: ignore[type-arg]
    for start in range(len(work) - limit):
        window = [w for w in work[start : start + limit + 1] if w is not False]
        if len(window) > limit:
            model.cp.add(sum(window) <= limit)


def _min_runs(model: CurtoisModel, work: list, minimum: int, worked: bool) -> None:  # type: ignore[type-arg]
    horizon = len(work)
    for length in range(1, minimum):
        for start in range(1, horizon - length):
            inside = work[start : start + length]
            edges = (work[start - 1], work[start + length])
            if worked:
                # Forbid off, work^length, off.
                model.add_clause(edges, negated=inside)
            else:
                # Forbid work, off^length, work.
                model.add_clause(inside, negated=edges)
