"""The roster problem and its solution: one definition for the CLI, the API and the JSON Schema.

A :class:`RosterProblem` describes a roster period of 1 to 28 local days in
``Europe/Amsterdam`` on the 15-minute grid: the channels and the agents each needs per
interval (``demand``), the planner's shift rules, the employees (skills, availability,
contract, preferences, age, fixed shifts) and the working-time :class:`WorkingTimeSettings`
(every number of the Arbeidstijdenwet, with the statutory default).  A :class:`RosterSolution`
is what a solver returns: a status, the objective and its lower bound, the shifts (with
pauses and per-interval channel assignments) and the coverage figures.

Times in the JSON are local ISO 8601 date-times.  Without a UTC offset they are read as
``Europe/Amsterdam`` wall-clock time; a wall-clock time that does not exist (02:00-02:59 on
the spring-forward day) is rejected, and so is one that happens twice (02:00-02:59 on the
fall-back day) unless it carries its offset (``+02:00`` for the first, ``+01:00`` for the
second occurrence).  After validation every time is an aware datetime in
``Europe/Amsterdam``, and JSON output always carries the offset.

Availability windows, assignments and the demand grid are on the 15-minute grid.  Shift and
pause times may be any whole minute, so that hand-made rosters and recorded working times
(art. 4:3 ATW) can be checked too.

:func:`load_problem` and :func:`load_solution` turn JSON text into models and raise
:class:`RosterInputError` with every problem as ``(path, message)``, the path written as in
``employees[3].availability[0].end``.  Contract names from issue 4 (``start``, ``days``,
``interval_minutes``, ``channels``, ``demand``, ``shift_rules``, ``employees``, ``status``,
``lower_bound``, ``shifts``, ``under_coverage`` and their members) are never renamed.
"""

from __future__ import annotations

import functools
import gc
import json
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from typing import Annotated, Any, Final, Literal, Self, TypeVar

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    JsonValue,
    NonNegativeInt,
    ValidationError,
    WithJsonSchema,
    field_validator,
    model_validator,
)
from pydantic_core import InitErrorDetails, PydanticCustomError

from veerkracht.planning.calendar import INTERVAL_S, TZ, intervals_in_day, local_midnight_utc_s

__all__ = [
    "MAX_DAYS",
    "Assignment",
    "Break",
    "ClockTime",
    "Employee",
    "Explanation",
    "RosterInputError",
    "RosterProblem",
    "RosterShift",
    "RosterSolution",
    "ShiftRules",
    "SolutionStatus",
    "TimeWindow",
    "WeeklyRestRule",
    "WorkShift",
    "WorkingTimeSettings",
    "clock_minutes",
    "expected_demand_length",
    "format_loc",
    "gc_paused",
    "load_problem",
    "load_solution",
    "problem_json_schema",
    "solution_json_schema",
]

MAX_DAYS: Final = 28
"""Longest roster period in days."""

INTERVAL_MINUTES: Final = INTERVAL_S // 60

_STRICT: Final = ConfigDict(extra="forbid")


# --------------------------------------------------------------------------------------------
# Errors and paths
# --------------------------------------------------------------------------------------------


class RosterInputError(ValueError):
    """A roster problem or solution cannot be read.

    Parameters
    ----------
    errors : list of (str, str)
        Every problem found as ``(path, message)``; the path is written like
        ``employees[3].availability[0].end`` and is ``""`` for the document as a whole.
    """

    def __init__(self, errors: Sequence[tuple[str, str]]) -> None:
        self.errors: list[tuple[str, str]] = list(errors)
        super().__init__(self.format())

    def format(self, *, limit: int | None = None) -> str:
        """One line per error, ``path: message``, at most ``limit`` lines."""
        shown = self.errors if limit is None else self.errors[:limit]
        lines = [f"{path}: {message}" if path else message for path, message in shown]
        if limit is not None and len(self.errors) > limit:
            lines.append(f"... and {len(self.errors) - limit} more")
        return "\n".join(lines)


_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")


def format_loc(loc: Iterable[int | str]) -> str:
    """Write a Pydantic error location as a path: ``("employees", 3, "id")`` -> ``employees[3].id``.

    Dictionary keys that are not plain names are quoted: ``demand["after hours"][5]``.
    """
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif _IDENTIFIER.fullmatch(part):
            out += f".{part}" if out else part
        else:
            out += f"[{json.dumps(part, ensure_ascii=False)}]"
    return out


def _errors_from_validation(exc: ValidationError) -> list[tuple[str, str]]:
    errors: list[tuple[str, str]] = []
    for err in exc.errors(include_url=False):
        message = str(err["msg"])
        if message.startswith("Value error, "):
            message = message[len("Value error, ") :]
        if err["type"] == "extra_forbidden":
            message = "unknown field (check the spelling; see `veerkracht roster schema`)"
        elif err["type"] == "missing":
            message = "required field is missing"
        errors.append((format_loc(err["loc"]), message))
    return errors


