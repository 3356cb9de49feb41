from scheduler.v1 import demand_pb2 as _demand_pb2
from scheduler.v1 import roster_pb2 as _roster_pb2
from scheduler.v1 import scenario_pb2 as _scenario_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class RosterInput(_message.Message):
    __slots__ = ("scenario", "requirements", "forecast", "options", "roster_id", "expected_version")
    SCENARIO_FIELD_NUMBER: _ClassVar[int]
    REQUIREMENTS_FIELD_NUMBER: _ClassVar[int]
    FORECAST_FIELD_NUMBER: _ClassVar[int]
    OPTIONS_FIELD_NUMBER: _ClassVar[int]
    ROSTER_ID_FIELD_NUMBER: _ClassVar[int]
    EXPECTED_VERSION_FIELD_NUMBER: _ClassVar[int]
    scenario: _scenario_pb2.Scenario
    requirements: _containers.RepeatedCompositeFieldContainer[_demand_pb2.Requirement]
    forecast: _containers.RepeatedCompositeFieldContainer[_demand_pb2.ForecastRow]
    options: _roster_pb2.SolveOptions
    roster_id: str
    expected_version: int
    def __init__(self, scenario: _Optional[_Union[_scenario_pb2.Scenario, _Mapping]] = ..., requirements: _Optional[_Iterable[_Union[_demand_pb2.Requirement, _Mapping]]] = ..., forecast: _Optional[_Iterable[_Union[_demand_pb2.ForecastRow, _Mapping]]] = ..., options: _Optional[_Union[_roster_pb2.SolveOptions, _Mapping]] = ..., roster_id: _Optional[str] = ..., expected_version: _Optional[int] = ...) -> None: ...

class GenerateRosterRequest(_message.Message):
    __slots__ = ("request_id", "input")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    INPUT_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    input: RosterInput
    def __init__(self, request_id: _Optional[str] = ..., input: _Optional[_Union[RosterInput, _Mapping]] = ...) -> None: ...

class GenerateRosterResponse(_message.Message):
    __slots__ = ("roster",)
    ROSTER_FIELD_NUMBER: _ClassVar[int]
    roster: _roster_pb2.RosterVersion
    def __init__(self, roster: _Optional[_Union[_roster_pb2.RosterVersion, _Mapping]] = ...) -> None: ...

class CreateRosterJobRequest(_message.Message):
    __slots__ = ("request_id", "input")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    INPUT_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    input: RosterInput
    def __init__(self, request_id: _Optional[str] = ..., input: _Optional[_Union[RosterInput, _Mapping]] = ...) -> None: ...

class CreateRosterJobResponse(_message.Message):
    __slots__ = ("job",)
    JOB_FIELD_NUMBER: _ClassVar[int]
    job: _roster_pb2.RosterJob
    def __init__(self, job: _Optional[_Union[_roster_pb2.RosterJob, _Mapping]] = ...) -> None: ...

class GetRosterJobRequest(_message.Message):
    __slots__ = ("job_id",)
    JOB_ID_FIELD_NUMBER: _ClassVar[int]
    job_id: str
    def __init__(self, job_id: _Optional[str] = ...) -> None: ...

class GetRosterJobResponse(_message.Message):
    __slots__ = ("job",)
    JOB_FIELD_NUMBER: _ClassVar[int]
    job: _roster_pb2.RosterJob
    def __init__(self, job: _Optional[_Union[_roster_pb2.RosterJob, _Mapping]] = ...) -> None: ...

class WatchRosterJobRequest(_message.Message):
    __slots__ = ("job_id",)
    JOB_ID_FIELD_NUMBER: _ClassVar[int]
    job_id: str
    def __init__(self, job_id: _Optional[str] = ...) -> None: ...

class WatchRosterJobResponse(_message.Message):
    __slots__ = ("progress", "job")
    PROGRESS_FIELD_NUMBER: _ClassVar[int]
    JOB_FIELD_NUMBER: _ClassVar[int]
    progress: _roster_pb2.JobProgress
    job: _roster_pb2.RosterJob
    def __init__(self, progress: _Optional[_Union[_roster_pb2.JobProgress, _Mapping]] = ..., job: _Optional[_Union[_roster_pb2.RosterJob, _Mapping]] = ...) -> None: ...

class CancelRosterJobRequest(_message.Message):
    __slots__ = ("job_id",)
    JOB_ID_FIELD_NUMBER: _ClassVar[int]
    job_id: str
    def __init__(self, job_id: _Optional[str] = ...) -> None: ...

class CancelRosterJobResponse(_message.Message):
    __slots__ = ("job",)
    JOB_FIELD_NUMBER: _ClassVar[int]
    job: _roster_pb2.RosterJob
    def __init__(self, job: _Optional[_Union[_roster_pb2.RosterJob, _Mapping]] = ...) -> None: ...

