"""Forms for availability pages: field types only; the rules live in availability.py."""

from __future__ import annotations

from datetime import time
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from veerkracht.people.models import Channel

from .models_availability import AvailabilityKind

HEALTH_WARNING = _(
    "Do not write anything about health, sickness, diagnoses, treatment or medication: "
    "that belongs with the company doctor, not in a note to the planner."
)

WEEKDAYS = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]

QUARTERS = [(f"{h:02d}:{m:02d}", f"{h:02d}:{m:02d}") for h in range(24) for m in (0, 15, 30, 45)]


class _TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self) -> None:
        super().__init__(format="%H:%M", attrs={"step": 900})


class PatternWindowForm(forms.Form):
    weekday = forms.TypedChoiceField(label=_("Day"), choices=WEEKDAYS, coerce=int)
    start = forms.TimeField(label=_("From"), widget=_TimeInput())
    end = forms.TimeField(label=_("Until"), widget=_TimeInput())
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[
            (AvailabilityKind.CAN, AvailabilityKind.CAN.label),
            (AvailabilityKind.PREFER_NOT, AvailabilityKind.PREFER_NOT.label),
        ],
        initial=AvailabilityKind.CAN,
    )


class ExceptionForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    start = forms.TimeField(
        label=_("From"),
        required=False,
        widget=_TimeInput(),
        help_text=_("Leave both times empty for the whole day."),
    )
    end = forms.TimeField(label=_("Until"), required=False, widget=_TimeInput())
    kind = forms.ChoiceField(
        label=_("Kind"), choices=AvailabilityKind.choices, initial=AvailabilityKind.CANNOT
    )
    note = forms.CharField(
        label=_("Note (optional)"), required=False, max_length=200, help_text=HEALTH_WARNING
    )


class PreferencesForm(forms.Form):
    preferred_channels = forms.MultipleChoiceField(
        label=_("Channels I prefer"), required=False, widget=forms.CheckboxSelectMultiple
    )
    unpreferred_channels = forms.MultipleChoiceField(
        label=_("Channels I would rather not do"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    wished_hours = forms.DecimalField(
        label=_("Hours I wish to work per week"),
        required=False,
        min_value=0,
        max_digits=4,
        decimal_places=2,
    )
    note = forms.CharField(
        label=_("Note to the planner"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=HEALTH_WARNING,
    )

    def __init__(self, *args: Any, trained: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(Channel.choices)
        choices = [(c, labels.get(c, c)) for c in trained]
        self.fields["preferred_channels"].choices = choices  # type: ignore[attr-defined]
        self.fields["unpreferred_channels"].choices = choices  # type: ignore[attr-defined]


class RosterPeriodForm(forms.Form):
    start = forms.DateField(
        label=_("First day (a Monday)"), widget=forms.DateInput(attrs={"type": "date"})
    )
    weeks = forms.TypedChoiceField(
        label=_("Weeks"), choices=[(n, n) for n in range(1, 5)], coerce=int, initial=4
    )
    deadline_date = forms.DateField(
        label=_("Availability deadline (date)"), widget=forms.DateInput(attrs={"type": "date"})
    )
    deadline_time = forms.TimeField(
        label=_("Deadline time"),
        initial=time(23, 59),
        widget=forms.TimeInput(attrs={"type": "time"}),
    )
