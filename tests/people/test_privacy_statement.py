"""The privacy statement: generated from the register of processing, which must cover every model
and agree with the rules in people/access.py."""

from __future__ import annotations

import datetime

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse

from tests.conftest import World
from veerkracht.people import access, privacy_register
from veerkracht.people.models import Employee, Module, ModuleApproval
from veerkracht.people.privacy_register import Audience

URL = reverse("people:privacy_statement")
# Models outside the Veerkracht apps that hold personal data and are described in the statement.
FRAMEWORK_MODELS = ["auth.User", "sessions.Session"]


@pytest.fixture(autouse=True)
def english(world: World) -> None:
    Employee.objects.update(language="en")


def _models_to_account_for() -> list[str]:
    labels = [
        model._meta.label
        for model in apps.get_models()
        if model.__module__.startswith("veerkracht.") and not model._meta.proxy
    ]
    return sorted(labels) + FRAMEWORK_MODELS


# --- The register covers what the installation stores ------------------------------------------


def test_it_accounts_for_every_model() -> None:
    described = {model for c in privacy_register.categories() for model in c.models}
    no_personal_data = set(privacy_register.no_personal_data())

    missing = [
        m for m in _models_to_account_for() if m not in described and m not in no_personal_data
    ]

    assert missing == [], (
        "Describe these models in a privacy register (people/privacy_register.py or <app>/privacy.py) "
        f"or declare them free of personal data: {missing}"
    )


def test_it_accounts_for_every_field_of_a_model_with_personal_data() -> None:
    described = {path for c in privacy_register.categories() for path in c.fields}
    missing = []
    for model in _models_to_account_for():
        if model in privacy_register.no_personal_data():
            continue
        for name in privacy_register.fields_of(model):
            if (
                f"{model}.{name}" not in described
                and name not in privacy_register.not_personal_fields(model)
            ):
                missing.append(f"{model}.{name}")

    assert missing == [], (
        f"Add these fields to a privacy category or declare them not personal: {missing}"
    )


def test_it_names_only_fields_that_exist() -> None:
    unknown = []
    for category in privacy_register.categories():
        for path in category.fields:
            model, name = path.rsplit(".", 1)
            try:
                if name not in privacy_register.fields_of(model):
                    unknown.append(path)
            except LookupError:
                unknown.append(path)

    assert unknown == []


def test_it_does_not_describe_a_field_twice() -> None:
    paths = [path for c in privacy_register.categories() for path in c.fields]

    assert len(paths) == len(set(paths))


# --- Who may see it matches people/access.py ----------------------------------------------------


def _personas(world: World) -> dict[Audience, Employee]:
    """One person per audience, each standing in that relation to Alice (agent in team A, site A)."""
    return {
        Audience.SELF: world.agent,
        Audience.TEAM: world.colleague,
        Audience.TEAM_LEAD: world.lead,
        Audience.SITE_MANAGER: world.site_manager,
        Audience.PLANNER: world.planner,
        Audience.ADMIN: world.admin,
    }


def test_it_says_who_sees_the_home_address_as_access_decides(world: World) -> None:
    audiences = privacy_register.category("home_address").audiences

    for audience, persona in _personas(world).items():
        assert access.can_see_address(persona.user, world.agent) == (audience in audiences), (
            audience
        )
    assert not access.can_see_address(world.outsider.user, world.agent)


def test_it_says_who_sees_the_birthday_as_access_decides(world: World) -> None:
    audiences = privacy_register.category("birthday").audiences

    for audience, persona in _personas(world).items():
        assert access.can_see_birthday(persona.user, world.agent) == (audience in audiences), (
            audience
        )
    assert not access.can_see_birthday(world.outsider.user, world.agent)
    world.agent.celebrate_birthday = True
    assert Audience.OPTED_IN in audiences
    assert access.can_see_birthday(world.colleague.user, world.agent)
    assert not access.can_see_birthday(world.outsider.user, world.agent)


@pytest.mark.parametrize("key", ["work_email", "contract"])
def test_it_says_who_sees_the_employee_record_as_access_decides(world: World, key: str) -> None:
    audiences = privacy_register.category(key).audiences

    for audience, persona in _personas(world).items():
        sees = access.employees_for(persona.user).filter(pk=world.agent.pk).exists()
        assert sees == (audience in audiences), (key, audience)
    assert not access.employees_for(world.outsider.user).filter(pk=world.agent.pk).exists()


