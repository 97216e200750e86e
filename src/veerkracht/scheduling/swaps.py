"""Shift swaps and giving shifts away: the services (writes) and the rule check per colleague.

The flow (docs/swaps.md)::

    offer_shift ──► open ──take_swap──► pending ──approve_swap──► approved (the shift moves)
                     │                    └──────reject_swap───► rejected
                     ├── withdraw_swap (the offerer, open or pending) ──► withdrawn
                     └── expire_swaps (the shift, or the shift given back, has started) ► expired

* An agent offers one of their own PUBLISHED shifts that has not started, to give away or to
  swap for one of the taker's shifts. A shift is in at most one open or pending swap.
* A colleague of the same organisation takes it. The rule checker runs for both employees (the
  taker with the shift added; for a swap also the offerer with the shift given back and without
  the offered one). Errors of the working-time law, a channel the taker is not trained for,
  overlapping shifts and working outside one's availability refuse the take (`SwapRefused`,
  with the reasons); other findings are stored for the team lead (`check_result`).
* The team lead of the offerer's team (or a planner) approves or rejects. Approval checks again
  (rosters change in the meantime), then moves the shift(s): `Shift.employee` changes and
  `source` becomes "swap"; both employees get a change notice (`shifts.record_change`).

Every step writes a `SwapEvent` (the history on the swap's page) and an audit row.

Publishing after a swap: swaps touch only published shifts. A roster run keeps published shifts
and adds draft shifts around them, and publishing turns drafts into published shifts without
replacing any published one, so a later publication never undoes a swap. A draft made by a run
that started before the swap was approved could overlap the taker's new shift: publishing checks
the whole period and refuses overlaps and law errors (roster_runs.publish_period).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from veerkracht.people import access, audit
from veerkracht.people.models import AuditAction, Employee, Role

from . import selectors_shifts as sel
from .availability import availability_windows
from .models_roster import (
    Shift,
    ShiftChangeKind,
    ShiftSource,
    ShiftState,
    SwapEvent,
    SwapKind,
    SwapRequest,
    SwapStatus,
)
from .roster_build import employee_key, shift_payload
from .shifts import (
    blocking_errors,
    check_employee_shifts,
    record_change,
    shift_snapshot,
    violation_json,
)

__all__ = [
    "ACTIVE",
    "Candidate",
    "SwapNotAllowed",
    "SwapRefused",
    "approve_swap",
    "candidates_for",
    "check_for",
    "expire_swaps",
    "offer_shift",
    "reject_swap",
    "take_swap",
    "withdraw_swap",
]

# Swaps that still hold their shift: a shift is in at most one of these.
ACTIVE = (SwapStatus.OPEN, SwapStatus.PENDING)
NOTE_MAX = 300
# How many colleagues the candidate list checks in full (the rule check is ~10 ms each).
MAX_CANDIDATES = 60


class SwapNotAllowed(Exception):
    """A step the swap's status (or the shift's) does not allow now (the API answers 409)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class SwapRefused(Exception):
    """The rule checker refuses the swap: `violations` are `violation_json` dicts with a
    `side` ("taker" or "offerer"); the API answers 422 with them."""

    def __init__(self, message: str, violations: list[dict[str, Any]]) -> None:
        super().__init__(message)
        self.message = message
        self.violations = violations


# --- Helpers ------------------------------------------------------------------------------------


def own_shift_message() -> str:
    return _("Choose one of your own published shifts that has not started.")


def own_return_shift(user: Any, pk: Any) -> Shift | None:
    """The shift a taker names to give back (None when they name none): one of their own shifts,
    else a ValidationError (for the page and the API alike)."""
    if not pk:
        return None
    shift = access.own_shifts_for(user).filter(pk=pk).first()
    if shift is None:
        raise ValidationError({"return_shift": own_shift_message()})
    return shift


def may_take(user: Any, me: Employee, swap: SwapRequest) -> bool:
    """Whether `me` may take this offer now (the page shows the form, the API `fits_me`)."""
    return (
        swap.status == SwapStatus.OPEN
        and me.pk != swap.offered_by_id
        and access.can_take_swaps(user)
    )


def _me(by: Any) -> Employee:
    me = access.employee_of(by)
    if me is None:
        raise PermissionDenied
    return me


def _note(note: str | None) -> str:
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise ValidationError(
            {"note": _("Keep the note under %(max)s characters.") % {"max": NOTE_MAX}}
        )
    return note


def _event(swap: SwapRequest, actor: Employee | None, action: str, note: str = "") -> SwapEvent:
    return SwapEvent.objects.create(
        swap=swap,
        at=timezone.now(),
        actor=actor,
        action=action,
        status_after=swap.status,
        note=note,
    )


