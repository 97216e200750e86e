"""Shift pages: the agent's own shifts (phone first) with the calendar feed and change notices,
the team roster per ISO week, and the private ICS feed itself.

Thin views: reads start from people/access.py (shaped by selectors_shifts.py), writes go through
feeds.py. Every form posts; the pages work without JavaScript (the copy button is an extra).
"""

from __future__ import annotations

import hashlib
from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from veerkracht.people import access

from . import feeds, shifts
from . import selectors_shifts as sel

WEEKS_SHOWN = 4


def _feed_context(me: Any, new_token: str | None = None) -> dict[str, Any]:
    feed = feeds.active_feed(me)
    return {
        "feed": feed,
        "new_feed_url": feeds.feed_url(new_token) if new_token else None,
        "new_feed_webcal": feeds.webcal_url(new_token) if new_token else None,
    }


@login_required
def my_shifts(request: HttpRequest) -> HttpResponse:
    """GET: today's shift, the coming weeks, unseen notices (marked seen now) and the feed.
    POST action=create_feed: a new feed URL, shown in this one response only (no redirect, no
    session, no cache). POST action=revoke_feed: stop the feed."""
    me = access.require_employee(request.user)
    new_token = None
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "create_feed":
            _feed, new_token = feeds.create_feed(employee=me, by=request.user, request=request)
            messages.success(
                request,
                _("Your calendar link is ready. Copy it now: it is shown only this once."),
            )
        elif action == "revoke_feed":
            feed = feeds.active_feed(me)
            if feed is not None and feeds.revoke_feed(feed=feed, by=request.user, request=request):
                messages.success(request, _("Calendar link revoked; it no longer works."))
            else:
                messages.info(request, _("You have no calendar link to revoke."))
            return redirect(reverse("scheduling:my_shifts") + "#calendar")
        else:
            status = 400
            messages.error(request, _("Unknown action: create or revoke the calendar link."))
    now = timezone.now()
    today = timezone.localdate(now)
    today_views = sel.today_shifts(me, now=now)
    first = sel.monday_of(today)
    last = first + timedelta(weeks=WEEKS_SHOWN) - timedelta(days=1)
    weeks = sel.weeks_of(me, sel.published_shifts(me, first, last), first=first, weeks=WEEKS_SHOWN)
    for view in [*today_views, *(s for w in weeks for s in w.shifts)]:
        if view.end > now:
            view.swap_url = reverse("scheduling:swap_offer", kwargs={"pk": view.shift.pk})
    notices = feeds.unseen_changes(me)
    notice_rows = [
        {"change": c, "text": shifts.change_text(c), "by": sel.by_name(c)} for c in notices
    ]
    if request.method == "GET" and notices:
        feeds.mark_changes_seen(employee=me, ids=[c.pk for c in notices])
    response = render(
        request,
        "scheduling/my_shifts.html",
        {
            "today": today,
            "today_shifts": today_views,
            "weeks": weeks,
            "notices": notice_rows,
            "contract_minutes": sel.contract_minutes(me),
            **_feed_context(me, new_token),
        },
        status=status,
    )
    if new_token:
        response["Cache-Control"] = "no-store"
    return response


@login_required
def team_roster(request: HttpRequest) -> HttpResponse:
    """The published roster of one team for one ISO week (?team=<id>&week=2026-W44)."""
    me = access.require_employee(request.user)
    teams = list(access.roster_teams_for(request.user))
    if not teams:
        raise PermissionDenied
    team_param = request.GET.get("team", "")
    if team_param:
        team = access.get_roster_team_for(request.user, team_param)
    else:
        team = next((t for t in teams if t.pk == me.team_id), teams[0])
    today = timezone.localdate()
    error = None
    monday = sel.monday_of(today)
    week_param = request.GET.get("week", "")
    if week_param:
        try:
            monday = sel.parse_iso_week(week_param)
        except ValueError:
            error = _("Week: “%(value)s” is not a week like %(example)s.") % {
                "value": week_param[:20],
                "example": sel.iso_week_label(today),
            }
    with_channels = access.can_see_roster_channels(request.user, team)
    members = access.roster_members_for(request.user, team)
    days, rows = sel.team_week(team, members, monday, with_channels=with_channels)
    # The same week per day, for phones (the grid is too wide for 390 px).
    by_day: list[dict[str, Any]] = []
    for n, day in enumerate(days):
        entries = [
            {"employee": row.employee, **entry} for row in rows for entry in row.cells[n].entries
        ]
        entries.sort(key=lambda e: str(e["time"]))
        by_day.append({"day": day, "entries": entries})
    return render(
        request,
        "scheduling/team_roster.html",
        {
            "teams": teams,
            "team": team,
            "monday": monday,
            "week": sel.iso_week_label(monday),
            "week_number": monday.isocalendar().week,
            "previous_week": sel.iso_week_label(monday - timedelta(weeks=1)),
            "next_week": sel.iso_week_label(monday + timedelta(weeks=1)),
            "this_week": sel.iso_week_label(today),
            "days": days,
            "today": today,
            "rows": rows,
            "by_day": by_day,
            "with_channels": with_channels,
            "letters": [
                (letter, sel.channel_label(code)) for code, letter in sel.CHANNEL_LETTERS.items()
            ],
            "error": error,
        },
        status=400 if error else 200,
    )


@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The private ICS feed (no login: the token is the key). 404 for unknown or revoked tokens.

    Calendars poll this: an ETag lets them ask "changed?" for the price of a 304, and the
    response may be cached by the client only (`private`)."""
    feed = feeds.feed_for_token(token)
    if feed is None:
        raise Http404
    body = feeds.shifts_ics(feed.employee)
    # The DTSTAMP changes with every request; the ETag is of the content without it.
    stable = b"\n".join(line for line in body.splitlines() if not line.startswith(b"DTSTAMP"))
    etag = '"' + hashlib.sha256(stable).hexdigest()[:32] + '"'
    headers = {
        "Cache-Control": "private, max-age=900",
        "ETag": etag,
        "X-Robots-Tag": "noindex",
        "Referrer-Policy": "no-referrer",
    }
    if etag in [t.strip() for t in request.headers.get("If-None-Match", "").split(",")]:
        response = HttpResponse(status=304)
    else:
        response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = 'inline; filename="shifts.ics"'
    for key, value in headers.items():
        response[key] = value
    return response
