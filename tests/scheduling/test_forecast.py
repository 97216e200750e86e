"""Forecasts: the job end to end (ImmediateBackend), progress partial, detail, CSV, adjust,
cancel, failures and a crashed worker."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.conftest import World
from veerkracht.config.jobs import JobStatus, reap_stale_jobs
from veerkracht.planning.history import parse_history
from veerkracht.scheduling import services
from veerkracht.scheduling.models import Forecast

pytestmark = pytest.mark.usefixtures("english")

CREATE = reverse("scheduling:forecast_create")


def create(client, **extra):  # type: ignore[no-untyped-def]
    data = {
        "channels": ["phone", "email"],
        "horizon_days": 14,
        "adj-TOTAL_FORMS": 2,
        "adj-INITIAL_FORMS": 0,
        "adj-MIN_NUM_FORMS": 0,
        "adj-MAX_NUM_FORMS": 5,
        **extra,
    }
    return client.post(CREATE, data)


def test_it_queues_runs_and_stores_a_forecast(
    history: World, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    client = history.client_for(history.planner)
    with django_capture_on_commit_callbacks(execute=True):
        response = create(client)
    forecast = Forecast.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("scheduling:forecast_detail", args=[forecast.pk])
    assert forecast.status == JobStatus.SUCCEEDED
    assert forecast.progress == 100
    assert forecast.attempts == 1
    assert forecast.created_by == history.planner.user
    assert forecast.first_day == date(2025, 6, 2) and forecast.last_day == date(2025, 6, 15)
    phone = forecast.result["channels"]["phone"]
    assert (
        len(phone["start"]) == len(phone["contacts"]) == len(phone["lower"]) == len(phone["upper"])
    )
    assert len(phone["daily"]["contacts"]) == 14
    # Weekdays busy, Sunday closed.
    assert phone["daily"]["contacts"][0] > 1500
    assert phone["daily"]["contacts"][6] == 0
    assert all(
        lo <= c <= hi + 1e-9
        for c, lo, hi in zip(phone["contacts"], phone["lower"], phone["upper"], strict=True)
    )
    assert set(forecast.metrics) == {"phone", "email"}


def test_it_shows_the_forecast_with_charts(forecast: Forecast, world: World) -> None:
    client = world.client_for(world.planner)
    response = client.get(
        reverse("scheduling:forecast_detail", args=[forecast.pk]) + "?day=2025-06-03"
    )
    assert response.status_code == 200
    charts = {c["channel"]: c for c in response.context["charts"]}
    daily = charts["phone"]["daily"]
    assert len(daily["labels"]) == 56 + 14  # 8 weeks of history, then the forecast
    assert daily["history"][55] is None  # Sunday 1 June: closed
    assert daily["forecast"][56] > 0 and daily["history"][56] is None
    intraday = charts["phone"]["intraday"]
    assert intraday["labels"][0] == "08:00" and len(intraday["labels"]) == 48
    html = response.content.decode()
    assert 'data-chart="forecast-daily"' in html and 'id="chart-phone-daily"' in html
    assert "scheduling/charts.js" in html


def test_it_polls_progress_while_queued_and_reloads_when_done(history: World) -> None:
    forecast = Forecast.objects.create(organisation=history.org, channels=["phone"], horizon_days=7)
    client = history.client_for(history.planner)
    url = reverse("scheduling:forecast_detail", args=[forecast.pk])
    page = client.get(url).content.decode()
    assert 'hx-trigger="every 1s"' in page and "?partial=progress" in page
    assert f'href="{url}"' in page  # the refresh link for browsers without JavaScript
    partial = client.get(url + "?partial=progress", headers={"HX-Request": "true"})
    assert partial.status_code == 200
    assert "<html" not in partial.content.decode() and "every 1s" in partial.content.decode()
    assert "HX-Refresh" not in partial
    services.compute_forecast(forecast_id=forecast.pk)
    done = client.get(url + "?partial=progress", headers={"HX-Request": "true"})
    assert done["HX-Refresh"] == "true"
    assert "every 1s" not in done.content.decode()


def test_it_downloads_the_forecast_csv_in_the_file_contract(
    forecast: Forecast, world: World
) -> None:
    response = world.client_for(world.planner).get(
        reverse("scheduling:forecast_csv", args=[forecast.pk])
    )
    assert response.status_code == 200
    text = response.content.decode()
    lines = text.splitlines()
    assert lines[0] == "start,channel,contacts,lower,upper"
    assert lines[1].startswith("2025-06-02T00:00+02:00,email,")
    assert len(lines) - 1 == sum(
        len(forecast.result["channels"][c]["start"]) for c in ("phone", "email")
    )
    # The forecast reads back as a history (start with offset, 15-minute grid).
    assert parse_history(text.encode()).ok


def test_it_adds_an_event_factor_as_a_new_forecast(
    forecast: Forecast, world: World, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    client = world.client_for(world.planner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("scheduling:forecast_adjust", args=[forecast.pk]),
            {"channel": "phone", "start": "2025-06-09", "factor": "4", "label": "Mailing"},
        )
    adjusted = Forecast.objects.exclude(pk=forecast.pk).get()
    assert response["Location"] == reverse("scheduling:forecast_detail", args=[adjusted.pk])
    assert adjusted.based_on == forecast
    assert adjusted.adjustments == [
        {"channel": "phone", "start": "2025-06-09", "end": None, "factor": 4.0, "label": "Mailing"}
    ]
    assert adjusted.status == JobStatus.SUCCEEDED
    daily = adjusted.result["channels"]["phone"]["daily"]
    assert daily["contacts"][0] == pytest.approx(daily["unadjusted"][0])  # before 9 June: as it was
    assert daily["contacts"][7] == pytest.approx(4 * daily["unadjusted"][7], rel=1e-3)
    email = adjusted.result["channels"]["email"]["daily"]
    assert email["contacts"][7] == pytest.approx(
        email["unadjusted"][7]
    )  # another channel: untouched
    page = client.get(response["Location"])
    assert page.context["charts"][0]["daily"]["unadjusted"] is not None
    assert "Without event factors" in page.content.decode()


def test_it_rejects_an_event_factor_ending_before_it_starts(history: World) -> None:
    response = create(
        history.client_for(history.planner),
        **{
            "adj-0-channel": "all",
            "adj-0-start": "2025-06-09",
            "adj-0-end": "2025-06-01",
            "adj-0-factor": "2",
        },
    )
    assert response.status_code == 400
    assert not Forecast.objects.exists()


def test_it_refuses_a_forecast_without_history(world: World) -> None:
    response = create(world.client_for(world.planner))
    assert response.status_code == 400
    assert not Forecast.objects.exists()


def test_it_cancels_a_queued_forecast(history: World) -> None:
    forecast = Forecast.objects.create(organisation=history.org, channels=["phone"], horizon_days=7)
    client = history.client_for(history.planner)
    client.post(reverse("scheduling:forecast_cancel", args=[forecast.pk]))
    forecast.refresh_from_db()
    assert forecast.status == JobStatus.CANCELLED
    assert services.compute_forecast(forecast_id=forecast.pk) == "skipped"
    forecast.refresh_from_db()
    assert forecast.result is None


def test_it_stops_a_running_forecast_at_the_next_heartbeat(
    history: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    forecast = Forecast.objects.create(organisation=history.org, channels=["phone"], horizon_days=7)
    real = services.core_forecast.forecast_contacts

    def cancel_meanwhile(*args, **kwargs):  # type: ignore[no-untyped-def]
        Forecast.objects.filter(pk=forecast.pk).update(cancel_requested=True)
        return real(*args, **kwargs)

    monkeypatch.setattr(services.core_forecast, "forecast_contacts", cancel_meanwhile)
    assert services.compute_forecast(forecast_id=forecast.pk) == "cancelled"
    forecast.refresh_from_db()
    assert forecast.status == JobStatus.CANCELLED
    assert forecast.result is None


def test_it_marks_a_broken_forecast_failed_with_a_clear_message(
    history: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("out of cheese")

    monkeypatch.setattr(services.core_forecast, "forecast_contacts", broken)
    forecast = Forecast.objects.create(organisation=history.org, channels=["phone"], horizon_days=7)
    assert services.compute_forecast(forecast_id=forecast.pk) == "failed"
    forecast.refresh_from_db()
    assert forecast.status == JobStatus.FAILED
    assert "out of cheese" in forecast.message
    assert forecast.result is None and forecast.finished_at is not None


def test_it_requeues_a_forecast_whose_worker_crashed(
    history: World, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    stale = timezone.now() - timedelta(minutes=10)
    forecast = Forecast.objects.create(
        organisation=history.org,
        channels=["phone"],
        horizon_days=7,
        status=JobStatus.RUNNING,
        attempts=1,
        started_at=stale,
        heartbeat_at=stale,
        progress=25,
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert reap_stale_jobs() == 1
    forecast.refresh_from_db()
    # Queued again and (ImmediateBackend) run to the end by the second attempt.
    assert forecast.status == JobStatus.SUCCEEDED
    assert forecast.attempts == 2
    assert forecast.result is not None


def test_it_fails_a_crashed_forecast_after_its_last_attempt(history: World) -> None:
    stale = timezone.now() - timedelta(minutes=10)
    forecast = Forecast.objects.create(
        organisation=history.org,
        channels=["phone"],
        horizon_days=7,
        status=JobStatus.RUNNING,
        attempts=Forecast.max_attempts,
        started_at=stale,
        heartbeat_at=stale,
    )
    assert reap_stale_jobs() == 1
    forecast.refresh_from_db()
    assert forecast.status == JobStatus.FAILED
    assert "worker stopped" in forecast.message
    assert forecast.result is None


def test_it_leaves_a_running_forecast_with_a_fresh_heartbeat_alone(history: World) -> None:
    now = timezone.now()
    forecast = Forecast.objects.create(
        organisation=history.org,
        channels=["phone"],
        horizon_days=7,
        status=JobStatus.RUNNING,
        attempts=1,
        started_at=now,
        heartbeat_at=now,
    )
    assert reap_stale_jobs() == 0
    forecast.refresh_from_db()
    assert forecast.status == JobStatus.RUNNING


def test_it_lists_forecasts_with_a_bounded_number_of_queries(
    history: World, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    client = history.client_for(history.planner)
    for _ in range(12):
        Forecast.objects.create(
            organisation=history.org,
            created_by=history.planner.user,
            channels=["phone"],
            horizon_days=7,
        )
    with django_assert_max_num_queries(10):
        response = client.get(reverse("scheduling:forecast_list"))
    assert response.status_code == 200
    assert len(response.context["page"]) == 12


@pytest.mark.parametrize("persona", ["agent", "lead", "admin"])
def test_it_refuses_forecast_pages_to_people_without_planning_access(
    forecast: Forecast, world: World, persona: str
) -> None:
    client = world.client_for(getattr(world, persona))
    assert client.get(reverse("scheduling:forecast_list")).status_code == 403
    assert client.get(reverse("scheduling:forecast_detail", args=[forecast.pk])).status_code == 403
    assert client.get(reverse("scheduling:forecast_csv", args=[forecast.pk])).status_code == 403


def test_it_hides_forecasts_of_another_organisation(forecast: Forecast, world: World) -> None:
    client = world.client_for(world.outsider)
    assert client.get(reverse("scheduling:forecast_detail", args=[forecast.pk])).status_code == 404
    assert client.get(reverse("scheduling:forecast_csv", args=[forecast.pk])).status_code == 404
    assert client.post(reverse("scheduling:forecast_cancel", args=[forecast.pk])).status_code == 404
    response = client.get(reverse("scheduling:forecast_list"))
    assert list(response.context["page"]) == []


def test_it_lets_site_managers_see_forecasts(forecast: Forecast, world: World) -> None:
    client = world.client_for(world.site_manager)
    assert client.get(reverse("scheduling:forecast_detail", args=[forecast.pk])).status_code == 200


def test_it_gives_only_the_csv_header_while_unfinished(history: World) -> None:
    forecast = Forecast.objects.create(organisation=history.org, channels=["phone"], horizon_days=7)
    response = history.client_for(history.planner).get(
        reverse("scheduling:forecast_csv", args=[forecast.pk])
    )
    assert response.status_code == 200
    assert response.content.decode() == "start,channel,contacts,lower,upper\n"


def test_it_shows_the_event_factor_form_on_its_own_page(forecast: Forecast, world: World) -> None:
    url = reverse("scheduling:forecast_adjust", args=[forecast.pk])
    client = world.client_for(world.planner)
    page = client.get(url)
    assert page.status_code == 200
    assert page.context["form"].initial["start"].isoformat() == "2025-06-09"  # the next Monday
    bad = client.post(
        url, {"channel": "phone", "start": "2025-06-09", "end": "2025-06-01", "factor": "2"}
    )
    assert bad.status_code == 400
    assert "end" in bad.context["form"].errors
    assert Forecast.objects.count() == 1