def _audit(
    by: Any,
    swap: SwapRequest,
    summary: str,
    changes: dict[str, Any],
    *,
    action: str = AuditAction.UPDATE,
) -> None:
    audit.record(
        actor=by,
        action=action,
        obj=swap,
        subject=swap.offered_by,
        summary=f"shift swap {swap.pk}: {summary}",
        changes=changes,
    )


def _change_status(
    swap: SwapRequest,
    status: str,
    *,
    actor: Employee | None,
    by: Any,
    note: str = "",
    update_fields: list[str] | None = None,
) -> None:
    """Save the swap in `status` with its history step (named after the status) and audit row."""
    before = swap.status
    swap.status = status
    swap.save(update_fields=update_fields)
    _event(swap, actor, status, note)
    _audit(by, swap, status, {"status": [before, status]})


def _lock(swap: SwapRequest) -> SwapRequest:
    return (
        SwapRequest.objects.select_for_update(of=("self",))
        .select_related("shift", "return_shift", "offered_by", "taken_by")
        .get(pk=swap.pk)
    )


def _status_label(status: str) -> str:
    return str(SwapStatus(status).label)


def _require_status(swap: SwapRequest, *allowed: str) -> None:
    if swap.status not in allowed:
        raise SwapNotAllowed(
            _("This swap is %(status)s: that step is no longer possible.")
            % {"status": _status_label(swap.status)}
        )


def channel_names(codes: Iterable[str]) -> str:
    return ", ".join(sel.channel_label(c) for c in codes)


def _findings(
    employee: Employee,
    shift: Shift,
    *,
    exclude: Sequence[int],
    side: str,
    names: dict[str, Employee],
) -> list[dict[str, Any]]:
    """The rule check of `employee` with `shift` added, as `violation_json` dicts with the `side`
    and whether the finding refuses the swap (`blocking`): see `shifts.blocking_errors`, plus
    working outside one's availability (a colleague takes a shift when they are available)."""
    found = check_employee_shifts(employee, [shift_payload(shift)], exclude_ids=exclude)
    hard = {id(v) for v in blocking_errors(found)}
    result = []
    for v in found:
        data = violation_json(v, names)
        data["side"] = side
        data["blocking"] = id(v) in hard or (v.rule == "AVL-01" and v.severity == "error")
        result.append(data)
    return result


def check_swap(
    shift: Shift, offerer: Employee, taker: Employee, return_shift: Shift | None
) -> list[dict[str, Any]]:
    """The rule check of both employees as if the swap were done."""
    names = {employee_key(offerer): offerer, employee_key(taker): taker}
    result = _findings(
        taker,
        shift,
        exclude=[return_shift.pk] if return_shift else [],
        side="taker",
        names=names,
    )
    if return_shift is not None:
        result += _findings(offerer, return_shift, exclude=[shift.pk], side="offerer", names=names)
    return result


def _refuse_if_blocked(findings: list[dict[str, Any]]) -> None:
    blocked = [v for v in findings if v["blocking"]]
    if blocked:
        raise SwapRefused(_("The rule check does not allow this swap."), blocked)


def _check_shift_is_current(shift: Shift, owner: Employee) -> None:
    """The shift is still the owner's, published and not started (else the swap is stale)."""
    if shift.state != ShiftState.PUBLISHED or shift.employee_id != owner.pk:
        raise SwapNotAllowed(
            _("The shift of %(name)s has changed since the swap was made.")
            % {"name": owner.full_name}
        )
    if shift.start <= timezone.now():
        raise SwapNotAllowed(_("This shift has already started."))


def _active_swap_holding(shift: Shift) -> SwapRequest | None:
    return (
        SwapRequest.objects.filter(status__in=ACTIVE)
        .filter(Q(shift=shift) | Q(return_shift=shift))
        .first()
    )


# --- Services -----------------------------------------------------------------------------------


@transaction.atomic
def offer_shift(
    *, shift: Shift, by: Any, kind: str = SwapKind.GIVE_AWAY, note: str = ""
) -> SwapRequest:
    """Offer one of your own published future shifts to colleagues (give away or swap)."""
    me = _me(by)
    shift = Shift.objects.select_for_update().get(pk=shift.pk)
    if shift.employee_id != me.pk:
        raise PermissionDenied
    if kind not in SwapKind.values:
        raise ValidationError({"kind": _("Choose give away or swap.")})
    note = _note(note)
    if shift.state != ShiftState.PUBLISHED:
        raise ValidationError({"shift": _("Only published shifts can be offered.")})
    if shift.start <= timezone.now():
        raise ValidationError({"shift": _("This shift has already started.")})
    if _active_swap_holding(shift) is not None:
        raise SwapNotAllowed(_("This shift is already in an open swap."))
    swap = SwapRequest.objects.create(
        organisation_id=shift.organisation_id,
        shift=shift,
        offered_by=me,
        kind=kind,
        note=note,
        status=SwapStatus.OPEN,
    )
    _event(swap, me, "offered", note)
    _audit(
        by,
        swap,
        f"offered ({kind})",
        {"status": [None, SwapStatus.OPEN]},
        action=AuditAction.CREATE,
    )
    return swap


