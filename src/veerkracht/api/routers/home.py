"""Personal circumstances, the home-workplace checklist and home-workplace requests.

Reads start from people/access.py (`can_see_circumstances`, `home_requests_for`), writes call
wellbeing/home.py, the same services as the pages. Circumstances are for the employee and their
team lead(s) only: for anyone else they are 404, as if they did not exist.

No `from __future__ import annotations` in router modules: ninja reads the real annotations.
"""

from datetime import date, datetime
from typing import Any, Literal

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from veerkracht.people import access
from veerkracht.people.models import Employee
from veerkracht.wellbeing import home
from veerkracht.wellbeing.models_home import (
    CHECKLIST_KEYS,
    OPEN_STATUSES,
    Circumstances,
    HomeItem,
    HomeRequestStatus,
    HomeWorkplaceRequest,
)

from ..pagination import PageNumberPagination
from ..schemas import ERRORS, AddressOut, DetailOut, EmployeeRef, Id, InputSchema, QuerySchema

router = Router(tags=["home workplace"])

ERRORS_409 = {**ERRORS, 409: DetailOut}


# --- Circumstances -------------------------------------------------------------------------------


class CircumstancesOut(Schema):
    employee: EmployeeRef
    living_alone: bool
    cares_for_children: bool
    cares_for_others: bool
    quiet_workplace: bool
    preferred_contact_moments: str
    updated_at: datetime


class CircumstancesIn(InputSchema):
    living_alone: bool = False
    cares_for_children: bool = False
    cares_for_others: bool = False
    quiet_workplace: bool = True
    preferred_contact_moments: str = Field(
        "", max_length=200, description="Short; never anything about health."
    )


@router.get("/me/circumstances", response={200: CircumstancesOut, **ERRORS})
def my_circumstances(request: HttpRequest) -> Circumstances:
    """Your own circumstances; 404 when you have not filled them in."""
    me = access.require_employee(request.auth)
    obj = Circumstances.objects.select_related("employee").filter(employee=me).first()
    if obj is None:
        raise Http404
    return obj


@router.put("/me/circumstances", response={200: CircumstancesOut, **ERRORS})
def put_my_circumstances(request: HttpRequest, payload: CircumstancesIn) -> Circumstances:
    """Create or replace your circumstances (opt-in; visible to you and your team lead(s))."""
    me = access.require_employee(request.auth)
    return home.save_circumstances(
        employee=me, by=request.auth, request=request, **payload.model_dump()
    )


@router.delete("/me/circumstances", response={204: None, **ERRORS})
def delete_my_circumstances(request: HttpRequest) -> Status[None]:
    """Delete your circumstances entirely; nothing is kept. 404 when there is nothing to delete."""
    me = access.require_employee(request.auth)
    if not home.delete_circumstances(employee=me, by=request.auth, request=request):
        raise Http404
    return Status(204, None)


@router.get("/employees/{employee_id}/circumstances", response={200: CircumstancesOut, **ERRORS})
def employee_circumstances(request: HttpRequest, employee_id: Id) -> Circumstances:
    """For the employee's team lead(s) (and the employee). Each read by a lead is audited;
    404 for everyone else and when nothing is shared."""
    access.require_employee(request.auth)
    employee = access.get_circumstances_subject_for(request.auth, employee_id)
    obj = home.read_circumstances(user=request.auth, employee=employee, request=request)
    if obj is None:
        raise Http404
    return obj


# --- Checklist -----------------------------------------------------------------------------------

ChecklistKey = Literal[CHECKLIST_KEYS]  # type: ignore[valid-type]


class ChecklistItemOut(Schema):
    key: str
    label: str
    tip: str
    checked: bool


class ChecklistOut(Schema):
    items: list[ChecklistItemOut]


class ChecklistIn(InputSchema):
    items: list[ChecklistKey] = Field(
        default_factory=list, description="The keys of what you have; replaces the list."
    )


def _checklist(employee: Employee) -> dict[str, Any]:
    from veerkracht.wellbeing.models_home import CHECKLIST_ITEMS

    ticked = set(home.checklist_of(employee))
    return {
        "items": [
            {"key": key, "label": str(label), "tip": str(tip), "checked": key in ticked}
            for key, label, tip in CHECKLIST_ITEMS
        ]
    }


@router.get("/me/home-checklist", response={200: ChecklistOut, **ERRORS})
def my_checklist(request: HttpRequest) -> dict[str, Any]:
    """The checklist for a good home workplace, with what you ticked."""
    return _checklist(access.require_employee(request.auth))


@router.put("/me/home-checklist", response={200: ChecklistOut, **ERRORS})
def put_my_checklist(request: HttpRequest, payload: ChecklistIn) -> dict[str, Any]:
    me = access.require_employee(request.auth)
    home.save_checklist(employee=me, by=request.auth, items=payload.items, request=request)
    return _checklist(me)