def _fail(loc: tuple[int | str, ...], kind: str, message: str, value: Any) -> InitErrorDetails:
    # Braces in the message would be read as placeholders by PydanticCustomError.
    text = message.replace("{", "{{").replace("}", "}}")
    return InitErrorDetails(type=PydanticCustomError(kind, text), loc=loc, input=value)


def _raise_if(title: str, errors: list[InitErrorDetails]) -> None:
    if errors:
        raise ValidationError.from_exception_data(title, errors)


# --------------------------------------------------------------------------------------------
# Local times
# --------------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=64)
def _transition_days(year: int) -> frozenset[date]:
    """Local dates of ``year`` on which the UTC offset of :data:`TZ` changes."""
    first = date(year, 1, 1)
    days = (date(year + 1, 1, 1) - first).days
    return frozenset(
        day
        for day in (first + timedelta(days=i) for i in range(days))
        if intervals_in_day(day) != 24 * 3600 // INTERVAL_S
    )


_PARSED: dict[str, datetime] = {}
_PARSED_MAX: Final = 100_000


def _parse_local(value: object) -> datetime:
    """Read a local ISO 8601 date-time (text or datetime) as an aware ``Europe/Amsterdam`` time."""
    if isinstance(value, str):
        # Rosters repeat the same few thousand times many times over: memoise by the text.
        hit = _PARSED.get(value)
        if hit is not None:
            return hit
        try:
            parsed = datetime.fromisoformat(value.strip())
        except ValueError:
            raise PydanticCustomError(
                "datetime_parsing",
                "{value} is not a date-time; write local ISO 8601 like 2026-03-02T08:15",
                {"value": repr(value[:40])},
            ) from None
        local = _to_zone(parsed)
        if len(_PARSED) >= _PARSED_MAX:
            _PARSED.clear()
        _PARSED[value] = local
        return local
    if isinstance(value, datetime):
        return _to_zone(value)
    raise PydanticCustomError(
        "datetime_type", "expected a date-time text like 2026-03-02T08:15", {}
    )


def _to_zone(value: datetime) -> datetime:
    if value.tzinfo is not None:
        return value.astimezone(TZ)
    local = value.replace(tzinfo=TZ)
    if value.date() not in _transition_days(value.year):
        return local
    if local.astimezone(UTC).astimezone(TZ).replace(tzinfo=None) != value:
        raise PydanticCustomError(
            "nonexistent_local_time",
            "{value} does not exist (clocks go forward from 02:00 to 03:00 on this day)",
            {"value": value.strftime("%Y-%m-%dT%H:%M")},
        )
    if local.utcoffset() != local.replace(fold=1).utcoffset():
        shown = value.strftime("%Y-%m-%dT%H:%M")
        raise PydanticCustomError(
            "ambiguous_local_time",
            "{value} happens twice on this day (clocks go back): write {value}+02:00 for the "
            "first or {value}+01:00 for the second occurrence",
            {"value": shown},
        )
    return local


def _local_any(value: object) -> datetime:
    return _parse_local(value)


def _local_minute(value: object) -> datetime:
    local = _parse_local(value)
    if local.second or local.microsecond:
        raise PydanticCustomError("not_whole_minute", "times must be whole minutes (no seconds)")
    return local


def _local_quarter(value: object) -> datetime:
    local = _parse_local(value)
    if local.second or local.microsecond or local.minute % INTERVAL_MINUTES:
        raise PydanticCustomError(
            "off_grid",
            "{value} is not on the 15-minute grid (minutes must be 00, 15, 30 or 45)",
            {"value": local.isoformat(timespec="seconds")},
        )
    return local


_DATETIME_SCHEMA: Final[dict[str, JsonValue]] = {
    "type": "string",
    "pattern": r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$",
    "description": (
        "Local ISO 8601 date-time in Europe/Amsterdam, e.g. 2026-03-02T08:15. Without an offset "
        "it is wall-clock time; on the fall-back day 02:00-02:59 needs the offset (+02:00 first, "
        "+01:00 second occurrence)."
    ),
    "examples": ["2026-03-02T08:15", "2026-10-25T02:30+01:00"],
}

LocalDateTime = Annotated[
    datetime, BeforeValidator(_local_any), WithJsonSchema(_DATETIME_SCHEMA, mode="validation")
]
"""A local date-time (any precision), e.g. a publication time."""

MinuteDateTime = Annotated[
    datetime, BeforeValidator(_local_minute), WithJsonSchema(_DATETIME_SCHEMA, mode="validation")
]
"""A local date-time in whole minutes (shift and pause times)."""

_GRID_SCHEMA: Final[dict[str, JsonValue]] = {
    **_DATETIME_SCHEMA,
    "description": f"On the 15-minute grid. {_DATETIME_SCHEMA['description']}",
}

