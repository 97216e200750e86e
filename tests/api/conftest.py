"""Helpers for API tests: clients that call as a persona, by token or by session."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from tests.conftest import World
from veerkracht.people import services
from veerkracht.people.models import Employee

API = "/api/v1"


def token_for(employee: Employee, name: str = "test") -> str:
    _token, key = services.issue_api_token(user=employee.user, name=name)
    return key


def token_client(employee: Employee, **headers: str) -> Client:
    """A client that sends the persona's API token (in English unless told otherwise)."""
    return Client(
        headers={
            "Authorization": f"Bearer {token_for(employee)}",
            "Accept-Language": "en",
            **headers,
        }
    )


@pytest.fixture
def as_(world: World) -> Callable[[str], Client]:
    """`as_("lead").get(...)`: a token client for a persona of the world by attribute name."""

    def client(persona: str) -> Client:
        return token_client(getattr(world, persona))

    return client


def ids(response: Any) -> set[int]:
    assert response.status_code == 200, response.content
    return {item["id"] for item in response.json()["results"]}
