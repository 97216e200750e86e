"""1:1 check-ins and the attention list (issue 5).

Reads start from wellbeing/selectors_checkins.py (which uses people/access.py): a team lead sees
the 1:1s of the members of the teams they lead, an agent their own; everyone else an empty list
and 404s. Writes call wellbeing/checkins.py. `private_notes` is returned to the lead only (each
read audited) and is always null for the agent; `score` may be set by the agent only.
"""

from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from veerkracht.people import access
from veerkracht.wellbeing import attention as attention_module
from veerkracht.wellbeing import checkins as services
from veerkracht.wellbeing import selectors_checkins as selectors
from veerkracht.wellbeing.models_checkins import (
    CheckIn,
    CheckInKind,
    CheckInStatus,
    Recurrence,
)

from ..pagination import PageNumberPagination
from ..schemas import ERRORS, EmployeeRef, Id, InputSchema, PatchSchema, QuerySchema

router = Router(tags=["check-ins"])


class AgendaItemOut(Schema):
    id: int
    text: str
    standing_item: str | None
    added_by: EmployeeRef | None

    @staticmethod
    def resolve_text(obj: Any) -> str:
        return obj.label

    @staticmethod
    def resolve_standing_item(obj: Any) -> str | None:
        return obj.template_key or None


class ActionItemOut(Schema):
    id: int
    text: str
    owner: EmployeeRef | None
    done: bool


class CheckInOut(Schema):
    """`private_notes` is null unless the caller leads the employee's team (reads are audited)."""

    id: int
    lead: EmployeeRef
    agent: EmployeeRef
    kind: CheckInKind
    video_link: str
    planned_start: datetime
    duration_minutes: int
    status: CheckInStatus
    recurring: bool
    agenda: list[AgendaItemOut]
    shared_notes: str
    action_items: list[ActionItemOut]
    score: int | None
    private_notes: str | None = None

    @staticmethod
    def resolve_recurring(obj: CheckIn) -> bool:
        return obj.series_id is not None

    @staticmethod
    def resolve_agenda(obj: CheckIn) -> list[Any]:
        return list(obj.agenda_items.all())

    @staticmethod
    def resolve_action_items(obj: CheckIn) -> list[Any]:
        return list(obj.action_items.all())

    @staticmethod
    def resolve_private_notes(obj: CheckIn, context: dict[str, Any]) -> str | None:
        request = context["request"]
        if not getattr(request, "_checkin_detail", False):
            return None  # lists never carry private notes
        if not selectors.viewer_is_lead(request.auth, obj):
            return None
        return selectors.read_private_notes(request.auth, obj, request=request)


class CheckInFilters(QuerySchema):
    agent: Id | None = Field(None, description="Only 1:1s with this employee.")
    status: CheckInStatus | None = None
    since: datetime | None = Field(None, description="Planned at or after this time.")


class CheckInIn(InputSchema):
    agent: Id = Field(..., description="Employee id: a member of a team you lead.")
    planned_start: datetime
    kind: CheckInKind = CheckInKind.VIDEO
    video_link: str = Field("", max_length=200)
    duration_minutes: int = Field(30, ge=5, le=240)
    recurrence: Recurrence = Recurrence.WEEKLY


class CheckInPatch(PatchSchema):
    shared_notes: str | None = Field(None, max_length=10000)
    private_notes: str | None = Field(None, max_length=10000, description="Team lead only.")
    status: CheckInStatus | None = Field(None, description="Team lead only.")
    score: int | None = Field(None, ge=1, le=5, description="The employee only.")


class AgendaIn(InputSchema):
    text: str = Field(..., min_length=1, max_length=300)


class AttentionOut(Schema):
    employee: EmployeeRef
    reasons: list[str]


def _checkins(request: HttpRequest) -> QuerySet[CheckIn]:
    return (
        selectors.checkins_for(request.auth)
        .prefetch_related("agenda_items__added_by", "action_items__owner")
        .order_by("-planned_start", "-pk")
    )


