"""Swap pages: the agent offers and takes on the Swaps page, the team lead approves from the
queue, every swap's page shows its history; colleagues see only names and times."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.conftest import World
from veerkracht.scheduling import swaps
from veerkracht.scheduling.models_roster import Shift, SwapKind, SwapRequest, SwapStatus

from .swap_helpers import NOW, at, available, published, with_a_shift_to_offer


@pytest.fixture
def w(world: World, time_machine) -> World:  # type: ignore[no-untyped-def]
    time_machine.move_to(NOW, tick=False)
    return with_a_shift_to_offer(world)


def test_it_offers_a_shift_from_the_swaps_page(w: World) -> None:
    client = w.client_for(w.agent)
    page = client.get(reverse("scheduling:swaps"))
    offer_url = reverse("scheduling:swap_offer", kwargs={"pk": w.shift.pk})  # type: ignore[attr-defined]
    assert offer_url in page.content.decode()
    response = client.post(offer_url, {"kind": "give_away", "note": "Tandarts"})
    swap = SwapRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("scheduling:swap_detail", kwargs={"pk": swap.pk})
    detail = client.get(response["Location"]).content.decode()
    assert "offered the shift" in detail and "Bob de Vries" in detail  # Bob could take it


def test_it_refuses_an_offer_twice_with_a_message(w: World) -> None:
    client = w.client_for(w.agent)
    url = reverse("scheduling:swap_offer", kwargs={"pk": w.shift.pk})  # type: ignore[attr-defined]
    client.post(url, {"kind": "give_away"})
    response = client.post(url, {"kind": "give_away"})
    assert response.status_code == 409
    assert "already in an open swap" in response.content.decode()
    assert SwapRequest.objects.count() == 1


def test_it_does_not_let_anyone_offer_someone_elses_shift(w: World) -> None:
    url = reverse("scheduling:swap_offer", kwargs={"pk": w.shift.pk})  # type: ignore[attr-defined]
    assert w.client_for(w.colleague).post(url, {"kind": "give_away"}).status_code == 404
    assert w.client_for(w.lead).get(url).status_code == 404


def test_it_shows_colleagues_whether_an_offer_fits_their_roster(w: World) -> None:
    swap = swaps.offer_shift(shift=w.shift, by=w.agent.user, note="private reason")  # type: ignore[attr-defined]
    available(w.agent_b)
    bob = w.client_for(w.colleague).get(reverse("scheduling:swaps")).content.decode()
    assert "Fits your roster" in bob and "Alice Jansen" in bob
    carol = w.client_for(w.agent_b).get(reverse("scheduling:swaps")).content.decode()
    assert "not trained for Phone" in carol
    detail = w.client_for(w.agent_b).get(reverse("scheduling:swap_detail", kwargs={"pk": swap.pk}))
    assert detail.status_code == 200
    text = detail.content.decode()
    assert "private reason" not in text and 'id="history"' not in text  # names and times only


def test_it_takes_and_the_lead_approves(w: World) -> None:
    swap = swaps.offer_shift(shift=w.shift, by=w.agent.user)  # type: ignore[attr-defined]
    bob = w.client_for(w.colleague)
    response = bob.post(reverse("scheduling:swap_take", kwargs={"pk": swap.pk}))
    assert response.status_code == 302
    swap.refresh_from_db()
    assert swap.status == SwapStatus.PENDING

    lead = w.client_for(w.lead)
    queue = lead.get(reverse("scheduling:swaps")).content.decode()
    assert f'id="queue-{swap.pk}"' in queue
    detail = lead.get(reverse("scheduling:swap_detail", kwargs={"pk": swap.pk})).content.decode()
    assert 'id="approve-form"' in detail and "took the shift" in detail
    response = lead.post(reverse("scheduling:swap_approve", kwargs={"pk": swap.pk}), {"note": "Ok"})
    assert response.status_code == 302
    assert Shift.objects.get(pk=w.shift.pk).employee == w.colleague  # type: ignore[attr-defined]
    history = lead.get(response["Location"]).content.decode()
    assert "approved the swap" in history and "Ok" in history


def test_it_shows_the_reasons_when_the_rules_refuse_a_take(w: World) -> None:
    swap = swaps.offer_shift(shift=w.shift, by=w.agent.user)  # type: ignore[attr-defined]
    available(w.agent_b)
    response = w.client_for(w.agent_b).post(reverse("scheduling:swap_take", kwargs={"pk": swap.pk}))
    assert response.status_code == 422
    assert "(SKL-01)" in response.content.decode()
    swap.refresh_from_db()
    assert swap.status == SwapStatus.OPEN


def test_it_picks_a_shift_to_give_back_for_a_swap(w: World) -> None:
    swap = swaps.offer_shift(shift=w.shift, by=w.agent.user, kind=SwapKind.SWAP)  # type: ignore[attr-defined]
    bobs = published(w.colleague, at(12, 9), at(12, 17))
    bob = w.client_for(w.colleague)
    url = reverse("scheduling:swap_detail", kwargs={"pk": swap.pk})
    assert f'value="{bobs.pk}"' in bob.get(url).content.decode()
    take = reverse("scheduling:swap_take", kwargs={"pk": swap.pk})
    assert bob.post(take).status_code == 400  # nothing chosen to give back
    assert bob.post(take, {"return_shift": w.shift.pk}).status_code == 400  # type: ignore[attr-defined]
    assert bob.post(take, {"return_shift": bobs.pk}).status_code == 302
    swap.refresh_from_db()
    assert swap.return_shift == bobs


def test_it_requires_a_note_to_reject(w: World) -> None:
    swap = swaps.take_swap(
        swap=swaps.offer_shift(shift=w.shift, by=w.agent.user),  # type: ignore[attr-defined]
        by=w.colleague.user,
    )
    lead = w.client_for(w.lead)
    url = reverse("scheduling:swap_reject", kwargs={"pk": swap.pk})
    response = lead.post(url, {"note": ""})
    assert response.status_code == 400
    assert "Say why the swap is rejected." in response.content.decode()
    assert lead.post(url, {"note": "Te druk"}).status_code == 302
    swap.refresh_from_db()
    assert swap.status == SwapStatus.REJECTED


def test_it_answers_409_for_a_step_that_is_no_longer_possible(w: World) -> None:
    swap = swaps.offer_shift(shift=w.shift, by=w.agent.user)  # type: ignore[attr-defined]
    alice = w.client_for(w.agent)
    assert (
        alice.post(reverse("scheduling:swap_withdraw", kwargs={"pk": swap.pk})).status_code == 302
    )
    response = alice.post(reverse("scheduling:swap_withdraw", kwargs={"pk": swap.pk}))
    assert response.status_code == 409


def test_it_hides_swaps_from_other_teams_leads_and_outsiders(w: World) -> None:
    swap = swaps.take_swap(
        swap=swaps.offer_shift(shift=w.shift, by=w.agent.user),  # type: ignore[attr-defined]
        by=w.colleague.user,
    )
    url = reverse("scheduling:swap_detail", kwargs={"pk": swap.pk})
    for person in (w.lead_b, w.site_manager, w.admin, w.outsider, w.agent_b):
        assert w.client_for(person).get(url).status_code == 404, person
    approve = reverse("scheduling:swap_approve", kwargs={"pk": swap.pk})
    assert w.client_for(w.lead_b).post(approve).status_code == 404
    assert w.client_for(w.planner).get(url).status_code == 200


def test_it_lists_the_swaps_page_in_few_queries(w: World, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    for day in (10, 11, 12, 13):
        shift = w.shift if day == 10 else published(w.agent, at(day, 9), at(day, 17))  # type: ignore[attr-defined]
        swaps.offer_shift(shift=shift, by=w.agent.user)
    for person in (w.agent, w.colleague, w.lead):
        client = w.client_for(person)
        client.get(reverse("scheduling:swaps"))
        # Bob's page checks each of the 4 open offers against his roster (3 queries each).
        with django_assert_max_num_queries(30):
            assert client.get(reverse("scheduling:swaps")).status_code == 200
