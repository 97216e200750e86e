"""An agent offers a shift on a phone, a colleague of the team takes it on theirs, the team lead
approves it on a desktop; the shift then belongs to the colleague."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.utils import timezone

from veerkracht.people.demo import DEMO_LOGINS
from veerkracht.people.models import Employee, Role
from veerkracht.planning.calendar import TZ
from veerkracht.scheduling.models_availability import AvailabilityException, AvailabilityPattern
from veerkracht.scheduling.models_roster import Shift, ShiftState, SwapRequest, SwapStatus
from veerkracht.scheduling.shifts import assignments_for, break_for

from .conftest import login, screenshot


def _two_agents_and_a_shift(days_ahead: int = 8):  # type: ignore[no-untyped-def]
    """The demo agent, a colleague of their team trained for the same channel and available
    every day 07:00-22:00, the team's lead, and a published shift of the agent."""
    agent = Employee.objects.get(email=DEMO_LOGINS[Role.AGENT])
    channel = agent.channels[0]
    colleague = next(
        e
        for e in Employee.objects.filter(
            team=agent.team, is_active=True, roles__role=Role.AGENT
        ).exclude(pk=agent.pk)
        if channel in e.channels
    )
    lead = agent.team.leads.first()
    day = timezone.localdate() + timedelta(days=days_ahead)
    start = datetime.combine(day, time(9), TZ)
    end = datetime.combine(day, time(17), TZ)
    Shift.objects.filter(employee__in=[agent, colleague]).delete()
    AvailabilityPattern.objects.filter(employee=colleague).delete()
    AvailabilityException.objects.filter(employee=colleague).delete()
    for weekday in range(7):
        AvailabilityPattern.objects.create(
            employee=colleague, weekday=weekday, start=time(7), end=time(22)
        )
    breaks = break_for(start, end)
    shift = Shift.objects.create(
        organisation=agent.organisation,
        employee=agent,
        start=start,
        end=end,
        breaks=breaks,
        assignments=assignments_for(start, end, breaks, channel),
        state=ShiftState.PUBLISHED,
        published_at=timezone.now(),
    )

    return agent, colleague, lead, shift


def test_it_lets_agents_swap_a_shift_and_the_lead_approve(demo, new_page):  # type: ignore[no-untyped-def]
    agent, colleague, lead, shift = _two_agents_and_a_shift()

    phone = new_page(width=390, height=844)
    login(phone, agent.email)
    phone.goto("/planning/swaps/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone, "swaps-agent-phone")
    with phone.expect_navigation():
        phone.locator(f"#upcoming-{shift.pk} a").click()
    phone.fill("#id_note", "Verjaardag van mijn moeder")
    screenshot(phone, "swap-offer-phone")
    with phone.expect_navigation():
        phone.locator("#offer-form button[type=submit]").click()
    swap = SwapRequest.objects.get(shift=shift)
    assert swap.status == SwapStatus.OPEN
    assert phone.locator("#history").is_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone, "swap-detail-offerer-phone")

    other = new_page(width=390, height=844)
    login(other, colleague.email)
    other.goto("/planning/swaps/")
    offer = other.locator(f"#offer-{swap.pk}")
    assert offer.locator(".fits").is_visible()
    screenshot(other, "swaps-colleague-phone")
    with other.expect_navigation():
        offer.locator("button[type=submit]").click()
    swap.refresh_from_db()
    assert swap.status == SwapStatus.PENDING
    assert swap.taken_by == colleague

    desk = new_page()
    login(desk, lead.email)
    desk.goto("/planning/swaps/")
    with desk.expect_navigation():
        desk.locator(f"#queue-{swap.pk} a").click()
    screenshot(desk, "swap-detail-lead-desktop")
    desk.fill("#approve-note", "Goed geregeld")
    with desk.expect_navigation():
        desk.locator("#approve-form button[type=submit]").click()
    swap.refresh_from_db()
    assert swap.status == SwapStatus.APPROVED
    shift.refresh_from_db()
    assert shift.employee == colleague
    assert desk.locator("#history li").count() == 3
    screenshot(desk, "swap-approved-lead-desktop")


def test_it_lets_a_colleague_pick_a_shift_to_give_back_on_a_phone(demo, new_page):  # type: ignore[no-untyped-def]
    from veerkracht.scheduling import swaps

    agent, colleague, _lead, shift = _two_agents_and_a_shift()
    day = timezone.localdate() + timedelta(days=10)
    start, end = datetime.combine(day, time(9), TZ), datetime.combine(day, time(17), TZ)
    breaks = break_for(start, end)
    theirs = Shift.objects.create(
        organisation=agent.organisation,
        employee=colleague,
        start=start,
        end=end,
        breaks=breaks,
        assignments=assignments_for(start, end, breaks, shift.assignments[0]["channel"]),
        state=ShiftState.PUBLISHED,
    )
    AvailabilityPattern.objects.filter(employee=agent).delete()
    AvailabilityException.objects.filter(employee=agent).delete()
    for weekday in range(7):
        AvailabilityPattern.objects.create(
            employee=agent, weekday=weekday, start=time(7), end=time(22)
        )
    swap = swaps.offer_shift(shift=shift, by=agent.user, kind="swap", note="Ruilen?")

    phone = new_page(width=390, height=844)
    login(phone, colleague.email)
    phone.goto(f"/planning/swaps/{swap.pk}/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.check(f"input[name=return_shift][value='{theirs.pk}']")
    screenshot(phone, "swap-take-give-back-phone")
    with phone.expect_navigation():
        phone.locator("#take-form button[type=submit]").click()
    swap.refresh_from_db()
    assert swap.status == SwapStatus.PENDING
    assert swap.return_shift == theirs
    assert phone.locator("#history li").count() == 2
