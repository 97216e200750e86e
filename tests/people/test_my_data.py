"""My data: the page, the JSON export and collect_my_data (also behind GET /api/v1/me/data)."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import World
from veerkracht.people import audit, governance, mydata, services
from veerkracht.people.models import ApiToken, AuditAction, AuditEvent, Employee, Module

URL = reverse("people:my_data")
EXPORT_URL = reverse("people:my_data_export")


@pytest.fixture(autouse=True)
def english(world: World) -> None:
    """Assert on the English source strings, whatever the Dutch catalogue says."""
    Employee.objects.update(language="en")


def test_it_shows_my_profile_with_who_may_see_each_field(world: World) -> None:
    response = world.client_for(world.agent).get(URL)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Alice" in html and "alice@example.nl" in html
    assert "Keizersgracht 1" in html and "1015 AA" in html
    assert "Team Zeilen" in html and "Utrecht" in html
    assert "Lisa Visser" in html  # the team lead
    # The address row names exactly who may see it (access.can_see_address), planners not among them.
    start = html.index("Street and number")
    address_row = html[start : html.index("</tr>", start)]
    assert "Your team lead(s)" in address_row and "Administrators" in address_row
    assert "Planners" not in address_row
    assert reverse("people:my_data_export") in html


def test_it_shows_only_my_own_data(world: World) -> None:
    services.update_employee(
        employee=world.colleague, by=world.admin.user, address_line="Prinsengracht 99"
    )

    html = world.client_for(world.agent).get(URL).content.decode()

    assert "Prinsengracht 99" not in html
    assert "bob@example.nl" not in html


def test_it_requires_login(client: Client, world: World) -> None:
    response = client.get(URL)

    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_it_refuses_a_login_without_employee(client: Client, world: World) -> None:
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_user(username="loose@example.nl", password="x-very-long-pass")
    client.login(username="loose@example.nl", password="x-very-long-pass")

    assert client.get(URL).status_code == 403
    assert client.get(EXPORT_URL).status_code == 403


def test_it_collects_everything_held_about_a_person(world: World) -> None:
    lead = Employee.objects.get(pk=world.lead.pk)
    world.site_a.managers.add(lead)
    token, _key = services.issue_api_token(user=lead.user, name="Calendar")
    governance.record_approval(
        organisation=world.org,
        module=Module.PER_AGENT_KPIS,
        body="Ondernemingsraad",
        approved_on=datetime.date(2025, 1, 10),
        reference="OR-2025-01",
        by=lead.user,
    )
    audit.record(
        actor=world.admin.user, action=AuditAction.READ, obj=lead, summary="address viewed"
    )
    audit.record(
        actor=lead.user, action=AuditAction.READ, obj=world.agent, summary="address viewed"
    )

    data = mydata.collect_my_data(lead)
    sections = data["sections"]

    assert data["format"] == "veerkracht.my-data.v1"
    assert data["employee_id"] == lead.pk
    profile = sections["profile"]
    assert profile["first_name"] == "Lisa" and profile["email"] == "lisa@example.nl"
    assert profile["address_line"] == "Keizersgracht 1" and profile["postcode"] == "1015 AA"
    assert profile["birthday"] == "1990-06-15"
    assert profile["employment_start"] == "2021-03-01"
    assert profile["contract_hours"] == "32.0"
    assert profile["channels"] == ["phone"]
    assert sections["account"]["username"] == "lisa@example.nl"
    assert (
        sections["placement"]["team"] == "Team Zeilen"
        and sections["placement"]["site"] == "Utrecht"
    )
    assert [r["role"] for r in sections["roles"]] == ["team_lead"]
    assert [t["team"] for t in sections["led_teams"]] == ["Team Zeilen"]
    assert [s["site"] for s in sections["managed_sites"]] == ["Utrecht"]
    assert any(
        e["by"] == "anna@example.nl" and e["action"] == "read" for e in sections["audit_about_me"]
    )
    assert any(e["about_employee_id"] == world.agent.pk for e in sections["audit_by_me"])
    assert sections["api_tokens"] == [
        {
            "name": "Calendar",
            "prefix": token.prefix,
            "created_at": sections["api_tokens"][0]["created_at"],
            "last_used_at": None,
            "revoked_at": None,
        }
    ]
    assert sections["module_approvals_recorded"][0]["module"] == "per_agent_kpis"
    assert sections["module_approvals_recorded"][0]["approved_on"] == "2025-01-10"


def test_it_is_json_with_iso_8601_times(world: World) -> None:
    services.issue_api_token(user=world.agent.user, name="Sync")

    data = mydata.collect_my_data(world.agent)

    json.dumps(data)  # raises on anything that is not plain JSON
    created = datetime.datetime.fromisoformat(data["sections"]["api_tokens"][0]["created_at"])
    assert created.tzinfo is not None
    assert datetime.datetime.fromisoformat(data["generated_at"]).tzinfo is not None


def test_it_never_exports_secrets(world: World) -> None:
    token, key = services.issue_api_token(user=world.agent.user, name="Sync")

    text = json.dumps(mydata.collect_my_data(world.agent))

    assert token.key_hash not in text
    assert key not in text
    assert world.agent.user.password not in text


def test_it_leaves_out_what_i_changed_in_someone_elses_record(world: World) -> None:
    services.update_employee(
        employee=world.colleague, by=world.admin.user, address_line="Prinsengracht 99"
    )

    admins = json.dumps(mydata.collect_my_data(world.admin))
    colleagues = json.dumps(mydata.collect_my_data(world.colleague))

    assert "Prinsengracht 99" not in admins  # Bob's new address is Bob's data
    assert "Prinsengracht 99" in colleagues  # ... and Bob sees the change in his own export
    by_admin = mydata.collect_my_data(world.admin)["sections"]["audit_by_me"]
    assert any(
        e["about_employee_id"] == world.colleague.pk and e["action"] == "update" for e in by_admin
    )


def test_it_exports_a_json_download_and_audits_it(world: World) -> None:
    response = world.client_for(world.agent).get(EXPORT_URL)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith('attachment; filename="veerkracht-my-data-')
    assert response["Content-Disposition"].endswith('.json"')
    assert response["Cache-Control"] == "no-store"
    data = json.loads(response.content)
    assert data["employee_id"] == world.agent.pk
    assert data["sections"]["profile"]["last_name"] == "Jansen"
    event = AuditEvent.objects.get(action=AuditAction.EXPORT)
    assert event.subject == world.agent and event.actor == world.agent.user


def test_it_lets_apps_add_a_section(world: World) -> None:
    def _favourites(employee: object) -> list[dict[str, object]]:
        return [{"colour": "green", "since": datetime.date(2024, 5, 1), "score": Decimal("7.5")}]

    mydata.register("favourites", "Favourite things", _favourites, visible_to="Only you")
    try:
        data = mydata.collect_my_data(world.agent)
        html = world.client_for(world.agent).get(URL).content.decode()
        with pytest.raises(ValueError):
            mydata.register("favourites", "Again", _favourites)
    finally:
        mydata.unregister("favourites")

    assert data["sections"]["favourites"] == [
        {"colour": "green", "since": "2024-05-01", "score": "7.5"}
    ]
    assert "Favourite things" in html and "green" in html and "Only you" in html
    assert "favourites" not in mydata.collect_my_data(world.agent)["sections"]


def test_it_shows_long_histories_in_part_and_exports_them_whole(world: World) -> None:
    for i in range(mydata.PAGE_ROWS + 5):
        audit.record(
            actor=world.admin.user, action=AuditAction.READ, obj=world.agent, summary=f"read {i}"
        )

    html = world.client_for(world.agent).get(URL).content.decode()
    data = json.loads(world.client_for(world.agent).get(EXPORT_URL).content)

    assert "And 5 more entries in the download." in html
    reads = [e for e in data["sections"]["audit_about_me"] if e["action"] == "read"]
    assert len(reads) == mydata.PAGE_ROWS + 5


def test_it_keeps_the_page_free_of_tokens_of_others(world: World) -> None:
    services.issue_api_token(user=world.colleague.user, name="Bobs integration")

    html = world.client_for(world.agent).get(URL).content.decode()

    assert "Bobs integration" not in html
    assert ApiToken.objects.count() == 1
