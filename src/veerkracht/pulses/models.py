"""Pulse surveys: the question bank, survey rounds (pulses), their schedules, anonymous answers,
participation (kept apart from the answers) and requests for a conversation.

Anonymity by design (docs/pulses.md):

- `Answer` holds no reference to a person and no time: only the pulse, the question, the value or
  comment and the team and site needed to slice results. Its primary key is a random UUID and the
  rows of one submission are inserted in a shuffled order, so neither ids nor order tie answers
  to each other or to a `Participation` row.
- `Participation` (pulse, employee) exists only to refuse a second submission and to remind those
  who have not answered; it holds no answers and no time.
- Health items (energy, exhaustion, stress, sleep) are never stored: the personal wellbeing check
  keeps them in the agent's own browser. The bank lists them so the page can show them, and a
  health item can never be placed in a pulse (`PulseQuestion.save`, `services.create_pulse`).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from veerkracht.people.models import Employee, Organisation, Site, Team


class Category(models.TextChoices):
    CONNECTION = "connection", _("Connection with the team")
    WORK_LIFE_BALANCE = "work_life_balance", _("Work–life balance")
    LEAD_SUPPORT = "lead_support", _("Support from the team lead")
    WORKLOAD = "workload", _("Workload")
    AUTONOMY = "autonomy", _("Autonomy")
    GROWTH = "growth", _("Growth")
    ENPS = "enps", _("eNPS")
    OPEN = "open", _("Open question")
    HEALTH = "health", _("Personal wellbeing (health; never shown to the employer)")


class Scale(models.TextChoices):
    AGREE_5 = "agree_5", _("1–5 (strongly disagree – strongly agree)")
    ZERO_TEN = "zero_ten", _("0–10")
    TEXT = "text", _("Open text")


SCALE_RANGE: dict[str, tuple[int, int]] = {Scale.AGREE_5: (1, 5), Scale.ZERO_TEN: (0, 10)}


class Audience(models.TextChoices):
    TEAM = "team", _("Team")
    SITE = "site", _("Site")


class Cadence(models.TextChoices):
    WEEKLY = "weekly", _("Weekly")
    BIWEEKLY = "biweekly", _("Every two weeks")
    MONTHLY = "monthly", _("Monthly")


class PulseStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class Question(models.Model):
    """A question of the bank (organisation empty) or one a manager added for their organisation."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="pulse_questions",
        help_text=_("Empty for the standard question bank."),
    )
    key = models.SlugField(_("key"), max_length=60, blank=True)
    category = models.CharField(_("category"), max_length=30, choices=Category.choices)
    scale = models.CharField(_("scale"), max_length=20, choices=Scale.choices)
    text_en = models.CharField(_("question (English)"), max_length=300)
    text_nl = models.CharField(_("question (Dutch)"), max_length=300)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("added by"),
    )
    is_active = models.BooleanField(_("active"), default=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("pulse question")
        verbose_name_plural = _("pulse questions")
        constraints = [
            models.UniqueConstraint(
                fields=["key"],
                condition=models.Q(organisation__isnull=True) & ~models.Q(key=""),
                name="pulse_question_bank_key_unique",
            ),
            # Managers' own questions can never be health items (domain/privacy.md).
            models.CheckConstraint(
                condition=models.Q(organisation__isnull=True) | ~models.Q(category="health"),
                name="pulse_question_own_not_health",
            ),
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def text(self) -> str:
        return self.text_nl if (get_language() or "nl").startswith("nl") else self.text_en

    @property
    def is_health(self) -> bool:
        return self.category == Category.HEALTH

    @property
    def value_range(self) -> tuple[int, int] | None:
        return SCALE_RANGE.get(self.scale)

    def clean(self) -> None:
        if self.organisation_id is not None and self.is_health:
            raise ValidationError(
                {
                    "category": _(
                        "Questions about health (energy, exhaustion, stress, sleep) cannot be "
                        "added: the employer may not see them, not even in total."
                    )
                }
            )
        if self.category == Category.ENPS and self.scale != Scale.ZERO_TEN:
            raise ValidationError({"scale": _("An eNPS question uses the 0–10 scale.")})
        if self.category == Category.OPEN and self.scale != Scale.TEXT:
            raise ValidationError({"scale": _("An open question uses open text.")})


class PulseSchedule(models.Model):
    """A recurring pulse for a team or a site; `veerkracht pulses` opens the next round when due."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    audience = models.CharField(_("audience"), max_length=10, choices=Audience.choices)
    team = models.ForeignKey(
        Team, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    site = models.ForeignKey(
        Site, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    cadence = models.CharField(_("cadence"), max_length=10, choices=Cadence.choices)
    questions = models.ManyToManyField(Question, related_name="+")
    open_days = models.PositiveSmallIntegerField(_("days open"), default=5)
    next_open_on = models.DateField(_("next round opens on"))
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )

    class Meta:
        verbose_name = _("pulse schedule")
        verbose_name_plural = _("pulse schedules")

    def __str__(self) -> str:
        return f"{self.get_cadence_display()} ({self.audience})"


class Pulse(models.Model):
    """One survey round for a team or a whole site."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="pulses")
    title = models.CharField(_("title"), max_length=200)
    audience = models.CharField(_("audience"), max_length=10, choices=Audience.choices)
    team = models.ForeignKey(
        Team, on_delete=models.CASCADE, null=True, blank=True, related_name="pulses"
    )
    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="pulses")
    questions = models.ManyToManyField(Question, through="PulseQuestion", related_name="pulses")
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    status = models.CharField(
        _("status"), max_length=10, choices=PulseStatus.choices, default=PulseStatus.OPEN
    )
    # People invited per team when the round opened ({"<team id>": n, "": n without team}),
    # for the response rate; counts only, no names.
    invited = models.JSONField(default=dict, blank=True)
    schedule = models.ForeignKey(
        PulseSchedule, on_delete=models.SET_NULL, null=True, blank=True, related_name="rounds"
    )
    reminder_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )

    class Meta:
        ordering = ["-opens_at", "-pk"]
        verbose_name = _("pulse")
        verbose_name_plural = _("pulses")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(audience="site", team__isnull=True)
                | models.Q(audience="team", team__isnull=False),
                name="pulse_audience_matches_team",
            ),
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")),
                name="pulse_closes_after_opening",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def is_open(self, now: object = None) -> bool:
        now = now or timezone.now()
        return self.status == PulseStatus.OPEN and self.opens_at <= now < self.closes_at  # type: ignore[operator]

    @property
    def audience_label(self) -> str:
        return self.team.name if self.team_id else self.site.name  # type: ignore[union-attr]


