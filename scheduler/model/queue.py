"""Queues (channel x skill) and the service goal each one is staffed to."""

from __future__ import annotations

from enum import StrEnum
from itertools import pairwise

from pydantic import Field, model_validator

from scheduler.model.base import Frozen


class Channel(StrEnum):
    """How contacts of a queue are served, which decides the staffing model."""

    VOICE = "voice"
    CHAT = "chat"
    EMAIL = "email"
    BACK_OFFICE = "back_office"

    @property
    def is_deferred(self) -> bool:
        """Deferred work waits in a backlog and is staffed by deadline, not by Erlang."""
        return self in (Channel.EMAIL, Channel.BACK_OFFICE)


class ServiceGoal(Frozen):
    """What a queue promises.

    Immediate queues (voice, chat): ``service_level`` answered within ``answer_seconds``, and/or
    ``asa_seconds`` (mean speed of answer), and/or ``max_abandon`` (share abandoned).
    Deferred queues (email, back office): ``service_level`` of the work done within
    ``deadline_minutes`` of arrival.
    """

    service_level: float | None = Field(default=None, gt=0, lt=1)
    answer_seconds: float | None = Field(default=None, ge=0)
    asa_seconds: float | None = Field(default=None, gt=0)
    max_abandon: float | None = Field(default=None, gt=0, lt=1)
    deadline_minutes: int | None = Field(default=None, gt=0)

    @model_validator(mode="after")
    def _something_to_meet(self) -> ServiceGoal:
        if self.service_level is not None and (
            self.answer_seconds is None and self.deadline_minutes is None
        ):
            raise ValueError("service_level needs answer_seconds (immediate) or deadline_minutes")
        if all(
            v is None
            for v in (self.service_level, self.asa_seconds, self.max_abandon, self.deadline_minutes)
        ):
            raise ValueError("a goal needs service_level, asa_seconds, max_abandon or deadline")
        return self


class Queue(Frozen):
    """A stream of contacts of one channel needing one skill; agents' skills name queues."""

    id: str = Field(min_length=1, pattern=r"^[A-Za-z0-9_.-]+$")
    name: str = ""
    channel: Channel
    goal: ServiceGoal
    patience_seconds: float | None = Field(
        default=None, gt=0, description="mean customer patience; enables Erlang A"
    )
    max_occupancy: float = Field(default=1.0, gt=0, le=1)
    shrinkage: float = Field(
        default=0.0, ge=0, lt=1, description="share of paid time not on queue beyond planned breaks"
    )
    max_concurrency: int = Field(default=1, ge=1, le=20, description="chats one agent can hold")
    concurrency_efficiency: float = Field(
        default=0.7,
        gt=0,
        le=1,
        description="chat: each extra concurrent chat adds this share of one chat's throughput",
    )
    throughput_curve: list[float] | None = Field(
        default=None,
        description=(
            "chat: r(1..k), chats' worth of work an agent completes per unit time while holding "
            "i chats; overrides concurrency_efficiency"
        ),
    )

    @model_validator(mode="after")
    def _goal_fits_channel(self) -> Queue:
        if self.channel.is_deferred and self.goal.deadline_minutes is None:
            raise ValueError(f"{self.channel.value} queue needs goal.deadline_minutes")
        if not self.channel.is_deferred and self.goal.deadline_minutes is not None:
            raise ValueError(f"{self.channel.value} queue takes answer_seconds, not a deadline")
        if self.channel is not Channel.CHAT and self.max_concurrency != 1:
            raise ValueError("max_concurrency applies to chat queues only")
        if self.throughput_curve is not None:
            self._check_curve(self.throughput_curve)
        return self

    def _check_curve(self, curve: list[float]) -> None:
        if self.channel is not Channel.CHAT:
            raise ValueError("throughput_curve applies to chat queues only")
        if len(curve) != self.max_concurrency:
            raise ValueError(
                f"throughput_curve has {len(curve)} values; max_concurrency is "
                f"{self.max_concurrency}"
            )
        if curve[0] <= 0 or any(b < a for a, b in pairwise(curve)):
            raise ValueError(f"throughput_curve must be positive and non-decreasing: {curve}")