GridDateTime = Annotated[
    datetime, BeforeValidator(_local_quarter), WithJsonSchema(_GRID_SCHEMA, mode="validation")
]
"""A local date-time on the 15-minute grid (availability, channel assignments)."""

_CLOCK = re.compile(r"^(?:(?:[01]\d|2[0-3]):[0-5]\d|24:00)$")

ClockTime = Annotated[
    str,
    Field(pattern=_CLOCK.pattern, examples=["07:00", "22:30", "24:00"]),
]
"""A wall-clock time ``HH:MM`` (``24:00`` is the end of the day)."""


def clock_minutes(text: str) -> int:
    """Minutes since midnight of an ``HH:MM`` wall-clock time (``"24:00"`` -> 1440)."""
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


# --------------------------------------------------------------------------------------------
# Working-time settings (Arbeidstijdenwet; see docs/roster-format.md and working-time.md)
# --------------------------------------------------------------------------------------------


class WeeklyRestRule(StrEnum):
    """Which form of the weekly rest (art. 5:5 ATW) applies."""

    SEVEN_DAYS = "7d"
    """At least 36 h uninterrupted in every week."""
    FOURTEEN_DAYS = "14d"
    """At least 72 h in every two consecutive weeks, in blocks of at least 32 h."""
    EITHER = "either"
    """A week passes if it meets the 7-day rule or lies in a two-week window meeting the 14-day rule."""


def _setting(default: int, description: str, *, ge: int = 0, le: int | None = None) -> Any:
    return Field(default=default, ge=ge, le=le, description=description)


