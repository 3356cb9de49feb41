"""The objective: minimise the weighted sum of every family's penalty terms.

``minimise sum_t weight_t * expression_t``; the families only return terms, this is the one
place that calls ``Minimize`` so every soft rule is priced in one visible sum.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from scheduler.roster.curtois.model import CurtoisModel


def minimise(model: CurtoisModel) -> None:
    """Set ``minimise sum(weight * expression)`` over ``model.penalties``."""
    model.cp.minimize(sum(t.weight * t.expression for t in model.penalties))
