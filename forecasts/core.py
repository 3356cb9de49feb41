"""Forecast many queues: validate, backtest, pick the best method per queue, forecast.

The flow of :func:`forecast_history`:

1. validate the history (all problems at once; missing intervals are warnings and stay
   unknown) and infer the interval length;
2. put every queue on the same regular grid and build the site calendar (opening hours, day
   kinds) once per origin from the site total, using only data before that origin;
3. decide per queue which methods compete: all of them for ``method="auto"``, only the simple
   weekday average for sparse queues (under ``SPARSE_CONTACTS`` per open interval, where
   accuracy gating is noise) and for all-zero queues;
4. run every (queue, method, origin) backtest fit and every final fit as independent tasks on
   the executor (process pool for ``jobs > 1``);
5. pick per queue the method with the lowest backtest wMAPE (ties go to the simpler method),
   and say why in ``notes``; a method that fails falls back to the weekday average.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from forecasts.calendars import Calendar, build_calendar
from forecasts.evaluation import (
    Scores,
    metrics_row,
    rolling_origins,
    score,
    seasonal_naive_mae,
)
from forecasts.executor import Executor, make_executor
from forecasts.models import (
    VOLUME_METHODS,
    HandleTimeModel,
    ProphetSettings,
    ProphetVolumeModel,
    make_volume_model,
)
from forecasts.schema import (
    FORECAST_COLUMNS,
    HistoryError,
    OpenHours,
    Problem,
    SpecialDay,
    _coerce,
    as_special_days,
    errors_only,
    infer_interval_minutes,
    validate_history,
)

#: Mean contacts per open interval below which a queue gets the simple method.
SPARSE_CONTACTS = 2.0
#: Days of history a queue needs at all (every weekday seen once).
MIN_HISTORY_DAYS = 7
#: Days of training required before a backtest origin.
MIN_TRAIN_DAYS = 14
#: Share of a horizon that must be known for an origin to be scored.
MIN_SCORED_SHARE = 0.5
#: Simplest first: ties in backtest accuracy go to the earlier method.
_SIMPLICITY = ("weekday_average", "seasonal_naive", "prophet")
METHODS: tuple[str, ...] = ("auto", *VOLUME_METHODS)


@dataclass(frozen=True)
class ForecastRun:
    """The result of :func:`forecast_history`.

    Parameters
    ----------
    frame
        Columns ``FORECAST_COLUMNS``: one row per queue x interval of the horizon, closed
        intervals included with ``offered`` 0.
    metrics
        Backtest metrics: ``queue, method, wmape, mase, bias, coverage, picked`` (+ ``origins``,
        ``intervals``); empty when no backtest ran.
    notes
        queue -> why its method was picked, and any fallback.
    warnings
        Tolerated problems of the history (missing intervals).
    interval_minutes
        Interval length of history and forecast.
    history_start, history_end
        First and last interval of the history used.
    level
        Prediction-interval level of ``offered_lo`` / ``offered_hi``.
    model_json
        queue -> Prophet model JSON (``prophet.serialize.model_to_json``) for queues whose
        picked method is Prophet.
    """

    frame: pd.DataFrame
    metrics: pd.DataFrame
    notes: dict[str, str]
    warnings: tuple[Problem, ...] = ()
    interval_minutes: int = 0
    history_start: pd.Timestamp | None = None
    history_end: pd.Timestamp | None = None
    level: float = 0.8
    model_json: dict[str, str] = field(default_factory=dict)

    @property
    def methods(self) -> dict[str, str]:
        """queue -> picked method."""
        if self.frame.empty:
            return {}
        first = self.frame.drop_duplicates("queue")
        return dict(zip(first["queue"], first["model"], strict=True))


@dataclass(frozen=True)
class FitTask:
    """One fit + predict of one method for one queue at one origin (plain, picklable data)."""

    queue: str
    method: str
    origin: pd.Timestamp
    train: pd.DataFrame
    future: pd.DatetimeIndex
    calendar: Calendar
    level: float
    prophet_settings: ProphetSettings | None
    final: bool
    actual: np.ndarray | None = None
    naive_mae: float = float("nan")


@dataclass(frozen=True)
class FitResult:
    """What a :class:`FitTask` gives back: a forecast (final) or scores (backtest), or an error."""

    queue: str
    method: str
    origin: pd.Timestamp
    final: bool
    forecast: pd.DataFrame | None = None
    scores: Scores | None = None
    error: str | None = None
    model_json: str | None = None
    seconds: float = 0.0


def run_task(task: FitTask) -> FitResult:
    """Fit and predict one task; never raises (the error is returned for a fallback)."""
    import time

    t0 = time.perf_counter()
    try:
        model = make_volume_model(task.method, task.calendar, task.level, task.prophet_settings)
        model.fit(task.train)
        pred = model.predict(task.future)
    except Exception as exc:  # a failing fit is reported per queue and falls back
        return FitResult(
            task.queue,
            task.method,
            task.origin,
            task.final,
            error=f"{type(exc).__name__}: {exc}",
            seconds=time.perf_counter() - t0,
        )
    model_json = None
    scores = None
    if task.final and isinstance(model, ProphetVolumeModel):
        from prophet.serialize import model_to_json

        model_json = model_to_json(model.model_)
    if task.actual is not None:
        scores = score(task.actual, pred, task.calendar.is_open(task.future), task.naive_mae)
    return FitResult(
        task.queue,
        task.method,
        task.origin,
        task.final,
        forecast=pred if task.final else None,
        scores=scores,
        model_json=model_json,
        seconds=time.perf_counter() - t0,
    )


def forecast_history(
    history: pd.DataFrame,
    *,
    horizon_days: int = 7,
    start: pd.Timestamp | None = None,
    open_hours: OpenHours | None = None,
    special_days: Sequence[SpecialDay | tuple[object, ...]] | None = None,
    country: str | None = None,
    method: str = "auto",
    backtest_origins: int = 4,
    level: float = 0.8,
    jobs: int = 1,
    progress: Callable[[str], None] | None = None,
    executor: Executor | None = None,
    prophet_settings: ProphetSettings | None = None,
) -> ForecastRun:
    """Forecast volume and handle time per queue and interval, picking the best method per queue.

    Parameters
    ----------
    history
        Long table ``queue, ds, offered, aht_s`` (+ optional ``abandoned``,
        ``answered_in_target``), see :mod:`forecasts.schema`.
    horizon_days
        Days to forecast.
    start
        First interval of the forecast; default the day start after the last history interval.
    open_hours
        Site opening hours; default inferred from the recent weeks of the data.
    special_days
        Dated exceptions (holidays with windows, campaigns, closures).
    country
        Country code for public holidays (and their eves and days after).
    method
        ``"auto"`` (best backtest per queue) or one of ``"prophet"``, ``"weekday_average"``,
        ``"seasonal_naive"``.
    backtest_origins
        Rolling weekly origins per queue and method; 0 skips the backtest.
    level
        Prediction-interval level for ``offered_lo`` / ``offered_hi``.
    jobs
        Worker processes (1 runs in-process; 0 or less: one per core).
    progress
        Called with a short message as work completes.
    executor
        Overrides ``jobs`` with a given executor (e.g. a distributed one).
    prophet_settings
        Overrides the Prophet recipe's defaults.

    Returns
    -------
    ForecastRun

    Raises
    ------
    HistoryError
        For an unusable history or arguments, listing every problem.
    """
    special_days = as_special_days(special_days)
    problems = _check_arguments(horizon_days, method, backtest_origins, level)
    all_problems = validate_history(history)
    problems += errors_only(all_problems)
    if problems:
        raise HistoryError(problems)
    warnings = tuple(p for p in all_problems if p.severity == "warning")
    df, _ = _coerce(history)
    minutes = infer_interval_minutes(df)
    step = pd.Timedelta(minutes=minutes)
    first, last = df["ds"].min(), df["ds"].max()
    if start is None:
        start = (last + step).ceil("D")
    start = pd.Timestamp(start)
    if start.tzinfo is not None:
        start = start.tz_localize(None)
    if (start - start.normalize()) % step != pd.Timedelta(0):
        raise HistoryError(
            [Problem("start", str(start), f"not on the {minutes}-minute interval grid")]
        )

    grid = pd.date_range(first.normalize(), start - step, freq=step)
    series = _queue_series(df, grid)
    short = [
        Problem(
            f"history[queue={q}]",
            f"{int(s['offered'].notna().sum() * minutes / 1440)} days",
            f"need at least {MIN_HISTORY_DAYS} days of history before {start}",
        )
        for q, s in series.items()
        if s["offered"].notna().sum() * minutes < MIN_HISTORY_DAYS * 1440
    ]
    if short:
        raise HistoryError(short)
    total = pd.concat([s.set_index("ds")["offered"] for s in series.values()], axis=1).sum(
        axis=1, min_count=1
    )
    say = progress or (lambda _msg: None)

    try:
        calendars = {start: build_calendar(
            total, start, horizon_days, minutes,
            open_hours=open_hours, special_days=special_days, country=country,
        )}  # fmt: skip
    except ValueError as exc:
        raise HistoryError([Problem("country", country, str(exc))]) from exc
    origins = (
        rolling_origins(
            first,
            # Score on real data: a start far after the history must not push origins past it.
            min(last, start - step),
            horizon_days=horizon_days,
            n_origins=backtest_origins,
            min_train_days=MIN_TRAIN_DAYS,
        )
        if backtest_origins > 0
        else []
    )
    origins = [
        o for o in origins if _known_share(total, o, horizon_days, minutes) >= MIN_SCORED_SHARE
    ]
    for o in origins:
        calendars[o] = build_calendar(
            total, o, horizon_days, minutes,
            open_hours=open_hours, special_days=special_days, country=country,
        )  # fmt: skip

    notes: dict[str, list[str]] = {q: [] for q in series}
    candidates: dict[str, list[str]] = {}
    for q, s in series.items():
        candidates[q] = _candidates(q, s, method, calendars[start], start, notes[q])

    tasks: list[FitTask] = []
    future = pd.date_range(start, periods=horizon_days * 1440 // minutes, freq=step)
    for q, s in series.items():
        for m in candidates[q]:
            tasks.append(_task(q, m, start, s, future, calendars[start], level, prophet_settings))
            for o in origins:
                fut = pd.date_range(o, periods=horizon_days * 1440 // minutes, freq=step)
                t = _task(q, m, o, s, fut, calendars[o], level, prophet_settings, final=False)
                tasks.append(t)
    # Expensive fits first, so the pool is not left waiting on one long task at the end.
    order = sorted(range(len(tasks)), key=lambda i: tasks[i].method != "prophet")
    tasks = [tasks[i] for i in order]
    done = [0]

    def on_result(_i: int, r: FitResult) -> None:
        done[0] += 1
        what = "forecast" if r.final else f"backtest {r.origin.date()}"
        status = "failed" if r.error else "ok"
        say(f"[{done[0]}/{len(tasks)}] {r.queue} {r.method} {what} {status}")

    runner = executor or make_executor(jobs)
    results = runner.map(run_task, tasks, on_result)
    return _assemble(
        results, series, candidates, notes, origins, future, calendars[start], level, minutes,
        warnings, first, last,
    )  # fmt: skip


def _check_arguments(
    horizon_days: int, method: str, backtest_origins: int, level: float
) -> list[Problem]:
    problems = []
    if not isinstance(horizon_days, int) or horizon_days < 1:
        problems.append(Problem("horizon_days", horizon_days, "must be a whole number >= 1"))
    if method not in METHODS:
        problems.append(Problem("method", method, f"must be one of {', '.join(METHODS)}"))
    if not isinstance(backtest_origins, int) or backtest_origins < 0:
        problems.append(Problem("backtest_origins", backtest_origins, "must be >= 0"))
    if not 0.0 < level < 1.0:
        problems.append(Problem("level", level, "must be between 0 and 1 (exclusive)"))
    return problems


def _queue_series(df: pd.DataFrame, grid: pd.DatetimeIndex) -> dict[str, pd.DataFrame]:
    """Each queue's history on the common grid; unknown intervals are NaN, never 0."""
    cols = [c for c in ("offered", "aht_s", "abandoned") if c in df.columns]
    out = {}
    for q, g in df.groupby("queue", sort=True):
        s = g.set_index("ds")[cols].reindex(grid)
        s.index.name = "ds"
        out[str(q)] = s.reset_index()
    return out


