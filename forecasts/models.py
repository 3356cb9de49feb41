"""Volume and handle-time models for one queue, with sklearn verbs ``fit`` / ``predict``.

Every volume model takes the history of one queue (``ds``, ``offered``; ``NaN`` where unknown)
and predicts a frame ``ds, offered, offered_lo, offered_hi`` for the requested timestamps. Closed
intervals (from the :class:`~forecasts.calendars.Calendar`) are never fitted and are predicted
as exactly 0.

Uncertainty is handled the same way in all models, on the square-root scale where contact
counts have roughly constant variance (Poisson: Var √y ≈ 1/4): the model's residuals on that
scale are added to the point forecast, clipped at 0 and squared. The mean of those squares is
the point forecast (Duan's smearing estimator: squaring the mean of √y would be biased low by
the residual variance), and their quantiles are the prediction interval.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import warnings
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, Protocol

import numpy as np
import pandas as pd

from forecasts.calendars import HOURS_KINDS, WEEKDAY_NAMES, Calendar, day_matrix

#: Prophet's centre is capped at this multiple of the largest √volume seen in training.
_CAP_FACTOR = 1.5
#: Residuals kept for smearing; enough for stable 10 %/90 % quantiles, few enough to be fast.
_MAX_RESIDUALS = 400


class VolumeModel(Protocol):
    """What every volume model offers."""

    name: str

    def fit(self, history: pd.DataFrame) -> VolumeModel:
        """Learn from one queue's history (columns ``ds``, ``offered``)."""
        ...

    def predict(self, ds: pd.DatetimeIndex) -> pd.DataFrame:
        """Forecast ``ds, offered, offered_lo, offered_hi`` for the given interval starts."""
        ...


def _series(history: pd.DataFrame, column: str = "offered") -> pd.Series:
    """One column of a queue history as a float series indexed by ds."""
    s = pd.Series(
        history[column].to_numpy(dtype=float), index=pd.DatetimeIndex(history["ds"]), name=column
    )
    return s.sort_index()