@pytest.mark.parametrize("key", ["name", "team_and_skills", "roles"])
def test_it_says_who_sees_the_team_directory_as_access_decides(world: World, key: str) -> None:
    audiences = privacy_register.category(key).audiences

    for audience, persona in _personas(world).items():
        sees = access.team_directory_for(persona.user).filter(pk=world.agent.pk).exists()
        assert sees == (audience in audiences), (key, audience)


def test_it_keeps_the_password_unreadable() -> None:
    assert privacy_register.category("password").audiences == (Audience.NOBODY,)


# --- The page ------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["agent", "lead", "site_manager", "planner", "admin"])
def test_it_is_open_to_everyone_logged_in(world: World, persona: str) -> None:
    response = world.client_for(getattr(world, persona)).get(URL)

    assert response.status_code == 200
    assert "Klantcontact BV" in response.content.decode()


def test_it_requires_login(client: Client, world: World) -> None:
    response = client.get(URL)

    assert response.status_code == 302


def test_it_lists_every_category_with_purpose_ground_term_and_audience(world: World) -> None:
    html = world.client_for(world.agent).get(URL).content.decode()

    for category in privacy_register.categories():
        assert f'id="category-{category.key}"' in html
        assert str(category.purpose) in html
    assert "Home address" in html
    address = html[html.index('id="category-home_address"') :]
    address = address[: address.index("</section>")]
    audiences = address[
        address.index('class="audiences"') : address.index(
            "</p>", address.index('class="audiences"')
        )
    ]
    assert audiences.endswith("You, Your team lead(s), Administrators")
    assert "art. 6(1)(b)" in html


def test_it_shows_the_organisation_and_its_thresholds(world: World) -> None:
    world.org.anonymity_threshold = 7
    world.org.comment_threshold = 9
    world.org.save()

    html = world.client_for(world.agent).get(URL).content.decode()

    assert "Klantcontact BV" in html
    assert "<strong>7</strong>" in html and "<strong>9</strong>" in html


def test_it_shows_which_monitoring_modules_are_on(world: World) -> None:
    client = world.client_for(world.agent)

    before = client.get(URL).context["statuses"]
    ModuleApproval.objects.create(
        organisation=world.org,
        module=Module.PER_AGENT_KPIS,
        body="Ondernemingsraad",
        approved_on=datetime.date(2025, 1, 1),
        reference="OR-2025-01",
    )
    after = client.get(URL)

    status = {s.module: s.enabled for s in before}
    assert status[Module.PER_AGENT_KPIS] is False and status[Module.QUALITY_EVALUATIONS] is False
    assert status[Module.ROSTERING] is True
    assert {s.module: s.enabled for s in after.context["statuses"]}[Module.PER_AGENT_KPIS] is True
    assert "OR-2025-01" in after.content.decode()


def test_it_shows_retention_rights_and_breach_procedure(world: World) -> None:
    html = world.client_for(world.agent).get(URL).content.decode()

    assert "At least 52 weeks" in html
    assert "5 years when the employer carries its own sickness-benefit risk" in html
    assert "within one month" in html
    assert reverse("people:my_data") in html
    assert "72 hours" in html
    assert reverse("people:audit_log") not in html  # agents cannot open it


def test_it_links_admins_to_the_audit_log(world: World) -> None:
    html = world.client_for(world.admin).get(URL).content.decode()

    assert reverse("people:audit_log") in html


def test_it_shows_the_outsider_only_their_own_organisation(world: World) -> None:
    ModuleApproval.objects.create(
        organisation=world.org,
        module=Module.PER_AGENT_KPIS,
        body="OR",
        approved_on=datetime.date(2025, 1, 1),
        reference="OR-OURS",
    )

    html = world.client_for(world.outsider).get(URL).content.decode()

    assert "Andere BV" in html
    assert "Klantcontact BV" not in html and "OR-OURS" not in html


def test_it_shows_a_general_statement_to_a_login_without_employee(
    client: Client, world: World
) -> None:
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_user(username="loose@example.nl", password="x-very-long-pass")
    client.login(username="loose@example.nl", password="x-very-long-pass")

    response = client.get(URL)

    assert response.status_code == 200
    assert response.context["organisation"] is None
    assert "Klantcontact BV" not in response.content.decode()