@transaction.atomic
def take_swap(*, swap: SwapRequest, by: Any, return_shift: Shift | None = None) -> SwapRequest:
    """A colleague takes an open offer (for a swap: giving `return_shift` back).

    Runs the rule check for both employees: blocking findings raise `SwapRefused` with the
    reasons and nothing is written; otherwise the swap waits for the team lead (pending)."""
    me = _me(by)
    swap = _lock(swap)
    if me.organisation_id != swap.organisation_id:
        raise PermissionDenied
    _require_status(swap, SwapStatus.OPEN)
    if me.pk == swap.offered_by_id:
        raise SwapNotAllowed(_("You cannot take your own shift."))
    if Role.AGENT not in me.role_set:
        raise PermissionDenied
    _check_shift_is_current(swap.shift, swap.offered_by)
    if swap.kind == SwapKind.SWAP:
        if return_shift is None:
            raise ValidationError(
                {"return_shift": _("Choose one of your shifts to give back in exchange.")}
            )
        return_shift = Shift.objects.select_for_update().get(pk=return_shift.pk)
        if (
            return_shift.employee_id != me.pk
            or return_shift.state != ShiftState.PUBLISHED
            or return_shift.start <= timezone.now()
        ):
            raise ValidationError({"return_shift": own_shift_message()})
        if _active_swap_holding(return_shift) is not None:
            raise ValidationError({"return_shift": _("That shift is already in an open swap.")})
    elif return_shift is not None:
        raise ValidationError(
            {"return_shift": _("This shift is given away: nothing is given back.")}
        )
    findings = check_swap(swap.shift, swap.offered_by, me, return_shift)
    _refuse_if_blocked(findings)
    swap.taken_by = me
    swap.return_shift = return_shift
    swap.status = SwapStatus.PENDING
    swap.check_result = findings
    swap.save()
    _event(swap, me, "taken")
    _audit(
        by,
        swap,
        "taken",
        {"status": [SwapStatus.OPEN, SwapStatus.PENDING], "taken_by": [None, me.pk]},
    )
    return swap


def _move(shift: Shift, *, source: Employee, target: Employee, by: Any) -> None:
    before = shift_snapshot(shift)
    shift.employee = target
    shift.source = ShiftSource.SWAP
    shift.save(update_fields=["employee", "source", "updated_at"])
    record_change(
        employee=source,
        shift=shift,
        kind=ShiftChangeKind.SWAPPED_AWAY,
        before=before,
        after=None,
        by=by,
    )
    record_change(
        employee=target,
        shift=shift,
        kind=ShiftChangeKind.SWAPPED_IN,
        before=None,
        after=before,
        by=by,
    )


def _lock_for_decision(swap: SwapRequest, by: Any, note: str) -> tuple[Employee, SwapRequest, str]:
    """The decider, the locked pending swap and the cleaned note (approve and reject)."""
    me = _me(by)
    swap = _lock(swap)
    if not access.can_decide_swap(by, swap):
        raise PermissionDenied
    _require_status(swap, SwapStatus.PENDING)
    return me, swap, _note(note)


def _decide(swap: SwapRequest, status: str, *, me: Employee, by: Any, note: str) -> None:
    swap.decided_by = me
    swap.decided_at = timezone.now()
    _change_status(swap, status, actor=me, by=by, note=note)


@transaction.atomic
def approve_swap(*, swap: SwapRequest, by: Any, note: str = "") -> SwapRequest:
    """The team lead (or a planner) approves: check again, then move the shift(s)."""
    me, swap, note = _lock_for_decision(swap, by, note)
    offerer, taker = swap.offered_by, swap.taken_by
    assert taker is not None
    _check_shift_is_current(swap.shift, offerer)
    if swap.return_shift is not None:
        _check_shift_is_current(swap.return_shift, taker)
    findings = check_swap(swap.shift, offerer, taker, swap.return_shift)
    _refuse_if_blocked(findings)
    _move(swap.shift, source=offerer, target=taker, by=by)
    if swap.return_shift is not None:
        _move(swap.return_shift, source=taker, target=offerer, by=by)
    swap.check_result = findings
    _decide(swap, SwapStatus.APPROVED, me=me, by=by, note=note)
    return swap


