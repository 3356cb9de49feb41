"""The bundled Anonymous Bank example: package data, consistency, and a reproducible derivation.

The package-data tests need nothing outside the repository. The derivation tests read the raw
records from ``$WFM_BANK_DATA`` or ``../shared/data/anonymous-bank-1999`` next to the repository
and are skipped with a reason when neither exists.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import os
import sys
from pathlib import Path
from types import ModuleType

import pandas as pd
import pytest

from forecasts.schema import read_history, validate_history
from scheduler.examples import example_path
from scheduler.scenario import load_scenario

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "scripts" / "build_example.py"


def _data_dir() -> Path | None:
    """The raw data directory, or ``None`` if it is not on this machine."""
    candidates = [os.environ.get("WFM_BANK_DATA"), REPO.parent / "shared/data/anonymous-bank-1999"]
    for candidate in candidates:
        if candidate and (Path(candidate) / "raw_monthly" / "3.txt").is_file():
            return Path(candidate)
    return None


DATA = _data_dir()
needs_data = pytest.mark.skipif(
    DATA is None,
    reason="raw Anonymous Bank records not found (set WFM_BANK_DATA to the anonymous-bank-1999 "
    "directory to run the derivation tests)",
)


@pytest.fixture(scope="module")
def builder() -> ModuleType:
    """The example-building script, imported as a module (``scripts/`` is not a package)."""
    spec = importlib.util.spec_from_file_location("build_example", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("build_example", module)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def history() -> pd.DataFrame:
    """The bundled history, read through the forecaster's reader."""
    return read_history(example_path("bank/history.csv"))


def test_files_are_package_data() -> None:
    """The example ships inside the ``scheduler`` package, small enough for a wheel."""
    for name in ("scenario.yaml", "history.csv", "README.md"):
        path = example_path(f"bank/{name}")
        assert path.is_file()
        assert path.stat().st_size < 3_000_000
    assert example_path("bank").is_dir()
    readme = example_path("bank/README.md").read_text(encoding="utf-8")
    assert "Technion" in readme and "Anonymous Bank" in readme


def test_unknown_example_names_the_known_ones() -> None:
    """A wrong name fails with the list of bundled examples."""
    with pytest.raises(FileNotFoundError, match="bank"):
        example_path("nope/scenario.yaml")


def test_scenario_loads_and_has_the_advertised_shape() -> None:
    """The scenario passes the loader and holds about 60 agents on six queues."""
    scenario = load_scenario(example_path("bank/scenario.yaml"))
    assert scenario.site.timezone == "Asia/Jerusalem"
    assert scenario.site.interval_minutes == 30
    assert 50 <= len(scenario.agents) <= 70
    channels = sorted({q.channel.value for q in scenario.queues})
    assert channels == ["chat", "email", "voice"]
    assert scenario.horizon.days == 7


def test_queues_match_between_history_and_scenario(history: pd.DataFrame) -> None:
    """Every history queue is in the scenario, every scenario queue has history."""
    scenario = load_scenario(example_path("bank/scenario.yaml"))
    assert set(history["queue"]) == {q.id for q in scenario.queues}


def test_history_is_clean_and_gap_free(history: pd.DataFrame) -> None:
    """No problems at all under the history contract, and every interval of every day present."""
    assert validate_history(history) == []
    assert not history.duplicated(["queue", "ds"]).any()
    for queue, ds in history.groupby("queue")["ds"]:
        expected = pd.date_range(ds.min(), ds.max(), freq="30min")
        assert len(ds) == len(expected), queue
        assert (ds.sort_values().to_numpy() == expected.to_numpy()).all(), queue
        assert ds.min().time() == dt.time(0, 0) and ds.max().time() == dt.time(23, 30)
    days = history["ds"].dt.normalize().nunique()
    assert days % 7 == 0 and 12 * 7 <= days <= 16 * 7
    assert (history["offered"] >= 0).all() and (history["abandoned"] <= history["offered"]).all()


def test_horizon_starts_the_day_after_history_on_a_sunday(history: pd.DataFrame) -> None:
    """The roster week follows the history directly and starts the Israeli week."""
    scenario = load_scenario(example_path("bank/scenario.yaml"))
    last_day = history["ds"].max().date()
    assert scenario.horizon.start == last_day + dt.timedelta(days=1)
    assert scenario.horizon.start.weekday() == 6  # Sunday
    assert history["ds"].min().weekday() == 6


def test_demand_falls_in_opening_hours(history: pd.DataFrame) -> None:
    """Almost all contacts of the immediate queues arrive while the site is open."""
    scenario = load_scenario(example_path("bank/scenario.yaml"))
    immediate = history[history["queue"] != "email"]
    minutes = immediate["ds"].dt.hour * 60 + immediate["ds"].dt.minute
    is_open = [
        scenario.site.is_open(ts.date(), m) for ts, m in zip(immediate["ds"], minutes, strict=True)
    ]
    share = immediate.loc[is_open, "offered"].sum() / immediate["offered"].sum()
    assert share > 0.98


@needs_data
def test_derivation_is_deterministic(builder: ModuleType) -> None:
    """One week of March built twice with one seed gives identical frames; the seed matters."""
    assert DATA is not None
    prepared = builder.prepare_calls(builder.read_calls(DATA, [3]))
    start = dt.date(1999, 3, 7)
    first = builder.build_history(prepared, start, 7, seed=7)
    second = builder.build_history(prepared, start, 7, seed=7)
    pd.testing.assert_frame_equal(first, second)
    assert len(first) == 6 * 7 * 48
    other = builder.build_history(prepared, start, 7, seed=8)
    voice = first["queue"].str.startswith("voice_")
    pd.testing.assert_frame_equal(first[voice], other[voice])
    assert not first[~voice].equals(other[~voice])
    assert builder.build_agents(start, 7) == builder.build_agents(start, 7)


@needs_data
def test_bundled_files_are_what_the_script_builds(builder: ModuleType, tmp_path: Path) -> None:
    """Rerunning the script with its defaults reproduces the bundled files byte for byte."""
    assert DATA is not None
    assert builder.main(["--data", str(DATA), "--out", str(tmp_path)]) == 0
    for name in ("history.csv", "scenario.yaml"):
        assert (tmp_path / name).read_bytes() == example_path(f"bank/{name}").read_bytes(), name
