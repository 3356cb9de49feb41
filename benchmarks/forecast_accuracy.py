"""Forecast accuracy on real data: Prophet recipe vs the baselines (issue 3, "Measure").

Data: Technion SEE lab "Anonymous Bank" (Israel, 1999), calls that asked for an agent, at
30-minute intervals (``agent_arrivals`` of the derived table). For every weekly rolling origin
with at least ``--min-train-weeks`` of history and a fully known 7-day horizon, each method is
trained on the data before the origin (opening hours inferred from those weeks only, Israeli
holidays from the ``holidays`` package) and scored on the next 7 days, through the very code
path of ``forecasts.core`` (``run_task`` + ``evaluation.score``).

Reported per method, pooled over origins: wMAPE, bias, 80 % interval coverage, the ratio of the
wMAPE to the Poisson floor Σ√(2A/π)/ΣA (the error of a perfect-rate forecast of Poisson
arrivals), weeks won against each baseline, and fit+predict seconds per series. The "auto" row
is the per-origin pick that ``method="auto"`` would make, from the 4 origins before each one.
A second part times ``jobs=1`` against ``jobs=2`` on many series (the call types of the raw
records, repeated to reach ``--series``).

Run (takes a few minutes on 2 cores)::

    .venv/bin/python benchmarks/forecast_accuracy.py --out benchmarks/results/forecast_accuracy.md
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from forecasts.calendars import (  # noqa: E402
    AFTER_HOLIDAY,
    HOURS_KINDS,
    MONTH_START,
    OPTIONAL_HOLIDAY,
    build_calendar,
)
from forecasts.core import (  # noqa: E402
    FitTask,
    combine_results,
    forecast_history,
    pick_method,
    run_task,
)
from forecasts.day_effects import FACTOR_KINDS  # noqa: E402
from forecasts.evaluation import Scores, seasonal_naive_mae  # noqa: E402
from forecasts.executor import ProcessExecutor, make_executor  # noqa: E402
from forecasts.models import HandleTimeModel, ProphetSettings, warm_up  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "anonymous-bank-1999"
METHODS = ("weekday_average", "seasonal_naive", "prophet")
MINUTES = 30
#: Suffix of the rows fitted without day factors ("before" of the day-factor comparison).
PLAIN = " (no day factors)"
#: Day kinds whose errors are reported separately.
KINDS = (AFTER_HOLIDAY, MONTH_START, OPTIONAL_HOLIDAY, "holiday or eve", "ordinary")


def load_series(data: Path) -> pd.Series:
    """Agent arrivals per 30-minute interval on a regular grid (missing month stays NaN)."""
    d = pd.read_csv(
        data / "derived_30min_intervals_1999_9months.csv", parse_dates=["interval_start"]
    )
    s = d.set_index("interval_start")["agent_arrivals"].astype(float)
    grid = pd.date_range(s.index.min().normalize(), s.index.max(), freq=f"{MINUTES}min")
    return s.reindex(grid)


def origins_for(s: pd.Series, min_train_weeks: int, horizon_days: int) -> list[pd.Timestamp]:
    """Weekly origins (same weekday as the last possible one) with a fully known horizon."""
    end = (s.index.max() + pd.Timedelta(days=1)).normalize()
    latest = end - pd.Timedelta(days=horizon_days)
    earliest = s.index.min() + pd.Timedelta(weeks=min_train_weeks)
    out = []
    t = latest
    while t >= earliest:
        window = s[(s.index >= t) & (s.index < t + pd.Timedelta(days=horizon_days))]
        if window.notna().all() and len(window) == horizon_days * 1440 // MINUTES:
            out.append(t)
        t -= pd.Timedelta(weeks=1)
    return sorted(out)


def backtest(
    s: pd.Series,
    origins: list[pd.Timestamp],
    settings: ProphetSettings,
    horizon_days: int,
    jobs: int,
    country: str,
    variants: dict[str, tuple[str, ...]],
) -> pd.DataFrame:
    """One row per origin x method (x day-factor variant) with scores, forecast and timing.

    ``variants`` maps a method-name suffix to the day-factor kinds of that variant. The ensemble
    is combined from its members exactly as ``forecast_history`` does it.
    """
    tasks = []
    hist = pd.DataFrame({"ds": s.index, "offered": s.to_numpy()})
    for o in origins:
        cal = build_calendar(s, o, horizon_days, MINUTES, country=country)
        fut = pd.date_range(o, periods=horizon_days * 1440 // MINUTES, freq=f"{MINUTES}min")
        train = hist[hist["ds"] < o]
        naive = seasonal_naive_mae(train.set_index("ds")["offered"], MINUTES)
        actual = s.reindex(fut).to_numpy()
        for kinds in variants.values():
            for m in METHODS:
                tasks.append(
                    FitTask("bank", m, o, train, fut, cal, 0.8, settings, False, actual, naive,
                            kinds)
                )  # fmt: skip
    results = make_executor(jobs, warm_up).map(run_task, tasks)
    suffix = {kinds: name for name, kinds in variants.items()}
    done = {}
    for t, r in zip(tasks, results, strict=True):
        if r.error:
            raise RuntimeError(f"{t.method} at {t.origin}: {r.error}")
        done[(t.origin, t.method, t.day_factors)] = (t, r)
    for (o, m, kinds), (t, _r) in list(done.items()):
        if m == "prophet":
            parts = [done[(o, "prophet", kinds)][1], done[(o, "weekday_average", kinds)][1]]
            done[(o, "ensemble", kinds)] = (t, combine_results(t, parts))
    rows = []
    for (o, m, kinds), (t, r) in done.items():
        assert r.scores is not None and r.forecast is not None
        y = t.actual if t.actual is not None else np.zeros(0)
        open_ = t.calendar.is_open(t.future)
        floor = float(np.sqrt(2 * y[open_] / np.pi).sum())
        rows.append(
            {"origin": o, "method": m + suffix[kinds], "scores": r.scores, "floor": floor,
             "seconds": r.seconds, "forecast": r.forecast["offered"].to_numpy(),
             "actual": y, "kind": _day_kind(t)}
        )  # fmt: skip
    return pd.DataFrame(rows)


def _day_kind(t: FitTask) -> np.ndarray:
    """Kind of each forecast interval's day for the per-kind table (first that applies)."""
    out = []
    for d in t.future.date:
        ks = t.calendar.kinds.get(d, ())
        if any(k in HOURS_KINDS for k in ks):
            out.append("holiday or eve")
        elif AFTER_HOLIDAY in ks:
            out.append(AFTER_HOLIDAY)
        elif MONTH_START in ks:
            out.append(MONTH_START)
        elif OPTIONAL_HOLIDAY in ks:
            out.append(OPTIONAL_HOLIDAY)
        else:
            out.append("ordinary" if not ks else "other")
    return np.array(out)


