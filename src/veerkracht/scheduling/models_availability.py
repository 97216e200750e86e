"""Agents' availability and preferences: first-class roster input with an audit trail.

Writes go through `scheduling/availability.py`; reads through `people/access.py`.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from veerkracht.people.models import Employee, Organisation

__all__ = [
    "AvailabilityException",
    "AvailabilityKind",
    "AvailabilityPattern",
    "AvailabilityReminder",
    "AvailabilitySubmission",
    "EmployeePreferences",
    "RosterPeriod",
]


class AvailabilityKind(models.TextChoices):
    CAN = "can", _("Can work")
    PREFER_NOT = "prefer_not", _("Prefer not")
    CANNOT = "cannot", _("Cannot work")


class RosterPeriod(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="roster_periods"
    )
    start = models.DateField(_("first day (a Monday)"))
    weeks = models.PositiveSmallIntegerField(
        _("weeks"), validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    deadline = models.DateTimeField(_("availability deadline"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # The planner's shift shapes for this period (roster format `shift_rules`); empty = defaults
    # (see roster_build.DEFAULT_SHIFT_RULES). Set when a roster run is started.
    shift_rules = models.JSONField(_("shift rules"), default=dict, blank=True)

    class Meta:
        ordering = ["-start"]
        verbose_name = _("roster period")
        verbose_name_plural = _("roster periods")

    def __str__(self) -> str:
        # ISO week numbers: Dutch teams plan per week number.
        year, first, _day = self.start.isocalendar()
        last = (self.start + timedelta(days=7 * self.weeks - 1)).isocalendar().week
        if first == last:
            return str(_("week %(week)s, %(year)s") % {"week": first, "year": year})
        return str(
            _("weeks %(first)s–%(last)s, %(year)s") % {"first": first, "last": last, "year": year}
        )

    @property
    def days(self) -> int:
        return self.weeks * 7


class AvailabilityPattern(models.Model):
    """One weekly recurring window; several per weekday are allowed (never overlapping)."""

    employee = models.ForeignKey(
        Employee, on_delete=models.CASCADE, related_name="availability_patterns"
    )
    weekday = models.PositiveSmallIntegerField(
        _("weekday"), validators=[MinValueValidator(0), MaxValueValidator(6)]
    )
    start = models.TimeField(_("from"))
    end = models.TimeField(_("until"))
    kind = models.CharField(
        _("kind"),
        max_length=12,
        choices=[
            (AvailabilityKind.CAN, AvailabilityKind.CAN.label),
            (AvailabilityKind.PREFER_NOT, AvailabilityKind.PREFER_NOT.label),
        ],
        default=AvailabilityKind.CAN,
    )

    class Meta:
        ordering = ["weekday", "start"]
        verbose_name = _("weekly availability")

    def __str__(self) -> str:
        return (
            f"{self.employee_id} day {self.weekday} {self.start:%H:%M}-{self.end:%H:%M} {self.kind}"
        )


class AvailabilityException(models.Model):
    employee = models.ForeignKey(
        Employee, on_delete=models.CASCADE, related_name="availability_exceptions"
    )
    date = models.DateField(_("date"))
    start = models.TimeField(_("from"), null=True, blank=True)
    end = models.TimeField(_("until"), null=True, blank=True)
    kind = models.CharField(_("kind"), max_length=12, choices=AvailabilityKind.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["date", "start"]
        verbose_name = _("availability exception")

    def __str__(self) -> str:
        return f"{self.employee_id} {self.date} {self.kind}"

    @property
    def whole_day(self) -> bool:
        return self.start is None


class EmployeePreferences(models.Model):
    employee = models.OneToOneField(
        Employee, on_delete=models.CASCADE, related_name="roster_preferences"
    )
    preferred_channels = models.JSONField(_("preferred channels"), default=list, blank=True)
    unpreferred_channels = models.JSONField(_("unpreferred channels"), default=list, blank=True)
    wished_minutes_per_week = models.PositiveIntegerField(
        _("wished minutes per week"), null=True, blank=True
    )
    note = models.TextField(_("note to the planner"), blank=True, max_length=1000)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("roster preferences")

    def __str__(self) -> str:
        return f"preferences of {self.employee_id}"


class AvailabilitySubmission(models.Model):
    employee = models.ForeignKey(
        Employee, on_delete=models.CASCADE, related_name="availability_submissions"
    )
    period = models.ForeignKey(RosterPeriod, on_delete=models.CASCADE, related_name="submissions")
    submitted_at = models.DateTimeField(_("submitted at"))
    # What the planner rosters with once the deadline has passed: the windows and preferences
    # as they were at the (last) submission, so later edits of the weekly pattern do not change
    # a closed period behind the planner's back. {"windows": [[start, end, kind], ...],
    # "preferences": {...}}; empty for submissions made before snapshots existed.
    snapshot = models.JSONField(_("availability as submitted"), default=dict, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["employee", "period"], name="availability_submission_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.employee_id} submitted {self.period_id}"


class AvailabilityReminder(models.Model):
    """One reminder mail per employee per period per day (makes the command idempotent)."""

    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="+")
    period = models.ForeignKey(RosterPeriod, on_delete=models.CASCADE, related_name="reminders")
    day = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["employee", "period", "day"], name="availability_reminder_once_a_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.employee_id} reminded {self.period_id} on {self.day}"
