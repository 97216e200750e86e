"""An agent on a phone adds a weekly window and an exception and submits for the open roster
period; the planner sees them among those who submitted."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.utils import timezone

from veerkracht.people.demo import DEMO_LOGINS
from veerkracht.people.models import Employee, Role
from veerkracht.scheduling import availability
from veerkracht.scheduling.models_availability import (
    AvailabilityException,
    AvailabilityPattern,
    AvailabilitySubmission,
)

from .conftest import login, screenshot


def test_it_lets_an_agent_submit_availability_on_a_phone(demo, new_page):  # type: ignore[no-untyped-def]
    agent = Employee.objects.get(email=DEMO_LOGINS[Role.AGENT])
    planner = Employee.objects.get(email=DEMO_LOGINS[Role.PLANNER])
    today = timezone.localdate()
    start = today + timedelta(days=14 - today.weekday())
    period = availability.create_roster_period(
        organisation=agent.organisation,
        start=start,
        weeks=4,
        deadline=datetime.combine(
            today + timedelta(days=5), time(23, 59), tzinfo=availability.AMSTERDAM
        ),
        by=planner.user,
    )
    AvailabilityPattern.objects.filter(employee=agent).delete()

    phone = new_page(width=390, height=844)
    login(phone, DEMO_LOGINS[Role.AGENT])
    phone.goto("/planning/availability/")
    screenshot(phone, "availability-mine-empty-phone")
    # Nothing may stick out sideways on a 390 px screen.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390

    phone.select_option("#id_pattern-weekday", "1")
    phone.fill("#id_pattern-start", "08:45")
    phone.fill("#id_pattern-end", "14:30")
    with phone.expect_navigation():
        phone.locator("#add-window button[type=submit]").click()
    assert phone.locator("#weekday-1").get_by_text("08:45–14:30").is_visible()

    day = start + timedelta(days=2)
    phone.fill("#id_exception-date", day.isoformat())
    phone.select_option("#id_exception-kind", "cannot")
    phone.fill("#id_exception-note", "Ouderavond")
    with phone.expect_navigation():
        phone.locator("#add-exception button[type=submit]").click()
    assert phone.locator("#exceptions").get_by_text("Ouderavond").is_visible()

    with phone.expect_navigation():
        phone.locator(f"#period-{period.pk} button[type=submit]").click()
    assert phone.locator(f"#period-{period.pk} .badge.ok").is_visible()
    screenshot(phone, "availability-mine-submitted-phone")

    window = AvailabilityPattern.objects.get(employee=agent)
    assert (window.weekday, window.start, window.end) == (1, time(8, 45), time(14, 30))
    assert AvailabilityException.objects.get(employee=agent).date == day
    assert AvailabilitySubmission.objects.filter(employee=agent, period=period).exists()

    page = new_page()
    login(page, DEMO_LOGINS[Role.PLANNER])
    page.goto(f"/planning/availability/overview/?period={period.pk}&week=0")
    assert page.locator("#submitted").get_by_text(agent.full_name).is_visible()
    assert not page.locator("#not-submitted").get_by_text(agent.full_name).is_visible()
    screenshot(page, "availability-overview-planner-desktop")
    page.goto("/planning/roster-periods/")
    assert page.locator(f"#period-{period.pk}").get_by_text("1 /").is_visible()
    screenshot(page, "availability-periods-planner-desktop")
