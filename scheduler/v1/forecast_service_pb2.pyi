from scheduler.v1 import demand_pb2 as _demand_pb2
from scheduler.v1 import scenario_pb2 as _scenario_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ForecastDemandRequest(_message.Message):
    __slots__ = ("history", "scenario", "horizon_days", "method", "backtest_origins")
    HISTORY_FIELD_NUMBER: _ClassVar[int]
    SCENARIO_FIELD_NUMBER: _ClassVar[int]
    HORIZON_DAYS_FIELD_NUMBER: _ClassVar[int]
    METHOD_FIELD_NUMBER: _ClassVar[int]
    BACKTEST_ORIGINS_FIELD_NUMBER: _ClassVar[int]
    history: _containers.RepeatedCompositeFieldContainer[_demand_pb2.HistoryRow]
    scenario: _scenario_pb2.Scenario
    horizon_days: int
    method: str
    backtest_origins: int
    def __init__(self, history: _Optional[_Iterable[_Union[_demand_pb2.HistoryRow, _Mapping]]] = ..., scenario: _Optional[_Union[_scenario_pb2.Scenario, _Mapping]] = ..., horizon_days: _Optional[int] = ..., method: _Optional[str] = ..., backtest_origins: _Optional[int] = ...) -> None: ...

class ForecastDemandResponse(_message.Message):
    __slots__ = ("forecast", "metrics", "warnings", "notes")
    FORECAST_FIELD_NUMBER: _ClassVar[int]
    METRICS_FIELD_NUMBER: _ClassVar[int]
    WARNINGS_FIELD_NUMBER: _ClassVar[int]
    NOTES_FIELD_NUMBER: _ClassVar[int]
    forecast: _containers.RepeatedCompositeFieldContainer[_demand_pb2.ForecastRow]
    metrics: _containers.RepeatedCompositeFieldContainer[_demand_pb2.ForecastMetric]
    warnings: _containers.RepeatedScalarFieldContainer[str]
    notes: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, forecast: _Optional[_Iterable[_Union[_demand_pb2.ForecastRow, _Mapping]]] = ..., metrics: _Optional[_Iterable[_Union[_demand_pb2.ForecastMetric, _Mapping]]] = ..., warnings: _Optional[_Iterable[str]] = ..., notes: _Optional[_Iterable[str]] = ...) -> None: ...
