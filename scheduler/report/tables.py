"""HTML tables of the report: service per queue and day, roster grid, fairness, shift cover, diff.

Every cell's text goes through :func:`html.escape`; callers pass plain strings.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping, Sequence
from html import escape

import pandas as pd

from scheduler.model import Agent, Queue, Scenario
from scheduler.report.labels import day_label, goal_text, number, percent, queue_label, signed_hours
from scheduler.roster.result import AgentFairness, CoverCount, Roster, RosterDiff, Shift

NEAR_MISS = 0.05
"""A service level this far below its goal is amber rather than red."""


def cell(content: str, cls: str = "", tag: str = "td", tip: str = "") -> str:
    """One table cell with escaped content, optional CSS class and tooltip."""
    attributes = f' class="{escape(cls)}"' if cls else ""
    attributes += f' title="{escape(tip)}"' if tip else ""
    return f"<{tag}{attributes}>{escape(content)}</{tag}>"


def table(head: Iterable[str], rows: Iterable[str], caption: str = "", cls: str = "") -> str:
    """A table from prebuilt header cells and rows, wrapped to scroll sideways on small screens.

    Parameters
    ----------
    head
        Header cells (already built with :func:`cell`).
    rows
        Rows, each ``<tr>...</tr>``.
    caption
        Optional caption text.
    cls
        Optional CSS class of the table.

    Returns
    -------
    str
        The table markup.
    """
    caption_html = f"<caption>{escape(caption)}</caption>" if caption else ""
    class_html = f' class="{escape(cls)}"' if cls else ""
    return (
        f'<div class="scroll"><table{class_html}>{caption_html}'
        f"<thead><tr>{''.join(head)}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    )


def service_class(value: float | None, goal: float | None) -> str:
    """CSS class of a service level against its goal: good, near (within 5 points) or bad.

    Parameters
    ----------
    value
        Achieved service level (share), ``None``/NaN when nothing was offered.
    goal
        Target share, ``None`` when the queue has no service-level goal.

    Returns
    -------
    str
        ``good``, ``near``, ``bad``, or ``na`` when there is nothing to compare.
    """
    if value is None or goal is None or math.isnan(value):
        return "na"
    if value >= goal - 1e-9:
        return "good"
    return "near" if value >= goal - NEAR_MISS else "bad"


def _service_row(
    queue: Queue, by_date: Mapping[dt.date, float], week: float | None, dates: Sequence[dt.date]
) -> str:
    goal = queue.goal.service_level
    cells = [cell(queue_label(queue), "l", "th"), cell(goal_text(queue), "l")]
    for date in dates:
        value = by_date.get(date)
        cells.append(cell(percent(value), service_class(value, goal)))
    cells.append(cell(percent(week), service_class(week, goal)))
    return f"<tr>{''.join(cells)}</tr>"


def service_table(scenario: Scenario, daily: pd.DataFrame, weekly: Mapping[str, float]) -> str:
    """Service level per queue (rows) and day (columns), coloured against each queue's goal.

    Parameters
    ----------
    scenario
        Gives the queues, their goals and the horizon's dates.
    daily
        ``queue, date, service_level`` rows (see :func:`scheduler.report.frames.service_by_day`).
    weekly
        Queue id to service level over the horizon.

    Returns
    -------
    str
        The table markup.
    """
    dates = scenario.horizon.dates()
    head = [cell("Queue", "l", "th"), cell("Goal", "l", "th")]
    head += [cell(day_label(d), tag="th") for d in dates] + [cell("Week", tag="th")]
    rows = []
    for queue in scenario.queues:
        mine = daily[daily["queue"] == queue.id]
        by_date = {d: float(v) for d, v in zip(mine["date"], mine["service_level"], strict=True)}
        rows.append(_service_row(queue, by_date, weekly.get(queue.id), dates))
    return table(head, rows)


def _day_cell(shift: Shift | None, agent: Agent | None, date: dt.date) -> str:
    if shift is not None:
        tip = f"{shift.template}, {shift.paid_minutes / 60:.1f} h paid"
        return cell(f"{shift.clock(shift.start)}–{shift.clock(shift.end)}", tip=tip)
    if agent is not None and date in agent.time_off:
        return cell("time off", "na")
    return cell("·", "na")


def roster_grid(scenario: Scenario, roster: Roster) -> str:
    """Who works when: a row per agent, a column per day with the shift's start and end.

    Parameters
    ----------
    scenario
        Gives the agents (in file order) and their names and time off.
    roster
        The roster shown.

    Returns
    -------
    str
        The table markup.
    """
    dates = [roster.horizon_start + dt.timedelta(days=d) for d in range(roster.days)]
    head = [cell("Agent", "l", "th"), cell("Name", "l", "th")]
    head += [cell(day_label(d), tag="th") for d in dates] + [cell("Paid h", tag="th")]
    agents = {a.id: a for a in scenario.agents}
    # Agents the roster names but the scenario does not still show, after the known ones.
    ids = list(agents) + sorted({s.agent for s in roster.shifts} - set(agents))
    by_day = {(s.agent, s.day): s for s in roster.shifts}
    rows = []
    for agent_id in ids:
        agent = agents.get(agent_id)
        paid = sum(s.paid_minutes for s in roster.shifts_of(agent_id))
        cells = [cell(agent_id, "l", "th"), cell(agent.name if agent else "", "l")]
        cells += [_day_cell(by_day.get((agent_id, d)), agent, date) for d, date in enumerate(dates)]
        cells.append(cell(number(paid / 60)))
        rows.append(f"<tr>{''.join(cells)}</tr>")
    return table(head, rows, cls="grid")


def _deviation_class(paid: int, target: int) -> str:
    """Within an hour of target is fine; within 10 % amber; beyond that red."""
    gap = abs(paid - target)
    if gap <= 60:
        return ""
    return "near" if gap <= 0.1 * max(target, 1) else "bad"


def _fairness_row(entry: AgentFairness, agent: Agent | None) -> str:
    asked = entry.preferences_asked
    granted = f"{entry.preferences_granted} / {asked}" if asked else "—"
    cells = [
        cell(entry.agent, "l", "th"),
        cell(agent.name if agent else "", "l"),
        cell(number(entry.paid_minutes / 60)),
        cell(number(entry.target_minutes / 60)),
        cell(
            signed_hours(entry.paid_minutes - entry.target_minutes),
            _deviation_class(entry.paid_minutes, entry.target_minutes),
        ),
        cell(str(entry.weekends)),
        cell(str(entry.nights)),
        cell(str(entry.late_finishes)),
        cell(str(entry.early_starts)),
        cell(granted, "" if not asked or entry.preferences_granted == asked else "near"),
    ]
    return f"<tr>{''.join(cells)}</tr>"


def _fairness_total(entries: Sequence[AgentFairness]) -> str:
    paid = sum(e.paid_minutes for e in entries)
    target = sum(e.target_minutes for e in entries)
    asked = sum(e.preferences_asked for e in entries)
    granted = sum(e.preferences_granted for e in entries)
    cells = [
        cell("Total", "l"),
        cell(f"{len(entries)} agents", "l"),
        cell(number(paid / 60)),
        cell(number(target / 60)),
        cell(signed_hours(paid - target)),
        cell(str(sum(e.weekends for e in entries))),
        cell(str(sum(e.nights for e in entries))),
        cell(str(sum(e.late_finishes for e in entries))),
        cell(str(sum(e.early_starts for e in entries))),
        cell(f"{granted} / {asked}" if asked else "—"),
    ]
    return f'<tr class="total">{"".join(cells)}</tr>'


def fairness_table(fairness: Sequence[AgentFairness], agents: Mapping[str, Agent]) -> str:
    """Per agent: paid hours vs target, weekends, nights, late finishes, early starts, wishes.

    Parameters
    ----------
    fairness
        The solver's fairness figures per agent.
    agents
        Agent id to agent, for names.

    Returns
    -------
    str
        The table markup, with a totals row.
    """
    head = [
        cell(name, "l" if i < 2 else "", "th")
        for i, name in enumerate(
            (
                "Agent",
                "Name",
                "Paid h",
                "Target h",
                "vs target",
                "Weekends",
                "Nights",
                "Late finishes",
                "Early starts",
                "Wishes granted",
            )
        )
    ]
    ordered = sorted(fairness, key=lambda e: e.agent)
    rows = [_fairness_row(e, agents.get(e.agent)) for e in ordered]
    rows.append(_fairness_total(ordered))
    return table(head, rows)


def _cover_class(row: CoverCount) -> str:
    """Red when a hard limit breaks, amber off target, green on it (plain without a target)."""
    if row.shortfall or row.excess:
        return "bad"
    if row.below_target or row.above_target:
        return "near"
    return "good" if row.target is not None else ""


def shift_cover_table(rows: Sequence[CoverCount]) -> str:
    """Per shift cover row and day: shifts scheduled against min, target and max.

    Parameters
    ----------
    rows
        Counts from :func:`scheduler.roster.kpis.shift_cover_counts`.

    Returns
    -------
    str
        The table markup.
    """
    head = [
        cell(name, "l" if i < 2 else "", "th")
        for i, name in enumerate(
            ("Day", "Shifts of", "Scheduled", "Min", "Target", "Max", "Short of min")
        )
    ]
    body = []
    for row in sorted(rows, key=lambda r: (r.day, r.entry)):
        cells = [
            cell(day_label(row.date), "l"),
            cell(row.label, "l"),
            cell(str(row.scheduled), _cover_class(row)),
            cell(str(row.min)),
            cell("—" if row.target is None else str(row.target)),
            cell("—" if row.max is None else str(row.max)),
            cell(str(row.shortfall) if row.shortfall else "—", "bad" if row.shortfall else ""),
        ]
        body.append(f"<tr>{''.join(cells)}</tr>")
    return table(head, body)


def diff_table(diff: RosterDiff, start: dt.date, agents: Mapping[str, Agent]) -> str:
    """Agent-days that differ from the previous roster: before and after.

    Parameters
    ----------
    diff
        The changes the solver reports.
    start
        First date of the horizon (days are offsets from it).
    agents
        Agent id to agent, for names.

    Returns
    -------
    str
        The table markup (a sentence when nothing changed).
    """
    if not diff.changed_days:
        return '<p class="note">No agent-day differs from the previous roster.</p>'
    head = [cell(h, "l", "th") for h in ("Agent", "Name", "Day", "Before", "After")]
    rows = []
    for change in sorted(diff.changed_days, key=lambda c: (c.agent, c.day)):
        agent = agents.get(change.agent)
        cells = [
            cell(change.agent, "l", "th"),
            cell(agent.name if agent else "", "l"),
            cell(day_label(start + dt.timedelta(days=change.day)), "l"),
            cell(change.before or "off", "l"),
            cell(change.after or "off", "l"),
        ]
        rows.append(f"<tr>{''.join(cells)}</tr>")
    return table(head, rows)


def objective_table(terms: Mapping[str, float]) -> str:
    """The objective's value split by term (what the solver traded off)."""
    head = [cell("Term", "l", "th"), cell("Value", tag="th")]
    rows = [
        f"<tr>{cell(name, 'l')}{cell(number(value, 2))}</tr>"
        for name, value in sorted(terms.items(), key=lambda kv: -abs(kv[1]))
    ]
    return table(head, rows)
