"""`veerkracht reminders`: one e-mail per lead per day listing the people not spoken for N days."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.management import call_command

from veerkracht.people.models import Employee
from veerkracht.wellbeing import checkins as services
from veerkracht.wellbeing.models_checkins import CheckInStatus, NudgeSent
from veerkracht.wellbeing.tasks import send_checkin_reminders

AMS = ZoneInfo("Europe/Amsterdam")
NOW = datetime(2026, 11, 25, 7, 0, tzinfo=AMS)


@pytest.fixture(autouse=True)
def frozen(world, time_machine):
    Employee.objects.update(language="en")
    time_machine.move_to(NOW, tick=False)


def held(world, agent, days_ago, lead=None):
    lead = lead or world.lead
    checkin = services.plan_checkin(
        by=lead.user,
        agent=agent,
        start=NOW - timedelta(days=days_ago),
        kind="phone",
        recurrence="once",
    )
    services.set_status(checkin=checkin, by=lead.user, status=CheckInStatus.HELD)
    return checkin


def test_it_emails_each_lead_once_a_day(world):
    held(world, world.agent, days_ago=9)
    call_command("reminders")
    call_command("reminders")

    by_recipient = {m.to[0]: m for m in mail.outbox}
    assert len(mail.outbox) == 2 and set(by_recipient) == {"lisa@example.nl", "lars@example.nl"}
    lisa = by_recipient["lisa@example.nl"]
    assert lisa.subject == "1:1 reminder: 2 people not spoken for 7 days"
    assert "Alice Jansen: last 1:1 on 16 November 2026" in lisa.body
    assert "Bob de Vries: no 1:1 yet" in lisa.body
    assert "Carol" not in lisa.body
    assert "/wellbeing/week/" in lisa.body
    row = NudgeSent.objects.get(lead=world.lead)
    assert row.day == NOW.date() and sorted(row.agents) == sorted(
        [world.agent.pk, world.colleague.pk]
    )


def test_it_emails_again_the_next_day(world, time_machine):
    call_command("reminders")
    time_machine.move_to(NOW + timedelta(days=1), tick=False)
    call_command("reminders")
    assert [m.to[0] for m in mail.outbox].count("lisa@example.nl") == 2


def test_it_sends_nothing_when_everyone_was_spoken(world):
    held(world, world.agent, days_ago=2)
    held(world, world.colleague, days_ago=6)
    held(world, world.agent_b, days_ago=1, lead=world.lead_b)
    call_command("reminders")
    assert mail.outbox == [] and not NudgeSent.objects.exists()


def test_it_honours_the_nudge_days_setting(world, settings):
    settings.CHECKIN_NUDGE_DAYS = 14
    held(world, world.agent, days_ago=10)
    held(world, world.colleague, days_ago=10)
    held(world, world.agent_b, days_ago=10, lead=world.lead_b)
    call_command("reminders")
    assert mail.outbox == []
    call_command("reminders", "--days", "7")
    assert {m.to[0] for m in mail.outbox} == {"lisa@example.nl", "lars@example.nl"}


def test_it_runs_as_a_task(world):
    assert send_checkin_reminders.call() == 2
    assert send_checkin_reminders.call() == 0
    assert len(mail.outbox) == 2


def test_it_writes_in_the_leads_language(world):
    Employee.objects.filter(pk=world.lead.pk).update(language="nl")
    call_command("reminders")
    lisa = next(m for m in mail.outbox if m.to == ["lisa@example.nl"])
    assert "Bob de Vries" in lisa.body
