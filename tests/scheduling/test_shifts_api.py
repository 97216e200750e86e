"""The shifts API: own published shifts by date range, change notices, the calendar feed, and a
team's week scoped like the team roster page."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
import time_machine
from django.test import Client

from tests.conftest import World
from veerkracht.people import services as people_services
from veerkracht.people.models import Employee
from veerkracht.scheduling.models_roster import CalendarFeed, ShiftState

from .shift_helpers import added_notice, published_shift

NOW = "2026-10-21 08:00 +02:00"
API = "/api/v1"


class Api:
    def __init__(self, employee: Employee) -> None:
        _, key = people_services.issue_api_token(user=employee.user, name="test")
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
        self.client = Client()

    def get(self, path: str, **query: Any) -> Any:
        return self.client.get(API + path, query, **self.headers)

    def post(self, path: str, body: Any = None) -> Any:
        return self.client.post(
            API + path, json.dumps(body or {}), content_type="application/json", **self.headers
        )

    def delete(self, path: str) -> Any:
        return self.client.delete(API + path, **self.headers)


@pytest.fixture(autouse=True)
def _english(world: World) -> None:
    Employee.objects.update(language="en")


@time_machine.travel(NOW, tick=False)
def test_it_lists_own_published_shifts_in_a_range(world: World) -> None:
    inside = published_shift(world.agent, date(2026, 10, 25), channels=("phone", "chat"))
    published_shift(world.agent, date(2026, 11, 30))  # after `to`
    published_shift(world.agent, date(2026, 10, 26), state=ShiftState.DRAFT)
    published_shift(world.colleague, date(2026, 10, 25))
    response = Api(world.agent).get("/me/shifts", **{"from": "2026-10-21", "to": "2026-10-31"})
    assert response.status_code == 200
    (shift,) = response.json()
    assert shift["id"] == inside.pk
    assert shift["start"] == "2026-10-25T09:00:00+01:00"  # CET after the DST change
    assert shift["channels"] == ["phone", "chat"]
    assert shift["breaks"] == [
        {"start": "2026-10-25T13:00:00+01:00", "end": "2026-10-25T13:30:00+01:00", "channel": ""}
    ]
    assert shift["worked_minutes"] == 8 * 60
    assert shift["iso_week"] == "2026-W43"


@time_machine.travel(NOW, tick=False)
def test_it_defaults_to_four_weeks_from_today(world: World) -> None:
    published_shift(world.agent, date(2026, 10, 20))  # yesterday
    soon = published_shift(world.agent, date(2026, 11, 17))
    published_shift(world.agent, date(2026, 11, 18))  # the 29th day
    ids = [s["id"] for s in Api(world.agent).get("/me/shifts").json()]
    assert ids == [soon.pk]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"from": "2026-10-21", "to": "2026-10-01"}, "“to” must not be before “from”."),
        ({"from": "2026-01-01", "to": "2026-12-31"}, "Ask for at most 120 days at a time."),
    ],
)
def test_it_refuses_a_bad_range_naming_the_field(
    world: World, query: dict[str, str], message: str
) -> None:
    response = Api(world.agent).get("/me/shifts", **query)
    assert response.status_code == 422
    assert response.json()["detail"] == [
        {"loc": ["query", "to"], "msg": message, "type": "value_error"}
    ]


def test_it_refuses_a_date_that_is_not_one(world: World) -> None:
    response = Api(world.agent).get("/me/shifts", **{"from": "21-10-2026"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == "from"


@time_machine.travel(NOW, tick=False)
def test_it_lists_changes_and_marks_them_seen(world: World) -> None:
    shift = published_shift(world.agent, date(2026, 10, 23))
    change = added_notice(world.agent, shift, by=world.planner)
    api = Api(world.agent)
    body = api.get("/me/shift-changes", unseen="true").json()
    assert body["count"] == 1
    (item,) = body["results"]
    assert item["id"] == change.pk
    assert item["by"] == "Piet Mulder"
    assert "09:00–17:30" in item["text"]
    assert api.post("/me/shift-changes/seen", {"ids": [change.pk]}).json() == {"marked": 1}
    assert api.get("/me/shift-changes", unseen="true").json()["count"] == 0
    assert api.get("/me/shift-changes").json()["count"] == 1


@time_machine.travel(NOW, tick=False)
def test_it_does_not_mark_others_changes_seen(world: World) -> None:
    shift = published_shift(world.colleague, date(2026, 10, 23))
    change = added_notice(world.colleague, shift)
    assert Api(world.agent).post("/me/shift-changes/seen", {"ids": [change.pk]}).json() == {
        "marked": 0
    }
    assert Api(world.agent).get("/me/shift-changes").json()["count"] == 0


def test_it_rejects_unknown_fields_when_marking_seen(world: World) -> None:
    response = Api(world.agent).post("/me/shift-changes/seen", {"all": True})
    assert response.status_code == 422


@time_machine.travel(NOW, tick=False)
def test_it_creates_a_feed_once_and_revokes_it(world: World) -> None:
    published_shift(world.agent, date(2026, 10, 23))
    api = Api(world.agent)
    assert api.get("/me/calendar-feed").json()["active"] is False
    created = api.post("/me/calendar-feed")
    assert created.status_code == 201
    url = created.json()["url"]
    assert url.endswith(".ics") and created.json()["webcal_url"].startswith("webcal://")
    path = "/" + url.split("/", 3)[3]
    assert Client().get(path).status_code == 200
    status = api.get("/me/calendar-feed").json()
    assert status["active"] is True and "url" not in status
    assert status["token_hint"] == url[-8:-4]
    assert api.delete("/me/calendar-feed").status_code == 204
    assert Client().get(path).status_code == 404
    assert api.delete("/me/calendar-feed").status_code == 404
    assert CalendarFeed.objects.filter(employee=world.agent, revoked_at__isnull=True).count() == 0


@time_machine.travel(NOW, tick=False)
def test_it_gives_a_teams_week_with_times_only_to_a_colleague(world: World) -> None:
    published_shift(world.colleague, date(2026, 10, 22), channels=("phone",))
    body = Api(world.agent).get(f"/teams/{world.team_a.pk}/shifts", week="2026-W43").json()
    assert body["week"] == "2026-W43" and body["with_channels"] is False
    bob = next(m for m in body["members"] if m["employee_id"] == world.colleague.pk)
    assert bob["shifts"] == [
        {"start": "2026-10-22T09:00:00+02:00", "end": "2026-10-22T17:30:00+02:00", "channels": None}
    ]
    assert bob["worked_minutes"] == 480


@time_machine.travel(NOW, tick=False)
def test_it_gives_channels_to_the_lead(world: World) -> None:
    published_shift(world.agent, date(2026, 10, 22), channels=("phone", "chat"))
    body = Api(world.lead).get(f"/teams/{world.team_a.pk}/shifts").json()
    alice = next(m for m in body["members"] if m["employee_id"] == world.agent.pk)
    assert alice["shifts"][0]["channels"] == ["phone", "chat"]


def test_it_hides_other_teams(world: World) -> None:
    assert Api(world.agent).get(f"/teams/{world.team_b.pk}/shifts").status_code == 404
    assert Api(world.lead).get(f"/teams/{world.team_b.pk}/shifts").status_code == 404
    assert Api(world.outsider).get(f"/teams/{world.team_a.pk}/shifts").status_code == 404


def test_it_refuses_a_week_that_is_not_one(world: World) -> None:
    response = Api(world.lead).get(f"/teams/{world.team_a.pk}/shifts", week="2026-W77")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "week"]


@time_machine.travel(NOW, tick=False)
def test_it_gives_a_teams_week_and_the_notices_in_few_queries(  # type: ignore[no-untyped-def]
    world: World, django_assert_max_num_queries
) -> None:
    for day in (19, 20, 21, 22, 23):
        for person in (world.agent, world.colleague):
            shift = published_shift(person, date(2026, 10, day))
            added_notice(person, shift, by=world.planner)
    api = Api(world.lead)
    agent = Api(world.agent)
    with django_assert_max_num_queries(9):
        assert api.get(f"/teams/{world.team_a.pk}/shifts").status_code == 200
    with django_assert_max_num_queries(6):
        assert agent.get("/me/shift-changes").json()["count"] == 5
