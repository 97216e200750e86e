"""Logging in (rate limited), language, security headers, and resetting or changing a password."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from django.conf import settings
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from tests.conftest import PASSWORD, World
from veerkracht.people.models import AuditAction, AuditEvent, Employee

LOGIN = reverse("login")
RESET = reverse("password_reset")


@pytest.fixture(autouse=True)
def clear_rate_limits() -> Iterator[None]:
    """The rate limiter counts in the cache, which outlives a test's database transaction."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def english_client() -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_it_logs_in(english_client: Client, world: World) -> None:
    response = english_client.post(LOGIN, {"username": "alice@example.nl", "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert english_client.session["_auth_user_id"] == str(world.agent.user.pk)


def test_it_shows_an_error_for_a_wrong_password(english_client: Client, world: World) -> None:
    response = english_client.post(
        LOGIN, {"username": "alice@example.nl", "password": "wrong-password"}
    )

    assert response.status_code == 200
    assert "Please enter a correct" in response.content.decode()
    assert "_auth_user_id" not in english_client.session
    assert AuditEvent.objects.filter(action=AuditAction.LOGIN_FAILED).count() == 1


def test_it_refuses_even_the_right_password_after_too_many_failures(
    english_client: Client, world: World
) -> None:
    for _ in range(settings.LOGIN_RATE_LIMIT_ATTEMPTS):
        english_client.post(LOGIN, {"username": "alice@example.nl", "password": "wrong-password"})

    response = english_client.post(LOGIN, {"username": "alice@example.nl", "password": PASSWORD})

    assert response.status_code == 200
    assert "Too many failed attempts" in response.content.decode()
    assert "_auth_user_id" not in english_client.session


def test_it_limits_per_person_not_for_everyone(english_client: Client, world: World) -> None:
    for _ in range(settings.LOGIN_RATE_LIMIT_ATTEMPTS):
        english_client.post(LOGIN, {"username": "alice@example.nl", "password": "wrong-password"})

    response = english_client.post(LOGIN, {"username": "bob@example.nl", "password": PASSWORD})

    assert response.status_code == 302


def test_it_sets_the_language_cookie_to_the_employees_language(world: World) -> None:
    Employee.objects.filter(pk=world.agent.pk).update(language="en")
    client = Client()

    response = client.post(LOGIN, {"username": "alice@example.nl", "password": PASSWORD})

    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


def test_it_remembers_a_language_choice_on_the_employee(world: World) -> None:
    client = world.client_for(world.agent)

    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})

    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert Employee.objects.get(pk=world.agent.pk).language == "en"
    assert client.get(reverse("people:my_data")).headers["Content-Language"] == "en"


def test_it_sends_security_headers(client: Client, world: World) -> None:
    response = client.get(LOGIN)

    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


# --- Password reset and change --------------------------------------------------------------------


def _without_csrf(content: bytes) -> str:
    # The CSRF token is masked anew on every response; everything else must be identical.
    return re.sub(
        r'"X-CSRFToken": "[^"]+"|name="csrfmiddlewaretoken" value="[^"]+"', "", content.decode()
    )


def test_it_mails_a_reset_link_that_sets_a_new_password(
    english_client: Client, world: World
) -> None:
    response = english_client.post(RESET, {"email": "alice@example.nl"})

    assert response.status_code == 302
    assert response["Location"] == reverse("password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["alice@example.nl"]
    link = re.search(r"https?://[^/\s]+(/accounts/reset/\S+/)", message.body).group(1)  # type: ignore[union-attr]

    form_page = english_client.get(link, follow=True)
    assert form_page.context["validlink"] is True
    set_url = form_page.redirect_chain[-1][0]
    done = english_client.post(
        set_url,
        {"new_password1": "a-brand-new-secret-42", "new_password2": "a-brand-new-secret-42"},
    )

    assert done.status_code == 302 and done["Location"] == reverse("password_reset_complete")
    assert Client().login(username="alice@example.nl", password="a-brand-new-secret-42")


def test_it_gives_the_same_answer_for_an_unknown_address(
    english_client: Client, world: World
) -> None:
    known = english_client.post(RESET, {"email": "alice@example.nl"}, follow=True)
    mail.outbox.clear()

    unknown = english_client.post(RESET, {"email": "nobody@example.nl"}, follow=True)

    assert unknown.redirect_chain == known.redirect_chain == [(reverse("password_reset_done"), 302)]
    assert _without_csrf(unknown.content) == _without_csrf(known.content)
    assert mail.outbox == []


def test_it_refuses_a_used_reset_link(english_client: Client, world: World) -> None:
    response = english_client.get(reverse("password_reset_confirm", args=["MQ", "bad-token"]))

    assert response.status_code == 200
    assert response.context["validlink"] is False


def test_it_changes_the_password_when_logged_in(world: World) -> None:
    client = world.client_for(world.agent)

    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "another-long-secret-7",
            "new_password2": "another-long-secret-7",
        },
    )

    assert response.status_code == 302 and response["Location"] == reverse("password_change_done")
    assert Client().login(username="alice@example.nl", password="another-long-secret-7")


@pytest.mark.parametrize(
    "url_name",
    [
        "password_reset",
        "password_reset_done",
        "password_reset_complete",
        "password_change",
        "password_change_done",
    ],
)
def test_it_uses_veerkracht_templates_for_passwords(world: World, url_name: str) -> None:
    client = world.client_for(world.agent) if url_name.startswith("password_change") else Client()

    response = client.get(reverse(url_name))

    assert "veerkracht/config/templates/registration/" in response.templates[0].origin.name
