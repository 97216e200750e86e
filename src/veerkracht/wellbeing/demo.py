"""Demo 1:1s, circumstances and home-workplace requests, so the lead's pages show real situations:
most agents spoken weekly, a few not for two weeks, one with falling scores, some living alone,
a headset that has been waiting ten days."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone

from veerkracht.people.models import Role


def load_wellbeing_demo(organisation: Any, *, seed: int, today: date) -> dict[str, int]:
    from .models_checkins import CheckIn, CheckInKind, CheckInStatus
    from .models_home import (
        Circumstances,
        HomeRequestEvent,
        HomeRequestStatus,
        HomeWorkplaceRequest,
    )

    rng = random.Random(seed * 7919 + 1)
    tz = timezone.get_current_timezone()
    monday = today - timedelta(days=today.weekday())
    checkins: list[CheckIn] = []
    circumstances: list[Circumstances] = []
    requests: list[tuple[HomeWorkplaceRequest, list[str]]] = []
    kinds = [CheckInKind.VIDEO, CheckInKind.PHONE, CheckInKind.WALKING]
    teams = organisation.sites.all().prefetch_related("teams__leads", "teams__members__roles")
    for site in teams:
        for team in site.teams.all():
            lead = next(iter(team.leads.all()), None)
            if lead is None:
                continue
            agents = [
                m
                for m in team.members.all()
                if m.is_active and Role.AGENT in {r.role for r in m.roles.all()}
            ]
            for i, agent in enumerate(agents):
                kind = kinds[i % len(kinds)]
                link = (
                    "https://meet.example.nl/1op1-" + str(agent.pk)
                    if kind == CheckInKind.VIDEO
                    else ""
                )
                weekday, hour = i % 5, 9 + (i % 7)
                not_spoken = rng.random() < 0.15  # no 1:1 for the last two weeks
                falling = i == 1
                weeks = range(5, 1 if not_spoken else -1, -1)  # 0 = this week
                for w, weeks_ago in enumerate(weeks):
                    day = monday - timedelta(weeks=weeks_ago) + timedelta(days=weekday)
                    if day >= today:
                        continue
                    start = datetime.combine(day, time(hour, 0), tz)
                    score = max(1, 5 - w) if falling else rng.choice([3, 4, 4, 4, 5])
                    checkins.append(
                        CheckIn(
                            lead=lead,
                            agent=agent,
                            kind=kind,
                            video_link=link,
                            planned_start=start,
                            status=CheckInStatus.HELD,
                            held_at=start + timedelta(minutes=30),
                            score=score,
                            score_at=start + timedelta(minutes=35),
                        )
                    )
                if not not_spoken and rng.random() < 0.7:
                    day = today + timedelta(days=1 + i % 4)
                    while day.weekday() >= 5:  # a working day
                        day += timedelta(days=1)
                    checkins.append(
                        CheckIn(
                            lead=lead,
                            agent=agent,
                            kind=kind,
                            video_link=link,
                            planned_start=datetime.combine(day, time(hour, 30), tz),
                            status=CheckInStatus.PLANNED,
                        )
                    )
                if rng.random() < 0.35:
                    circumstances.append(
                        Circumstances(
                            employee=agent,
                            living_alone=rng.random() < 0.5,
                            cares_for_children=rng.random() < 0.4,
                            quiet_workplace=rng.random() < 0.8,
                        )
                    )
                if rng.random() < 0.12:
                    asked = timezone.now() - timedelta(days=rng.choice([2, 10, 21]))
                    item = rng.choice(["headset", "chair", "monitor"])
                    status = rng.choice(
                        [
                            HomeRequestStatus.REQUESTED,
                            HomeRequestStatus.APPROVED,
                            HomeRequestStatus.DELIVERED,
                        ]
                    )
                    path = {
                        "requested": ["requested"],
                        "approved": ["requested", "approved"],
                        "delivered": ["requested", "approved", "shipped", "delivered"],
                    }[status]
                    req = HomeWorkplaceRequest(
                        employee=agent,
                        item=item,
                        reason="Mijn oude is kapot.",
                        status=status,
                        requested_at=asked,
                        decided_at=asked + timedelta(days=1)
                        if status != HomeRequestStatus.REQUESTED
                        else None,
                        decided_by=lead.user if status != HomeRequestStatus.REQUESTED else None,
                        shipped_on=(asked + timedelta(days=2)).date()
                        if status == HomeRequestStatus.DELIVERED
                        else None,
                        delivered_on=(asked + timedelta(days=4)).date()
                        if status == HomeRequestStatus.DELIVERED
                        else None,
                    )
                    requests.append((req, path))
    CheckIn.objects.bulk_create(checkins)
    Circumstances.objects.bulk_create(circumstances)
    for req, path in requests:
        req.save()
        HomeRequestEvent.objects.bulk_create(
            [
                HomeRequestEvent(
                    request=req,
                    at=req.requested_at + timedelta(days=n),
                    from_status=path[n - 1] if n else "",
                    to_status=s,
                )
                for n, s in enumerate(path)
            ]
        )
    return {
        "checkins": len(checkins),
        "circumstances": len(circumstances),
        "home_requests": len(requests),
    }
