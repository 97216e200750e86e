"""Reads of 1:1 check-ins. Every query starts from people/access.py.

- a team lead sees the 1:1s of the members of the team(s) they lead (`access.led_teams`);
- an agent sees their own 1:1s;
- nobody else (site managers, planners and admins never see 1:1 notes; privacy.md).
Private notes of the lead are read through `read_private_notes`, which writes an audit event.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Max, Q, QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone

from veerkracht.people import access, audit
from veerkracht.people.models import AuditAction, Employee, Role

from .models_checkins import CheckIn, CheckInStatus, NudgeSent

DEFAULT_NUDGE_DAYS = 7


def nudge_days() -> int:
    """Days without a held 1:1 after which a lead is reminded (settings.CHECKIN_NUDGE_DAYS)."""
    return int(getattr(settings, "CHECKIN_NUDGE_DAYS", DEFAULT_NUDGE_DAYS))


def is_lead(user: Any) -> bool:
    return access.can(user, access.Capability.LEAD_TEAMS)


def team_members_for(user: Any) -> QuerySet[Employee]:
    """Active members of the teams the user leads, the user excluded."""
    me = access.employee_of(user)
    if me is None:
        return Employee.objects.none()
    return (
        Employee.objects.filter(team__in=access.led_teams(user))
        .filter(is_active=True)
        .exclude(pk=me.pk)
        .select_related("team")
        .order_by("last_name", "first_name", "pk")
    )


def get_team_member_for(user: Any, pk: object) -> Employee:
    try:
        return team_members_for(user).get(pk=pk)
    except (Employee.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def checkins_for(user: Any) -> QuerySet[CheckIn]:
    """The 1:1s the user may see: their own, and those of the members of the teams they lead."""
    me = access.employee_of(user)
    if me is None:
        return CheckIn.objects.none()
    condition = Q(agent=me)
    if Role.TEAM_LEAD in me.role_set:
        condition |= Q(agent__team__in=access.led_teams(user)) & ~Q(agent=me)
    return (
        CheckIn.objects.filter(agent__organisation=me.organisation)
        .filter(condition)
        .select_related("lead", "agent", "agent__team", "series")
    )


def get_checkin_for(user: Any, pk: object) -> CheckIn:
    try:
        return checkins_for(user).get(pk=pk)
    except (CheckIn.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def viewer_is_lead(user: Any, checkin: CheckIn) -> bool:
    """True when the user sees this 1:1 as a lead of the agent's team (not as the agent)."""
    me = access.employee_of(user)
    if me is None or me.pk == checkin.agent_id:
        return False
    return access.led_teams(user).filter(pk=checkin.agent.team_id).exists()


def viewer_is_agent(user: Any, checkin: CheckIn) -> bool:
    me = access.employee_of(user)
    return me is not None and me.pk == checkin.agent_id


def read_private_notes(user: Any, checkin: CheckIn, *, request: HttpRequest | None = None) -> str:
    """The lead's private notes, for a lead of the agent's team only; every read is audited."""
    if not viewer_is_lead(user, checkin):
        raise Http404
    audit.record(
        actor=user,
        action=AuditAction.READ,
        obj=checkin,
        subject=checkin.agent,
        summary=f"private notes of 1:1 {checkin.pk} read",
        request=request,
    )
    return checkin.private_notes


# --- Who was spoken when ---------------------------------------------------------------------


def last_spoken(agent_ids: list[int]) -> dict[int, datetime]:
    """The start of each agent's most recent held 1:1."""
    rows = (
        CheckIn.objects.filter(agent_id__in=agent_ids, status=CheckInStatus.HELD)
        .values("agent_id")
        .annotate(last=Max("planned_start"))
    )
    return {r["agent_id"]: r["last"] for r in rows}


def not_spoken_for(
    user: Any, *, days: int | None = None, now: datetime | None = None
) -> list[tuple[Employee, datetime | None]]:
    """Members of the user's teams without a held 1:1 for `days` days (new starters are given
    the same number of days from their start date). Pairs of (employee, last spoken or None)."""
    days = nudge_days() if days is None else days
    now = now or timezone.now()
    cutoff = now - timedelta(days=days)
    members = list(team_members_for(user))
    spoken = last_spoken([m.pk for m in members])
    result = []
    for member in members:
        last = spoken.get(member.pk)
        if last is not None and last >= cutoff:
            continue
        if last is None and member.employment_start > cutoff.date():
            continue
        result.append((member, last))
    return result


def nudge_sent_today(user: Any, *, today: date | None = None) -> NudgeSent | None:
    me = access.employee_of(user)
    if me is None:
        return None
    return NudgeSent.objects.filter(lead=me, day=today or timezone.localdate()).first()


# --- The week board ---------------------------------------------------------------------------


class BoardState:
    SPOKEN = "spoken"
    PLANNED = "planned"
    NOT_SPOKEN = "not_spoken"


@dataclass
class BoardRow:
    agent: Employee
    state: str
    checkins: list[CheckIn]
    last_spoken: datetime | None

    @property
    def next_planned(self) -> CheckIn | None:
        planned = [c for c in self.checkins if c.status == CheckInStatus.PLANNED]
        return min(planned, key=lambda c: c.planned_start) if planned else None

    @property
    def held(self) -> CheckIn | None:
        held = [c for c in self.checkins if c.status == CheckInStatus.HELD]
        return max(held, key=lambda c: c.planned_start) if held else None


def week_bounds(monday: date) -> tuple[datetime, datetime]:
    """Local midnight of Monday and of the next Monday, as aware datetimes (DST safe)."""
    tz = timezone.get_current_timezone()
    start = datetime(monday.year, monday.month, monday.day, tzinfo=tz)
    nxt = monday + timedelta(days=7)
    return start, datetime(nxt.year, nxt.month, nxt.day, tzinfo=tz)


def board_rows(user: Any, monday: date, *, agents: list[Employee] | None = None) -> list[BoardRow]:
    """Per member of the lead's teams: spoken this week, planned, or not yet spoken."""
    members = list(team_members_for(user)) if agents is None else agents
    start, end = week_bounds(monday)
    checkins = (
        checkins_for(user)
        .filter(agent__in=members, planned_start__gte=start, planned_start__lt=end)
        .exclude(status=CheckInStatus.CANCELLED)
        .order_by("planned_start")
    )
    by_agent: dict[int, list[CheckIn]] = {}
    for c in checkins:
        by_agent.setdefault(c.agent_id, []).append(c)
    spoken = last_spoken([m.pk for m in members])
    rows = []
    for member in members:
        mine = by_agent.get(member.pk, [])
        if any(c.status == CheckInStatus.HELD for c in mine):
            state = BoardState.SPOKEN
        elif any(c.status == CheckInStatus.PLANNED for c in mine):
            state = BoardState.PLANNED
        else:
            state = BoardState.NOT_SPOKEN
        rows.append(BoardRow(member, state, mine, spoken.get(member.pk)))
    return rows


def scores_of(agent: Employee) -> list[CheckIn]:
    """The agent's scored 1:1s, oldest first (for the trend and the attention list)."""
    return list(
        CheckIn.objects.filter(agent=agent, score__isnull=False)
        .exclude(status=CheckInStatus.CANCELLED)
        .order_by("planned_start", "pk")
    )