def add_auto(
    rows: pd.DataFrame, lookback: int, margin: float, candidates: tuple[str, ...], name: str
) -> tuple[pd.DataFrame, pd.Series]:
    """Rows of the method ``auto`` picks at each origin from the ``lookback`` origins before.

    The pick is ``forecasts.core.pick_method`` (shrinkage toward the default method by
    ``margin``) on the wMAPE pooled over those origins.
    """
    origins = sorted(rows["origin"].unique())
    out, picks = [], []
    for i, o in enumerate(origins):
        prior = rows[
            rows["origin"].isin(origins[max(0, i - lookback) : i]) & rows["method"].isin(candidates)
        ]
        if prior.empty:
            # No evidence yet: the default method (ensemble, else prophet) of this candidate set.
            first = [c for m in ("ensemble", "prophet") for c in candidates if c.split()[0] == m]
            pick = first[0]
        else:
            pooled = {m: sum(g["scores"], Scores()).wmape for m, g in prior.groupby("method")}
            pick = pick_method(pooled, margin)
        row = rows[(rows["origin"] == o) & (rows["method"] == pick)].iloc[0].to_dict()
        row["method"] = name
        out.append(row)
        picks.append(pick)
    return pd.concat([rows, pd.DataFrame(out)], ignore_index=True), pd.Series(picks, name=name)


