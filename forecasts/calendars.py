"""Day kinds (holidays, eves, special days) and the open/closed mask of every interval.

A public-holiday package is not a closure calendar: a centre may be closed on a holiday, open
only in the evening after it, short on its eve, and swamped the day after. So each date gets a
tuple of *kinds*, derived from the site's country holidays and the scenario's special days:

- ``holiday``: a public holiday of the country;
- ``holiday_eve``: the day before a holiday (not itself a holiday), often a short day;
- ``after_holiday``: the first full working day after a holiday (not itself a holiday nor an
  optional holiday), often a surge;
- ``optional_holiday``: a day of the country's *optional* holiday category where the package
  has one (in Israel: the intermediate days of Passover and Sukkot, Purim, Remembrance Day),
  when many customers are off and volume runs low; not a closure;
- ``month_start``: the first two full working days of a month (retail banking runs high then:
  salaries, statements; a month starting on a weekend surges on the next working days);
- any ``kind`` of a scenario :class:`~forecasts.schema.SpecialDay`.

Days of the same kind share learned effects, so what happened on one holiday carries to the next.

Opening hours are site level (all queues share them). When the scenario does not give them
they are inferred from the data: a weekday x interval cell is open when contacts arrived in at
least half of the recent same weekdays. On history days the mask is what was observed (trimmed
to the first..last interval with contacts, so early closures and evening-only holidays are seen
as closed rather than as zero demand); on future days it is inferred from the weeks before the
forecast origin only, so a backtest never peeks at the answer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from forecasts.schema import OpenHours, SpecialDay, as_special_days

HOLIDAY = "holiday"
HOLIDAY_EVE = "holiday_eve"
AFTER_HOLIDAY = "after_holiday"
MONTH_START = "month_start"
OPTIONAL_HOLIDAY = "optional_holiday"

#: Kinds whose opening hours may differ from the weekday's, learned from past days of the kind.
HOURS_KINDS: tuple[str, ...] = (HOLIDAY, HOLIDAY_EVE)
#: Recent same-weekdays used to infer opening hours.
OPEN_WEEKS = 4
#: Share of those days with contacts above which a cell is open.
OPEN_SHARE = 0.5


def country_holidays(country: str, start: dt.date, end: dt.date) -> dict[dt.date, str]:
    """Public holidays of a country between two dates (inclusive), date -> name.

    Raises
    ------
    ValueError
        If the country code is unknown to the ``holidays`` package.
    """
    import holidays as holidays_pkg

    try:
        table = holidays_pkg.country_holidays(country, years=range(start.year, end.year + 1))
    except NotImplementedError as exc:
        raise ValueError(f"unknown country code for holidays: {country!r}") from exc
    return {d: str(name) for d, name in sorted(table.items()) if start <= d <= end}


def optional_holidays(country: str, start: dt.date, end: dt.date) -> dict[dt.date, str]:
    """Days of the country's optional holiday category (empty when the package has none)."""
    import holidays as holidays_pkg

    try:
        cls = holidays_pkg.country_holidays(country).__class__
        if "optional" not in getattr(cls, "supported_categories", ()):
            return {}
        table = holidays_pkg.country_holidays(
            country, years=range(start.year, end.year + 1), categories=("optional",)
        )
    except NotImplementedError as exc:
        raise ValueError(f"unknown country code for holidays: {country!r}") from exc
    return {d: str(name) for d, name in sorted(table.items()) if start <= d <= end}


def day_kinds(
    start: dt.date,
    end: dt.date,
    *,
    country: str | None = None,
    special_days: Iterable[SpecialDay] | None = None,
) -> dict[dt.date, tuple[str, ...]]:
    """Kinds of every date in ``[start, end]`` that has at least one.

    Parameters
    ----------
    start, end
        Inclusive date range.
    country
        ISO country code for public holidays, or ``None`` for none.
    special_days
        Scenario special days; their kinds are added as given.

    Returns
    -------
    dict
        date -> sorted tuple of kinds (dates without any kind are absent).
    """
    kinds: dict[dt.date, set[str]] = {}
    if country:
        # Look one day beyond the range so eves and days after at the edges are seen.
        hol = country_holidays(country, start - dt.timedelta(days=1), end + dt.timedelta(days=1))
        for d in hol:
            kinds.setdefault(d, set()).add(HOLIDAY)
        for d in hol:
            for offset, kind in ((-1, HOLIDAY_EVE), (1, AFTER_HOLIDAY)):
                other = d + dt.timedelta(days=offset)
                if other not in hol:
                    kinds.setdefault(other, set()).add(kind)
        for d in optional_holidays(country, start, end):
            if d not in hol:
                kinds.setdefault(d, set()).add(OPTIONAL_HOLIDAY)
    day = start
    while day <= end:
        if day.day <= 2:
            kinds.setdefault(day, set()).add(MONTH_START)
        day += dt.timedelta(days=1)
    for sd in as_special_days(special_days):
        kinds.setdefault(sd.date, set()).add(sd.kind)
    return {d: tuple(sorted(k)) for d, k in sorted(kinds.items()) if start <= d <= end}


