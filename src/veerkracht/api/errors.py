"""One error style for the whole API: `{"detail": ...}` with a 4xx status.

- 401 `{"detail": "..."}`: no or invalid credentials (auth.py)
- 403 `{"detail": "..."}`: PermissionDenied from people/access.py, CSRF failure
- 404 `{"detail": "Not found"}`: Http404, also for ids outside the user's scope
- 400 `{"detail": "..."}`: a body that is not JSON
- 422 `{"detail": [{"loc": [...], "msg": "...", "type": "..."}]}`: invalid input, both from the
  Pydantic schemas (ninja) and from django ValidationError raised by the services

Messages are translated in the request's language. Where Django already has a message with the
same meaning we reuse its msgid, so Django's own catalogues translate it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from functools import partial
from typing import TYPE_CHECKING, Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

if TYPE_CHECKING:
    from ninja import NinjaAPI

# Every body parameter is called `payload` (see docs/api.md); it is dropped from `loc` so a
# field is named the same way whether the schema or the service rejected it: ["body", "email"].
BODY_PARAM = "payload"


def install(api: NinjaAPI) -> None:
    """Register the handlers on the API (called once in api.py)."""
    handlers: list[tuple[type[Exception], Any]] = [
        (NinjaValidationError, _pydantic_invalid),
        (DjangoValidationError, _service_invalid),
        (PermissionDenied, _forbidden),
        (Http404, _not_found),
        (HttpError, _http_error),
    ]
    for exc_class, handler in handlers:
        api.add_exception_handler(exc_class, partial(handler, api=api))


def _respond(api: NinjaAPI, request: HttpRequest, detail: Any, status: int) -> HttpResponse:
    return api.create_response(request, {"detail": detail}, status=status)


def not_authenticated_message() -> str:
    return _("Log in, or send an API token in the Authorization header (Bearer vk_…).")


def _http_error(request: HttpRequest, exc: HttpError, *, api: NinjaAPI) -> HttpResponse:
    message = str(exc)
    if isinstance(exc, AuthenticationError) and message == "Unauthorized":
        message = not_authenticated_message()
    elif exc.status_code == 400 and message.startswith("Cannot parse request body"):
        message = _("The request body is not valid JSON.")
    response = _respond(api, request, message, exc.status_code)
    if exc.status_code == 401:
        response["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


def _forbidden(request: HttpRequest, exc: PermissionDenied, *, api: NinjaAPI) -> HttpResponse:
    return _respond(api, request, _("You do not have permission to do this."), 403)


def _not_found(request: HttpRequest, exc: Http404, *, api: NinjaAPI) -> HttpResponse:
    return _respond(api, request, _("Not found"), 404)


def _pydantic_invalid(
    request: HttpRequest, exc: NinjaValidationError, *, api: NinjaAPI
) -> HttpResponse:
    errors = []
    for error in exc.errors:
        loc = list(error.get("loc", ()))
        if len(loc) >= 2 and loc[0] == "body" and loc[1] == BODY_PARAM:
            del loc[1]
        errors.append(
            {"loc": loc, "msg": translate_pydantic(error), "type": error.get("type", "invalid")}
        )
    return _respond(api, request, errors, 422)


def _service_invalid(
    request: HttpRequest, exc: DjangoValidationError, *, api: NinjaAPI
) -> HttpResponse:
    return _respond(api, request, django_errors(exc), 422)


def django_errors(exc: DjangoValidationError) -> list[dict[str, Any]]:
    """A django ValidationError in the same shape as the schema errors: field → messages."""
    if hasattr(exc, "error_dict"):
        items = exc.error_dict.items()
    else:
        items = [(NON_FIELD_ERRORS, exc.error_list)]
    errors = []
    for field, error_list in items:
        loc = ["body"] if field == NON_FIELD_ERRORS else ["body", field]
        for error in error_list:
            for message in error.messages:
                errors.append({"loc": loc, "msg": message, "type": error.code or "invalid"})
    return errors


@contextmanager
def renamed_fields(names: Mapping[str, str]) -> Iterator[None]:
    """Report a service's field under the API's name for it, e.g. employment_end → end_date."""
    try:
        yield
    except DjangoValidationError as exc:
        if not hasattr(exc, "error_dict"):
            raise
        raise DjangoValidationError(
            {names.get(field, field): errors for field, errors in exc.error_dict.items()}
        ) from exc


def translate_pydantic(error: Mapping[str, Any]) -> str:
    """A translated message for the common Pydantic error types; Pydantic's English otherwise."""
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return _("This field is required.")
    if kind in {"int_parsing", "int_type", "int_from_float"}:
        return _("Enter a whole number.")
    if kind in {"decimal_parsing", "decimal_type", "float_parsing", "float_type", "finite_number"}:
        return _("Enter a number.")
    if kind == "decimal_max_places" and "decimal_places" in ctx:
        places = int(ctx["decimal_places"])
        return ngettext(
            "Ensure that there are no more than %(max)s decimal place.",
            "Ensure that there are no more than %(max)s decimal places.",
            places,
        ) % {"max": places}
    if kind == "less_than_equal" and "le" in ctx:
        return _("Ensure this value is less than or equal to %(limit_value)s.") % {
            "limit_value": ctx["le"]
        }
    if kind == "greater_than_equal" and "ge" in ctx:
        return _("Ensure this value is greater than or equal to %(limit_value)s.") % {
            "limit_value": ctx["ge"]
        }
    if kind in {
        "date_parsing",
        "date_type",
        "date_from_datetime_parsing",
        "date_from_datetime_inexact",
    }:
        return _("Enter a valid date.")
    if kind in {"datetime_parsing", "datetime_type", "datetime_from_date_parsing"}:
        return _("Enter a valid date/time.")
    if kind in {"time_parsing", "time_type"}:
        return _("Enter a valid time.")
    if kind in {"enum", "literal_error"}:
        return _("Select a valid choice. That choice is not one of the available choices.")
    if kind in {"list_type", "set_type"}:
        return _("Enter a list of values.")
    if kind in {"bool_parsing", "bool_type"}:
        return _("Enter true or false.")
    if kind in {"string_type", "string_unicode"}:
        return _("Enter a valid value.")
    if kind == "string_too_long" and "max_length" in ctx:
        limit = int(ctx["max_length"])
        return ngettext(
            "Ensure this value has at most %(limit_value)d character.",
            "Ensure this value has at most %(limit_value)d characters.",
            limit,
        ) % {"limit_value": limit}
    if kind == "string_too_short" and ctx.get("min_length") == 1:
        return _("This field is required.")
    if kind == "extra_forbidden":
        return _("Unknown field.")
    if kind in {"model_type", "model_attributes_type", "dict_type"}:
        return _("Send a JSON object.")
    return str(error.get("msg", _("Enter a valid value.")))
