"""Shared personas: an organisation with two sites, a lead per team, one of each role, and an
outsider from another organisation who must see nothing (after healthchecks' hc/test.py)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from hypothesis import settings as hypothesis_settings

from veerkracht.people.models import Employee, EmployeeRole, Organisation, Role, Site, Team

PASSWORD = "correct-horse-battery"

# Property tests explore the same examples on every run, so CI is repeatable; a developer can
# search wider with HYPOTHESIS_PROFILE=explore.
hypothesis_settings.register_profile("repeatable", derandomize=True, database=None)
hypothesis_settings.register_profile("explore", derandomize=False)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))


def make_employee(
    org: Organisation,
    email: str,
    *,
    first: str,
    last: str,
    team: Team | None = None,
    roles: tuple[str, ...] = (Role.AGENT,),
    hours: int = 32,
    channels: tuple[str, ...] = ("phone",),
) -> Employee:
    user = get_user_model().objects.create_user(username=email, email=email, password=PASSWORD)
    employee = Employee.objects.create(
        user=user,
        organisation=org,
        first_name=first,
        last_name=last,
        email=email,
        employment_start=date(2021, 3, 1),
        birthday=date(1990, 6, 15),
        contract_hours=Decimal(hours),
        channels=list(channels),
        address_line="Keizersgracht 1",
        postcode="1015 AA",
        city="Amsterdam",
        team=team,
    )
    for role in roles:
        EmployeeRole.objects.create(employee=employee, role=role)
    return employee


@dataclass
class World:
    org: Organisation
    site_a: Site
    site_b: Site
    team_a: Team
    team_b: Team
    agent: Employee  # Alice, in team A
    colleague: Employee  # Bob, in team A
    agent_b: Employee  # Carol, in team B (site B)
    lead: Employee  # Lisa, leads team A
    lead_b: Employee  # leads team B
    site_manager: Employee  # manages site A
    planner: Employee
    admin: Employee
    outsider: Employee  # admin of another organisation

    def client_for(self, employee: Employee) -> Client:
        client = Client()
        assert client.login(username=employee.email, password=PASSWORD)
        return client


@pytest.fixture
def world(db: None) -> World:
    org = Organisation.objects.create(name="Klantcontact BV")
    site_a = Site.objects.create(organisation=org, name="Utrecht", city="Utrecht")
    site_b = Site.objects.create(organisation=org, name="Groningen", city="Groningen")
    team_a = Team.objects.create(site=site_a, name="Team Zeilen")
    team_b = Team.objects.create(site=site_b, name="Team Wadden")
    agent = make_employee(
        org,
        "alice@example.nl",
        first="Alice",
        last="Jansen",
        team=team_a,
        channels=("phone", "chat"),
    )
    colleague = make_employee(org, "bob@example.nl", first="Bob", last="de Vries", team=team_a)
    agent_b = make_employee(
        org, "carol@example.nl", first="Carol", last="Bakker", team=team_b, channels=("email",)
    )
    lead = make_employee(
        org, "lisa@example.nl", first="Lisa", last="Visser", team=team_a, roles=(Role.TEAM_LEAD,)
    )
    lead_b = make_employee(
        org, "lars@example.nl", first="Lars", last="Smit", team=team_b, roles=(Role.TEAM_LEAD,)
    )
    team_a.leads.add(lead)
    team_b.leads.add(lead_b)
    site_manager = make_employee(
        org, "sam@example.nl", first="Sam", last="Meijer", roles=(Role.SITE_MANAGER,)
    )
    site_a.managers.add(site_manager)
    planner = make_employee(
        org, "piet@example.nl", first="Piet", last="Mulder", roles=(Role.PLANNER,)
    )
    admin = make_employee(org, "anna@example.nl", first="Anna", last="de Boer", roles=(Role.ADMIN,))
    other = Organisation.objects.create(name="Andere BV")
    other_site = Site.objects.create(organisation=other, name="Zwolle")
    Team.objects.create(site=other_site, name="Team Elders")
    outsider = make_employee(
        other,
        "otto@example.nl",
        first="Otto",
        last="Buiten",
        roles=(Role.ADMIN, Role.PLANNER, Role.SITE_MANAGER, Role.TEAM_LEAD),
    )
    return World(
        org,
        site_a,
        site_b,
        team_a,
        team_b,
        agent,
        colleague,
        agent_b,
        lead,
        lead_b,
        site_manager,
        planner,
        admin,
        outsider,
    )
