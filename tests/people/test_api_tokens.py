"""API tokens page: own tokens only, the key shown once, revoke own."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import World
from veerkracht.people import services
from veerkracht.people.models import ApiToken, AuditAction, AuditEvent, Employee

URL = reverse("people:api_tokens")


@pytest.fixture(autouse=True)
def english(world: World) -> None:
    Employee.objects.update(language="en")


def _revoke_url(token: ApiToken) -> str:
    return reverse("people:api_token_revoke", args=[token.pk])


def test_it_lists_only_my_tokens(world: World) -> None:
    services.issue_api_token(user=world.agent.user, name="My calendar sync")
    services.issue_api_token(user=world.colleague.user, name="Bobs script")

    response = world.client_for(world.agent).get(URL)

    html = response.content.decode()
    assert response.status_code == 200
    assert "My calendar sync" in html
    assert "Bobs script" not in html
    assert [t.name for t in response.context["tokens"]] == ["My calendar sync"]


def test_it_creates_a_token_and_shows_the_key_once(world: World) -> None:
    client = world.client_for(world.agent)

    created = client.post(URL, {"name": "Roster export"})

    assert created.status_code == 200
    assert created["Cache-Control"] == "no-store"
    key = re.search(r'value="(vk_[^"]+)"', created.content.decode()).group(1)  # type: ignore[union-attr]
    token = ApiToken.objects.get(user=world.agent.user)
    assert token.name == "Roster export"
    assert token.key_hash == ApiToken.hash_key(key) and key not in token.key_hash
    assert "Copy your new token now" in created.content.decode()
    assert (
        AuditEvent.objects.filter(action=AuditAction.CREATE, object_type="people.ApiToken").count()
        == 1
    )
    later = client.get(URL).content.decode()
    assert key not in later and "Roster export" in later and token.prefix in later


def test_it_needs_a_name(world: World) -> None:
    response = world.client_for(world.agent).post(URL, {"name": "   "})

    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not ApiToken.objects.exists()


def test_it_revokes_my_token(world: World) -> None:
    token, _key = services.issue_api_token(user=world.agent.user, name="Old script")

    response = world.client_for(world.agent).post(_revoke_url(token), follow=True)

    token.refresh_from_db()
    assert token.revoked_at is not None
    assert response.redirect_chain == [(URL, 302)]
    assert "no longer works" in response.content.decode()
    assert (
        AuditEvent.objects.filter(action=AuditAction.UPDATE, object_id=str(token.pk)).count() == 1
    )


def test_it_says_so_when_a_token_was_already_revoked(world: World) -> None:
    token, _key = services.issue_api_token(user=world.agent.user, name="Old script")
    services.revoke_api_token(token=token, by=world.agent.user)
    revoked_at = ApiToken.objects.get().revoked_at

    response = world.client_for(world.agent).post(_revoke_url(token), follow=True)

    assert "already revoked" in response.content.decode()
    assert ApiToken.objects.get().revoked_at == revoked_at


@pytest.mark.parametrize("persona", ["colleague", "lead", "admin", "outsider"])
def test_it_404s_for_someone_elses_token(world: World, persona: str) -> None:
    token, _key = services.issue_api_token(user=world.agent.user, name="Alices script")

    response = world.client_for(getattr(world, persona)).post(_revoke_url(token))

    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_it_refuses_get_on_revoke(world: World) -> None:
    token, _key = services.issue_api_token(user=world.agent.user, name="Script")

    response = world.client_for(world.agent).get(_revoke_url(token))

    assert response.status_code == 405
    token.refresh_from_db()
    assert token.revoked_at is None


def test_it_requires_login(client: Client, world: World) -> None:
    assert client.get(URL).status_code == 302
    assert client.post(URL, {"name": "x"}).status_code == 302
    assert not ApiToken.objects.exists()
