"""A realistic demo contact center, deterministic by seed (Dutch names, contracts of 16–40 h)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from faker import Faker

from .models import (
    Channel,
    Employee,
    EmployeeRole,
    Module,
    ModuleApproval,
    Organisation,
    Role,
    Site,
    Team,
)

DEMO_ORGANISATION = "Klantenservice Veerkracht (demo)"
DEMO_PASSWORD = "veerkracht-demo"
DEMO_DOMAIN = "demo.veerkracht.nl"

# Fixed logins, one per role, printed by `make demo`.
DEMO_LOGINS: dict[str, str] = {
    Role.AGENT: f"agent@{DEMO_DOMAIN}",
    Role.TEAM_LEAD: f"teamleider@{DEMO_DOMAIN}",
    Role.SITE_MANAGER: f"locatiemanager@{DEMO_DOMAIN}",
    Role.PLANNER: f"planner@{DEMO_DOMAIN}",
    Role.ADMIN: f"beheer@{DEMO_DOMAIN}",
}

SITES = [("Utrecht", "Utrecht"), ("Groningen", "Groningen")]
TEAM_NAMES = [
    "Zeilen",
    "Duinen",
    "Polder",
    "Wadden",
    "Getij",
    "Molen",
    "Dijk",
    "Lisse",
    "Haven",
    "Eems",
    "Vecht",
    "Linge",
]
CONTRACT_HOURS = [16, 20, 24, 24, 28, 32, 32, 36, 36, 36, 38, 40]


@dataclass
class DemoResult:
    created: bool
    organisation: Organisation
    employees: int


def _channels(rng: random.Random) -> list[str]:
    chans = [Channel.PHONE.value] if rng.random() < 0.92 else []
    if rng.random() < 0.6:
        chans.append(Channel.CHAT.value)
    if rng.random() < 0.5 or not chans:
        chans.append(Channel.EMAIL.value)
    if rng.random() < 0.2:
        chans.append(Channel.SOCIAL.value)
    return chans


def _team_sizes(agents: int, rng: random.Random) -> list[int]:
    """Split agents into teams of 10–15 (fewer only when there are fewer than 10 agents)."""
    if agents <= 15:
        return [agents] if agents else []
    sizes: list[int] = []
    remaining = agents
    while remaining > 0:
        if remaining <= 15:
            sizes.append(remaining)
            break
        size = rng.randint(10, 15)
        if 0 < remaining - size < 10:
            size = remaining - 10 if remaining - 10 >= 10 else remaining // 2
        sizes.append(size)
        remaining -= size
    return sizes


@transaction.atomic
def load_demo(
    *, agents: int = 120, seed: int = 7, reset: bool = False, today: date | None = None
) -> DemoResult:
    """Create the demo organisation. Running it again changes nothing unless `reset` is given."""
    from django.contrib.auth import get_user_model

    if agents < 1 or agents > 5000:
        raise ValueError("agents must be between 1 and 5000")
    existing = Organisation.objects.filter(name=DEMO_ORGANISATION).first()
    if existing is not None and not reset:
        return DemoResult(False, existing, existing.employees.count())
    if existing is not None:
        _delete_demo(existing)

    today = today or timezone.localdate()
    rng = random.Random(seed)
    fake = Faker("nl_NL")
    fake.seed_instance(seed)
    User = get_user_model()
    org = Organisation.objects.create(name=DEMO_ORGANISATION)
    sites = [Site.objects.create(organisation=org, name=name, city=city) for name, city in SITES]
    sizes = _team_sizes(agents, rng)
    teams = [
        Team.objects.create(
            site=sites[i % len(sites)],
            name=f"Team {TEAM_NAMES[i % len(TEAM_NAMES)]}"
            + (f" {i // len(TEAM_NAMES) + 1}" if i >= len(TEAM_NAMES) else ""),
        )
        for i in range(len(sizes))
    ]
    used_emails: set[str] = set(DEMO_LOGINS.values())
    people: list[tuple[Employee, list[str]]] = []

    def make(
        *, team: Team | None, roles: list[str], email: str | None = None, hours: int | None = None
    ) -> Employee:
        first, last = fake.first_name(), fake.last_name()
        if email is None:
            base = f"{first}.{last}".lower().replace(" ", "").replace("'", "")
            email = f"{base}@{DEMO_DOMAIN}"
            n = 2
            while email in used_emails:
                email = f"{base}{n}@{DEMO_DOMAIN}"
                n += 1
            used_emails.add(email)
        years = rng.choice([0, 0, 1, 1, 2, 3, 4, 5, 7, 9, 12])
        start = today - timedelta(days=years * 365 + rng.randint(0, 364))
        if rng.random() < 0.04:  # a few anniversaries and new starters this week
            start = (
                today.replace(year=today.year - rng.randint(1, 10))
                if not (today.month == 2 and today.day == 29)
                else start
            )
        age = rng.randint(19, 62)
        birthday = date(today.year - age, rng.randint(1, 12), rng.randint(1, 28))
        employee = Employee(
            organisation=org,
            first_name=first,
            last_name=last,
            email=email,
            employment_start=start,
            birthday=birthday,
            celebrate_birthday=rng.random() < 0.6,
            contract_hours=Decimal(hours if hours is not None else rng.choice(CONTRACT_HOURS)),
            channels=_channels(rng),
            address_line=fake.street_address(),
            postcode=fake.postcode(),
            city=fake.city(),
            team=team,
            language="en" if rng.random() < 0.08 else "nl",
        )
        people.append((employee, roles))
        return employee

    make(team=None, roles=[Role.ADMIN], email=DEMO_LOGINS[Role.ADMIN], hours=36)
    make(team=None, roles=[Role.PLANNER], email=DEMO_LOGINS[Role.PLANNER], hours=36)
    make(team=None, roles=[Role.PLANNER], hours=32)
    managers = [
        make(
            team=None,
            roles=[Role.SITE_MANAGER],
            email=DEMO_LOGINS[Role.SITE_MANAGER] if i == 0 else None,
            hours=38,
        )
        for i in range(len(sites))
    ]
    leads: list[Employee] = []
    for i, team in enumerate(teams):
        leads.append(
            make(
                team=team,
                roles=[Role.TEAM_LEAD],
                email=DEMO_LOGINS[Role.TEAM_LEAD] if i == 0 else None,
                hours=36,
            )
        )
    agent_count = 0
    for team, size in zip(teams, sizes, strict=True):
        for _ in range(size):
            email = DEMO_LOGINS[Role.AGENT] if agent_count == 0 else None
            make(team=team, roles=[Role.AGENT], email=email)
            agent_count += 1

    users = [
        User(username=e.email, email=e.email, first_name=e.first_name, last_name=e.last_name)
        for e, _ in people
    ]
    # One hash for all demo users: hashing 130 passwords one by one would take most of a minute.
    probe = User(username="probe")
    probe.set_password(DEMO_PASSWORD)
    for u in users:
        u.password = probe.password
    User.objects.bulk_create(users)
    by_email = {
        u.username: u for u in User.objects.filter(username__in=[u.username for u in users])
    }
    for employee, _roles in people:
        employee.user = by_email[employee.email]
    Employee.objects.bulk_create([e for e, _ in people])
    saved = {e.email: e for e in Employee.objects.filter(organisation=org)}
    EmployeeRole.objects.bulk_create(
        [EmployeeRole(employee=saved[e.email], role=r) for e, roles in people for r in roles]
    )
    for team, lead in zip(teams, leads, strict=True):
        team.leads.add(saved[lead.email])
    for site, manager in zip(sites, managers, strict=True):
        site.managers.add(saved[manager.email])
    ModuleApproval.objects.bulk_create(
        [
            ModuleApproval(
                organisation=org,
                module=Module.ROSTERING,
                body="Ondernemingsraad",
                approved_on=today - timedelta(days=400),
                reference="OR-2025-07",
            ),
            ModuleApproval(
                organisation=org,
                module=Module.PULSE_SURVEYS,
                body="Ondernemingsraad",
                approved_on=today - timedelta(days=300),
                reference="OR-2025-11",
            ),
            ModuleApproval(
                organisation=org,
                module=Module.ABSENCE,
                body="Ondernemingsraad",
                approved_on=today - timedelta(days=380),
                reference="OR-2025-08",
            ),
        ]
    )
    return DemoResult(True, org, len(people))


def _delete_demo(org: Organisation) -> None:
    from django.contrib.auth import get_user_model

    user_ids = list(org.employees.exclude(user=None).values_list("user_id", flat=True))
    org.employees.all().delete()
    Team.objects.filter(site__organisation=org).delete()
    org.sites.all().delete()
    org.delete()
    get_user_model().objects.filter(pk__in=user_ids).delete()