class GetRosterRequest(_message.Message):
    __slots__ = ("roster_id", "version")
    ROSTER_ID_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    roster_id: str
    version: int
    def __init__(self, roster_id: _Optional[str] = ..., version: _Optional[int] = ...) -> None: ...

class GetRosterResponse(_message.Message):
    __slots__ = ("roster",)
    ROSTER_FIELD_NUMBER: _ClassVar[int]
    roster: _roster_pb2.RosterVersion
    def __init__(self, roster: _Optional[_Union[_roster_pb2.RosterVersion, _Mapping]] = ...) -> None: ...

class ListRostersRequest(_message.Message):
    __slots__ = ("page_size", "page_token", "site")
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    SITE_FIELD_NUMBER: _ClassVar[int]
    page_size: int
    page_token: str
    site: str
    def __init__(self, page_size: _Optional[int] = ..., page_token: _Optional[str] = ..., site: _Optional[str] = ...) -> None: ...

class ListRostersResponse(_message.Message):
    __slots__ = ("rosters", "next_page_token")
    ROSTERS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    rosters: _containers.RepeatedCompositeFieldContainer[_roster_pb2.RosterSummary]
    next_page_token: str
    def __init__(self, rosters: _Optional[_Iterable[_Union[_roster_pb2.RosterSummary, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class PublishRosterRequest(_message.Message):
    __slots__ = ("roster_id", "version")
    ROSTER_ID_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    roster_id: str
    version: int
    def __init__(self, roster_id: _Optional[str] = ..., version: _Optional[int] = ...) -> None: ...

class PublishRosterResponse(_message.Message):
    __slots__ = ("roster",)
    ROSTER_FIELD_NUMBER: _ClassVar[int]
    roster: _roster_pb2.RosterVersion
    def __init__(self, roster: _Optional[_Union[_roster_pb2.RosterVersion, _Mapping]] = ...) -> None: ...

class ValidateRosterRequest(_message.Message):
    __slots__ = ("scenario", "roster", "requirements", "forecast", "roster_id", "version")
    SCENARIO_FIELD_NUMBER: _ClassVar[int]
    ROSTER_FIELD_NUMBER: _ClassVar[int]
    REQUIREMENTS_FIELD_NUMBER: _ClassVar[int]
    FORECAST_FIELD_NUMBER: _ClassVar[int]
    ROSTER_ID_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    scenario: _scenario_pb2.Scenario
    roster: _roster_pb2.Roster
    requirements: _containers.RepeatedCompositeFieldContainer[_demand_pb2.Requirement]
    forecast: _containers.RepeatedCompositeFieldContainer[_demand_pb2.ForecastRow]
    roster_id: str
    version: int
    def __init__(self, scenario: _Optional[_Union[_scenario_pb2.Scenario, _Mapping]] = ..., roster: _Optional[_Union[_roster_pb2.Roster, _Mapping]] = ..., requirements: _Optional[_Iterable[_Union[_demand_pb2.Requirement, _Mapping]]] = ..., forecast: _Optional[_Iterable[_Union[_demand_pb2.ForecastRow, _Mapping]]] = ..., roster_id: _Optional[str] = ..., version: _Optional[int] = ...) -> None: ...

class ValidateRosterResponse(_message.Message):
    __slots__ = ("valid", "violations", "kpis")
    VALID_FIELD_NUMBER: _ClassVar[int]
    VIOLATIONS_FIELD_NUMBER: _ClassVar[int]
    KPIS_FIELD_NUMBER: _ClassVar[int]
    valid: bool
    violations: _containers.RepeatedCompositeFieldContainer[_roster_pb2.Violation]
    kpis: _containers.RepeatedCompositeFieldContainer[_demand_pb2.Kpi]
    def __init__(self, valid: _Optional[bool] = ..., violations: _Optional[_Iterable[_Union[_roster_pb2.Violation, _Mapping]]] = ..., kpis: _Optional[_Iterable[_Union[_demand_pb2.Kpi, _Mapping]]] = ...) -> None: ...

class ListAuditEventsRequest(_message.Message):
    __slots__ = ("page_size", "page_token", "roster_id", "action")
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    ROSTER_ID_FIELD_NUMBER: _ClassVar[int]
    ACTION_FIELD_NUMBER: _ClassVar[int]
    page_size: int
    page_token: str
    roster_id: str
    action: str
    def __init__(self, page_size: _Optional[int] = ..., page_token: _Optional[str] = ..., roster_id: _Optional[str] = ..., action: _Optional[str] = ...) -> None: ...

class ListAuditEventsResponse(_message.Message):
    __slots__ = ("events", "next_page_token")
    EVENTS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    events: _containers.RepeatedCompositeFieldContainer[_roster_pb2.AuditEvent]
    next_page_token: str
    def __init__(self, events: _Optional[_Iterable[_Union[_roster_pb2.AuditEvent, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...
