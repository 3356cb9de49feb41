"""History and forecast table contracts, reading and validation.

The history is a long tidy table, one row per queue x interval (DESIGN.md §4):
``queue, ds, offered, aht_s`` plus optional ``abandoned`` and ``answered_in_target``.
``ds`` is the interval start in the site's local wall-clock time (naive). Time-zone aware
values are accepted and converted to their local wall-clock time, because opening hours and
intraday profiles follow the clock on the wall, not UTC.

Validation reports *all* problems at once. Each :class:`Problem` has a severity:

- ``"error"``: the history cannot be forecast as given (missing columns, unparseable
  timestamps, negative values, duplicates, misaligned intervals, ...).
- ``"warning"``: missing intervals inside the covered range. They are reported, never silently
  filled: the forecaster treats them as *unknown* (not as zero), so a gap such as a missing month
  of data does not bias the forecast low. A caller who wants a strict check can reject warnings.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, NamedTuple

import numpy as np
import pandas as pd

HISTORY_REQUIRED: tuple[str, ...] = ("queue", "ds", "offered", "aht_s")
HISTORY_OPTIONAL: tuple[str, ...] = ("abandoned", "answered_in_target")
FORECAST_COLUMNS: tuple[str, ...] = (
    "queue",
    "ds",
    "offered",
    "aht_s",
    "offered_lo",
    "offered_hi",
    "model",
)

#: Opening hours: weekday (0=Mon .. 6=Sun) -> list of (start_minute, end_minute) in local time,
#: ``end_minute`` may be 1440. A weekday missing from the mapping is closed all day.
OpenHours = Mapping[int, Sequence[tuple[int, int]]]

#: How many individual gaps are listed before the rest is summarised in one problem.
_MAX_LISTED_GAPS = 20
#: How many offending rows are listed per rule before the rest is summarised.
_MAX_LISTED_ROWS = 20


class SpecialDay(NamedTuple):
    """A dated exception to the usual week, as plain data.

    Parameters
    ----------
    date
        The local calendar date.
    kind
        Free label, e.g. ``"holiday"``, ``"holiday_eve"``, ``"campaign"``. Days of the same kind
        share one learned effect, so what happened on one carries to the next.
    windows
        Open windows as (start_minute, end_minute) for that day. ``None`` keeps the usual
        opening hours of that weekday (a demand-only event such as a campaign); an empty
        sequence means closed all day.
    """

    date: dt.date
    kind: str
    windows: Sequence[tuple[int, int]] | None = None


def as_special_days(items: Iterable[Any] | None) -> list[SpecialDay]:
    """Normalise special days given as :class:`SpecialDay`, plain tuples or mappings.

    Accepts ``(date, kind)``, ``(date, kind, windows)`` or ``{"date", "kind", "windows"}``;
    dates may be ``datetime.date``, timestamps or ISO strings.

    Raises
    ------
    HistoryError
        Listing every malformed entry (field ``special_days[i]``).
    """
    if items is None:
        return []
    out: list[SpecialDay] = []
    problems: list[Problem] = []
    for i, item in enumerate(items):
        try:
            if isinstance(item, Mapping):
                date, kind, windows = item["date"], item["kind"], item.get("windows")
            else:
                date, kind, *rest = item
                windows = rest[0] if rest else None
            day = pd.Timestamp(date).date() if not isinstance(date, dt.date) else date
            if isinstance(day, dt.datetime):
                day = day.date()
            wins = None
            if windows is not None:
                wins = tuple((int(a), int(b)) for a, b in windows)
                for a, b in wins:
                    if not 0 <= a <= b <= 1440:
                        raise ValueError(f"window {a}-{b} must satisfy 0 <= start <= end <= 1440")
            if not str(kind).strip():
                raise ValueError("kind is blank")
            out.append(SpecialDay(day, str(kind), wins))
        except (TypeError, ValueError, KeyError) as exc:
            problems.append(Problem(f"special_days[{i}]", item, f"not a special day: {exc}"))
    if problems:
        raise HistoryError(problems)
    return out


Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, naming the field and the offending value.

    Parameters
    ----------
    field
        Where the problem is, e.g. ``"history[12].offered"`` or ``"history.ds"``.
    value
        The offending value (or a short summary of them).
    message
        What is wrong, in words a planner understands.
    severity
        ``"error"`` blocks forecasting; ``"warning"`` is reported and tolerated.
    """

    field: str
    value: object
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        return f"{self.field}: {self.message} (got {self.value!r})"


