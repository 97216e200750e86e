"""The employee list and detail pages (scoped per role) and the admin's employee management."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.conftest import make_employee
from veerkracht.people.models import AuditAction, AuditEvent, Employee, Role

LIST = reverse("people:employee_list")


@pytest.fixture(autouse=True)
def english(world):
    Employee.objects.update(language="en")


def listed(response) -> set[str]:
    assert response.status_code == 200
    return {e.email for e in response.context["page"]}


def detail(pk: int) -> str:
    return reverse("people:employee_detail", args=[pk])


# --- List ------------------------------------------------------------------------------------


def test_it_lists_everyone_in_the_organisation_for_an_admin(world):
    emails = listed(world.client_for(world.admin).get(LIST))
    assert emails == {
        e.email
        for e in (world.agent, world.colleague, world.agent_b, world.lead, world.lead_b)
        + (world.site_manager, world.planner, world.admin)
    }


def test_it_lists_only_a_leads_own_team(world):
    emails = listed(world.client_for(world.lead).get(LIST))
    assert emails == {"alice@example.nl", "bob@example.nl", "lisa@example.nl"}


def test_it_lists_a_site_managers_site(world):
    emails = listed(world.client_for(world.site_manager).get(LIST))
    assert emails == {"alice@example.nl", "bob@example.nl", "lisa@example.nl", "sam@example.nl"}


def test_it_lists_all_active_employees_for_a_planner(world):
    assert "carol@example.nl" in listed(world.client_for(world.planner).get(LIST))


def test_it_forbids_the_list_to_an_agent(world):
    assert world.client_for(world.agent).get(LIST).status_code == 403


def test_it_never_shows_our_employees_to_another_organisation(world):
    response = world.client_for(world.outsider).get(LIST)
    assert listed(response) == {"otto@example.nl"}
    assert b"Alice" not in response.content


def test_it_shows_the_columns_on_a_phone_friendly_table(world):
    body = world.client_for(world.admin).get(LIST).content.decode()
    assert '<table class="responsive">' in body
    assert 'data-label="Contract hours"' in body and 'data-label="Channels"' in body
    assert "Team Zeilen" in body and "Utrecht" in body and ">Chat<" in body and "Team lead" in body


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("q=jansen", {"alice@example.nl"}),
        ("q=alice+jansen", {"alice@example.nl"}),
        ("q=CAROL%40", {"carol@example.nl"}),
        ("channel=email", {"carol@example.nl"}),
        ("channel=chat", {"alice@example.nl"}),
        ("status=inactive", set()),
    ],
)
def test_it_filters_the_list(world, query, expected):
    assert listed(world.client_for(world.admin).get(f"{LIST}?{query}")) == expected


def test_it_filters_by_team_and_site(world):
    client = world.client_for(world.admin)
    assert listed(client.get(f"{LIST}?team={world.team_b.pk}")) == {
        "carol@example.nl",
        "lars@example.nl",
    }
    assert listed(client.get(f"{LIST}?site={world.site_b.pk}")) == {
        "carol@example.nl",
        "lars@example.nl",
    }


def test_it_shows_inactive_employees_only_to_admins(world):
    world.colleague.is_active = False
    world.colleague.save()
    assert listed(world.client_for(world.admin).get(f"{LIST}?status=inactive")) == {
        "bob@example.nl"
    }
    assert "bob@example.nl" in listed(world.client_for(world.admin).get(f"{LIST}?status=all"))
    # A lead's status filter does not exist: inactive people stay out of the list.
    assert "bob@example.nl" not in listed(
        world.client_for(world.lead).get(f"{LIST}?status=inactive")
    )


def test_it_ignores_a_team_filter_outside_the_users_scope(world):
    response = world.client_for(world.lead).get(f"{LIST}?team={world.team_b.pk}")
    assert "carol@example.nl" not in listed(response)
    assert response.context["filters"].errors["team"]


def test_it_paginates_by_25(world):
    for i in range(30):
        make_employee(
            world.org, f"extra{i:02}@example.nl", first="Extra", last=f"Z{i:02}", team=world.team_a
        )
    client = world.client_for(world.admin)
    first = client.get(LIST)
    assert len(first.context["page"]) == 25
    second = client.get(f"{LIST}?page=2&q=extra")
    assert second.context["page"].number == 2
    assert len(second.context["page"]) == 5
    assert b"page=1&amp;q=extra" in second.content or b"q=extra&amp;page=1" in second.content


def test_it_needs_the_same_number_of_queries_for_more_employees(world):
    client = world.client_for(world.admin)
    client.get(LIST)  # warm up (session, content types)
    with CaptureQueriesContext(connection) as few:
        client.get(LIST)
    for i in range(20):
        make_employee(
            world.org,
            f"more{i}@example.nl",
            first="More",
            last=str(i),
            team=world.team_b,
            roles=(Role.AGENT, Role.PLANNER),
        )
    with CaptureQueriesContext(connection) as many:
        client.get(LIST)
    assert len(many) == len(few)
    assert len(few) <= 12


# --- Detail ----------------------------------------------------------------------------------


def test_it_shows_a_team_member_with_address_to_their_lead_and_audits_the_read(world):
    response = world.client_for(world.lead).get(detail(world.agent.pk))
    assert response.status_code == 200
    assert b"Keizersgracht 1" in response.content
    event = AuditEvent.objects.get(action=AuditAction.READ, subject=world.agent)
    assert event.actor == world.lead.user


@pytest.mark.parametrize("persona", ["planner", "site_manager"])
def test_it_hides_the_address_from_planners_and_site_managers(world, persona):
    response = world.client_for(getattr(world, persona)).get(detail(world.agent.pk))
    assert response.status_code == 200
    assert b"Keizersgracht" not in response.content
    assert not AuditEvent.objects.filter(action=AuditAction.READ).exists()


def test_it_shows_the_birthday_only_to_admins_or_when_the_person_opted_in(world):
    planner = world.client_for(world.planner)
    assert b"1990" not in planner.get(detail(world.agent.pk)).content
    assert b"15 June" not in planner.get(detail(world.agent.pk)).content
    world.agent.celebrate_birthday = True
    world.agent.save()
    opted_in = planner.get(detail(world.agent.pk)).content
    assert b"15 June" in opted_in and b"1990" not in opted_in  # day and month only
    assert b"15 June 1990" in world.client_for(world.admin).get(detail(world.agent.pk)).content


def test_it_does_not_audit_people_reading_their_own_address(world):
    response = world.client_for(world.agent).get(detail(world.agent.pk))
    assert response.status_code == 200 and b"Keizersgracht" in response.content
    assert not AuditEvent.objects.filter(action=AuditAction.READ).exists()


def test_it_returns_404_for_employees_outside_the_users_scope(world):
    assert world.client_for(world.lead).get(detail(world.agent_b.pk)).status_code == 404
    assert world.client_for(world.agent).get(detail(world.colleague.pk)).status_code == 404
    assert world.client_for(world.outsider).get(detail(world.agent.pk)).status_code == 404
    assert world.client_for(world.admin).get(detail(world.outsider.pk)).status_code == 404


def test_it_shows_management_buttons_to_admins_only(world):
    admin_page = world.client_for(world.admin).get(detail(world.agent.pk)).content.decode()
    assert reverse("people:employee_edit", args=[world.agent.pk]) in admin_page
    assert reverse("people:employee_deactivate", args=[world.agent.pk]) in admin_page
    assert reverse("people:employee_erase", args=[world.agent.pk]) in admin_page
    lead_page = world.client_for(world.lead).get(detail(world.agent.pk)).content.decode()
    assert reverse("people:employee_edit", args=[world.agent.pk]) not in lead_page


# --- Create and edit -------------------------------------------------------------------------


def employee_data(**overrides):
    data = {
        "first_name": "Noor",
        "last_name": "Hendriks",
        "email": "Noor.Hendriks@example.nl",
        "team": "",
        "roles": ["agent"],
        "employment_start": "2025-09-01",
        "contract_hours": "24.5",
        "channels": ["phone", "chat"],
        "language": "nl",
        "birthday": "",
        "address_line": "",
        "postcode": "",
        "city": "",
    }
    data.update(overrides)
    return data


def test_it_creates_an_employee_with_a_login_roles_and_an_audit_event(world):
    response = world.client_for(world.admin).post(
        reverse("people:employee_create"),
        employee_data(team=world.team_a.pk, roles=["agent", "planner"]),
    )
    assert response.status_code == 302
    noor = Employee.objects.get(email="noor.hendriks@example.nl")
    assert response.url == detail(noor.pk)
    assert noor.organisation == world.org and noor.team == world.team_a
    assert noor.contract_hours == Decimal("24.5") and noor.channels == ["phone", "chat"]
    assert noor.role_set == {"agent", "planner"}
    assert (
        noor.user.username == "noor.hendriks@example.nl" and noor.user.has_usable_password()
    )  # random; set through "forgot password"
    assert AuditEvent.objects.filter(
        action=AuditAction.CREATE, subject=noor, actor=world.admin.user
    ).exists()


def test_it_accepts_a_decimal_comma_for_dutch_users(world):
    Employee.objects.filter(pk=world.admin.pk).update(language="nl")
    response = world.client_for(world.admin).post(
        reverse("people:employee_create"), employee_data(contract_hours="24,5")
    )
    assert response.status_code == 302
    assert Employee.objects.get(email="noor.hendriks@example.nl").contract_hours == Decimal("24.5")


def test_it_shows_validation_errors_next_to_the_fields(world):
    response = world.client_for(world.admin).post(
        reverse("people:employee_create"),
        employee_data(
            first_name="", email="ALICE@example.nl", contract_hours="61", channels=["fax"], roles=[]
        ),
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert set(errors) == {"first_name", "email", "contract_hours", "channels", "roles"}
    body = response.content.decode()
    assert "An employee with this e-mail address already exists." in body
    assert "Ensure this value is less than or equal to 60." in body
    assert 'aria-invalid="true"' in body
    assert not Employee.objects.filter(last_name="Hendriks").exists()


def test_it_only_offers_teams_of_the_own_organisation(world):
    other_team = world.outsider.organisation.sites.get().teams.get()
    response = world.client_for(world.admin).post(
        reverse("people:employee_create"), employee_data(team=other_team.pk)
    )
    assert response.status_code == 400
    assert "team" in response.context["form"].errors
    assert b"Team Elders" not in response.content


@pytest.mark.parametrize("persona", ["lead", "site_manager", "planner", "agent"])
def test_it_lets_only_admins_create_and_edit(world, persona):
    client = world.client_for(getattr(world, persona))
    assert client.get(reverse("people:employee_create")).status_code == 403
    assert client.post(reverse("people:employee_create"), employee_data()).status_code == 403
    assert client.get(reverse("people:employee_edit", args=[world.agent.pk])).status_code == 403
    assert not Employee.objects.filter(last_name="Hendriks").exists()


def test_it_edits_an_employee_and_audits_what_changed(world):
    url = reverse("people:employee_edit", args=[world.agent.pk])
    client = world.client_for(world.admin)
    form = client.get(url)
    assert form.status_code == 200 and b'value="alice@example.nl"' in form.content
    data = employee_data(
        first_name="Alice",
        last_name="Jansen-Smit",
        email="alice@example.nl",
        team=world.team_b.pk,
        roles=["agent", "team_lead"],
        employment_start="2021-03-01",
        contract_hours="36",
        channels=["chat"],
        address_line="Keizersgracht 1",
        postcode="1015 AA",
        city="Amsterdam",
        birthday="1990-06-15",
    )
    response = client.post(url, data)
    assert response.status_code == 302
    world.agent.refresh_from_db()
    assert world.agent.last_name == "Jansen-Smit" and world.agent.team == world.team_b
    assert world.agent.role_set == {"agent", "team_lead"}
    assert world.agent.user.last_name == "Jansen-Smit"
    event = AuditEvent.objects.get(action=AuditAction.UPDATE, subject=world.agent)
    assert event.changes["last_name"] == ["Jansen", "Jansen-Smit"]
    assert event.changes["contract_hours"] == ["32.0", "36"]
    assert event.changes["roles"] == [["agent"], ["agent", "team_lead"]]
    assert "address_line" not in event.changes


def test_it_keeps_admins_from_removing_their_own_admin_role(world):
    url = reverse("people:employee_edit", args=[world.admin.pk])
    data = employee_data(
        first_name="Anna", last_name="de Boer", email="anna@example.nl", roles=["agent"]
    )
    response = world.client_for(world.admin).post(url, data)
    assert response.status_code == 400
    assert "roles" in response.context["form"].errors
    assert Employee.objects.get(pk=world.admin.pk).has_role(Role.ADMIN)


def test_it_hides_our_employees_from_another_organisations_admin_forms(world):
    client = world.client_for(world.outsider)
    url = reverse("people:employee_edit", args=[world.agent.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, employee_data(email="alice@example.nl")).status_code == 404
    world.agent.refresh_from_db()
    assert world.agent.first_name == "Alice"


# --- Deactivate and reactivate ---------------------------------------------------------------


def test_it_deactivates_a_leaver_with_an_end_date(world):
    url = reverse("people:employee_deactivate", args=[world.lead.pk])
    response = world.client_for(world.admin).post(url, {"end_date": "2025-10-31"})
    assert response.status_code == 302
    world.lead.refresh_from_db()
    assert not world.lead.is_active and world.lead.employment_end == date(2025, 10, 31)
    assert not world.lead.user.is_active
    assert not world.team_a.leads.exists()  # no longer leads the team
    assert Employee.objects.filter(pk=world.lead.pk).exists()  # not deleted


def test_it_rejects_an_end_date_before_the_start(world):
    url = reverse("people:employee_deactivate", args=[world.agent.pk])
    response = world.client_for(world.admin).post(url, {"end_date": "2020-01-01"})
    assert response.status_code == 400
    assert "The end date lies before the start date." in response.content.decode()
    world.agent.refresh_from_db()
    assert world.agent.is_active


def test_it_only_deactivates_by_post_and_never_oneself(world):
    client = world.client_for(world.admin)
    assert (
        client.get(reverse("people:employee_deactivate", args=[world.agent.pk])).status_code == 405
    )
    client.post(
        reverse("people:employee_deactivate", args=[world.admin.pk]), {"end_date": "2025-10-31"}
    )
    assert Employee.objects.get(pk=world.admin.pk).is_active


def test_it_reactivates_an_employee(world):
    client = world.client_for(world.admin)
    client.post(
        reverse("people:employee_deactivate", args=[world.agent.pk]), {"end_date": "2025-10-31"}
    )
    response = client.post(reverse("people:employee_reactivate", args=[world.agent.pk]))
    assert response.status_code == 302
    world.agent.refresh_from_db()
    assert (
        world.agent.is_active and world.agent.employment_end is None and world.agent.user.is_active
    )


def test_it_guards_deactivation_by_role_and_organisation(world):
    url = reverse("people:employee_deactivate", args=[world.agent.pk])
    assert world.client_for(world.lead).post(url, {"end_date": "2025-10-31"}).status_code == 403
    assert world.client_for(world.outsider).post(url, {"end_date": "2025-10-31"}).status_code == 404
    assert Employee.objects.get(pk=world.agent.pk).is_active


# --- Erase -----------------------------------------------------------------------------------


def test_it_explains_erasure_before_doing_it(world):
    response = world.client_for(world.admin).get(
        reverse("people:employee_erase", args=[world.agent.pk])
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Removed" in body and "Kept" in body and "alice@example.nl" in body


def test_it_erases_after_typing_the_email_keeping_the_row(world):
    user_pk = world.agent.user_id
    response = world.client_for(world.admin).post(
        reverse("people:employee_erase", args=[world.agent.pk]),
        {"confirmation": " Alice@Example.nl "},
    )
    assert response.status_code == 302
    erased = Employee.objects.get(pk=world.agent.pk)
    assert erased.erased_at is not None and not erased.is_active
    assert erased.first_name != "Alice" and "alice" not in erased.email
    assert erased.birthday is None and erased.address_line == erased.postcode == erased.city == ""
    assert erased.team == world.team_a and erased.contract_hours == Decimal(32)  # aggregates stay
    assert not get_user_model().objects.filter(pk=user_pk).exists()
    assert AuditEvent.objects.filter(action=AuditAction.ERASE, subject=erased).exists()


def test_it_also_accepts_the_full_name_as_confirmation(world):
    response = world.client_for(world.admin).post(
        reverse("people:employee_erase", args=[world.colleague.pk]),
        {"confirmation": "bob de vries"},
    )
    assert response.status_code == 302
    assert Employee.objects.get(pk=world.colleague.pk).erased_at is not None


def test_it_erases_nothing_when_the_confirmation_does_not_match(world):
    response = world.client_for(world.admin).post(
        reverse("people:employee_erase", args=[world.agent.pk]), {"confirmation": "bob@example.nl"}
    )
    assert response.status_code == 400
    assert "does not match" in response.content.decode()
    assert Employee.objects.get(pk=world.agent.pk).erased_at is None


def test_it_guards_erasure_by_role_and_organisation(world):
    url = reverse("people:employee_erase", args=[world.agent.pk])
    assert (
        world.client_for(world.lead).post(url, {"confirmation": "alice@example.nl"}).status_code
        == 403
    )
    assert (
        world.client_for(world.outsider).post(url, {"confirmation": "alice@example.nl"}).status_code
        == 404
    )
    world.client_for(world.admin).post(
        reverse("people:employee_erase", args=[world.admin.pk]), {"confirmation": "anna@example.nl"}
    )
    assert Employee.objects.filter(erased_at__isnull=False).count() == 0


def test_it_shows_erased_employees_to_admins_without_edit_buttons(world):
    client = world.client_for(world.admin)
    client.post(
        reverse("people:employee_erase", args=[world.agent.pk]),
        {"confirmation": "alice@example.nl"},
    )
    page = client.get(detail(world.agent.pk))
    assert page.status_code == 200
    assert reverse("people:employee_edit", args=[world.agent.pk]) not in page.content.decode()
    assert client.get(reverse("people:employee_edit", args=[world.agent.pk])).status_code == 302
