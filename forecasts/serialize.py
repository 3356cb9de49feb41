"""Store a forecast run so a planner can reproduce and audit it; never pickle.

A run directory holds:

- ``forecast.csv``: the forecast frame (``FORECAST_COLUMNS``);
- ``metrics.csv``: the backtest metrics with the ``picked`` flag;
- ``metadata.json``: data range, interval length, level, method and note per queue, the
  versions of the libraries, and anything the caller adds (e.g. the history file's hash);
- ``models/<queue>.json``: each picked Prophet model in Prophet's own JSON serialisation
  (``prophet.serialize.model_to_json``), loadable with :func:`load_prophet_model`.

Pickle is never used: it executes code on load and breaks across library versions.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from importlib import metadata as importlib_metadata
from pathlib import Path
from typing import Any

import pandas as pd

from forecasts.core import ForecastRun
from forecasts.schema import FORECAST_COLUMNS

FORMAT_VERSION = 1


def _model_file(queue: str) -> str:
    """A safe, stable file name for a queue's model (queue names may hold any character)."""
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", queue).strip("._") or "queue"
    return f"{stem}-{abs(hash_text(queue)) % 10**8:08d}.json"


def hash_text(text: str) -> int:
    """A hash of a string that is stable across processes (unlike ``hash``)."""
    import hashlib

    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "big", signed=True)


def _versions() -> dict[str, str]:
    out = {}
    for pkg in ("prophet", "pandas", "numpy", "holidays"):
        try:
            out[pkg] = importlib_metadata.version(pkg)
        except importlib_metadata.PackageNotFoundError:
            out[pkg] = "not installed"
    return out


def save_run(
    run: ForecastRun, directory: str | Path, *, extra: Mapping[str, Any] | None = None
) -> Path:
    """Write a run to ``directory`` (created if needed) and return the directory.

    Parameters
    ----------
    run
        The forecast run.
    directory
        Target directory; existing files of a previous run are overwritten.
    extra
        JSON-serialisable metadata added under ``"extra"`` (inputs, who ran it, ...).
    """
    out = Path(directory)
    (out / "models").mkdir(parents=True, exist_ok=True)
    run.frame.to_csv(out / "forecast.csv", index=False)
    run.metrics.to_csv(out / "metrics.csv", index=False)
    models = {}
    for queue, text in run.model_json.items():
        name = _model_file(queue)
        (out / "models" / name).write_text(text)
        models[queue] = f"models/{name}"
    frame = run.frame
    meta = {
        "format_version": FORMAT_VERSION,
        "history_start": _iso(run.history_start),
        "history_end": _iso(run.history_end),
        "forecast_start": _iso(frame["ds"].min()) if len(frame) else None,
        "forecast_end": _iso(frame["ds"].max()) if len(frame) else None,
        "interval_minutes": run.interval_minutes,
        "level": run.level,
        "methods": run.methods,
        "notes": run.notes,
        "models": models,
        "warnings": [str(w) for w in run.warnings],
        "metrics": json.loads(run.metrics.to_json(orient="records")),
        "versions": _versions(),
        "extra": dict(extra or {}),
    }
    (out / "metadata.json").write_text(json.dumps(meta, indent=2, default=str))
    return out


def load_run(directory: str | Path) -> ForecastRun:
    """Read a run written by :func:`save_run`.

    Raises
    ------
    FileNotFoundError
        If a file of the run is missing.
    ValueError
        If the directory was written by an unknown format version.
    """
    d = Path(directory)
    meta = json.loads((d / "metadata.json").read_text())
    if meta.get("format_version") != FORMAT_VERSION:
        raise ValueError(f"unknown forecast run format {meta.get('format_version')!r} in {d}")
    frame = pd.read_csv(d / "forecast.csv", parse_dates=["ds"], dtype={"queue": "string"})
    frame = frame[list(FORECAST_COLUMNS)]
    metrics = pd.read_csv(d / "metrics.csv", dtype={"queue": "string"})
    model_json = {q: (d / rel).read_text() for q, rel in meta.get("models", {}).items()}
    return ForecastRun(
        frame=frame,
        metrics=metrics,
        notes=dict(meta.get("notes", {})),
        interval_minutes=int(meta["interval_minutes"]),
        history_start=_ts(meta.get("history_start")),
        history_end=_ts(meta.get("history_end")),
        level=float(meta["level"]),
        model_json=model_json,
    )


def load_prophet_model(directory: str | Path, queue: str) -> Any:
    """The fitted Prophet model of ``queue`` from a saved run (``prophet.Prophet``).

    Raises
    ------
    KeyError
        If the queue's picked method was not Prophet (no model saved).
    """
    from prophet.serialize import model_from_json

    run = load_run(directory)
    if queue not in run.model_json:
        raise KeyError(f"no Prophet model saved for queue {queue!r}")
    return model_from_json(run.model_json[queue])


def _iso(value: object) -> str | None:
    return None if value is None or pd.isna(value) else pd.Timestamp(value).isoformat()  # type: ignore[arg-type]


def _ts(value: str | None) -> pd.Timestamp | None:
    return None if value is None else pd.Timestamp(value)
