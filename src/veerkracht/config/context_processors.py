from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from veerkracht.people import access

from .navigation import items_for


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": {"main": [], "settings": []}, "me": None}
    me = access.employee_of(user)
    return {
        "nav": items_for(user, request.path),
        "me": me,
        "my_roles": sorted(me.role_set) if me else [],
    }
