"""The roster report: one self-contained HTML file a planner reads after a solve.

Sections, in reading order: header (site, week, solver status), KPI cards, service level per
queue and day, coverage vs requirement per queue, the day-by-day Gantt, the roster grid, fairness
per agent, shift cover per day (when the scenario asks for any), changes against the previous
roster, and the solver's figures and messages. Charts are
inline SVG and the CSS is embedded, so the file opens offline and prints cleanly; every string
that comes from input (names, ids, messages) is escaped.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape
from typing import Any

import pandas as pd

from scheduler.model import Agent, Scenario
from scheduler.report import frames, tables
from scheduler.report.coverage import coverage_chart
from scheduler.report.gantt import gantt_chart, time_window
from scheduler.report.labels import day_label, goal_text, number, percent, queue_label
from scheduler.report.style import (
    BREAK_COLOUR,
    CLOSED_COLOUR,
    CSS,
    IDLE_COLOUR,
    REQUIRED_COLOUR,
    SHORTFALL_COLOUR,
)
from scheduler.report.style import queue_colours as make_queue_colours
from scheduler.roster.kpis import shift_cover_counts
from scheduler.roster.result import Result

# The CSS twin of the Gantt's SVG hatch, so the legend matches the bars.
BREAK_SWATCH = f"repeating-linear-gradient(135deg, {BREAK_COLOUR} 0 2px, #8a96a3 2px 3px)"

SECTIONS: tuple[tuple[str, str], ...] = (
    ("kpis", "Key figures"),
    ("service", "Service level"),
    ("coverage", "Coverage"),
    ("shifts", "Shifts by day"),
    ("grid", "Roster grid"),
    ("fairness", "Fairness"),
    ("cover", "Shift cover"),
    ("diff", "Changes"),
    ("solver", "Solver"),
)
"""Section anchors and titles, in document order."""


@dataclass(frozen=True)
class Headline:
    """The solve's headline figures, from the summary with the result as a fallback."""

    status: str
    objective: float | None
    bound: float | None
    gap: float | None
    seconds: float
    seed: int
    paid_hours: float
    agents_rostered: int
    agents_available: int
    shifts: int
    messages: tuple[str, ...]


def headline(scenario: Scenario, result: Result, summary: Mapping[str, Any]) -> Headline:
    """Collect the headline figures.

    Parameters
    ----------
    scenario
        The planning problem (agents available).
    result
        The solve's result (used where the summary lacks a figure).
    summary
        The pipeline's summary (``scheduler.pipeline.summarize``).

    Returns
    -------
    Headline
        Figures ready to format.
    """
    solver = summary.get("solver") or {}
    shifts = result.roster.shifts
    return Headline(
        status=str(solver.get("status", result.status.value)),
        objective=solver.get("objective", result.objective),
        bound=solver.get("bound", result.bound),
        gap=solver.get("gap", result.gap),
        seconds=float(solver.get("seconds", result.seconds)),
        seed=int(solver.get("seed", result.seed)),
        paid_hours=float(summary.get("paid_hours", sum(s.paid_minutes for s in shifts) / 60)),
        agents_rostered=int(summary.get("agents_rostered", len({s.agent for s in shifts}))),
        agents_available=int(summary.get("agents_available", len(scenario.agents))),
        shifts=int(summary.get("shifts", len(shifts))),
        messages=tuple(str(m) for m in summary.get("messages", result.messages)),
    )


def _gap_text(gap: float | None) -> str:
    """Relative optimality gap (a share) as a percentage; a dash when no bound is known."""
    return "—" if gap is None else percent(gap, 2)


def _week_text(scenario: Scenario) -> str:
    """Dates of the horizon, led by the ISO week number only when it starts on a Monday.

    A site whose week starts on Sunday (as in the bundled Israeli bank) would otherwise be
    labelled with the ISO week that ends on its first day.
    """
    dates = scenario.horizon.dates()
    first, last = dates[0], dates[-1]
    span = f"{day_label(first)} – {day_label(last)} {last.year} · {len(dates)} days"
    if first.weekday() != 0:
        return span
    iso_year, iso_week, _ = first.isocalendar()
    return f"Week {iso_week} of {iso_year} · {span}"


