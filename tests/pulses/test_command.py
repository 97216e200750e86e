"""`veerkracht pulses`: opens due rounds from schedules, closes expired pulses; and the demo."""

from __future__ import annotations

from datetime import date, timedelta
from io import StringIO

import time_machine
from django.core.management import call_command
from django.utils import timezone

from veerkracht.pulses import anonymity, services
from veerkracht.pulses.demo import load_pulse_demo
from veerkracht.pulses.models import Pulse, PulseStatus

from ..conftest import World
from .conftest import open_pulse


def test_it_opens_the_next_round_and_closes_expired_ones(world: World) -> None:
    schedule = services.create_schedule(
        organisation=world.org,
        cadence="weekly",
        first_open_on=date(2026, 11, 16),
        team=world.team_a,
    )
    with time_machine.travel("2026-11-16 09:00 +01:00", tick=False):
        out = StringIO()
        call_command("pulses", stdout=out)
        assert "opened 1" in out.getvalue()
        call_command("pulses", stdout=StringIO())  # idempotent
    assert Pulse.objects.filter(schedule=schedule).count() == 1
    schedule.refresh_from_db()
    assert schedule.next_open_on == date(2026, 11, 23)
    with time_machine.travel("2026-11-23 09:00 +01:00", tick=False):
        call_command("pulses", stdout=StringIO())
    rounds = list(Pulse.objects.filter(schedule=schedule).order_by("opens_at"))
    assert len(rounds) == 2
    assert rounds[0].status == PulseStatus.CLOSED and rounds[1].status == PulseStatus.OPEN


def test_it_keeps_health_questions_out_of_schedules(world: World) -> None:
    import pytest
    from django.core.exceptions import ValidationError

    from .conftest import question

    with pytest.raises(ValidationError):
        services.create_schedule(
            organisation=world.org,
            cadence="monthly",
            first_open_on=date(2026, 11, 16),
            site=world.site_a,
            questions=[question("health_energy")],
        )


def test_it_closes_a_pulse_from_the_manage_page(world: World) -> None:
    pulse = open_pulse(world, team=world.team_a)
    assert (
        world.client_for(world.lead_b).post(f"/pulse/manage/{pulse.pk}/close/").status_code == 404
    )
    assert world.client_for(world.lead).post(f"/pulse/manage/{pulse.pk}/close/").status_code == 302
    pulse.refresh_from_db()
    assert pulse.status == PulseStatus.CLOSED


def test_it_loads_demo_rounds_with_some_teams_hidden(world: World, add_agents) -> None:  # type: ignore[no-untyped-def]
    from veerkracht.people.models import Team

    extra = Team.objects.create(site=world.site_a, name="Team Duinen")
    for team in (world.team_a, world.team_b, extra):
        add_agents(team, 12)
    today = timezone.localdate()
    pulses = load_pulse_demo(world.org, seed=3, today=today)
    assert len(pulses) == 3 * 5
    assert sum(p.is_open() for p in pulses) == 3
    closed = [p for p in pulses if p.status == PulseStatus.CLOSED]
    hidden = [
        g.hidden for p in closed for g in anonymity.anonymised_results(p, user=world.admin.user)
    ]
    assert any(hidden) and not all(hidden)
    assert all(p.opens_at.date() <= today + timedelta(days=1) for p in pulses)


def test_it_reminds_only_those_who_have_not_answered_once(world: World, add_agents) -> None:  # type: ignore[no-untyped-def]
    from django.core import mail

    from .conftest import answer_all

    now = timezone.now()
    pulse = open_pulse(world, team=world.team_a, closes_at=now + timedelta(hours=20))
    far = open_pulse(world, team=world.team_b, closes_at=now + timedelta(days=3))
    answer_all(pulse, [world.agent], value=5, text="geheim")
    call_command("pulses", stdout=StringIO())
    call_command("pulses", stdout=StringIO())  # a second run sends nothing again
    recipients = sorted(address for m in mail.outbox for address in m.to)
    assert recipients == [world.colleague.email]  # Bob; Alice answered; team B's pulse is not due
    assert "geheim" not in mail.outbox[0].body and "5" not in mail.outbox[0].body
    pulse.refresh_from_db()
    far.refresh_from_db()
    assert pulse.reminder_sent_at is not None and far.reminder_sent_at is None
