"""The planning API: same services and scoping as the pages."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.conftest import World
from tests.scheduling.conftest import token_client
from veerkracht.config.jobs import JobStatus
from veerkracht.planning import erlang
from veerkracht.scheduling.models import ContactVolume, Forecast, HistoryUpload, ServiceTarget

API = "/api/v1"
GOOD = b"start,channel,contacts\n2025-03-03T08:00,phone,10\n2025-03-03T08:15,phone,12\n"
BAD = b"start,channel,contacts\n2025-03-03T08:00,phone,10\n2025-03-03T08:00,phone,11\n2025-03-03T08:30,phone,x\n"


def csv_file(content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile("history.csv", content, content_type="text/csv")


@pytest.mark.parametrize("persona", ["agent", "lead", "admin"])
def test_it_refuses_people_without_planning_access(
    forecast: Forecast, world: World, persona: str
) -> None:
    client = token_client(getattr(world, persona))
    stored = ContactVolume.objects.count()
    for path in (
        "/forecasts",
        f"/forecasts/{forecast.pk}",
        "/history/summary",
        "/service-targets",
        "/scenario",
        f"/forecasts/{forecast.pk}/staffing?channel=phone",
    ):
        assert client.get(API + path).status_code == 403, path
    assert client.post(API + "/history", {"file": csv_file(GOOD)}).status_code == 403
    assert (
        client.post(
            API + "/forecasts", {"channels": ["phone"]}, content_type="application/json"
        ).status_code
        == 403
    )
    assert ContactVolume.objects.count() == stored
    assert not HistoryUpload.objects.exists()
    assert Forecast.objects.count() == 1


@pytest.mark.parametrize("persona", ["planner", "site_manager"])
def test_it_lets_planners_and_site_managers_in(
    forecast: Forecast, world: World, persona: str
) -> None:
    client = token_client(getattr(world, persona))
    listed = client.get(API + "/forecasts")
    assert listed.status_code == 200
    assert [f["id"] for f in listed.json()["results"]] == [forecast.pk]
    assert client.get(API + f"/forecasts/{forecast.pk}").status_code == 200
    assert client.get(API + "/history/summary").status_code == 200


def test_it_hides_another_organisations_forecasts(forecast: Forecast, world: World) -> None:
    client = token_client(world.outsider)
    assert client.get(API + "/forecasts").json()["results"] == []
    assert client.get(API + f"/forecasts/{forecast.pk}").status_code == 404
    assert client.get(API + f"/forecasts/{forecast.pk}/staffing?channel=phone").status_code == 404
    assert client.post(API + f"/forecasts/{forecast.pk}/cancel").status_code == 404
    assert client.get(API + f"/scenario?forecast={forecast.pk}").status_code == 404


def test_it_checks_a_history_file_without_storing_it_on_a_dry_run(world: World) -> None:
    response = token_client(world.planner).post(
        API + "/history?dry_run=true", {"file": csv_file(GOOD)}
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["stored"] is False and body["upload_id"] is None
    assert body["channels"][0]["channel"] == "phone" and body["channels"][0]["intervals"] == 2
    assert not ContactVolume.objects.exists()


def test_it_stores_an_uploaded_history(world: World) -> None:
    response = token_client(world.planner).post(API + "/history", {"file": csv_file(GOOD)})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["stored"] is True and body["created"] == 2 and body["replaced"] == 0
    assert ContactVolume.objects.filter(organisation=world.org).count() == 2
    summary = token_client(world.planner).get(API + "/history/summary").json()
    assert summary["channels"][0]["intervals"] == 2


def test_it_answers_422_with_every_row_error(world: World) -> None:
    response = token_client(world.planner).post(API + "/history", {"file": csv_file(BAD)})
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert {(d["row"], d["field"], d["type"]) for d in detail} == {
        (3, "start", "duplicate"),
        (4, "contacts", "not_a_number"),
    }
    assert detail[0]["loc"] == ["body", "file", 3, "start"]
    assert "already has an interval" in detail[0]["msg"]
    assert not ContactVolume.objects.exists() and not HistoryUpload.objects.exists()


def test_it_lists_and_replaces_service_targets(world: World) -> None:
    client = token_client(world.planner)
    listed = client.get(API + "/service-targets").json()
    assert listed["count"] == 4
    body = {"sl_target": 0.9, "target_s": 15, "aht_s": 280, "shrinkage": 0.25, "patience_s": 120}
    response = client.put(API + "/service-targets/phone", body, content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["patience_s"] == 120
    phone = ServiceTarget.objects.get(organisation=world.org, channel="phone")
    assert (phone.sl_target, phone.aht_s, phone.shrinkage) == (0.9, 280, 0.25)


def test_it_refuses_an_impossible_target_naming_the_field(world: World) -> None:
    client = token_client(world.planner)
    body = {"sl_target": 1.0, "target_s": 20, "aht_s": 300, "shrinkage": 0.3}
    response = client.put(API + "/service-targets/phone", body, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "sl_target"]
    unknown = client.put(API + "/service-targets/fax", body, content_type="application/json")
    assert unknown.status_code == 422
    assert ServiceTarget.objects.get(organisation=world.org, channel="phone").sl_target == 0.8


def test_it_queues_a_forecast_and_reports_its_result(
    history: World, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    client = token_client(history.planner)
    payload = {
        "channels": ["phone"],
        "horizon_days": 7,
        "adjustments": [{"channel": "phone", "start": "2025-06-04", "factor": 2}],
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(API + "/forecasts", payload, content_type="application/json")
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["status"] == JobStatus.QUEUED  # as it was answered; the job ran on commit
    forecast = Forecast.objects.get(pk=created["id"])
    assert forecast.status == JobStatus.SUCCEEDED
    detail = client.get(API + f"/forecasts/{forecast.pk}").json()
    assert detail["status"] == "succeeded" and detail["progress"] == 100
    phone = detail["result"]["channels"]["phone"]
    assert phone["start"][0] == "2025-06-02T08:00+02:00"
    # Only phone: its history ends on Saturday afternoon, so the forecast starts with the rest of
    # that day; the event factor applies from 4 June on.
    days = detail["result"]["days"]
    assert days[0] == "2025-05-31"
    wednesday, tuesday = days.index("2025-06-04"), days.index("2025-06-03")
    assert phone["daily"]["contacts"][wednesday] == pytest.approx(
        2 * phone["daily"]["unadjusted"][wednesday], rel=1e-3
    )
    assert phone["daily"]["contacts"][tuesday] == pytest.approx(
        phone["daily"]["unadjusted"][tuesday]
    )
    light = client.get(API + f"/forecasts/{forecast.pk}?intervals=false").json()
    assert "start" not in light["result"]["channels"]["phone"]


def test_it_validates_a_forecast_request(history: World) -> None:
    client = token_client(history.planner)
    response = client.post(
        API + "/forecasts",
        {"channels": ["chat"], "horizon_days": 7},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "channels"]
    too_long = client.post(
        API + "/forecasts",
        {"channels": ["phone"], "horizon_days": 85},
        content_type="application/json",
    )
    assert too_long.status_code == 422
    assert not Forecast.objects.exists()


def test_it_answers_409_for_staffing_of_an_unfinished_forecast(history: World) -> None:
    forecast = Forecast.objects.create(organisation=history.org, channels=["phone"], horizon_days=7)
    response = token_client(history.planner).get(
        API + f"/forecasts/{forecast.pk}/staffing?channel=phone"
    )
    assert response.status_code == 409
    assert "not finished" in response.json()["detail"]


def test_it_refuses_before_validating_input(world: World) -> None:
    """Someone without planning access learns nothing about the expected input: 403, not 422."""
    response = token_client(world.agent).post(
        API + "/forecasts", {}, content_type="application/json"
    )
    assert response.status_code == 403


def test_it_answers_an_empty_what_if_before_the_first_forecast(world: World) -> None:
    response = token_client(world.planner).get(API + "/scenario")
    assert response.status_code == 200
    assert response.json()["forecast"] is None and response.json()["channels"] == []


def test_it_reports_staffing_for_a_day(forecast: Forecast, world: World) -> None:
    response = token_client(world.planner).get(
        API + f"/forecasts/{forecast.pk}/staffing?channel=phone&date=2025-06-03"
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert len(body["days"]) == 14 and len(body["intervals"]) == 48
    for interval in body["intervals"]:
        assert interval["required_agents"] == erlang.required_agents(
            interval["contacts"], 300, 20, 0.8
        )
    out_of_range = token_client(world.planner).get(
        API + f"/forecasts/{forecast.pk}/staffing?channel=phone&date=2024-01-01"
    )
    assert out_of_range.status_code == 422


def test_it_answers_the_what_if(forecast: Forecast, world: World) -> None:
    query = "start=2025-06-02&factor=1&agents_phone=60&agents_email=3&hours_per_week=36&move_agents=10&move_from=phone&move_to=email"
    response = token_client(world.planner).get(API + f"/scenario?{query}")
    assert response.status_code == 200, response.content
    by_channel = {c["channel"]: c for c in response.json()["channels"]}
    assert by_channel["phone"]["agents_after_move"] == 50
    assert (
        by_channel["email"]["week"]["service_level_after_move"]
        > by_channel["email"]["week"]["service_level_surge"]
    )
    assert (
        by_channel["phone"]["week"]["service_level_after_move"]
        < by_channel["phone"]["week"]["service_level_surge"]
    )


def test_it_needs_csrf_for_session_writes(world: World) -> None:
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(world.planner.user)
    response = client.post(
        API + "/forecasts", {"channels": ["phone"]}, content_type="application/json"
    )
    assert response.status_code == 403