def _minutes_of(index: pd.DatetimeIndex, calendar: Calendar | None) -> int:
    """Interval length from the calendar, else from the smallest step of the index."""
    if calendar is not None:
        return calendar.minutes
    steps = np.diff(index.as_unit("s").asi8)
    steps = steps[steps > 0]
    if len(steps) == 0:
        raise ValueError("cannot infer the interval length from fewer than two timestamps")
    return int(np.gcd.reduce(steps) // 60)


def _is_open(ds: pd.DatetimeIndex, calendar: Calendar | None) -> np.ndarray:
    if calendar is None:
        return np.ones(len(ds), dtype=bool)
    return calendar.is_open(ds)


def _unusual_days(dates: Sequence[dt.date], calendar: Calendar | None) -> set[dt.date]:
    """Dates whose opening hours are a special kind's (not representative of their weekday)."""
    if calendar is None:
        return set()
    return {d for d in dates if any(k in HOURS_KINDS for k in calendar.kinds.get(d, ()))}


def _smear(
    centre: np.ndarray, residuals: np.ndarray, level: float, widen: float = 1.0
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Point, low and high forecast from a centre on the sqrt scale and residuals on it.

    ``widen`` scales the residuals for the interval only: in-sample residuals understate
    out-of-sample error, but inflating them for the point would bias it upward.
    """
    centre = np.asarray(centre, dtype=float)
    r = np.asarray(residuals, dtype=float)
    r = r[np.isfinite(r)]
    if len(r) == 0:
        r = np.zeros(1)
    if len(r) > _MAX_RESIDUALS:
        # Mid-point quantiles: an even subsample that does not over-weight the extremes.
        r = np.quantile(r, (np.arange(_MAX_RESIDUALS) + 0.5) / _MAX_RESIDUALS)
    sq = np.square(np.clip(centre[:, None] + r[None, :], 0.0, None))
    point = sq.mean(axis=1)
    alpha = (1.0 - level) / 2.0
    lo = np.square(np.clip(centre + widen * np.quantile(r, alpha), 0.0, None))
    hi = np.square(np.clip(centre + widen * np.quantile(r, 1.0 - alpha), 0.0, None))
    return point, np.minimum(lo, point), np.maximum(hi, point)


def _frame(
    ds: pd.DatetimeIndex, open_: np.ndarray, point: np.ndarray, lo: np.ndarray, hi: np.ndarray
) -> pd.DataFrame:
    """Assemble the prediction frame, zero where closed."""
    out = pd.DataFrame(
        {
            "ds": ds,
            "offered": np.zeros(len(ds)),
            "offered_lo": np.zeros(len(ds)),
            "offered_hi": np.zeros(len(ds)),
        }
    )
    out.loc[open_, "offered"] = point
    out.loc[open_, "offered_lo"] = lo
    out.loc[open_, "offered_hi"] = hi
    return out


def _check_level(level: float) -> float:
    if not 0.0 < level < 1.0:
        raise ValueError(f"level must be between 0 and 1 (exclusive), got {level!r}")
    return float(level)


class _DayTableModel:
    """Shared machinery of the baselines: a date x interval-of-day matrix of the history."""

    name = "base"

    def __init__(self, calendar: Calendar | None = None, level: float = 0.8) -> None:
        self.calendar = calendar
        self.level = _check_level(level)
        self._table: np.ndarray | None = None  # weekday x slot point forecast on sqrt scale
        self._residuals = np.zeros(1)
        self._minutes = 0

    def _usable(self, history: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Value and open matrices, with unusual (special-hours) and closed days blanked."""
        s = _series(history)
        self._minutes = _minutes_of(pd.DatetimeIndex(s.index), self.calendar)
        mat = day_matrix(s, self._minutes)
        open_s = pd.Series(_is_open(pd.DatetimeIndex(s.index), self.calendar), index=s.index)
        open_mat = day_matrix(open_s.astype(float), self._minutes).fillna(0.0) > 0
        drop = _unusual_days(list(mat.index), self.calendar) | {
            d for d in mat.index if not open_mat.loc[d].any()
        }
        values = mat.where(open_mat)  # closed cells are not demand, keep them out of averages
        values.loc[sorted(drop)] = np.nan
        return values, open_mat

    def predict(self, ds: pd.DatetimeIndex) -> pd.DataFrame:
        """Forecast the given interval starts from the weekday x interval table."""
        if self._table is None:
            raise RuntimeError(f"{self.name}: call fit() before predict()")
        ds = pd.DatetimeIndex(ds)
        open_ = _is_open(ds, self.calendar)
        slot = ((ds.hour * 60 + ds.minute) // self._minutes).to_numpy()
        centre = self._table[ds.day_of_week.to_numpy(), slot][open_]
        centre = np.nan_to_num(centre, nan=0.0)
        # The table holds the square root of the point forecast itself (a mean of volumes, or
        # last week's volume), not a mean on the square-root scale: smearing would add the
        # residual variance on top (it added 1.6 points of bias to the 4-week average and 5.8
        # to seasonal naive in the bank backtest). The residuals give the interval only.
        _, lo, hi = _smear(centre, self._residuals, self.level)
        point = np.square(centre)
        return _frame(ds, open_, point, np.minimum(lo, point), np.maximum(hi, point))


class WeekdayIntervalAverage(_DayTableModel):
    """Mean per weekday x interval over the last ``weeks`` usable weeks.

    The honest benchmark of contact-centre forecasting. Days with special opening hours
    (holidays, their eves) and days that were closed are left out of the average; missing
    intervals are skipped, not counted as zero.
    """

    name = "weekday_average"

    def __init__(self, calendar: Calendar | None = None, level: float = 0.8, weeks: int = 4):
        super().__init__(calendar, level)
        if weeks < 1:
            raise ValueError(f"weeks must be at least 1, got {weeks!r}")
        self.weeks = int(weeks)

    def fit(self, history: pd.DataFrame) -> WeekdayIntervalAverage:
        """Average the last ``weeks`` usable days of each weekday, interval by interval."""
        values, _ = self._usable(history)
        sq = np.sqrt(values.to_numpy())
        slots = sq.shape[1]
        table = np.full((7, slots), np.nan)
        residuals: list[np.ndarray] = []
        weekday = np.array([d.weekday() for d in values.index])
        usable = np.isfinite(sq).any(axis=1)
        for w in range(7):
            rows = np.flatnonzero((weekday == w) & usable)[-self.weeks :]
            if len(rows) == 0:
                continue
            block = values.to_numpy()[rows]
            with np.errstate(invalid="ignore"), warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                mean = np.nanmean(block, axis=0)
            table[w] = np.sqrt(np.nan_to_num(mean, nan=0.0))
            if len(rows) >= 2:
                # Leave-one-out residuals on the sqrt scale, rescaled from n-1 to n weeks.
                n = np.isfinite(block).sum(axis=0)
                total = np.nansum(block, axis=0)
                with np.errstate(invalid="ignore", divide="ignore"):
                    loo = (total[None, :] - block) / (n[None, :] - 1)
                    r = np.sqrt(block) - np.sqrt(loo)
                scale = np.sqrt((1 + 1 / len(rows)) / (1 + 1 / max(len(rows) - 1, 1)))
                residuals.append((r * scale)[np.isfinite(r)])
        self._table = table
        self._residuals = np.concatenate(residuals) if residuals else np.zeros(1)
        return self


class SeasonalNaiveModel(_DayTableModel):
    """Weekly seasonal naive: each interval repeats the same interval of the last usable week."""

    name = "seasonal_naive"

    def fit(self, history: pd.DataFrame) -> SeasonalNaiveModel:
        """Remember the last usable day of each weekday and the week-on-week residuals."""
        values, _ = self._usable(history)
        arr = values.to_numpy()
        sq = np.sqrt(arr)
        slots = sq.shape[1]
        table = np.full((7, slots), np.nan)
        weekday = np.array([d.weekday() for d in values.index])
        usable = np.isfinite(sq).any(axis=1)
        residuals: list[np.ndarray] = []
        for w in range(7):
            rows = np.flatnonzero((weekday == w) & usable)
            if len(rows) == 0:
                continue
            table[w] = np.nan_to_num(sq[rows[-1]], nan=0.0)
            for a, b in zip(rows[-9:-1], rows[-8:], strict=False):
                r = sq[b] - sq[a]
                residuals.append(r[np.isfinite(r)])
        self._table = table
        self._residuals = np.concatenate(residuals) if residuals else np.zeros(1)
        return self


@dataclass(frozen=True)
class ProphetSettings:
    """Knobs of the Prophet intraday recipe (defaults chosen by the accuracy benchmark).

    Parameters
    ----------
    train_weeks
        Weeks of history fitted (the most recent ones); ``None`` fits everything.
    growth
        ``"flat"`` or ``"linear"``; a flexible trend loses to a 4-week average on contact data.
    changepoint_prior_scale
        Trend flexibility when ``growth="linear"``; keep it stiff.
    fourier_order
        Order of each conditional daily seasonality.
    seasonality_prior_scale, holidays_prior_scale
        Prophet priors.
    interval_inflation
        Factor applied to the in-sample residuals when they form prediction intervals (not the
        point), since in-sample residuals understate out-of-sample error. 1.2 gives about 80 %
        coverage at level 0.8 on the Anonymous Bank backtest.
    """

    train_weeks: int | None = 12
    growth: Literal["linear", "flat"] = "flat"
    changepoint_prior_scale: float = 0.001
    fourier_order: int = 8
    seasonality_prior_scale: float = 10.0
    holidays_prior_scale: float = 10.0
    interval_inflation: float = 1.2


class ProphetVolumeModel:
    """Prophet with the intraday recipe for contact volumes.

    - only open intervals are fitted (closed ones are 0 by construction, not demand);
    - the target is √offered (variance-stabilising), back-transformed by smearing, clipped at 0;
    - one daily seasonality per weekday, conditional on the day, plus a level per weekday, so
      Tuesday's afternoon peak stays Tuesday's;
    - days with their own hours (holidays, eves) are not fitted: they are forecast from the
      mean profile of past days of the same kind (too few for a Fourier profile, which would
      extrapolate wildly); other day kinds (day after a holiday, month start, scenario special
      days) are Prophet holidays, so what is learned on one carries to the next;
    - the centre is capped at 1.5x the largest √volume of the training data, a guard against
      seasonal extrapolation;
    - a flat (or very stiff) trend over the recent weeks;
    - no Monte-Carlo uncertainty samples: intervals come from the residuals (fast, and with a
      flat trend the samples would only add observation noise anyway).
    """

    name = "prophet"

    def __init__(
        self,
        calendar: Calendar | None = None,
        level: float = 0.8,
        settings: ProphetSettings | None = None,
    ) -> None:
        self.calendar = calendar
        self.level = _check_level(level)
        self.settings = settings or ProphetSettings()
        self.model_: Any = None  # prophet.Prophet once fitted
        self._keys: list[str] = []
        self._residuals = np.zeros(1)
        self._cap = np.inf
        self._kind_table: dict[str, np.ndarray] = {}

    @staticmethod
    def _key(date: dt.date) -> str:
        """Intraday profile key of a date: its weekday."""
        return WEEKDAY_NAMES[date.weekday()]

    def _special_hours(self, dates: np.ndarray) -> np.ndarray:
        """True for dates of a special-hours kind (holiday, eve)."""
        if self.calendar is None:
            return np.zeros(len(dates), dtype=bool)
        kinds = self.calendar.kinds
        return np.array([any(k in HOURS_KINDS for k in kinds.get(d, ())) for d in dates])

    def _design(self, ds: pd.DatetimeIndex) -> pd.DataFrame:
        """Condition and level columns for the profile key of each timestamp's date."""
        keys = np.array([self._key(d) for d in ds.date])
        frame = pd.DataFrame({"ds": ds})
        for key in self._keys:
            flag = keys == key
            frame[f"is_{key}"] = flag
            frame[f"lvl_{key}"] = flag.astype(float)
        return frame

    def _holidays(self, first: dt.date, last: dt.date) -> pd.DataFrame | None:
        if self.calendar is None:
            return None
        rows = [
            (kind, pd.Timestamp(d))
            for d, kinds in self.calendar.kinds.items()
            if first <= d <= last
            for kind in kinds
        ]
        if not rows:
            return None
        return pd.DataFrame(rows, columns=["holiday", "ds"])

    def _kind_profiles(self, s: pd.Series) -> dict[str, np.ndarray]:
        """Mean √volume per interval of the day over all past days of each special-hours kind.

        What happened on the last holiday evening is the best guess for the next one.
        """
        if self.calendar is None:
            return {}
        minutes = self.calendar.minutes
        idx = pd.DatetimeIndex(s.index)
        open_ = self.calendar.is_open(idx)
        out: dict[str, np.ndarray] = {}
        slots = 1440 // minutes
        slot = ((idx.hour * 60 + idx.minute) // minutes).to_numpy()
        dates = idx.date
        for kind in HOURS_KINDS:
            on = np.array([kind in self.calendar.kinds.get(d, ()) for d in dates]) & open_
            if not on.any():
                continue
            total = np.bincount(slot[on], weights=np.sqrt(s.to_numpy()[on]), minlength=slots)
            count = np.bincount(slot[on], minlength=slots)
            out[kind] = np.where(count > 0, total / np.maximum(count, 1), 0.0)
        return out

    def fit(self, history: pd.DataFrame) -> ProphetVolumeModel:
        """Fit √offered on the open, known intervals of the recent weeks."""
        _silence_stan()  # before the import: prophet logs at import time
        from prophet import Prophet

        s = _series(history)
        s = s[np.isfinite(s.to_numpy())]
        self._kind_table = self._kind_profiles(s)
        if self.settings.train_weeks is not None:
            # Count the window in days with data, so a gap (a missing month) does not leave
            # only a few days to fit.
            days = np.unique(pd.DatetimeIndex(s.index).normalize())
            keep_from = days[-min(len(days), 7 * self.settings.train_weeks)]
            s = s[s.index >= keep_from]
        idx = pd.DatetimeIndex(s.index)
        # Holidays and eves are few and follow their own hours: a Fourier profile fitted on a
        # handful of them extrapolates wildly, so they are predicted from past same-kind days
        # (see _kind_profiles) and kept out of the fit.
        s = s[_is_open(idx, self.calendar) & ~self._special_hours(idx.date)]
        if len(s) < 2:
            raise ValueError("prophet: fewer than two open intervals with known volume")
        ds = pd.DatetimeIndex(s.index)
        self._keys = sorted({self._key(d) for d in ds.date})
        frame = self._design(ds)
        frame["y"] = np.sqrt(s.to_numpy())
        # Holidays only where training data shows them; unseen kinds would have no data anyway.
        holidays = self._holidays(ds.min().date(), ds.max().date())
        st = self.settings
        m = Prophet(
            growth=st.growth,
            changepoint_prior_scale=st.changepoint_prior_scale,
            yearly_seasonality=False,
            weekly_seasonality=False,
            daily_seasonality=False,
            seasonality_prior_scale=st.seasonality_prior_scale,
            holidays_prior_scale=st.holidays_prior_scale,
            holidays=holidays,
            uncertainty_samples=0,
        )
        for key in self._keys:
            m.add_seasonality(
                name=f"daily_{key}",
                period=1.0,
                fourier_order=st.fourier_order,
                condition_name=f"is_{key}",
            )
            m.add_regressor(f"lvl_{key}", standardize=False)
        with _fast_stan_json():
            m.fit(frame)
        fitted = m.predict(frame)["yhat"].to_numpy()
        self._residuals = frame["y"].to_numpy() - fitted
        self._cap = float(frame["y"].max()) * _CAP_FACTOR
        self.model_ = m
        return self

    def _rare_kind_override(self, ds: pd.DatetimeIndex, centre: np.ndarray) -> np.ndarray:
        """Past same-kind days' profile on holidays and eves (when such days were seen)."""
        if self.calendar is None or not self._kind_table:
            return centre
        out = centre.copy()
        minutes = self.calendar.minutes
        slot = ((ds.hour * 60 + ds.minute) // minutes).to_numpy()
        kinds = self.calendar.kinds
        for i, d in enumerate(ds.date):
            kind = next((k for k in HOURS_KINDS if k in kinds.get(d, ())), None)
            if kind is not None and kind in self._kind_table:
                out[i] = self._kind_table[kind][slot[i]]
        return out

    def predict(self, ds: pd.DatetimeIndex) -> pd.DataFrame:
        """Forecast open intervals with Prophet; closed ones are 0."""
        if self.model_ is None:
            raise RuntimeError("prophet: call fit() before predict()")
        ds = pd.DatetimeIndex(ds)
        open_ = _is_open(ds, self.calendar)
        centre = np.zeros(int(open_.sum()))
        if open_.any():
            frame = self._design(ds[open_])
            centre = self.model_.predict(frame)["yhat"].to_numpy()
            # Guard against seasonal extrapolation on rare day kinds (documented cap).
            centre = np.minimum(centre, self._cap)
            centre = self._rare_kind_override(ds[open_], centre)
        point, lo, hi = _smear(
            centre, self._residuals, self.level, self.settings.interval_inflation
        )
        return _frame(ds, open_, point, lo, hi)


class HandleTimeModel:
    """Average handle time per weekday x interval, volume-weighted and shrunk when sparse.

    Each cell's AHT is the contact-weighted mean over the recent weeks, shrunk toward the
    interval-of-day mean (all weekdays), which is itself shrunk toward the queue's overall mean:
    ``(Σ w·aht + k·parent) / (Σ w + k)`` with ``k = prior_contacts``. A cell with a handful of
    calls thus borrows from its neighbours instead of swinging on one long call. The prediction
    is finite everywhere (closed intervals get their cell estimate), so downstream workload
    ``offered x aht`` is never NaN.

    Parameters
    ----------
    weeks
        Recent weeks used.
    prior_contacts
        Shrinkage strength ``k`` in contacts. Per-interval AHT is noisy (a few dozen calls with
        a service-time CV near 1) and its weekday x interval pattern is weak, so the default
        is strong: on the Anonymous Bank backtest k = 30 / 100 / 300 / 1000 gave a weighted
        wMAPE of 0.2145 / 0.2107 / 0.2074 / 0.2070 (4-week flat mean 0.2182).
    default_aht_s
        Used only when the queue has no handled contact at all.
    """

    name = "handle_time"

    def __init__(
        self,
        calendar: Calendar | None = None,
        weeks: int = 8,
        prior_contacts: float = 300.0,
        default_aht_s: float = 300.0,
    ) -> None:
        self.calendar = calendar
        self.weeks = int(weeks)
        self.prior_contacts = float(prior_contacts)
        self.default_aht_s = float(default_aht_s)
        self._table: np.ndarray | None = None
        self._minutes = 0
        self.overall_: float = float("nan")

    def fit(self, history: pd.DataFrame) -> HandleTimeModel:
        """Learn the shrunk weekday x interval AHT table."""
        h = history.sort_values("ds")
        ds = pd.DatetimeIndex(h["ds"])
        h = h[ds >= ds.max() - pd.Timedelta(weeks=self.weeks)]
        ds = pd.DatetimeIndex(h["ds"])
        self._minutes = _minutes_of(ds, self.calendar)
        weight = h["offered"].to_numpy(dtype=float)
        if "abandoned" in h.columns:
            # Handle time is measured on handled contacts, not on those who hung up.
            weight = weight - np.nan_to_num(h["abandoned"].to_numpy(dtype=float), nan=0.0)
        aht = h["aht_s"].to_numpy(dtype=float)
        ok = np.isfinite(aht) & np.isfinite(weight) & (weight > 0)
        w, a = weight[ok], aht[ok]
        slots = 1440 // self._minutes
        k = self.prior_contacts
        overall = float((w * a).sum() / w.sum()) if w.sum() > 0 else self.default_aht_s
        slot = ((ds.hour * 60 + ds.minute) // self._minutes).to_numpy()[ok]
        weekday = ds.day_of_week.to_numpy()[ok]
        sw = np.bincount(slot, weights=w, minlength=slots)
        swa = np.bincount(slot, weights=w * a, minlength=slots)
        slot_mean = (swa + k * overall) / (sw + k)
        cell = weekday * slots + slot
        cw = np.bincount(cell, weights=w, minlength=7 * slots).reshape(7, slots)
        cwa = np.bincount(cell, weights=w * a, minlength=7 * slots).reshape(7, slots)
        self._table = (cwa + k * slot_mean[None, :]) / (cw + k)
        self.overall_ = overall
        return self

    def predict(self, ds: pd.DatetimeIndex) -> np.ndarray:
        """AHT in seconds for each interval start."""
        if self._table is None:
            raise RuntimeError("handle_time: call fit() before predict()")
        ds = pd.DatetimeIndex(ds)
        slot = ((ds.hour * 60 + ds.minute) // self._minutes).to_numpy()
        return self._table[ds.day_of_week.to_numpy(), slot]


#: Members of the ``ensemble`` method and their fixed weights (equal: the combination
#: literature finds estimated weights rarely beat them out of sample).
ENSEMBLE_MEMBERS: tuple[tuple[str, float], ...] = (("prophet", 0.5), ("weekday_average", 0.5))


def combine_forecasts(
    frames: Sequence[pd.DataFrame], weights: Sequence[float | np.ndarray]
) -> pd.DataFrame:
    """Weighted mean of aligned forecasts, point and interval bounds alike.

    A weight is a number or one number per row. Averaging the bounds (not widening them) treats
    the members' errors as strongly correlated, which they are when both are driven by the same
    weeks of history.
    """
    if not frames or len(frames) != len(weights):
        raise ValueError("combine_forecasts: need one weight per forecast")
    n = len(frames[0])
    w = np.array([np.broadcast_to(np.asarray(x, dtype=float), (n,)) for x in weights])
    total = w.sum(axis=0)
    if (w < 0).any() or (total <= 0).any():
        raise ValueError(f"combine_forecasts: weights must be >= 0 and not all 0, got {weights}")
    w = w / total
    out = frames[0][["ds"]].copy()
    for col in ("offered", "offered_lo", "offered_hi"):
        out[col] = sum(wi * f[col].to_numpy(dtype=float) for wi, f in zip(w, frames, strict=True))
    return out


def ensemble_weights(ds: pd.DatetimeIndex, calendar: Calendar | None) -> list[np.ndarray]:
    """Per-row weights of the ensemble members, in ``ENSEMBLE_MEMBERS`` order.

    On holidays and eves (days with their own opening hours) only Prophet is informed: it
    forecasts them from past days of the same kind while the weekday average knows only the
    weekday, so there the weight moves wholly to Prophet.
    """
    ds = pd.DatetimeIndex(ds)
    special = np.zeros(len(ds), dtype=bool)
    if calendar is not None and calendar.kinds:
        bad = _unusual_days(sorted(set(ds.date)), calendar)
        special = np.asarray(pd.Index(ds.date).isin(bad))
    out = []
    for name, w in ENSEMBLE_MEMBERS:
        if name == "prophet":
            out.append(np.where(special, 1.0, w))
        else:
            out.append(np.where(special, 0.0, w))
    return out


class EnsembleModel:
    """Forecast combination: the weighted mean of Prophet and the weekday x interval average.

    Weights ``ENSEMBLE_MEMBERS`` (equal), except on holidays and eves where Prophet alone is
    informed (see :func:`ensemble_weights`).

    Prophet's smooth weekday profiles and the 4-week average's recent level make different
    errors; their mean beats both on the Anonymous Bank backtest (see
    ``benchmarks/results/forecast_accuracy.md``). :func:`forecasts.core.forecast_history`
    combines the members' results rather than fitting them twice.
    """

    name = "ensemble"

    def __init__(
        self,
        calendar: Calendar | None = None,
        level: float = 0.8,
        settings: ProphetSettings | None = None,
    ) -> None:
        self.calendar = calendar
        self.members = [
            (make_volume_model(m, calendar, level, settings), float(w)) for m, w in ENSEMBLE_MEMBERS
        ]

    def fit(self, history: pd.DataFrame) -> EnsembleModel:
        """Fit every member."""
        for model, _ in self.members:
            model.fit(history)
        return self

    def predict(self, ds: pd.DatetimeIndex) -> pd.DataFrame:
        """Weighted mean of the members' forecasts."""
        frames = [model.predict(ds) for model, _ in self.members]
        return combine_forecasts(frames, ensemble_weights(pd.DatetimeIndex(ds), self.calendar))


def make_volume_model(
    method: str,
    calendar: Calendar | None = None,
    level: float = 0.8,
    prophet_settings: ProphetSettings | None = None,
    day_factors: Sequence[str] = (),
) -> VolumeModel:
    """Build a volume model by method name.

    Parameters
    ----------
    day_factors
        Day kinds adjusted by learned multiplicative factors on top of the method (see
        :mod:`forecasts.day_effects`); needs a calendar.

    Raises
    ------
    ValueError
        For an unknown method name.
    """
    base = _make_base(method, calendar, level, prophet_settings)
    if day_factors and calendar is not None:
        from forecasts.day_effects import DayAdjusted

        return DayAdjusted(base, calendar, day_factors)  # type: ignore[return-value]
    return base


def _make_base(
    method: str,
    calendar: Calendar | None,
    level: float,
    prophet_settings: ProphetSettings | None,
) -> VolumeModel:
    if method == EnsembleModel.name:
        return EnsembleModel(calendar, level, prophet_settings)
    if method == ProphetVolumeModel.name:
        return ProphetVolumeModel(calendar, level, prophet_settings)
    if method == WeekdayIntervalAverage.name:
        return WeekdayIntervalAverage(calendar, level)
    if method == SeasonalNaiveModel.name:
        return SeasonalNaiveModel(calendar, level)
    raise ValueError(f"unknown forecasting method {method!r}; use one of {VOLUME_METHODS}")


VOLUME_METHODS: tuple[str, ...] = ("prophet", "weekday_average", "seasonal_naive", "ensemble")


def dump_stan_json_fast(data: Mapping[str, Any]) -> str:
    """The JSON text ``stanio.dump_stan_json`` gives for a Stan data dict, built in C.

    Prophet hands cmdstanpy its design matrix as nested Python lists (tens of thousands of
    floats); stanio walks every element in Python and writes with the pure-Python
    ``JSONEncoder.iterencode``, which took about half the CPU of a Prophet fit here. Numeric
    lists and arrays are converted with NumPy and the text is produced by the C encoder of
    ``json.dumps``; anything else goes through stanio's own conversion, so the output is the
    same (checked by a test).
    """
    import json

    from stanio.json import process_value

    def convert(value: Any) -> Any:
        if isinstance(value, list | np.ndarray) and len(value):
            arr = np.asarray(value)
            if arr.dtype.kind in "iuf":
                return arr.tolist()
        return process_value(value)

    return json.dumps({k: convert(v) for k, v in data.items()})


@contextlib.contextmanager
def _fast_stan_json() -> Iterator[None]:
    """Let cmdstanpy write its data files with :func:`dump_stan_json_fast` for one fit.

    cmdstanpy looks ``write_stan_json`` up in its ``utils.filesystem`` module when it writes a
    temporary data file; the original is restored afterwards (and used as is when that module
    layout ever changes).
    """
    try:
        from cmdstanpy.utils import filesystem
    except ImportError:  # another Stan backend: nothing to speed up
        yield
        return
    original = getattr(filesystem, "write_stan_json", None)
    if original is None:
        yield
        return

    def write(path: str, data: Mapping[str, Any]) -> None:
        with open(path, "w") as fd:
            fd.write(dump_stan_json_fast(data))

    filesystem.write_stan_json = write
    try:
        yield
    finally:
        filesystem.write_stan_json = original


def warm_up() -> None:
    """Import Prophet and set its loggers up: a pool worker's one-time start-up cost."""
    _silence_stan()
    # Prophet missing: nothing to warm, the fits will report it per queue.
    with contextlib.suppress(ImportError):
        import prophet  # noqa: F401


def _silence_stan() -> None:
    """cmdstanpy and prophet log every fit at INFO; a CLI run of many queues drowns in them."""
    try:
        from cmdstanpy.utils import get_logger

        # cmdstanpy sets its logger up lazily on first use (level DEBUG); do that now, then quiet.
        get_logger()
    except ImportError:  # another Stan backend: nothing to set up
        pass
    for name in ("cmdstanpy", "prophet"):
        logging.getLogger(name).setLevel(logging.WARNING)
    # Prophet's plotting module logs an error at import when plotly is absent; we never plot
    # with it, so the message only alarms users.
    logging.getLogger("prophet.plot").setLevel(logging.CRITICAL)
