"""Writes of the pulse app: questions, pulses and schedules, answers, conversation requests.

Every function is keyword-only and atomic, validates before it saves, and is shared by the
pages, the API, the `veerkracht pulses` command and the demo.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from veerkracht.people import audit
from veerkracht.people.governance import require_module
from veerkracht.people.models import AuditAction, Employee, Module, Organisation, Role, Site, Team

from .bank import DEFAULT_KEYS, ensure_bank
from .models import (
    Answer,
    Audience,
    Cadence,
    Category,
    ConversationRequest,
    ConversationWith,
    Participation,
    Pulse,
    PulseQuestion,
    PulseSchedule,
    PulseStatus,
    Question,
    Scale,
)

MAX_COMMENT = 2000
_shuffle = random.SystemRandom().shuffle


class AlreadyAnswered(Exception):
    """This person already answered this pulse (API: 409)."""


class PulseClosed(Exception):
    """The pulse is not open for answers (API: 409)."""


# --- Questions -----------------------------------------------------------------------------------


@transaction.atomic
def add_question(
    *,
    organisation: Organisation,
    category: str,
    scale: str,
    text_en: str,
    text_nl: str,
    by: Any,
) -> Question:
    """A manager's own question. Never a health item (also a database constraint)."""
    question = Question(
        organisation=organisation,
        category=category,
        scale=scale,
        text_en=text_en.strip(),
        text_nl=text_nl.strip(),
        created_by=by if getattr(by, "is_authenticated", False) else None,
        position=1000,
    )
    question.full_clean(exclude=["created_by", "key"])
    question.save()
    audit.record(
        actor=by,
        action=AuditAction.CREATE,
        obj=question,
        summary=f"pulse question added ({category})",
    )
    return question


def bank_for(organisation: Organisation) -> list[Question]:
    """Questions a pulse may use: the standard bank and the organisation's own, never health."""
    ensure_bank()
    from django.db.models import Q

    return list(
        Question.objects.filter(Q(organisation__isnull=True) | Q(organisation=organisation))
        .filter(is_active=True)
        .exclude(category=Category.HEALTH)
    )


def default_questions() -> list[Question]:
    ensure_bank()
    by_key = {q.key: q for q in Question.objects.filter(organisation=None, key__in=DEFAULT_KEYS)}
    return [by_key[k] for k in DEFAULT_KEYS if k in by_key]


def health_questions() -> list[Question]:
    ensure_bank()
    return list(Question.objects.filter(organisation=None, category=Category.HEALTH))


# --- Pulses --------------------------------------------------------------------------------------


def _audience_members(*, team: Team | None, site: Site) -> Any:
    qs = Employee.objects.filter(is_active=True, roles__role=Role.AGENT).distinct()
    if team is not None:
        return qs.filter(team=team)
    return qs.filter(team__site=site)


def _validate_questions(
    organisation: Organisation, questions: Iterable[Question]
) -> list[Question]:
    questions = list(questions)
    errors = []
    if not questions:
        errors.append(_("Choose at least one question."))
    for q in questions:
        if q.is_health:
            errors.append(
                _(
                    "“%(question)s” is about health. Health questions are only for the personal "
                    "wellbeing check and can never be part of a pulse the employer sees."
                )
                % {"question": q.text}
            )
        elif q.organisation_id not in (None, organisation.pk):
            errors.append(_("Unknown question."))
    if errors:
        raise ValidationError({"questions": errors})
    return questions


@transaction.atomic
def create_pulse(
    *,
    organisation: Organisation,
    title: str,
    team: Team | None = None,
    site: Site | None = None,
    questions: Iterable[Question] | None = None,
    opens_at: datetime,
    closes_at: datetime,
    by: Any = None,
    schedule: PulseSchedule | None = None,
) -> Pulse:
    """Open a survey round for one team or one whole site."""
    require_module(organisation, Module.PULSE_SURVEYS)
    questions = _validate_questions(
        organisation, default_questions() if questions is None else questions
    )
    if (team is None) == (site is None):
        raise ValidationError({"audience": _("Choose a team or a site.")})
    if site is None:
        site = team.site  # type: ignore[union-attr]
    if site.organisation_id != organisation.pk:
        raise ValidationError({"audience": _("Choose a team or a site.")})
    if closes_at <= opens_at:
        raise ValidationError({"closes_at": _("The pulse must close after it opens.")})
    members = _audience_members(team=team, site=site)
    invited = Counter(str(t or "") for t in members.values_list("team_id", flat=True))
    pulse = Pulse.objects.create(
        organisation=organisation,
        title=title.strip() or _("Pulse"),
        audience=Audience.TEAM if team else Audience.SITE,
        team=team,
        site=site,
        opens_at=opens_at,
        closes_at=closes_at,
        invited=dict(invited),
        schedule=schedule,
        created_by=by if getattr(by, "is_authenticated", False) else None,
    )
    for position, question in enumerate(questions):
        PulseQuestion.objects.create(pulse=pulse, question=question, position=position)
    audit.record(actor=by, action=AuditAction.CREATE, obj=pulse, summary=f"pulse opened: {title}")
    return pulse