def per_kind(rows: pd.DataFrame, methods: list[str]) -> pd.DataFrame:
    """wMAPE and bias per day kind, and the day-total error, pooled over origins."""
    out = []
    for m in methods:
        g = rows[rows["method"] == m]
        for kind in KINDS:
            err = act = abs_err = 0.0
            days = 0
            day_abs = day_act = 0.0
            for r in g.itertuples():
                on = (r.kind == kind) & np.isfinite(r.actual)
                if not on.any():
                    continue
                y, f = r.actual[on], r.forecast[on]
                abs_err += float(np.abs(f - y).sum())
                err += float((f - y).sum())
                act += float(y.sum())
                # Day totals: 48 intervals per day, in order.
                nd = int(on.sum()) // (1440 // MINUTES)
                days += nd
                yd = y.reshape(nd, -1).sum(axis=1)
                fd = f.reshape(nd, -1).sum(axis=1)
                day_abs += float(np.abs(fd - yd).sum())
                day_act += float(yd.sum())
            if act > 0:
                out.append({"method": m, "kind": kind, "days": days, "wmape": abs_err / act,
                            "bias": err / act, "day_ape": day_abs / day_act})  # fmt: skip
    return pd.DataFrame(out)


def handle_time(data: Path, origins: list[pd.Timestamp], horizon_days: int, country: str
                ) -> pd.DataFrame:  # fmt: skip
    """AHT backtest: ``HandleTimeModel`` vs the 4-week volume-weighted mean AHT.

    Error = Σ served·|aht - âht| / Σ served·aht over the horizon's intervals with calls served
    (a volume-weighted wMAPE: an interval's AHT error matters in proportion to its workload).
    """
    d = pd.read_csv(
        data / "derived_30min_intervals_1999_9months.csv", parse_dates=["interval_start"]
    ).set_index("interval_start")
    grid = pd.date_range(d.index.min().normalize(), d.index.max(), freq=f"{MINUTES}min")
    d = d.reindex(grid)
    vol = d["agent_arrivals"].astype(float)
    hist = pd.DataFrame(
        {"ds": grid, "offered": d["served"].to_numpy(dtype=float),
         "aht_s": d["mean_ser_time_s"].to_numpy(dtype=float)}
    )  # fmt: skip
    rows = []
    for o in origins:
        cal = build_calendar(vol, o, horizon_days, MINUTES, country=country)
        fut = pd.date_range(o, periods=horizon_days * 1440 // MINUTES, freq=f"{MINUTES}min")
        train = hist[(hist["ds"] < o) & hist["offered"].notna()]
        test = hist.set_index("ds").reindex(fut)
        w = test["offered"].to_numpy(dtype=float)
        a = test["aht_s"].to_numpy(dtype=float)
        ok = np.isfinite(w) & np.isfinite(a) & (w > 0)
        model = HandleTimeModel(cal).fit(train).predict(fut)
        recent = train[train["ds"] >= o - pd.Timedelta(weeks=4)]
        rw, ra = recent["offered"].to_numpy(), recent["aht_s"].to_numpy()
        rok = np.isfinite(ra) & (rw > 0)
        flat = float((rw[rok] * ra[rok]).sum() / rw[rok].sum())
        for name, pred in (
            ("handle_time model", model),
            ("4-week mean AHT", np.full(len(fut), flat)),
        ):
            rows.append({"origin": o, "method": name,
                         "abs": float((w[ok] * np.abs(pred[ok] - a[ok])).sum()),
                         "err": float((w[ok] * (pred[ok] - a[ok])).sum()),
                         "act": float((w[ok] * a[ok]).sum())})  # fmt: skip
    return pd.DataFrame(rows)


def summarise(rows: pd.DataFrame, wavg_name: str, snaive_name: str) -> pd.DataFrame:
    """Pooled metrics per method, with weeks won against the (plain) baselines."""
    per_origin = rows.assign(w=rows["scores"].map(lambda s: s.wmape)).pivot_table(
        index="origin", columns="method", values="w"
    )
    wavg = sum(rows[rows["method"] == wavg_name]["scores"], Scores()).wmape
    snaive = sum(rows[rows["method"] == snaive_name]["scores"], Scores()).wmape
    out = []
    for m, g in rows.groupby("method", sort=False):
        total = sum(g["scores"], Scores())
        floor = g["floor"].sum() / total.actual
        out.append(
            {
                "method": m,
                "wmape": total.wmape,
                "bias": total.bias,
                "coverage80": total.coverage,
                "mase": total.mase,
                "x_floor": total.wmape / floor,
                "vs_wavg": total.wmape / wavg,
                "vs_snaive": total.wmape / snaive,
                "wins_vs_wavg": int((per_origin[m] < per_origin[wavg_name]).sum()),
                "wins_vs_snaive": int((per_origin[m] < per_origin[snaive_name]).sum()),
                "weeks": len(g),
                "s_per_fit": g["seconds"].mean(),
            }
        )
    return pd.DataFrame(out)


def raw_type_series(data: Path) -> dict[str, pd.DataFrame]:
    """Per call type histories (queue, ds, offered, aht_s) from the raw per-call records."""
    frames = []
    for f in sorted((data / "raw_monthly").glob("*.txt")):
        r = pd.read_csv(f, sep="\t", dtype=str)
        r = r[r["q_start"].fillna("0:00:00") != "0:00:00"]  # asked for an agent
        day = pd.to_datetime(r["date"], format="%y%m%d")
        t = pd.to_timedelta(r["q_start"].str.strip())
        frames.append(
            pd.DataFrame(
                {
                    "queue": r["type"].str.strip(),
                    "ds": (day + t).dt.floor(f"{MINUTES}min"),
                    "ser": pd.to_numeric(r["ser_time"], errors="coerce"),
                }
            )
        )
    calls = pd.concat(frames, ignore_index=True)
    g = calls.groupby(["queue", "ds"]).agg(offered=("ser", "size"), aht=("ser", "mean"))
    out = {}
    for q, sub in g.reset_index().groupby("queue"):
        out[str(q)] = sub
    return out


def speed(data: Path, n_series: int, weeks: int) -> list[dict[str, object]]:
    """Wall time of forecast_history (prophet only, no backtest) with 1 and 2 jobs."""
    types = raw_type_series(data)
    big = sorted(types, key=lambda q: -types[q]["offered"].sum())
    grid = pd.date_range("1999-06-01", "1999-07-31 23:30", freq=f"{MINUTES}min")
    grid = grid[grid >= grid[-1] - pd.Timedelta(weeks=weeks)]
    frames = []
    for i in range(n_series):
        base = types[big[i % len(big)]].set_index("ds").reindex(grid)
        frames.append(
            pd.DataFrame(
                {
                    "queue": f"{big[i % len(big)]}-{i:02d}",
                    "ds": grid,
                    "offered": base["offered"].fillna(0.0).to_numpy(),
                    "aht_s": base["aht"].to_numpy(),
                }
            )
        )
    hist = pd.concat(frames, ignore_index=True)
    out: list[dict[str, object]] = []
    for jobs in (1, 2):
        load0 = os.getloadavg()[0]
        t0 = time.perf_counter()
        cpu0 = _cpu_seconds()
        # As forecast_history does for itself: the pool is spawned before its serial part.
        inner = make_executor(jobs, warm_up)
        if isinstance(inner, ProcessExecutor):
            inner.start()
        timed = _TimedExecutor(inner)
        run = forecast_history(
            hist, method="prophet", backtest_origins=0, executor=timed, country="IL"
        )
        if isinstance(inner, ProcessExecutor):
            inner.close()
        wall = time.perf_counter() - t0
        cpu = _cpu_seconds() - cpu0
        out.append(
            {
                "jobs": jobs,
                "series": n_series,
                "seconds": wall,
                "s_per_series": wall / n_series,
                "cpu_seconds": cpu,
                "outside_pool": wall - timed.wall,
                "task_wall": timed.task_wall,
                "task_cpu": timed.task_cpu,
                "load_before": load0,
                "load_avg_1min": os.getloadavg()[0],
                "rows": len(run.frame),
            }
        )
    return out


class _TimedExecutor:
    """Wraps an executor to record the wall time of ``map`` and the tasks' own wall/CPU time."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.wall = self.task_wall = self.task_cpu = 0.0

    def map(self, fn: Any, items: Any, on_result: Any = None) -> list[Any]:
        t0 = time.perf_counter()
        results: list[Any] = self.inner.map(fn, items, on_result)
        self.wall += time.perf_counter() - t0
        self.task_wall += sum(r.seconds for r in results)
        self.task_cpu += sum(r.cpu_seconds for r in results)
        return results


def _cpu_seconds() -> float:
    """CPU seconds of this process and its finished children (the pool's workers)."""
    import resource

    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def git_commit() -> str:
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
            check=True,
        ).stdout.strip()  # fmt: skip
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def markdown(
    summary: pd.DataFrame,
    speed_rows: list[dict[str, object]],
    args: argparse.Namespace,
    n_origins: int,
    settings: ProphetSettings,
    picks: dict[str, pd.Series],
    autos: dict[str, str],
    kinds: pd.DataFrame,
    aht: pd.DataFrame,
    wavg_name: str,
    snaive_name: str,
    backtest_seconds: float,
    backtest_load: float,
) -> str:
    lines = [
        "# Forecast accuracy: Anonymous Bank (Israel, 1999), calls asking for an agent",
        "",
        f"- date: {pd.Timestamp.now():%Y-%m-%d %H:%M}; commit: {git_commit()}; machine: "
        f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        f"- command: `.venv/bin/python benchmarks/forecast_accuracy.py {' '.join(sys.argv[1:])}`",
        f"- backtest wall time {backtest_seconds:.0f} s with --jobs {args.jobs}, load average "
        f"(1 min) {backtest_load:.1f} at its end (2 cores shared with other work)",
        f"- {n_origins} weekly rolling origins, 7-day horizon, 30-minute intervals, >= "
        f"{args.min_train_weeks} weeks of training before each, fully known horizons only "
        "(August 1999 is missing from the data)",
        f"- Prophet recipe: {settings}",
        f"- day factors (default on every method): {', '.join(FACTOR_KINDS)} days scaled by a "
        "factor learned from their past occurrences (`forecasts/day_effects.py`); rows marked "
        f"`{PLAIN.strip()}` are the same methods without them",
        "- ensemble = 0.5 x prophet + 0.5 x weekday_average (point and bounds), combined from "
        "the members' forecasts as `forecast_history` does",
        "- ratios and weeks won are against the plain baselines "
        f"(`{wavg_name}`, `{snaive_name}`): the honest benchmark is the unadjusted 4-week average",
        "- wMAPE/bias/coverage pooled over all intervals of all origins; coverage over open "
        "intervals; x_floor = wMAPE / (Σ√(2A/π)/ΣA), the Poisson noise floor; wins = weeks "
        "with lower wMAPE than that baseline; s per fit = wall seconds of one fit+predict while "
        f"--jobs {args.jobs} workers share the machine (ensemble: sum of its members)",
    ]
    for name, how in autos.items():
        counts = ", ".join(f"{m} {int(n)}x" for m, n in picks[name].value_counts().items())
        lines.append(f"- {name} = {how} (picked: {counts})")
    lines += [
        '- Data: Technion SEE lab, "Anonymous Bank" call-centre records.',
        "",
        "| method | wMAPE | bias | 80% coverage | MASE | x Poisson floor | vs 4-wk avg "
        "| vs seasonal naive | weeks won vs avg | weeks won vs naive | s per fit |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in summary.itertuples():
        lines.append(
            f"| {r.method} | {r.wmape:.4f} | {r.bias:+.2%} | {r.coverage80:.1%} | {r.mase:.3f} "
            f"| {r.x_floor:.2f} | {r.vs_wavg:.3f} | {r.vs_snaive:.3f} "
            f"| {r.wins_vs_wavg}/{r.weeks} | {r.wins_vs_snaive}/{r.weeks} | {r.s_per_fit:.2f} |"
        )
    if len(kinds):
        lines += [
            "",
            "## Errors per day kind (same origins)",
            "",
            "Interval wMAPE and bias on the days of each kind in the scored horizons, and the "
            "error of the day totals (Σ|day forecast - day actual| / Σ day actual); a day of "
            "several kinds counts under the first of: holiday or eve (own opening hours), "
            "after_holiday, month_start, optional_holiday.",
            "",
            "| method | kind | days | wMAPE | bias | day-total error |",
            "|---|---|---|---|---|---|",
        ]
        for r in kinds.itertuples():
            lines.append(
                f"| {r.method} | {r.kind} | {r.days} | {r.wmape:.4f} | {r.bias:+.2%} "
                f"| {r.day_ape:.3f} |"
            )
    if len(aht):
        lines += [
            "",
            "## Handle time (same origins)",
            "",
            "AHT = `mean_ser_time_s` per interval, weighted by calls served: error = "
            "Σ served·|aht - forecast| / Σ served·aht, bias likewise signed. `handle_time model` "
            "is `forecasts.models.HandleTimeModel` (8 weeks, weekday x interval, shrunk toward "
            "the interval and queue means); the baseline is one volume-weighted mean over the "
            "last 4 weeks.",
            "",
            "| method | weighted wMAPE | bias | weeks won vs 4-week mean |",
            "|---|---|---|---|",
        ]
        wide = aht.assign(w=aht["abs"] / aht["act"]).pivot_table(
            index="origin", columns="method", values="w"
        )
        for m, g in aht.groupby("method", sort=False):
            wins = int((wide[m] < wide["4-week mean AHT"]).sum())
            lines.append(
                f"| {m} | {g['abs'].sum() / g['act'].sum():.4f} | "
                f"{g['err'].sum() / g['act'].sum():+.2%} | {wins}/{len(g)} |"
            )
    if speed_rows:
        lines += [
            "",
            '## Many series: `forecast_history(method="prophet", backtest_origins=0)`',
            "",
            "Call types of the raw records (repeated to reach the count), "
            f"{args.speed_weeks} weeks of history each, 7-day horizon.",
            "",
            "| jobs | series | wall s | s per series | CPU s (all) | Σ task CPU s "
            "| Σ task wall s | outside the pool s | speed-up | load avg before / after |",
            "|---|---|---|---|---|---|---|---|---|---|",
        ]
        base = float(speed_rows[0]["seconds"])  # type: ignore[arg-type]
        for r in speed_rows:
            sec = float(r["seconds"])  # type: ignore[arg-type]
            lines.append(
                f"| {r['jobs']} | {r['series']} | {sec:.1f} | "
                f"{float(r['s_per_series']):.2f} | {float(r['cpu_seconds']):.0f} | "  # type: ignore[arg-type]
                f"{float(r['task_cpu']):.0f} | {float(r['task_wall']):.0f} | "  # type: ignore[arg-type]
                f"{float(r['outside_pool']):.1f} | {base / sec:.2f}x | "  # type: ignore[arg-type]
                f"{float(r['load_before']):.1f} / {float(r['load_avg_1min']):.1f} |"  # type: ignore[arg-type]
            )
        lines += [
            "",
            "CPU s (all) = this process and its children (workers, cmdstan); Σ task CPU / wall = "
            "what the fits themselves used, summed over tasks; outside the pool = validation, "
            "calendar, task building and assembly in the main process (the serial part). When "
            "Σ task wall grows with 2 jobs while Σ task CPU does not, the fits were waiting for "
            "a core (the load average shows the other work on the shared 2-core machine).",
        ]
    return "\n".join(lines) + "\n"


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--data", type=Path, default=DATA)
    p.add_argument("--min-train-weeks", type=int, default=8)
    p.add_argument("--max-origins", type=int, default=0, help="0 = all eligible origins")
    p.add_argument("--jobs", type=int, default=2)
    p.add_argument("--country", default="IL")
    p.add_argument("--train-weeks", type=int, default=None, help="override the recipe")
    p.add_argument("--growth", default=None)
    p.add_argument("--fourier-order", type=int, default=None)
    p.add_argument("--inflation", type=float, default=None)
    p.add_argument("--series", type=int, default=0, help="many-series timing; 0 skips it")
    p.add_argument(
        "--day-factors", choices=("both", "on", "off"), default="both",
        help="backtest with day factors, without, or both (before/after rows)",
    )  # fmt: skip
    p.add_argument("--speed-weeks", type=int, default=8)
    p.add_argument("--out", type=Path, default=None)
    args = p.parse_args()

    settings = ProphetSettings()
    if args.train_weeks is not None:
        settings = replace(settings, train_weeks=args.train_weeks or None)
    if args.growth is not None:
        settings = replace(settings, growth=args.growth)
    if args.fourier_order is not None:
        settings = replace(settings, fourier_order=args.fourier_order)
    if args.inflation is not None:
        settings = replace(settings, interval_inflation=args.inflation)

    s = load_series(args.data)
    origins = origins_for(s, args.min_train_weeks, 7)
    if args.max_origins:
        origins = origins[-args.max_origins :]
    variants = {"": FACTOR_KINDS, PLAIN: ()}
    if args.day_factors != "both":
        variants = {"": FACTOR_KINDS} if args.day_factors == "on" else {"": ()}
    t0 = time.perf_counter()
    rows = backtest(s, origins, settings, 7, args.jobs, args.country, variants)
    backtest_seconds, backtest_load = time.perf_counter() - t0, os.getloadavg()[0]
    plain = PLAIN if PLAIN in variants else ""
    picks: dict[str, pd.Series] = {}
    autos = {
        "auto (before)": ("prophet, weekday_average, seasonal_naive", 4, 0.0),
        "auto": ("prophet, weekday_average, seasonal_naive, ensemble", 4, 0.03),
        "auto 8": ("prophet, weekday_average, seasonal_naive, ensemble", 8, 0.03),
        "auto 8 no-margin": ("prophet, weekday_average, seasonal_naive, ensemble", 8, 0.0),
    }
    how = {}
    for name, (cands, lookback, margin) in autos.items():
        candidates = tuple(c.strip() for c in cands.split(","))
        suffix = plain if name == "auto (before)" else ""
        rows, picks[name] = add_auto(
            rows, lookback, margin, tuple(c + suffix for c in candidates), name
        )
        how[name] = (
            f"`pick_method` over {{{cands}}}{suffix} on the {lookback} origins before each "
            f"origin, margin {margin:.0%} toward the default"
        )
    wavg_name, snaive_name = "weekday_average" + plain, "seasonal_naive" + plain
    summary = summarise(rows, wavg_name, snaive_name)
    methods = [m for m in summary["method"] if not m.startswith("auto")]
    kinds = per_kind(rows, methods)
    aht = handle_time(args.data, origins, 7, args.country)
    print(f"{len(origins)} origins in {backtest_seconds:.0f} s", file=sys.stderr)
    with pd.option_context("display.width", 200, "display.max_columns", 20):
        print(summary.round(4).to_string(index=False))
        print(kinds.round(4).to_string(index=False))
        print(aht.groupby("method")[["abs", "act"]].sum().eval("abs / act"))
    speed_rows = speed(args.data, args.series, args.speed_weeks) if args.series else []
    for r in speed_rows:
        print(r)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(
            markdown(summary, speed_rows, args, len(origins), settings, picks, how, kinds, aht,
                     wavg_name, snaive_name, backtest_seconds, backtest_load)
        )  # fmt: skip
        print(f"wrote {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