def _generated_text(scenario: Scenario, generated_at: dt.datetime | None) -> str:
    """Generation time in the site's time zone, so it reads like the roster's own clock."""
    moment = generated_at or dt.datetime.now(dt.UTC)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    local = moment.astimezone(zoneinfo.ZoneInfo(scenario.site.timezone))
    return f"{local:%Y-%m-%d %H:%M} {local.tzname() or scenario.site.timezone}"


def header_html(scenario: Scenario, head: Headline, generated_at: dt.datetime | None) -> str:
    """Title block: site, week, grid, solver status and gap, generation time."""
    sub = (
        f"{_week_text(scenario)} · {scenario.site.interval_minutes}-minute intervals · "
        f"{len(scenario.queues)} queues · {len(scenario.agents)} agents"
    )
    status = escape(head.status)
    return (
        '<header class="report"><div>'
        f"<h1>Roster report — {escape(scenario.site.name)}</h1>"
        f'<div class="sub">{escape(sub)}</div></div>'
        f'<div class="meta"><div>Solver <span class="badge {status}">{status}</span>'
        f" gap {escape(_gap_text(head.gap))} · {head.seconds:.1f} s</div>"
        f"<div>Generated {escape(_generated_text(scenario, generated_at))}</div></div>"
        "</header>"
    )


def _nav(present: Sequence[str]) -> str:
    links = " · ".join(
        f'<a href="#{anchor}">{escape(title)}</a>'
        for anchor, title in SECTIONS
        if anchor in present
    )
    return f'<nav class="toc">{links}</nav>'


def card(label: str, value: str, detail: str = "", cls: str = "", unit: str = "") -> str:
    """One KPI card (all text escaped); ``unit`` is set small after the value."""
    classes = f"card {cls}".strip()
    detail_html = f'<div class="detail">{escape(detail)}</div>' if detail else ""
    unit_html = f' <span class="unit">{escape(unit)}</span>' if unit else ""
    return (
        f'<div class="{escape(classes)}"><div class="label">{escape(label)}</div>'
        f'<div class="value">{escape(value)}{unit_html}</div>{detail_html}</div>'
    )


def kpi_cards(
    scenario: Scenario,
    head: Headline,
    gaps: frames.StaffingGaps,
    weekly: Mapping[str, float],
    offered: Mapping[str, float],
) -> str:
    """The cards a planner reads first: solver, hours, agents, staffing gaps, service per queue.

    Parameters
    ----------
    scenario
        Gives the queues and their goals.
    head
        Headline figures of the solve.
    gaps
        Under- and overstaffing totals.
    weekly
        Service level per queue over the horizon.
    offered
        Contacts offered per queue over the horizon.

    Returns
    -------
    str
        A grid of cards.
    """
    short_cls = "good" if gaps.short_intervals == 0 else ""
    cards = [
        card("Solver", head.status, f"gap {_gap_text(head.gap)} · {head.seconds:.1f} s"),
        card("Paid hours", number(head.paid_hours), f"{head.shifts} shifts", unit="h"),
        card(
            "Agents rostered",
            f"{head.agents_rostered} / {head.agents_available}",
            "rostered of available",
        ),
        card(
            "Understaffing",
            number(gaps.short_agent_hours),
            f"{gaps.short_intervals} of {gaps.intervals} queue-intervals short by ≥ 1 agent",
            short_cls,
            unit="agent-h",
        ),
        card("Overstaffing", number(gaps.over_agent_hours), "above requirement", unit="agent-h"),
    ]
    for queue in scenario.queues:
        value = weekly.get(queue.id)
        cls = tables.service_class(value, queue.goal.service_level)
        detail = f"goal {goal_text(queue)} · {number(offered.get(queue.id, 0.0), 0)} offered"
        cards.append(card(f"{queue_label(queue)} week", percent(value), detail, cls))
    return f'<div class="cards">{"".join(cards)}</div>'


def _section(anchor: str, body: str, note: str = "") -> str:
    title = dict(SECTIONS)[anchor]
    note_html = f'<p class="note">{escape(note)}</p>' if note else ""
    return f'<section id="{anchor}"><h2>{escape(title)}</h2>{note_html}{body}</section>'