class WorkingTimeSettings(BaseModel):
    """Every number of the working-time checks, with the statutory default.

    A collective agreement (CAO) may change some of them; the checker lists every value that
    differs from its default in the notes of its report.  Durations are in minutes.
    """

    model_config = _STRICT

    # Terms (art. 1:7)
    shift_separation_rest_minutes: int = _setting(
        480, "work separated by less rest than this is one shift (art. 1:7c)", ge=60
    )
    pause_min_block_minutes: int = _setting(
        15, "shortest interruption that counts as a pause; shorter ones are work (1:7e)", ge=15
    )
    night_work_min_minutes: int = _setting(
        60, "a shift with more work than this between 00:00 and 06:00 is a night shift (1:7d)"
    )
    week_start_day: int = Field(
        default=0,
        ge=0,
        le=6,
        description="first day of the week, 0 = Monday (enforcement practice)",
    )
    # ATW-01..07
    max_shift_work_minutes: int = _setting(720, "ATW-01: work per non-night shift")
    max_week_work_minutes: int = _setting(3600, "ATW-02: work per week")
    max_4_weeks_work_minutes: int = _setting(13200, "ATW-03: work in any 4 consecutive weeks")
    max_16_weeks_work_minutes: int = _setting(46080, "ATW-04: work in any 16 consecutive weeks")
    daily_rest_minutes: int = _setting(660, "ATW-05: rest between shifts")
    daily_rest_shortened_minutes: int = _setting(
        480, "ATW-05: the once-per-7-days shortened daily rest"
    )
    pause_threshold_1_work_minutes: int = _setting(330, "ATW-06: more work than this needs pause 1")
    pause_1_minutes: int = _setting(30, "ATW-06: total pause above threshold 1")
    pause_threshold_2_work_minutes: int = _setting(600, "ATW-06: more work than this needs pause 2")
    pause_2_minutes: int = _setting(45, "ATW-06: total pause above threshold 2")
    weekly_rest_rule: WeeklyRestRule = Field(
        default=WeeklyRestRule.EITHER, description="ATW-07: 7d, 14d or either (per week)"
    )
    weekly_rest_minutes: int = _setting(2160, "ATW-07: uninterrupted rest in every week")
    two_week_rest_minutes: int = _setting(4320, "ATW-07: rest in every two weeks (14-day form)")
    two_week_rest_block_minutes: int = _setting(
        1920, "ATW-07: shortest rest block that counts in the 14-day form"
    )
    sunday_work_by_consent: bool = Field(
        default=True,
        description="ATW-08: Sunday work needs the employee's consent (employee.sunday_work_allowed)",
    )
    min_free_sundays_per_52_weeks: int = Field(
        default=13, ge=0, le=52, description="ATW-09: free Sundays in any 52 weeks"
    )
    # Night shifts NA-01..07
    max_night_shift_work_minutes: int = _setting(600, "NA-01: work per night shift")
    max_long_night_shift_work_minutes: int = _setting(720, "NA-01: work of an extended night shift")
    max_long_night_shifts_per_14_days: int = _setting(5, "NA-01: extended night shifts per 14 days")
    max_long_night_shifts_per_52_weeks: int = _setting(
        22, "NA-01: extended night shifts per 52 weeks"
    )
    rest_after_long_night_shift_minutes: int = _setting(
        720, "NA-01: rest after an extended night shift"
    )
    night_heavy_min_night_shifts_per_16_weeks: int = _setting(
        16, "NA-03: night shifts in 16 weeks from which the lower average applies", ge=1
    )
    night_heavy_max_16_weeks_work_minutes: int = _setting(
        38400, "NA-03: work in such 16 weeks (40 h a week on average)"
    )
    late_night_end: ClockTime = Field(
        default="02:00", description="NA-04/NA-07: a night shift ending after this time"
    )
    rest_after_late_night_minutes: int = _setting(840, "NA-04: rest after a late night shift")
    rest_after_late_night_shortened_minutes: int = _setting(
        480, "NA-04: the once-per-7-days shortened rest after a late night shift"
    )
    night_series_min_shifts: int = _setting(
        3, "NA-05: consecutive night shifts needing long rest", ge=1
    )
    night_series_gap_minutes: int = _setting(
        1440, "NA-05: night shifts with less rest than this between them are consecutive"
    )
    rest_after_night_series_minutes: int = _setting(2760, "NA-05: rest after such a series")
    max_shifts_in_night_series: int = _setting(
        7, "NA-06: shifts in a series with a night shift", ge=1
    )
    night_series_break_rest_minutes: int = _setting(
        2160, "NA-06: a rest of at least this length ends a series of shifts (interpretation)"
    )
    max_late_night_shifts_per_16_weeks: int = _setting(
        36, "NA-07: night shifts ending after late_night_end per 16 weeks"
    )
    # Shortening of rests (ATW-05, NA-04)
    shortening_requires_reason: bool = Field(
        default=False,
        description=(
            "ATW-05/NA-04: a shortened rest is only allowed when the shift after it states a "
            "reason (rest_shortening_reason); otherwise it is allowed once per 7 days and noted"
        ),
    )
    # Employees aged 16-17 (JW-01..04)
    adult_age: int = Field(default=18, ge=16, description="from this age the adult rules apply")
    youth_max_shift_work_minutes: int = _setting(540, "JW-01: work per shift")
    youth_max_week_work_minutes: int = _setting(2700, "JW-01: work per week (school included)")
    youth_max_4_weeks_work_minutes: int = _setting(9600, "JW-01: work in any 4 consecutive weeks")
    youth_no_work_from: ClockTime = Field(default="23:00", description="JW-02: no work from")
    youth_no_work_until: ClockTime = Field(default="06:00", description="JW-02: no work until")
    youth_daily_rest_minutes: int = _setting(720, "JW-02: rest between shifts")
    youth_weekly_rest_minutes: int = _setting(2160, "JW-03: uninterrupted rest in every week")
    youth_pause_threshold_work_minutes: int = _setting(
        270, "JW-04: more work than this needs a pause"
    )
    youth_pause_minutes: int = _setting(30, "JW-04: total pause")
    # Roster process (art. 4:2)
    publish_days_ahead: int = Field(
        default=28, ge=0, description="publish the roster at least this many days before it starts"
    )

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        errors: list[InitErrorDetails] = []
        pairs = [
            ("daily_rest_shortened_minutes", "daily_rest_minutes"),
            ("rest_after_late_night_shortened_minutes", "rest_after_late_night_minutes"),
            ("max_night_shift_work_minutes", "max_long_night_shift_work_minutes"),
            ("pause_threshold_1_work_minutes", "pause_threshold_2_work_minutes"),
            ("two_week_rest_block_minutes", "two_week_rest_minutes"),
        ]
        for low, high in pairs:
            if getattr(self, low) > getattr(self, high):
                errors.append(
                    _fail(
                        (low,), "inconsistent", f"must not be more than {high}", getattr(self, low)
                    )
                )
        _raise_if("WorkingTimeSettings", errors)
        return self

    def overrides(self) -> dict[str, Any]:
        """The settings that differ from their statutory default, by name."""
        default = WorkingTimeSettings()
        return {
            name: getattr(self, name)
            for name in type(self).model_fields
            if getattr(self, name) != getattr(default, name)
        }


# --------------------------------------------------------------------------------------------
# Building blocks
# --------------------------------------------------------------------------------------------


def _end_after_start(start: datetime, end: datetime, title: str) -> None:
    # Compare instants: aware datetimes sharing a tzinfo compare by wall clock and ignore
    # `fold`, so 02:00+01:00 would not be after 02:00+02:00 on the fall-back day.
    if end.timestamp() <= start.timestamp():
        raise ValidationError.from_exception_data(
            title,
            [
                _fail(
                    ("end",),
                    "end_not_after_start",
                    f"end {end.isoformat(timespec='minutes')} must be after start "
                    f"{start.isoformat(timespec='minutes')}",
                    end.isoformat(),
                )
            ],
        )


