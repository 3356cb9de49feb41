"""Where one agent's breaks cost the least: each break rule at its cheapest start in its window.

Given ``M[t]``, the value of this agent's work in interval ``t`` with everybody else fixed (see
:func:`scheduler.roster.construct.marginal`), a break starting at ``s`` loses
``sum_{t in [s, s + span)} M[t]``. Break rules are placed in template order, each at the start
inside its window that loses least and does not overlap a break placed before it. When the
windows do not overlap (the usual case: a morning break, lunch, an afternoon break) this is the
exact optimum for the agent; otherwise it is the greedy one.

Used by the constructive heuristic and the best responses (so an agent's week is valued with
the breaks it will actually get) and by :mod:`scheduler.roster.rebreak`.
"""

from __future__ import annotations

import numpy as np

from scheduler.roster.problem_data import ProblemData


def least_cost_breaks(
    data: ProblemData, template: int, first: int, prefix: np.ndarray
) -> tuple[tuple[int, ...], int] | None:
    """Break starts of a shift of ``template`` starting in interval ``first`` and their loss.

    Parameters
    ----------
    data
        The problem.
    template
        Template index of the shift.
    first
        First interval of the shift.
    prefix
        ``prefix[t] = sum_{u < t} M[u]`` (length ``n_intervals + 1``).

    Returns
    -------
    tuple[tuple[int, ...], int] | None
        The absolute start interval of each break rule and the summed loss, or None when the
        windows are so crowded that some break has no start clear of the earlier ones.
    """
    starts: list[int] = []
    taken: list[tuple[int, int]] = []
    loss = 0
    last_t = len(prefix) - 1
    for spec in data.templates[template].breaks:
        lo = first + spec.first
        hi = min(first + spec.last, last_t - spec.span)
        if hi < lo:
            return None
        positions = np.arange(lo, hi + 1)
        losses = prefix[positions + spec.span] - prefix[positions]
        if taken:
            clear = np.ones(len(positions), dtype=bool)
            for begin, end in taken:
                clear &= (positions + spec.span <= begin) | (positions >= end)
            if not clear.any():
                return None
            losses = np.where(clear, losses, np.iinfo(np.int64).max)
        k = int(np.argmin(losses))
        s = int(positions[k])
        starts.append(s)
        taken.append((s, s + spec.span))
        loss += int(losses[k])
    return tuple(starts), loss


def disjoint_windows(data: ProblemData, template: int) -> bool:
    """Whether no two break rules of ``template`` can ever overlap (each placed independently)."""
    specs = data.templates[template].breaks
    return all(
        a.last + a.span <= b.first or b.last + b.span <= a.first
        for i, a in enumerate(specs)
        for b in specs[i + 1 :]
    )


def placement_table(
    data: ProblemData, template: int, prefix: np.ndarray
) -> tuple[np.ndarray, np.ndarray] | None:
    """:func:`least_cost_breaks` for a shift of ``template`` starting in every interval at once.

    Each break rule's cheapest start is a sliding-window minimum of the break's loss, so when
    the windows are disjoint (:func:`disjoint_windows`) the whole table costs a few array
    operations instead of one search per candidate shift.

    Returns
    -------
    tuple[np.ndarray, np.ndarray] | None
        ``starts[f, i]``: absolute start of break rule ``i`` for a shift first on duty in ``f``
        (-1 where the window runs past the horizon), and ``loss[f]``, their summed loss; None
        when the windows may overlap (place such shifts with :func:`least_cost_breaks`).
    """
    specs = data.templates[template].breaks
    n_t = len(prefix) - 1
    if not disjoint_windows(data, template):
        return None
    starts = np.full((n_t, len(specs)), -1, dtype=np.int64)
    loss = np.zeros(n_t, dtype=np.int64)
    firsts = np.arange(n_t)
    for i, spec in enumerate(specs):
        width = spec.last - spec.first + 1
        cost = prefix[spec.span :] - prefix[: -spec.span]  # loss of a break starting at s
        if len(cost) < width:
            continue
        windows = np.lib.stride_tricks.sliding_window_view(cost, width)
        best = windows.argmin(axis=1)  # the first cheapest, as least_cost_breaks picks
        rows = firsts + spec.first  # window of a shift first on duty in f starts at f + first
        ok = rows < len(windows)
        starts[ok, i] = rows[ok] + best[rows[ok]]
        loss[ok] += windows[rows[ok], best[rows[ok]]]
    return starts, loss
