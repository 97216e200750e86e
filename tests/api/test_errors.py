"""One error style: {"detail": ...} with 4xx, never a 500 for bad input."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tests.conftest import World
from veerkracht.people.models import Employee

from .conftest import API, token_client

NEW_EMPLOYEE: dict[str, Any] = {
    "first_name": "Dirk",
    "last_name": "Nieuw",
    "email": "dirk@example.nl",
    "employment_start": "2025-02-01",
    "contract_hours": 24,
}


def locs(response: Any) -> list[list[Any]]:
    assert response.status_code == 422, response.content
    return [error["loc"] for error in response.json()["detail"]]


@pytest.fixture
def admin(world: World) -> Client:
    return token_client(world.admin)


def post(client: Client, path: str, data: Any) -> Any:
    return client.post(f"{API}{path}", data, content_type="application/json")


def test_it_names_the_field_when_contract_hours_are_too_many(admin: Client) -> None:
    response = post(admin, "/employees", {**NEW_EMPLOYEE, "contract_hours": 99})
    assert locs(response) == [["body", "contract_hours"]]
    error = response.json()["detail"][0]
    assert error["type"] == "less_than_equal"
    assert error["msg"] == "Ensure this value is less than or equal to 60."


def test_it_names_the_position_of_an_unknown_channel(admin: Client) -> None:
    response = post(admin, "/employees", {**NEW_EMPLOYEE, "channels": ["phone", "pigeon"]})
    assert locs(response) == [["body", "channels", 1]]


def test_it_names_the_field_of_a_bad_date(admin: Client) -> None:
    response = post(admin, "/employees", {**NEW_EMPLOYEE, "employment_start": "31-02-2025"})
    assert locs(response) == [["body", "employment_start"]]
    assert response.json()["detail"][0]["msg"] == "Enter a valid date."


def test_it_names_every_missing_field(admin: Client) -> None:
    response = post(admin, "/employees", {"first_name": "Dirk"})
    assert sorted(map(tuple, locs(response))) == [
        ("body", "contract_hours"),
        ("body", "email"),
        ("body", "employment_start"),
        ("body", "last_name"),
    ]


def test_it_refuses_unknown_fields(admin: Client) -> None:
    response = post(admin, "/employees", {**NEW_EMPLOYEE, "salary": 1_000_000})
    assert locs(response) == [["body", "salary"]]


def test_it_reports_a_duplicate_email_from_the_service_as_a_field_error(
    world: World, admin: Client
) -> None:
    response = post(admin, "/employees", {**NEW_EMPLOYEE, "email": world.agent.email.upper()})
    assert locs(response) == [["body", "email"]]
    assert Employee.objects.filter(email=world.agent.email).count() == 1


def test_it_reports_an_invalid_email_from_the_model_as_a_field_error(admin: Client) -> None:
    response = post(admin, "/employees", {**NEW_EMPLOYEE, "email": "not-an-address"})
    assert locs(response) == [["body", "email"]]


def test_it_refuses_null_for_a_required_field_on_patch(world: World, admin: Client) -> None:
    response = admin.patch(
        f"{API}/employees/{world.agent.pk}", {"last_name": None}, content_type="application/json"
    )
    assert locs(response) == [["body", "last_name"]]
    assert response.json()["detail"][0]["msg"] == "This field cannot be null."


def test_it_answers_malformed_json_with_400(admin: Client) -> None:
    response = admin.post(f"{API}/sites", "{name: 'Almere'", content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"detail": "The request body is not valid JSON."}


def test_it_answers_a_json_body_that_is_not_an_object_with_422(admin: Client) -> None:
    response = admin.post(f"{API}/sites", ["Almere"], content_type="application/json")
    assert response.status_code == 422


def test_it_answers_a_non_numeric_id_with_422_naming_the_path(admin: Client) -> None:
    response = admin.get(f"{API}/employees/abc")
    assert locs(response) == [["path", "employee_id"]]


def test_it_answers_a_bad_filter_with_422_naming_the_query(admin: Client) -> None:
    response = admin.get(f"{API}/employees?channel=pigeon")
    assert locs(response) == [["query", "channel"]]


def test_it_answers_an_unknown_id_with_404(admin: Client) -> None:
    response = admin.get(f"{API}/employees/999999")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found"}


def test_it_answers_a_forbidden_write_with_403(world: World) -> None:
    response = post(token_client(world.planner), "/employees", NEW_EMPLOYEE)
    assert response.status_code == 403
    assert response.json() == {"detail": "You do not have permission to do this."}


def test_it_translates_messages_to_dutch(world: World) -> None:
    client = token_client(world.admin, **{"Accept-Language": "nl"})
    response = post(
        client, "/employees", {**NEW_EMPLOYEE, "contract_hours": 99, "employment_start": None}
    )
    messages = {tuple(e["loc"]): e["msg"] for e in response.json()["detail"]}
    assert (
        messages[("body", "contract_hours")]
        == "Zorg dat deze waarde kleiner is dan of gelijk is aan 60."
    )
    assert messages[("body", "employment_start")] == "Vul een geldige datum in."
    assert post(client, "/employees", {**NEW_EMPLOYEE, "email": world.agent.email}).json()[
        "detail"
    ][0]["msg"]


def test_it_refuses_ids_too_large_for_the_database(admin: Client) -> None:
    huge = 2**64
    assert locs(admin.get(f"{API}/employees/{huge}")) == [["path", "employee_id"]]
    assert locs(admin.get(f"{API}/employees?team={huge}")) == [["query", "team"]]
    response = post(admin, "/teams", {"name": "Team Groot", "site": huge, "leads": [huge]})
    assert locs(response) == [["body", "site"], ["body", "leads", 0]]


def test_it_answers_a_huge_page_number_with_an_empty_page(admin: Client) -> None:
    response = admin.get(f"{API}/employees?page={2**64}")
    assert response.status_code == 200
    assert response.json()["results"] == []


def test_it_refuses_null_characters(admin: Client) -> None:
    assert locs(post(admin, "/sites", {"name": "Al\u0000mere"})) == [["body", "name"]]
    assert locs(admin.get(f"{API}/employees?q=a%00b")) == [["query", "q"]]
