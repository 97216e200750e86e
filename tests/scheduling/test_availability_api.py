"""The availability API: same services, validation and scoping as the pages."""

from __future__ import annotations

import json
from datetime import datetime, time
from typing import Any

import pytest

from tests.conftest import World
from tests.scheduling.conftest import token_client
from veerkracht.people.models import AuditEvent
from veerkracht.scheduling.availability import AMSTERDAM
from veerkracht.scheduling.models_availability import (
    AvailabilityException,
    AvailabilityPattern,
    AvailabilitySubmission,
    EmployeePreferences,
    RosterPeriod,
)

API = "/api/v1"
NOW = datetime(2025, 11, 12, 10, 0, tzinfo=AMSTERDAM)


@pytest.fixture
def period(world: World, time_machine: Any) -> RosterPeriod:
    time_machine.move_to(NOW, tick=False)
    return RosterPeriod.objects.create(
        organisation=world.org,
        start=datetime(2025, 11, 17).date(),
        weeks=1,
        deadline=datetime(2025, 11, 14, 23, 59, tzinfo=AMSTERDAM),
    )


def _put(client: Any, body: dict[str, Any]) -> Any:
    return client.put(
        f"{API}/me/availability", data=json.dumps(body), content_type="application/json"
    )


def _locs(response: Any) -> dict[str, str]:
    return {"/".join(map(str, e["loc"])): e["msg"] for e in response.json()["detail"]}


def test_it_replaces_pattern_and_preferences(world: World) -> None:
    client = token_client(world.agent)
    response = _put(
        client,
        {
            "pattern": [
                {"weekday": 0, "start": "09:00", "end": "12:00"},
                {"weekday": 0, "start": "13:00", "end": "17:00", "kind": "prefer_not"},
            ],
            "preferences": {
                "preferred_channels": ["chat"],
                "wished_minutes_per_week": 1440,
                "note": "Liever vroeg",
            },
        },
    )
    assert response.status_code == 200, response.content
    assert response.json()["preferences"]["preferred_channels"] == ["chat"]
    assert AvailabilityPattern.objects.filter(employee=world.agent).count() == 2
    assert EmployeePreferences.objects.get(employee=world.agent).wished_minutes_per_week == 1440
    assert AuditEvent.objects.filter(subject=world.agent, summary="weekly availability replaced")
    got = client.get(f"{API}/me/availability").json()
    assert got["pattern"][1] == {
        "weekday": 0,
        "start": "13:00:00",
        "end": "17:00:00",
        "kind": "prefer_not",
    }


@pytest.mark.parametrize(
    ("body", "loc", "message"),
    [
        (
            {"pattern": [{"weekday": 1, "start": "17:00", "end": "09:00"}], "preferences": {}},
            "body/pattern[0].end",
            "The end time must be after the start time.",
        ),
        (
            {
                "pattern": [
                    {"weekday": 1, "start": "09:00", "end": "12:00"},
                    {"weekday": 1, "start": "11:00", "end": "13:00"},
                ],
                "preferences": {},
            },
            "body/pattern[1].start",
            "This window overlaps another window on the same day.",
        ),
        (
            {"pattern": [], "preferences": {"unpreferred_channels": ["email"]}},
            "body/preferences.unpreferred_channels",
            "You are not trained for: E-mail.",
        ),
        (
            {"pattern": [], "preferences": {"wished_minutes_per_week": 2000}},
            "body/preferences.wished_minutes_per_week",
            "Wished hours are above your contract of 32 hours a week.",
        ),
    ],
)
def test_it_names_the_field_of_bad_input(
    world: World, body: dict[str, Any], loc: str, message: str
) -> None:
    AvailabilityPattern.objects.create(employee=world.agent, weekday=4, start=time(9), end=time(12))
    response = _put(token_client(world.agent), body)
    assert response.status_code == 422
    assert _locs(response)[loc] == message
    # all or nothing: the old pattern is still there
    assert list(AvailabilityPattern.objects.values_list("weekday", flat=True)) == [4]
    assert not EmployeePreferences.objects.exists()


def test_it_refuses_an_unknown_channel_by_name(world: World) -> None:
    response = _put(
        token_client(world.agent), {"pattern": [], "preferences": {"preferred_channels": ["fax"]}}
    )
    assert response.status_code == 422
    assert any(loc.startswith("body/preferences/preferred_channels") for loc in _locs(response))


