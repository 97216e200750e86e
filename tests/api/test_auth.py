"""Authentication: session (with CSRF on writes) and personal API tokens."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone
from django.utils.crypto import get_random_string

from tests.conftest import PASSWORD, World
from veerkracht.people import services
from veerkracht.people.models import ApiToken

from .conftest import API, token_client, token_for


def test_it_refuses_a_caller_without_credentials(world: World) -> None:
    response = Client().get(f"{API}/me")
    assert response.status_code == 401
    assert set(response.json()) == {"detail"}
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_it_refuses_an_unauthenticated_write_with_401_not_a_csrf_403(world: World) -> None:
    response = Client(enforce_csrf_checks=True).post(
        f"{API}/sites", {"name": "X"}, content_type="application/json"
    )
    assert response.status_code == 401


def test_it_accepts_a_session(world: World) -> None:
    response = world.client_for(world.agent).get(f"{API}/me")
    assert response.status_code == 200
    assert response.json()["employee"]["id"] == world.agent.pk


def test_it_accepts_a_token(world: World) -> None:
    response = token_client(world.lead).get(f"{API}/me")
    assert response.status_code == 200
    assert response.json()["employee"]["id"] == world.lead.pk


def test_it_refuses_an_unknown_token(world: World) -> None:
    client = Client(
        headers={"Authorization": "Bearer vk_not-a-real-token", "Accept-Language": "en"}
    )
    response = client.get(f"{API}/me")
    assert response.status_code == 401
    assert "revoked" in response.json()["detail"]


def test_it_refuses_a_token_without_the_prefix(world: World) -> None:
    key = token_for(world.agent)
    response = Client(headers={"Authorization": f"Bearer {key[3:]}"}).get(f"{API}/me")
    assert response.status_code == 401


def test_it_refuses_a_revoked_token(world: World) -> None:
    key = token_for(world.agent)
    token = ApiToken.objects.get(key_hash=ApiToken.hash_key(key))
    services.revoke_api_token(token=token, by=world.agent.user)
    response = Client(headers={"Authorization": f"Bearer {key}"}).get(f"{API}/me")
    assert response.status_code == 401


def test_it_refuses_the_token_of_a_deactivated_employee(world: World) -> None:
    key = token_for(world.agent)
    world.agent.is_active = False
    world.agent.save()  # not through the service, which would also revoke the token
    response = Client(headers={"Authorization": f"Bearer {key}"}).get(f"{API}/me")
    assert response.status_code == 401


def test_it_refuses_the_token_of_an_inactive_user(world: World) -> None:
    key = token_for(world.agent)
    get_user_model().objects.filter(pk=world.agent.user_id).update(is_active=False)
    response = Client(headers={"Authorization": f"Bearer {key}"}).get(f"{API}/me")
    assert response.status_code == 401


def test_it_judges_a_bad_token_even_next_to_a_valid_session(world: World) -> None:
    client = world.client_for(world.admin)
    response = client.get(f"{API}/me", headers={"Authorization": "Bearer vk_wrong"})
    assert response.status_code == 401


def test_it_refuses_a_logged_in_user_without_an_employee(world: World) -> None:
    get_user_model().objects.create_user(username="root", password=PASSWORD, is_superuser=True)
    client = Client()
    assert client.login(username="root", password=PASSWORD)
    response = client.get(f"{API}/employees")
    assert response.status_code == 403


def test_it_records_when_a_token_was_last_used_at_most_once_a_minute(world: World) -> None:
    key = token_for(world.agent)
    client = Client(headers={"Authorization": f"Bearer {key}"})
    token = ApiToken.objects.get(key_hash=ApiToken.hash_key(key))
    assert token.last_used_at is None
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client.get(f"{API}/me")
    token.refresh_from_db()
    assert token.last_used_at == start
    with time_machine.travel(start + timedelta(seconds=30), tick=False):
        client.get(f"{API}/me")
    token.refresh_from_db()
    assert token.last_used_at == start
    with time_machine.travel(start + timedelta(seconds=90), tick=False):
        client.get(f"{API}/me")
    token.refresh_from_db()
    assert token.last_used_at == start + timedelta(seconds=90)


def test_it_refuses_a_session_write_without_csrf_token(world: World) -> None:
    client = Client(enforce_csrf_checks=True)
    assert client.login(username=world.admin.email, password=PASSWORD)
    response = client.post(f"{API}/sites", {"name": "Zonder CSRF"}, content_type="application/json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert not world.org.sites.filter(name="Zonder CSRF").exists()


def test_it_accepts_a_session_write_with_csrf_token(world: World) -> None:
    client = Client(enforce_csrf_checks=True)
    assert client.login(username=world.admin.email, password=PASSWORD)
    csrf = get_random_string(32)  # what the csrftoken cookie holds; the page's JavaScript echoes it
    client.cookies["csrftoken"] = csrf
    response = client.post(
        f"{API}/sites",
        {"name": "Met CSRF"},
        content_type="application/json",
        headers={"X-CSRFToken": csrf},
    )
    assert response.status_code == 201, response.content


def test_it_needs_no_csrf_token_for_a_token_write(world: World) -> None:
    client = Client(
        enforce_csrf_checks=True, headers={"Authorization": f"Bearer {token_for(world.admin)}"}
    )
    response = client.post(f"{API}/sites", {"name": "Per token"}, content_type="application/json")
    assert response.status_code == 201, response.content


def test_it_answers_a_token_call_in_the_employees_language_unless_asked_otherwise(
    world: World,
) -> None:
    key = token_for(world.agent)  # world.agent.language == "nl"
    dutch = Client(headers={"Authorization": f"Bearer {key}"}).get(f"{API}/employees/abc")
    english = Client(headers={"Authorization": f"Bearer {key}", "Accept-Language": "en"}).get(
        f"{API}/employees/abc"
    )
    assert dutch.json()["detail"][0]["msg"] == "Vul een geheel getal in."
    assert english.json()["detail"][0]["msg"] == "Enter a whole number."