def _swatch(colour: str, label: str, line: bool = False) -> str:
    """A legend entry: a colour chip (or a line sample) and its label."""
    kind = "sw line" if line else "sw"
    style = f"border-top-color:{colour}" if line else f"background:{colour}"
    return f'<span><span class="{kind}" style="{escape(style)}"></span>{escape(label)}</span>'


def coverage_html(scenario: Scenario, evaluation: pd.DataFrame, colours: Mapping[str, str]) -> str:
    """A coverage chart per queue with its legend and goal.

    Parameters
    ----------
    scenario
        Gives queues, horizon and interval length.
    evaluation
        Per queue x interval ``scheduled`` and ``required``.
    colours
        Queue id to colour.

    Returns
    -------
    str
        Figures, one per queue.
    """
    figures = []
    closed = frames.closed_spans(scenario)
    for queue in scenario.queues:
        series = frames.coverage_series(evaluation, scenario, queue.id)
        legend = "".join(
            (
                _swatch(colours[queue.id], "scheduled on queue"),
                _swatch(REQUIRED_COLOUR, "required", line=True),
                _swatch(SHORTFALL_COLOUR, "short of requirement"),
                _swatch(CLOSED_COLOUR, "site closed"),
            )
        )
        label = f"{queue_label(queue)}: agents required and scheduled per interval"
        figures.append(
            f"<figure><h3>{escape(queue_label(queue))} "
            f'<small class="note">{escape(queue.channel.value)} · {escape(goal_text(queue))}'
            f'</small></h3><div class="legend">{legend}</div>'
            f"{coverage_chart(series, scenario.horizon.start, colours[queue.id], label, closed)}"
            "</figure>"
        )
    return "".join(figures)


def gantt_html(scenario: Scenario, result: Result, colours: Mapping[str, str]) -> str:
    """One collapsible Gantt per day, with the legend and who is off.

    Parameters
    ----------
    scenario
        Gives the agents, horizon and interval length.
    result
        The roster drawn.
    colours
        Queue id to colour.

    Returns
    -------
    str
        The legend and a ``<details>`` block per day.
    """
    roster = result.roster
    agents = {a.id: a for a in scenario.agents}
    window = time_window(roster.shifts)
    legend = "".join(
        [_swatch(colours[q.id], queue_label(q)) for q in scenario.queues]
        + [_swatch(IDLE_COLOUR, "on duty, no queue"), _swatch(BREAK_SWATCH, "break")]
    )
    blocks = [f'<div class="legend">{legend}</div>']
    for day in range(roster.days):
        date = roster.horizon_start + dt.timedelta(days=day)
        shifts = [s for s in roster.shifts if s.day == day]
        chart = gantt_chart(shifts, date, window, agents, colours, scenario.site.interval_minutes)
        blocks.append(
            f"<details open><summary>{escape(day_label(date))} · {len(shifts)} shifts · "
            f"{sum(s.paid_minutes for s in shifts) / 60:.1f} paid hours</summary>"
            f"<figure>{chart}</figure>{_off_note(agents, shifts, date)}</details>"
        )
    return "".join(blocks)


def _off_note(agents: Mapping[str, Agent], shifts: Sequence[Any], date: dt.date) -> str:
    """Who is not working on ``date``, time off marked (so absences are visible, not implied)."""
    working = {s.agent for s in shifts}
    off = [
        f"{agent_id}{' (time off)' if date in agent.time_off else ''}"
        for agent_id, agent in agents.items()
        if agent_id not in working
    ]
    if not off:
        return ""
    return f'<p class="note">Not working: {escape(", ".join(off))}</p>'


def solver_html(head: Headline, result: Result) -> str:
    """Status, objective, bound, gap, time, seed, objective terms and the solver's messages."""
    facts = [
        ("Status", head.status),
        ("Objective", number(head.objective, 2)),
        ("Bound", number(head.bound, 2)),
        ("Gap", _gap_text(head.gap)),
        ("Time", f"{head.seconds:.1f} s"),
        ("Seed", str(head.seed)),
    ]
    rows = [f"<tr>{tables.cell(k, 'l', 'th')}{tables.cell(v)}</tr>" for k, v in facts]
    parts = [tables.table([], rows)]
    if result.objective_terms:
        parts.append("<h3>Objective by term</h3>" + tables.objective_table(result.objective_terms))
    if head.messages:
        items = "".join(f"<li>{escape(m)}</li>" for m in head.messages)
        parts.append(f'<h3>Messages</h3><ul class="messages">{items}</ul>')
    else:
        parts.append('<p class="note">The solver reported no messages.</p>')
    return "".join(parts)