class HistoryError(ValueError):
    """The history cannot be used; ``problems`` lists every reason at once."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems: list[Problem] = list(problems)
        lines = [str(p) for p in self.problems]
        super().__init__(
            f"{len(lines)} problem(s) in the history:\n" + "\n".join(f"  - {x}" for x in lines)
        )


def errors_only(problems: Sequence[Problem]) -> list[Problem]:
    """Return the problems whose severity is ``"error"``."""
    return [p for p in problems if p.severity == "error"]


def read_history(path: str | Path) -> pd.DataFrame:
    """Read a history table from CSV or Parquet (chosen by suffix) and parse ``ds``.

    Only reading is checked here (file, format, required columns, timestamps); call
    :func:`validate_history` for the full set of rules.

    Parameters
    ----------
    path
        A ``.csv`` (optionally ``.csv.gz``) or ``.parquet``/``.pq`` file.

    Returns
    -------
    pandas.DataFrame
        The table with ``ds`` as naive local ``datetime64`` and ``queue`` as string.

    Raises
    ------
    HistoryError
        If the file is missing or unreadable, or required columns or timestamps are bad.
    """
    p = Path(path)
    if not p.is_file():
        raise HistoryError([Problem("history", str(p), "file does not exist")])
    suffixes = "".join(p.suffixes).lower()
    try:
        if suffixes.endswith((".parquet", ".pq")):
            df = pd.read_parquet(p)
        elif suffixes.endswith((".csv", ".csv.gz", ".txt")):
            df = pd.read_csv(p)
        else:
            raise HistoryError(
                [Problem("history", str(p), "unknown file type; use .csv or .parquet")]
            )
    except HistoryError:
        raise
    except Exception as exc:  # any parser failure is a bad input, reported, not a traceback
        raise HistoryError([Problem("history", str(p), f"cannot read file: {exc}")]) from exc
    missing = [c for c in HISTORY_REQUIRED if c not in df.columns]
    if missing:
        raise HistoryError(
            [
                Problem(f"history.{c}", list(map(str, df.columns)), "required column missing")
                for c in missing
            ]
        )
    df, problems = _coerce(df)
    errors = errors_only(problems)
    if errors:
        raise HistoryError(errors)
    return df


def _coerce(df: pd.DataFrame) -> tuple[pd.DataFrame, list[Problem]]:
    """Parse ``ds`` and numeric columns, collecting problems instead of raising."""
    problems: list[Problem] = []
    out = df.copy()
    if "queue" in out.columns:
        out["queue"] = out["queue"].astype("string")
        bad = out.index[out["queue"].isna() | (out["queue"].str.strip() == "")]
        problems += _row_problems(bad, "queue", out["queue"], "queue name is blank")
    if "ds" in out.columns:
        out["ds"], ds_problems = _parse_ds(out["ds"])
        problems += ds_problems
    for col in ("offered", "aht_s", *HISTORY_OPTIONAL):
        if col not in out.columns:
            continue
        raw = out[col]
        num = pd.to_numeric(raw, errors="coerce").astype("float64")
        bad = out.index[num.isna() & raw.notna() & (raw.astype("string").str.strip() != "")]
        problems += _row_problems(bad, col, raw, "not a number")
        out[col] = num
    return out, problems


def _parse_ds(raw: pd.Series) -> tuple[pd.Series, list[Problem]]:
    """Parse timestamps to naive local wall-clock time."""
    if isinstance(raw.dtype, pd.DatetimeTZDtype):
        return raw.dt.tz_localize(None).astype("datetime64[ns]"), []
    if pd.api.types.is_datetime64_any_dtype(raw):
        return raw.astype("datetime64[ns]"), []
    parsed = pd.to_datetime(raw, errors="coerce", format="mixed")
    if isinstance(parsed.dtype, pd.DatetimeTZDtype):
        parsed = parsed.dt.tz_localize(None)
    elif parsed.dtype == object:
        # Mixed offsets (e.g. across a DST change) come back as objects: go via UTC to the
        # offset-naive wall clock of each value.
        parsed = pd.Series(
            [
                pd.Timestamp(x).tz_localize(None) if pd.notna(x) else pd.NaT
                for x in pd.to_datetime(raw, errors="coerce", utc=False, format="mixed")
            ],
            index=raw.index,
        )
    parsed = parsed.astype("datetime64[ns]")
    bad = raw.index[parsed.isna()]
    return parsed, _row_problems(bad, "ds", raw, "not a timestamp")


def _row_problems(bad_index: pd.Index, col: str, values: pd.Series, message: str) -> list[Problem]:
    """One problem per offending row, up to a limit, then one summary problem."""
    problems = [
        Problem(f"history[{i}].{col}", _plain(values.loc[i]), message)
        for i in bad_index[:_MAX_LISTED_ROWS]
    ]
    rest = len(bad_index) - _MAX_LISTED_ROWS
    if rest > 0:
        problems.append(Problem(f"history.{col}", f"{rest} more rows", message))
    return problems


def _plain(value: object) -> object:
    """Turn numpy/pandas scalars into plain Python values for readable messages."""
    if isinstance(value, np.generic):
        return value.item()
    if value is pd.NA or value is pd.NaT:
        return None
    return value


def infer_interval_minutes(df: pd.DataFrame) -> int:
    """Infer the interval length in minutes from the timestamps of the history.

    The interval is the most common step between consecutive intervals within each queue,
    which is robust to gaps (a missing month does not change it), to histories that only list
    open intervals, and to a few misaligned timestamps (they are reported by
    :func:`validate_history` instead of shrinking the grid).

    Parameters
    ----------
    df
        History with ``queue`` and parsed ``ds`` columns.

    Returns
    -------
    int
        The interval length in whole minutes.

    Raises
    ------
    HistoryError
        If fewer than two distinct timestamps exist or the step is not whole minutes.
    """
    steps: list[np.ndarray] = []
    groups = df.groupby("queue", sort=False)["ds"] if "queue" in df.columns else [("", df["ds"])]
    for _, ds in groups:
        values = np.unique(ds.dropna().to_numpy(dtype="datetime64[s]").astype(np.int64))
        if len(values) >= 2:
            steps.append(np.diff(values))
    if not steps:
        raise HistoryError(
            [Problem("history.ds", len(df), "need at least two intervals to infer the length")]
        )
    all_steps = np.concatenate(steps)
    uniq, counts = np.unique(all_steps, return_counts=True)
    step_s = int(uniq[np.argmax(counts)])
    if step_s % 60 != 0:
        raise HistoryError(
            [Problem("history.ds", f"{step_s} s", "interval length is not a whole minute")]
        )
    return step_s // 60


def validate_history(df: pd.DataFrame) -> list[Problem]:
    """Check a history table against the contract and return every problem found.

    Rules: required columns present; ``queue`` not blank; ``ds`` parseable; numbers numeric;
    ``offered``, ``aht_s``, ``abandoned`` and ``answered_in_target`` not negative; ``offered``
    not blank; ``aht_s`` present wherever contacts were offered (it may be blank where nothing
    was offered, but where contacts were offered and none handled a blank is also accepted
    and treated as unknown); no duplicate (queue, ds); the interval length divides a day;
    every ``ds`` on the grid of that length; missing intervals inside each queue's covered
    range reported as *warnings* (see the module docstring).

    Parameters
    ----------
    df
        The history as read (``ds`` may still be text).

    Returns
    -------
    list[Problem]
        Empty when the history is clean.
    """
    missing = [c for c in HISTORY_REQUIRED if c not in df.columns]
    problems = [
        Problem(f"history.{c}", list(map(str, df.columns)), "required column missing")
        for c in missing
    ]
    if "ds" not in df.columns or "queue" not in df.columns:
        return problems
    df, coerce_problems = _coerce(df)
    problems += coerce_problems
    if len(df) == 0:
        problems.append(Problem("history", 0, "history has no rows"))
        return problems
    for col in ("offered", "aht_s", *HISTORY_OPTIONAL):
        if col in df.columns:
            bad = df.index[df[col] < 0]
            problems += _row_problems(bad, col, df[col], "must not be negative")
    if "offered" in df.columns:
        bad = df.index[df["offered"].isna()]
        problems += _row_problems(bad, "offered", df["offered"], "offered is blank")
    ok = df[df["ds"].notna() & df["queue"].notna()]
    dup = ok.index[ok.duplicated(["queue", "ds"], keep="first")]
    problems += [
        Problem(
            f"history[{i}].ds",
            f"{ok.at[i, 'queue']} @ {ok.at[i, 'ds']}",
            "duplicate (queue, ds): each interval must appear once",
        )
        for i in dup[:_MAX_LISTED_ROWS]
    ]
    if len(dup) > _MAX_LISTED_ROWS:
        problems.append(
            Problem("history.ds", f"{len(dup) - _MAX_LISTED_ROWS} more", "duplicate (queue, ds)")
        )
    try:
        minutes = infer_interval_minutes(ok)
    except HistoryError as exc:
        return problems + exc.problems
    if 1440 % minutes != 0:
        problems.append(
            Problem("history.ds", f"{minutes} min", "interval length must divide a day (1440 min)")
        )
        return problems
    minute_of_day = ok["ds"].dt.hour * 60 + ok["ds"].dt.minute
    off_grid = ok.index[(minute_of_day % minutes != 0) | (ok["ds"].dt.second != 0)]
    problems += _row_problems(
        off_grid, "ds", ok["ds"], f"not aligned to the {minutes}-minute interval grid"
    )
    problems += _gap_problems(ok.drop_duplicates(["queue", "ds"]), minutes)
    return problems


def _gap_problems(df: pd.DataFrame, minutes: int) -> list[Problem]:
    """Warnings for missing intervals inside each queue's covered range, as runs."""
    problems: list[Problem] = []
    step = np.int64(minutes * 60)
    for queue, ds in df.groupby("queue", sort=True)["ds"]:
        t = np.sort(ds.to_numpy(dtype="datetime64[s]").astype(np.int64))
        if len(t) < 2:
            continue
        jumps = np.flatnonzero(np.diff(t) > step)
        if len(jumps) == 0:
            continue
        missing = (np.diff(t)[jumps] // step - 1).sum()
        for j in jumps[:_MAX_LISTED_GAPS]:
            first = pd.Timestamp(int(t[j] + step), unit="s")
            last = pd.Timestamp(int(t[j + 1] - step), unit="s")
            n = int((t[j + 1] - t[j]) // step - 1)
            problems.append(
                Problem(
                    f"history[queue={queue}].ds",
                    f"{first} .. {last}",
                    f"{n} missing interval(s); treated as unknown, not as zero",
                    "warning",
                )
            )
        if len(jumps) > _MAX_LISTED_GAPS:
            problems.append(
                Problem(
                    f"history[queue={queue}].ds",
                    f"{len(jumps)} gaps, {int(missing)} intervals",
                    "further gaps not listed; list only open intervals or fill closed ones with 0",
                    "warning",
                )
            )
    return problems
