"""An agent answers a pulse on a phone; a team lead's results stay hidden at 4 answers and
appear at 5."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from veerkracht.people.demo import DEMO_LOGINS
from veerkracht.people.models import Employee, Role
from veerkracht.pulses import services
from veerkracht.pulses.models import Answer, Participation, Pulse, Scale

from .conftest import login, screenshot


def _pulse_for(employee: Employee) -> Pulse:
    now = timezone.now()
    return services.create_pulse(
        organisation=employee.organisation,
        title="Pulse week 47",
        team=employee.team,
        opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(days=3),
    )


def _answers(pulse: Pulse, value: int) -> dict[int, object]:
    out: dict[int, object] = {}
    for q in pulse.questions.all():
        out[q.pk] = (
            "" if q.scale == Scale.TEXT else (value * 2 if q.scale == Scale.ZERO_TEN else value)
        )
    return out


def test_it_lets_an_agent_answer_a_pulse_on_a_phone(demo, new_page):  # type: ignore[no-untyped-def]
    agent = Employee.objects.get(email=DEMO_LOGINS[Role.AGENT])
    pulse = _pulse_for(agent)
    page = new_page(width=390, height=844)
    login(page, DEMO_LOGINS[Role.AGENT])
    page.goto("/pulse/")
    page.click(f"a[href='/pulse/{pulse.pk}/']")
    assert page.locator("form[data-pulse-form]").is_visible()
    # Big touch targets: every option is at least 44px high and the scale fits the screen.
    option = page.locator(".scale-option span").first.bounding_box()
    assert option is not None and option["height"] >= 44
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    for fieldset in page.locator("fieldset.pulse-question").all():
        options = fieldset.locator(".scale-option span")
        if options.count():
            options.nth(min(3, options.count() - 1)).click()
        else:
            fieldset.locator("textarea").fill("Fijne week gehad")
    page.check("#keep-copy")
    screenshot(page, "pulse-answer-phone")
    with page.expect_navigation():
        page.click("form[data-pulse-form] button[type=submit]")
    assert page.url.endswith("/pulse/")
    assert page.locator(".message.success").is_visible()
    # The personal copy lives in this browser only.
    assert page.locator("#my-copy details").count() == 1
    screenshot(page, "pulse-answered-phone")
    assert Participation.objects.filter(pulse=pulse, employee=agent).count() == 1
    assert Answer.objects.filter(pulse=pulse).count() == pulse.questions.count()
    assert Answer.objects.filter(pulse=pulse, text="Fijne week gehad").count() == 1


def test_it_hides_results_at_four_answers_and_shows_them_at_five(demo, new_page):  # type: ignore[no-untyped-def]
    lead = Employee.objects.get(email=DEMO_LOGINS[Role.TEAM_LEAD])
    team = lead.led_teams.get()
    members = list(
        Employee.objects.filter(team=team, roles__role=Role.AGENT).distinct().order_by("pk")
    )
    assert len(members) >= 5
    pulse = _pulse_for(members[0])
    for person in members[:4]:
        services.submit_answers(pulse=pulse, employee=person, answers=_answers(pulse, 4))

    page = new_page()
    login(page, DEMO_LOGINS[Role.TEAM_LEAD])
    page.goto(f"/pulse/results/?pulse={pulse.pk}")
    group = page.locator(f"#group-team-{team.pk}")
    assert group.locator("[data-hidden-reason]").is_visible()
    assert group.locator("table").count() == 0
    screenshot(page, "pulse-results-4-hidden")

    services.submit_answers(pulse=pulse, employee=members[4], answers=_answers(pulse, 5))
    page.goto(f"/pulse/results/?pulse={pulse.pk}")
    group = page.locator(f"#group-team-{team.pk}")
    assert group.locator("[data-hidden-reason]").count() == 0
    assert group.locator(".figure").inner_text() == "5"
    assert group.locator("table").is_visible()
    assert page.locator("canvas[data-chart=trend]").is_visible()
    screenshot(page, "pulse-results-5-visible")


def test_it_keeps_the_wellbeing_check_on_the_device(demo, new_page):  # type: ignore[no-untyped-def]
    page = new_page(width=390, height=844)
    login(page, DEMO_LOGINS[Role.AGENT])
    requests: list[str] = []
    page.on("request", lambda r: requests.append(f"{r.method} {r.url} {r.post_data or ''}"))
    page.goto("/pulse/wellbeing-check/")
    for fieldset in page.locator("#health-check fieldset").all():
        fieldset.locator(".scale-option span").nth(2).click()
    page.click("#health-save")
    assert page.locator("#health-table tbody tr").count() == 1
    stored = page.evaluate(
        "Object.keys(localStorage).filter(k => k.startsWith('veerkracht.wellbeing.'))"
    )
    assert len(stored) == 1
    screenshot(page, "pulse-wellbeing-check-phone")
    # Saving sent nothing to the server.
    assert not [r for r in requests if r.startswith("POST")]
