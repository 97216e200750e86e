"""Shift swaps (issue 4): offer a shift, take a colleague's, approve or reject, withdraw.

Scoped like the pages through `people/access.py::swaps_for`: the offerer and the taker see their
swaps in full, colleagues of the organisation see open offers (names and times only, no note,
no history), team leads the swaps of their teams, planners all. Writes call
scheduling/swaps.py, the same services as the pages. A step the swap's status does not allow is
409; when the rule checker refuses, 422 with the findings in `violations` (rule ids such as
ATW-05, SKL-01, AVL-01) and one `detail` entry per finding.

No `from __future__ import annotations` in router modules: ninja reads the real annotations.
"""

from datetime import datetime
from enum import StrEnum
from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from veerkracht.people import access
from veerkracht.scheduling import selectors_shifts as sel
from veerkracht.scheduling import swaps as services
from veerkracht.scheduling.models_roster import Shift, SwapRequest

from ..pagination import PageNumberPagination
from ..schemas import ERRORS, DetailOut, EmployeeRef, FieldErrorOut, Id, InputSchema, QuerySchema

router = Router(tags=["swaps"])


class SwapKindIn(StrEnum):
    give_away = "give_away"
    swap = "swap"


class SwapStatusIn(StrEnum):
    open = "open"
    pending = "pending"
    approved = "approved"
    rejected = "rejected"
    withdrawn = "withdrawn"
    expired = "expired"


class ViolationOut(Schema):
    rule: str = Field(..., description="Checker rule id, e.g. ATW-05")
    severity: str
    law: bool = Field(..., description="A rule of the Working Hours Act (ATW, NA, JW)")
    blocking: bool = Field(False, description="Refuses the swap")
    side: str = Field(..., description="taker or offerer: whose roster")
    employee: int | str | None
    employee_name: str | None
    start: datetime | None
    end: datetime | None
    text: str = Field(..., description="Translated one-line text")
    detail: str = Field(..., description="The checker's English sentence with the numbers")


class RefusedOut(Schema):
    detail: list[FieldErrorOut]
    violations: list[ViolationOut] = Field(default_factory=list)


ERRORS_SWAP: dict[int, Any] = {**ERRORS, 409: DetailOut, 422: RefusedOut}


class SwapShiftOut(Schema):
    id: int
    start: datetime
    end: datetime
    channels: list[str]

    @staticmethod
    def resolve_channels(obj: Shift) -> list[str]:
        return sel.channels_of(obj)


class SwapOut(Schema):
    id: int
    kind: str
    status: str
    shift: SwapShiftOut
    offered_by: EmployeeRef
    taken_by: EmployeeRef | None
    return_shift: SwapShiftOut | None
    note: str = Field("", description="Only for the two employees and their deciders")
    created_at: datetime
    decided_at: datetime | None

    @staticmethod
    def resolve_note(obj: SwapRequest, context: dict[str, Any]) -> str:
        return obj.note if access.can_see_swap_details(context["request"].auth, obj) else ""


class EventOut(Schema):
    at: datetime
    actor: EmployeeRef | None
    action: str = Field(..., description="offered, taken, approved, rejected, withdrawn, expired")
    status_after: str
    note: str


class FitOut(Schema):
    fits: bool
    reasons: list[str]


class SwapDetailOut(SwapOut):
    check_result: list[ViolationOut] = Field(
        default_factory=list, description="The rule check of both employees (when taken)"
    )
    events: list[EventOut] = Field(default_factory=list, description="The full history")
    fits_me: FitOut | None = Field(
        None, description="For an open offer you may take: does it fit your roster?"
    )


class SwapFilters(QuerySchema):
    status: SwapStatusIn | None = None


class OfferIn(InputSchema):
    shift: Id = Field(..., description="One of your own published shifts that has not started")
    kind: SwapKindIn = SwapKindIn.give_away
    note: str = Field("", max_length=services.NOTE_MAX)


class TakeIn(InputSchema):
    return_shift: Id | None = Field(
        None, description="For a swap: one of your own published shifts to give back"
    )


class NoteIn(InputSchema):
    note: str = Field("", max_length=services.NOTE_MAX, description="Required to reject")


