"""Large-neighbourhood search: CP-SAT on a few agents' days, the rest of the roster fixed.

Each step frees a neighbourhood -- some agents who share skills with a randomly drawn one, over
a run of consecutive days -- builds the full model over it (shifts, breaks, group queue flows,
concave service value, deferred backlog, every rule of the freed agents' horizons), hints it with
the incumbent and keeps the answer if the whole roster's objective (computed directly by
:mod:`scheduler.roster.evaluate`) does not get worse.

Neighbourhoods come in four :data:`SHAPES`, because what a roster needs changed depends on what
its cost comes from:

- ``days``: many agents over two days -- who covers which hours of a day (the contact-centre
  week, where the service value of each interval dominates);
- ``window``: fewer agents over 3-14 days -- runs of working days and days off, which a two-day
  window cannot reshape (hospital rosters such as the Curtois & Qu instances);
- ``stretch``: two or three agents over two weeks or more -- swapping whole stretches of work
  between agents (weekend counts, totals over the horizon);
- ``cover``: a window of 3-14 days around a shift cover row short of its target (drawn by its
  penalty), over agents who could work that row and do not -- where those rosters' cost is.
  Left out when no row is short at the start.

On a week (:data:`LONG_SHAPES_AFTER_DAYS`) only ``days`` and ``cover`` are drawn. Every shape
keeps its own size, in freed agent-days, that grows while its sub-models solve to
optimality well inside their budget and shrinks when they time out. The next step mostly takes
the shape that has recently gained most per second (:class:`ShapeChooser`), so the search
spends its time where it pays on the problem at hand.
"""

from __future__ import annotations

import math
import random
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from scheduler.roster.allocate import allocate
from scheduler.roster.cpsat import model as cpsat_model
from scheduler.roster.cpsat.constraints import shift_cover
from scheduler.roster.evaluate import Evaluation, evaluate
from scheduler.roster.plan import Plan

SHAPES = ("days", "window", "stretch", "cover")
"""Neighbourhood shapes, in the order :class:`ShapeChooser` reports them."""

EXPLORE_SHARE = 0.1
"""Share of steps drawn uniformly over the shapes, whatever they gained (a shape that had no
luck lately keeps being tried: what pays changes as the roster improves)."""

TRIALS = 3
"""Steps each shape takes, in turns, before gains decide."""

RECENT_STEPS = 10
"""Steps of a shape its gain rate is measured over."""

STEP_SECONDS = 1.0
"""Wall-time budget of one sub-model, at least."""

STEPS_AT_LEAST = 120
"""A long search gives each sub-model up to 1/this of its time when that is more than
:data:`STEP_SECONDS`: sub-models, and so neighbourhoods, grow with the time there is. Curtois
Instance10 through the scenario engine: 4,868 at 60 s and 4,846 at 600 s with 1 s steps (the
search stalls on neighbourhoods that solve in a third of a second), 4,763 at 120 s with 4 s
steps."""

MIN_AREA = 2
"""The least freed agent-days of a ``window``, ``stretch`` or ``cover`` neighbourhood."""

DAYS_MIN_AGENTS = 3
"""The least agents of a ``days`` neighbourhood."""

LONG_SHAPES_AFTER_DAYS = 7
"""``window`` and ``stretch`` are drawn only on horizons longer than this (a week). On the
60-agent week (120 s) they left the roster worse than the two-day shape alone in each of three
runs (-9,613, -9,600, -9,585 against -9,631): the best responses already re-plan each agent's
whole week, and the longer shapes' timeouts cost steps."""

WINDOW_DAYS = (3, 14)
"""Least and most days of a ``window`` or ``cover`` neighbourhood."""

STRETCH_DAYS = 14
"""A ``stretch`` frees at least this many days (or the whole horizon when shorter)."""


@dataclass
class LnsStats:
    """What the search did."""

    iterations: int = 0
    improvements: int = 0
    agents_per_neighbourhood: int = 0
    steps_by_shape: dict[str, int] = field(default_factory=dict)
    improvements_by_shape: dict[str, int] = field(default_factory=dict)


