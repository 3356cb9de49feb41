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

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from forecasts.calendars import build_calendar  # noqa: E402
from forecasts.core import FitTask, forecast_history, run_task  # noqa: E402
from forecasts.evaluation import Scores, seasonal_naive_mae  # noqa: E402
from forecasts.executor import make_executor  # noqa: E402
from forecasts.models import ProphetSettings  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "anonymous-bank-1999"
METHODS = ("weekday_average", "seasonal_naive", "prophet")
MINUTES = 30


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
) -> pd.DataFrame:
    """One row per origin x method with the scores and timing."""
    tasks = []
    hist = pd.DataFrame({"ds": s.index, "offered": s.to_numpy()})
    for o in origins:
        cal = build_calendar(s, o, horizon_days, MINUTES, country=country)
        fut = pd.date_range(o, periods=horizon_days * 1440 // MINUTES, freq=f"{MINUTES}min")
        train = hist[hist["ds"] < o]
        naive = seasonal_naive_mae(train.set_index("ds")["offered"], MINUTES)
        actual = s.reindex(fut).to_numpy()
        for m in METHODS:
            tasks.append(
                FitTask("bank", m, o, train, fut, cal, 0.8, settings, False, actual, naive)
            )
    results = make_executor(jobs).map(run_task, tasks)
    rows = []
    for t, r in zip(tasks, results, strict=True):
        if r.error:
            raise RuntimeError(f"{t.method} at {t.origin}: {r.error}")
        assert r.scores is not None
        y = t.actual if t.actual is not None else np.zeros(0)
        open_ = t.calendar.is_open(t.future)
        floor = float(np.sqrt(2 * y[open_] / np.pi).sum())
        rows.append(
            {"origin": t.origin, "method": t.method, "scores": r.scores, "floor": floor,
             "seconds": r.seconds}
        )  # fmt: skip
    return pd.DataFrame(rows)


def add_auto(rows: pd.DataFrame, lookback: int) -> pd.DataFrame:
    """Rows of the method ``auto`` would pick at each origin (best wMAPE on prior origins)."""
    origins = sorted(rows["origin"].unique())
    out = []
    for i, o in enumerate(origins):
        prior = rows[rows["origin"].isin(origins[max(0, i - lookback) : i])]
        if prior.empty:
            pick = "prophet"
        else:
            pooled = {m: sum(g["scores"], Scores()).wmape for m, g in prior.groupby("method")}
            pick = min(pooled, key=lambda m: pooled[m])
        row = rows[(rows["origin"] == o) & (rows["method"] == pick)].iloc[0].to_dict()
        row["method"], row["picked"] = "auto", pick
        out.append(row)
    return pd.concat([rows, pd.DataFrame(out)], ignore_index=True)


def summarise(rows: pd.DataFrame) -> pd.DataFrame:
    """Pooled metrics per method, with weeks won against the baselines."""
    per_origin = rows.assign(w=rows["scores"].map(lambda s: s.wmape)).pivot_table(
        index="origin", columns="method", values="w"
    )
    wavg = sum(rows[rows["method"] == "weekday_average"]["scores"], Scores()).wmape
    snaive = sum(rows[rows["method"] == "seasonal_naive"]["scores"], Scores()).wmape
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
                "wins_vs_wavg": int((per_origin[m] < per_origin["weekday_average"]).sum()),
                "wins_vs_snaive": int((per_origin[m] < per_origin["seasonal_naive"]).sum()),
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
        t0 = time.perf_counter()
        cpu0 = _cpu_seconds()
        run = forecast_history(hist, method="prophet", backtest_origins=0, jobs=jobs, country="IL")
        wall = time.perf_counter() - t0
        cpu = _cpu_seconds() - cpu0
        out.append(
            {
                "jobs": jobs,
                "series": n_series,
                "seconds": wall,
                "s_per_series": wall / n_series,
                "cpu_seconds": cpu,
                "load_avg_1min": os.getloadavg()[0],
                "rows": len(run.frame),
            }
        )
    return out


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


def markdown(summary: pd.DataFrame, speed_rows: list[dict[str, object]], args: argparse.Namespace,
             n_origins: int, settings: ProphetSettings, picks: pd.Series) -> str:  # fmt: skip
    lines = [
        "# Forecast accuracy: Anonymous Bank (Israel, 1999), calls asking for an agent",
        "",
        f"- date: {pd.Timestamp.now():%Y-%m-%d %H:%M}; commit: {git_commit()}; machine: "
        f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        f"- command: `.venv/bin/python benchmarks/forecast_accuracy.py {' '.join(sys.argv[1:])}`",
        f"- {n_origins} weekly rolling origins, 7-day horizon, 30-minute intervals, >= "
        f"{args.min_train_weeks} weeks of training before each, fully known horizons only "
        "(August 1999 is missing from the data)",
        f"- Prophet recipe: {settings}",
        "- wMAPE/bias/coverage pooled over all intervals of all origins; coverage over open "
        "intervals; x_floor = wMAPE / (Σ√(2A/π)/ΣA), the Poisson noise floor; wins = weeks "
        "with lower wMAPE than that baseline; s per fit = wall seconds of one fit+predict while "
        f"--jobs {args.jobs} workers share the machine (CPU cost per series: see the table below)",
        '- auto = the method `method="auto"` picks at each origin from the 4 origins before '
        f"it (picked: {', '.join(f'{m} {int(n)}x' for m, n in picks.value_counts().items())})",
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
    if speed_rows:
        lines += [
            "",
            '## Many series: `forecast_history(method="prophet", backtest_origins=0)`',
            "",
            "Call types of the raw records (repeated to reach the count), "
            f"{args.speed_weeks} weeks of history each, 7-day horizon.",
            "",
            "| jobs | series | wall s | s per series | CPU s | speed-up | load avg (1 min) |",
            "|---|---|---|---|---|---|---|",
        ]
        base = float(speed_rows[0]["seconds"])  # type: ignore[arg-type]
        for r in speed_rows:
            sec = float(r["seconds"])  # type: ignore[arg-type]
            lines.append(
                f"| {r['jobs']} | {r['series']} | {sec:.1f} | "
                f"{float(r['s_per_series']):.2f} | {float(r['cpu_seconds']):.0f} | "  # type: ignore[arg-type]
                f"{base / sec:.2f}x | {float(r['load_avg_1min']):.1f} |"  # type: ignore[arg-type]
            )
        lines += [
            "",
            "The load average column shows what else ran on the shared 2-core machine: a speed-up "
            "needs idle cores, so read it together with the CPU seconds (pool overhead).",
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
    t0 = time.perf_counter()
    rows = add_auto(backtest(s, origins, settings, 7, args.jobs, args.country), lookback=4)
    summary = summarise(rows)
    print(f"{len(origins)} origins in {time.perf_counter() - t0:.0f} s", file=sys.stderr)
    with pd.option_context("display.width", 200, "display.max_columns", 20):
        print(summary.round(4).to_string(index=False))
    speed_rows = speed(args.data, args.series, args.speed_weeks) if args.series else []
    for r in speed_rows:
        print(r)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        picks = rows[rows["method"] == "auto"]["picked"]
        args.out.write_text(markdown(summary, speed_rows, args, len(origins), settings, picks))
        print(f"wrote {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
