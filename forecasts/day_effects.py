"""Day-level multiplicative factors for recurring special days, applied on top of any method.

Some days are ordinary in their opening hours but not in their volume: the first working day
after a public holiday brings the contacts the closure held back (up to 55 % more in the
Anonymous Bank data), the first working days of a month run high in retail banking (salaries,
statements; about 20 % there), and optional holidays (the intermediate days of a festival) run
low.
They are too few to fit a Fourier profile of their own and they recur under different weekdays,
so each *kind* gets one factor ``f_k`` learned from its past occurrences:

- the reference of an occurrence ``d`` is the mean day total of the ordinary (kind-free) known
  days of the same weekday within ``REFERENCE_DAYS`` of ``d`` in the training data;
- the per-occurrence ratio ``r_i = total(d_i) / reference(d_i)`` is clipped to
  ``[RATIO_MIN, RATIO_MAX]`` (a chol-hamoed Sunday or a short Saturday must not swing it);
- ``log f_k = Σ log r_i / (n + PRIOR_DAYS)``: the geometric mean shrunk toward 1 by a prior worth
  ``PRIOR_DAYS`` occurrences, so one surprising day moves the factor only part of the way
  (days after a holiday ranged from 0.93x to 1.55x in 1999: few occurrences say little; 2 was
  the best of 0 / 0.5 / 1 / 2 / 4 on the Anonymous Bank backtest, see its results file).

:class:`DayAdjusted` wraps a volume model: the days of factor kinds are hidden from the base
model's fit (so the weekday averages and Prophet's weekday levels describe ordinary days), and
the base forecast on a future day of those kinds is multiplied by its kind's factor (point and
interval alike). A day of several kinds gets the strongest single factor, not the product: a
month start that is also the day after a holiday is one catch-up, not two (in the data such days
run about as high as either alone). A day that is also a holiday or an eve keeps its own
opening-hours profile and gets no learned factor.

Holidays and eves are forecast by the base models from past days of their kind (hours and, for
Prophet, the intraday profile). The first time a kind comes up there is no such day, and the
base models would forecast an ordinary weekday: 1,389 and 1,535 contacts for the first eve and
day of Passover 1999, which had 472 and 110. So a kind never seen in training gets a prior
factor ``UNSEEN_HOURS_FACTOR`` (a public holiday is mostly closed, an eve is a short day).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from forecasts.calendars import (
    AFTER_HOLIDAY,
    HOLIDAY,
    HOLIDAY_EVE,
    HOURS_KINDS,
    MONTH_START,
    OPTIONAL_HOLIDAY,
    Calendar,
)

if TYPE_CHECKING:
    from forecasts.models import VolumeModel

#: Kinds adjusted by a learned factor by default.
FACTOR_KINDS: tuple[str, ...] = (AFTER_HOLIDAY, MONTH_START, OPTIONAL_HOLIDAY)
#: Same-weekday ordinary days within this many days of an occurrence form its reference.
REFERENCE_DAYS = 28
#: Shrinkage toward 1, in occurrences.
PRIOR_DAYS = 2.0
#: Per-occurrence ratios are clipped to this range before averaging.
RATIO_MIN, RATIO_MAX = 0.5, 2.0
#: Factor on a holiday or eve whose kind the training data has never shown open.
UNSEEN_HOURS_FACTOR: dict[str, float] = {HOLIDAY: 0.1, HOLIDAY_EVE: 0.5}
#: Share of a day's intervals that must be known for the day to count.
_KNOWN_SHARE = 0.9


class DayFactors:
    """Learn one multiplicative factor per day kind from a queue's history.

    Parameters
    ----------
    calendar
        Day kinds (and interval length) of the training and forecast dates.
    kinds
        Kinds to learn factors for.
    """

    def __init__(self, calendar: Calendar, kinds: Sequence[str] = FACTOR_KINDS) -> None:
        self.calendar = calendar
        self.kinds = tuple(kinds)
        #: kind -> (factor, occurrences used); only kinds with at least one occurrence.
        self.factors_: dict[str, tuple[float, int]] = {}

    def _adjusted_kinds(self, date: dt.date) -> tuple[str, ...]:
        """Factor kinds of a date; none on holidays and eves (they have their own profile)."""
        ks = self.calendar.kinds.get(date, ())
        if any(k in HOURS_KINDS for k in ks):
            return ()
        return tuple(k for k in self.kinds if k in ks)

    def _unseen(self, date: dt.date) -> float:
        """Prior factor of a holiday or eve whose kind training never showed open, else 1."""
        if date in self.calendar.profile_key:
            return 1.0  # seen: the base models forecast it from past days of its kind
        priors = [UNSEEN_HOURS_FACTOR[k] for k in self.calendar.kinds.get(date, ())
                  if k in UNSEEN_HOURS_FACTOR]  # fmt: skip
        return min(priors) if priors else 1.0

    def fit(self, history: pd.DataFrame) -> DayFactors:
        """Learn the factors from the known days of ``history`` (columns ``ds``, ``offered``)."""
        s = pd.Series(
            history["offered"].to_numpy(dtype=float), index=pd.DatetimeIndex(history["ds"])
        )
        day = pd.DatetimeIndex(s.index).normalize()
        per_day = 1440 // self.calendar.minutes
        totals = s.groupby(day).sum(min_count=1)
        known = s.notna().groupby(day).sum()
        totals = totals[(known >= _KNOWN_SHARE * per_day) & (totals > 0)]
        dates = [d.date() for d in pd.DatetimeIndex(totals.index)]
        value = dict(zip(dates, totals.to_numpy(dtype=float), strict=True))
        ordinary = {d for d in dates if not self.calendar.kinds.get(d)}
        self.factors_ = {}
        for kind in self.kinds:
            logs = []
            for d in dates:
                # Learn each kind from days where it is the only adjusted kind.
                if self._adjusted_kinds(d) != (kind,):
                    continue
                refs = [
                    value[r]
                    for k in range(-REFERENCE_DAYS // 7, REFERENCE_DAYS // 7 + 1)
                    if k != 0 and (r := d + dt.timedelta(weeks=k)) in ordinary
                ]
                if refs:
                    ratio = value[d] / float(np.mean(refs))
                    logs.append(np.log(np.clip(ratio, RATIO_MIN, RATIO_MAX)))
            if logs:
                factor = float(np.exp(np.sum(logs) / (len(logs) + PRIOR_DAYS)))
                self.factors_[kind] = (factor, len(logs))
        return self

    def factor_of(self, dates: Sequence[dt.date]) -> np.ndarray:
        """Multiplier for each date (1 where no learned kind applies)."""
        memo: dict[dt.date, float] = {}
        out = np.ones(len(dates))
        for i, d in enumerate(dates):
            if d not in memo:
                fs = [self.factors_[k][0] for k in self._adjusted_kinds(d) if k in self.factors_]
                memo[d] = max(fs, key=lambda f: abs(np.log(f))) if fs else self._unseen(d)
            out[i] = memo[d]
        return out

    def describe(self) -> str:
        """Short text of the learned factors, e.g. ``after_holiday x1.21 (3 days)``."""
        return ", ".join(f"{k} x{f:.2f} ({n} days)" for k, (f, n) in self.factors_.items())


class DayAdjusted:
    """A volume model whose fit skips factor-kind days and whose forecast is scaled on them.

    Parameters
    ----------
    base
        Any volume model (``fit`` / ``predict``).
    calendar
        Day kinds of training and forecast dates.
    kinds
        Kinds adjusted by learned factors.
    """

    def __init__(
        self, base: VolumeModel, calendar: Calendar, kinds: Sequence[str] = FACTOR_KINDS
    ) -> None:
        self.base = base
        self.name = base.name
        self.calendar = calendar
        self.day_factors = DayFactors(calendar, kinds)

    def _hidden(self, ds: pd.DatetimeIndex) -> np.ndarray:
        """True on intervals of days the factors will adjust."""
        learned = self.day_factors.factors_
        memo: dict[dt.date, bool] = {}
        out = np.zeros(len(ds), dtype=bool)
        for i, d in enumerate(ds.date):
            if d not in memo:
                memo[d] = any(k in learned for k in self.day_factors._adjusted_kinds(d))
            out[i] = memo[d]
        return out

    def fit(self, history: pd.DataFrame) -> DayAdjusted:
        """Learn the factors, then fit the base model with those days unknown."""
        self.day_factors.fit(history)
        ds = pd.DatetimeIndex(history["ds"])
        hide = self._hidden(ds)
        h = history
        if hide.any():
            h = history.copy()
            h.loc[hide, "offered"] = np.nan
        self.base.fit(h)
        return self

    def predict(self, ds: pd.DatetimeIndex) -> pd.DataFrame:
        """Base forecast scaled by the day factors."""
        pred = self.base.predict(ds)
        f = self.day_factors.factor_of(list(pd.DatetimeIndex(pred["ds"]).date))
        if (f != 1.0).any():
            pred = pred.copy()
            for col in ("offered", "offered_lo", "offered_hi"):
                pred[col] = pred[col].to_numpy(dtype=float) * f
        return pred

    @property
    def factors(self) -> Mapping[str, tuple[float, int]]:
        """kind -> (factor, occurrences) learned by the last fit."""
        return self.day_factors.factors_


__all__ = ["FACTOR_KINDS", "DayAdjusted", "DayFactors"]