def _known_share(total: pd.Series, origin: pd.Timestamp, horizon_days: int, minutes: int) -> float:
    """Share of the horizon's intervals after ``origin`` whose volume is known."""
    end = origin + pd.Timedelta(days=horizon_days)
    window = total[(total.index >= origin) & (total.index < end)]
    return float(window.notna().sum() / (horizon_days * 1440 // minutes))


def _candidates(
    queue: str,
    s: pd.DataFrame,
    method: str,
    calendar: Calendar,
    start: pd.Timestamp,
    notes: list[str],
) -> list[str]:
    """Methods that compete for a queue, with the reason noted when the choice is restricted."""
    recent = s[s["ds"] >= start - pd.Timedelta(weeks=4)]
    open_ = calendar.is_open(pd.DatetimeIndex(recent["ds"]))
    values = recent["offered"].to_numpy(dtype=float)[open_]
    known = values[np.isfinite(values)]
    mean = float(known.mean()) if len(known) else 0.0
    if method != "auto":
        notes.append(f"method {method} requested")
        if len(known) and known.sum() == 0:
            notes.append("all-zero in the last 4 weeks")
        return [method]
    if len(known) == 0 or known.sum() == 0:
        notes.append("all-zero (or unknown) volume in the last 4 weeks: forecast is zero")
        return ["weekday_average"]
    if np.allclose(known, known[0]):
        notes.append("constant volume in the last 4 weeks: weekday average repeats it")
        return ["weekday_average"]
    if mean < SPARSE_CONTACTS:
        notes.append(
            f"sparse queue ({mean:.2f} contacts per open interval < {SPARSE_CONTACTS:g}): "
            "weekday average used without accuracy gating"
        )
        return ["weekday_average"]
    return list(VOLUME_METHODS)


def _task(
    queue: str,
    method: str,
    origin: pd.Timestamp,
    s: pd.DataFrame,
    future: pd.DatetimeIndex,
    calendar: Calendar,
    level: float,
    prophet_settings: ProphetSettings | None,
    *,
    final: bool = True,
) -> FitTask:
    train = s[s["ds"] < origin]
    actual = None
    naive = float("nan")
    if not final:
        actual = s.set_index("ds")["offered"].reindex(future).to_numpy(dtype=float)
        naive = seasonal_naive_mae(train.set_index("ds")["offered"], calendar.minutes)
    return FitTask(
        queue,
        method,
        origin,
        train,
        future,
        calendar,
        level,
        prophet_settings,
        final,
        actual,
        naive,
    )


def _assemble(
    results: list[FitResult],
    series: dict[str, pd.DataFrame],
    candidates: dict[str, list[str]],
    notes: dict[str, list[str]],
    origins: list[pd.Timestamp],
    future: pd.DatetimeIndex,
    calendar: Calendar,
    level: float,
    minutes: int,
    warnings: tuple[Problem, ...],
    first: pd.Timestamp,
    last: pd.Timestamp,
) -> ForecastRun:
    finals: dict[tuple[str, str], FitResult] = {}
    scores: dict[tuple[str, str], Scores] = {}
    failed: dict[tuple[str, str], str] = {}
    for r in results:
        key = (r.queue, r.method)
        if r.error is not None:
            failed.setdefault(key, r.error)
        elif r.final:
            finals[key] = r
        elif r.scores is not None:
            scores[key] = scores.get(key, Scores()) + r.scores

    frames, rows, model_json = [], [], {}
    for q in series:
        usable = [m for m in candidates[q] if (q, m) not in failed and (q, m) in finals]
        for m in candidates[q]:
            if (q, m) in failed:
                notes[q].append(f"{m} failed ({failed[(q, m)]})")
        picked = _pick(q, usable, scores, bool(origins), notes[q])
        if picked is None:
            # Every candidate failed: the weekday average is the documented last resort.
            fallback = run_task(
                _task(q, "weekday_average", future[0], series[q], future, calendar, level, None)
            )
            if fallback.forecast is None:
                raise HistoryError(
                    [Problem(f"history[queue={q}]", fallback.error, "no method could forecast")]
                )
            picked, result = "weekday_average", fallback
            notes[q].append("fell back to weekday_average")
        else:
            result = finals[(q, picked)]
        if result.model_json is not None:
            model_json[q] = result.model_json
        assert result.forecast is not None
        f = result.forecast.copy()
        train = series[q]
        aht = HandleTimeModel(calendar).fit(train[train["offered"].notna()]).predict(future)
        f.insert(0, "queue", q)
        f["aht_s"] = aht
        f["model"] = picked
        frames.append(f[list(FORECAST_COLUMNS)])
        for m in candidates[q]:
            if (q, m) in scores:
                row = metrics_row(q, m, scores[(q, m)])
                row["picked"] = m == picked
                rows.append(row)
    frame = pd.concat(frames, ignore_index=True) if frames else _empty_frame()
    metrics = pd.DataFrame(
        rows,
        columns=[
            "queue", "method", "wmape", "mase", "bias", "coverage", "picked", "origins",
            "intervals",
        ],
    )  # fmt: skip
    return ForecastRun(
        frame=frame,
        metrics=metrics,
        notes={q: "; ".join(n) for q, n in notes.items()},
        warnings=warnings,
        interval_minutes=minutes,
        history_start=first,
        history_end=last,
        level=level,
        model_json=model_json,
    )


def _pick(
    queue: str,
    usable: list[str],
    scores: dict[tuple[str, str], Scores],
    backtested: bool,
    notes: list[str],
) -> str | None:
    """Lowest backtest wMAPE wins; ties go to the simpler method."""
    if not usable:
        return None
    if len(usable) == 1:
        s = scores.get((queue, usable[0]))
        if s is not None and np.isfinite(s.wmape):
            notes.append(f"{usable[0]}: backtest wMAPE {s.wmape:.3f} over {s.origins} origin(s)")
        return usable[0]
    scored = [(scores[(queue, m)].wmape, m) for m in usable if (queue, m) in scores]
    scored = [(w, m) for w, m in scored if np.isfinite(w)]
    if not scored:
        why = "no backtest requested" if not backtested else "history too short to backtest"
        choice = "prophet" if "prophet" in usable else usable[0]
        notes.append(f"{choice} picked without accuracy evidence ({why})")
        return choice
    best_w, best = min(scored, key=lambda t: (round(t[0], 4), _SIMPLICITY.index(t[1])))
    others = ", ".join(f"{m} {w:.3f}" for w, m in sorted(scored) if m != best)
    origins = scores[(queue, best)].origins
    notes.append(
        f"{best} picked: lowest backtest wMAPE {best_w:.3f} over {origins} origin(s)"
        + (f" (vs {others})" if others else "")
    )
    return best


def _empty_frame() -> pd.DataFrame:
    return pd.DataFrame({c: [] for c in FORECAST_COLUMNS})


__all__ = [
    "METHODS",
    "FitResult",
    "FitTask",
    "ForecastRun",
    "forecast_history",
    "run_task",
]