def _detail(request: HttpRequest, swap_id: int) -> dict[str, Any]:
    user = request.auth
    me = access.require_employee(user)
    swap = access.get_swap_for(user, swap_id)
    full = access.can_see_swap_details(user, swap)
    data: dict[str, Any] = {
        "id": swap.pk,
        "kind": swap.kind,
        "status": swap.status,
        "shift": swap.shift,
        "offered_by": swap.offered_by,
        "taken_by": swap.taken_by,
        "return_shift": swap.return_shift,
        "note": swap.note if full else "",
        "created_at": swap.created_at,
        "decided_at": swap.decided_at,
        "check_result": swap.check_result if full else [],
        "events": list(swap.events.select_related("actor")) if full else [],
        "fits_me": None,
    }
    if services.may_take(user, me, swap):
        check = services.check_for(swap, me)
        data["fits_me"] = {"fits": check.fits, "reasons": check.reasons}
    return data


def _refused(error: services.SwapRefused) -> Status[dict[str, Any]]:
    return Status(
        422,
        {
            "detail": [
                {"loc": ["body"], "msg": v["text"], "type": v["rule"]} for v in error.violations
            ],
            "violations": error.violations,
        },
    )


@router.get("/swaps", response={200: list[SwapOut], **ERRORS})
@paginate(PageNumberPagination)
def list_swaps(request: HttpRequest, filters: Query[SwapFilters]) -> QuerySet[SwapRequest]:
    """Swaps you may see, newest first: your own, open offers of colleagues (agents), your teams'
    (team leads), all (planners)."""
    access.require_employee(request.auth)
    services.expire_swaps()
    qs = access.swaps_for(request.auth).select_related(
        "shift", "return_shift", "offered_by", "taken_by"
    )
    if filters.status is not None:
        qs = qs.filter(status=filters.status.value)
    return qs.order_by("-created_at", "-pk")


@router.post("/swaps", response={201: SwapDetailOut, **ERRORS_SWAP})
def offer_swap(request: HttpRequest, payload: OfferIn) -> Any:
    """Offer one of your own published future shifts: give it away, or swap it."""
    access.require_employee(request.auth)
    shift = access.own_shifts_for(request.auth).filter(pk=payload.shift).first()
    if shift is None:
        raise Http404
    try:
        swap = services.offer_shift(
            shift=shift, by=request.auth, kind=payload.kind.value, note=payload.note
        )
    except services.SwapNotAllowed as error:
        return Status(409, {"detail": error.message})
    return Status(201, _detail(request, swap.pk))


@router.get("/swaps/{swap_id}", response={200: SwapDetailOut, **ERRORS})
def get_swap(request: HttpRequest, swap_id: Id) -> dict[str, Any]:
    """One swap with its rule check and full history (for the two employees and their deciders);
    colleagues see an open offer's names and times and whether it fits their roster."""
    access.require_employee(request.auth)
    services.expire_swaps()
    return _detail(request, swap_id)


def _step(request: HttpRequest, swap_id: int, action: str, **kwargs: Any) -> Any:
    access.require_employee(request.auth)
    swap = access.get_swap_for(request.auth, swap_id)
    run = {
        "take": services.take_swap,
        "approve": services.approve_swap,
        "reject": services.reject_swap,
        "withdraw": services.withdraw_swap,
    }[action]
    try:
        run(swap=swap, by=request.auth, **kwargs)
    except services.SwapNotAllowed as error:
        return Status(409, {"detail": error.message})
    except services.SwapRefused as error:
        return _refused(error)
    return Status(200, _detail(request, swap_id))


@router.post("/swaps/{swap_id}/take", response={200: SwapDetailOut, **ERRORS_SWAP})
def take_swap(request: HttpRequest, swap_id: Id, payload: TakeIn) -> Any:
    """Take an open offer (for a swap, name the shift you give back). The rule check runs for
    both of you; then the offerer's team lead decides."""
    return_shift = services.own_return_shift(request.auth, payload.return_shift)
    return _step(request, swap_id, "take", return_shift=return_shift)


@router.post("/swaps/{swap_id}/approve", response={200: SwapDetailOut, **ERRORS_SWAP})
def approve_swap(request: HttpRequest, swap_id: Id, payload: NoteIn) -> Any:
    """The offerer's team lead (or a planner): check again and move the shift(s)."""
    return _step(request, swap_id, "approve", note=payload.note)


@router.post("/swaps/{swap_id}/reject", response={200: SwapDetailOut, **ERRORS_SWAP})
def reject_swap(request: HttpRequest, swap_id: Id, payload: NoteIn) -> Any:
    """The offerer's team lead (or a planner) rejects a pending swap, saying why."""
    return _step(request, swap_id, "reject", note=payload.note)


@router.post("/swaps/{swap_id}/withdraw", response={200: SwapDetailOut, **ERRORS_SWAP})
def withdraw_swap(request: HttpRequest, swap_id: Id, payload: NoteIn) -> Any:
    """The offerer withdraws an open or pending offer."""
    return _step(request, swap_id, "withdraw", note=payload.note)
