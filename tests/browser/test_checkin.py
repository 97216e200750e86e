"""A lead plans a 1:1 from the week board, opens it, adds an agenda item and notes and marks it
held; the agent sees it on their phone and fills in how work is going."""

from __future__ import annotations

from veerkracht.people.demo import DEMO_LOGINS
from veerkracht.people.models import Employee, Role
from veerkracht.wellbeing.models_checkins import CheckIn, CheckInStatus

from .conftest import login, screenshot


def test_it_walks_a_lead_and_an_agent_through_a_1_on_1(demo, new_page):  # type: ignore[no-untyped-def]
    agent = Employee.objects.get(email=DEMO_LOGINS[Role.AGENT])

    page = new_page()
    login(page, DEMO_LOGINS[Role.TEAM_LEAD])
    page.goto("/wellbeing/week/")
    row = page.locator(f"#board-row-{agent.pk}")
    assert row.get_attribute("data-state") == "not_spoken"
    screenshot(page, "checkin-week-board-desktop")

    # One click: HTMX swaps just this row; the page does not reload.
    row.locator("button[type=submit]").click()
    planned = page.locator(f"#board-row-{agent.pk} a.badge")
    planned.wait_for()
    checkin = CheckIn.objects.get(agent=agent)
    assert checkin.status == CheckInStatus.PLANNED
    screenshot(page, "checkin-week-board-planned-desktop")

    with page.expect_navigation():
        planned.click()
    assert page.url.endswith(f"/wellbeing/1on1/{checkin.pk}/")
    page.fill("#id_text", "Rooster rond de feestdagen")
    with page.expect_navigation():
        page.locator("form:has(input[value=agenda]) button[type=submit]").click()
    assert page.locator("#agenda").get_by_text("Rooster rond de feestdagen").is_visible()
    # The agent sees the upcoming 1:1 with its agenda on their phone.
    phone = new_page(width=390, height=844)
    login(phone, DEMO_LOGINS[Role.AGENT])
    phone.goto("/wellbeing/1on1/")
    assert (
        phone.locator(f"#upcoming-{checkin.pk}")
        .get_by_text("Rooster rond de feestdagen")
        .is_visible()
    )
    screenshot(phone, "checkin-my-checkins-upcoming-phone")

    page.fill("#id_shared_notes", "Afgesproken: twee weken minder chat, daarna evalueren.")
    with page.expect_navigation():
        page.locator("form:has(input[value=notes]) button[type=submit]").click()
    with page.expect_navigation():
        page.locator("form:has(input[name=status][value=held]) button[type=submit]").click()
    assert page.locator("#checkin-status").get_attribute("class") == "badge ok"
    screenshot(page, "checkin-detail-lead-desktop")
    checkin.refresh_from_db()
    assert checkin.status == CheckInStatus.HELD
    assert checkin.shared_notes.startswith("Afgesproken")
    assert checkin.agenda_items.filter(text="Rooster rond de feestdagen").exists()

    lead_phone = new_page(width=390, height=844)
    login(lead_phone, DEMO_LOGINS[Role.TEAM_LEAD])
    lead_phone.goto("/wellbeing/week/")
    screenshot(lead_phone, "checkin-week-board-phone")

    page.goto("/wellbeing/attention/")
    assert page.locator("#attention").is_visible()
    screenshot(page, "checkin-attention-desktop")

    # After the 1:1 the agent sees the agreed notes and scores the week.
    phone.goto("/wellbeing/1on1/")
    screenshot(phone, "checkin-my-checkins-phone")
    with phone.expect_navigation():
        phone.locator(f"a[href='/wellbeing/1on1/{checkin.pk}/']").first.click()
    assert phone.get_by_text("twee weken minder chat").count() >= 1
    assert phone.locator("#private-h").count() == 0  # no private notes for the agent
    phone.locator("label[for=id_score_3]").click()  # 4 out of 5
    with phone.expect_navigation():
        phone.locator("form:has(input[value=score]) button[type=submit]").click()
    screenshot(phone, "checkin-detail-agent-phone")
    checkin.refresh_from_db()
    assert checkin.score == 4
