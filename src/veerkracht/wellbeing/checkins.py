"""Writes to 1:1 check-ins. Every function is keyword-only, atomic, validates before saving and
writes an audit event. Callers (views, API, the reminders command) load objects in scope first
through selectors_checkins.py; these functions check the role of `by` again.

Audit events name the fields that changed, never the text of notes: the audit log is read by
admins, who may not read 1:1 notes.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from veerkracht.people import access, audit
from veerkracht.people.models import AuditAction, Employee, Role

from . import selectors_checkins as selectors
from .models_checkins import (
    ActionItem,
    AgendaItem,
    AgendaTemplate,
    CheckIn,
    CheckInKind,
    CheckInSeries,
    CheckInStatus,
    NudgeSent,
    Recurrence,
)

# --- The health-word guard ----------------------------------------------------------------------
# A nudge, not a filter (docs/one-on-ones.md): it stops the obvious cases of health information in
# 1:1 notes (domain/privacy.md), in Dutch and English. It cannot catch everything and is no
# substitute for the warning next to every note field.
HEALTH_WORDS = (
    r"ziek\w*",
    r"diagnos\w*",
    r"burn-?out\w*",
    r"overspannen\w*",
    r"depressi\w*",
    r"depressed",
    r"medicati\w*",
    r"medicijn\w*",
    r"medication\w*",
    r"medicine\w*",
    r"therapie\w*",
    r"therapeut\w*",
    r"therap(?:y|ist)\w*",
    r"symptom\w*",
    r"symptoom\w*",
    r"sick\w*",
    r"illness\w*",
    r"huisarts\w*",
    r"psycholo\w*",
    r"psychiat\w*",
    r"anxiety",
    r"angststoornis\w*",
)
_HEALTH_RE = re.compile(r"\b(?:" + "|".join(HEALTH_WORDS) + r")\b", re.IGNORECASE)


def health_words_in(text: str) -> list[str]:
    return [m.group(0) for m in _HEALTH_RE.finditer(text or "")]


def check_no_health_words(text: str, *, field: str) -> None:
    found = health_words_in(text)
    if found:
        message = _(
            "Do not record health information in 1:1 notes (found: %(words)s). "
            "Write what was agreed about work instead; health matters belong with the "
            "company doctor."
        ) % {"words": ", ".join(sorted({w.lower() for w in found}))}
        raise ValidationError({field: ValidationError(message, code="health_information")})


# --- Helpers --------------------------------------------------------------------------------------

WORKDAY_START = time(9, 0)
WORKDAY_END = time(17, 0)
SLOT_MINUTES = 30


def _lead_of(by: Any) -> Employee:
    me = access.employee_of(by)
    if me is None or Role.TEAM_LEAD not in me.role_set:
        raise PermissionDenied
    return me


def _check_member(by: Any, agent: Employee) -> None:
    if not selectors.team_members_for(by).filter(pk=agent.pk).exists():
        raise PermissionDenied


def _check_participant(by: Any, checkin: CheckIn) -> str:
    """'lead' or 'agent': how `by` takes part in this 1:1; PermissionDenied otherwise."""
    if selectors.viewer_is_agent(by, checkin):
        return "agent"
    if selectors.viewer_is_lead(by, checkin):
        return "lead"
    raise PermissionDenied


def _aware(value: datetime) -> datetime:
    if timezone.is_naive(value):
        return timezone.make_aware(value)
    return value


def _local(day: date, at: time) -> datetime:
    return datetime.combine(day, at, tzinfo=timezone.get_current_timezone())


def _validate(checkin: CheckIn) -> None:
    errors: dict[str, str] = {}
    if checkin.kind not in CheckInKind.values:
        errors["kind"] = _("Choose video call, phone, walking 1:1 or on site.")
    if checkin.kind == CheckInKind.VIDEO and not checkin.video_link:
        errors["video_link"] = _("A video call needs a link.")
    if not 5 <= checkin.duration_minutes <= 240:
        errors["duration_minutes"] = _("A 1:1 lasts 5 to 240 minutes.")
    if errors:
        raise ValidationError(errors)
    checkin.full_clean(exclude=["series", "lead", "agent"])


def _add_template_agenda(checkin: CheckIn) -> None:
    AgendaItem.objects.bulk_create(
        [AgendaItem(checkin=checkin, template_key=key) for key in AgendaTemplate.values]
    )


# --- Planning ------------------------------------------------------------------------------------


@transaction.atomic
def plan_checkin(
    *,
    by: Any,
    agent: Employee,
    start: datetime,
    kind: str,
    duration_minutes: int = 30,
    video_link: str = "",
    recurrence: str = Recurrence.WEEKLY,
) -> CheckIn:
    """Plan a 1:1 with a member of the lead's team; `weekly` also starts a series that plans the
    next one each time one is held, cancelled or missed (replacing an earlier series)."""
    lead = _lead_of(by)
    _check_member(by, agent)
    if recurrence not in Recurrence.values:
        raise ValidationError({"recurrence": _("Choose weekly or once.")})
    start = _aware(start)
    checkin = CheckIn(
        lead=lead,
        agent=agent,
        kind=kind,
        video_link=(video_link or "").strip(),
        planned_start=start,
        duration_minutes=duration_minutes,
    )
    _validate(checkin)
    if recurrence == Recurrence.WEEKLY:
        CheckInSeries.objects.filter(agent=agent, is_active=True).update(is_active=False)
        local = timezone.localtime(start)
        checkin.series = CheckInSeries.objects.create(
            lead=lead,
            agent=agent,
            weekday=local.weekday(),
            time=local.time().replace(second=0, microsecond=0),
            kind=checkin.kind,
            duration_minutes=checkin.duration_minutes,
            video_link=checkin.video_link,
        )
    checkin.save()
    _add_template_agenda(checkin)
    audit.record(
        actor=by,
        action=AuditAction.CREATE,
        obj=checkin,
        subject=agent,
        summary=f"1:1 {checkin.pk} planned",
        changes={"planned_start": checkin.planned_start.isoformat(), "recurrence": recurrence},
    )
    return checkin


def ensure_next_in_series(series: CheckInSeries, *, now: datetime | None = None) -> CheckIn | None:
    """Plan the next 1:1 of an active series when none is planned ahead; returns it (or None)."""
    now = now or timezone.now()
    if not series.is_active:
        return None
    checkins = series.checkins.all()
    if checkins.filter(status=CheckInStatus.PLANNED, planned_start__gt=now).exists():
        return None
    latest = checkins.order_by("-planned_start").values_list("planned_start", flat=True).first()
    after = max(now, latest) if latest else now
    day = timezone.localtime(after).date()
    candidate = _local(day + timedelta(days=(series.weekday - day.weekday()) % 7), series.time)
    if candidate <= after:
        candidate = _local(candidate.date() + timedelta(days=7), series.time)
    checkin = CheckIn.objects.create(
        series=series,
        lead=series.lead,
        agent=series.agent,
        kind=series.kind,
        video_link=series.video_link,
        planned_start=candidate,
        duration_minutes=series.duration_minutes,
    )
    _add_template_agenda(checkin)
    audit.record(
        actor=None,
        action=AuditAction.CREATE,
        obj=checkin,
        subject=series.agent,
        summary=f"1:1 {checkin.pk} planned from series {series.pk}",
    )
    return checkin


def next_free_slot(
    *, lead: Employee, agent: Employee, now: datetime | None = None
) -> datetime | None:
    """The first half hour today or tomorrow, in working hours (09:00–17:00), in which neither
    the lead nor the agent has a planned 1:1."""
    now = now or timezone.now()
    local_now = timezone.localtime(now)
    busy = list(
        CheckIn.objects.filter(
            Q(lead=lead) | Q(agent=agent),
            status=CheckInStatus.PLANNED,
            planned_start__gte=now - timedelta(hours=4),
            planned_start__lt=now + timedelta(days=2),
        )
    )
    for offset in (0, 1):
        day = local_now.date() + timedelta(days=offset)
        slot = _local(day, WORKDAY_START)
        while slot.time() < WORKDAY_END:
            end = slot + timedelta(minutes=SLOT_MINUTES)
            if slot >= now and not any(
                c.planned_start < end and slot < c.planned_end for c in busy
            ):
                return slot
            slot = end
    return None


@transaction.atomic
def quick_plan(*, by: Any, agent: Employee, now: datetime | None = None) -> CheckIn | None:
    """One-click planning from the week board: a single 1:1 at the next free slot, in the kind
    (and with the video link) of the pair's series or last 1:1, else by phone. None when today
    and tomorrow are full."""
    lead = _lead_of(by)
    _check_member(by, agent)
    slot = next_free_slot(lead=lead, agent=agent, now=now)
    if slot is None:
        return None
    previous = (
        CheckInSeries.objects.filter(agent=agent, is_active=True).order_by("-pk").first()
        or CheckIn.objects.filter(agent=agent).order_by("-planned_start").first()
    )
    kind, link = CheckInKind.PHONE, ""
    if previous is not None and (previous.kind != CheckInKind.VIDEO or previous.video_link):
        kind, link = previous.kind, previous.video_link
    return plan_checkin(
        by=by, agent=agent, start=slot, kind=kind, video_link=link, recurrence=Recurrence.ONCE
    )


# --- During and after ----------------------------------------------------------------------------


@transaction.atomic
def add_agenda_item(*, checkin: CheckIn, by: Any, text: str) -> AgendaItem:
    _check_participant(by, checkin)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("This field is required.")})
    if len(text) > 300:
        raise ValidationError({"text": _("Keep an agenda item under 300 characters.")})
    if checkin.status == CheckInStatus.CANCELLED:
        raise ValidationError(_("This 1:1 was cancelled."))
    check_no_health_words(text, field="text")
    item = AgendaItem.objects.create(checkin=checkin, text=text, added_by=access.employee_of(by))
    audit.record(
        actor=by,
        action=AuditAction.CREATE,
        obj=item,
        subject=checkin.agent,
        summary=f"agenda item added to 1:1 {checkin.pk}",
    )
    return item


@transaction.atomic
def update_notes(
    *,
    checkin: CheckIn,
    by: Any,
    shared_notes: str | None = None,
    private_notes: str | None = None,
) -> CheckIn:
    """Shared notes: lead and agent. Private notes: the lead only."""
    role = _check_participant(by, checkin)
    changed = []
    if shared_notes is not None:
        check_no_health_words(shared_notes, field="shared_notes")
        checkin.shared_notes = shared_notes.strip()
        changed.append("shared_notes")
    if private_notes is not None:
        if role != "lead":
            raise PermissionDenied
        check_no_health_words(private_notes, field="private_notes")
        checkin.private_notes = private_notes.strip()
        changed.append("private_notes")
    if changed:
        checkin.save(update_fields=[*changed, "updated_at"])
        audit.record(
            actor=by,
            action=AuditAction.UPDATE,
            obj=checkin,
            subject=checkin.agent,
            summary=f"notes of 1:1 {checkin.pk} changed",
            changes={"fields": changed},
        )
    return checkin


@transaction.atomic
def add_action_item(
    *, checkin: CheckIn, by: Any, text: str, owner: Employee | None = None
) -> ActionItem:
    _check_participant(by, checkin)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("This field is required.")})
    if len(text) > 300:
        raise ValidationError({"text": _("Keep an action under 300 characters.")})
    if owner is not None and owner.pk not in (checkin.lead_id, checkin.agent_id):
        raise ValidationError({"owner": _("The owner is the team lead or the employee.")})
    check_no_health_words(text, field="text")
    item = ActionItem.objects.create(checkin=checkin, text=text, owner=owner)
    audit.record(
        actor=by,
        action=AuditAction.CREATE,
        obj=item,
        subject=checkin.agent,
        summary=f"action item added to 1:1 {checkin.pk}",
    )
    return item


@transaction.atomic
def set_action_done(*, item: ActionItem, by: Any, done: bool) -> ActionItem:
    _check_participant(by, item.checkin)
    item.done = bool(done)
    item.save(update_fields=["done"])
    audit.record(
        actor=by,
        action=AuditAction.UPDATE,
        obj=item,
        subject=item.checkin.agent,
        summary=f"action item {item.pk} {'done' if done else 'reopened'}",
        changes={"done": item.done},
    )
    return item


@transaction.atomic
def set_score(*, checkin: CheckIn, by: Any, score: int) -> CheckIn:
    """The agent's "how is work going this week", 1 (badly) to 5 (very well)."""
    if _check_participant(by, checkin) != "agent":
        raise PermissionDenied
    if isinstance(score, bool) or not isinstance(score, int) or not 1 <= score <= 5:
        raise ValidationError({"score": _("Choose a score from 1 to 5.")})
    if checkin.status == CheckInStatus.CANCELLED:
        raise ValidationError(_("This 1:1 was cancelled."))
    checkin.score = score
    checkin.score_at = timezone.now()
    checkin.save(update_fields=["score", "score_at", "updated_at"])
    audit.record(
        actor=by,
        action=AuditAction.UPDATE,
        obj=checkin,
        subject=checkin.agent,
        summary=f"score of 1:1 {checkin.pk} given",
        changes={"fields": ["score"]},
    )
    return checkin