@transaction.atomic
def create_schedule(
    *,
    organisation: Organisation,
    cadence: str,
    first_open_on: date,
    team: Team | None = None,
    site: Site | None = None,
    questions: Iterable[Question] | None = None,
    open_days: int = 5,
    by: Any = None,
) -> PulseSchedule:
    questions = _validate_questions(
        organisation, default_questions() if questions is None else questions
    )
    if cadence not in Cadence.values:
        raise ValidationError({"cadence": _("Choose a cadence.")})
    if (team is None) == (site is None):
        raise ValidationError({"audience": _("Choose a team or a site.")})
    schedule = PulseSchedule.objects.create(
        organisation=organisation,
        audience=Audience.TEAM if team else Audience.SITE,
        team=team,
        site=site,
        cadence=cadence,
        open_days=max(1, min(open_days, 28)),
        next_open_on=first_open_on,
        created_by=by if getattr(by, "is_authenticated", False) else None,
    )
    schedule.questions.set(questions)
    return schedule


def _next_date(day: date, cadence: str) -> date:
    if cadence == Cadence.WEEKLY:
        return day + timedelta(days=7)
    if cadence == Cadence.BIWEEKLY:
        return day + timedelta(days=14)
    month = day.month % 12 + 1
    year = day.year + (day.month == 12)
    for d in (day.day, 28):
        try:
            return day.replace(year=year, month=month, day=d)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def open_due_rounds(*, today: date | None = None) -> list[Pulse]:
    """Open the round of every active schedule that is due (catching up one round per call)."""
    today = today or timezone.localdate()
    opened = []
    for schedule in PulseSchedule.objects.filter(is_active=True, next_open_on__lte=today):
        with transaction.atomic():
            locked = PulseSchedule.objects.select_for_update().get(pk=schedule.pk)
            if locked.next_open_on > today:
                continue
            tz = timezone.get_current_timezone()
            opens = timezone.make_aware(datetime.combine(locked.next_open_on, time(6)), tz)
            closes = opens + timedelta(days=locked.open_days)
            name = locked.team.name if locked.team else locked.site.name  # type: ignore[union-attr]
            opened.append(
                create_pulse(
                    organisation=locked.organisation,
                    title=_("Pulse %(audience)s, week %(week)s")
                    % {"audience": name, "week": locked.next_open_on.isocalendar().week},
                    team=locked.team,
                    site=None if locked.team else locked.site,
                    questions=list(locked.questions.all()),
                    opens_at=opens,
                    closes_at=closes,
                    schedule=locked,
                )
            )
            locked.next_open_on = _next_date(locked.next_open_on, locked.cadence)
            locked.save(update_fields=["next_open_on"])
    return opened


def close_expired_pulses(*, now: datetime | None = None) -> int:
    """Mark every open pulse whose closing time passed as closed (one atomic update)."""
    now = now or timezone.now()
    return Pulse.objects.filter(status=PulseStatus.OPEN, closes_at__lte=now).update(
        status=PulseStatus.CLOSED
    )


@transaction.atomic
def close_pulse(*, pulse: Pulse, by: Any) -> Pulse:
    pulse.status = PulseStatus.CLOSED
    pulse.save(update_fields=["status"])
    audit.record(actor=by, action=AuditAction.UPDATE, obj=pulse, summary="pulse closed")
    return pulse


REMIND_BEFORE = timedelta(hours=24)


def send_reminders(*, now: datetime | None = None) -> int:
    """E-mail everyone asked who has not answered yet, once per pulse, a day before it closes.

    Uses only `Participation` (who answered), never the answers. Each pulse is claimed with an
    atomic update first, so two workers never remind twice. Returns the number of e-mails."""
    from django.core.mail import send_mass_mail
    from django.utils import translation

    now = now or timezone.now()
    due = Pulse.objects.filter(
        status=PulseStatus.OPEN,
        reminder_sent_at__isnull=True,
        opens_at__lte=now,
        closes_at__gt=now,
        closes_at__lte=now + REMIND_BEFORE,
    )
    messages = []
    for pulse in due.select_related("team", "site"):
        claimed = Pulse.objects.filter(pk=pulse.pk, reminder_sent_at__isnull=True).update(
            reminder_sent_at=now
        )
        if not claimed:
            continue
        answered = Participation.objects.filter(pulse=pulse).values("employee_id")
        people = _audience_members(team=pulse.team, site=pulse.site).exclude(pk__in=answered)
        for person in people:
            with translation.override(person.language):
                messages.append(
                    (
                        _("Reminder: %(title)s") % {"title": pulse.title},
                        _(
                            "The pulse “%(title)s” closes soon. It takes about two minutes and "
                            "is anonymous: your answers are stored without your name."
                        )
                        % {"title": pulse.title},
                        None,
                        [person.email],
                    )
                )
    return send_mass_mail(messages, fail_silently=False) if messages else 0