def test_it_adds_lists_and_deletes_exceptions(world: World, period: RosterPeriod) -> None:
    client = token_client(world.agent)
    response = client.post(
        f"{API}/me/availability/exceptions",
        data=json.dumps({"date": "2025-12-01", "start": "09:00", "end": "12:00", "kind": "cannot"}),
        content_type="application/json",
    )
    assert response.status_code == 201
    exception_id = response.json()["id"]
    listed = client.get(f"{API}/me/availability/exceptions").json()
    assert [x["id"] for x in listed["results"]] == [exception_id]
    other = token_client(world.colleague)
    assert other.delete(f"{API}/me/availability/exceptions/{exception_id}").status_code == 404
    assert client.delete(f"{API}/me/availability/exceptions/{exception_id}").status_code == 204
    assert not AvailabilityException.objects.exists()


def test_it_refuses_an_exception_ending_before_it_starts(
    world: World, period: RosterPeriod
) -> None:
    response = token_client(world.agent).post(
        f"{API}/me/availability/exceptions",
        data=json.dumps({"date": "2025-12-01", "start": "12:00", "end": "09:00", "kind": "can"}),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert _locs(response) == {"body/end": "The end time must be after the start time."}


def test_it_submits_and_the_planner_sees_it(world: World, period: RosterPeriod) -> None:
    AvailabilityPattern.objects.create(employee=world.agent, weekday=0, start=time(9), end=time(17))
    response = token_client(world.agent).post(f"{API}/roster-periods/{period.pk}/submit")
    assert response.status_code == 200
    assert AvailabilitySubmission.objects.filter(employee=world.agent, period=period).exists()
    listed = token_client(world.planner).get(f"{API}/roster-periods").json()["results"]
    assert listed[0]["submitted"] == 1 and listed[0]["open"] is True
    rows = token_client(world.planner).get(f"{API}/roster-periods/{period.pk}/availability")
    items = {i["employee"]["name"]: i for i in rows.json()["results"]}
    assert set(items) == {"Alice Jansen", "Bob de Vries", "Carol Bakker"}
    alice = items["Alice Jansen"]
    assert alice["submitted_at"] is not None and items["Bob de Vries"]["submitted_at"] is None
    assert alice["windows"] == [
        {"start": "2025-11-17T09:00:00+01:00", "end": "2025-11-17T17:00:00+01:00"}
    ]


def test_it_refuses_a_submission_after_the_deadline(
    world: World, period: RosterPeriod, time_machine: Any
) -> None:
    time_machine.move_to(datetime(2025, 11, 15, 9, tzinfo=AMSTERDAM), tick=False)
    response = token_client(world.agent).post(f"{API}/roster-periods/{period.pk}/submit")
    assert response.status_code == 422
    assert _locs(response) == {"body/period": "The deadline for this roster period has passed."}


def test_it_scopes_the_lead_to_their_team(world: World, period: RosterPeriod) -> None:
    rows = token_client(world.lead_b).get(f"{API}/roster-periods/{period.pk}/availability")
    assert [i["employee"]["name"] for i in rows.json()["results"]] == ["Carol Bakker"]
    for persona in ("site_manager", "admin", "agent"):
        client = token_client(getattr(world, persona))
        assert client.get(f"{API}/roster-periods/{period.pk}/availability").status_code == 403
    outsider = token_client(world.outsider)
    assert outsider.get(f"{API}/roster-periods/{period.pk}/availability").status_code == 404
    assert outsider.get(f"{API}/roster-periods").json()["results"] == []


def test_it_lets_only_planners_create_periods(world: World, period: RosterPeriod) -> None:
    body = json.dumps({"start": "2025-12-01", "weeks": 2, "deadline": "2025-11-25T23:59:00+01:00"})
    lead = token_client(world.lead)
    assert (
        lead.post(f"{API}/roster-periods", data=body, content_type="application/json").status_code
        == 403
    )
    response = token_client(world.planner).post(
        f"{API}/roster-periods", data=body, content_type="application/json"
    )
    assert response.status_code == 201
    assert RosterPeriod.objects.filter(start="2025-12-01", weeks=2, organisation=world.org).exists()
    bad = token_client(world.planner).post(
        f"{API}/roster-periods",
        data=json.dumps(
            {"start": "2025-12-02", "weeks": 2, "deadline": "2025-11-25T23:59:00+01:00"}
        ),
        content_type="application/json",
    )
    assert bad.status_code == 422
    assert _locs(bad) == {"body/start": "A roster period starts on a Monday."}
