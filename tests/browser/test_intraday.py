"""The planner follows the day on the intraday page, gives a quick task with one click; an agent
on a phone accepts an offer of extra hours."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from veerkracht.people.demo import DEMO_LOGINS
from veerkracht.people.models import Employee, Role
from veerkracht.scheduling import shifts as shift_services
from veerkracht.scheduling.demo_intraday import load_intraday_demo
from veerkracht.scheduling.models_roster import (
    ExtraHoursOffer,
    QuickTaskAssignment,
    Shift,
    ShiftSource,
    ShiftState,
)

from .conftest import login, screenshot


def _next_quarter(minutes: int = 0):  # type: ignore[no-untyped-def]
    now = timezone.localtime()
    start = now.replace(minute=now.minute - now.minute % 15, second=0, microsecond=0)
    return start + timedelta(minutes=15 + minutes)


def test_it_shows_the_day_and_gives_a_quick_task(demo, new_page):  # type: ignore[no-untyped-def]
    planner = Employee.objects.get(email=DEMO_LOGINS[Role.PLANNER])
    org = planner.organisation
    load_intraday_demo(org)
    # Two agents at work for the coming hours; the demo day may need nobody (a quiet moment).
    start, end = _next_quarter(-30), _next_quarter(180)
    agents = Employee.objects.filter(organisation=org, roles__role=Role.AGENT).exclude(channels=[])
    for employee in agents.distinct()[:2]:
        Shift.objects.filter(employee=employee).delete()
        Shift.objects.create(
            organisation=org,
            employee=employee,
            start=start,
            end=end,
            assignments=shift_services.assignments_for(start, end, [], employee.channels[0]),
            state=ShiftState.PUBLISHED,
            source=ShiftSource.MANUAL,
            published_at=timezone.now(),
        )

    page = new_page()
    login(page, DEMO_LOGINS[Role.PLANNER])
    page.goto("/planning/intraday/")
    assert page.locator("h1").inner_text().startswith("Intraday")
    page.wait_for_function("window.Chart && document.querySelector('canvas[data-chart]')")
    screenshot(page, "intraday-planner")

    phone = new_page(width=390, height=844)
    login(phone, DEMO_LOGINS[Role.PLANNER])
    phone.goto("/planning/intraday/")
    screenshot(phone, "intraday-planner-phone")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390

    task_buttons = page.locator(".suggestion-quick_task button[type=submit]")
    if task_buttons.count():
        with page.expect_navigation():
            task_buttons.first.click()
        assert page.locator(".message.success").is_visible()
        assert QuickTaskAssignment.objects.filter(task__organisation=org).count() == 1


def test_it_lets_an_agent_accept_extra_hours_on_a_phone(demo, new_page):  # type: ignore[no-untyped-def]
    agent = Employee.objects.get(email=DEMO_LOGINS[Role.AGENT])
    Shift.objects.filter(employee=agent).delete()
    offer = ExtraHoursOffer.objects.create(
        organisation=agent.organisation,
        employee=agent,
        start=_next_quarter(15),
        end=_next_quarter(135),
        channel=agent.channels[0],
    )
    phone = new_page(width=390, height=844)
    login(phone, DEMO_LOGINS[Role.AGENT])
    phone.goto("/planning/extra-hours/")
    screenshot(phone, "extra-hours-phone")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    with phone.expect_navigation():
        phone.locator(f"#offer-{offer.pk} button[type=submit]").first.click()
    assert phone.locator(".message.success").is_visible()
    offer.refresh_from_db()
    assert offer.status == ExtraHoursOffer.Status.ACCEPTED
    assert offer.shift is not None and offer.shift.state == ShiftState.PUBLISHED
