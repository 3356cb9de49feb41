"""Demand forecasting for contact centres: volume and handle time per queue and interval.

Prophet per queue with the intraday recipe, backtested against weekly seasonal naive and the
weekday x interval average in the same rolling-origin split; the best method is picked per queue
(DESIGN.md §5). Imports nothing from ``scheduler``.

Entry point: :func:`forecasts.core.forecast_history`.
"""

from forecasts.core import ForecastRun, forecast_history
from forecasts.schema import (
    FORECAST_COLUMNS,
    HISTORY_REQUIRED,
    HistoryError,
    OpenHours,
    Problem,
    SpecialDay,
    infer_interval_minutes,
    read_history,
    validate_history,
)

__all__ = [
    "FORECAST_COLUMNS",
    "HISTORY_REQUIRED",
    "ForecastRun",
    "HistoryError",
    "OpenHours",
    "Problem",
    "SpecialDay",
    "forecast_history",
    "infer_interval_minutes",
    "read_history",
    "validate_history",
]
