"""Planning data of an organisation: service targets, contact history, history uploads, forecasts.

The numbers are computed by the pure core in `veerkracht.planning`; these rows only store its
inputs and results. Planning data belongs to the organisation (not to a person), so it is scoped
by organisation; who may see it is decided by `people.access` (Capability.VIEW_PLANNING).
"""

from __future__ import annotations

from datetime import time
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from veerkracht.config.jobs import JobRow
from veerkracht.people.models import Channel, Organisation

MAX_HORIZON_DAYS = 84  # the planning core's limit (12 weeks)

# Channels whose work waits in a backlog (answered within hours) instead of a live queue.
DEFERRED_CHANNELS = frozenset({Channel.EMAIL.value, Channel.SOCIAL.value})


class ServiceTarget(models.Model):
    """How one channel of an organisation is to be served, and the figures to staff it with."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="service_targets"
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    sl_target = models.FloatField(
        _("service level target"),
        default=0.8,
        validators=[MinValueValidator(0.0), MaxValueValidator(1.0)],
        help_text=_("Share of contacts answered within the target time, e.g. 0.80 for 80%."),
    )
    target_s = models.PositiveIntegerField(
        _("target time (seconds)"),
        default=20,
        help_text=_("Live channels: answered within this many seconds (the T of “80% in 20 s”)."),
    )
    aht_s = models.PositiveIntegerField(
        _("average handling time (seconds)"),
        default=300,
        validators=[MinValueValidator(1)],
        help_text=_("Talk, hold and after-call work per contact."),
    )
    patience_s = models.PositiveIntegerField(
        _("average patience (seconds)"),
        null=True,
        blank=True,
        help_text=_(
            "Optional: how long customers wait on average before hanging up. Given, staffing uses Erlang A (with abandonment); empty, Erlang C."
        ),
    )
    max_occupancy = models.FloatField(
        _("maximum occupancy"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0.01), MaxValueValidator(1.0)],
        help_text=_("Optional: at most this share of agents' time busy with contacts, e.g. 0.85."),
    )
    shrinkage = models.FloatField(
        _("shrinkage"),
        default=0.30,
        validators=[MinValueValidator(0.0), MaxValueValidator(0.95)],
        help_text=_(
            "Share of paid time not available for contacts (breaks, training, meetings, leave, sickness)."
        ),
    )
    concurrency = models.PositiveSmallIntegerField(
        _("concurrent contacts per agent"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text=_("Chat: how many conversations an agent handles at once (usually 2–3)."),
    )
    concurrency_slowdown = models.FloatField(
        _("slowdown per extra concurrent contact"),
        default=0.0,
        validators=[MinValueValidator(0.0), MaxValueValidator(2.0)],
        help_text=_(
            "Chat: each extra conversation makes every conversation this much longer, e.g. 0.15 for 15%."
        ),
    )
    response_time_h = models.FloatField(
        _("response time (hours)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0.25), MaxValueValidator(24 * 14)],
        help_text=_("E-mail and social media: answered within this many hours."),
    )
    response_share = models.FloatField(
        _("share answered within the response time"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0.0), MaxValueValidator(1.0)],
        help_text=_("E-mail and social media, e.g. 0.95 for 95%."),
    )
    # When the back office works on the backlog of a deferred channel (arrivals come day and night).
    handling_from = models.TimeField(_("work on the backlog from"), default=time(8, 0))
    handling_until = models.TimeField(_("until"), default=time(20, 0))
    handling_days = models.JSONField(
        _("on days"),
        default=list,
        blank=True,
        help_text=_("Weekdays, Monday = 0 … Sunday = 6."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["organisation", "channel"]
        verbose_name = _("service target")
        verbose_name_plural = _("service targets")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "channel"], name="service_target_unique_channel"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} · {self.get_channel_display()}"

    @property
    def is_deferred(self) -> bool:
        return self.channel in DEFERRED_CHANNELS


class ContactVolume(models.Model):
    """Contacts offered on one channel in one 15-minute interval. Absent intervals were closed."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    start = models.DateTimeField(_("interval start"))
    contacts = models.FloatField(
        _("contacts")
    )  # finer or coarser files are spread, so fractions occur
    aht_s = models.FloatField(_("average handling time (seconds)"), null=True, blank=True)

    class Meta:
        ordering = ["organisation", "channel", "start"]
        verbose_name = _("contact volume")
        verbose_name_plural = _("contact volumes")
        constraints = [
            # Also the index for every read: one organisation, one channel, a range of starts.
            models.UniqueConstraint(
                fields=["organisation", "channel", "start"], name="contact_volume_unique_interval"
            ),
        ]
        indexes = [models.Index(fields=["organisation", "start"], name="contact_volume_org_start")]

    def __str__(self) -> str:
        return f"{self.channel} {self.start:%Y-%m-%d %H:%M} {self.contacts:g}"


