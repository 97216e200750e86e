"""Swap pages: the agent's "Swaps" page (phone first), offering a shift, a swap's page with its
history, and the team lead's approval queue.

Thin views: reads start from people/access.py, writes go through swaps.py. Every form posts and
redirects (or shows the page again with the reasons, with a 4xx), so the pages work without
JavaScript.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, IntegerField, Value, When
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from veerkracht.people import access
from veerkracht.people.models import Employee

from . import selectors_shifts as sel
from . import swaps as services
from .models_roster import Shift, SwapKind, SwapRequest, SwapStatus

# What each step of the history says (SwapEvent.action).
ACTIONS: dict[str, Any] = {
    "offered": gettext_lazy("offered the shift"),
    "taken": gettext_lazy("took the shift, waiting for the team lead"),
    "approved": gettext_lazy("approved the swap"),
    "rejected": gettext_lazy("rejected the swap"),
    "withdrawn": gettext_lazy("withdrew the offer"),
    "expired": gettext_lazy("expired: the shift started before the swap was done"),
}
# How many open offers of colleagues the page checks against your roster.
MAX_OPEN_OFFERS = 20
UPCOMING_DAYS = 42


class OfferForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("What do you want?"),
        choices=SwapKind.choices,
        initial=SwapKind.GIVE_AWAY,
        widget=forms.RadioSelect,
        help_text=gettext_lazy(
            "Give away: a colleague takes the shift. Swap: a colleague takes it and gives you "
            "one of their shifts."
        ),
    )
    note = forms.CharField(
        label=gettext_lazy("Note for your colleagues and team lead"),
        max_length=services.NOTE_MAX,
        required=False,
    )


class NoteForm(forms.Form):
    note = forms.CharField(label=gettext_lazy("Note"), max_length=services.NOTE_MAX, required=False)


def _describe(shift: Shift | None) -> Shift | None:
    """Add the channels' names for the templates."""
    if shift is not None:
        shift.channel_text = services.channel_names(sel.channels_of(shift))  # type: ignore[attr-defined]
    return shift


def _upcoming(me: Employee) -> list[Shift]:
    """Own published shifts that have not started (to offer, or to give back in a swap)."""
    now = timezone.now()
    held = SwapRequest.objects.filter(status__in=services.ACTIVE)
    busy = set(held.values_list("shift_id", flat=True)) | set(
        held.exclude(return_shift=None).values_list("return_shift_id", flat=True)
    )
    shifts = (
        access.own_shifts_for(me.user)
        .filter(start__gt=now, start__lt=now + timedelta(days=UPCOMING_DAYS))
        .order_by("start")
    )
    return [_describe(s) for s in shifts if s.pk not in busy]  # type: ignore[misc]


