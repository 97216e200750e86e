"""Forms of the 1:1 pages. Validation of meaning (team membership, the health-word guard) is in
checkins.py; these check shapes and choices."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models_checkins import CheckInKind, CheckInStatus, Recurrence

HEALTH_WARNING = _(
    "Do not write down anything about health, sickness, diagnoses, treatment or medication: "
    "that belongs with the company doctor, not in 1:1 notes."
)


class PlanForm(forms.Form):
    agent = forms.ModelChoiceField(label=_("Employee"), queryset=None)  # type: ignore[arg-type]
    day = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    start_time = forms.TimeField(
        label=_("Time"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=CheckInKind.choices)
    video_link = forms.URLField(
        label=_("Video link"),
        required=False,
        assume_scheme="https",
        help_text=_("Needed for a video call."),
    )
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"), min_value=5, max_value=240, initial=30
    )
    recurrence = forms.ChoiceField(
        label=_("Repeat"), choices=Recurrence.choices, initial=Recurrence.WEEKLY
    )

    def __init__(self, *args: Any, members: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agent"].queryset = members  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") == CheckInKind.VIDEO and not data.get("video_link"):
            self.add_error("video_link", _("A video call needs a link."))
        return data

    def start(self) -> datetime:
        day, at = self.cleaned_data["day"], self.cleaned_data["start_time"]
        return datetime.combine(
            day, time(at.hour, at.minute), tzinfo=timezone.get_current_timezone()
        )


class AgendaForm(forms.Form):
    text = forms.CharField(label=_("Add an agenda item"), max_length=300)


class NotesForm(forms.Form):
    shared_notes = forms.CharField(
        label=_("Shared notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=HEALTH_WARNING,
    )


class PrivateNotesForm(forms.Form):
    private_notes = forms.CharField(
        label=_("Private notes (only you)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=HEALTH_WARNING,
    )


class ActionForm(forms.Form):
    text = forms.CharField(label=_("New action"), max_length=300)
    owner = forms.ChoiceField(
        label=_("Who does it"), choices=[("agent", _("Employee")), ("lead", _("Team lead"))]
    )


class ScoreForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("How is work going this week?"),
        choices=[(i, str(i)) for i in range(1, 6)],
        coerce=int,
        widget=forms.RadioSelect,
        help_text=_("1 = badly, 5 = very well. Only you and your team lead see it."),
    )


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=CheckInStatus.choices)