# --- Answers -------------------------------------------------------------------------------------


def may_answer(employee: Employee, pulse: Pulse) -> bool:
    if employee.organisation_id != pulse.organisation_id or employee.team_id is None:
        return False
    if pulse.team_id is not None:
        return employee.team_id == pulse.team_id
    return employee.team.site_id == pulse.site_id  # type: ignore[union-attr]


def _as_int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value.strip())
    return None


def clean_answers(pulse: Pulse, raw: Mapping[int, Any]) -> list[tuple[Question, int | None, str]]:
    """Check a submission against the pulse's questions and scales; a ValidationError per question."""
    questions = list(pulse.questions.all())
    known = {q.pk for q in questions}
    errors: dict[str, list[str]] = {}
    unknown = [str(k) for k in raw if k not in known]
    if unknown:
        errors["answers"] = [_("Unknown question: %(ids)s.") % {"ids": ", ".join(unknown)}]
    cleaned = []
    for q in questions:
        value = raw.get(q.pk)
        field = f"q{q.pk}"
        if q.scale == Scale.TEXT:
            text = "" if value is None else str(value).strip()
            if len(text) > MAX_COMMENT:
                errors[field] = [
                    _("Keep it under %(n)d characters.") % {"n": MAX_COMMENT},
                ]
            cleaned.append((q, None, text))
            continue
        low, high = q.value_range  # type: ignore[misc]
        if value is None or value == "":
            errors[field] = [_("Choose an answer.")]
            continue
        number = _as_int(value)
        if number is None or not low <= number <= high:
            errors[field] = [
                _("Choose an answer from %(low)d to %(high)d.") % {"low": low, "high": high}
            ]
            continue
        cleaned.append((q, number, ""))
    if errors:
        raise ValidationError(errors)
    return cleaned


def submit_answers(
    *, pulse: Pulse, employee: Employee, answers: Mapping[int, Any], now: datetime | None = None
) -> int:
    """Store one person's answers, unlinkable to them. Returns the number of answers stored.

    Raises PermissionDenied (not in the audience), PulseClosed, AlreadyAnswered or
    ValidationError (answers outside the scale, unknown questions)."""
    if not may_answer(employee, pulse):
        raise PermissionDenied
    if not pulse.is_open(now):
        raise PulseClosed(_("This pulse is closed; it takes no more answers."))
    cleaned = clean_answers(pulse, answers)
    try:
        with transaction.atomic():
            store_submission(pulse=pulse, employee=employee, cleaned=cleaned)
    except IntegrityError:
        raise AlreadyAnswered(_("You already answered this pulse. Thank you!")) from None
    return len([c for c in cleaned if c[1] is not None or c[2]])


def store_submission(
    *, pulse: Pulse, employee: Employee, cleaned: list[tuple[Question, int | None, str]]
) -> None:
    if Participation.objects.filter(pulse=pulse, employee=employee).exists():
        raise IntegrityError("already answered")
    Participation.objects.create(pulse=pulse, employee=employee, team_id=employee.team_id)
    site_id = employee.team.site_id if employee.team_id else None  # type: ignore[union-attr]
    rows = [
        Answer(
            pulse=pulse,
            question=q,
            team_id=employee.team_id,
            site_id=site_id,
            value=value,
            text=text,
        )
        for q, value, text in cleaned
        if value is not None or text
    ]
    # Random ids and a shuffled insert order: neither reveals which rows came together.
    _shuffle(rows)
    Answer.objects.bulk_create(rows)


def has_answered(employee: Employee, pulse: Pulse) -> bool:
    return Participation.objects.filter(pulse=pulse, employee=employee).exists()


# --- Conversation requests ---------------------------------------------------------------------


@transaction.atomic
def request_conversation(*, employee: Employee, with_whom: str, by: Any) -> ConversationRequest:
    """Ask the team lead or the company doctor for a conversation. Carries no answers or scores."""
    if with_whom not in ConversationWith.values:
        raise ValidationError({"with_whom": _("Choose your team lead or the company doctor.")})
    recipient = None
    if with_whom == ConversationWith.TEAM_LEAD:
        recipient = employee.team.leads.filter(is_active=True).first() if employee.team_id else None  # type: ignore[union-attr]
        if recipient is None:
            raise ValidationError(
                {"with_whom": _("You have no team lead yet; ask the company doctor instead.")}
            )
    request = ConversationRequest.objects.create(
        employee=employee, with_whom=with_whom, recipient=recipient
    )
    audit.record(
        actor=by,
        action=AuditAction.CREATE,
        obj=request,
        subject=employee,
        summary=f"conversation requested with {with_whom}",
    )
    return request
