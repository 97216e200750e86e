"""Answering a pulse on the page: once, within the scale, while open; stored unlinkable."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

from veerkracht.people.models import Employee
from veerkracht.pulses.models import Answer, Participation, PulseStatus, Scale

from ..conftest import World
from .conftest import full_answers, open_pulse


def _form(pulse, value: int = 4, text: str = "") -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {f"q{k}": str(v) for k, v in full_answers(pulse, value, text).items()}


def test_it_lists_open_pulses_for_my_team_only(world: World) -> None:
    mine = open_pulse(world, team=world.team_a, title="Zeilen week")
    open_pulse(world, team=world.team_b, title="Wadden week")
    response = world.client_for(world.agent).get("/pulse/")
    assert response.status_code == 200
    assert b"Zeilen week" in response.content
    assert b"Wadden week" not in response.content
    assert f"/pulse/{mine.pk}/".encode() in response.content


def test_it_stores_answers_without_any_link_to_the_person(world: World) -> None:
    pulse = open_pulse(world, team=world.team_a)
    client = world.client_for(world.agent)
    page = client.get(f"/pulse/{pulse.pk}/")
    assert page.status_code == 200
    response = client.post(f"/pulse/{pulse.pk}/", _form(pulse, 4, "More breaks please"))
    assert response.status_code == 302
    answers = Answer.objects.filter(pulse=pulse)
    assert answers.count() == pulse.questions.count()
    assert set(answers.values_list("team_id", flat=True)) == {world.team_a.pk}
    assert Participation.objects.filter(pulse=pulse, employee=world.agent).count() == 1
    # The model: no relation to a person or a login, no time at all, a random id.
    for field in Answer._meta.get_fields():
        related = getattr(field, "related_model", None)
        assert related not in (Employee, settings.AUTH_USER_MODEL) and (
            related is None or related._meta.label != settings.AUTH_USER_MODEL
        ), field
        assert not isinstance(field, (models.DateTimeField, models.DateField, models.TimeField)), (
            field
        )
    assert isinstance(Answer._meta.pk, models.UUIDField)
    # The rows: nothing in them names Alice.
    for row in answers.values():
        assert world.agent.pk not in [
            v
            for k, v in row.items()
            if k not in {"team_id", "site_id", "pulse_id", "question_id", "value"}
        ]
        assert "alice" not in str(row).lower()
        assert set(row) == {"id", "pulse_id", "question_id", "team_id", "site_id", "value", "text"}
    # Participation holds no answers and no time.
    assert {f.name for f in Participation._meta.get_fields()} == {"id", "pulse", "employee", "team"}


def test_it_refuses_a_second_answer(world: World) -> None:
    pulse = open_pulse(world, team=world.team_a)
    client = world.client_for(world.agent)
    assert client.post(f"/pulse/{pulse.pk}/", _form(pulse)).status_code == 302
    response = client.post(f"/pulse/{pulse.pk}/", _form(pulse, 2))
    assert response.status_code == 422
    assert b"already answered" in response.content
    assert Answer.objects.filter(pulse=pulse, value=2).count() == 0
    assert Participation.objects.filter(pulse=pulse).count() == 1


def test_it_rejects_an_answer_outside_the_scale(world: World) -> None:
    pulse = open_pulse(world, team=world.team_a)
    data = _form(pulse)
    agree = pulse.questions.filter(scale=Scale.AGREE_5).first()
    enps = pulse.questions.get(scale=Scale.ZERO_TEN)
    data[f"q{agree.pk}"] = "6"
    data[f"q{enps.pk}"] = "11"
    response = world.client_for(world.agent).post(f"/pulse/{pulse.pk}/", data)
    assert response.status_code == 422
    assert b"Choose an answer from 1 to 5" in response.content
    assert not Answer.objects.filter(pulse=pulse).exists()
    assert not Participation.objects.exists()


def test_it_takes_no_answers_on_a_closed_pulse(world: World) -> None:
    now = timezone.now()
    expired = open_pulse(
        world,
        team=world.team_a,
        opens_at=now - timedelta(days=3),
        closes_at=now - timedelta(hours=1),
    )
    closed = open_pulse(world, team=world.team_a)
    closed.status = PulseStatus.CLOSED
    closed.save()
    client = world.client_for(world.agent)
    for pulse in (expired, closed):
        response = client.post(f"/pulse/{pulse.pk}/", _form(pulse))
        assert response.status_code == 422
        assert b"closed" in response.content
    assert not Answer.objects.exists()


def test_it_hides_another_teams_pulse(world: World) -> None:
    pulse = open_pulse(world, team=world.team_b)
    client = world.client_for(world.agent)
    assert client.get(f"/pulse/{pulse.pk}/").status_code == 404
    assert client.post(f"/pulse/{pulse.pk}/", _form(pulse)).status_code == 404
    assert world.client_for(world.outsider).get(f"/pulse/{pulse.pk}/").status_code == 404
    assert not Answer.objects.exists()


def test_it_offers_a_copy_on_the_device_without_sending_it(world: World) -> None:
    pulse = open_pulse(world, team=world.team_a)
    page = world.client_for(world.agent).get(f"/pulse/{pulse.pk}/").content.decode()
    # The checkbox has no name: the choice to keep a copy never reaches the server.
    assert 'id="keep-copy"' in page
    assert 'name="keep' not in page
    assert "pulses/pulses.js" in page
