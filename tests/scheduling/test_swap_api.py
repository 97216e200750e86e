"""The swap API: the same flow and scoping as the pages; 409 for a step the status does not
allow, 422 with the checker's findings when the rules refuse."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.conftest import World
from veerkracht.scheduling import swaps
from veerkracht.scheduling.models_roster import Shift, SwapStatus

from .conftest import token_client
from .swap_helpers import NOW, at, available, published, with_a_shift_to_offer

API = "/api/v1/swaps"


@pytest.fixture
def w(world: World, time_machine) -> World:  # type: ignore[no-untyped-def]
    time_machine.move_to(NOW, tick=False)
    return with_a_shift_to_offer(world)


def post(client: Client, url: str, body: dict | None = None):  # type: ignore[no-untyped-def,type-arg]
    return client.post(url, body or {}, content_type="application/json")


def test_it_runs_a_give_away_end_to_end(w: World) -> None:
    alice, bob, lisa = token_client(w.agent), token_client(w.colleague), token_client(w.lead)
    response = post(alice, API, {"shift": w.shift.pk, "note": "Bruiloft"})  # type: ignore[attr-defined]
    assert response.status_code == 201, response.content
    swap = response.json()
    assert swap["status"] == "open" and swap["shift"]["channels"] == ["phone"]

    seen = bob.get(f"{API}/{swap['id']}").json()
    assert seen["note"] == "" and seen["events"] == []  # names and times only
    assert seen["fits_me"] == {"fits": True, "reasons": []}

    taken = post(bob, f"{API}/{swap['id']}/take")
    assert taken.status_code == 200, taken.content
    assert taken.json()["status"] == "pending"

    assert [s["id"] for s in lisa.get(f"{API}?status=pending").json()["results"]] == [swap["id"]]
    approved = post(lisa, f"{API}/{swap['id']}/approve", {"note": "Akkoord"})
    assert approved.status_code == 200, approved.content
    body = approved.json()
    assert body["status"] == "approved"
    assert [e["action"] for e in body["events"]] == ["offered", "taken", "approved"]
    assert body["events"][2]["actor"]["name"] == "Lisa Visser"
    assert Shift.objects.get(pk=w.shift.pk).employee == w.colleague  # type: ignore[attr-defined]


def test_it_answers_422_with_the_violations_when_the_rules_refuse(w: World) -> None:
    available(w.agent_b)
    swap = swaps.offer_shift(shift=w.shift, by=w.agent.user)  # type: ignore[attr-defined]
    response = post(token_client(w.agent_b), f"{API}/{swap.pk}/take")
    assert response.status_code == 422
    body = response.json()
    assert {v["rule"] for v in body["violations"]} == {"SKL-01"}
    assert body["detail"][0]["type"] == "SKL-01"
    assert "not trained" in body["detail"][0]["msg"]


def test_it_answers_409_on_a_wrong_transition(w: World) -> None:
    alice = token_client(w.agent)
    swap = swaps.offer_shift(shift=w.shift, by=w.agent.user)  # type: ignore[attr-defined]
    assert post(alice, API, {"shift": w.shift.pk}).status_code == 409  # type: ignore[attr-defined]
    assert post(token_client(w.lead), f"{API}/{swap.pk}/approve").status_code == 409  # still open
    assert post(alice, f"{API}/{swap.pk}/withdraw").status_code == 200
    response = post(alice, f"{API}/{swap.pk}/withdraw")
    assert response.status_code == 409
    assert "withdrawn" in response.json()["detail"]
    # A colleague no longer sees an offer that is not open.
    assert post(token_client(w.colleague), f"{API}/{swap.pk}/take").status_code == 404


def test_it_needs_an_own_shift_to_give_back(w: World) -> None:
    swap = swaps.offer_shift(shift=w.shift, by=w.agent.user, kind="swap")  # type: ignore[attr-defined]
    bob = token_client(w.colleague)
    missing = post(bob, f"{API}/{swap.pk}/take")
    assert missing.status_code == 422
    assert missing.json()["detail"][0]["loc"] == ["body", "return_shift"]
    foreign = post(bob, f"{API}/{swap.pk}/take", {"return_shift": w.shift.pk})  # type: ignore[attr-defined]
    assert foreign.status_code == 422
    bobs = published(w.colleague, at(12, 9), at(12, 17))
    assert post(bob, f"{API}/{swap.pk}/take", {"return_shift": bobs.pk}).status_code == 200


def test_it_rejects_with_a_reason(w: World) -> None:
    swap = swaps.take_swap(
        swap=swaps.offer_shift(shift=w.shift, by=w.agent.user),  # type: ignore[attr-defined]
        by=w.colleague.user,
    )
    lisa = token_client(w.lead)
    assert post(lisa, f"{API}/{swap.pk}/reject").status_code == 422
    response = post(lisa, f"{API}/{swap.pk}/reject", {"note": "Te druk"})
    assert response.json()["status"] == SwapStatus.REJECTED


def test_it_scopes_the_list(w: World) -> None:
    swap = swaps.offer_shift(shift=w.shift, by=w.agent.user)  # type: ignore[attr-defined]
    ids = {
        name: [s["id"] for s in token_client(person).get(API).json()["results"]]
        for name, person in {
            "bob": w.colleague,
            "carol": w.agent_b,
            "lisa": w.lead,
            "lars": w.lead_b,
            "planner": w.planner,
            "admin": w.admin,
            "outsider": w.outsider,
        }.items()
    }
    assert ids == {
        "bob": [swap.pk],  # an open offer: colleagues may take it
        "carol": [swap.pk],
        "lisa": [swap.pk],
        "lars": [],
        "planner": [swap.pk],
        "admin": [],
        "outsider": [],
    }
    swaps.take_swap(swap=swap, by=w.colleague.user)
    assert token_client(w.agent_b).get(API).json()["results"] == []  # no longer open
    assert token_client(w.outsider).get(f"{API}/{swap.pk}").status_code == 404
