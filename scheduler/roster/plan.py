"""The working solution the heuristics and the LNS improve: a mutable plan over ProblemData.

A :class:`Plan` records, per agent and day, the chosen candidate (or none); per agent-day with a
shift, the start interval of each of its template's breaks; and per agent and interval, the queue
worked (``-1`` when off duty or on break). :meth:`Plan.to_roster` turns it into the typed
:class:`~scheduler.roster.result.Roster` with breaks and activities.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from scheduler.roster.problem_data import Candidate, ProblemData
from scheduler.roster.result import ActivitySpan, BreakSpan, Roster, Shift

NO_SHIFT = -1
OFF = -1


@dataclass
class Plan:
    """A complete assignment: shifts, breaks and queue per agent-interval.

    Attributes
    ----------
    choice
        ``choice[a, d]`` candidate index or :data:`NO_SHIFT`.
    breaks
        ``breaks[(a, d)]`` absolute start interval of each break of the shift's template.
    queue
        ``queue[a, t]`` queue index worked, or :data:`OFF`.
    """

    data: ProblemData
    choice: np.ndarray
    breaks: dict[tuple[int, int], tuple[int, ...]] = field(default_factory=dict)
    queue: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), dtype=np.int16))

    @classmethod
    def empty(cls, data: ProblemData) -> Plan:
        """A plan with nobody working."""
        return cls(
            data=data,
            choice=np.full((len(data.agents), data.days), NO_SHIFT, dtype=np.int64),
            queue=np.full((len(data.agents), data.n_intervals), OFF, dtype=np.int16),
        )

    def copy(self) -> Plan:
        """An independent copy."""
        return Plan(self.data, self.choice.copy(), dict(self.breaks), self.queue.copy())

    def candidate(self, a: int, d: int) -> Candidate | None:
        """The shift of agent ``a`` on day ``d``, if any."""
        c = int(self.choice[a, d])
        return None if c == NO_SHIFT else self.data.candidates[c]

    def break_mask(self, a: int, d: int) -> list[int]:
        """Absolute intervals agent ``a`` is on break during day ``d``'s shift."""
        cand = self.candidate(a, d)
        if cand is None:
            return []
        specs = self.data.templates[cand.template].breaks
        out: list[int] = []
        for spec, start in zip(specs, self.breaks.get((a, d), ()), strict=False):
            out.extend(range(start, start + spec.span))
        return out

    def working(self, a: int, d: int) -> list[int]:
        """Intervals of day ``d``'s shift that agent ``a`` spends on a queue (not on break).

        None for an agent without skills (a queue-less scenario): such an agent works shift
        cover only, so no interval of its shift goes to a queue.
        """
        cand = self.candidate(a, d)
        if cand is None or not self.data.agents[a].skills:
            return []
        off = set(self.break_mask(a, d))
        return [t for t in range(cand.first, cand.last) if t not in off]

    def set_shift(self, a: int, d: int, c: int, breaks: tuple[int, ...]) -> None:
        """Give agent ``a`` candidate ``c`` (or :data:`NO_SHIFT`) on day ``d``; queues unset."""
        old = self.candidate(a, d)
        if old is not None:
            self.queue[a, old.first : old.last] = OFF
        self.choice[a, d] = c
        self.breaks.pop((a, d), None)
        if c != NO_SHIFT:
            self.breaks[(a, d)] = breaks

    def coverage(self) -> np.ndarray:
        """``n[q, t]``: agents on each queue in each interval."""
        n_q = len(self.data.queues)
        counts = np.zeros((n_q, self.data.n_intervals), dtype=np.int64)
        a_idx, t_idx = np.nonzero(self.queue >= 0)
        np.add.at(counts, (self.queue[a_idx, t_idx].astype(np.int64), t_idx), 1)
        return counts

    def to_roster(self) -> Roster:
        """The typed roster: shifts with breaks (real minutes) and activities per queue."""
        data = self.data
        step = data.interval
        shifts = []
        for spec in data.agents:
            for d in range(data.days):
                cand = self.candidate(spec.index, d)
                if cand is None:
                    continue
                tpl = data.templates[cand.template]
                breaks = tuple(
                    BreakSpan(name=b.name, start=s * step, end=s * step + b.minutes, paid=b.paid)
                    for b, s in zip(tpl.breaks, self.breaks.get((spec.index, d), ()), strict=False)
                )
                shifts.append(
                    Shift(
                        agent=spec.id,
                        day=d,
                        template=tpl.id,
                        start=cand.start,
                        end=cand.end,
                        breaks=breaks,
                        activities=self._activities(spec.index, cand, breaks),
                        paid_minutes=cand.paid_minutes,
                    )
                )
        return Roster(
            horizon_start=data.horizon_start,
            days=data.days,
            interval_minutes=step,
            shifts=tuple(shifts),
        )

    def _activities(
        self, a: int, cand: Candidate, breaks: tuple[BreakSpan, ...]
    ) -> tuple[ActivitySpan, ...]:
        step = self.data.interval
        spans: list[ActivitySpan] = []
        current: tuple[int, int, int] | None = None  # queue, start minute, end minute
        for t in range(cand.first, cand.last):
            q = int(self.queue[a, t])
            if q < 0:
                if current is not None:
                    spans.append(
                        ActivitySpan(
                            queue=self.data.queues[current[0]], start=current[1], end=current[2]
                        )
                    )
                    current = None
                continue
            # A break shorter than the grid interval holds its whole interval off queue in the
            # model, but the agent goes back to work as soon as it ends.
            begin = t * step
            for b in breaks:
                if begin - step < b.end < begin:
                    begin = b.end
            if current is not None and current[0] == q and current[2] == t * step:
                current = (q, current[1], (t + 1) * step)
            else:
                if current is not None:
                    spans.append(
                        ActivitySpan(
                            queue=self.data.queues[current[0]], start=current[1], end=current[2]
                        )
                    )
                current = (q, begin, (t + 1) * step)
        if current is not None:
            spans.append(
                ActivitySpan(queue=self.data.queues[current[0]], start=current[1], end=current[2])
            )
        return tuple(spans)


def plan_from_roster(data: ProblemData, roster: Roster) -> Plan:
    """Rebuild a plan from a roster whose shifts are all candidates of ``data``.

    Raises
    ------
    KeyError
        If a shift is not among the agent-day's candidates (use it as a warm start only when
        the roster came from the same scenario).
    """
    plan = Plan.empty(data)
    step = data.interval
    for shift in roster.shifts:
        a = data.agent_index(shift.agent)
        match = None
        for c in data.agents[a].candidates[shift.day] if shift.day < data.days else ():
            cand = data.candidates[c]
            if (
                cand.start == shift.start
                and cand.end == shift.end
                and (data.templates[cand.template].id == shift.template)
            ):
                match = cand
                break
        if match is None:
            raise KeyError(f"{shift.agent} day {shift.day}: shift is not a candidate")
        starts = tuple(b.start // step for b in shift.breaks)
        plan.set_shift(a, shift.day, match.index, starts)
        on_break = set(plan.break_mask(a, shift.day))
        for act in shift.activities:
            q = data.queue_index(act.queue)
            for t in range(act.start // step, -(-act.end // step)):
                if match.first <= t < match.last and t not in on_break:
                    plan.queue[a, t] = q
    return plan
