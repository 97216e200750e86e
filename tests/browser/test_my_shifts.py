"""An agent on a phone sees today's shift and a change notice on "My shifts", makes a private
calendar link and fetches it; the team lead sees the team roster."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from veerkracht.people.demo import DEMO_LOGINS
from veerkracht.people.models import Employee, Role
from veerkracht.scheduling import shifts
from veerkracht.scheduling.models_roster import CalendarFeed, Shift, ShiftChangeKind, ShiftState

from .conftest import login, screenshot

TZ = ZoneInfo("Europe/Amsterdam")


def _shift(employee: Employee, day, start: int, end: int) -> Shift:  # type: ignore[no-untyped-def]
    s = datetime.combine(day, time(start), TZ)
    e = datetime.combine(day, time(end), TZ)
    mid = s + (e - s) / 2 - timedelta(minutes=15)
    iso = lambda m: m.isoformat(timespec="minutes")  # noqa: E731
    pause = {"start": iso(mid), "end": iso(mid + timedelta(minutes=30))}
    return Shift.objects.create(
        organisation=employee.organisation,
        employee=employee,
        start=s,
        end=e,
        breaks=[pause],
        assignments=[
            {"start": iso(s), "end": pause["start"], "channel": "phone"},
            {"start": pause["end"], "end": iso(e), "channel": "email"},
        ],
        state=ShiftState.PUBLISHED,
        published_at=timezone.now(),
        explanation="Je gaf aan graag vroeg te werken.",
    )


def test_it_shows_an_agent_their_shifts_on_a_phone(demo, new_page, live_server):  # type: ignore[no-untyped-def]
    agent = Employee.objects.get(email=DEMO_LOGINS[Role.AGENT])
    lead = Employee.objects.get(email=DEMO_LOGINS[Role.TEAM_LEAD])
    Shift.objects.filter(employee=agent).delete()
    today = timezone.localdate()
    _shift(agent, today, 8, 17)
    moved = _shift(agent, today + timedelta(days=2), 10, 18)
    shifts.record_change(
        employee=agent,
        shift=moved,
        kind=ShiftChangeKind.CHANGED,
        before={
            "start": datetime.combine(moved.start.astimezone(TZ).date(), time(9), TZ).isoformat(),
            "end": datetime.combine(moved.start.astimezone(TZ).date(), time(17), TZ).isoformat(),
        },
        after=shifts.shift_snapshot(moved),
        by=lead.user,
    )

    phone = new_page(width=390, height=844)
    login(phone, DEMO_LOGINS[Role.AGENT])
    phone.goto("/planning/shifts/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    assert phone.locator("#today .figure").inner_text() == "08:00–17:00"
    assert phone.locator("#today").get_by_text("Je gaf aan graag vroeg te werken.").is_visible()
    notice = phone.locator("#notices .notice")
    assert notice.is_visible()
    assert lead.full_name in notice.inner_text()
    assert "09:00–17:00" in notice.inner_text() and "10:00–18:00" in notice.inner_text()
    screenshot(phone, "my-shifts-phone")

    with phone.expect_navigation():
        phone.locator("#create-feed button[type=submit]").click()
    url = phone.locator("#feed-url").input_value()
    assert "/calendar/" in url and url.endswith(".ics")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone, "my-shifts-feed-phone")
    assert CalendarFeed.objects.filter(employee=agent, revoked_at__isnull=True).count() == 1

    feed = phone.request.get(live_server.url + "/" + url.split("/", 3)[3])
    assert feed.status == 200
    assert b"BEGIN:VEVENT" in feed.body()

    # Seen notices are not shown again.
    phone.goto("/planning/shifts/")
    assert phone.locator("#notices").count() == 0

    phone.goto("/")
    assert phone.locator("#home-shift-today .figure").inner_text() == "08:00–17:00"

    desk = new_page()
    login(desk, DEMO_LOGINS[Role.AGENT])
    desk.goto("/planning/shifts/")
    assert desk.locator("#today .figure").inner_text() == "08:00–17:00"
    screenshot(desk, "my-shifts-desktop")

    page = new_page()
    login(page, DEMO_LOGINS[Role.TEAM_LEAD])
    page.goto("/planning/team-roster/")
    assert page.locator(f"#roster-row-{agent.pk}").get_by_text("08:00–17:00").is_visible()
    screenshot(page, "team-roster-lead-desktop")

    phone_lead = new_page(width=390, height=844)
    login(phone_lead, DEMO_LOGINS[Role.TEAM_LEAD])
    phone_lead.goto("/planning/team-roster/")
    assert phone_lead.evaluate("document.documentElement.scrollWidth") <= 390
    day = phone_lead.locator(f"#roster-day-{today.isoformat()}")
    assert day.get_by_text(agent.full_name).is_visible()
    assert day.get_by_text("08:00–17:00").is_visible()
    screenshot(phone_lead, "team-roster-lead-phone")
