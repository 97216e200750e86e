"""The REST API, /api/v1/ (django-ninja). OpenAPI at /api/v1/openapi.json, docs at /api/v1/docs."""

from __future__ import annotations

from ninja import NinjaAPI

api = NinjaAPI(
    title="Veerkracht API",
    version="1",
    urls_namespace="api",
    docs_url="/docs",
)
