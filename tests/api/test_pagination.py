"""Lists are paginated with ?page=&page_size= → {"count", "next", "previous", "results"}."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.test.utils import override_settings

from tests.conftest import World, make_employee

from .conftest import API


@pytest.fixture
def many(world: World) -> World:
    for n in range(12):
        make_employee(
            world.org,
            f"extra{n:02}@example.nl",
            first="Extra",
            last=f"Medewerker {n:02}",
            team=world.team_b,
        )
    return world  # 8 + 12 = 20 employees in the organisation


def test_it_pages_through_a_list(many: World, as_: Callable[[str], Client]) -> None:
    client = as_("admin")
    first = client.get(f"{API}/employees?page_size=8&team={many.team_b.pk}").json()
    assert first["count"] == 14  # Carol, Lars and the 12 extras
    assert len(first["results"]) == 8
    assert first["previous"] is None
    assert (
        first["next"]
        == f"http://testserver{API}/employees?page=2&page_size=8&team={many.team_b.pk}"
    )
    second = client.get(first["next"]).json()
    assert len(second["results"]) == 6
    assert second["next"] is None
    assert (
        second["previous"]
        == f"http://testserver{API}/employees?page=1&page_size=8&team={many.team_b.pk}"
    )
    seen = [e["id"] for e in first["results"] + second["results"]]
    assert len(set(seen)) == 14


def test_it_uses_the_configured_default_page_size(
    many: World, as_: Callable[[str], Client]
) -> None:
    with override_settings(API_PAGE_SIZE=5):
        body = as_("admin").get(f"{API}/employees").json()
    assert body["count"] == 20
    assert len(body["results"]) == 5


def test_it_refuses_a_page_size_above_200(many: World, as_: Callable[[str], Client]) -> None:
    response = as_("admin").get(f"{API}/employees?page_size=201")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "page_size"]


def test_it_refuses_page_zero(many: World, as_: Callable[[str], Client]) -> None:
    response = as_("admin").get(f"{API}/employees?page=0")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "page"]


def test_it_answers_a_page_past_the_end_with_no_results(
    many: World, as_: Callable[[str], Client]
) -> None:
    body = as_("admin").get(f"{API}/employees?page=9&page_size=10").json()
    assert body["count"] == 20
    assert body["results"] == []
    assert body["next"] is None
    assert body["previous"].endswith("page=2&page_size=10")


@pytest.mark.parametrize(("persona", "expected"), [("admin", 20), ("lead_b", 14)])
def test_it_lists_employees_in_a_constant_number_of_queries(
    many: World,
    as_: Callable[[str], Client],
    django_assert_max_num_queries: Callable[..., Any],
    persona: str,
    expected: int,
) -> None:
    client = as_(persona)  # a lead's list checks address visibility per row: still no N+1
    with django_assert_max_num_queries(8):
        response = client.get(f"{API}/employees?page_size=200")
    assert len(response.json()["results"]) == expected
