"""Published shifts (issue 4): your own shifts, change notices and calendar feed; a team's roster.

Scoped like the pages, through `people/access.py`: everyone their own shifts; the roster of their
own team with names and times; team leads their teams, site managers their sites' teams and
planners every team, with channels. Writes call scheduling/feeds.py, the same services as the
"My shifts" page. Times are ISO 8601 with the Amsterdam offset.

No `from __future__ import annotations` in router modules: ninja reads the real annotations.
"""

from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import ValidationError as NinjaValidationError
from ninja.pagination import paginate

from veerkracht.people import access
from veerkracht.scheduling import feeds
from veerkracht.scheduling import selectors_shifts as sel
from veerkracht.scheduling.models_roster import Shift, ShiftChange
from veerkracht.scheduling.shifts import change_text

from ..pagination import PageNumberPagination
from ..schemas import ERRORS, Id, InputSchema, QuerySchema

router = Router(tags=["shifts"])

MAX_RANGE_DAYS = 120


def _invalid(where: str, field: str, message: str) -> NinjaValidationError:
    return NinjaValidationError([{"loc": [where, field], "msg": message, "type": "value_error"}])


# --- Own shifts ---------------------------------------------------------------------------------


class BlockOut(Schema):
    start: datetime
    end: datetime
    channel: str = Field("", description="Empty for a break")


class ShiftOut(Schema):
    id: int
    start: datetime
    end: datetime
    worked_minutes: int = Field(..., description="Without breaks")
    channels: list[str]
    breaks: list[BlockOut]
    assignments: list[BlockOut] = Field(..., description="Channel per time block")
    explanation: str = Field("", description="Why this shift (from the roster run)")
    iso_week: str = Field(..., description="e.g. 2026-W44")
    published_at: datetime | None
    updated_at: datetime


def _shift_out(shift: Shift) -> dict[str, Any]:
    view = sel.shift_view(shift)
    return {
        "id": shift.pk,
        "start": view.start,
        "end": view.end,
        "worked_minutes": view.worked_minutes,
        "channels": view.channels,
        "breaks": [{"start": b.start, "end": b.end} for b in view.breaks],
        "assignments": [
            {"start": b.start, "end": b.end, "channel": b.channel} for b in view.blocks
        ],
        "explanation": shift.why,
        "iso_week": sel.iso_week_label(view.day),
        "published_at": shift.published_at,
        "updated_at": shift.updated_at,
    }


class RangeQuery(QuerySchema):
    from_: date | None = Field(None, alias="from", description="First day (local); default today")
    to: date | None = Field(
        None, description=f"Last day (local), at most {MAX_RANGE_DAYS} days on; default +27 days"
    )


@router.get("/me/shifts", response={200: list[ShiftOut], **ERRORS})
def my_shifts(request: HttpRequest, filters: Query[RangeQuery]) -> list[dict[str, Any]]:
    """Your published shifts that start on the days `from` … `to` (local time), oldest first."""
    access.require_employee(request.auth)
    first = filters.from_ or timezone.localdate()
    last = filters.to or first + timedelta(days=27)
    if last < first:
        raise _invalid("query", "to", _("“to” must not be before “from”."))
    if (last - first).days >= MAX_RANGE_DAYS:
        raise _invalid(
            "query", "to", _("Ask for at most %(days)s days at a time.") % {"days": MAX_RANGE_DAYS}
        )
    start, end = sel.day_bounds(first, last)
    shifts = access.own_shifts_for(request.auth).filter(start__gte=start, start__lt=end)
    return [_shift_out(s) for s in shifts.order_by("start")]


# --- Change notices -----------------------------------------------------------------------------


class ShiftChangeOut(Schema):
    id: int
    kind: str = Field(..., description="added, changed, removed, swapped_away, swapped_in")
    shift: int | None
    before: dict[str, Any] | None = Field(None, description="{start, end, channels} or null")
    after: dict[str, Any] | None
    at: datetime
    by: str
    text: str = Field(..., description="One line in your language")
    seen_at: datetime | None

    @staticmethod
    def resolve_shift(obj: ShiftChange) -> int | None:
        return obj.shift_id

    @staticmethod
    def resolve_by(obj: ShiftChange) -> str:
        return sel.by_name(obj)

    @staticmethod
    def resolve_text(obj: ShiftChange) -> str:
        return change_text(obj)


class ChangesQuery(QuerySchema):
    unseen: bool = Field(False, description="Only the notices you have not seen yet")


@router.get("/me/shift-changes", response={200: list[ShiftChangeOut], **ERRORS})
@paginate(PageNumberPagination)
def my_shift_changes(request: HttpRequest, filters: Query[ChangesQuery]) -> QuerySet[ShiftChange]:
    """Notices of changes to your published shifts, newest first. Reading does not mark them
    seen: POST /me/shift-changes/seen does."""
    me = access.require_employee(request.auth)
    qs = ShiftChange.objects.filter(employee=me).select_related("by", "by__employee")
    if filters.unseen:
        qs = qs.filter(seen_at__isnull=True)
    # A queryset, so the paginator shapes only the page it returns.
    return qs.order_by("-at", "-pk")


