"""Weekly 1:1 check-ins between a team lead and an agent (issue 5).

A `CheckInSeries` is the recurring appointment (weekday, time, kind); each meeting is a
`CheckIn` with its agenda, shared notes, action items, the lead's private notes and the agent's
"how is work going this week" score. Writes go through `wellbeing/checkins.py`, reads through
`wellbeing/selectors_checkins.py`.
"""

from __future__ import annotations

from datetime import timedelta

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = [
    "ActionItem",
    "AgendaItem",
    "AgendaTemplate",
    "CheckIn",
    "CheckInKind",
    "CheckInSeries",
    "CheckInStatus",
    "NudgeSent",
    "Recurrence",
]


class CheckInKind(models.TextChoices):
    VIDEO = "video", _("Video call")
    PHONE = "phone", _("Phone")
    WALKING = "walking", _("Walking 1:1")
    ON_SITE = "on_site", _("On site")


class CheckInStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    HELD = "held", _("held")
    CANCELLED = "cancelled", _("cancelled")
    MISSED = "missed", _("missed")


class Recurrence(models.TextChoices):
    WEEKLY = "weekly", _("Every week")
    ONCE = "once", _("Once")


class AgendaTemplate(models.TextChoices):
    """The standing agenda of a 1:1; stored as a key so each reader sees it in their language."""

    HOW_ARE_YOU = "how_are_you", _("How are you?")
    WORKLOAD = "workload", _("Workload and schedule")
    HOME = "home", _("Home situation and workplace")
    DEVELOPMENT = "development", _("Development and training")
    RESULTS = "results", _("Results")


class CheckInSeries(models.Model):
    """A recurring 1:1: generates the next planned CheckIn (see checkins.ensure_next_in_series)."""

    lead = models.ForeignKey(
        "people.Employee",
        on_delete=models.CASCADE,
        related_name="led_checkin_series",
        verbose_name=_("team lead"),
    )
    agent = models.ForeignKey(
        "people.Employee",
        on_delete=models.CASCADE,
        related_name="checkin_series",
        verbose_name=_("employee"),
    )
    weekday = models.PositiveSmallIntegerField(
        _("weekday"), validators=[MaxValueValidator(6)], help_text=_("0 = Monday … 6 = Sunday")
    )
    time = models.TimeField(_("time"))
    kind = models.CharField(_("kind"), max_length=12, choices=CheckInKind.choices)
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=30)
    video_link = models.URLField(_("video link"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("1:1 series")
        verbose_name_plural = _("1:1 series")

    def __str__(self) -> str:
        return f"{self.lead} · {self.agent} ({self.get_weekday_display()} {self.time:%H:%M})"

    def get_weekday_display(self) -> str:
        from django.utils.dates import WEEKDAYS

        return str(WEEKDAYS[self.weekday])


class CheckIn(models.Model):
    series = models.ForeignKey(
        CheckInSeries,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="checkins",
        verbose_name=_("series"),
    )
    lead = models.ForeignKey(
        "people.Employee",
        on_delete=models.CASCADE,
        related_name="led_checkins",
        verbose_name=_("team lead"),
    )
    agent = models.ForeignKey(
        "people.Employee",
        on_delete=models.CASCADE,
        related_name="checkins",
        verbose_name=_("employee"),
    )
    kind = models.CharField(_("kind"), max_length=12, choices=CheckInKind.choices)
    video_link = models.URLField(_("video link"), blank=True)
    planned_start = models.DateTimeField(_("planned start"), db_index=True)
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"),
        default=30,
        validators=[MinValueValidator(5), MaxValueValidator(240)],
    )
    status = models.CharField(
        _("status"), max_length=12, choices=CheckInStatus.choices, default=CheckInStatus.PLANNED
    )
    shared_notes = models.TextField(_("shared notes"), blank=True)
    private_notes = models.TextField(_("private notes of the team lead"), blank=True)
    score = models.PositiveSmallIntegerField(
        _("how is work going this week (1–5)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    score_at = models.DateTimeField(_("score given at"), null=True, blank=True)
    held_at = models.DateTimeField(_("held at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-planned_start", "-pk"]
        verbose_name = _("1:1 check-in")
        verbose_name_plural = _("1:1 check-ins")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(score__isnull=True) | models.Q(score__gte=1, score__lte=5),
                name="checkin_score_1_to_5",
            )
        ]

    def __str__(self) -> str:
        return f"{self.lead} · {self.agent} {self.planned_start:%Y-%m-%d %H:%M}"

    @property
    def planned_end(self):  # type: ignore[no-untyped-def]
        return self.planned_start + timedelta(minutes=self.duration_minutes)


class AgendaItem(models.Model):
    checkin = models.ForeignKey(CheckIn, on_delete=models.CASCADE, related_name="agenda_items")
    template_key = models.CharField(
        _("standing item"), max_length=20, choices=AgendaTemplate.choices, blank=True
    )
    text = models.CharField(_("agenda item"), max_length=300, blank=True)
    added_by = models.ForeignKey(
        "people.Employee",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("added by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return str(self.get_template_key_display()) if self.template_key else self.text


class ActionItem(models.Model):
    checkin = models.ForeignKey(CheckIn, on_delete=models.CASCADE, related_name="action_items")
    text = models.CharField(_("action"), max_length=300)
    owner = models.ForeignKey(
        "people.Employee",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owner"),
    )
    done = models.BooleanField(_("done"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["done", "pk"]
        verbose_name = _("action item")
        verbose_name_plural = _("action items")

    def __str__(self) -> str:
        return self.text


class NudgeSent(models.Model):
    """One reminder e-mail per lead per day: the row makes `reminders` idempotent."""

    lead = models.ForeignKey(
        "people.Employee", on_delete=models.CASCADE, related_name="+", verbose_name=_("team lead")
    )
    day = models.DateField(_("day"))
    agents = models.JSONField(_("employees not spoken"), default=list)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("1:1 reminder sent")
        verbose_name_plural = _("1:1 reminders sent")
        constraints = [
            models.UniqueConstraint(fields=["lead", "day"], name="nudge_once_per_lead_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.lead} {self.day}"