@transaction.atomic
def reject_swap(*, swap: SwapRequest, by: Any, note: str = "") -> SwapRequest:
    """The team lead (or a planner) rejects a pending swap; the note says why (required)."""
    me, swap, note = _lock_for_decision(swap, by, note)
    if not note:
        raise ValidationError({"note": _("Say why the swap is rejected.")})
    _decide(swap, SwapStatus.REJECTED, me=me, by=by, note=note)
    return swap


@transaction.atomic
def withdraw_swap(*, swap: SwapRequest, by: Any, note: str = "") -> SwapRequest:
    """The offerer withdraws an offer before the team lead approved it."""
    me = _me(by)
    swap = _lock(swap)
    if me.pk != swap.offered_by_id:
        raise PermissionDenied
    _require_status(swap, *ACTIVE)
    _change_status(swap, SwapStatus.WITHDRAWN, actor=me, by=by, note=_note(note))
    return swap


def expire_swaps(*, now: datetime | None = None) -> int:
    """Open and pending swaps whose shift (or shift given back) has started expire. Returns how
    many. Cheap when there is nothing to do (one indexed query); the swap pages call it."""
    now = now or timezone.now()
    due = list(
        SwapRequest.objects.filter(status__in=ACTIVE)
        .filter(Q(shift__start__lte=now) | Q(return_shift__start__lte=now))
        .values_list("pk", flat=True)
    )
    expired = 0
    for pk in due:
        with transaction.atomic():
            swap = SwapRequest.objects.select_for_update().get(pk=pk)
            if swap.status not in ACTIVE:
                continue
            _change_status(
                swap,
                SwapStatus.EXPIRED,
                actor=None,
                by=None,
                update_fields=["status", "updated_at"],
            )
            expired += 1
    return expired


# --- Who could take a shift ---------------------------------------------------------------------


@dataclass
class Candidate:
    """One colleague and whether the offered shift fits their roster (`reasons` if not)."""

    employee: Employee
    fits: bool
    reasons: list[str] = field(default_factory=list)
    findings: list[dict[str, Any]] = field(default_factory=list)


def _available(employee: Employee, shift: Shift) -> bool:
    start, end = shift.start, shift.end
    day = timezone.localtime(start).date()
    days = (timezone.localtime(end).date() - day).days + 1
    windows = sorted(availability_windows(employee, day, days))
    cursor = start
    for s, e in windows:
        if s <= cursor < e:
            cursor = e
        if cursor >= end:
            return True
    return cursor >= end


def check_for(swap: SwapRequest, employee: Employee) -> Candidate:
    """Does the offered shift fit `employee`'s roster? Skills first (cheap), then availability,
    then the full rule check with the shift added."""
    shift = swap.shift
    missing = [c for c in sel.channels_of(shift) if c not in (employee.channels or [])]
    if missing:
        return Candidate(
            employee,
            False,
            [_("not trained for %(channels)s") % {"channels": channel_names(missing)}],
        )
    if not _available(employee, shift):
        return Candidate(employee, False, [_("not available then (see their availability)")])
    names = {employee_key(employee): employee}
    findings = _findings(employee, shift, exclude=[], side="taker", names=names)
    blocked = [v for v in findings if v["blocking"]]
    return Candidate(employee, not blocked, [v["text"] for v in blocked], findings)


def colleagues_for(swap: SwapRequest) -> QuerySet[Employee]:
    """Active agents of the organisation other than the offerer, by name (`candidates_for` puts
    the closest first)."""
    return (
        Employee.objects.filter(
            organisation_id=swap.organisation_id, is_active=True, roles__role=Role.AGENT
        )
        .exclude(pk=swap.offered_by_id)
        .select_related("team")
        .distinct()
        .order_by("last_name", "first_name", "pk")
    )


def _closeness(offerer: Employee, employee: Employee) -> int:
    if offerer.team_id and employee.team_id == offerer.team_id:
        return 0
    site = offerer.team.site_id if offerer.team_id else None
    if site is not None and employee.team_id and employee.team.site_id == site:
        return 1
    return 2


def candidates_for(swap: SwapRequest, *, limit: int = MAX_CANDIDATES) -> list[Candidate]:
    """Colleagues who could take the offered shift and why others cannot, closest first."""
    offerer = swap.offered_by
    people = sorted(colleagues_for(swap), key=lambda e: _closeness(offerer, e))[:limit]
    result = [check_for(swap, e) for e in people]
    return sorted(result, key=lambda c: (not c.fits, _closeness(offerer, c.employee)))
