"""ForecastService and StaffingService over real stubs."""

from __future__ import annotations

import datetime as dt

import grpc
import pytest

from scheduler.service.testing import PIPELINE_PROBLEM, Client, auth, roster_input, tiny_forecast
from scheduler.v1 import demand_pb2, forecast_service_pb2, staffing_service_pb2

pytestmark = pytest.mark.skipif(PIPELINE_PROBLEM is not None, reason=str(PIPELINE_PROBLEM))


def history(weeks: int = 3) -> list[demand_pb2.HistoryRow]:
    """Half-hourly voice history 08:00-16:00, every day, busier on Mondays."""
    rows = []
    start = dt.datetime(2025, 2, 10)
    for day in range(7 * weeks):
        for slot in range(16):
            ds = start + dt.timedelta(days=day, minutes=8 * 60 + 30 * slot)
            offered = 20.0 + (10.0 if ds.weekday() == 0 else 0.0) + slot % 4
            rows.append(
                demand_pb2.HistoryRow(queue="voice", ds=ds.isoformat(), offered=offered, aht_s=280)
            )
    return rows


def test_forecast_demand(client: Client) -> None:
    """A seasonal-naive forecast of 2 days after the history, with backtest metrics."""
    reply = client.forecasts.ForecastDemand(
        forecast_service_pb2.ForecastDemandRequest(
            history=history(), horizon_days=2, method="seasonal_naive", backtest_origins=1
        ),
        metadata=auth("planner-a"),
        timeout=60,
    )
    assert reply.forecast and {r.queue for r in reply.forecast} == {"voice"}
    days = {r.ds[:10] for r in reply.forecast}
    assert days == {"2025-03-03", "2025-03-04"}
    monday = [r.offered for r in reply.forecast if r.ds.startswith("2025-03-03T09")]
    assert monday and monday[0] > 25


def test_forecast_bad_history_names_rows(client: Client) -> None:
    """Negative volumes are INVALID_ARGUMENT, never INTERNAL."""
    rows = history(1)
    rows[3].offered = -5
    with pytest.raises(grpc.RpcError) as info:
        client.forecasts.ForecastDemand(
            forecast_service_pb2.ForecastDemandRequest(history=rows, horizon_days=1),
            metadata=auth("planner-a"),
            timeout=60,
        )
    assert info.value.code() == grpc.StatusCode.INVALID_ARGUMENT


def test_evaluate_staffing_with_scheduled_counts(client: Client) -> None:
    """Requirements plus scheduled counts give interval service and KPIs."""
    scenario = roster_input().scenario
    reqs = client.staffing.ComputeRequirements(
        staffing_service_pb2.ComputeRequirementsRequest(
            scenario=scenario, forecast=tiny_forecast()
        ),
        metadata=auth("viewer-a"),
        timeout=30,
    ).requirements
    scheduled = [demand_pb2.ScheduledStaff(queue=r.queue, ds=r.ds, agents=3) for r in reqs]
    reply = client.staffing.EvaluateStaffing(
        staffing_service_pb2.EvaluateStaffingRequest(
            scenario=scenario, requirements=reqs, scheduled=scheduled
        ),
        metadata=auth("viewer-a"),
        timeout=30,
    )
    assert len(reply.intervals) == len(reqs)
    assert reply.kpis
