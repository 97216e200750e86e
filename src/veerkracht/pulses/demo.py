"""Demo pulse rounds: `load_pulse_demo(organisation, seed=..., today=...)`.

A few past weekly rounds per team with realistic answers. Participation differs per team, so
some teams stay under the anonymity threshold and the results page shows hiding at work. One
round stays open this week so agents can answer it."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from veerkracht.people.models import Employee, Organisation, Role, Team

from . import services
from .models import Pulse, PulseStatus, Scale

__all__ = ["load_pulse_demo"]

COMMENTS = [
    "More short breaks between calls would help.",
    "Fijn dat we elke week even bijpraten.",
    "The new script for complaints works well.",
    "Ik mis de koffiemomenten met het team.",
    "Busy weeks, but the team helps each other.",
]


def _value(rng: random.Random, scale: str, mood: float) -> int:
    if scale == Scale.ZERO_TEN:
        return max(0, min(10, round(rng.gauss(6.5 + 2 * mood, 1.8))))
    return max(1, min(5, round(rng.gauss(3.5 + mood, 0.9))))


@transaction.atomic
def load_pulse_demo(
    organisation: Organisation, *, seed: int = 1, today: date | None = None, weeks: int = 4
) -> list[Pulse]:
    """Create `weeks` closed weekly rounds plus one open round for every team of the organisation."""
    rng = random.Random(seed)
    today = today or timezone.localdate()
    tz = timezone.get_current_timezone()
    monday = today - timedelta(days=today.weekday())
    teams = list(
        Team.objects.filter(site__organisation=organisation).order_by("site__name", "name")
    )
    created = []
    for index, team in enumerate(teams):
        members = list(
            Employee.objects.filter(team=team, is_active=True, roles__role=Role.AGENT).distinct()
        )
        # Every third team answers sparsely, so its results stay hidden.
        share = 0.3 if index % 3 == 2 else rng.uniform(0.6, 0.9)
        mood = rng.uniform(-0.6, 0.4)
        for week in range(weeks, -1, -1):
            start = monday - timedelta(weeks=week)
            opens = timezone.make_aware(datetime.combine(start, time(6)), tz)
            closes = opens + timedelta(days=5)
            if week == 0:  # this week's round is open from yesterday until five days from today
                opens = timezone.make_aware(datetime.combine(today, time(0)), tz) - timedelta(
                    days=1
                )
                closes = opens + timedelta(days=6)
            pulse = services.create_pulse(
                organisation=organisation,
                title=f"Pulse {team.name}, week {start.isocalendar().week}",
                team=team,
                opens_at=opens,
                closes_at=closes,
            )
            created.append(pulse)
            if week == 0:
                continue  # this week's round stays open for the demo logins
            questions = list(pulse.questions.all())
            drift = mood + 0.1 * (weeks - week) * (1 if index % 2 else -1)
            for member in members:
                if rng.random() > share:
                    continue
                cleaned = []
                for q in questions:
                    if q.scale == Scale.TEXT:
                        text = rng.choice(COMMENTS) if rng.random() < 0.25 else ""
                        cleaned.append((q, None, text))
                    else:
                        cleaned.append((q, _value(rng, q.scale, drift), ""))
                services.store_submission(pulse=pulse, employee=member, cleaned=cleaned)
            pulse.status = PulseStatus.CLOSED
            pulse.save(update_fields=["status"])
    return created
