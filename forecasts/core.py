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
   the executor (process pool for ``jobs > 1``); the ``ensemble`` is not fitted on its own but
   combined from its members' results (Prophet and the weekday average), so it costs nothing;
5. on top of every method, days after a holiday and month starts are scaled by factors learned
   from their past occurrences (:mod:`forecasts.day_effects`);
6. pick per queue by backtest wMAPE with a shrinkage toward the default method (the ensemble
   when it competes, else Prophet): another method must beat it by ``AUTO_MARGIN`` (relative)
   to be picked, since a few origins rank close methods by noise; say why in ``notes``; a
   method that fails falls back to the weekday average.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from forecasts.calendars import Calendar, build_calendar
from forecasts.day_effects import FACTOR_KINDS, DayAdjusted
from forecasts.evaluation import (
    Scores,
    metrics_row,
    rolling_origins,
    score,
    seasonal_naive_mae,
)
from forecasts.executor import Executor, ProcessExecutor, make_executor
from forecasts.models import (
    ENSEMBLE_MEMBERS,
    VOLUME_METHODS,
    HandleTimeModel,
    ProphetSettings,
    ProphetVolumeModel,
    combine_forecasts,
    ensemble_weights,
    make_volume_model,
    warm_up,
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
_SIMPLICITY = ("weekday_average", "seasonal_naive", "prophet", "ensemble")
#: Relative backtest wMAPE by which a method must beat the default one to be picked instead.
AUTO_MARGIN = 0.03
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
    day_factors: tuple[str, ...] = FACTOR_KINDS


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
    factors: str = ""
    cpu_seconds: float = 0.0


def run_task(task: FitTask) -> FitResult:
    """Fit and predict one task; never raises (the error is returned for a fallback).

    The forecast is returned for backtest tasks too, so derived methods (the ensemble) can be
    combined and scored from it.
    """
    import time

    t0, cpu0 = time.perf_counter(), _cpu_seconds()
    try:
        model = make_volume_model(
            task.method, task.calendar, task.level, task.prophet_settings, task.day_factors
        )
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
            cpu_seconds=_cpu_seconds() - cpu0,
        )
    model_json = None
    scores = None
    factors = ""
    base = model
    if isinstance(model, DayAdjusted):
        base, factors = model.base, model.day_factors.describe()
    if task.final and isinstance(base, ProphetVolumeModel):
        from prophet.serialize import model_to_json

        model_json = model_to_json(base.model_)
    if task.actual is not None:
        scores = score(task.actual, pred, task.calendar.is_open(task.future), task.naive_mae)
    return FitResult(
        task.queue,
        task.method,
        task.origin,
        task.final,
        forecast=pred,
        scores=scores,
        model_json=model_json,
        seconds=time.perf_counter() - t0,
        factors=factors,
        cpu_seconds=_cpu_seconds() - cpu0,
    )


def _cpu_seconds() -> float:
    """CPU seconds of this process and its finished children (cmdstan runs as a child)."""
    try:
        import resource
    except ImportError:  # not on Unix: wall time only
        return 0.0
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def fitted_methods(candidates: Sequence[str]) -> list[str]:
    """Methods that are actually fitted for these candidates (the ensemble's members)."""
    out: list[str] = []
    for m in candidates:
        for f in [name for name, _ in ENSEMBLE_MEMBERS] if m == "ensemble" else [m]:
            if f not in out:
                out.append(f)
    return out


def combine_results(task: FitTask, members: Sequence[FitResult]) -> FitResult:
    """The ensemble's result from its members' results for the same queue and origin.

    Raises
    ------
    ValueError
        When a member failed or has no forecast.
    """
    if [r.method for r in members] != [name for name, _ in ENSEMBLE_MEMBERS]:
        raise ValueError("ensemble: members must come in ENSEMBLE_MEMBERS order")
    if any(r.forecast is None for r in members):
        raise ValueError("ensemble: a member has no forecast")
    frames = [r.forecast for r in members if r.forecast is not None]
    pred = combine_forecasts(frames, ensemble_weights(task.future, task.calendar))
    scores = None
    if task.actual is not None:
        scores = score(task.actual, pred, task.calendar.is_open(task.future), task.naive_mae)
    return FitResult(
        task.queue,
        "ensemble",
        task.origin,
        task.final,
        forecast=pred,
        scores=scores,
        seconds=sum(r.seconds for r in members),
        factors=members[0].factors,
        cpu_seconds=sum(r.cpu_seconds for r in members),
    )


