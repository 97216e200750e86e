"""GET/POST /employees, GET/PATCH /employees/{id}, POST /employees/{id}/deactivate.

Scoped by access.employees_for; address and birthday only where access allows; writes for admins.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from tests.conftest import World
from veerkracht.people.models import ApiToken, AuditEvent, Employee

from .conftest import API, ids, token_for

EVERYONE = {"agent", "colleague", "agent_b", "lead", "lead_b", "site_manager", "planner", "admin"}
EMPLOYEES_SEEN = {
    "agent": {"agent"},
    "lead": {"lead", "agent", "colleague"},
    "lead_b": {"lead_b", "agent_b"},
    "site_manager": {"site_manager", "agent", "colleague", "lead"},
    "planner": EVERYONE,
    "admin": EVERYONE,
    "outsider": set(),
}
# Whose home address the caller gets (among those they see); planners never, except their own.
ADDRESSES_SEEN = {
    "agent": {"agent"},
    "lead": {"lead", "agent", "colleague"},
    "lead_b": {"lead_b", "agent_b"},
    "site_manager": {"site_manager"},
    "planner": {"planner"},
    "admin": EVERYONE,
}


def pks(world: World, names: set[str]) -> set[int]:
    return {getattr(world, name).pk for name in names}


@pytest.mark.parametrize(("persona", "expected"), EMPLOYEES_SEEN.items())
def test_it_lists_only_the_employees_in_scope(
    world: World, as_: Callable[[str], Client], persona: str, expected: set[str]
) -> None:
    seen = ids(as_(persona).get(f"{API}/employees?page_size=200"))
    ours = pks(world, EVERYONE)
    assert seen & ours == pks(world, expected)
    if persona == "outsider":
        assert seen == {world.outsider.pk}


@pytest.mark.parametrize(("persona", "expected"), EMPLOYEES_SEEN.items())
def test_it_answers_404_for_an_employee_out_of_scope(
    world: World, as_: Callable[[str], Client], persona: str, expected: set[str]
) -> None:
    client = as_(persona)
    for name in sorted(EVERYONE):
        response = client.get(f"{API}/employees/{getattr(world, name).pk}")
        assert response.status_code == (200 if name in expected else 404), name


@pytest.mark.parametrize(("persona", "expected"), ADDRESSES_SEEN.items())
def test_it_shows_addresses_only_where_access_allows(
    world: World, as_: Callable[[str], Client], persona: str, expected: set[str]
) -> None:
    results = as_(persona).get(f"{API}/employees?page_size=200").json()["results"]
    with_address = {e["id"] for e in results if e["address"] is not None}
    assert with_address == pks(world, expected)
    for employee in results:
        assert "address_line" not in employee and "postcode" not in employee


def test_it_never_gives_a_planner_someone_elses_address_on_the_detail(
    world: World, as_: Callable[[str], Client]
) -> None:
    body = as_("planner").get(f"{API}/employees/{world.agent.pk}").json()
    assert body["address"] is None
    assert "Keizersgracht" not in str(body)


def test_it_shows_birthdays_only_to_the_person_admins_or_when_celebrated(
    world: World, as_: Callable[[str], Client]
) -> None:
    lead = as_("lead")
    assert lead.get(f"{API}/employees/{world.agent.pk}").json()["birthday"] is None
    assert lead.get(f"{API}/employees/{world.lead.pk}").json()["birthday"] == "1990-06-15"
    assert as_("admin").get(f"{API}/employees/{world.agent.pk}").json()["birthday"] == "1990-06-15"
    Employee.objects.filter(pk=world.agent.pk).update(celebrate_birthday=True)
    assert lead.get(f"{API}/employees/{world.agent.pk}").json()["birthday"] == "1990-06-15"


def test_it_shows_an_employee_in_iso_formats(world: World, as_: Callable[[str], Client]) -> None:
    body = as_("agent").get(f"{API}/employees/{world.agent.pk}").json()
    assert body["employment_start"] == "2021-03-01"
    assert body["contract_hours"] == 32
    assert body["channels"] == ["phone", "chat"]
    assert body["roles"] == ["agent"]
    assert datetime.fromisoformat(body["updated_at"]).tzinfo is not None


def test_it_filters_employees(world: World, as_: Callable[[str], Client]) -> None:
    client = as_("planner")
    assert ids(client.get(f"{API}/employees?team={world.team_b.pk}")) == pks(
        world, {"agent_b", "lead_b"}
    )
    assert ids(client.get(f"{API}/employees?site={world.site_a.pk}")) == pks(
        world, {"agent", "colleague", "lead"}
    )
    assert ids(client.get(f"{API}/employees?channel=chat")) == pks(world, {"agent"})
    assert ids(client.get(f"{API}/employees?channel=email")) == pks(world, {"agent_b"})
    assert ids(client.get(f"{API}/employees?q=jans")) == pks(world, {"agent"})
    assert ids(client.get(f"{API}/employees?q=de%20boer")) == pks(world, {"admin"})


def test_it_filters_within_scope_only(world: World, as_: Callable[[str], Client]) -> None:
    assert ids(as_("agent").get(f"{API}/employees?team={world.team_a.pk}")) == {world.agent.pk}
    assert ids(as_("outsider").get(f"{API}/employees?team={world.team_a.pk}")) == set()


def test_it_lists_leavers_with_active_false(world: World, as_: Callable[[str], Client]) -> None:
    Employee.objects.filter(pk=world.colleague.pk).update(is_active=False)
    client = as_("lead")
    assert ids(client.get(f"{API}/employees")) == pks(world, {"lead", "agent"})
    assert ids(client.get(f"{API}/employees?active=false")) == {world.colleague.pk}


NEW = {
    "first_name": "Dirk",
    "last_name": "Nieuw",
    "email": "Dirk@Example.nl",
    "employment_start": "2025-02-01",
    "contract_hours": 24.5,
    "channels": ["chat", "email"],
    "roles": ["agent"],
    "address_line": "Dorpsstraat 2",
    "postcode": "3511 AA",
    "city": "Utrecht",
}


def test_it_lets_an_admin_create_an_employee(world: World, as_: Callable[[str], Client]) -> None:
    response = as_("admin").post(
        f"{API}/employees", {**NEW, "team": world.team_a.pk}, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    employee = Employee.objects.get(pk=body["id"])
    assert employee.email == "dirk@example.nl"
    assert employee.user is not None and employee.user.username == "dirk@example.nl"
    assert employee.contract_hours == Decimal("24.5")
    assert employee.team == world.team_a
    assert body["address"]["city"] == "Utrecht"
    assert AuditEvent.objects.filter(subject=employee, action="create").exists()


def test_it_refuses_a_team_outside_the_admins_organisation(
    world: World, as_: Callable[[str], Client]
) -> None:
    other_team = world.outsider.organisation.sites.get().teams.get()
    response = as_("admin").post(
        f"{API}/employees", {**NEW, "team": other_team.pk}, content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "team"]
    assert not Employee.objects.filter(email="dirk@example.nl").exists()


@pytest.mark.parametrize("persona", ["agent", "lead", "site_manager", "planner"])
def test_it_refuses_employee_writes_to_non_admins(
    world: World, as_: Callable[[str], Client], persona: str
) -> None:
    client = as_(persona)
    target = world.agent.pk
    responses = [
        client.post(f"{API}/employees", NEW, content_type="application/json"),
        client.patch(
            f"{API}/employees/{target}", {"contract_hours": 40}, content_type="application/json"
        ),
        client.post(f"{API}/employees/{target}/deactivate", content_type="application/json"),
    ]
    assert [r.status_code for r in responses] == [403, 403, 403]
    world.agent.refresh_from_db()
    assert (world.agent.contract_hours, world.agent.is_active) == (Decimal(32), True)
    assert not Employee.objects.filter(email="dirk@example.nl").exists()


def test_it_lets_an_admin_change_only_the_fields_sent(
    world: World, as_: Callable[[str], Client]
) -> None:
    response = as_("admin").patch(
        f"{API}/employees/{world.agent.pk}",
        {
            "contract_hours": 36,
            "channels": ["email"],
            "roles": ["agent", "team_lead"],
            "team": None,
        },
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    world.agent.refresh_from_db()
    assert world.agent.contract_hours == Decimal(36)
    assert world.agent.channels == ["email"]
    assert world.agent.team is None
    assert world.agent.first_name == "Alice"
    assert world.agent.address_line == "Keizersgracht 1"
    assert set(world.agent.roles.values_list("role", flat=True)) == {"agent", "team_lead"}
    event = AuditEvent.objects.filter(subject=world.agent, action="update").latest("pk")
    assert "contract_hours" in event.changes and "roles" in event.changes


def test_it_refuses_a_duplicate_email_on_patch(world: World, as_: Callable[[str], Client]) -> None:
    response = as_("admin").patch(
        f"{API}/employees/{world.agent.pk}",
        {"email": world.colleague.email},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "email"]
    world.agent.refresh_from_db()
    assert world.agent.email == "alice@example.nl"


def test_it_hides_another_organisations_employee_from_an_admin(
    world: World, as_: Callable[[str], Client]
) -> None:
    client = as_("outsider")
    patched = client.patch(
        f"{API}/employees/{world.agent.pk}", {"last_name": "X"}, content_type="application/json"
    )
    deactivated = client.post(
        f"{API}/employees/{world.agent.pk}/deactivate", content_type="application/json"
    )
    assert (patched.status_code, deactivated.status_code) == (404, 404)
    world.agent.refresh_from_db()
    assert (world.agent.last_name, world.agent.is_active) == ("Jansen", True)


def test_it_lets_an_admin_deactivate_an_employee_and_revokes_their_tokens(
    world: World, as_: Callable[[str], Client]
) -> None:
    key = token_for(world.agent)
    response = as_("admin").post(
        f"{API}/employees/{world.agent.pk}/deactivate",
        {"end_date": "2025-06-30"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["is_active"] is False
    assert response.json()["employment_end"] == "2025-06-30"
    world.agent.refresh_from_db()
    assert (world.agent.is_active, world.agent.employment_end) == (False, date(2025, 6, 30))
    assert not ApiToken.objects.filter(user=world.agent.user, revoked_at__isnull=True).exists()
    assert Client(headers={"Authorization": f"Bearer {key}"}).get(f"{API}/me").status_code == 401


def test_it_deactivates_today_without_a_body(world: World, as_: Callable[[str], Client]) -> None:
    client = as_("admin")
    response = client.generic(
        "POST", f"{API}/employees/{world.colleague.pk}/deactivate"
    )  # empty body
    assert response.status_code == 200, response.content
    assert response.json()["employment_end"] == timezone.localdate().isoformat()
    response = client.post(
        f"{API}/employees/{world.lead.pk}/deactivate", {}, content_type="application/json"
    )
    assert response.status_code == 200, response.content


def test_it_names_end_date_when_it_lies_before_the_start(
    world: World, as_: Callable[[str], Client]
) -> None:
    response = as_("admin").post(
        f"{API}/employees/{world.agent.pk}/deactivate",
        {"end_date": "2020-01-01"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "end_date"]
    world.agent.refresh_from_db()
    assert world.agent.is_active
