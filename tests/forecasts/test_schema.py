"""History contract: reading, validation (all problems at once), interval inference."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from forecasts.schema import (
    HistoryError,
    Problem,
    SpecialDay,
    as_special_days,
    errors_only,
    infer_interval_minutes,
    read_history,
    validate_history,
)
from tests.forecasts.synthetic_history import make_history


def test_problem_str_names_field_message_and_value() -> None:
    p = Problem("history[3].offered", -2.0, "must not be negative")
    assert str(p) == "history[3].offered: must not be negative (got -2.0)"


def test_clean_history_has_no_problems(history: pd.DataFrame) -> None:
    assert validate_history(history) == []


def test_all_problems_reported_at_once(history: pd.DataFrame) -> None:
    bad = history.copy()
    bad.loc[5, "offered"] = -1
    bad.loc[6, "aht_s"] = -10
    bad["ds"] = bad["ds"].astype(str)
    bad.loc[7, "ds"] = "not a date"
    bad.loc[8, "ds"] = "2024-01-01 00:10:00"  # off the 30-minute grid
    bad = pd.concat([bad, bad.iloc[[100]]], ignore_index=True)  # duplicate (queue, ds)
    fields = {(p.field, p.severity) for p in validate_history(bad)}
    assert ("history[5].offered", "error") in fields
    assert ("history[6].aht_s", "error") in fields
    assert ("history[7].ds", "error") in fields
    assert ("history[8].ds", "error") in fields
    assert any(f.endswith(".ds") and "history[" in f for f, _ in fields)
    messages = " ".join(str(p) for p in validate_history(bad))
    assert "duplicate (queue, ds)" in messages
    assert "not aligned to the 30-minute interval grid" in messages


def test_missing_columns_are_errors(history: pd.DataFrame) -> None:
    problems = validate_history(history.drop(columns=["aht_s", "offered"]))
    assert {p.field for p in problems} == {"history.aht_s", "history.offered"}


def test_gap_is_a_warning_not_an_error(history: pd.DataFrame) -> None:
    gap = history[(history["ds"] < "2024-01-10") | (history["ds"] >= "2024-01-12")]
    problems = validate_history(gap)
    assert errors_only(problems) == []
    (warning,) = problems
    assert warning.severity == "warning"
    assert "96 missing interval(s)" in warning.message
    assert warning.value == "2024-01-10 00:00:00 .. 2024-01-11 23:30:00"


def test_interval_must_divide_a_day() -> None:
    ds = pd.date_range("2024-01-01", periods=300, freq="7min")
    df = pd.DataFrame({"queue": "q", "ds": ds, "offered": 1.0, "aht_s": 100.0})
    messages = [p.message for p in validate_history(df)]
    assert "interval length must divide a day (1440 min)" in messages


def test_blank_aht_where_nothing_offered_is_fine(history: pd.DataFrame) -> None:
    assert history.loc[history["offered"] == 0, "aht_s"].isna().all()
    assert errors_only(validate_history(history)) == []


def test_infer_interval_ignores_gaps_and_closed_rows(history: pd.DataFrame) -> None:
    only_open = history[history["offered"] > 0]
    assert infer_interval_minutes(only_open) == 30
    h15 = make_history(weeks=1, minutes=15)
    assert infer_interval_minutes(h15) == 15


def test_read_history_csv_and_parquet_roundtrip(history: pd.DataFrame, tmp_path) -> None:
    csv = tmp_path / "h.csv"
    history.to_csv(csv, index=False)
    pq = tmp_path / "h.parquet"
    history.to_parquet(pq)
    for path in (csv, pq):
        df = read_history(path)
        assert pd.api.types.is_datetime64_any_dtype(df["ds"])
        assert len(df) == len(history)
        np.testing.assert_allclose(df["offered"], history["offered"])


def test_read_history_reports_missing_file_and_columns(tmp_path) -> None:
    with pytest.raises(HistoryError) as missing:
        read_history(tmp_path / "nope.csv")
    assert missing.value.problems[0].message == "file does not exist"
    bad = tmp_path / "bad.csv"
    bad.write_text("queue,ds,offered\nq,2024-01-01 00:00,1\n")
    with pytest.raises(HistoryError) as cols:
        read_history(bad)
    assert [p.field for p in cols.value.problems] == ["history.aht_s"]
    assert "history.aht_s" in str(cols.value)


def test_timezone_aware_ds_becomes_local_wall_clock(history: pd.DataFrame) -> None:
    aware = history.copy()
    aware["ds"] = aware["ds"].dt.tz_localize("Asia/Jerusalem", nonexistent="shift_forward")
    assert errors_only(validate_history(aware)) == []


def test_special_days_accept_tuples_and_report_bad_entries() -> None:
    days = as_special_days([("2024-12-25", "holiday", []), (dt.date(2024, 12, 24), "eve")])
    assert days == [
        SpecialDay(dt.date(2024, 12, 25), "holiday", ()),
        SpecialDay(dt.date(2024, 12, 24), "eve", None),
    ]
    with pytest.raises(HistoryError) as exc:
        as_special_days([("2024-12-25", "x", [(600, 2000)]), ("2024-12-26",)])
    assert [p.field for p in exc.value.problems] == ["special_days[0]", "special_days[1]"]
