"""Small middlewares: security headers Django 5.2 does not set itself, and the user's language."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import translation

# Everything is vendored under /static, so the policy can be strict. Inline styles are allowed
# because the chart library sets sizes through style attributes.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "frame-ancestors 'none'",
        "form-action 'self'",
        "base-uri 'self'",
        "object-src 'none'",
    ]
)


def security_headers(
    get_response: Callable[[HttpRequest], HttpResponse],
) -> Callable[[HttpRequest], HttpResponse]:
    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()"
        )
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        return response

    return middleware


def user_language(
    get_response: Callable[[HttpRequest], HttpResponse],
) -> Callable[[HttpRequest], HttpResponse]:
    """Activate the language stored on the employee, so the choice follows the person across devices."""

    def middleware(request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        employee = (
            getattr(user, "employee", None) if user is not None and user.is_authenticated else None
        )
        if employee is not None and employee.language:
            translation.activate(employee.language)
            request.LANGUAGE_CODE = employee.language  # type: ignore[attr-defined]
        return get_response(request)

    return middleware
