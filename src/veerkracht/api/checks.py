"""System checks for the API."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Warning, register


@register()
def swagger_assets_are_local(app_configs: Any = None, **kwargs: Any) -> list[Warning]:
    # django-ninja renders its docs page from a CDN unless 'ninja' is an installed app, and our
    # Content-Security-Policy blocks CDNs, so without it /api/v1/docs stays blank.
    if "ninja" in settings.INSTALLED_APPS:
        return []
    return [
        Warning(
            "'ninja' is not in INSTALLED_APPS, so /api/v1/docs loads Swagger UI from a CDN, "
            "which the Content-Security-Policy blocks.",
            hint="Add 'ninja' to INSTALLED_APPS to serve the bundled Swagger UI from /static/ninja/.",
            id="veerkracht.api.W001",
        )
    ]
