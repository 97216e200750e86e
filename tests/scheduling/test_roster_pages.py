"""The planner's roster pages over HTTP: list, run form and run page, review, hand edits with the
live check, publishing with the 28-day confirmation; scoping to planners of the organisation."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from tests.conftest import World
from tests.scheduling.roster_fixtures import draft_shift, make_period, monday_in, solved_run
from veerkracht.config.jobs import JobStatus
from veerkracht.scheduling.models_roster import RosterPublication, RosterRun, Shift, ShiftState

pytestmark = pytest.mark.usefixtures("english")


def test_it_lists_periods_with_their_state(world: World) -> None:
    period = make_period(world)
    draft_shift(world, period, world.agent, period.start, 9, 13)
    response = world.client_for(world.planner).get(reverse("scheduling:roster_list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="period-{period.pk}"' in html
    assert response.context["rows"][0]["period"].drafts == 1


def test_it_starts_a_run_and_shows_its_progress(world: World) -> None:
    period = make_period(world)
    client = world.client_for(world.planner)
    form = client.get(reverse("scheduling:roster_run_start", args=[period.pk]))
    assert form.status_code == 200
    assert "Carol Bakker" in form.content.decode()  # nobody submitted availability
    response = client.post(
        reverse("scheduling:roster_run_start", args=[period.pk]),
        {
            "time_limit_s": 10,
            "min_minutes": 240,
            "max_minutes": 480,
            "earliest_start": "08:00",
            "latest_end": "18:00",
        },
    )
    run = RosterRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("scheduling:roster_run", args=[run.pk])
    period.refresh_from_db()
    assert period.shift_rules["max_minutes"] == 480 and period.shift_rules["latest_end"] == "18:00"
    page = client.get(response["Location"])
    assert page.status_code == 200 and b'hx-trigger="every 1s"' in page.content
    partial = client.get(response["Location"] + "?partial=progress", headers={"HX-Request": "true"})
    assert partial.status_code == 200 and b'id="run-progress"' in partial.content
    cancel = client.post(reverse("scheduling:roster_run_cancel", args=[run.pk]))
    assert cancel.status_code == 302
    run.refresh_from_db()
    assert run.status == JobStatus.CANCELLED


def test_it_names_the_field_of_a_bad_time_limit(world: World) -> None:
    period = make_period(world)
    response = world.client_for(world.planner).post(
        reverse("scheduling:roster_run_start", args=[period.pk]),
        {
            "time_limit_s": 5,
            "min_minutes": 240,
            "max_minutes": 480,
            "earliest_start": "08:00",
            "latest_end": "18:00",
        },
    )
    assert response.status_code == 400
    assert "time_limit_s" in response.context["form"].errors
    assert not RosterRun.objects.exists()


def test_it_reviews_a_solved_draft(world: World) -> None:
    period = make_period(world)
    run = solved_run(world, period)
    client = world.client_for(world.planner)
    response = client.get(reverse("scheduling:roster_review", args=[period.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    for part in ('id="kpi-tiles"', 'id="employee-table"', 'id="publish-form"', "Alice Jansen"):
        assert part in html
    assert response.context["review"].kpis["drafts"] == Shift.objects.count()
    run_page = client.get(reverse("scheduling:roster_run", args=[run.pk]))
    assert b"Review the draft" in run_page.content


def test_it_checks_a_hand_edit_live_and_refuses_law_breaches(world: World) -> None:
    period = make_period(world)
    shift = draft_shift(world, period, world.agent, period.start, 9, 13)
    client = world.client_for(world.planner)
    url = reverse("scheduling:roster_shift_edit", args=[shift.pk])
    assert client.get(url).status_code == 200
    day = period.start.isoformat()
    data = {"day": day, "start": "09:00", "end": "20:00", "channel": "phone", "action": "check"}
    check = client.post(url, data, headers={"HX-Request": "true"})
    assert check.status_code == 200
    assert b'id="shift-check"' in check.content and b"<form" not in check.content
    # Working until 20:00 on a day she is available until 17:00: shown, not refused.
    assert b"AVL-01" in check.content
    saved = client.post(url, {**data, "action": "save"})
    assert saved.status_code == 302
    shift.refresh_from_db()
    assert shift.end.hour == 19  # 20:00 local = 19:00 UTC in winter
    other = draft_shift(world, period, world.agent, period.start + timedelta(days=1), 9, 13)
    refused = client.post(
        reverse("scheduling:roster_shift_edit", args=[other.pk]),
        {"day": day, "start": "21:00", "end": "23:00", "channel": "phone", "action": "save"},
    )
    assert refused.status_code == 400
    other.refresh_from_db()
    assert other.start.date() == period.start + timedelta(days=1)


def test_it_adds_fixes_and_removes_shifts(world: World) -> None:
    period = make_period(world)
    client = world.client_for(world.planner)
    response = client.post(
        reverse("scheduling:roster_shift_add", args=[period.pk]),
        {
            "employee": world.colleague.pk,
            "day": period.start.isoformat(),
            "start": "09:00",
            "end": "13:00",
            "channel": "phone",
            "action": "save",
        },
    )
    assert response.status_code == 302
    shift = Shift.objects.get()
    client.post(reverse("scheduling:roster_shift_fix", args=[shift.pk]))
    shift.refresh_from_db()
    assert shift.fixed
    client.post(reverse("scheduling:roster_shift_remove", args=[shift.pk]))
    assert not Shift.objects.exists()


def test_it_asks_to_confirm_a_late_publication(world: World) -> None:
    period = make_period(world, start=monday_in(7))
    draft_shift(world, period, world.agent, period.start, 9, 13)
    client = world.client_for(world.planner)
    url = reverse("scheduling:roster_publish", args=[period.pk])
    first = client.post(url)
    assert first.status_code == 302 and "confirm=1" in first["Location"]
    assert not RosterPublication.objects.exists()
    page = client.get(first["Location"])
    assert b'id="late-warning"' in page.content
    client.post(url, {"confirm_late": "1"})
    publication = RosterPublication.objects.get()
    assert publication.late
    assert Shift.objects.get().state == ShiftState.PUBLISHED


def test_it_shows_nothing_to_others(world: World) -> None:
    period = make_period(world)
    shift = draft_shift(world, period, world.agent, period.start, 9, 13)
    url = reverse("scheduling:roster_review", args=[period.pk])
    for person in (world.agent, world.lead, world.site_manager, world.admin):
        assert world.client_for(person).get(url).status_code == 403
    outsider = world.client_for(world.outsider)
    assert outsider.get(url).status_code == 404
    assert outsider.get(reverse("scheduling:roster_shift_edit", args=[shift.pk])).status_code == 404
    assert (
        outsider.post(reverse("scheduling:roster_shift_remove", args=[shift.pk])).status_code == 404
    )
    assert Shift.objects.filter(pk=shift.pk).exists()
