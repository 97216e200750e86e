"""Schemas shared by several routers: errors, input bases, references and the employee.

Endpoint-specific schemas live next to their endpoints in `routers/<area>.py`.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, ClassVar

from django.utils.translation import gettext as _
from ninja import Schema
from pydantic import ConfigDict, Field, field_validator
from pydantic_core import PydanticCustomError

from veerkracht.people import access
from veerkracht.people.models import Employee

# A database id. Bounded so a huge number is a 422, not an overflow in the database driver.
MAX_ID = 2**63 - 1
Id = Annotated[int, Field(ge=1, le=MAX_ID)]


# --- Errors (documentation only: the handlers in errors.py build these) ----------------------


class DetailOut(Schema):
    detail: str


class FieldErrorOut(Schema):
    loc: list[str | int]
    msg: str
    type: str


class ValidationErrorOut(Schema):
    detail: list[FieldErrorOut]


# Spread into `response=` so the OpenAPI document lists the error shapes: {200: X, **ERRORS}.
ERRORS: dict[int, type[Schema]] = {
    400: DetailOut,
    401: DetailOut,
    403: DetailOut,
    404: DetailOut,
    422: ValidationErrorOut,
}


# --- Input bases ---------------------------------------------------------------------------------


def _refuse_nul(value: Any) -> Any:
    # PostgreSQL cannot store NUL in text; refuse it here rather than fail in the database.
    if isinstance(value, str) and "\x00" in value:
        raise PydanticCustomError(
            "null_characters_not_allowed", _("Null characters are not allowed.")
        )
    return value


class QuerySchema(Schema):
    """Filters read from the query string (`filters: Query[SomeFilters]`)."""

    _no_nul = field_validator("*", mode="after")(_refuse_nul)


class InputSchema(Schema):
    """Request bodies reject unknown fields, so a typo is a 422 instead of a silent no-op."""

    model_config = ConfigDict(extra="forbid")

    _no_nul = field_validator("*", mode="after")(_refuse_nul)


class PatchSchema(InputSchema):
    """PATCH bodies: every field optional, only the fields sent are changed (`changes()`).

    An explicit `null` is refused except for the fields listed in `nullable`.
    """

    nullable: ClassVar[frozenset[str]] = frozenset()

    @field_validator("*", mode="before")
    @classmethod
    def _refuse_null(cls, value: Any, info: Any) -> Any:
        if value is None and info.field_name not in cls.nullable:
            raise PydanticCustomError("null", _("This field cannot be null."))
        return value

    def changes(self) -> dict[str, Any]:
        return self.model_dump(exclude_unset=True)


# --- References: just enough to name a related object ---------------------------------------


class SiteRef(Schema):
    id: int
    name: str


class TeamRef(Schema):
    id: int
    name: str
    site: SiteRef


class EmployeeRef(Schema):
    id: int
    name: str

    @staticmethod
    def resolve_name(obj: Employee) -> str:
        return obj.full_name


# --- Employee ------------------------------------------------------------------------------------


class AddressOut(Schema):
    address_line: str
    postcode: str
    city: str


class EmployeeOut(Schema):
    """An employee as the caller may see them: `address` and `birthday` are null when
    people/access.py says the caller may not see them (planners never see addresses)."""

    id: int
    first_name: str
    last_name: str
    full_name: str
    email: str
    team: TeamRef | None
    roles: list[str]
    channels: list[str]
    contract_hours: float
    employment_start: date
    employment_end: date | None
    is_active: bool
    language: str
    celebrate_birthday: bool
    birthday: date | None
    address: AddressOut | None
    updated_at: datetime

    @staticmethod
    def resolve_roles(obj: Employee) -> list[str]:
        return sorted(obj.role_set)

    @staticmethod
    def resolve_birthday(obj: Employee, context: dict[str, Any]) -> date | None:
        return obj.birthday if access.can_see_birthday(context["request"].auth, obj) else None

    @staticmethod
    def resolve_address(obj: Employee, context: dict[str, Any]) -> dict[str, str] | None:
        if not access.can_see_address(context["request"].auth, obj):
            return None
        return {"address_line": obj.address_line, "postcode": obj.postcode, "city": obj.city}
