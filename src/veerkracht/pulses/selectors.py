"""Reads of the pulse app, starting from people/access.py."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from veerkracht.people import access
from veerkracht.people.models import Employee, Site, Team

from .models import Participation, Pulse, PulseStatus


def pulses_for_respondent(employee: Employee) -> QuerySet[Pulse]:
    """Every pulse (open or closed) the employee is asked: their team's and their site's."""
    if employee.team_id is None:
        return Pulse.objects.none()
    return Pulse.objects.filter(organisation=employee.organisation_id).filter(
        Q(team_id=employee.team_id) | Q(team__isnull=True, site_id=employee.team.site_id)  # type: ignore[union-attr]
    )


def open_pulses_for(employee: Employee, *, now: Any = None) -> QuerySet[Pulse]:
    now = now or timezone.now()
    return (
        pulses_for_respondent(employee)
        .filter(status=PulseStatus.OPEN, opens_at__lte=now, closes_at__gt=now)
        .select_related("team", "site")
        .order_by("closes_at", "pk")
    )


def answered_ids(employee: Employee, pulses: Any) -> set[int]:
    return set(
        Participation.objects.filter(employee=employee, pulse__in=pulses).values_list(
            "pulse_id", flat=True
        )
    )


def get_pulse_to_answer(employee: Employee, pk: object) -> Pulse:
    try:
        return (
            pulses_for_respondent(employee)
            .select_related("team", "site", "organisation")
            .get(pk=pk)
        )
    except (Pulse.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def managed_audiences(user: Any) -> tuple[list[Team], list[Site]]:
    """Teams and sites the user may open pulses for (the same scope as their results)."""
    scope = access.pulse_result_scope(user)
    if scope is None:
        return [], []
    teams, sites = scope
    return (
        list(
            Team.objects.filter(pk__in=teams).select_related("site").order_by("site__name", "name")
        ),
        list(Site.objects.filter(pk__in=sites).order_by("name")),
    )


def get_managed_pulse(user: Any, pk: object) -> Pulse:
    teams, sites = managed_audiences(user)
    try:
        return Pulse.objects.filter(Q(team__in=teams) | Q(team__isnull=True, site__in=sites)).get(
            pk=pk
        )
    except (Pulse.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
