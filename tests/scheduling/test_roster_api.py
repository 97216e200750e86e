"""The roster API: runs (start, detail with trace, cancel), period shifts, hand edits with the rule
check (422 with findings), publishing (409 when late without confirmation, 422 with law errors)."""

from __future__ import annotations

import pytest

from tests.conftest import World
from tests.scheduling.conftest import token_client
from tests.scheduling.roster_fixtures import draft_shift, make_period, monday_in, solved_run
from veerkracht.scheduling.models_roster import RosterRun, Shift, ShiftState

pytestmark = pytest.mark.usefixtures("english")


def test_it_starts_lists_and_cancels_runs(world: World) -> None:
    period = make_period(world)
    client = token_client(world.planner)
    url = f"/api/v1/roster-periods/{period.pk}/runs"
    created = client.post(url, {"time_limit_s": 10}, content_type="application/json")
    assert created.status_code == 201 and created.json()["status"] == "queued"
    again = client.post(url, {"time_limit_s": 10}, content_type="application/json")
    assert again.status_code == 409
    assert [r["id"] for r in client.get(url).json()] == [created.json()["id"]]
    cancelled = client.post(f"/api/v1/roster-runs/{created.json()['id']}/cancel")
    assert cancelled.json()["status"] == "cancelled"
    bad = client.post(url, {"time_limit_s": 5}, content_type="application/json")
    assert bad.status_code == 422


def test_it_shows_a_finished_run_and_the_draft(world: World) -> None:
    period = make_period(world)
    run = solved_run(world, period)
    client = token_client(world.planner)
    detail = client.get(f"/api/v1/roster-runs/{run.pk}").json()
    assert detail["status"] == "succeeded" and detail["trace"]
    assert detail["kpis"]["kpi"]["under_pct"] == 0.0
    shifts = client.get(f"/api/v1/roster-periods/{period.pk}/shifts?state=draft").json()
    assert len(shifts) == Shift.objects.count() > 0
    assert shifts[0]["assignments"][0]["channel"]


def test_it_adds_and_refuses_shifts_with_the_rule_check(world: World) -> None:
    period = make_period(world)
    client = token_client(world.planner)
    day = period.start.isoformat()
    url = f"/api/v1/roster-periods/{period.pk}/shifts"
    ok = client.post(
        url,
        {
            "employee": world.agent.pk,
            "start": f"{day}T09:00:00+01:00",
            "end": f"{day}T17:00:00+01:00",
            "channel": "phone",
        },
        content_type="application/json",
    )
    assert ok.status_code == 201, ok.content
    assert ok.json()["shift"]["breaks"]  # the statutory pause
    refused = client.post(
        url,
        {
            "employee": world.agent.pk,
            "start": f"{day}T18:00:00+01:00",
            "end": f"{day}T23:45:00+01:00",
            "channel": "phone",
        },
        content_type="application/json",
    )
    assert refused.status_code == 422
    assert any(v["law"] for v in refused.json()["violations"])
    shift_id = ok.json()["shift"]["id"]
    moved = client.put(
        f"/api/v1/roster-shifts/{shift_id}",
        {"start": f"{day}T10:00:00+01:00", "end": f"{day}T14:00:00+01:00", "channel": "phone"},
        content_type="application/json",
    )
    assert moved.status_code == 200 and moved.json()["shift"]["breaks"] == []
    assert client.delete(f"/api/v1/roster-shifts/{shift_id}").status_code == 204
    assert Shift.objects.count() == 0


def test_it_publishes_late_only_when_confirmed(world: World) -> None:
    period = make_period(world, start=monday_in(7))
    draft_shift(world, period, world.agent, period.start, 9, 13)
    client = token_client(world.planner)
    url = f"/api/v1/roster-periods/{period.pk}/publish"
    late = client.post(url, {}, content_type="application/json")
    assert late.status_code == 409 and "Confirm" in late.json()["detail"]
    done = client.post(url, {"confirm_late": True}, content_type="application/json")
    assert done.status_code == 201 and done.json()["late"] is True
    assert Shift.objects.get().state == ShiftState.PUBLISHED


def test_it_blocks_publishing_with_law_errors(world: World) -> None:
    period = make_period(world)
    draft_shift(world, period, world.agent, period.start, 6, 20)
    response = token_client(world.planner).post(
        f"/api/v1/roster-periods/{period.pk}/publish",
        {"confirm_late": True},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert Shift.objects.get().state == ShiftState.DRAFT


def test_it_hides_runs_from_others(world: World) -> None:
    period = make_period(world)
    run = RosterRun.objects.create(organisation=world.org, period=period, problem={})
    assert token_client(world.site_manager).get(f"/api/v1/roster-runs/{run.pk}").status_code == 403
    assert token_client(world.outsider).get(f"/api/v1/roster-runs/{run.pk}").status_code == 404