class SeenIn(InputSchema):
    ids: list[Id] | None = Field(None, description="The notices to mark; leave out for all")


class SeenOut(Schema):
    marked: int


@router.post("/me/shift-changes/seen", response={200: SeenOut, **ERRORS})
def mark_seen(request: HttpRequest, payload: SeenIn) -> dict[str, int]:
    """Mark your notices as seen (all, or those in `ids`); others' ids are ignored."""
    me = access.require_employee(request.auth)
    return {"marked": feeds.mark_changes_seen(employee=me, ids=payload.ids)}


# --- Calendar feed ------------------------------------------------------------------------------


class FeedOut(Schema):
    active: bool
    token_hint: str | None = Field(None, description="The last 4 characters of the token")
    created_at: datetime | None
    last_used_at: datetime | None


class NewFeedOut(FeedOut):
    url: str = Field(..., description="The private ICS URL. Shown once: store it now.")
    webcal_url: str


def _feed_out(feed: Any) -> dict[str, Any]:
    if feed is None:
        return {"active": False, "token_hint": None, "created_at": None, "last_used_at": None}
    return {
        "active": feed.revoked_at is None,
        "token_hint": feed.token_hint,
        "created_at": feed.created_at,
        "last_used_at": feed.last_used_at,
    }


@router.get("/me/calendar-feed", response={200: FeedOut, **ERRORS})
def my_calendar_feed(request: HttpRequest) -> dict[str, Any]:
    """Whether you have a calendar feed, and when a calendar last fetched it (never the URL)."""
    return _feed_out(feeds.active_feed(access.require_employee(request.auth)))


@router.post("/me/calendar-feed", response={201: NewFeedOut, **ERRORS})
def create_calendar_feed(request: HttpRequest) -> Any:
    """A new private ICS feed URL of your published shifts; an earlier URL stops working."""
    me = access.require_employee(request.auth)
    feed, token = feeds.create_feed(employee=me, by=request.auth, request=request)
    return Status(
        201,
        {**_feed_out(feed), "url": feeds.feed_url(token), "webcal_url": feeds.webcal_url(token)},
    )


@router.delete("/me/calendar-feed", response={204: None, **ERRORS})
def revoke_calendar_feed(request: HttpRequest) -> Any:
    """Revoke your calendar feed: its URL answers 404 from now on. 404 when you have none."""
    me = access.require_employee(request.auth)
    feed = feeds.active_feed(me)
    if feed is None or not feeds.revoke_feed(feed=feed, by=request.auth, request=request):
        raise Http404
    return Status(204, None)


# --- Team roster --------------------------------------------------------------------------------


class TeamShiftOut(Schema):
    start: datetime
    end: datetime
    channels: list[str] | None = Field(None, description="Only for leads, site managers, planners")


class TeamMemberWeekOut(Schema):
    employee_id: int
    name: str
    worked_minutes: int
    shifts: list[TeamShiftOut]


class TeamWeekOut(Schema):
    team_id: int
    team: str
    week: str
    days: list[date]
    with_channels: bool
    members: list[TeamMemberWeekOut]


class WeekQuery(QuerySchema):
    week: str | None = Field(
        None, max_length=10, description="ISO week like 2026-W44; default this week"
    )


@router.get("/teams/{team_id}/shifts", response={200: TeamWeekOut, **ERRORS})
def team_shifts(request: HttpRequest, team_id: Id, filters: Query[WeekQuery]) -> dict[str, Any]:
    """The team's published shifts in one ISO week, per member (also members without shifts)."""
    access.require_employee(request.auth)
    team = access.get_roster_team_for(request.auth, team_id)
    monday = sel.monday_of(timezone.localdate())
    if filters.week:
        try:
            monday = sel.parse_iso_week(filters.week)
        except ValueError:
            raise _invalid(
                "query", "week", _("Enter a week like %(example)s.") % {"example": "2026-W44"}
            ) from None
    with_channels = access.can_see_roster_channels(request.auth, team)
    members = access.roster_members_for(request.auth, team)
    days, rows = sel.team_week(team, members, monday, with_channels=with_channels)
    return {
        "team_id": team.pk,
        "team": team.name,
        "week": sel.iso_week_label(monday),
        "days": days,
        "with_channels": with_channels,
        "members": [
            {
                "employee_id": r.employee.pk,
                "name": r.employee.full_name,
                "worked_minutes": r.worked_minutes,
                "shifts": [
                    {
                        "start": v.start,
                        "end": v.end,
                        "channels": v.channels if with_channels else None,
                    }
                    for v in r.shifts
                ],
            }
            for r in rows
        ],
    }