@dataclass
class ShapeChooser:
    """Draws the next neighbourhood shape by recent gain per second (adaptive LNS).

    Each shape is first tried :data:`TRIALS` times (in turns); from then on a draw is uniform
    with probability :data:`EXPLORE_SHARE` and otherwise the shape with the most gain per
    second over its last :data:`RECENT_STEPS` steps. A window of steps rather than a decaying
    average: one unlucky first step must not shut a shape out. The best shape rather than one
    in proportion to the rates: on the 60-agent week the two-day shape gained 40 units in 62
    steps and the window 16 in 46, and proportional draws left the roster 0.2 % of the LP
    bound behind the two-day shape alone (measured at 120 s).

    Parameters
    ----------
    rng
        The search's random source (same seed, same draws).
    shapes
        The shapes to choose from.
    """

    rng: random.Random
    shapes: tuple[str, ...] = SHAPES
    recent: dict[str, deque[tuple[float, float]]] = field(default_factory=dict)

    def rate(self, shape: str) -> float:
        """Objective gained per second over the shape's recent steps (0 before any)."""
        steps = self.recent.get(shape, ())
        seconds = sum(t for _, t in steps)
        return sum(g for g, _ in steps) / seconds if seconds > 0 else 0.0

    def draw(self) -> str:
        """The next shape (see the class docstring)."""
        untried = [s for s in self.shapes if len(self.recent.get(s, ())) < TRIALS]
        if untried:
            return min(untried, key=lambda s: len(self.recent.get(s, ())))
        if self.rng.random() < EXPLORE_SHARE:
            return self.rng.choice(self.shapes)
        rates = {s: self.rate(s) for s in self.shapes}
        top = max(rates.values())
        # Ties (nothing gained lately) are broken at random, not by the order of the shapes.
        return self.rng.choice([s for s in self.shapes if rates[s] == top])

    def record(self, shape: str, gain: float, seconds: float) -> None:
        """Remember one step's objective gain (>= 0) and wall time."""
        steps = self.recent.setdefault(shape, deque(maxlen=RECENT_STEPS))
        steps.append((max(0.0, gain), max(seconds, 1e-3)))


