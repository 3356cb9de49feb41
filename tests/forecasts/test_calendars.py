"""Day kinds and open/closed masks: inferred hours, special days, no peeking past the origin."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from forecasts.calendars import (
    AFTER_HOLIDAY,
    HOLIDAY,
    HOLIDAY_EVE,
    MONTH_START,
    OPTIONAL_HOLIDAY,
    build_calendar,
    day_kinds,
    open_hours_matrix,
)
from forecasts.schema import SpecialDay
from tests.forecasts.synthetic_history import OPEN, make_history


def _total(history: pd.DataFrame) -> pd.Series:
    return history.groupby("ds")["offered"].sum()


def test_israeli_holidays_eves_days_after_and_month_start() -> None:
    kinds = day_kinds(dt.date(1999, 4, 19), dt.date(1999, 5, 2), country="IL")
    assert kinds[dt.date(1999, 4, 21)] == (HOLIDAY,)  # Independence Day
    # Remembrance Day: the eve of Independence Day and an optional holiday (many are off).
    assert kinds[dt.date(1999, 4, 20)] == (HOLIDAY_EVE, OPTIONAL_HOLIDAY)
    assert kinds[dt.date(1999, 4, 22)] == (AFTER_HOLIDAY,)
    assert kinds[dt.date(1999, 5, 1)] == (MONTH_START,)
    assert dt.date(1999, 4, 25) not in kinds


def test_month_start_and_after_holiday_land_on_full_working_days() -> None:
    """Passover 1999: holiday 1 April, intermediate days 2-6, holiday 7 April."""
    ds = pd.date_range("1999-02-01", "1999-04-11 23:30", freq="30min")
    minute = ds.hour * 60 + ds.minute
    weekday = ds.day_of_week
    # Sunday-Thursday 07:00-24:00, Friday 07:00-14:00, Saturday evening only.
    is_open = np.where(weekday == 5, minute >= 1200, (minute >= 420) & (weekday != 4))
    is_open |= (weekday == 4) & (minute >= 420) & (minute < 840)
    total = pd.Series(np.where(is_open, 30.0, 0.0), index=ds)
    cal = build_calendar(total, pd.Timestamp("1999-04-12"), 7, 30, country="IL")
    k = cal.kinds
    assert k[dt.date(1999, 4, 4)] == (OPTIONAL_HOLIDAY,)  # chol hamoed Sunday: not a surge day
    # The catch-up after the first day waits for the end of the festival: 8 April, which is
    # also the first working day of April (1 = holiday, 2 = Friday, 3-6 = intermediate days).
    assert k[dt.date(1999, 4, 8)] == (AFTER_HOLIDAY, MONTH_START)
    assert k[dt.date(1999, 4, 11)] == (MONTH_START,)  # the second (9 = Fri, 10 = Sat)
    assert MONTH_START not in k.get(dt.date(1999, 4, 2), ())
    assert k[dt.date(1999, 3, 1)] == (MONTH_START,)
    assert k[dt.date(1999, 3, 2)] == (OPTIONAL_HOLIDAY,)  # Purim
    assert MONTH_START in k[dt.date(1999, 3, 3)]


def test_open_hours_matrix_needs_half_an_interval() -> None:
    m = open_hours_matrix({0: [(435, 600)], 6: [(0, 1440)]}, 30)
    assert m[0].nonzero()[0].tolist() == [14, 15, 16, 17, 18, 19]  # 07:00 (15 of 30 min) .. 09:30
    assert m[6].all()
    assert not m[1:6].any()


def test_inferred_hours_match_the_data() -> None:
    h = make_history(weeks=4)
    origin = pd.Timestamp("2024-01-29")
    cal = build_calendar(_total(h), origin, 7, 30)
    future = pd.date_range(origin, periods=7 * 48, freq="30min")
    is_open = cal.is_open(future)
    minute = future.hour * 60 + future.minute
    expected = np.zeros(len(future), dtype=bool)
    for w, (a, b) in OPEN.items():
        expected |= (future.day_of_week == w) & (minute >= a) & (minute < b)
    # The quietest edge intervals may see no contact on some days; allow one interval per day.
    assert (is_open != expected).sum() <= 7
    assert not is_open[future.day_of_week == 6].any()


def test_scenario_hours_and_special_days_override_inference() -> None:
    h = make_history(weeks=3)
    origin = pd.Timestamp("2024-01-22")
    specials = [
        SpecialDay(dt.date(2024, 1, 23), "closure", ()),
        SpecialDay(dt.date(2024, 1, 24), "short", ((480, 720),)),
    ]
    cal = build_calendar(
        _total(h), origin, 7, 30, open_hours={0: [(0, 1440)]}, special_days=specials
    )
    day = pd.date_range("2024-01-22", periods=48, freq="30min")
    assert cal.is_open(day).all()  # Monday open all day, as the scenario says
    assert not cal.is_open(day + pd.Timedelta(days=1)).any()  # closure
    short = cal.is_open(day + pd.Timedelta(days=2))
    assert short.nonzero()[0].tolist() == list(range(16, 24))
    assert not cal.is_open(day + pd.Timedelta(days=3)).any()  # Thursday: not in open_hours
    assert cal.kinds[dt.date(2024, 1, 23)] == ("closure",)


def test_no_peeking_past_the_origin() -> None:
    h = make_history(weeks=5)
    origin = pd.Timestamp("2024-01-22")
    total = _total(h)
    changed = total.copy()
    changed[changed.index >= origin] = 0.0  # the future looks closed
    a = build_calendar(total, origin, 7, 30)
    b = build_calendar(changed, origin, 7, 30)
    future = pd.date_range(origin, periods=7 * 48, freq="30min")
    assert (a.is_open(future) == b.is_open(future)).all()


def test_after_holiday_moves_to_the_next_full_day() -> None:
    # 1999-05-21 (Shavuot) is a Friday; Saturday is a short day at this centre, so the
    # catch-up surge belongs to Sunday 23 May.
    ds = pd.date_range("1999-04-01", "1999-05-16 23:30", freq="30min")
    minute = ds.hour * 60 + ds.minute
    weekday = ds.day_of_week
    is_open = np.where(weekday == 5, minute >= 1200, (minute >= 420) & (weekday != 4))
    is_open |= (weekday == 4) & (minute >= 420) & (minute < 840)
    total = pd.Series(np.where(is_open, 30.0, 0.0), index=ds)
    cal = build_calendar(total, pd.Timestamp("1999-05-17"), 7, 30, country="IL")
    assert AFTER_HOLIDAY in cal.kinds[dt.date(1999, 5, 23)]
    assert AFTER_HOLIDAY not in cal.kinds.get(dt.date(1999, 5, 22), ())