def pick_method(wmape: dict[str, float], margin: float = AUTO_MARGIN) -> str:
    """The method ``auto`` picks from pooled backtest wMAPE per method.

    The default (the ensemble if it competes, else Prophet, else the simplest) is kept unless
    another method beats its wMAPE by more than ``margin`` (relative); among those that do,
    the lowest wins and ties go to the simpler method.
    """
    finite = {m: w for m, w in wmape.items() if np.isfinite(w)}
    if not finite:
        raise ValueError("pick_method: no finite wMAPE")
    default = next(
        (m for m in ("ensemble", "prophet") if m in finite),
        min(finite, key=lambda m: _SIMPLICITY.index(m) if m in _SIMPLICITY else 99),
    )
    bar = finite[default] * (1.0 - margin)
    better = {m: w for m, w in finite.items() if w < bar}
    if not better:
        return default
    rank = {m: i for i, m in enumerate(_SIMPLICITY)}
    return min(better, key=lambda m: (round(better[m], 4), rank.get(m, 99)))


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
    day_factors: Sequence[str] = FACTOR_KINDS,
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
    day_factors
        Day kinds scaled by factors learned from their past occurrences, on top of every
        method (default: days after a holiday and month starts); empty for none.

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
    with contextlib.ExitStack() as stack:
        # The pool starts before the serial preparation below, so its workers' start-up
        # (importing pandas and Prophet) overlaps it instead of delaying the first fits.
        runner = executor or _started_executor(jobs, method, problems, stack)
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
        kinds = tuple(day_factors)
        for q, s in series.items():
            for m in fitted_methods(candidates[q]):
                tasks.append(
                    _task(q, m, start, s, future, calendars[start], level, prophet_settings, kinds)
                )
                for o in origins:
                    fut = pd.date_range(o, periods=horizon_days * 1440 // minutes, freq=step)
                    t = _task(
                        q, m, o, s, fut, calendars[o], level, prophet_settings, kinds, final=False
                    )
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

        results = runner.map(run_task, tasks, on_result)
        results += _derived(tasks, results, candidates)
        return _assemble(
            results, series, candidates, notes, origins, future, calendars[start], level, minutes,
            warnings, first, last,
        )  # fmt: skip


def _started_executor(
    jobs: int, method: str, problems: list[Problem], stack: contextlib.ExitStack
) -> Executor:
    """The executor for ``jobs``, its pool already spawning (closed when ``stack`` exits)."""
    needs_prophet = method not in ("weekday_average", "seasonal_naive")
    runner = make_executor(jobs, warm_up if needs_prophet else None)
    if isinstance(runner, ProcessExecutor) and not problems:
        stack.enter_context(runner)
    return runner


def _derived(
    tasks: list[FitTask], results: list[FitResult], candidates: dict[str, list[str]]
) -> list[FitResult]:
    """Ensemble results combined from their members' results, per queue and origin."""
    members = [name for name, _ in ENSEMBLE_MEMBERS]
    by_key = {(r.queue, r.method, r.origin): (t, r) for t, r in zip(tasks, results, strict=True)}
    out = []
    for (q, m, o), (t, _r) in by_key.items():
        if m != members[0] or "ensemble" not in candidates[q]:
            continue
        found = [by_key.get((q, name, o)) for name in members]
        parts = [p[1] for p in found if p is not None]
        failed = [p.error for p in parts if p.error is not None]
        if len(parts) < len(members) or failed:
            error = failed[0] if failed else "a member is missing"
            out.append(FitResult(q, "ensemble", o, t.final, error=f"member failed: {error}"))
            continue
        out.append(combine_results(t, parts))
    return out


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
    day_factors: tuple[str, ...] = FACTOR_KINDS,
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
        day_factors,
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
        if picked == "ensemble" and (q, "prophet") in finals:
            result_json = finals[(q, "prophet")].model_json
        else:
            result_json = result.model_json
        if result_json is not None:
            model_json[q] = result_json
        if result.factors:
            notes[q].append(f"day factors: {result.factors}")
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
        choice = next((m for m in ("ensemble", "prophet") if m in usable), usable[0])
        notes.append(f"{choice} picked without accuracy evidence ({why})")
        return choice
    best = pick_method({m: w for w, m in scored})
    best_w = scores[(queue, best)].wmape
    others = ", ".join(f"{m} {w:.3f}" for w, m in sorted(scored) if m != best)
    origins = scores[(queue, best)].origins
    lowest = min(w for w, _ in scored)
    why = (
        "lowest backtest wMAPE"
        if best_w <= lowest
        else f"default kept (no other method {AUTO_MARGIN:.0%} better), backtest wMAPE"
    )
    notes.append(
        f"{best} picked: {why} {best_w:.3f} over {origins} origin(s)"
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
    "combine_results",
    "fitted_methods",
    "forecast_history",
    "pick_method",
    "run_task",
]