def neighbourhood(
    plan: Plan, rng: random.Random, area: int, shape: str = "days"
) -> dict[int, frozenset[int]]:
    """About ``area`` agent-days of agents sharing skills with a random one, shaped by ``shape``.

    Raises
    ------
    ValueError
        If ``shape`` is not one of :data:`SHAPES`.
    """
    data = plan.data
    n_agents = len(data.agents)
    if shape == "days":
        span = min(2, data.days)
    elif shape == "window":
        span = _window_span(rng, data.days)
    elif shape == "stretch":
        span = min(data.days, max(STRETCH_DAYS, area // 3))
    elif shape == "cover":
        return _cover_neighbourhood(plan, rng, area)
    else:
        raise ValueError(f"neighbourhood shape {shape!r} is not one of {', '.join(SHAPES)}")
    # Fewer than two agents cannot exchange anything on a multi-day window.
    least = 1 if shape == "days" else 2
    count = min(n_agents, max(least, area // span))
    first = rng.randrange(0, data.days - span + 1)
    days = frozenset(range(first, first + span))
    seed_agent = rng.randrange(n_agents)
    skills = set(data.agents[seed_agent].skills)
    related = [
        a for a in range(n_agents) if a != seed_agent and skills & set(data.agents[a].skills)
    ]
    others = [a for a in range(n_agents) if a != seed_agent and a not in related]
    rng.shuffle(related)
    rng.shuffle(others)
    chosen = [seed_agent, *related, *others][:count]
    return {a: days for a in sorted(chosen)}


def _window_span(rng: random.Random, days: int) -> int:
    """Days of a ``window`` or ``cover`` neighbourhood: 3-14, at most the horizon."""
    return rng.randint(min(WINDOW_DAYS[0], days), min(WINDOW_DAYS[1], days))


def short_rows(plan: Plan) -> list[tuple[int, int]]:
    """(row index, penalty) of each shift cover row below its target."""
    data = plan.data
    if not data.cover:
        return []
    row_counts = shift_cover.counts(data, plan.choice)
    return [
        (r, shift_cover.row_penalty(row, int(n)))
        for r, (row, n) in enumerate(zip(data.cover, row_counts, strict=True))
        if row.target is not None and n < row.target and row.under_cost > 0
    ]


def _cover_neighbourhood(plan: Plan, rng: random.Random, area: int) -> dict[int, frozenset[int]]:
    """A window around a short cover row, over agents who could work it and do not."""
    data = plan.data
    short = short_rows(plan)
    if not short:
        # Every row met since the search began: the shape that suits the horizon instead.
        plain = "days" if data.days <= LONG_SHAPES_AFTER_DAYS else "window"
        return neighbourhood(plan, rng, area, plain)
    r = rng.choices([r for r, _ in short], weights=[w for _, w in short])[0]
    row = data.cover[r]
    span = _window_span(rng, data.days)
    first = rng.randint(max(0, row.day - span + 1), min(row.day, data.days - span))
    days = frozenset(range(first, first + span))
    able = [
        a
        for a, spec in enumerate(data.agents)
        if int(plan.choice[a, row.day]) not in row.candidates
        and any(c in row.candidates for c in spec.candidates[row.day])
    ]
    rng.shuffle(able)
    count = min(len(data.agents), max(2, area // span))
    chosen = able[:count]
    if len(chosen) < count:
        # Agents already on the row can hand it over and take another day's gap.
        taken = set(chosen)
        rest = [a for a in range(len(data.agents)) if a not in taken]
        rng.shuffle(rest)
        chosen += rest[: count - len(chosen)]
    return {a: days for a in sorted(chosen)}


def freed_intervals(plan: Plan, free: dict[int, frozenset[int]]) -> list[int]:
    """Intervals any candidate shift of a freed agent-day may cover."""
    data = plan.data
    out: set[int] = set()
    for a, days in free.items():
        for d in days:
            for c in data.agents[a].candidates[d]:
                cand = data.candidates[c]
                out.update(range(cand.first, cand.last))
    return sorted(out)


def search(
    plan: Plan,
    *,
    deadline: float,
    seed: int,
    workers: int,
    max_iterations: int | None = None,
    on_improve: Callable[[Evaluation], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
    start_size: int = 4,
    shapes: tuple[str, ...] = SHAPES,
) -> tuple[Plan, Evaluation, LnsStats]:
    """Improve ``plan`` until ``deadline`` (``time.monotonic()``) or ``max_iterations``.

    ``start_size`` is the first ``days`` neighbourhood's agent count; ``shapes`` the shapes
    to draw from (all of :data:`SHAPES` by default).
    """
    data = plan.data
    rng = random.Random(seed)
    if data.days <= LONG_SHAPES_AFTER_DAYS:
        shapes = tuple(s for s in shapes if s not in ("window", "stretch"))
    if not short_rows(plan):
        # Rows that are met stay met unless that pays elsewhere: the shape would rarely apply.
        shapes = tuple(s for s in shapes if s != "cover")
    chooser = ShapeChooser(rng, shapes)
    best, best_eval = plan, evaluate(plan)
    stats = LnsStats()
    full_area = len(data.agents) * data.days
    step_seconds = STEP_SECONDS
    if math.isfinite(deadline):
        step_seconds = max(STEP_SECONDS, (deadline - time.monotonic()) / STEPS_AT_LEAST)
    area = {s: min(full_area, 2 * start_size) for s in shapes}
    while time.monotonic() < deadline - 0.05:
        if max_iterations is not None and stats.iterations >= max_iterations:
            break
        if should_stop is not None and should_stop():
            break
        stats.iterations += 1
        began = time.monotonic()
        shape = chooser.draw()
        stats.steps_by_shape[shape] = stats.steps_by_shape.get(shape, 0) + 1
        free = neighbourhood(best, rng, area[shape], shape)
        rm = cpsat_model.build(data, best, free, mode="full")
        cpsat_model.hint(rm)
        budget = min(step_seconds, max(0.05, deadline - time.monotonic() - 0.05))
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = workers
        solver.parameters.random_seed = seed + stats.iterations
        solver.parameters.max_time_in_seconds = budget
        if workers == 1:
            # With one worker a deterministic budget makes equal seeds give equal rosters.
            solver.parameters.max_deterministic_time = budget / 2
        status = solver.solve(rm.model)
        area[shape] = _resized(
            shape,
            area[shape],
            sum(len(days) for days in free.values()),
            fast=status == cp_model.OPTIMAL and solver.wall_time < budget / 3,
            slow=status != cp_model.OPTIMAL,
            most=full_area,
        )
        gain = 0.0
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            # The sub-model sees queues per skill group: who of a group takes which queue
            # (switches, proficiency) is chosen exactly by the allocation over the freed
            # intervals.
            candidate = allocate(cpsat_model.read_back(rm, solver), freed_intervals(best, free))
            cand_eval = evaluate(candidate)
            if cand_eval.total <= best_eval.total:
                gain = float(best_eval.total - cand_eval.total)
                if gain > 0:
                    stats.improvements += 1
                    stats.improvements_by_shape[shape] = (
                        stats.improvements_by_shape.get(shape, 0) + 1
                    )
                    if on_improve is not None:
                        on_improve(cand_eval)
                best, best_eval = candidate, cand_eval
        chooser.record(shape, gain, time.monotonic() - began)
    stats.agents_per_neighbourhood = max(1, area.get("days", 2) // 2)
    return best, best_eval, stats


def _resized(shape: str, area: int, freed: int, *, fast: bool, slow: bool, most: int) -> int:
    """The shape's next area: grown after a fast optimal sub-model, shrunk after a timeout.

    ``days`` moves by one agent (two agent-days) and keeps three agents at least, as the
    contact-centre search was tuned; the longer shapes move by a tenth of what they freed.
    """
    if shape == "days":
        step, least = 2, 2 * DAYS_MIN_AGENTS
    else:
        step, least = max(2, freed // 10), MIN_AREA
    if fast:
        return min(most, max(area, freed) + step)
    if slow:
        return max(least, min(area, freed) - step)
    return area


def describe_shapes(stats: LnsStats) -> str:
    """``days 120/14, window 40/9``: steps and improvements per shape tried."""
    return (
        ", ".join(
            f"{shape} {steps}/{stats.improvements_by_shape.get(shape, 0)}"
            for shape, steps in stats.steps_by_shape.items()
        )
        or "no steps"
    )
