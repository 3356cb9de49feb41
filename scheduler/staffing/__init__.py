"""Staffing: how many agents each queue needs per interval, and what a schedule delivers.

``erlang`` holds the queueing formulas (Erlang B, C, A), ``sizing`` finds the smallest staff per
interval for a goal, ``channels`` adapts them to voice, chat (concurrency) and deferred work,
``requirements`` turns a forecast into the requirements table the roster reads, and ``evaluate``
predicts the service a given schedule delivers.
"""

from scheduler.staffing.erlang import (
    QueueMetrics,
    asa_c,
    erlang_a_metrics,
    erlang_b,
    erlang_c,
    erlang_c_metrics,
    queue_metrics,
    service_level_c,
)
from scheduler.staffing.sizing import Goal, Sizing, scheduled_from_productive, size_agents

__all__ = [
    "Goal",
    "QueueMetrics",
    "Sizing",
    "asa_c",
    "erlang_a_metrics",
    "erlang_b",
    "erlang_c",
    "erlang_c_metrics",
    "queue_metrics",
    "scheduled_from_productive",
    "service_level_c",
    "size_agents",
]
