"""A roster not found in the time given is DEADLINE_EXCEEDED, not a rule clash.

The solve raises :class:`scheduler.errors.RosterNotFoundError` when it ran out of time without
proving the rules impossible; it crosses the worker process as data and reaches the client with
the agent weeks or cover rows not met, typed ``NOT_FOUND_IN_TIME``.
"""

from __future__ import annotations

import grpc
import pytest
from google.rpc import error_details_pb2, status_pb2

from scheduler.errors import InfeasibleError, RosterNotFoundError
from scheduler.service import tasks
from scheduler.service.interceptors import rich_status

REASON = (
    "shift cover: no roster meeting every cover row was found in the time given (not proven "
    "impossible): shift_cover[1] (kind day) on Tue 2024-01-02 has 2 (min 3)"
)


def _violations(status: grpc.Status) -> list[error_details_pb2.PreconditionFailure.Violation]:
    trailer = dict(status.trailing_metadata)["grpc-status-details-bin"]
    detail = status_pb2.Status.FromString(trailer).details[0]
    failure = error_details_pb2.PreconditionFailure()
    assert detail.Unpack(failure)
    return list(failure.violations)


def test_not_found_maps_to_deadline_exceeded_with_the_reasons() -> None:
    status = rich_status(RosterNotFoundError([REASON]))
    assert status.code is grpc.StatusCode.DEADLINE_EXCEEDED
    assert "not proven impossible" in status.details and "allow more time" in status.details
    (violation,) = _violations(status)
    assert violation.type == "NOT_FOUND_IN_TIME" and violation.description == REASON


def test_a_proven_clash_stays_failed_precondition() -> None:
    status = rich_status(InfeasibleError(["agent A1: contract 'full' rules clash"]))
    assert status.code is grpc.StatusCode.FAILED_PRECONDITION
    assert _violations(status)[0].type == "RULE_CLASH"


def test_not_found_crosses_the_worker_boundary_as_itself() -> None:
    def body() -> tasks.Outcome:
        raise RosterNotFoundError([REASON])

    outcome = tasks._guarded(body)
    assert outcome["error"]["kind"] == "not_found"
    with pytest.raises(RosterNotFoundError) as caught:
        tasks.raise_error(outcome)
    assert caught.value.reasons == [REASON]
