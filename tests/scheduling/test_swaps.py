"""Swap services: offer, take (with the rule check for both), approve (checked again), reject,
withdraw, expire; the history and the change notices."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import translation

from tests.conftest import World, make_employee
from veerkracht.people.models import AuditEvent, Employee
from veerkracht.scheduling import swaps
from veerkracht.scheduling.models_roster import (
    Shift,
    ShiftChange,
    ShiftChangeKind,
    ShiftSource,
    ShiftState,
    SwapKind,
    SwapStatus,
)

from .swap_helpers import NOW, at, available, published, with_a_shift_to_offer


@pytest.fixture
def frozen(time_machine):  # type: ignore[no-untyped-def]
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def swap_world(world: World, frozen: None) -> Iterator[World]:
    with translation.override("en"):
        yield with_a_shift_to_offer(world)


def too_little_rest(employee: Employee) -> None:
    """Shifts that leave 9 h of rest before the offered shift (Tuesday 07:00) when a rest of
    9 h was already taken that week: the once-a-week shortening is used up (ATW-05)."""
    published(employee, at(7, 14), at(7, 22))
    published(employee, at(8, 7), at(8, 13))  # 9 h after Saturday's shift: the shortening
    published(employee, at(9, 13), at(9, 22))  # 9 h before the offered shift


def offer(w: World, kind: str = SwapKind.GIVE_AWAY) -> swaps.SwapRequest:  # type: ignore[name-defined]
    return swaps.offer_shift(shift=w.shift, by=w.agent.user, kind=kind, note="Verjaardag")  # type: ignore[attr-defined]


def test_it_gives_a_shift_away_after_the_leads_approval(swap_world: World) -> None:
    w = swap_world
    swap = offer(w)
    assert swap.status == SwapStatus.OPEN
    swap = swaps.take_swap(swap=swap, by=w.colleague.user)
    assert swap.status == SwapStatus.PENDING
    assert swap.taken_by == w.colleague
    assert not [v for v in swap.check_result if v["blocking"]]
    shift = Shift.objects.get(pk=w.shift.pk)  # type: ignore[attr-defined]
    assert shift.employee == w.agent  # nothing moves before the lead approves

    swaps.approve_swap(swap=swap, by=w.lead.user, note="Prima")
    shift.refresh_from_db()
    assert shift.employee == w.colleague
    assert shift.source == ShiftSource.SWAP
    assert shift.state == ShiftState.PUBLISHED
    swap.refresh_from_db()
    assert swap.status == SwapStatus.APPROVED
    assert swap.decided_by == w.lead


def test_it_swaps_two_shifts(swap_world: World) -> None:
    w = swap_world
    bobs = published(w.colleague, at(12, 9), at(12, 17))
    swap = offer(w, SwapKind.SWAP)
    swap = swaps.take_swap(swap=swap, by=w.colleague.user, return_shift=bobs)
    assert {v["side"] for v in swap.check_result} <= {"taker", "offerer"}
    swaps.approve_swap(swap=swap, by=w.lead.user)
    assert Shift.objects.get(pk=w.shift.pk).employee == w.colleague  # type: ignore[attr-defined]
    bobs.refresh_from_db()
    assert bobs.employee == w.agent
    assert bobs.source == ShiftSource.SWAP


def test_it_needs_a_shift_back_for_a_swap(swap_world: World) -> None:
    swap = offer(swap_world, SwapKind.SWAP)
    with pytest.raises(ValidationError) as error:
        swaps.take_swap(swap=swap, by=swap_world.colleague.user)
    assert "return_shift" in error.value.message_dict


def test_it_refuses_a_colleague_without_the_skill(swap_world: World) -> None:
    w = swap_world
    available(w.agent_b)  # Carol is trained for e-mail only
    swap = offer(w)
    candidate = swaps.check_for(swap, w.agent_b)
    assert not candidate.fits
    assert candidate.reasons == ["not trained for Phone"]
    with pytest.raises(swaps.SwapRefused) as error:
        swaps.take_swap(swap=swap, by=w.agent_b.user)
    assert {v["rule"] for v in error.value.violations} == {"SKL-01"}
    swap.refresh_from_db()
    assert swap.status == SwapStatus.OPEN and swap.taken_by is None


def test_it_refuses_too_little_rest_with_the_reason(swap_world: World) -> None:
    w = swap_world
    too_little_rest(w.colleague)
    swap = offer(w)
    candidate = swaps.check_for(swap, w.colleague)
    assert not candidate.fits
    assert any("ATW-05" in reason for reason in candidate.reasons)
    with pytest.raises(swaps.SwapRefused) as error:
        swaps.take_swap(swap=swap, by=w.colleague.user)
    assert "ATW-05" in {v["rule"] for v in error.value.violations}
    assert "Too little rest between two shifts" in error.value.violations[0]["text"]


def test_it_refuses_a_colleague_who_is_not_available(swap_world: World) -> None:
    w = swap_world
    dave = make_employee(w.org, "dave@example.nl", first="Dave", last="Dekker", team=w.team_a)
    available(dave, start=swaps_time(12), end=swaps_time(20))  # afternoons only
    swap = offer(w)
    candidate = swaps.check_for(swap, dave)
    assert not candidate.fits and candidate.reasons
    with pytest.raises(swaps.SwapRefused) as error:
        swaps.take_swap(swap=swap, by=dave.user)
    assert [v["rule"] for v in error.value.violations] == ["AVL-01"]


def swaps_time(hour: int):  # type: ignore[no-untyped-def]
    from datetime import time

    return time(hour)


def test_it_lists_candidates_closest_first_with_reasons(swap_world: World) -> None:
    w = swap_world
    available(w.agent_b)
    swap = offer(w)
    found = swaps.candidates_for(swap)
    assert [(c.employee, c.fits) for c in found] == [(w.colleague, True), (w.agent_b, False)]


def test_it_refuses_to_offer_a_shift_twice(swap_world: World) -> None:
    offer(swap_world)
    with pytest.raises(swaps.SwapNotAllowed):
        offer(swap_world)


def test_it_only_offers_own_published_future_shifts(swap_world: World) -> None:
    w = swap_world
    with pytest.raises(PermissionDenied):
        swaps.offer_shift(shift=w.shift, by=w.colleague.user)  # type: ignore[attr-defined]
    draft = published(w.agent, at(11, 9), at(11, 17))
    Shift.objects.filter(pk=draft.pk).update(state=ShiftState.DRAFT)
    with pytest.raises(ValidationError):
        swaps.offer_shift(shift=draft, by=w.agent.user)
    past = published(w.agent, at(1, 9), at(1, 17))
    with pytest.raises(ValidationError):
        swaps.offer_shift(shift=past, by=w.agent.user)


def test_it_checks_again_when_the_lead_approves(swap_world: World) -> None:
    w = swap_world
    swap = swaps.take_swap(swap=offer(w), by=w.colleague.user)
    too_little_rest(w.colleague)  # rostered in the meantime
    with pytest.raises(swaps.SwapRefused) as error:
        swaps.approve_swap(swap=swap, by=w.lead.user)
    assert "ATW-05" in {v["rule"] for v in error.value.violations}
    swap.refresh_from_db()
    assert swap.status == SwapStatus.PENDING
    assert Shift.objects.get(pk=w.shift.pk).employee == w.agent  # type: ignore[attr-defined]


def test_it_lets_only_the_offerers_lead_or_a_planner_decide(swap_world: World) -> None:
    w = swap_world
    swap = swaps.take_swap(swap=offer(w), by=w.colleague.user)
    for person in (w.lead_b, w.site_manager, w.admin, w.agent, w.colleague):
        with pytest.raises(PermissionDenied):
            swaps.approve_swap(swap=swap, by=person.user)
    swaps.approve_swap(swap=swap, by=w.planner.user)


def test_it_rejects_with_a_note(swap_world: World) -> None:
    w = swap_world
    swap = swaps.take_swap(swap=offer(w), by=w.colleague.user)
    with pytest.raises(ValidationError):
        swaps.reject_swap(swap=swap, by=w.lead.user, note="")
    swaps.reject_swap(swap=swap, by=w.lead.user, note="Te weinig bezetting op chat")
    swap.refresh_from_db()
    assert swap.status == SwapStatus.REJECTED
    assert Shift.objects.get(pk=w.shift.pk).employee == w.agent  # type: ignore[attr-defined]
    with pytest.raises(swaps.SwapNotAllowed):
        swaps.approve_swap(swap=swap, by=w.lead.user)
    offer(w)  # the shift can be offered again


def test_it_lets_the_offerer_withdraw_before_approval(swap_world: World) -> None:
    w = swap_world
    swap = swaps.take_swap(swap=offer(w), by=w.colleague.user)
    with pytest.raises(PermissionDenied):
        swaps.withdraw_swap(swap=swap, by=w.colleague.user)
    swaps.withdraw_swap(swap=swap, by=w.agent.user)
    swap.refresh_from_db()
    assert swap.status == SwapStatus.WITHDRAWN
    with pytest.raises(swaps.SwapNotAllowed):
        swaps.take_swap(swap=swap, by=w.colleague.user)


def test_it_expires_swaps_whose_shift_started(swap_world: World, time_machine) -> None:  # type: ignore[no-untyped-def]
    w = swap_world
    swap = offer(w)
    assert swaps.expire_swaps() == 0
    time_machine.move_to(at(10, 7) + timedelta(minutes=1), tick=False)
    call_command("expire_swaps", stdout=open("/dev/null", "w"))  # noqa: SIM115
    swap.refresh_from_db()
    assert swap.status == SwapStatus.EXPIRED
    assert list(swap.events.values_list("action", flat=True)) == ["offered", "expired"]


def test_it_keeps_the_full_history_and_audits_it(swap_world: World) -> None:
    w = swap_world
    swap = swaps.take_swap(swap=offer(w), by=w.colleague.user)
    swaps.approve_swap(swap=swap, by=w.lead.user, note="Goed geregeld")
    events = list(swap.events.all())
    assert [(e.action, e.actor, e.status_after) for e in events] == [
        ("offered", w.agent, SwapStatus.OPEN),
        ("taken", w.colleague, SwapStatus.PENDING),
        ("approved", w.lead, SwapStatus.APPROVED),
    ]
    assert events[0].note == "Verjaardag" and events[2].note == "Goed geregeld"
    audited = AuditEvent.objects.filter(object_type="scheduling.SwapRequest", object_id=swap.pk)
    assert audited.count() == 3


def test_it_tells_both_employees(swap_world: World, mailoutbox) -> None:  # type: ignore[no-untyped-def]
    w = swap_world
    bobs = published(w.colleague, at(12, 9), at(12, 17))
    swap = swaps.take_swap(swap=offer(w, SwapKind.SWAP), by=w.colleague.user, return_shift=bobs)
    swaps.approve_swap(swap=swap, by=w.lead.user)
    kinds = set(ShiftChange.objects.values_list("employee_id", "kind", "shift_id"))
    assert kinds == {
        (w.agent.pk, ShiftChangeKind.SWAPPED_AWAY, w.shift.pk),  # type: ignore[attr-defined]
        (w.colleague.pk, ShiftChangeKind.SWAPPED_IN, w.shift.pk),  # type: ignore[attr-defined]
        (w.colleague.pk, ShiftChangeKind.SWAPPED_AWAY, bobs.pk),
        (w.agent.pk, ShiftChangeKind.SWAPPED_IN, bobs.pk),
    }