def render_report(
    scenario: Scenario,
    requirements: pd.DataFrame,
    result: Result,
    evaluation: pd.DataFrame,
    summary: dict[str, Any],
    *,
    generated_at: dt.datetime | None = None,
) -> str:
    """Render the complete roster report as one self-contained HTML document.

    Parameters
    ----------
    scenario
        The planning problem (site, horizon, queues, agents).
    requirements
        Staffing requirements per queue x interval (the stage's output); the coverage charts
        use the evaluation's ``required`` column, which is derived from it.
    result
        The solve's result: roster, status, fairness, diff, messages.
    evaluation
        Predicted service per queue x interval (``queue, ds, offered, scheduled, required,
        service_level, asa_s, p_abandon, occupancy``).
    summary
        The pipeline's summary (``scheduler.pipeline.summarize``).
    generated_at
        Time stamp shown in the header (now, when not given; pass one for reproducible output).

    Returns
    -------
    str
        The HTML document.
    """
    del requirements  # the evaluation already carries the requirement per interval
    head = headline(scenario, result, summary)
    colours = make_queue_colours([q.id for q in scenario.queues])
    weekly = frames.service_by_week(evaluation, summary)
    gaps = frames.staffing_gaps(evaluation, scenario.site.interval_minutes)
    body = {
        "kpis": _section(
            "kpis",
            kpi_cards(scenario, head, gaps, weekly, frames.offered_by_queue(evaluation)),
        ),
        "service": _section(
            "service",
            tables.service_table(
                scenario, frames.service_by_day(evaluation, summary, scenario), weekly
            ),
            "Share of contacts answered within the goal's time (deferred queues: work done "
            "within the deadline), weighted by contacts offered. Green meets the goal, amber is "
            "within 5 points, red is further below.",
        ),
        "coverage": _section(
            "coverage",
            coverage_html(scenario, evaluation, colours),
            "Agents working each queue per interval against the agents required to meet its "
            "goal. Hover a day for its peaks and shortfall.",
        ),
        "shifts": _section(
            "shifts",
            gantt_html(scenario, result, colours),
            "One row per working agent, ordered by start. Hover a bar for breaks and activities.",
        ),
        "grid": _section("grid", tables.roster_grid(scenario, result.roster)),
    }
    agents = {a.id: a for a in scenario.agents}
    if result.fairness:
        body["fairness"] = _section(
            "fairness",
            tables.fairness_table(result.fairness, agents),
            "Paid hours against each contract's target, and how the unsocial shifts and "
            "wishes were shared this horizon.",
        )
    if scenario.shift_cover:
        body["cover"] = _section(
            "cover",
            tables.shift_cover_table(shift_cover_counts(scenario, result.roster)),
            "Shifts of each kind (or template) the scenario asks for, counted on the day they "
            "start, against the rows' minimum, target and maximum.",
        )
    if result.diff is not None:
        body["diff"] = _section(
            "diff",
            tables.diff_table(result.diff, result.roster.horizon_start, agents),
            f"{len(result.diff.changed_days)} agent-days changed, "
            f"{result.diff.moved_minutes} minutes moved against the previous roster.",
        )
    body["solver"] = _section("solver", solver_html(head, result))
    title = f"Roster report — {scenario.site.name} — {scenario.horizon.start.isoformat()}"
    return _document(
        title,
        header_html(scenario, head, generated_at) + _nav(list(body)) + "".join(body.values()),
        scenario.site.timezone,
    )


def _document(title: str, main: str, timezone: str) -> str:
    footer = (
        f"<footer>Times are local to the site ({escape(timezone)}); a shift ending after 24:00 "
        "finishes the next morning. Service levels and requirements are predictions from the "
        "forecast, not measurements.</footer>"
    )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{CSS}</style></head>"
        f"<body><main>{main}{footer}</main></body></html>\n"
    )
