"""Service targets: Dutch defaults on first use, validation with the core's judgement, all or none."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from tests.conftest import World
from veerkracht.people.models import AuditEvent
from veerkracht.scheduling.models import ServiceTarget

pytestmark = pytest.mark.usefixtures("english")

URL = reverse("scheduling:targets")


def form_data(client: Any, **changes: Any) -> dict[str, Any]:
    """What the browser posts: every channel's form as shown, with `changes` (e.g. phone-sl_target)."""
    response = client.get(URL)
    data: dict[str, Any] = {}
    for card in response.context["cards"]:
        form = card["form"]
        for name, field in form.fields.items():
            key = form.add_prefix(name)
            value = form.initial.get(name, field.initial)
            if name in {"handling_from", "handling_until"} and value is not None:
                value = value.strftime("%H:%M")
            if name == "handling_days":
                data[key] = [str(v) for v in (value or [])]
            elif value is not None:
                data[key] = value
    data.update(changes)
    return data


def test_it_creates_dutch_defaults_on_first_use(world: World) -> None:
    response = world.client_for(world.planner).get(URL)
    assert response.status_code == 200
    targets = {t.channel: t for t in ServiceTarget.objects.filter(organisation=world.org)}
    assert set(targets) == {"phone", "chat", "email", "social"}
    assert (targets["phone"].sl_target, targets["phone"].target_s, targets["phone"].aht_s) == (
        0.8,
        20,
        300,
    )
    assert (targets["chat"].target_s, targets["chat"].concurrency) == (60, 2)
    assert (targets["email"].response_time_h, targets["email"].response_share) == (24, 0.95)
    assert targets["social"].response_time_h == 4
    assert all(t.shrinkage == 0.3 for t in targets.values())


def test_it_saves_changed_targets_and_audits_them(world: World) -> None:
    client = world.client_for(world.planner)
    response = client.post(
        URL,
        form_data(
            client, **{"phone-sl_target": "0.9", "phone-target_s": "15", "phone-patience_s": "120"}
        ),
    )
    assert response.status_code == 302
    phone = ServiceTarget.objects.get(organisation=world.org, channel="phone")
    assert (phone.sl_target, phone.target_s, phone.patience_s) == (0.9, 15, 120)
    event = AuditEvent.objects.get(object_type="scheduling.ServiceTarget", object_id=str(phone.pk))
    assert event.changes["sl_target"] == [0.8, 0.9]


def test_it_refuses_a_service_level_of_one_with_a_clear_message_and_saves_nothing(
    world: World,
) -> None:
    client = world.client_for(world.planner)
    response = client.post(URL, form_data(client, **{"phone-sl_target": "1", "chat-aht_s": "500"}))
    assert response.status_code == 400
    phone_form = next(c["form"] for c in response.context["cards"] if c["channel"] == "phone")
    assert "A service level of 100% cannot be reached" in phone_form.errors["sl_target"][0]
    assert ServiceTarget.objects.get(organisation=world.org, channel="phone").sl_target == 0.8
    assert (
        ServiceTarget.objects.get(organisation=world.org, channel="chat").aht_s == 420
    )  # all or none


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("phone-sl_target", "1.5", "between 0 and 1"),
        ("phone-shrinkage", "0.96", "below 0.95"),
        ("phone-aht_s", "0", "greater than or equal to 1"),
        ("email-response_time_h", "", "need a response time"),
        ("email-response_share", "0", "need the share"),
        ("social-handling_until", "06:00", "until a later time"),
    ],
)
def test_it_validates_targets(world: World, field: str, value: str, message: str) -> None:
    client = world.client_for(world.planner)
    response = client.post(URL, form_data(client, **{field: value}))
    assert response.status_code == 400
    channel, name = field.split("-")
    form = next(c["form"] for c in response.context["cards"] if c["channel"] == channel)
    assert any(message in e for e in form.errors.get(name, []) + form.non_field_errors()), (
        form.errors
    )
    assert not AuditEvent.objects.filter(object_type="scheduling.ServiceTarget").exists()


def test_it_refuses_targets_to_people_without_planning_access(world: World) -> None:
    for persona in (world.agent, world.lead, world.admin):
        client = world.client_for(persona)
        assert client.get(URL).status_code == 403
        assert client.post(URL, {"phone-sl_target": "0.5"}).status_code == 403


def test_it_keeps_organisations_apart(world: World) -> None:
    mine = world.client_for(world.planner)
    mine.post(URL, form_data(mine, **{"phone-target_s": "30"}))
    theirs = world.client_for(world.outsider)
    theirs.get(URL)
    assert (
        ServiceTarget.objects.get(
            organisation=world.outsider.organisation, channel="phone"
        ).target_s
        == 20
    )
    assert ServiceTarget.objects.get(organisation=world.org, channel="phone").target_s == 30
