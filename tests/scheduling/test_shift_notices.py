"""`veerkracht shift_notices`: e-mails the change notices a crash left unsent, one e-mail per
employee in their language, and never the same notice twice."""

from __future__ import annotations

from datetime import date
from io import StringIO

import time_machine
from django.core import mail
from django.core.management import call_command

from tests.conftest import World
from veerkracht.config import cli
from veerkracht.people.models import Employee
from veerkracht.scheduling import shifts
from veerkracht.scheduling.models_roster import ShiftChange, ShiftChangeKind

from .shift_helpers import published_shift

NOW = "2026-10-21 08:00 +02:00"


def _changed(employee: Employee, day: date, by: Employee | None = None) -> ShiftChange:
    # record_change e-mails after the commit; inside a test transaction that never happens, as
    # when a worker crashes between the commit and the e-mail.
    shift = published_shift(employee, day, (10, 0), (18, 0))
    return shifts.record_change(
        employee=employee,
        shift=shift,
        kind=ShiftChangeKind.CHANGED,
        before={"start": f"{day}T09:00+02:00", "end": f"{day}T17:00+02:00"},
        after=shifts.shift_snapshot(shift),
        by=by.user if by else None,
    )


def _run() -> str:
    out = StringIO()
    call_command("shift_notices", stdout=out)
    return out.getvalue()


@time_machine.travel(NOW, tick=False)
def test_it_emails_pending_notices_once_per_employee(world: World) -> None:
    Employee.objects.update(language="en")
    first = _changed(world.agent, date(2026, 10, 22), world.planner)
    second = _changed(world.agent, date(2026, 10, 23), world.planner)
    _changed(world.colleague, date(2026, 10, 22))
    assert "2 shift-change e-mail(s) sent" in _run()
    assert sorted(m.to[0] for m in mail.outbox) == ["alice@example.nl", "bob@example.nl"]
    alice = next(m for m in mail.outbox if m.to == ["alice@example.nl"])
    assert alice.subject == "Your roster has changed"
    assert "was Thu 22 Oct 09:00–17:00, now Thu 22 Oct 10:00–18:00" in alice.body
    assert "Fri 23 Oct 10:00–18:00" in alice.body
    for change in (first, second):
        change.refresh_from_db()
        assert change.notified_at is not None


@time_machine.travel(NOW, tick=False)
def test_it_sends_nothing_the_second_time(world: World) -> None:
    _changed(world.agent, date(2026, 10, 22))
    _run()
    assert "0 shift-change e-mail(s) sent" in _run()
    assert len(mail.outbox) == 1


@time_machine.travel(NOW, tick=False)
def test_it_leaves_notices_that_were_already_emailed(world: World) -> None:
    change = _changed(world.agent, date(2026, 10, 22))
    ShiftChange.objects.filter(pk=change.pk).update(notified_at=change.at)
    _run()
    assert mail.outbox == []


@time_machine.travel(NOW, tick=False)
def test_it_writes_in_the_employees_language(world: World) -> None:
    Employee.objects.filter(pk=world.agent.pk).update(language="nl")
    _changed(world.agent, date(2026, 10, 22))
    _run()
    (message,) = mail.outbox
    assert "do 22 okt" in message.body.lower()


def test_it_is_a_documented_cli_command(capsys) -> None:  # type: ignore[no-untyped-def]
    assert "shift_notices" in cli.usage()