# --- Requests ------------------------------------------------------------------------------------


class HomeRequestOut(Schema):
    id: int
    employee: EmployeeRef
    item: HomeItem
    reason: str
    status: HomeRequestStatus
    requested_at: datetime
    decided_at: datetime | None
    decision_note: str
    shipped_on: date | None
    delivered_on: date | None
    reference: str


class HistoryOut(Schema):
    at: datetime
    by: str | None
    from_status: str
    to_status: str
    note: str
    reference: str

    @staticmethod
    def resolve_by(obj: Any) -> str | None:
        employee = getattr(obj.by, "employee", None) if obj.by_id else None
        return employee.full_name if employee else None


class HomeRequestDetailOut(HomeRequestOut):
    history: list[HistoryOut]
    allowed_transitions: list[str]
    ship_to: AddressOut | None = Field(
        None,
        description="The home address, for approved and shipped requests, when you may see it "
        "(the employee, their team lead(s), admins); reading someone else's is audited.",
    )


class HomeRequestIn(InputSchema):
    item: HomeItem
    reason: str = Field(..., min_length=1, max_length=300)


class TransitionIn(InputSchema):
    to: Literal["approved", "rejected", "shipped", "delivered", "cancelled"]
    note: str = Field("", max_length=300, description="Required when rejecting.")
    reference: str = Field("", max_length=100, description="Carrier and tracking reference.")


class HomeRequestFilters(QuerySchema):
    status: HomeRequestStatus | None = Field(None, description="Only requests with this status.")
    open: bool | None = Field(None, description="true: requested, approved or shipped.")
    employee: Id | None = Field(None, description="Only this employee's requests.")


def _detail(request: HttpRequest, home_request: HomeWorkplaceRequest) -> HomeWorkplaceRequest:
    home_request.history = list(home_request.events.select_related("by__employee"))
    home_request.allowed_transitions = home.allowed_transitions(
        user=request.auth, home_request=home_request
    )
    home_request.ship_to = None
    if home_request.status in (HomeRequestStatus.APPROVED, HomeRequestStatus.SHIPPED):
        home_request.ship_to = home.shipping_address(
            user=request.auth, home_request=home_request, request=request
        )
    return home_request


@router.get("/home-requests", response={200: list[HomeRequestOut], **ERRORS})
@paginate(PageNumberPagination)
def list_home_requests(
    request: HttpRequest, filters: Query[HomeRequestFilters]
) -> QuerySet[HomeWorkplaceRequest]:
    """Your own requests; a team lead also those of their teams; an admin the organisation's."""
    access.require_employee(request.auth)
    qs = (
        access.home_requests_for(request.auth)
        .select_related("employee")
        .order_by("-requested_at", "-pk")
    )
    if filters.status is not None:
        qs = qs.filter(status=filters.status)
    if filters.open is True:
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif filters.open is False:
        qs = qs.exclude(status__in=OPEN_STATUSES)
    if filters.employee is not None:
        qs = qs.filter(employee_id=filters.employee)
    return qs


@router.post("/home-requests", response={201: HomeRequestDetailOut, **ERRORS})
def create_home_request(
    request: HttpRequest, payload: HomeRequestIn
) -> Status[HomeWorkplaceRequest]:
    """Ask for an item for your own home workplace; your team lead decides."""
    me = access.require_employee(request.auth)
    home_request = home.create_home_request(
        employee=me, by=request.auth, item=payload.item, reason=payload.reason, request=request
    )
    return Status(201, _detail(request, access.get_home_request_for(request.auth, home_request.pk)))


@router.get("/home-requests/{request_id}", response={200: HomeRequestDetailOut, **ERRORS})
def get_home_request(request: HttpRequest, request_id: Id) -> HomeWorkplaceRequest:
    access.require_employee(request.auth)
    return _detail(request, access.get_home_request_for(request.auth, request_id))


@router.post(
    "/home-requests/{request_id}/transition", response={200: HomeRequestDetailOut, **ERRORS_409}
)
def transition_home_request(
    request: HttpRequest, request_id: Id, payload: TransitionIn
) -> HomeWorkplaceRequest:
    """Move a request on: requested → approved|rejected|cancelled, approved → shipped|cancelled,
    shipped → delivered. The team lead approves or rejects (a note is required to reject); the
    lead or an admin marks shipped and delivered; the employee may cancel. Any other change is
    409 with a message; a change you may not make is 403."""
    access.require_employee(request.auth)
    home_request = access.get_home_request_for(request.auth, request_id)
    try:
        home.transition_home_request(
            home_request=home_request,
            by=request.auth,
            to=payload.to,
            note=payload.note,
            reference=payload.reference,
            request=request,
        )
    except home.TransitionNotAllowed as error:
        raise HttpError(409, error.message) from error
    return _detail(request, access.get_home_request_for(request.auth, request_id))
