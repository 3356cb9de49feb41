"""Breaks: each break of the chosen shift placed once inside its window, never overlapping.

Maths: for a free agent-day ``(a, d)``, template ``p`` with break rules ``r`` (window of start
offsets ``[f_r, l_r]`` intervals after the shift start, ``span_r`` intervals long) and candidate
shifts ``c`` of ``p`` starting in interval ``s_c``, one boolean ``b[a,d,p,r,s]`` per absolute
start interval ``s`` that some candidate allows:

- ``b[a,d,p,r,s] <= sum_{c of p : s_c + f_r <= s <= s_c + l_r} x_c`` (only inside the chosen
  shift's window);
- ``sum_s b[a,d,p,r,s] = sum_{c of p} x_c`` (exactly one placement when a shift of ``p`` is
  worked);
- for every interval ``t``: at most one break of ``(a, d)`` covers ``t``.

Indexing breaks by absolute interval instead of per candidate shares them between all starts of
a template, which keeps the model small (the windows are translates of one another). Hard; no
penalty: the break's cost is the coverage it removes (see :mod:`.coverage`).
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from ortools.sat.python import cp_model

from scheduler.model import format_clock
from scheduler.model.base import MINUTES_PER_DAY

if TYPE_CHECKING:
    from scheduler.roster.cpsat.model import RosterModel
    from scheduler.roster.cpsat.objective import Term
    from scheduler.roster.plan import Plan


class BreakVars:
    """Break placement variables of a model and how they cover intervals."""

    def __init__(self) -> None:
        # (a, d, template, rule) -> {start interval: var}
        self.place: dict[tuple[int, int, int, int], dict[int, cp_model.IntVar]] = {}
        # (a, t) -> vars of breaks covering interval t
        self.cover: dict[tuple[int, int], list[cp_model.IntVar]] = defaultdict(list)

    def off(self, a: int, t: int) -> cp_model.LinearExpr | int:
        """Expression: 1 if free agent ``a`` is on break in interval ``t``."""
        vs = self.cover.get((a, t))
        return cp_model.LinearExpr.sum(vs) if vs else 0

    def hint(self, model: cp_model.CpModel, plan: Plan) -> None:
        """Hint placements with the incumbent's breaks."""
        for (a, d, p, r), options in self.place.items():
            cand = plan.candidate(a, d)
            starts = plan.breaks.get((a, d), ())
            same = cand is not None and cand.template == p and r < len(starts)
            chosen = starts[r] if same else None
            for s, var in options.items():
                model.add_hint(var, s == chosen)

    def read(self, solver: cp_model.CpSolver, plan: Plan) -> None:
        """Write the solver's break starts into ``plan`` (shifts already read)."""
        found: dict[tuple[int, int], dict[int, int]] = defaultdict(dict)
        for (a, d, p, r), options in self.place.items():
            cand = plan.candidate(a, d)
            if cand is None or cand.template != p:
                continue
            for s, var in options.items():
                if solver.value(var):
                    found[(a, d)][r] = s
        for (a, d), by_rule in found.items():
            plan.breaks[(a, d)] = tuple(by_rule[r] for r in sorted(by_rule))


def add(rm: RosterModel) -> list[Term]:
    """Place the breaks of the free agent-days (full mode only)."""
    if rm.mode != "full":
        return []
    bv = BreakVars()
    data, model = rm.data, rm.model
    for a, days in sorted(rm.vars.free.items()):
        agent_id = data.agents[a].id
        for d in sorted(days):
            by_template: dict[int, list] = defaultdict(list)
            for cand in rm.vars.candidates(a, d):
                by_template[cand.template].append(cand)
            day_cover: dict[int, list[cp_model.IntVar]] = defaultdict(list)
            for p, cands in sorted(by_template.items()):
                tpl = data.templates[p]
                if not tpl.breaks:
                    continue
                works_p = cp_model.LinearExpr.sum([rm.vars.x[c.index] for c in cands])
                for r, spec in enumerate(tpl.breaks):
                    allowed: dict[int, list[cp_model.IntVar]] = defaultdict(list)
                    for c in cands:
                        for s in range(c.first + spec.first, c.first + spec.last + 1):
                            allowed[s].append(rm.vars.x[c.index])
                    options: dict[int, cp_model.IntVar] = {}
                    for s, xs in sorted(allowed.items()):
                        clock = format_clock(s * data.interval - d * MINUTES_PER_DAY)
                        var = model.new_bool_var(
                            f"break[{agent_id},d{d},{tpl.id},{spec.name}@{clock}]"
                        )
                        rm.require("breaks", var <= cp_model.LinearExpr.sum(xs))
                        options[s] = var
                        for t in range(s, s + spec.span):
                            day_cover[t].append(var)
                    rm.require("breaks", cp_model.LinearExpr.sum(list(options.values())) == works_p)
                    bv.place[(a, d, p, r)] = options
            for t, vs in day_cover.items():
                if len(vs) > 1:
                    model.add_at_most_one(vs)
                bv.cover[(a, t)].extend(vs)
    rm.breaks = bv
    return []