class HistoryUploadStatus(models.TextChoices):
    PENDING = "pending", _("waiting for confirmation")
    IMPORTED = "imported", _("imported")
    CANCELLED = "cancelled", _("cancelled")


class HistoryUpload(models.Model):
    """One uploaded history file: checked (pending), then imported or cancelled.

    While pending, `parsed` holds the checked intervals (compressed NumPy arrays), so the
    confirmation stores exactly what the preview showed without reading the file again, on any
    web server. It is emptied once the upload is imported or cancelled.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    imported_at = models.DateTimeField(_("imported at"), null=True, blank=True)
    filename = models.CharField(_("file name"), max_length=255, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=HistoryUploadStatus.choices,
        default=HistoryUploadStatus.PENDING,
    )
    rows = models.PositiveIntegerField(_("rows"), default=0)
    channels = models.JSONField(_("channels"), default=list, blank=True)
    first_start = models.DateTimeField(_("first interval"), null=True, blank=True)
    last_start = models.DateTimeField(_("last interval"), null=True, blank=True)
    counts = models.JSONField(_("per channel"), default=dict, blank=True)
    parsed = models.BinaryField(default=b"", blank=True, editable=False)

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        verbose_name = _("history upload")
        verbose_name_plural = _("history uploads")

    def __str__(self) -> str:
        return f"{self.filename or '—'} ({self.get_status_display()})"


class Forecast(JobRow):
    """A forecast run: queued, computed by a worker (tasks.run_forecast), result stored at the end.

    `result` (written only when the job finishes) holds, per channel, compact arrays:
    `start` (UTC epoch seconds of the open 15-minute intervals), `contacts`, `lower`, `upper`,
    `unadjusted`; and `daily` totals per local day. See services.forecast_result_json.
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="forecasts"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    horizon_days = models.PositiveSmallIntegerField(
        _("horizon (days)"),
        default=28,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_HORIZON_DAYS)],
    )
    channels = models.JSONField(_("channels"), default=list)
    adjustments = models.JSONField(
        _("event factors"),
        default=list,
        blank=True,
        help_text=_(
            'A list of {"channel": "phone" or "all", "start": date, "end": date or null, "factor": 4.0, "label": ""}.'
        ),
    )
    based_on = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="adjusted_versions",
        verbose_name=_("adjusted from"),
    )
    history_end = models.DateTimeField(_("history until"), null=True, blank=True)
    first_day = models.DateField(_("first day"), null=True, blank=True)
    last_day = models.DateField(_("last day"), null=True, blank=True)
    method = models.CharField(_("method"), max_length=60, blank=True)
    result = models.JSONField(null=True, blank=True, editable=False)
    metrics = models.JSONField(_("backtest"), null=True, blank=True, editable=False)

    max_attempts = 2

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("forecast")
        verbose_name_plural = _("forecasts")
        indexes = [
            models.Index(
                fields=["organisation", "status", "-created_at"], name="forecast_org_status"
            )
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {', '.join(self.channels)} {self.horizon_days} d ({self.get_status_display()})"

    def requeue(self) -> None:
        from .tasks import run_forecast

        run_forecast.enqueue(forecast_id=self.pk)

    def channel_labels(self) -> list[str]:
        labels = dict(Channel.choices)
        return [str(labels.get(c, c)) for c in self.channels]

    @property
    def has_adjustments(self) -> bool:
        return bool(self.adjustments)

    def result_for(self, channel: str) -> dict[str, Any] | None:
        if not self.result:
            return None
        channels: dict[str, Any] = self.result.get("channels", {})
        return channels.get(channel)


from .models_availability import *  # noqa: E402, F403
from .models_roster import *  # noqa: E402, F403
