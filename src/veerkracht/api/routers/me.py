"""The caller: their employee record, roles and capabilities, and everything held about them.

No `from __future__ import annotations` in router modules: ninja reads the real annotations.
"""

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema

from veerkracht.people import access, audit
from veerkracht.people.access import Capability
from veerkracht.people.models import AuditAction, Employee

from ..schemas import ERRORS, EmployeeOut

router = Router(tags=["me"])


class OrganisationOut(Schema):
    id: int
    name: str


class MeOut(Schema):
    employee: EmployeeOut
    organisation: OrganisationOut
    roles: list[str]
    capabilities: list[str]


@router.get("", response={200: MeOut, **ERRORS})
def me(request: HttpRequest) -> dict[str, Any]:
    """Who you are in Veerkracht and what you may do."""
    employee: Employee = access.require_employee(request.auth)
    return {
        "employee": employee,
        "organisation": employee.organisation,
        "roles": sorted(employee.role_set),
        "capabilities": [str(c) for c in Capability if access.can(request.auth, c)],
    }


@router.get("/data", response={200: dict[str, Any], **ERRORS})
def my_data(request: HttpRequest, response: HttpResponse) -> dict[str, Any]:
    """All data Veerkracht holds about you (GDPR right of access), the same JSON as the export on
    the "My data" page: `{"format", "generated_at", "employee_id", "sections": {...}}`."""
    # Imported here: the module belongs to the privacy pages and is not needed for other calls.
    from veerkracht.people.mydata import collect_my_data

    me = access.require_employee(request.auth)
    data = collect_my_data(me)
    audit.record(
        actor=request.auth,
        action=AuditAction.EXPORT,
        obj=me,
        summary="own data exported (API)",
        request=request,
    )
    response["Cache-Control"] = "no-store"
    return data
