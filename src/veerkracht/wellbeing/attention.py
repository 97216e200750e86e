"""The attention list: who in a lead's teams needs attention this week, and why.

Reasons come from a registry of providers, so other modules add theirs without touching this
file: a provider takes the lead's team members, the day and the viewing user and returns
{employee_id: [reason, ...]}. Built in: not spoken for N days, a falling "how is work going"
score, upcoming work anniversaries, opted-in birthdays; the home-workplace module
(`veerkracht.wellbeing.home.attention_reasons`) adds its own when installed. Absence (the insights
issue) plugs in with `register_reason_provider`. Nothing from anonymous pulses is ever used.
Flags inform the lead; they decide nothing by themselves (privacy.md: no automated decisions).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from statistics import mean
from typing import Any

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from veerkracht.people.models import Employee

from . import selectors_checkins as selectors

Provider = Callable[[list[Employee], date, Any], dict[int, list[str]]]
_PROVIDERS: dict[str, Provider] = {}

UPCOMING_DAYS = 14
LOW_SCORE = 2
RECENT_SCORE_DAYS = 28


def register_reason_provider(key: str) -> Callable[[Provider], Provider]:
    """Add a source of reasons (e.g. `register_reason_provider("absence")(absence_reasons)`)."""

    def decorate(provider: Provider) -> Provider:
        _PROVIDERS[key] = provider
        return provider

    return decorate


def providers() -> dict[str, Provider]:
    return dict(_PROVIDERS)


@dataclass
class Attention:
    employee: Employee
    reasons: list[str] = field(default_factory=list)


def attention_for(user: Any, *, today: date | None = None) -> list[Attention]:
    """The members of the user's teams with at least one reason, most reasons first."""
    today = today or timezone.localdate()
    members = list(selectors.team_members_for(user))
    found: dict[int, Attention] = {m.pk: Attention(m) for m in members}
    for provider in _PROVIDERS.values():
        for employee_id, reasons in provider(members, today, user).items():
            if employee_id in found:
                found[employee_id].reasons.extend(str(r) for r in reasons)
    listed = [a for a in found.values() if a.reasons]
    return sorted(listed, key=lambda a: (-len(a.reasons), a.employee.last_name, a.employee.pk))


def _next_date(day: date, today: date) -> date:
    """The next occurrence of `day`'s month and day on or after today (29 Feb → 1 Mar)."""
    for year in (today.year, today.year + 1):
        try:
            candidate = day.replace(year=year)
        except ValueError:
            candidate = date(year, 3, 1)
        if candidate >= today:
            return candidate
    return candidate


def _day(value: date) -> str:
    return formats.date_format(value, "j M Y")


@register_reason_provider("not_spoken")
def not_spoken_reasons(members: list[Employee], today: date, viewer: Any) -> dict[int, list[str]]:
    days = selectors.nudge_days()
    cutoff = today - timedelta(days=days)
    spoken = selectors.last_spoken([m.pk for m in members])
    result: dict[int, list[str]] = {}
    for member in members:
        last = spoken.get(member.pk)
        last_day = timezone.localtime(last).date() if last else None
        if last_day is not None and last_day > cutoff:
            continue
        if last_day is None:
            if member.employment_start > cutoff:
                continue
            result[member.pk] = [_("No 1:1 held yet.")]
        else:
            n = (today - last_day).days
            result[member.pk] = [
                ngettext(
                    "Not spoken for %(days)d day (last 1:1 on %(date)s).",
                    "Not spoken for %(days)d days (last 1:1 on %(date)s).",
                    n,
                )
                % {"days": n, "date": _day(last_day)}
            ]
    return result


@register_reason_provider("score")
def score_reasons(members: list[Employee], today: date, viewer: Any) -> dict[int, list[str]]:
    """A recent score of 2 or lower, or the last two scores both at least 1 below the agent's
    earlier average."""
    result: dict[int, list[str]] = {}
    recent = today - timedelta(days=RECENT_SCORE_DAYS)
    for member in members:
        scored = selectors.scores_of(member)
        if not scored:
            continue
        latest = scored[-1]
        if timezone.localtime(latest.planned_start).date() < recent:
            continue
        scores = [c.score for c in scored]
        if latest.score is not None and latest.score <= LOW_SCORE:
            result.setdefault(member.pk, []).append(
                _("Scored %(score)d out of 5 for how work is going (%(date)s).")
                % {
                    "score": latest.score,
                    "date": _day(timezone.localtime(latest.planned_start).date()),
                }
            )
        elif len(scores) >= 3:
            earlier = mean(scores[:-2])
            if all(s <= earlier - 1 for s in scores[-2:]):  # type: ignore[operator]
                result.setdefault(member.pk, []).append(
                    _(
                        "How work is going is falling: %(last)s, against %(average)s on average before."
                    )
                    % {
                        "last": " → ".join(str(s) for s in scores[-2:]),
                        "average": formats.number_format(round(earlier, 1), 1),
                    }
                )
    return result


@register_reason_provider("anniversary")
def anniversary_reasons(members: list[Employee], today: date, viewer: Any) -> dict[int, list[str]]:
    result: dict[int, list[str]] = {}
    for member in members:
        when = _next_date(member.employment_start, today)
        years = when.year - member.employment_start.year
        if years >= 1 and (when - today).days <= UPCOMING_DAYS:
            result[member.pk] = [
                ngettext(
                    "%(years)d year with us on %(date)s.",
                    "%(years)d years with us on %(date)s.",
                    years,
                )
                % {"years": years, "date": _day(when)}
            ]
    return result


@register_reason_provider("birthday")
def birthday_reasons(members: list[Employee], today: date, viewer: Any) -> dict[int, list[str]]:
    """Only for people who opted in to celebrating their birthday (access.can_see_birthday)."""
    result: dict[int, list[str]] = {}
    for member in members:
        if not member.celebrate_birthday or member.birthday is None:
            continue
        when = _next_date(member.birthday, today)
        if (when - today).days <= UPCOMING_DAYS:
            result[member.pk] = [_("Birthday on %(date)s.") % {"date": _day(when)}]
    return result


@register_reason_provider("home")
def home_reasons(members: list[Employee], today: date, viewer: Any) -> dict[int, list[str]]:
    """Living alone without team contact this week, open home-workplace problems (when the
    home-workplace module is installed)."""
    try:
        from veerkracht.wellbeing.home import attention_reasons
    except ImportError:
        return {}
    return attention_reasons(members, viewer=viewer)
