"""Domain types of the optimizer: validated, immutable, free of solver and transport details."""

from scheduler.model.agent import Agent, Contract, Preferences
from scheduler.model.base import WEEKDAYS, format_clock
from scheduler.model.cover import ShiftCover
from scheduler.model.queue import Channel, Queue, ServiceGoal
from scheduler.model.rules import Horizon, ObjectiveWeights, Rules
from scheduler.model.scenario import FairnessLedgerEntry, Scenario
from scheduler.model.shift import BreakRule, ShiftTemplate
from scheduler.model.site import Site, SpecialDay, TimeWindow

__all__ = [
    "WEEKDAYS",
    "Agent",
    "BreakRule",
    "Channel",
    "Contract",
    "FairnessLedgerEntry",
    "Horizon",
    "ObjectiveWeights",
    "Preferences",
    "Queue",
    "Rules",
    "Scenario",
    "ServiceGoal",
    "ShiftCover",
    "ShiftTemplate",
    "Site",
    "SpecialDay",
    "TimeWindow",
    "format_clock",
]