class TimeWindow(BaseModel):
    """A window of local time ``[start, end)`` on the 15-minute grid."""

    model_config = _STRICT

    start: GridDateTime
    end: GridDateTime

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        _end_after_start(self.start, self.end, "TimeWindow")
        return self


class Break(BaseModel):
    """A pause ``[start, end)`` inside a shift, in whole minutes."""

    model_config = _STRICT

    start: MinuteDateTime
    end: MinuteDateTime

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        _end_after_start(self.start, self.end, "Break")
        return self


class Assignment(BaseModel):
    """Work on one channel during ``[start, end)``, on the 15-minute grid."""

    model_config = _STRICT

    start: GridDateTime
    end: GridDateTime
    channel: str = Field(min_length=1)

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        _end_after_start(self.start, self.end, "Assignment")
        return self


class WorkShift(BaseModel):
    """A shift as rostered: from ``start`` to ``end`` with its pauses and channel assignments.

    Time inside the shift that is neither a pause nor assigned to a channel is other work
    (training, follow-up).  A pause shorter than ``pause_min_block_minutes`` (15) counts as
    working time under the law.
    """

    model_config = _STRICT

    start: MinuteDateTime
    end: MinuteDateTime
    breaks: list[Break] = Field(default_factory=list)
    assignments: list[Assignment] = Field(default_factory=list)
    rest_shortening_reason: str | None = Field(
        default=None,
        description="why the rest before this shift is shortened (ATW-05 / NA-04), if it is",
    )

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        _end_after_start(self.start, self.end, "WorkShift")
        return self


class RosterShift(WorkShift):
    """A shift of one employee in a solution."""

    employee: str = Field(min_length=1)
    fixed: bool = Field(default=False, description="kept from the problem's fixed_shifts")


class ShiftRules(BaseModel):
    """The planner's rules for shift shapes; the working-time rules apply on top, always.

    A shift starts at ``earliest_start`` or a multiple of ``start_step_minutes`` after it
    (local wall-clock time of its start day) and ends by ``latest_end``; when ``latest_end``
    is before ``earliest_start`` it is on the next day (``"22:00"``/``"07:00"`` for nights),
    ``"24:00"`` is midnight at the end of the start day, and equal times (the default
    ``"00:00"``/``"00:00"``) mean round the clock: no limit.  ``min_minutes`` and
    ``max_minutes`` bound the length from start to end, pauses included.
    """

    model_config = _STRICT

    min_minutes: int = Field(ge=15, le=24 * 60)
    max_minutes: int = Field(ge=15, le=24 * 60)
    start_step_minutes: int = Field(default=15, ge=15, le=24 * 60)
    earliest_start: ClockTime = "00:00"
    latest_end: ClockTime = "00:00"

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        errors: list[InitErrorDetails] = []
        for name in ("min_minutes", "max_minutes", "start_step_minutes"):
            if getattr(self, name) % INTERVAL_MINUTES:
                errors.append(
                    _fail((name,), "off_grid", "must be a multiple of 15", getattr(self, name))
                )
        for name in ("earliest_start", "latest_end"):
            if clock_minutes(getattr(self, name)) % INTERVAL_MINUTES:
                errors.append(
                    _fail((name,), "off_grid", "must be on the 15-minute grid", getattr(self, name))
                )
        if self.earliest_start == "24:00":
            errors.append(_fail(("earliest_start",), "invalid", "use 00:00", "24:00"))
        if self.min_minutes > self.max_minutes:
            errors.append(
                _fail(
                    ("min_minutes",),
                    "inconsistent",
                    f"min_minutes {self.min_minutes} is more than max_minutes {self.max_minutes}",
                    self.min_minutes,
                )
            )
        elif self.window_minutes() < self.min_minutes:
            errors.append(
                _fail(
                    ("latest_end",),
                    "inconsistent",
                    f"from {self.earliest_start} to {self.latest_end} there is no room for a shift "
                    f"of {self.min_minutes} minutes",
                    self.latest_end,
                )
            )
        _raise_if("ShiftRules", errors)
        return self

    @property
    def round_the_clock(self) -> bool:
        """True when shifts may start and end at any time of day."""
        return clock_minutes(self.earliest_start) == clock_minutes(self.latest_end)

    def window_minutes(self) -> int:
        """Wall-clock minutes from ``earliest_start`` to ``latest_end`` (1440 round the clock)."""
        lo, hi = clock_minutes(self.earliest_start), clock_minutes(self.latest_end)
        return hi - lo if hi > lo else hi + 24 * 60 - lo


