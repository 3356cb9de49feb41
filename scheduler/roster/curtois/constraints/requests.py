"""Soft shift-on and shift-off requests.

For an on-request ``(e, d, s, weight)`` the penalty is ``weight * (1 - x[e,d,s])``; for an
off-request it is ``weight * x[e,d,s]``. A request that cannot be granted (a day off, a type the
contract forbids, a fixed day) becomes a constant.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from scheduler.roster.curtois.model import CurtoisModel


def add(model: CurtoisModel) -> None:
    """Price the requests of the model's employees."""
    inst = model.instance
    mine = set(model.employees)
    for r in inst.on_requests:
        if r.employee in mine:
            model.add_penalty(
                "shift_on_request", r.weight, 1 - model.shift(r.employee, r.day, r.shift)
            )
    for r in inst.off_requests:
        if r.employee in mine:
            model.add_penalty(
                "shift_off_request", r.weight, model.shift(r.employee, r.day, r.shift)
            )
