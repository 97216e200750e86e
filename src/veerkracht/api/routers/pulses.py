"""Pulse surveys: open pulses, answering, anonymised results and conversation requests.

Reads start from people/access.py (via pulses/selectors.py and pulses/anonymity.py); results go
through `anonymised_results`, the same function as the pages and the CSV export, so thresholds
and the differencing rule hold here too. Hidden groups come back as
`{"hidden": true, "reason": "..."}`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from veerkracht.people import access, governance
from veerkracht.people.models import Module
from veerkracht.pulses import anonymity, selectors, services
from veerkracht.pulses.models import ConversationRequest, ConversationWith, Pulse

from ..pagination import PageNumberPagination
from ..schemas import ERRORS, DetailOut, Id, InputSchema, QuerySchema

router = Router(tags=["pulses"])


class QuestionOut(Schema):
    id: int
    text: str
    category: str
    scale: str
    min: int | None
    max: int | None


class PulseOut(Schema):
    id: int
    title: str
    audience: str
    opens_at: datetime
    closes_at: datetime
    answered: bool
    questions: list[QuestionOut]


def _pulse_out(pulse: Pulse, answered: set[int]) -> dict[str, Any]:
    return {
        "id": pulse.pk,
        "title": pulse.title,
        "audience": pulse.audience_label,
        "opens_at": pulse.opens_at,
        "closes_at": pulse.closes_at,
        "answered": pulse.pk in answered,
        "questions": [
            {
                "id": q.pk,
                "text": q.text,
                "category": q.category,
                "scale": q.scale,
                "min": (q.value_range or (None, None))[0],
                "max": (q.value_range or (None, None))[1],
            }
            for q in pulse.questions.all()
        ],
    }


@router.get("/pulses", response={200: list[PulseOut], **ERRORS})
@paginate(PageNumberPagination)
def list_open_pulses(request: HttpRequest) -> list[dict[str, Any]]:
    """The pulses open for the caller now (their team's and their site's), with their questions."""
    me = access.require_employee(request.auth)
    if not governance.is_module_enabled(me.organisation, Module.PULSE_SURVEYS):
        return []
    pulses = list(selectors.open_pulses_for(me).prefetch_related("questions"))
    answered = selectors.answered_ids(me, pulses)
    return [_pulse_out(p, answered) for p in pulses]


class AnswerIn(InputSchema):
    question: Id
    value: int | None = Field(
        None, description="For scale questions: within the question's min–max."
    )
    text: str = Field("", max_length=2000, description="For open questions.")


class AnswersIn(InputSchema):
    answers: list[AnswerIn] = Field(..., max_length=100)


class SubmittedOut(Schema):
    pulse: int
    stored: int
    detail: str


@router.post(
    "/pulses/{pulse_id}/answers",
    response={201: SubmittedOut, **ERRORS, 409: DetailOut},
)
def submit_answers(request: HttpRequest, pulse_id: Id, payload: AnswersIn) -> Status[Any]:
    """Answer a pulse, once. 409 when already answered or the pulse is closed; 422 for a value
    outside the question's scale. Answers are stored without any link to the caller."""
    me = access.require_employee(request.auth)
    governance.require_module(me.organisation, Module.PULSE_SURVEYS)
    pulse = selectors.get_pulse_to_answer(me, pulse_id)
    raw: dict[int, Any] = {}
    for item in payload.answers:
        raw[item.question] = item.value if item.value is not None else (item.text or None)
    try:
        stored = services.submit_answers(pulse=pulse, employee=me, answers=raw)
    except (services.AlreadyAnswered, services.PulseClosed) as exc:
        return Status(409, {"detail": str(exc)})
    return Status(201, {"pulse": pulse.pk, "stored": stored, "detail": "ok"})


class ResultFilters(QuerySchema):
    pulse: Id | None = Field(None, description="Pulse id; the latest visible round when left out.")
    team: Id | None = Field(None, description="Only this team.")
    site: Id | None = Field(None, description="Only this site and its teams.")
    question: Id | None = Field(None, description="Only this question.")


class ResultsOut(Schema):
    pulse: int | None
    title: str
    threshold: int
    comment_threshold: int
    groups: list[dict[str, Any]]


@router.get("/pulses/results", response={200: ResultsOut, **ERRORS})
def pulse_results(request: HttpRequest, filters: Query[ResultFilters]) -> dict[str, Any]:
    """Anonymised results per group (site total and teams) for team leads, site managers and
    admins, within their scope. Groups under the threshold, or that could be derived by
    subtraction, come back as `{"hidden": true, "reason": ...}`."""
    me = access.require_employee(request.auth)
    if access.pulse_result_scope(request.auth) is None:
        raise PermissionDenied
    pulses = anonymity.result_pulses(request.auth).order_by("-opens_at", "-pk")
    pulse = pulses.filter(pk=filters.pulse).first() if filters.pulse else pulses.first()
    if filters.pulse is not None and pulse is None:
        raise Http404  # not a round of the caller's teams or sites: existence is not leaked
    groups = (
        anonymity.anonymised_results(
            pulse,
            user=request.auth,
            team=filters.team,
            site=filters.site,
            question=filters.question,
        )
        if pulse
        else []
    )
    return {
        "pulse": pulse.pk if pulse else None,
        "title": pulse.title if pulse else "",
        "threshold": anonymity.threshold(me.organisation),
        "comment_threshold": anonymity.comment_threshold(me.organisation),
        "groups": [g.as_dict() for g in groups],
    }


class ConversationIn(InputSchema):
    with_whom: ConversationWith = Field(..., description="team_lead or company_doctor.")


class ConversationOut(Schema):
    id: int
    employee: dict[str, Any]
    with_whom: str
    recipient: int | None
    created_at: datetime

    @staticmethod
    def resolve_employee(obj: ConversationRequest) -> dict[str, Any]:
        return {"id": obj.employee_id, "name": obj.employee.full_name}

    @staticmethod
    def resolve_recipient(obj: ConversationRequest) -> int | None:
        return obj.recipient_id


@router.post("/conversation-requests", response={201: ConversationOut, **ERRORS})
def create_conversation_request(request: HttpRequest, payload: ConversationIn) -> Status[Any]:
    """Ask your team lead or the company doctor for a conversation. Only the request is sent:
    who, with whom, when. Never answers or scores of the wellbeing check."""
    me = access.require_employee(request.auth)
    created = services.request_conversation(
        employee=me, with_whom=payload.with_whom.value, by=request.auth
    )
    return Status(201, created)


@router.get("/conversation-requests", response={200: list[ConversationOut], **ERRORS})
@paginate(PageNumberPagination)
def list_conversation_requests(request: HttpRequest) -> QuerySet[ConversationRequest]:
    """Requests the caller received: as team lead; admins also those for the company doctor."""
    return (
        access.conversation_requests_for(request.auth)
        .select_related("employee")
        .order_by("-created_at", "-pk")
    )
