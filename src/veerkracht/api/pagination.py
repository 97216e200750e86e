"""Page-number pagination: `?page=2&page_size=50` → `{"count", "next", "previous", "results"}`.

Use it on any list endpoint whose response is `list[SomeOut]`:

    @router.get("/things", response=list[ThingOut])
    @paginate(PageNumberPagination)
    def list_things(request): return scoped_queryset  # ordered!
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.http import urlencode
from ninja import Field, Schema
from ninja.pagination import PaginationBase

MAX_PAGE_SIZE = 200


class PageNumberPagination(PaginationBase):
    class Input(Schema):
        page: int = Field(1, ge=1, description="Page number, from 1.")
        page_size: int | None = Field(
            None,
            ge=1,
            le=MAX_PAGE_SIZE,
            description=f"Items per page (default API_PAGE_SIZE, at most {MAX_PAGE_SIZE}).",
        )

    class Output(Schema):
        count: int
        next: str | None = Field(None, description="URL of the next page, or null on the last.")
        previous: str | None = Field(
            None, description="URL of the previous page, or null on the first."
        )
        results: list[Any]

    items_attribute = "results"

    def paginate_queryset(
        self, queryset: QuerySet[Any], pagination: Input, request: HttpRequest, **params: Any
    ) -> dict[str, Any]:
        # Read at request time so API_PAGE_SIZE (and override_settings in tests) take effect.
        page_size = pagination.page_size or min(settings.API_PAGE_SIZE, MAX_PAGE_SIZE)
        page = pagination.page
        count = self._items_count(queryset)
        offset = (page - 1) * page_size
        return {
            "count": count,
            "next": _page_url(request, page + 1) if offset + page_size < count else None,
            "previous": _page_url(request, min(page - 1, _last_page(count, page_size)))
            if page > 1
            else None,
            # Past the end: no query, also so a huge ?page= cannot overflow the database's OFFSET.
            "results": list(queryset[offset : offset + page_size]) if offset < count else [],
        }


def _last_page(count: int, page_size: int) -> int:
    return max(1, -(-count // page_size))


def _page_url(request: HttpRequest, page: int) -> str:
    query = request.GET.copy()
    query["page"] = str(page)
    return request.build_absolute_uri(
        f"{request.path}?{urlencode(sorted(query.lists()), doseq=True)}"
    )