def _as_date(value: object) -> dt.date:
    """Accept dates, datetimes, timestamps and ISO strings."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return pd.Timestamp(str(value)).date()


def open_hours_matrix(open_hours: OpenHours, minutes: int) -> np.ndarray:
    """Opening hours as a boolean matrix weekday (0=Mon) x interval of the day.

    An interval is open when open windows cover at least half of it: on a 30-minute grid a
    window 07:15-14:00 opens the 07:00 interval (15 of its 30 minutes) but 07:20 would not.
    """
    slots = 1440 // minutes
    out = np.zeros((7, slots), dtype=bool)
    for weekday, windows in open_hours.items():
        out[int(weekday)] = _windows_to_slots(windows, minutes)
    return out


def _windows_to_slots(windows: Sequence[tuple[int, int]], minutes: int) -> np.ndarray:
    """Boolean vector of the intervals of a day that the windows cover at least half of."""
    slots = 1440 // minutes
    covered = np.zeros(1440, dtype=bool)
    for start, end in windows:
        if not 0 <= int(start) <= int(end) <= 1440:
            raise ValueError(f"open window must satisfy 0 <= start <= end <= 1440: {start, end}")
        covered[int(start) : int(end)] = True
    per_slot = covered.reshape(slots, minutes).sum(axis=1)
    return per_slot * 2 >= minutes


def day_matrix(series: pd.Series, minutes: int) -> pd.DataFrame:
    """Reshape an interval series (index ds) into a date x interval-of-day matrix.

    Missing intervals (and whole missing days inside the range) are NaN.
    """
    slots = 1440 // minutes
    s = series.dropna() if series.isna().all() else series
    dates = pd.to_datetime(s.index).normalize()
    first, last = dates.min(), dates.max()
    all_dates = pd.date_range(first, last, freq="D")
    slot = ((s.index.hour * 60 + s.index.minute) // minutes).to_numpy()
    mat = np.full((len(all_dates), slots), np.nan)
    row = ((dates - first).days).to_numpy()
    mat[row, slot] = s.to_numpy(dtype=float)
    return pd.DataFrame(mat, index=all_dates.date, columns=range(slots))


def observed_open(total: pd.DataFrame) -> pd.DataFrame:
    """Open mask of history days, from the site total matrix (date x slot, NaN = missing).

    A cell is open when (a) its weekday cell had contacts on at least half of the surrounding
    same weekdays (two weeks either side) and (b) it lies between the first and last interval
    with contacts that day. Days with no contacts at all are closed; missing cells are closed
    (unknown, not fitted).
    """
    nz = (total > 0).astype(float).where(total.notna())
    day_total = total.sum(axis=1, min_count=1)
    closed_day = (day_total.fillna(0) <= 0).to_numpy()
    values = nz.to_numpy(copy=True)
    values[closed_day] = np.nan  # closed days must not make a weekday cell look closed
    out = np.zeros_like(values, dtype=bool)
    n = len(values)
    for i in range(n):
        idx = [j for j in range(i - 14, i + 15, 7) if 0 <= j < n]
        block = values[idx]
        known = np.isfinite(block).sum(axis=0)
        share = np.nansum(block, axis=0) / np.maximum(known, 1)
        out[i] = (known > 0) & (share >= OPEN_SHARE)
    raw = total.to_numpy()
    pos = np.nan_to_num(raw, nan=0.0) > 0
    any_pos = pos.any(axis=1)
    first = np.where(any_pos, pos.argmax(axis=1), raw.shape[1])
    last = np.where(any_pos, raw.shape[1] - 1 - pos[:, ::-1].argmax(axis=1), -1)
    cols = np.arange(raw.shape[1])
    within = (cols[None, :] >= first[:, None]) & (cols[None, :] <= last[:, None])
    mask = out & within & ~np.isnan(raw)
    mask[closed_day] = False
    return pd.DataFrame(mask, index=total.index, columns=total.columns)


@dataclass(frozen=True)
class Calendar:
    """Everything a model needs to know about the days it fits and predicts.

    Parameters
    ----------
    minutes
        Interval length.
    open_mask
        Boolean series indexed by interval start; intervals not in it count as open.
    kinds
        date -> tuple of day kinds.
    profile_key
        date -> name of the intraday profile the day follows (weekday name, or an hours kind
        such as ``holiday`` when that kind has been seen in the training data).
    """

    minutes: int
    open_mask: pd.Series
    kinds: Mapping[dt.date, tuple[str, ...]] = field(default_factory=dict)
    profile_key: Mapping[dt.date, str] = field(default_factory=dict)

    def is_open(self, ds: pd.DatetimeIndex | pd.Series) -> np.ndarray:
        """Open flag for each timestamp (unknown timestamps count as open)."""
        idx = pd.DatetimeIndex(ds)
        return self.open_mask.reindex(idx).fillna(True).to_numpy(dtype=bool)

    def key_of(self, date: dt.date) -> str:
        """Intraday profile key of a date."""
        return self.profile_key.get(date, WEEKDAY_NAMES[date.weekday()])


WEEKDAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def build_calendar(
    total: pd.Series,
    origin: pd.Timestamp,
    horizon_days: int,
    minutes: int,
    *,
    open_hours: OpenHours | None = None,
    special_days: Sequence[SpecialDay] | None = None,
    country: str | None = None,
) -> Calendar:
    """Calendar for training on ``total`` before ``origin`` and predicting the horizon after it.

    Parameters
    ----------
    total
        Site total offered per interval (index ds), NaN where unknown. Only values before
        ``origin`` are used.
    origin
        First interval of the forecast horizon (a day start).
    horizon_days
        Length of the horizon in days.
    minutes
        Interval length.
    open_hours
        Scenario opening hours; ``None`` infers them from the last weeks before ``origin``.
    special_days
        Scenario special days; their windows override the usual hours on their dates.
    country
        Country code for public holidays, or ``None``.
    """
    special_days = as_special_days(special_days)
    train = total[total.index < origin]
    mat = day_matrix(train, minutes)
    hist_open = observed_open(mat)
    first_day = mat.index[0]
    horizon_dates = [origin.date() + dt.timedelta(days=k) for k in range(horizon_days)]
    kinds = day_kinds(first_day, horizon_dates[-1], country=country, special_days=special_days)
    specials = {_as_date(sd.date): sd for sd in special_days or ()}

    weekday_profile = _recent_weekday_profile(mat, hist_open, kinds, origin.date())
    if open_hours is not None:
        weekday_profile = open_hours_matrix(open_hours, minutes)
    kinds = _shift_after_holiday(kinds, weekday_profile, horizon_dates[-1])
    kinds = _shift_month_start(kinds, weekday_profile, first_day, horizon_dates[-1])
    kind_profile, kind_days = _kind_profiles(hist_open, kinds)

    rows = []
    for d in horizon_dates:
        sd = specials.get(d)
        if sd is not None and sd.windows is not None:
            rows.append(_windows_to_slots(list(sd.windows), minutes))
            continue
        hours_kind = next((k for k in HOURS_KINDS if k in kinds.get(d, ())), None)
        if hours_kind is not None and hours_kind in kind_profile and sd is None:
            rows.append(kind_profile[hours_kind])
        else:
            rows.append(weekday_profile[d.weekday()])
    future = pd.DataFrame(np.array(rows, dtype=bool), index=horizon_dates, columns=mat.columns)
    both = pd.concat([hist_open, future])
    mask = _matrix_to_series(both, minutes)

    profile_key: dict[dt.date, str] = {}
    for d, ks in kinds.items():
        hours_kind = next((k for k in HOURS_KINDS if k in ks), None)
        # A kind gets its own intraday profile only once it has been seen open in training.
        if hours_kind is not None and kind_days.get(hours_kind, 0) > 0:
            profile_key[d] = hours_kind
    return Calendar(minutes=minutes, open_mask=mask, kinds=kinds, profile_key=profile_key)


def _full_days(weekday_profile: np.ndarray) -> np.ndarray:
    """Weekdays open at least half as long as the longest one."""
    open_count = weekday_profile.sum(axis=1)
    return np.asarray(open_count >= 0.5 * max(int(open_count.max()), 1))


def _is_working(day: dt.date, full: np.ndarray, kinds: Mapping[dt.date, tuple[str, ...]]) -> bool:
    """A full working day: a full weekday that is neither a holiday nor an optional holiday."""
    ks = kinds.get(day, ())
    return bool(full[day.weekday()]) and HOLIDAY not in ks and OPTIONAL_HOLIDAY not in ks


def _shift_month_start(
    kinds: dict[dt.date, tuple[str, ...]],
    weekday_profile: np.ndarray,
    first: dt.date,
    last: dt.date,
) -> dict[dt.date, tuple[str, ...]]:
    """Put ``month_start`` on the first two full working days of each month in the range.

    Salaries and statements land on the 1st; when that is a weekend or a holiday the customers
    call on the next working days, not on a short Saturday evening.
    """
    full = _full_days(weekday_profile)
    out = {d: tuple(k for k in ks if k != MONTH_START) for d, ks in kinds.items()}
    month = dt.date(first.year, first.month, 1)
    while month <= last:
        day, found = month, 0
        while found < 2 and day.month == month.month:
            if _is_working(day, full, kinds):
                if first <= day <= last:
                    out[day] = tuple(sorted({*out.get(day, ()), MONTH_START}))
                found += 1
            day += dt.timedelta(days=1)
        month = dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return {d: ks for d, ks in sorted(out.items()) if ks}


def _shift_after_holiday(
    kinds: dict[dt.date, tuple[str, ...]], weekday_profile: np.ndarray, last: dt.date
) -> dict[dt.date, tuple[str, ...]]:
    """Move ``after_holiday`` to the first full working day after the holiday.

    The catch-up surge lands on the next full day the centre is open: after a Friday holiday in
    a Sunday-Thursday week that is Sunday, not the short Saturday evening; after the first day
    of Passover it is the day after the festival's intermediate (optional-holiday) days.
    """
    full = _full_days(weekday_profile)
    out = {d: tuple(k for k in ks if k != AFTER_HOLIDAY) for d, ks in kinds.items()}
    for d, ks in kinds.items():
        if AFTER_HOLIDAY not in ks:
            continue
        day = d
        for _ in range(10):
            if _is_working(day, full, kinds):
                break
            day += dt.timedelta(days=1)
        if day <= last:
            out[day] = tuple(sorted({*out.get(day, ()), AFTER_HOLIDAY}))
    return {d: ks for d, ks in sorted(out.items()) if ks}


def _recent_weekday_profile(
    mat: pd.DataFrame,
    hist_open: pd.DataFrame,
    kinds: Mapping[dt.date, tuple[str, ...]],
    origin: dt.date,
) -> np.ndarray:
    """Weekday x slot open profile from the last ``OPEN_WEEKS`` ordinary days of each weekday."""
    slots = mat.shape[1]
    out = np.zeros((7, slots), dtype=bool)
    dates = list(mat.index)
    for weekday in range(7):
        picked = [
            d
            for d in reversed(dates)
            if d.weekday() == weekday
            and d < origin
            and not any(k in HOURS_KINDS for k in kinds.get(d, ()))
            and bool(np.isfinite(mat.loc[d].to_numpy()).any())
        ][:OPEN_WEEKS]
        if picked:
            share = hist_open.loc[picked].to_numpy().mean(axis=0)
            out[weekday] = share >= OPEN_SHARE
    return out


def _kind_profiles(
    hist_open: pd.DataFrame, kinds: Mapping[dt.date, tuple[str, ...]]
) -> tuple[dict[str, np.ndarray], dict[str, int]]:
    """Open profile of each hours kind from its past days, and how many were open at all."""
    profiles: dict[str, np.ndarray] = {}
    open_days: dict[str, int] = {}
    for kind in HOURS_KINDS:
        past = [d for d in hist_open.index if kind in kinds.get(d, ())]
        if past:
            m = hist_open.loc[past].to_numpy()
            profiles[kind] = m.mean(axis=0) >= OPEN_SHARE
            open_days[kind] = int(m.any(axis=1).sum())
    return profiles, open_days


def _matrix_to_series(mat: pd.DataFrame, minutes: int) -> pd.Series:
    """Inverse of :func:`day_matrix` for a boolean matrix."""
    dates = pd.to_datetime(pd.Index(mat.index))
    offsets = pd.to_timedelta(np.arange(mat.shape[1]) * minutes, unit="min")
    ds = (dates.to_numpy()[:, None] + offsets.to_numpy()[None, :]).ravel()
    return pd.Series(mat.to_numpy().ravel(), index=pd.DatetimeIndex(ds), name="open")
