"""Who is calling: a browser session (with CSRF on unsafe methods) or a personal API token.

Both end in the same place: `request.auth` (and `request.user`) is a user with an active
employee who holds `Capability.USE_API`. Scoping after that is people/access.py's job.

Tokens are created on the "API tokens" page (people/me/tokens/) through
`people.services.issue_api_token`; only their SHA-256 hash is stored (ApiToken.key_hash).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, AuthorizationError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from veerkracht.people import access
from veerkracht.people.models import ApiToken

TOKEN_PREFIX = "vk_"
# last_used_at is informative ("used 3 minutes ago"); writing it on every call would turn every
# read into a write, so it is refreshed at most once per interval.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def _api_user(user: Any) -> Any:
    """The user when they may use the API; 403 when logged in without an active employee."""
    if access.employee_of(user) is None or not access.can(user, access.Capability.USE_API):
        raise AuthorizationError(message=_("Your account has no access to the API."))
    return user


class TokenAuth(HttpBearer):
    """`Authorization: Bearer vk_…`: a personal API token. No CSRF: browsers never send it by themselves."""

    openapi_bearerFormat = "vk_…"
    openapi_description = (
        "A personal API token, created in Veerkracht under API tokens (people/me/tokens/). "
        "Send it as `Authorization: Bearer vk_…`. It acts as you, with your roles."
    )

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        token = token.strip()
        found = None
        if token.startswith(TOKEN_PREFIX):
            found = (
                ApiToken.objects.select_related("user")
                .filter(
                    key_hash=ApiToken.hash_key(token),
                    revoked_at__isnull=True,
                    user__is_active=True,
                    user__employee__is_active=True,
                )
                .first()
            )
        if found is None:
            # A wrong token is an error even when a session cookie is present as well.
            raise AuthenticationError(message=_("This API token is invalid or has been revoked."))
        user = _api_user(found.user)
        _touch(found)
        request.user = user
        _activate_language(request, user)
        return user


class SessionAuth(APIKeyCookie):
    """The browser's Django session; unsafe methods need the X-CSRFToken header."""

    param_name = settings.SESSION_COOKIE_NAME
    openapi_description = (
        "The Django session of a logged-in browser. POST, PATCH, PUT and DELETE need the "
        "`X-CSRFToken` header with the value of the `csrftoken` cookie."
    )

    def __init__(self) -> None:
        # csrf=True also makes the Swagger UI page send the CSRF header.
        super().__init__(csrf=True)

    def __call__(self, request: HttpRequest) -> Any:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None  # 401, not a CSRF 403, for a caller who is not logged in at all
        if not getattr(request, "_ninja_csrf_exempt", False) and check_csrf(request) is not None:
            raise AuthorizationError(
                message=_(
                    "CSRF check failed: send the X-CSRFToken header with the csrftoken cookie's value."
                )
            )
        return self.authenticate(request, request.COOKIES.get(self.param_name))

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        return _api_user(request.user)


def _touch(token: ApiToken) -> None:
    now = timezone.now()
    if token.last_used_at is not None and now - token.last_used_at < LAST_USED_RESOLUTION:
        return
    # Conditional update: of many parallel requests only one writes.
    ApiToken.objects.filter(pk=token.pk).filter(
        Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - LAST_USED_RESOLUTION)
    ).update(last_used_at=now)


def _activate_language(request: HttpRequest, user: Any) -> None:
    """Session requests get the employee's language from middleware; token requests get it here,
    unless the client asks for a language with Accept-Language."""
    if request.headers.get("Accept-Language"):
        return
    employee = access.employee_of(user)
    if employee is not None and employee.language:
        translation.activate(employee.language)
        request.LANGUAGE_CODE = employee.language  # type: ignore[attr-defined]