class Employee(BaseModel):
    """An employee to roster."""

    model_config = _STRICT

    id: str = Field(min_length=1)
    skills: list[str] = Field(description="channels the employee is trained for")
    availability: list[TimeWindow] = Field(
        default_factory=list, description="when the employee can work (windows may overlap)"
    )
    min_minutes_per_week: NonNegativeInt = 0
    max_minutes_per_week: NonNegativeInt
    wished_minutes_per_week: NonNegativeInt | None = None
    age: int | None = Field(
        default=None, description="age at the start of the period; 16-17 get the youth rules"
    )
    preferred_channels: list[str] = Field(default_factory=list)
    unpreferred_channels: list[str] = Field(default_factory=list)
    fixed_shifts: list[WorkShift] = Field(
        default_factory=list, description="shifts that must stay as they are (published, by hand)"
    )
    previous_shifts: list[WorkShift] = Field(
        default_factory=list,
        description=(
            "shifts worked before the period (up to 52 weeks), used only by the working-time "
            "checks across the period start"
        ),
    )
    weekly_rest_rule: WeeklyRestRule | None = Field(
        default=None, description="overrides settings.weekly_rest_rule for this employee"
    )
    school_minutes_per_week: NonNegativeInt = Field(
        default=0, description="school hours of a 16-17-year-old, counted as work (JW-01)"
    )
    sunday_work_allowed: bool = Field(
        default=True, description="consent or contract for Sunday work (ATW-08)"
    )

    @field_validator("age")
    @classmethod
    def _age(cls, value: int | None) -> int | None:
        if value is not None and value < 16:
            raise PydanticCustomError(
                "too_young",
                "employees under 16 are not rostered in a contact center (age {age})",
                {"age": value},
            )
        if value is not None and value > 100:
            raise PydanticCustomError(
                "implausible_age", "age {age} is not plausible", {"age": value}
            )
        return value

    @model_validator(mode="after")
    def _contract(self) -> Self:
        errors: list[InitErrorDetails] = []
        if self.min_minutes_per_week > self.max_minutes_per_week:
            errors.append(
                _fail(
                    ("min_minutes_per_week",),
                    "inconsistent",
                    f"{self.min_minutes_per_week} is more than max_minutes_per_week "
                    f"{self.max_minutes_per_week}",
                    self.min_minutes_per_week,
                )
            )
        wished = self.wished_minutes_per_week
        if wished is not None and not (
            self.min_minutes_per_week <= wished <= self.max_minutes_per_week
        ):
            errors.append(
                _fail(
                    ("wished_minutes_per_week",),
                    "outside_contract",
                    f"{wished} is outside the contract ({self.min_minutes_per_week}-"
                    f"{self.max_minutes_per_week} minutes per week)",
                    wished,
                )
            )
        both = sorted(set(self.preferred_channels) & set(self.unpreferred_channels))
        if both:
            errors.append(
                _fail(
                    ("unpreferred_channels",),
                    "contradiction",
                    f"{', '.join(both)} is also a preferred channel",
                    both,
                )
            )
        _raise_if("Employee", errors)
        return self

    def is_youth(self, settings: WorkingTimeSettings) -> bool:
        """Whether the youth rules (JW) apply instead of the adult ones."""
        return self.age is not None and self.age < settings.adult_age


# --------------------------------------------------------------------------------------------
# The problem
# --------------------------------------------------------------------------------------------


def expected_demand_length(start: date, days: int) -> int:
    """Number of local 15-minute intervals in ``days`` days from ``start`` (92/96/100 per day)."""
    return (
        local_midnight_utc_s(start + timedelta(days=days)) - local_midnight_utc_s(start)
    ) // INTERVAL_S


def _describe_length(start: date, days: int) -> str:
    special = []
    for i in range(days):
        day = start + timedelta(days=i)
        n = intervals_in_day(day)
        if n != 96:
            why = "clocks go forward" if n < 96 else "clocks go back"
            special.append(f"{day.isoformat()} has {n} ({why})")
    last = start + timedelta(days=days - 1)
    span = start.isoformat() if days == 1 else f"{start.isoformat()} to {last.isoformat()}"
    text = f"one per 15-minute interval of {span}"
    if special:
        text += "; " + ", ".join(special)
    return text