class PulseQuestion(models.Model):
    pulse = models.ForeignKey(Pulse, on_delete=models.CASCADE, related_name="items")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["pulse", "question"], name="pulse_question_unique")
        ]

    def __str__(self) -> str:
        return f"{self.pulse_id}/{self.question_id}"

    def save(self, *args: object, **kwargs: object) -> None:
        # A guard, not business logic: whatever the caller (service, admin, shell), a health item
        # must never end up in a pulse the employer sees the results of (domain/privacy.md).
        if Question.objects.filter(pk=self.question_id, category=Category.HEALTH).exists():
            raise ValidationError(
                _("A health question can never be part of a pulse the employer sees.")
            )
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class Participation(models.Model):
    """That someone answered a pulse: only to refuse a second submission and to send reminders.

    No answers and no time are stored here; nothing joins it to `Answer`."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    pulse = models.ForeignKey(Pulse, on_delete=models.CASCADE, related_name="participations")
    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="+")
    team = models.ForeignKey(
        Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        constraints = [
            models.UniqueConstraint(fields=["pulse", "employee"], name="participation_once")
        ]

    def __str__(self) -> str:
        return f"participation {self.pk}"


class Answer(models.Model):
    """One answer to one question. Deliberately unlinkable: no person, no time, a random id."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    pulse = models.ForeignKey(Pulse, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    team = models.ForeignKey(
        Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    site = models.ForeignKey(
        Site, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    value = models.SmallIntegerField(null=True, blank=True)
    text = models.TextField(blank=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")

    def __str__(self) -> str:
        return f"answer {self.pk}"


class ConversationWith(models.TextChoices):
    TEAM_LEAD = "team_lead", _("My team lead")
    COMPANY_DOCTOR = "company_doctor", _("The company doctor")


class ConversationRequest(models.Model):
    """'I would like to talk': who, with whom, when. Never any answer or score."""

    employee = models.ForeignKey(
        Employee,
        on_delete=models.CASCADE,
        related_name="conversation_requests",
        verbose_name=_("asked by"),
    )
    with_whom = models.CharField(
        _("conversation with"), max_length=20, choices=ConversationWith.choices
    )
    recipient = models.ForeignKey(
        Employee,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="received_conversation_requests",
        verbose_name=_("sent to"),
    )
    created_at = models.DateTimeField(_("asked on"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("conversation request")
        verbose_name_plural = _("conversation requests")

    def __str__(self) -> str:
        return f"{self.employee} → {self.get_with_whom_display()}"