@transaction.atomic
def set_status(*, checkin: CheckIn, by: Any, status: str) -> CheckIn:
    """The lead marks a 1:1 held, cancelled or missed (or planned again). For a weekly series the
    next 1:1 is planned as soon as this one is no longer planned."""
    if _check_participant(by, checkin) != "lead":
        raise PermissionDenied
    if status not in CheckInStatus.values:
        raise ValidationError({"status": _("Choose planned, held, cancelled or missed.")})
    before = checkin.status
    checkin.status = status
    checkin.held_at = timezone.now() if status == CheckInStatus.HELD else None
    checkin.save(update_fields=["status", "held_at", "updated_at"])
    audit.record(
        actor=by,
        action=AuditAction.UPDATE,
        obj=checkin,
        subject=checkin.agent,
        summary=f"1:1 {checkin.pk} {status}",
        changes={"status": [before, status]},
    )
    if status != CheckInStatus.PLANNED and checkin.series_id:
        ensure_next_in_series(checkin.series)  # type: ignore[arg-type]
    return checkin


# --- Reminders -----------------------------------------------------------------------------------


def send_nudges(*, now: datetime | None = None, days: int | None = None) -> list[NudgeSent]:
    """E-mail each team lead once a day the members of their teams not spoken for `days` days
    (settings.CHECKIN_NUDGE_DAYS, default 7). Idempotent per lead per day (NudgeSent)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    days = selectors.nudge_days() if days is None else days
    leads = (
        Employee.objects.filter(is_active=True, roles__role=Role.TEAM_LEAD, user__isnull=False)
        .filter(led_teams__isnull=False)
        .select_related("user")
        .distinct()
        .order_by("pk")
    )
    sent = []
    for lead in leads:
        if NudgeSent.objects.filter(lead=lead, day=today).exists():
            continue
        missing = selectors.not_spoken_for(lead.user, days=days, now=now)
        if not missing:
            continue
        try:
            with transaction.atomic():
                row = NudgeSent.objects.create(
                    lead=lead, day=today, agents=[e.pk for e, _last in missing]
                )
                _mail_lead(lead, missing, days)
        except IntegrityError:  # another worker sent it in the meantime
            continue
        sent.append(row)
    return sent


def _mail_lead(lead: Employee, missing: list[tuple[Employee, datetime | None]], days: int) -> None:
    from django.urls import reverse

    with translation.override(lead.language):
        context = {
            "lead": lead,
            "missing": [
                {"name": e.full_name, "last": timezone.localtime(last) if last else None}
                for e, last in missing
            ],
            "days": days,
            "board_path": reverse("wellbeing:week_board"),
        }
        subject = _("1:1 reminder: %(count)d people not spoken for %(days)d days") % {
            "count": len(missing),
            "days": days,
        }
        body = render_to_string("wellbeing/checkin_reminder_email.txt", context)
    send_mail(subject, body, None, [lead.email])


# --- Retention -----------------------------------------------------------------------------------

RETENTION_DAYS = 365


@transaction.atomic
def purge_expired(*, now: datetime | None = None) -> int:
    """Remove 1:1s (with agenda and actions) and reminder rows older than a year
    (privacy.CHECKIN_RETENTION). Planned 1:1s are kept. Returns the number of 1:1s removed."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=RETENTION_DAYS)
    old = CheckIn.objects.filter(planned_start__lt=cutoff).exclude(status=CheckInStatus.PLANNED)
    count = old.count()
    if count:
        old.delete()
        audit.record(
            actor=None,
            action=AuditAction.DELETE,
            object_type="wellbeing.CheckIn",
            summary=f"{count} 1:1s older than {RETENTION_DAYS} days removed",
        )
    NudgeSent.objects.filter(day__lt=cutoff.date()).delete()
    return count
