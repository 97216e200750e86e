"""The OpenAPI document and the docs page (Swagger UI served locally, never from a CDN)."""

from __future__ import annotations

import json

from django.contrib.staticfiles import finders
from django.test import Client
from django.test.utils import modify_settings

from veerkracht.api.checks import swagger_assets_are_local

from .conftest import API

PATHS = {
    "/api/v1/me": {"get"},
    "/api/v1/me/data": {"get"},
    "/api/v1/sites": {"get", "post"},
    "/api/v1/sites/{site_id}": {"get", "patch"},
    "/api/v1/teams": {"get", "post"},
    "/api/v1/teams/{team_id}": {"get", "patch"},
    "/api/v1/employees": {"get", "post"},
    "/api/v1/employees/{employee_id}": {"get", "patch"},
    "/api/v1/employees/{employee_id}/deactivate": {"post"},
    "/api/v1/history": {"post"},
    "/api/v1/history/summary": {"get"},
    "/api/v1/service-targets": {"get"},
    "/api/v1/service-targets/{channel}": {"put"},
    "/api/v1/forecasts": {"get", "post"},
    "/api/v1/forecasts/{forecast_id}": {"get"},
    "/api/v1/forecasts/{forecast_id}/cancel": {"post"},
    "/api/v1/forecasts/{forecast_id}/staffing": {"get"},
    "/api/v1/scenario": {"get"},
    "/api/v1/checkins": {"get", "post"},
    "/api/v1/checkins/{checkin_id}": {"get", "patch"},
    "/api/v1/checkins/{checkin_id}/agenda": {"post"},
    "/api/v1/attention": {"get"},
    "/api/v1/pulses": {"get"},
    "/api/v1/pulses/results": {"get"},
    "/api/v1/pulses/{pulse_id}/answers": {"post"},
    "/api/v1/conversation-requests": {"get", "post"},
    "/api/v1/me/circumstances": {"get", "put", "delete"},
    "/api/v1/employees/{employee_id}/circumstances": {"get"},
    "/api/v1/me/home-checklist": {"get", "put"},
    "/api/v1/home-requests": {"get", "post"},
    "/api/v1/home-requests/{request_id}": {"get"},
    "/api/v1/home-requests/{request_id}/transition": {"post"},
    "/api/v1/me/availability": {"get", "put"},
    "/api/v1/me/availability/exceptions": {"get", "post"},
    "/api/v1/me/availability/exceptions/{exception_id}": {"delete"},
    "/api/v1/roster-periods": {"get", "post"},
    "/api/v1/roster-periods/{period_id}/submit": {"post"},
    "/api/v1/roster-periods/{period_id}/availability": {"get"},
    "/api/v1/roster-periods/{period_id}/runs": {"get", "post"},
    "/api/v1/roster-runs/{run_id}": {"get"},
    "/api/v1/roster-runs/{run_id}/cancel": {"post"},
    "/api/v1/roster-periods/{period_id}/shifts": {"get", "post"},
    "/api/v1/roster-shifts/{shift_id}": {"put", "delete"},
    "/api/v1/roster-periods/{period_id}/publish": {"post"},
    # issue 4: my shifts, calendar feed, team roster
    "/api/v1/me/shifts": {"get"},
    "/api/v1/me/shift-changes": {"get"},
    "/api/v1/me/shift-changes/seen": {"post"},
    "/api/v1/me/calendar-feed": {"get", "post", "delete"},
    "/api/v1/teams/{team_id}/shifts": {"get"},
    # issue 4: shift swaps
    "/api/v1/swaps": {"get", "post"},
    "/api/v1/swaps/{swap_id}": {"get"},
    "/api/v1/swaps/{swap_id}/take": {"post"},
    "/api/v1/swaps/{swap_id}/approve": {"post"},
    "/api/v1/swaps/{swap_id}/reject": {"post"},
    "/api/v1/swaps/{swap_id}/withdraw": {"post"},
    # issue 4: intraday
    "/api/v1/intraday": {"get"},
    "/api/v1/intraday/suggestions": {"get"},
    "/api/v1/intraday/actuals": {"post"},
    "/api/v1/intraday/moves": {"post"},
    "/api/v1/intraday/offers": {"post"},
    "/api/v1/intraday/quick-task-assignments": {"post"},
    "/api/v1/intraday/quick-tasks": {"get", "post"},
    "/api/v1/me/extra-hours": {"get"},
    "/api/v1/me/extra-hours/{offer_id}/accept": {"post"},
    "/api/v1/me/extra-hours/{offer_id}/decline": {"post"},
    "/api/v1/me/quick-tasks": {"get"},
    "/api/v1/me/quick-tasks/{assignment_id}/done": {"post"},
}


def test_it_publishes_an_openapi_document_listing_the_paths(db: None) -> None:
    response = Client().get(f"{API}/openapi.json")
    assert response.status_code == 200
    document = json.loads(response.content)
    assert document["openapi"].startswith("3.")
    assert {path: set(ops) for path, ops in document["paths"].items()} == PATHS


def test_it_documents_both_ways_to_authenticate(db: None) -> None:
    document = Client().get(f"{API}/openapi.json").json()
    schemes = document["components"]["securitySchemes"]
    assert schemes["TokenAuth"] == schemes["TokenAuth"] | {"type": "http", "scheme": "bearer"}
    assert schemes["SessionAuth"]["in"] == "cookie"
    for path in document["paths"].values():
        for operation in path.values():
            assert {"TokenAuth": []} in operation["security"]
            assert {"SessionAuth": []} in operation["security"]


def test_it_documents_the_error_shapes(db: None) -> None:
    operation = Client().get(f"{API}/openapi.json").json()["paths"]["/api/v1/employees"]["post"]
    assert {"201", "401", "403", "422"} <= set(operation["responses"])


def test_it_serves_the_docs_without_a_cdn(db: None) -> None:
    with modify_settings(INSTALLED_APPS={"append": "ninja"}):
        response = Client().get(f"{API}/docs")
        assert response.status_code == 200
        html = response.content.decode()
        assert "cdn" not in html.lower()
        assert "/static/ninja/swagger-ui-bundle.js" in html
        assert "<script>" not in html  # the CSP allows no inline script
        assert finders.find("ninja/swagger-ui-bundle.js")
        assert swagger_assets_are_local() == []
