"""Team pages for everyone: agents see their own team, leads the teams they lead, managers their site."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from . import access


@login_required
def my_team(request: HttpRequest) -> HttpResponse:
    me = access.require_employee(request.user)
    visible = access.team_directory_for(request.user).prefetch_related("roles")
    teams = (
        access.teams_for(request.user)
        .prefetch_related(
            Prefetch(
                "members",
                queryset=visible.order_by("last_name", "first_name"),
                to_attr="visible_members",
            )
        )
        .prefetch_related("leads")
    )
    teams = [t for t in teams if t.visible_members]
    return render(
        request,
        "people/my_team.html",
        {"teams": teams, "me": me, "can_open": {e.pk for e in access.employees_for(request.user)}},
    )
