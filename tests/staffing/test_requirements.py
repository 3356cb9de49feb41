"""Requirements table: contract columns, consistency with sizing, curves, deferred work."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from scheduler.errors import InputError
from scheduler.model.queue import Queue
from scheduler.staffing.erlang import queue_metrics
from scheduler.staffing.requirements import (
    REQUIREMENT_COLUMNS,
    build_requirements,
    parse_sl_curve,
)


def _queue(**kw: object) -> Queue:
    return Queue.model_validate(kw)


@pytest.fixture
def voice() -> Queue:
    """The published example queue: 80% in 20 s with 30% shrinkage."""
    return _queue(
        id="voice",
        channel="voice",
        goal={"service_level": 0.8, "answer_seconds": 20},
        shrinkage=0.3,
    )


@pytest.fixture
def email() -> Queue:
    """Email answered within two hours, no shrinkage."""
    return _queue(id="email", channel="email", goal={"service_level": 0.9, "deadline_minutes": 120})


def _forecast(queue: str, offered: list[float], aht: float = 180.0) -> pd.DataFrame:
    ds = pd.date_range("2024-01-01 08:00", periods=len(offered), freq="30min")
    return pd.DataFrame({"queue": queue, "ds": ds, "offered": offered, "aht_s": aht})


def test_columns_and_published_example(voice: Queue) -> None:
    """100 calls / 30 min at 180 s: 14 productive, 20 scheduled, service level binds."""
    req = build_requirements(_forecast("voice", [100.0, 0.0]), [voice], 30)
    assert tuple(req.columns) == REQUIREMENT_COLUMNS
    first, closed = req.iloc[0], req.iloc[1]
    assert first["required_int"] == 14 and first["scheduled_needed"] == 20
    assert first["binding"] == "service_level" and first["channel"] == "voice"
    assert 13 < first["required_agents"] <= 14
    assert first["work_minutes"] == pytest.approx(300.0)
    assert pd.isna(first["deadline_minutes"])
    assert closed["binding"] == "closed" and closed["scheduled_needed"] == 0


def test_sl_curve_matches_erlang_at_productive_agents(voice: Queue) -> None:
    """SL(m) is Erlang C at m * 0.7 productive agents, interpolated between integers."""
    req = build_requirements(_forecast("voice", [100.0]), [voice], 30)
    row = req.iloc[0]
    curve = parse_sl_curve(row)
    assert row["curve_start"] == 0 and curve.size == 2 * 20 + 3
    lam = 100 / 1800
    for m in (0, 7, 20, 21, 33):
        p = m * 0.7
        lo, hi = np.floor(p), np.floor(p) + 1
        sl = queue_metrics([lo, hi], lam, 180.0, 20.0).service_level
        expect = sl[0] + (p - lo) * (sl[1] - sl[0])
        assert curve[m] == pytest.approx(expect, abs=1e-6)
    assert np.all(np.diff(curve) >= -1e-9)
    assert row["service_level"] == pytest.approx(curve[20], abs=1e-6)
    assert row["service_level"] >= 0.8


def test_curve_is_capped_and_centred_for_large_needs() -> None:
    """A 600-agent need keeps 256 points around the need instead of 1,203 from zero."""
    big = _queue(id="big", channel="voice", goal={"service_level": 0.8, "answer_seconds": 20})
    req = build_requirements(_forecast("big", [6000.0]), [big], 30)
    row = req.iloc[0]
    curve = parse_sl_curve(row)
    assert curve.size == 256
    assert row["curve_start"] <= row["scheduled_needed"] < row["curve_start"] + 256


def test_chat_work_uses_effective_concurrency() -> None:
    """Chat work minutes are divided by r(k) = 1 + 0.5 * 2 = 2."""
    chat = _queue(
        id="chat",
        channel="chat",
        goal={"service_level": 0.8, "answer_seconds": 60},
        max_concurrency=3,
        concurrency_efficiency=0.5,
    )
    req = build_requirements(_forecast("chat", [60.0], aht=600.0), [chat], 30)
    assert req.iloc[0]["work_minutes"] == pytest.approx(60 * 600 / 60 / 2)
    assert req.iloc[0]["required_int"] > 0 and parse_sl_curve(req.iloc[0]).size > 0


def test_deferred_rows(email: Queue) -> None:
    """Email: work spread over its 2-hour deadline, no curve, met on time, deadline column set."""
    req = build_requirements(_forecast("email", [30.0, 0, 0, 0, 0, 0], aht=240.0), [email], 30)
    assert set(req["binding"]) == {"deadline", "closed"}
    assert req["sl_curve"].eq("").all()
    assert req["deadline_minutes"].tolist() == [120] * 6
    # 120 agent-minutes over 4 intervals of 30 min = 1 agent each.
    np.testing.assert_allclose(req["required_agents"], [1, 1, 1, 1, 0, 0])
    assert (req["service_level"] >= 1 - 1e-9).all()
    assert parse_sl_curve(req.iloc[0]).size == 0


def test_round_trip_through_csv(tmp_path: object, voice: Queue, email: Queue) -> None:
    """Written to CSV and read back, curves still parse (empty ones come back as NaN)."""
    fc = pd.concat([_forecast("voice", [50.0, 80.0]), _forecast("email", [10.0, 5.0])])
    req = build_requirements(fc, [voice, email], 30)
    path = f"{tmp_path}/req.csv"
    req.to_csv(path, index=False)
    back = pd.read_csv(path)
    for i in range(len(req)):
        np.testing.assert_allclose(parse_sl_curve(back.iloc[i]), parse_sl_curve(req.iloc[i]))


def test_bad_forecast_names_field_and_value(voice: Queue) -> None:
    """Every problem is reported with its field and value, in one error."""
    fc = _forecast("voice", [10.0, -3.0, 5.0])
    fc.loc[2, "aht_s"] = 0.0
    fc.loc[0, "queue"] = "nosuch"
    with pytest.raises(InputError) as err:
        build_requirements(fc, [voice], 30)
    text = str(err.value)
    assert "forecast.offered[row 1]" in text and "-3.0" in text
    assert "forecast.aht_s[row 2]" in text
    assert "nosuch" in text
    with pytest.raises(InputError, match="column missing"):
        build_requirements(fc.drop(columns="aht_s"), [voice], 30)


def test_many_bad_rows_are_summarised(voice: Queue) -> None:
    """A stray queue is one problem, not one per row; long lists are capped and counted."""
    stray = _forecast("stray", [1.0] * 300)
    with pytest.raises(InputError) as err:
        build_requirements(pd.concat([_forecast("voice", [1.0]), stray]), [voice], 30)
    assert len(err.value.problems) == 1 and "300 rows" in str(err.value)
    negative = _forecast("voice", [-1.0] * 80)
    with pytest.raises(InputError) as err:
        build_requirements(negative, [voice], 30)
    assert len(err.value.problems) == 51 and "30 more" in str(err.value)


def test_thin_deferred_queue_is_rounded_once_over_the_running_sum() -> None:
    """0.3 agents per interval with 30 % shrinkage asks for ~0.43 an interval, not 2 each."""
    thin = _queue(
        id="backoffice",
        channel="back_office",
        goal={"service_level": 0.9, "deadline_minutes": 120},
        shrinkage=0.3,
    )
    # 9 agent-minutes of work arriving each half hour (0.3 agents) for 16 intervals, then none.
    offered = [1.0] * 16 + [0.0] * 8
    req = build_requirements(_forecast("backoffice", offered, aht=540.0), [thin], 30)
    fractional = req["required_agents"].to_numpy() / 0.7
    scheduled = req["scheduled_needed"].to_numpy()
    assert scheduled.max() == 1, "one interval never needs 2 agents here"
    # The day's agent-intervals stay near the work after shrinkage (6.9): whole agents waste
    # some capacity while work trickles in (before: 2 agents in each of 19 intervals, 38).
    assert np.ceil(fractional.sum()) <= scheduled.sum() <= 1.5 * fractional.sum()
    # Never behind the work processed by the fractional profile by more than rounding.
    ahead = np.cumsum(scheduled) - np.cumsum(fractional)
    assert (ahead > -1.0).all()
    # And the backlog model says that schedule clears all the work within the deadline.
    assert req["service_level"].min() >= 1 - 1e-6
    assert (req["required_int"].to_numpy() <= scheduled).all()


def test_capacity_before_the_work_arrives_is_not_counted() -> None:
    """A tail of work after a busy spell still gets an agent of its own."""
    bo = _queue(id="bo", channel="back_office", goal={"deadline_minutes": 60})
    req = build_requirements(_forecast("bo", [90.0, 0, 0, 3.0, 0, 0, 0, 0], aht=600.0), [bo], 30)
    scheduled = req["scheduled_needed"].to_numpy()
    assert scheduled[3:5].sum() >= 1, "the late work needs capacity after it arrives"
    assert req["service_level"].min() >= 1 - 1e-6
