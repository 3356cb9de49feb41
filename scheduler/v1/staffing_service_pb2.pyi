from scheduler.v1 import demand_pb2 as _demand_pb2
from scheduler.v1 import roster_pb2 as _roster_pb2
from scheduler.v1 import scenario_pb2 as _scenario_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ComputeRequirementsRequest(_message.Message):
    __slots__ = ("scenario", "forecast")
    SCENARIO_FIELD_NUMBER: _ClassVar[int]
    FORECAST_FIELD_NUMBER: _ClassVar[int]
    scenario: _scenario_pb2.Scenario
    forecast: _containers.RepeatedCompositeFieldContainer[_demand_pb2.ForecastRow]
    def __init__(self, scenario: _Optional[_Union[_scenario_pb2.Scenario, _Mapping]] = ..., forecast: _Optional[_Iterable[_Union[_demand_pb2.ForecastRow, _Mapping]]] = ...) -> None: ...

class ComputeRequirementsResponse(_message.Message):
    __slots__ = ("requirements",)
    REQUIREMENTS_FIELD_NUMBER: _ClassVar[int]
    requirements: _containers.RepeatedCompositeFieldContainer[_demand_pb2.Requirement]
    def __init__(self, requirements: _Optional[_Iterable[_Union[_demand_pb2.Requirement, _Mapping]]] = ...) -> None: ...

class EvaluateStaffingRequest(_message.Message):
    __slots__ = ("scenario", "requirements", "roster", "scheduled")
    SCENARIO_FIELD_NUMBER: _ClassVar[int]
    REQUIREMENTS_FIELD_NUMBER: _ClassVar[int]
    ROSTER_FIELD_NUMBER: _ClassVar[int]
    SCHEDULED_FIELD_NUMBER: _ClassVar[int]
    scenario: _scenario_pb2.Scenario
    requirements: _containers.RepeatedCompositeFieldContainer[_demand_pb2.Requirement]
    roster: _roster_pb2.Roster
    scheduled: _containers.RepeatedCompositeFieldContainer[_demand_pb2.ScheduledStaff]
    def __init__(self, scenario: _Optional[_Union[_scenario_pb2.Scenario, _Mapping]] = ..., requirements: _Optional[_Iterable[_Union[_demand_pb2.Requirement, _Mapping]]] = ..., roster: _Optional[_Union[_roster_pb2.Roster, _Mapping]] = ..., scheduled: _Optional[_Iterable[_Union[_demand_pb2.ScheduledStaff, _Mapping]]] = ...) -> None: ...

class EvaluateStaffingResponse(_message.Message):
    __slots__ = ("intervals", "kpis")
    INTERVALS_FIELD_NUMBER: _ClassVar[int]
    KPIS_FIELD_NUMBER: _ClassVar[int]
    intervals: _containers.RepeatedCompositeFieldContainer[_demand_pb2.IntervalService]
    kpis: _containers.RepeatedCompositeFieldContainer[_demand_pb2.Kpi]
    def __init__(self, intervals: _Optional[_Iterable[_Union[_demand_pb2.IntervalService, _Mapping]]] = ..., kpis: _Optional[_Iterable[_Union[_demand_pb2.Kpi, _Mapping]]] = ...) -> None: ...
