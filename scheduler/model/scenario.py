"""The whole planning problem as read from a scenario file."""

from __future__ import annotations

from pydantic import Field, model_validator

from scheduler.model.agent import Agent, Contract
from scheduler.model.base import Frozen
from scheduler.model.cover import ShiftCover
from scheduler.model.queue import Queue
from scheduler.model.rules import Horizon, Rules
from scheduler.model.shift import ShiftTemplate
from scheduler.model.site import Site


class FairnessLedgerEntry(Frozen):
    """What an agent accumulated in earlier weeks, so fairness holds across weeks."""

    agent: str
    weekends_worked: int = Field(default=0, ge=0)
    nights_worked: int = Field(default=0, ge=0)
    late_finishes: int = Field(default=0, ge=0)
    early_starts: int = Field(default=0, ge=0)
    minutes_vs_target: int = 0


class Scenario(Frozen):
    """Site, queues, agents, contracts, shift templates, rules, history carried in, shift cover.

    A scenario without queues is a pure shift-cover roster (hospital or retail style, or the
    Curtois & Qu benchmark): demand is stated only by ``shift_cover``, the requirements frame is
    empty and agents need no skills. With queues, every agent needs at least one skill.
    """

    site: Site
    horizon: Horizon
    queues: list[Queue] = Field(
        default_factory=list, description="none for a roster driven by shift cover alone"
    )
    contracts: list[Contract] = Field(min_length=1)
    shift_templates: list[ShiftTemplate] = Field(min_length=1)
    agents: list[Agent] = Field(min_length=1)
    rules: Rules = Field(default_factory=Rules)
    fairness_ledger: list[FairnessLedgerEntry] = Field(default_factory=list)
    shift_cover: list[ShiftCover] = Field(
        default_factory=list, description="shifts of a kind or template each day needs"
    )

    @model_validator(mode="after")
    def _skills_with_queues(self) -> Scenario:
        if self.queues:
            for index, agent in enumerate(self.agents):
                if not agent.skills:
                    raise ValueError(
                        f"agents[{index}](id={agent.id}).skills: empty, but the scenario has "
                        "queues; give the agent at least one queue it can work"
                    )
        return self

    def queue(self, queue_id: str) -> Queue:
        """The queue with ``queue_id`` (``KeyError`` if unknown)."""
        return {q.id: q for q in self.queues}[queue_id]

    def contract(self, contract_id: str) -> Contract:
        """The contract with ``contract_id`` (``KeyError`` if unknown)."""
        return {c.id: c for c in self.contracts}[contract_id]

    def template(self, template_id: str) -> ShiftTemplate:
        """The shift template with ``template_id`` (``KeyError`` if unknown)."""
        return {t.id: t for t in self.shift_templates}[template_id]