class RosterProblem(BaseModel):
    """A roster period to fill: demand per channel and interval, rules and employees.

    Attributes
    ----------
    start : date
        First local day of the period.
    days : int
        Number of days, 1 to 28.
    interval_minutes : int
        Always 15.
    timezone : str
        Always ``"Europe/Amsterdam"``.
    channels : list of str
        Channel names; ``demand``, skills and assignments use only these.
    demand : dict of str to list of int
        Required agents per local interval of the period, one entry per interval (92 on the
        spring-forward day, 100 on the fall-back day, else 96 per day).  A channel without
        an entry needs nobody.
    shift_rules : ShiftRules
        Shift shapes.
    employees : list of Employee
        Employees with unique ids.
    settings : WorkingTimeSettings
        Working-time numbers (statutory defaults).
    published_at : datetime, optional
        When the roster was (or will be) published; later than ``publish_days_ahead`` days
        before ``start`` gives a warning.
    """

    model_config = _STRICT

    start: date
    days: int = Field(ge=1, le=MAX_DAYS)
    interval_minutes: Literal[15] = 15
    timezone: Literal["Europe/Amsterdam"] = "Europe/Amsterdam"
    channels: list[str] = Field(min_length=1)
    demand: dict[str, list[NonNegativeInt]] = Field(default_factory=dict)
    shift_rules: ShiftRules
    employees: list[Employee] = Field(default_factory=list)
    settings: WorkingTimeSettings = Field(default_factory=WorkingTimeSettings)
    published_at: LocalDateTime | None = None

    @field_validator("channels")
    @classmethod
    def _channels(cls, value: list[str]) -> list[str]:
        for name in value:
            if not name.strip():
                raise PydanticCustomError("empty_channel", "channel names must not be empty")
        seen = {c for c in value if value.count(c) > 1}
        if seen:
            raise PydanticCustomError(
                "duplicate_channel", "duplicate channel {names}", {"names": ", ".join(sorted(seen))}
            )
        return value

    @property
    def period_start(self) -> datetime:
        """Local midnight starting the period."""
        return datetime.fromtimestamp(local_midnight_utc_s(self.start), TZ)

    @property
    def period_end(self) -> datetime:
        """Local midnight ending the period (exclusive)."""
        return datetime.fromtimestamp(
            local_midnight_utc_s(self.start + timedelta(days=self.days)), TZ
        )

    @property
    def n_intervals(self) -> int:
        """Number of 15-minute intervals in the period."""
        return expected_demand_length(self.start, self.days)

    def employee(self, employee_id: str) -> Employee | None:
        """The employee with this id, if any."""
        for emp in self.employees:
            if emp.id == employee_id:
                return emp
        return None

    @model_validator(mode="after")
    def _coherent(self) -> Self:
        errors: list[InitErrorDetails] = []
        channels = set(self.channels)
        expected = self.n_intervals
        for name, values in self.demand.items():
            if name not in channels:
                errors.append(
                    _fail(
                        ("demand", name),
                        "unknown_channel",
                        f"unknown channel {name!r}; channels are {', '.join(self.channels)}",
                        name,
                    )
                )
            elif len(values) != expected:
                errors.append(
                    _fail(
                        ("demand", name),
                        "wrong_length",
                        f"expected {expected} values ({_describe_length(self.start, self.days)}), "
                        f"got {len(values)}",
                        len(values),
                    )
                )
        lo, hi = self.period_start, self.period_end
        first_id: dict[str, int] = {}
        for i, emp in enumerate(self.employees):
            at: tuple[int | str, ...] = ("employees", i)
            if emp.id in first_id:
                errors.append(
                    _fail(
                        (*at, "id"),
                        "duplicate_id",
                        f"duplicate employee id {emp.id!r} (also employees[{first_id[emp.id]}])",
                        emp.id,
                    )
                )
            else:
                first_id[emp.id] = i
            for field in ("skills", "preferred_channels", "unpreferred_channels"):
                for j, channel in enumerate(getattr(emp, field)):
                    if channel not in channels:
                        errors.append(
                            _fail(
                                (*at, field, j),
                                "unknown_channel",
                                f"unknown channel {channel!r}; channels are {', '.join(self.channels)}",
                                channel,
                            )
                        )
            for j, window in enumerate(emp.availability):
                errors.extend(_inside(window.start, window.end, lo, hi, (*at, "availability", j)))
            for j, shift in enumerate(emp.fixed_shifts):
                errors.extend(_inside(shift.start, shift.end, lo, hi, (*at, "fixed_shifts", j)))
                for k, assignment in enumerate(shift.assignments):
                    if assignment.channel not in channels:
                        errors.append(
                            _fail(
                                (*at, "fixed_shifts", j, "assignments", k, "channel"),
                                "unknown_channel",
                                f"unknown channel {assignment.channel!r}",
                                assignment.channel,
                            )
                        )
            for j, shift in enumerate(emp.previous_shifts):
                if shift.end > lo:
                    errors.append(
                        _fail(
                            (*at, "previous_shifts", j, "end"),
                            "not_before_period",
                            f"previous shifts must end by the period start {_show(lo)}",
                            shift.end.isoformat(),
                        )
                    )
        _raise_if("RosterProblem", errors)
        return self


def _show(moment: datetime) -> str:
    return moment.isoformat(timespec="minutes")


def _inside(
    start: datetime, end: datetime, lo: datetime, hi: datetime, at: tuple[int | str, ...]
) -> list[InitErrorDetails]:
    errors = []
    period = f"the period {_show(lo)} to {_show(hi)}"
    if start < lo or start >= hi:
        errors.append(
            _fail(
                (*at, "start"),
                "outside_period",
                f"{_show(start)} is outside {period}",
                _show(start),
            )
        )
    if end > hi or end <= lo:
        errors.append(
            _fail((*at, "end"), "outside_period", f"{_show(end)} is outside {period}", _show(end))
        )
    return errors