def _swaps(qs: Any) -> list[SwapRequest]:
    active_first = Case(
        When(status__in=services.ACTIVE, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    found = list(
        qs.select_related("shift", "return_shift", "offered_by", "taken_by")
        .annotate(active_first=active_first)
        .order_by("active_first", "shift__start")[:30]
    )
    for swap in found:
        _describe(swap.shift)
        _describe(swap.return_shift)
    return found


# --- The agent's page ---------------------------------------------------------------------------


@login_required
def swaps(request: HttpRequest) -> HttpResponse:
    me = access.require_employee(request.user)
    services.expire_swaps()
    queue = _swaps(access.swap_queue_for(request.user))
    mine = _swaps(access.swaps_for(request.user).filter(offered_by=me))
    taken = _swaps(access.swaps_for(request.user).filter(taken_by=me))
    can_take = access.can_take_swaps(request.user)
    offers: list[dict[str, Any]] = []
    if can_take:
        open_swaps = _swaps(
            access.swaps_for(request.user).filter(status=SwapStatus.OPEN).exclude(offered_by=me)
        )[:MAX_OPEN_OFFERS]
        # The weekly pattern once for all offers (each check reads it twice otherwise).
        checker = Employee.objects.prefetch_related("availability_patterns").get(pk=me.pk)
        offers = [{"swap": s, "check": services.check_for(s, checker)} for s in open_swaps]
    return render(
        request,
        "scheduling/swaps.html",
        {
            "queue": queue,
            "is_decider": access.can_decide_swaps(request.user),
            "mine": mine,
            "taken": taken,
            "offers": offers,
            "can_take": can_take,
            "upcoming": _upcoming(me),
        },
    )


# --- Offering a shift ---------------------------------------------------------------------------


@login_required
def swap_offer(request: HttpRequest, pk: int) -> HttpResponse:
    """Offer one of your own shifts (pk: the shift)."""
    me = access.require_employee(request.user)
    shift = access.own_shifts_for(request.user).filter(pk=pk).first()
    if shift is None:
        raise Http404
    form = OfferForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                swap = services.offer_shift(shift=shift, by=request.user, **form.cleaned_data)
            except ValidationError as error:
                for text in error.messages:
                    form.add_error(None, text)
            except services.SwapNotAllowed as error:
                form.add_error(None, error.message)
                status = 409
            else:
                messages.success(
                    request, _("Your shift is offered. Colleagues who can take it see it now.")
                )
                return redirect("scheduling:swap_detail", pk=swap.pk)
    return render(
        request,
        "scheduling/swap_offer.html",
        {"shift": _describe(shift), "form": form, "me": me},
        status=status,
    )


# --- One swap -----------------------------------------------------------------------------------


def _detail(
    request: HttpRequest,
    swap: SwapRequest,
    *,
    errors: list[str] | None = None,
    refused: list[dict[str, Any]] | None = None,
    status: int = 200,
) -> HttpResponse:
    me = access.require_employee(request.user)
    full = access.can_see_swap_details(request.user, swap)
    is_offerer = me.pk == swap.offered_by_id
    decider = access.can_decide_swap(request.user, swap)
    can_take = services.may_take(request.user, me, swap)
    _describe(swap.shift)
    _describe(swap.return_shift)
    context: dict[str, Any] = {
        "swap": swap,
        "full": full,
        "errors": errors or [],
        "refused": refused or [],
        "is_offerer": is_offerer,
        "can_decide": swap.status == SwapStatus.PENDING and decider,
        "can_withdraw": is_offerer and swap.status in services.ACTIVE,
        "can_take": can_take,
        "note_form": NoteForm(),
    }
    if full:
        context["events"] = [
            {"event": e, "text": ACTIONS.get(e.action, e.action)}
            for e in swap.events.select_related("actor")
        ]
        context["findings"] = swap.check_result or []
    if can_take:
        context["my_check"] = services.check_for(swap, me)
        if swap.kind == SwapKind.SWAP:
            context["my_shifts"] = _upcoming(me)
    if swap.status == SwapStatus.OPEN and (is_offerer or decider):
        candidates = services.candidates_for(swap)
        if is_offerer:
            # The offerer sees who could take it, not why others cannot (their rosters).
            candidates = [c for c in candidates if c.fits]
        context["candidates"] = candidates
        context["show_reasons"] = not is_offerer
    return render(request, "scheduling/swap_detail.html", context, status=status)


@login_required
def swap_detail(request: HttpRequest, pk: int) -> HttpResponse:
    access.require_employee(request.user)
    services.expire_swaps()
    return _detail(request, access.get_swap_for(request.user, pk))


def _step(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Run one step (take, approve, reject, withdraw) and show the swap again."""
    access.require_employee(request.user)
    swap = access.get_swap_for(request.user, pk)
    note = request.POST.get("note", "")
    try:
        if action == "take":
            return_shift = services.own_return_shift(request.user, request.POST.get("return_shift"))
            services.take_swap(swap=swap, by=request.user, return_shift=return_shift)
            messages.success(request, _("You took the shift. Your team lead decides."))
        elif action == "approve":
            services.approve_swap(swap=swap, by=request.user, note=note)
            messages.success(request, _("Swap approved. Both colleagues get a notice."))
        elif action == "reject":
            services.reject_swap(swap=swap, by=request.user, note=note)
            messages.success(request, _("Swap rejected."))
        elif action == "withdraw":
            services.withdraw_swap(swap=swap, by=request.user, note=note)
            messages.success(request, _("Your offer is withdrawn."))
    except PermissionDenied:
        raise
    except ValidationError as error:
        return _detail(request, swap, errors=error.messages, status=400)
    except services.SwapNotAllowed as error:
        return _detail(request, swap, errors=[error.message], status=409)
    except services.SwapRefused as error:
        return _detail(request, swap, errors=[error.message], refused=error.violations, status=422)
    return redirect("scheduling:swap_detail", pk=swap.pk)


@login_required
@require_POST
def swap_take(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(request, pk, "take")


@login_required
@require_POST
def swap_approve(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(request, pk, "approve")


@login_required
@require_POST
def swap_reject(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(request, pk, "reject")


@login_required
@require_POST
def swap_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(request, pk, "withdraw")