def _detail(request: HttpRequest, pk: int) -> CheckIn:
    request._checkin_detail = True  # type: ignore[attr-defined]
    return _checkins(request).get(pk=pk)


@router.get("/checkins", response={200: list[CheckInOut], **ERRORS})
@paginate(PageNumberPagination)
def list_checkins(request: HttpRequest, filters: Query[CheckInFilters]) -> QuerySet[CheckIn]:
    """Your own 1:1s, and as a team lead those of the members of your teams. Newest first."""
    checkins = _checkins(request)
    if filters.agent is not None:
        checkins = checkins.filter(agent_id=filters.agent)
    if filters.status is not None:
        checkins = checkins.filter(status=filters.status)
    if filters.since is not None:
        checkins = checkins.filter(planned_start__gte=filters.since)
    return checkins


@router.post("/checkins", response={201: CheckInOut, **ERRORS})
def create_checkin(request: HttpRequest, payload: CheckInIn) -> Status[CheckIn]:
    """Team leads only: plan a 1:1 with a member of a team you lead (404 for anyone else)."""
    access.require(request.auth, access.Capability.LEAD_TEAMS)
    agent = selectors.get_team_member_for(request.auth, payload.agent)
    checkin = services.plan_checkin(
        by=request.auth,
        agent=agent,
        start=payload.planned_start,
        kind=payload.kind,
        duration_minutes=payload.duration_minutes,
        video_link=payload.video_link,
        recurrence=payload.recurrence,
    )
    return Status(201, _detail(request, checkin.pk))


@router.get("/checkins/{checkin_id}", response={200: CheckInOut, **ERRORS})
def get_checkin(request: HttpRequest, checkin_id: Id) -> CheckIn:
    selectors.get_checkin_for(request.auth, checkin_id)
    return _detail(request, checkin_id)


@router.patch("/checkins/{checkin_id}", response={200: CheckInOut, **ERRORS})
def update_checkin(request: HttpRequest, checkin_id: Id, payload: CheckInPatch) -> CheckIn:
    """Shared notes: lead and employee. Private notes and status: the lead. Score: the employee."""
    checkin = selectors.get_checkin_for(request.auth, checkin_id)
    changes = payload.changes()
    is_lead = selectors.viewer_is_lead(request.auth, checkin)
    if ("private_notes" in changes or "status" in changes) and not is_lead:
        raise PermissionDenied
    if "score" in changes and not selectors.viewer_is_agent(request.auth, checkin):
        raise PermissionDenied
    if "shared_notes" in changes or "private_notes" in changes:
        services.update_notes(
            checkin=checkin,
            by=request.auth,
            shared_notes=changes.get("shared_notes"),
            private_notes=changes.get("private_notes"),
        )
    if "score" in changes:
        services.set_score(checkin=checkin, by=request.auth, score=changes["score"])
    if "status" in changes:
        services.set_status(checkin=checkin, by=request.auth, status=changes["status"])
    return _detail(request, checkin.pk)


@router.post("/checkins/{checkin_id}/agenda", response={201: AgendaItemOut, **ERRORS})
def add_agenda_item(request: HttpRequest, checkin_id: Id, payload: AgendaIn) -> Status[Any]:
    """The lead or the employee adds an item to the agenda."""
    checkin = selectors.get_checkin_for(request.auth, checkin_id)
    return Status(
        201, services.add_agenda_item(checkin=checkin, by=request.auth, text=payload.text)
    )


@router.get("/attention", response={200: list[AttentionOut], **ERRORS}, tags=["attention"])
def attention(request: HttpRequest) -> list[dict[str, Any]]:
    """Team leads only: the members of your teams who need attention this week, with every reason."""
    access.require(request.auth, access.Capability.LEAD_TEAMS)
    return [
        {"employee": item.employee, "reasons": item.reasons}
        for item in attention_module.attention_for(request.auth)
    ]
