"""A planner starts a roster run on a one-week period, watches it finish (objective and bound),
reviews the coverage chart and the employee table, and publishes (late: confirmed)."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.utils import timezone

from veerkracht.people.demo import DEMO_LOGINS
from veerkracht.people.models import Employee, Role
from veerkracht.planning.calendar import TZ
from veerkracht.scheduling import roster_runs
from veerkracht.scheduling.models_availability import AvailabilityPattern, RosterPeriod
from veerkracht.scheduling.models_roster import RosterPublication, RosterRun, Shift, ShiftState

from .conftest import login, screenshot


def test_it_lets_a_planner_run_review_and_publish_a_roster(demo, new_page, monkeypatch):  # type: ignore[no-untyped-def]
    planner = Employee.objects.get(email=DEMO_LOGINS[Role.PLANNER])
    today = timezone.localdate()
    start = today + timedelta(days=7 - today.weekday())
    period = RosterPeriod.objects.create(
        organisation=planner.organisation,
        start=start,
        weeks=1,
        deadline=datetime.combine(today - timedelta(days=1), time(23, 59), TZ),
    )
    agents = Employee.objects.filter(
        organisation=planner.organisation, is_active=True, roles__role=Role.AGENT
    ).order_by("pk")[:6]
    AvailabilityPattern.objects.bulk_create(
        AvailabilityPattern(employee=a, weekday=d, start=time(8), end=time(17))
        for a in agents
        for d in range(5)
    )
    # The form allows 10 s at least; a test run gets 2 s (the task runs in the request here).
    solve = roster_runs.roster_solver.solve
    monkeypatch.setattr(
        roster_runs.roster_solver,
        "solve",
        lambda problem, **kw: solve(problem, **{**kw, "time_limit_s": 2}),
    )

    page = new_page()
    login(page, DEMO_LOGINS[Role.PLANNER])
    page.goto("/planning/roster/")
    page.locator(f"#period-{period.pk} a.button").click()
    page.fill("#id_time_limit_s", "10")
    with page.expect_navigation():
        page.click("#run-form button[type=submit]")
    run = RosterRun.objects.get(period=period)
    assert run.applied_at is not None
    assert page.locator("#run-progress canvas[data-roster-chart=trace]").is_visible()
    assert page.evaluate(
        "!!Chart.getChart(document.querySelector('canvas[data-roster-chart=trace]'))"
    )
    screenshot(page, "roster-run-desktop")

    page.click("text=Review the draft")
    page.wait_for_selector("#employee-table a.shift")
    assert page.locator("#kpi-tiles .kpi").count() == 5
    drafts = Shift.objects.filter(period=period, state=ShiftState.DRAFT).count()
    assert drafts > 0
    screenshot(page, "roster-review-desktop")

    # Published less than 28 days ahead: the page asks for a confirmation.
    assert page.locator("#late-warning").is_visible()
    page.check("input[name=confirm_late]")
    with page.expect_navigation():
        page.click("#publish-form button[type=submit]")
    publication = RosterPublication.objects.get(period=period)
    assert publication.late and publication.shifts == drafts
    assert page.locator("#publications").get_by_text(str(drafts)).first.is_visible()

    phone = new_page(width=390, height=844)
    login(phone, DEMO_LOGINS[Role.PLANNER])
    phone.goto(f"/planning/roster/periods/{period.pk}/")
    # The wide employee table scrolls inside its box; the page itself does not.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone, "roster-review-phone")
