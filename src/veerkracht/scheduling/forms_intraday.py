"""Forms of the intraday pages: actuals (file or one interval), the one-click actions, quick
tasks, an agent's answer to an offer. Validation of times and rules lives in intraday.py."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from veerkracht.people.models import Channel
from veerkracht.planning.calendar import TZ

from .models_roster import QuickTask

MAX_ACTUALS_BYTES = 5 * 1024 * 1024


class LocalDateTimeField(forms.DateTimeField):
    """A roster-format local ISO datetime (with or without offset) as an aware datetime."""

    def to_python(self, value: Any) -> datetime | None:
        result = super().to_python(value)
        if result is not None and result.tzinfo is None:
            result = result.replace(tzinfo=TZ)
        return result


class ActualsFileForm(forms.Form):
    file = forms.FileField(
        label=_("File with today's figures (CSV or XLSX)"),
        help_text=_(
            "Columns start, channel, contacts and optionally aht_s, as for the contact history."
        ),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size and upload.size > MAX_ACTUALS_BYTES:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        return upload


class ActualsEntryForm(forms.Form):
    """Contacts of one interval, per channel; an empty channel is left as it is."""

    day = forms.DateField(label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}))
    time = forms.TimeField(
        label=_("Interval start"), widget=forms.TimeInput(attrs={"type": "time", "step": 900})
    )

    def __init__(self, *args: Any, channels: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(Channel.choices)
        self.channel_names = channels or [Channel.PHONE.value]
        for channel in self.channel_names:
            self.fields[f"contacts_{channel}"] = forms.FloatField(
                label=labels[channel], required=False, min_value=0
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not any(data.get(f"contacts_{c}") is not None for c in self.channel_names):
            raise forms.ValidationError(_("Enter the contacts of at least one channel."))
        return data

    def rows(self) -> list[dict[str, Any]]:
        data = self.cleaned_data
        start = datetime.combine(data["day"], data["time"], TZ)
        return [
            {"start": start, "channel": c, "contacts": data[f"contacts_{c}"]}
            for c in self.channel_names
            if data.get(f"contacts_{c}") is not None
        ]


class MoveForm(forms.Form):
    shift_id = forms.IntegerField(min_value=1)
    start = LocalDateTimeField()
    end = LocalDateTimeField()
    channel = forms.ChoiceField(choices=Channel.choices)


class OfferForm(forms.Form):
    employee_id = forms.IntegerField(min_value=1)
    start = LocalDateTimeField()
    end = LocalDateTimeField()
    channel = forms.ChoiceField(choices=Channel.choices)


class AssignForm(forms.Form):
    task_id = forms.IntegerField(min_value=1)
    employee_id = forms.IntegerField(min_value=1)
    start = LocalDateTimeField()


class QuickTaskForm(forms.ModelForm):
    link = forms.URLField(label=_("Link"), required=False, assume_scheme="https")

    class Meta:
        model = QuickTask
        fields = ["title", "kind", "minutes", "channel", "link"]
        labels = {"channel": _("For agents of channel (empty: anyone)")}


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(choices=[("accept", _("Accept")), ("decline", _("Decline"))])