# --------------------------------------------------------------------------------------------
# The solution
# --------------------------------------------------------------------------------------------


class SolutionStatus(StrEnum):
    """How a solver run ended."""

    OPTIMAL = "optimal"
    FEASIBLE = "feasible"
    INFEASIBLE = "infeasible"
    TIMEOUT = "timeout"


class Explanation(BaseModel):
    """Why a shift is where it is, or why demand is unmet, with parameters for translation."""

    model_config = _STRICT

    code: str = Field(
        min_length=1, description="machine-readable reason, e.g. 'no_available_skill'"
    )
    message: str = Field(description="English text")
    employee: str | None = None
    channel: str | None = None
    start: LocalDateTime | None = None
    end: LocalDateTime | None = None
    params: dict[str, JsonValue] = Field(default_factory=dict)


class RosterSolution(BaseModel):
    """A roster: shifts with pauses and channel assignments, and the coverage they give.

    Attributes
    ----------
    status : SolutionStatus
        ``optimal``, ``feasible``, ``infeasible`` or ``timeout``.
    objective : float, optional
        Objective value of the roster (lower is better).
    lower_bound : float, optional
        A proven lower bound on the objective.
    shifts : list of RosterShift
        All shifts, fixed ones included.
    under_coverage, over_coverage, coverage : dict of str to list of int, optional
        Per channel per interval of the period: agents missing, agents above demand, agents
        assigned.  The checker recomputes them from the assignments.
    explanations : list of Explanation
        Per-employee and per-interval reasons.
    report : dict, optional
        Anything else a solver reports (KPIs, conflicts when infeasible, progress).
    """

    model_config = _STRICT

    status: SolutionStatus
    objective: float | None = None
    lower_bound: float | None = None
    shifts: list[RosterShift] = Field(default_factory=list)
    under_coverage: dict[str, list[NonNegativeInt]] | None = None
    over_coverage: dict[str, list[NonNegativeInt]] | None = None
    coverage: dict[str, list[NonNegativeInt]] | None = None
    explanations: list[Explanation] = Field(default_factory=list)
    report: dict[str, JsonValue] | None = None


# --------------------------------------------------------------------------------------------
# Loading and schemas
# --------------------------------------------------------------------------------------------


def _parse_json(text: str | bytes) -> Any:
    if isinstance(text, bytes | bytearray):
        try:
            text = bytes(text).decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise RosterInputError(
                [("", f"not UTF-8 text (byte {exc.start}): save the file as UTF-8")]
            ) from None
    elif text.startswith("\ufeff"):
        text = text[1:]
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise RosterInputError(
            [("", f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}")]
        ) from None
    except RecursionError:
        raise RosterInputError([("", "invalid JSON: nested too deeply")]) from None


_M = TypeVar("_M", bound=BaseModel)


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while building many objects.

    A month's roster is about a million Python objects; every collection pass walks all of
    them, which made loading and checking it nearly twice as slow.  Nothing here creates
    reference cycles, so the collector is only paused (and restored as it was).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _validate(model: type[_M], data: Any) -> _M:
    if not isinstance(data, dict):
        raise RosterInputError([("", "expected a JSON object at the top level")])
    try:
        with gc_paused():
            return model.model_validate(data)
    except ValidationError as exc:
        raise RosterInputError(_errors_from_validation(exc)) from None


def load_problem(text: str | bytes | Mapping[str, Any]) -> RosterProblem:
    """Read a roster problem from JSON text (or an already parsed mapping).

    Raises
    ------
    RosterInputError
        For invalid JSON (with line and column) and for every schema or consistency error,
        each with its path.
    """
    with gc_paused():
        data = dict(text) if isinstance(text, Mapping) else _parse_json(text)
    return _validate(RosterProblem, data)


def load_solution(text: str | bytes | Mapping[str, Any]) -> RosterSolution:
    """Read a roster solution from JSON text (or an already parsed mapping).

    Raises
    ------
    RosterInputError
        As :func:`load_problem`.
    """
    with gc_paused():
        data = dict(text) if isinstance(text, Mapping) else _parse_json(text)
    return _validate(RosterSolution, data)


def _schema(model: type[BaseModel], title: str) -> dict[str, Any]:
    schema = model.model_json_schema(mode="validation")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://veerkracht.example/schemas/{title}.json",
        **schema,
    }


def problem_json_schema() -> dict[str, Any]:
    """JSON Schema (draft 2020-12) of :class:`RosterProblem`.

    The schema covers shapes and ranges; consistency checks (demand lengths, windows inside
    the period, known channels, unique ids) are done by :func:`load_problem`.
    """
    return _schema(RosterProblem, "roster-problem")


def solution_json_schema() -> dict[str, Any]:
    """JSON Schema (draft 2020-12) of :class:`RosterSolution`."""
    return _schema(RosterSolution, "roster-solution")
