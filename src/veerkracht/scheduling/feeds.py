"""Private calendar feeds of an employee's published shifts, and the shift-change notices.

A feed URL carries a random token; only its SHA-256 and the last four characters (so the person
recognises it) are stored. Making a new feed revokes the old one; a revoked or unknown token is a
404. The ICS holds published shifts from 30 days back to 90 days ahead, with times in
Europe/Amsterdam (TZID plus a VTIMEZONE), which Google, Apple and Outlook all accept.

Notices (ShiftChange rows) are written and e-mailed by `shifts.record_change`; here they are
read and marked seen. `veerkracht shift_notices` e-mails what a crash left unsent.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from veerkracht.people import audit
from veerkracht.people.models import AuditAction, Employee

from . import selectors_shifts as sel
from .models_roster import CalendarFeed, Shift, ShiftChange, ShiftState

FEED_DAYS_BACK = 30
FEED_DAYS_AHEAD = 90
# last_used_at is written at most this often, so a calendar polling every minute costs no writes.
LAST_USED_EVERY = timedelta(minutes=10)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def feed_url(token: str) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("calendar_feed", kwargs={"token": token})


def webcal_url(token: str) -> str:
    """The feed URL with the webcal scheme, which opens the calendar app to subscribe."""
    return "webcal://" + feed_url(token).split("://", 1)[1]


def active_feed(employee: Employee) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(employee=employee, revoked_at__isnull=True).first()


@transaction.atomic
def create_feed(
    *, employee: Employee, by: Any = None, request: Any = None
) -> tuple[CalendarFeed, str]:
    """A new feed for the employee; earlier feeds stop working. Returns the feed and the token,
    which is not stored and cannot be shown again."""
    now = timezone.now()
    revoked = CalendarFeed.objects.filter(employee=employee, revoked_at__isnull=True).update(
        revoked_at=now
    )
    token = secrets.token_urlsafe(32)
    feed = CalendarFeed.objects.create(
        employee=employee, token_hash=_hash(token), token_hint=token[-4:]
    )
    audit.record(
        actor=by,
        action=AuditAction.CREATE,
        obj=feed,
        subject=employee,
        summary=f"calendar feed created (…{feed.token_hint}); {revoked} earlier feed(s) revoked",
        request=request,
    )
    return feed, token


@transaction.atomic
def revoke_feed(*, feed: CalendarFeed, by: Any = None, request: Any = None) -> bool:
    """Stop a feed at once. False when it was already revoked."""
    changed = CalendarFeed.objects.filter(pk=feed.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    if changed:
        feed.refresh_from_db(fields=["revoked_at"])
        audit.record(
            actor=by,
            action=AuditAction.DELETE,
            obj=feed,
            subject=feed.employee,
            summary=f"calendar feed revoked (…{feed.token_hint})",
            request=request,
        )
    return bool(changed)


def feed_for_token(token: str, *, now: datetime | None = None) -> CalendarFeed | None:
    """The active feed of a token, or None. The lookup is by hash (a database index on a digest
    of the secret, so its timing tells nothing about the token); the digest is compared again in
    constant time."""
    if not token or len(token) > 200:
        return None
    digest = _hash(token)
    feed = (
        CalendarFeed.objects.select_related("employee", "employee__organisation")
        .filter(token_hash=digest, revoked_at__isnull=True, employee__is_active=True)
        .first()
    )
    if feed is None or not secrets.compare_digest(feed.token_hash, digest):
        return None
    now = now or timezone.now()
    if feed.last_used_at is None or now - feed.last_used_at >= LAST_USED_EVERY:
        CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=now)
        feed.last_used_at = now
    return feed


def _uid_domain() -> str:
    return (
        getattr(settings, "ICS_UID_DOMAIN", "")
        or urlsplit(settings.SITE_URL).hostname
        or "veerkracht"
    )


def shift_summary(shift: Shift) -> str:
    """ "Dienst: telefoon/e-mail" in the active language."""
    labels = [sel.channel_label(c).lower() for c in sel.channels_of(shift)]
    if not labels:
        return _("Shift")
    return _("Shift: %(channels)s") % {"channels": "/".join(labels)}


def shift_description(shift: Shift) -> str:
    lines = []
    breaks = sel.breaks_of(shift)
    if breaks:
        lines.append(_("Break: %(times)s") % {"times": ", ".join(b.text for b in breaks)})
    else:
        lines.append(_("No break"))
    blocks = sel.channel_blocks(shift)
    if blocks:
        lines.append(_("Channels:"))
        lines.extend(f"{b.text} {b.label}" for b in blocks)
    if shift.why:
        lines.append("")
        lines.append(_("Why this shift: %(why)s") % {"why": shift.why})
    return "\n".join(lines)


def feed_shifts(employee: Employee, *, now: datetime | None = None) -> list[Shift]:
    now = now or timezone.now()
    return list(
        Shift.objects.filter(
            employee=employee,
            state=ShiftState.PUBLISHED,
            end__gte=now - timedelta(days=FEED_DAYS_BACK),
            start__lte=now + timedelta(days=FEED_DAYS_AHEAD),
        ).order_by("start")
    )


def shifts_ics(employee: Employee, *, now: datetime | None = None) -> bytes:
    """The employee's published shifts as an iCalendar (RFC 5545) document."""
    from icalendar import Calendar, Event

    now = now or timezone.now()
    shifts = feed_shifts(employee, now=now)
    domain = _uid_domain()
    with translation.override(employee.language or settings.LANGUAGE_CODE):
        calendar_name = _("Shifts %(name)s") % {"name": employee.full_name}
        cal = Calendar()
        cal.add("prodid", "-//Veerkracht//Shifts//EN")
        cal.add("version", "2.0")
        cal.add("calscale", "GREGORIAN")
        cal.add("method", "PUBLISH")
        cal.add("x-wr-calname", calendar_name)
        cal.add("x-wr-timezone", "Europe/Amsterdam")
        # Ask calendars to look again every hour (Google decides for itself).
        cal.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
        cal.add("x-published-ttl", "PT1H")
        for shift in shifts:
            event = Event()
            event.add("uid", f"shift-{shift.pk}@{domain}")
            event.add("dtstamp", now)
            event.add("dtstart", sel.local(shift.start))
            event.add("dtend", sel.local(shift.end))
            event.add("summary", shift_summary(shift))
            event.add("description", shift_description(shift))
            event.add("last-modified", shift.updated_at)
            # Seconds since publication: grows with every change, so calendars take the update.
            base = shift.published_at or shift.created_at
            event.add("sequence", max(0, int((shift.updated_at - base).total_seconds())))
            event.add("transp", "OPAQUE")
            cal.add_component(event)
    first = (now - timedelta(days=FEED_DAYS_BACK + 1)).date()
    last = (now + timedelta(days=FEED_DAYS_AHEAD + 2)).date()
    cal.add_missing_timezones(first_date=first, last_date=last)
    data: bytes = cal.to_ical()
    return data


# --- Change notices ------------------------------------------------------------------------------


def unseen_changes(employee: Employee) -> list[ShiftChange]:
    return list(
        ShiftChange.objects.filter(employee=employee, seen_at__isnull=True)
        .select_related("by", "by__employee")
        .order_by("-at", "-pk")
    )


def mark_changes_seen(*, employee: Employee, ids: list[int] | None = None) -> int:
    """Mark the employee's notices as seen (those in `ids`, or all). Returns how many."""
    qs = ShiftChange.objects.filter(employee=employee, seen_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    return qs.update(seen_at=timezone.now())
