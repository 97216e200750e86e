"""The works-council register: the module gate other apps call, the services and the page."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from tests.conftest import World
from veerkracht.people import governance
from veerkracht.people.models import AuditAction, AuditEvent, Employee, Module, ModuleApproval

URL = reverse("people:governance")
TODAY = datetime.date(2025, 6, 2)


@pytest.fixture(autouse=True)
def english(world: World) -> None:
    Employee.objects.update(language="en")


@pytest.fixture
def today(time_machine: object) -> datetime.date:
    time_machine.move_to(
        datetime.datetime(2025, 6, 2, 12, 0, tzinfo=timezone.get_current_timezone())
    )  # type: ignore[attr-defined]
    return TODAY


def _approve(world: World, module: Module, on: datetime.date, **extra: object) -> ModuleApproval:
    return ModuleApproval.objects.create(
        organisation=world.org, module=module, body="Ondernemingsraad", approved_on=on, **extra
    )


# --- The gate ----------------------------------------------------------------------------------


def test_it_keeps_monitoring_modules_off_without_approval(
    world: World, today: datetime.date
) -> None:
    assert not governance.is_module_enabled(world.org, Module.PER_AGENT_KPIS)
    assert not governance.is_module_enabled(world.org, "quality_evaluations")


def test_it_turns_a_monitoring_module_on_with_an_approval_in_force(
    world: World, today: datetime.date
) -> None:
    _approve(world, Module.PER_AGENT_KPIS, today)

    assert governance.is_module_enabled(world.org, Module.PER_AGENT_KPIS)
    assert not governance.is_module_enabled(world.org, Module.QUALITY_EVALUATIONS)


def test_it_ignores_approvals_dated_in_the_future(world: World, today: datetime.date) -> None:
    _approve(world, Module.PER_AGENT_KPIS, today + datetime.timedelta(days=1))

    assert not governance.is_module_enabled(world.org, Module.PER_AGENT_KPIS)


def test_it_switches_off_on_the_day_of_withdrawal(world: World, today: datetime.date) -> None:
    _approve(world, Module.PER_AGENT_KPIS, datetime.date(2024, 1, 1), withdrawn_on=today)
    _approve(
        world,
        Module.QUALITY_EVALUATIONS,
        datetime.date(2024, 1, 1),
        withdrawn_on=today + datetime.timedelta(days=3),
    )

    assert not governance.is_module_enabled(world.org, Module.PER_AGENT_KPIS)
    assert governance.is_module_enabled(
        world.org, Module.QUALITY_EVALUATIONS
    )  # withdrawal not yet in force


def test_it_leaves_other_modules_on_by_default(world: World, today: datetime.date) -> None:
    for module in [Module.ABSENCE, Module.ROSTERING, Module.PULSE_SURVEYS]:
        assert governance.is_module_enabled(world.org, module)


def test_it_decides_per_organisation(world: World, today: datetime.date) -> None:
    ModuleApproval.objects.create(
        organisation=world.outsider.organisation,
        module=Module.PER_AGENT_KPIS,
        body="OR",
        approved_on=today,
    )

    assert governance.is_module_enabled(world.outsider.organisation, Module.PER_AGENT_KPIS)
    assert not governance.is_module_enabled(world.org, Module.PER_AGENT_KPIS)


def test_it_explains_why_a_module_is_off(world: World, today: datetime.date) -> None:
    with pytest.raises(PermissionDenied) as raised:
        governance.require_module(world.org, Module.QUALITY_EVALUATIONS)

    assert "works council" in str(raised.value)
    _approve(world, Module.QUALITY_EVALUATIONS, today)
    governance.require_module(world.org, Module.QUALITY_EVALUATIONS)  # no exception


def test_it_rejects_unknown_modules(world: World) -> None:
    with pytest.raises(ValueError):
        governance.is_module_enabled(world.org, "mind_reading")


# --- Services ----------------------------------------------------------------------------------


def test_it_records_and_audits_an_approval(world: World, today: datetime.date) -> None:
    approval = governance.record_approval(
        organisation=world.org,
        module=Module.PER_AGENT_KPIS,
        body=" Ondernemingsraad ",
        approved_on=datetime.date(2025, 5, 20),
        reference="OR-2025-09",
        by=world.admin.user,
    )

    assert approval.body == "Ondernemingsraad" and approval.recorded_by == world.admin.user
    event = AuditEvent.objects.get(object_type="people.ModuleApproval", object_id=str(approval.pk))
    assert event.action == AuditAction.CREATE and event.actor == world.admin.user
    assert event.changes["module"] == "per_agent_kpis"


def test_it_refuses_a_second_approval_in_force(world: World, today: datetime.date) -> None:
    _approve(world, Module.PER_AGENT_KPIS, datetime.date(2025, 1, 1))

    with pytest.raises(ValidationError) as raised:
        governance.record_approval(
            organisation=world.org,
            module=Module.PER_AGENT_KPIS,
            body="OR",
            approved_on=today,
            by=world.admin.user,
        )

    assert "module" in raised.value.message_dict
    assert ModuleApproval.objects.count() == 1


def test_it_withdraws_and_audits(world: World, today: datetime.date) -> None:
    approval = _approve(world, Module.PER_AGENT_KPIS, datetime.date(2025, 1, 1))

    governance.withdraw_approval(approval=approval, by=world.admin.user)

    approval.refresh_from_db()
    assert approval.withdrawn_on == today
    assert AuditEvent.objects.get(
        action=AuditAction.UPDATE, object_id=str(approval.pk)
    ).changes == {"withdrawn_on": [None, "2025-06-02"]}
    with pytest.raises(ValidationError):
        governance.withdraw_approval(approval=approval, by=world.admin.user)


# --- The page ----------------------------------------------------------------------------------


def test_it_lists_every_module_with_its_status(world: World, today: datetime.date) -> None:
    _approve(world, Module.ROSTERING, datetime.date(2024, 7, 1), reference="OR-2024-07")

    response = world.client_for(world.admin).get(URL)

    html = response.content.decode()
    assert response.status_code == 200
    for module in Module:
        assert str(module.label) in html
    assert html.count("Off until approval is recorded") == 2  # the two monitoring modules
    assert "OR-2024-07" in html and "Ondernemingsraad" in html
    assert html.count("On, no approval recorded") == 2  # absence and pulse surveys


def test_it_records_an_approval_from_the_form(world: World, today: datetime.date) -> None:
    client = world.client_for(world.admin)

    response = client.post(
        URL,
        {
            "module": "per_agent_kpis",
            "body": "Ondernemingsraad",
            "approved_on": "2025-05-30",
            "reference": "OR-2025-12",
        },
        follow=True,
    )

    assert response.redirect_chain == [(URL, 302)]
    assert "Approval of Per-agent KPIs (AHT, adherence) recorded." in response.content.decode()
    approval = ModuleApproval.objects.get()
    assert (approval.organisation, approval.module, approval.approved_on) == (
        world.org,
        "per_agent_kpis",
        datetime.date(2025, 5, 30),
    )
    assert governance.is_module_enabled(world.org, Module.PER_AGENT_KPIS)
    assert (
        AuditEvent.objects.filter(
            action=AuditAction.CREATE, object_type="people.ModuleApproval"
        ).count()
        == 1
    )


def test_it_refuses_a_date_in_the_future(world: World, today: datetime.date) -> None:
    response = world.client_for(world.admin).post(
        URL, {"module": "per_agent_kpis", "body": "OR", "approved_on": "2025-06-03"}
    )

    assert response.status_code == 200
    assert "The date of approval cannot be in the future." in response.content.decode()
    assert not ModuleApproval.objects.exists()


def test_it_shows_service_errors_on_the_form(world: World, today: datetime.date) -> None:
    _approve(world, Module.PER_AGENT_KPIS, datetime.date(2025, 1, 1))

    response = world.client_for(world.admin).post(
        URL, {"module": "per_agent_kpis", "body": "OR", "approved_on": "2025-06-01"}
    )

    assert "already has an approval in force" in response.content.decode()
    assert ModuleApproval.objects.count() == 1


def test_it_withdraws_from_the_page(world: World, today: datetime.date) -> None:
    approval = _approve(world, Module.QUALITY_EVALUATIONS, datetime.date(2025, 1, 1))

    response = world.client_for(world.admin).post(
        reverse("people:governance_withdraw", args=[approval.pk])
    )

    assert response.status_code == 302
    approval.refresh_from_db()
    assert approval.withdrawn_on == today
    assert not governance.is_module_enabled(world.org, Module.QUALITY_EVALUATIONS)


def test_it_refuses_get_on_withdraw(world: World, today: datetime.date) -> None:
    approval = _approve(world, Module.QUALITY_EVALUATIONS, datetime.date(2025, 1, 1))

    response = world.client_for(world.admin).get(
        reverse("people:governance_withdraw", args=[approval.pk])
    )

    assert response.status_code == 405
    approval.refresh_from_db()
    assert approval.withdrawn_on is None


def test_it_hides_our_register_from_the_outsider(world: World, today: datetime.date) -> None:
    approval = _approve(
        world, Module.QUALITY_EVALUATIONS, datetime.date(2025, 1, 1), reference="OR-SECRET"
    )
    client = world.client_for(world.outsider)

    page = client.get(URL)
    withdraw = client.post(reverse("people:governance_withdraw", args=[approval.pk]))

    assert page.status_code == 200 and "OR-SECRET" not in page.content.decode()
    assert withdraw.status_code == 404
    approval.refresh_from_db()
    assert approval.withdrawn_on is None


@pytest.mark.parametrize("persona", ["agent", "lead", "site_manager", "planner"])
def test_it_is_for_admins_only(world: World, persona: str, today: datetime.date) -> None:
    approval = _approve(world, Module.QUALITY_EVALUATIONS, datetime.date(2025, 1, 1))
    client = world.client_for(getattr(world, persona))

    assert client.get(URL).status_code == 403
    assert (
        client.post(
            URL, {"module": "per_agent_kpis", "body": "OR", "approved_on": "2025-06-01"}
        ).status_code
        == 403
    )
    assert client.post(reverse("people:governance_withdraw", args=[approval.pk])).status_code == 403
    assert ModuleApproval.objects.get().withdrawn_on is None
