"""Plain-text formatting shared by the report's tables and charts (escaping happens later)."""

from __future__ import annotations

import datetime as dt
import math

from scheduler.model import Agent, Queue


def day_label(date: dt.date) -> str:
    """``Mon 3 Mar``: short enough for a chart axis, unambiguous within a week."""
    return f"{date:%a} {date.day} {date:%b}"


def percent(share: float | None, digits: int = 1) -> str:
    """A share in [0, 1] as ``82.5 %``; a dash when unknown."""
    if share is None or (isinstance(share, float) and math.isnan(share)):
        return "—"
    return f"{100 * share:.{digits}f} %"


def number(value: float | None, digits: int = 1) -> str:
    """A number with thousands separators and ``digits`` decimals; a dash when unknown."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    return f"{value:,.{digits}f}"


def signed_hours(minutes: int) -> str:
    """Minutes as signed hours, ``+1.5 h`` / ``−2.0 h`` (a real minus sign reads better)."""
    value = minutes / 60
    if abs(value) < 0.05:
        return "0.0 h"
    sign = "+" if value > 0 else "−"
    return f"{sign}{abs(value):.1f} h"


def goal_text(queue: Queue) -> str:
    """A queue's service goal in planner words, e.g. ``80 % in 20 s`` or ``90 % in 240 min``."""
    goal = queue.goal
    parts = []
    if goal.service_level is not None and goal.answer_seconds is not None:
        parts.append(f"{100 * goal.service_level:.0f} % in {goal.answer_seconds:g} s")
    if goal.service_level is not None and goal.deadline_minutes is not None:
        parts.append(f"{100 * goal.service_level:.0f} % in {goal.deadline_minutes} min")
    elif goal.deadline_minutes is not None:
        parts.append(f"within {goal.deadline_minutes} min")
    if goal.asa_seconds is not None:
        parts.append(f"ASA ≤ {goal.asa_seconds:g} s")
    if goal.max_abandon is not None:
        parts.append(f"abandon ≤ {100 * goal.max_abandon:.0f} %")
    return ", ".join(parts)


def queue_label(queue: Queue) -> str:
    """The queue's display name, falling back to its id."""
    return queue.name or queue.id


def agent_label(agent_id: str, agent: Agent | None, width: int = 24) -> str:
    """``A001 Ana Silva`` cut to ``width`` characters so it fits a chart's label column."""
    label = f"{agent_id} {agent.name}".strip() if agent is not None and agent.name else agent_id
    return label if len(label) <= width else label[: width - 1] + "…"
