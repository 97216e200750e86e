"""Forms for the planner's pages. They validate input; the views write through services.py."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from veerkracht.people.models import Channel

from .models import DEFERRED_CHANNELS, MAX_HORIZON_DAYS, ServiceTarget

HISTORY_MAX_BYTES = 60 * 1024 * 1024  # two years of four channels in 15 minutes is about 7 MB
WEEKDAYS = [
    (0, _("Mon")),
    (1, _("Tue")),
    (2, _("Wed")),
    (3, _("Thu")),
    (4, _("Fri")),
    (5, _("Sat")),
    (6, _("Sun")),
]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class HistoryUploadForm(forms.Form):
    file = forms.FileField(
        label=_("History file (CSV or XLSX)"),
        help_text=_(
            "Columns start, channel, contacts and optionally aht_s (Dutch names work too)."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.xlsx,text/csv"}),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > HISTORY_MAX_BYTES:
            raise ValidationError(
                _("The file is larger than %(mb)s MB; split it by period."),
                params={"mb": HISTORY_MAX_BYTES // (1024 * 1024)},
            )
        name = (upload.name or "").lower()
        if not name.endswith((".csv", ".txt", ".xlsx")):
            raise ValidationError(_("Upload a CSV (.csv) or Excel (.xlsx) file."))
        return upload


def channel_choices(include_all: bool = False) -> list[tuple[str, Any]]:
    choices: list[tuple[str, Any]] = [("all", _("All channels"))] if include_all else []
    return choices + list(Channel.choices)


class AdjustmentForm(forms.Form):
    """One event factor: e.g. ×4 on the phone from next Monday."""

    channel = forms.ChoiceField(
        label=_("Channel"), choices=channel_choices(include_all=True), initial="all"
    )
    start = forms.DateField(label=_("From"), widget=DateInput())
    end = forms.DateField(
        label=_("Until (optional)"),
        required=False,
        widget=DateInput(),
        help_text=_("Last day included; empty for the rest of the horizon."),
    )
    factor = forms.DecimalField(
        label=_("Factor"),
        min_value=0,
        max_value=100,
        decimal_places=2,
        max_digits=6,
        help_text=_("4 = four times as many contacts; 0.5 = half."),
    )
    label = forms.CharField(
        label=_("What happens"),
        max_length=100,
        required=False,
        help_text=_("e.g. “Mailing to all customers”"),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("The end date lies before the start date."))
        return data

    def as_adjustment(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            "channel": d["channel"],
            "start": d["start"].isoformat(),
            "end": d["end"].isoformat() if d.get("end") else None,
            "factor": float(d["factor"]),
            "label": d.get("label", ""),
        }


class OptionalAdjustmentForm(AdjustmentForm):
    """In the create form's formset: an untouched row is simply skipped."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.empty_permitted = True
        self.use_required_attribute = False

    def has_changed(self) -> bool:
        # The channel select always posts a value; a row counts as filled in by its other fields.
        return any(
            str(self.data.get(self.add_prefix(n), "")).strip()
            for n in ("start", "end", "factor", "label")
        )


AdjustmentFormSet = forms.formset_factory(OptionalAdjustmentForm, extra=2, max_num=5)


class ForecastForm(forms.Form):
    channels = forms.MultipleChoiceField(
        label=_("Channels"), choices=Channel.choices, widget=forms.CheckboxSelectMultiple
    )
    horizon_days = forms.IntegerField(
        label=_("Horizon (days)"),
        min_value=1,
        max_value=MAX_HORIZON_DAYS,
        initial=28,
        help_text=_("1 to 84 days (12 weeks), from the first interval after the history ends."),
    )

    def __init__(self, *args: Any, available: set[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["channels"].choices = [
            (c, label) for c, label in Channel.choices if c in available
        ]
        if not self.is_bound:
            self.initial.setdefault("channels", [c for c in Channel.values if c in available])


class ServiceTargetForm(forms.ModelForm):
    handling_days = forms.TypedMultipleChoiceField(
        label=_("on days"),
        choices=WEEKDAYS,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = ServiceTarget
        fields = [
            "sl_target",
            "target_s",
            "aht_s",
            "patience_s",
            "max_occupancy",
            "shrinkage",
            "concurrency",
            "concurrency_slowdown",
            "response_time_h",
            "response_share",
            "handling_from",
            "handling_until",
            "handling_days",
        ]
        widgets = {
            "sl_target": forms.NumberInput(attrs={"step": "0.01", "min": "0", "max": "0.99"}),
            "max_occupancy": forms.NumberInput(attrs={"step": "0.01", "min": "0.01", "max": "1"}),
            "shrinkage": forms.NumberInput(attrs={"step": "0.01", "min": "0", "max": "0.94"}),
            "concurrency_slowdown": forms.NumberInput(
                attrs={"step": "0.01", "min": "0", "max": "2"}
            ),
            "response_share": forms.NumberInput(attrs={"step": "0.01", "min": "0.01", "max": "1"}),
            "response_time_h": forms.NumberInput(attrs={"step": "0.25", "min": "0.25"}),
            "handling_from": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "handling_until": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }

    LIVE_FIELDS = ("sl_target", "target_s", "aht_s", "patience_s", "max_occupancy", "shrinkage")
    CHAT_FIELDS = ("concurrency", "concurrency_slowdown")
    DEFERRED_FIELDS = (
        "response_time_h",
        "response_share",
        "aht_s",
        "max_occupancy",
        "shrinkage",
        "handling_from",
        "handling_until",
        "handling_days",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        channel = self.instance.channel
        if channel in DEFERRED_CHANNELS:
            shown = self.DEFERRED_FIELDS
        elif channel == Channel.CHAT:
            shown = self.LIVE_FIELDS + self.CHAT_FIELDS
        else:
            shown = self.LIVE_FIELDS
        for name in list(self.fields):
            if name not in shown:
                del self.fields[name]
        self.order_fields(shown)

    def clean_sl_target(self) -> float:
        value = self.cleaned_data["sl_target"]
        if value is not None and not 0 <= value <= 1:
            raise ValidationError(_("Enter a share between 0 and 1, e.g. 0.80 for 80%."))
        return value

    def clean_shrinkage(self) -> float:
        value = self.cleaned_data["shrinkage"]
        if value is not None and not 0 <= value < 0.95:
            raise ValidationError(_("Shrinkage must be at least 0 and below 0.95."))
        return value

    def changed_values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.fields}


class ScenarioForm(forms.Form):
    """The surge what-if (GET). Empty agent fields take the default from people's contracts."""

    start = forms.DateField(label=_("Week from"), required=False, widget=DateInput())
    contacts_from = forms.IntegerField(label=_("Contacts per day now"), min_value=1, required=False)
    contacts_to = forms.IntegerField(
        label=_("Contacts per day in the surge"), min_value=0, required=False
    )
    factor = forms.DecimalField(
        label=_("or a factor"),
        min_value=0,
        max_value=100,
        decimal_places=2,
        required=False,
        help_text=_("Used when the two figures above are empty; 4 = four times as many."),
    )
    affected = forms.MultipleChoiceField(
        label=_("Channels hit by the surge"),
        choices=Channel.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    agents_phone = forms.IntegerField(
        label=_("Phone"), min_value=0, max_value=100000, required=False
    )
    agents_chat = forms.IntegerField(label=_("Chat"), min_value=0, max_value=100000, required=False)
    agents_email = forms.IntegerField(
        label=_("E-mail"), min_value=0, max_value=100000, required=False
    )
    agents_social = forms.IntegerField(
        label=_("Social media / webcare"), min_value=0, max_value=100000, required=False
    )
    hours_per_week = forms.DecimalField(
        label=_("Contract hours per agent per week"),
        min_value=1,
        max_value=60,
        decimal_places=1,
        required=False,
    )
    move_agents = forms.IntegerField(
        label=_("Move agents"), min_value=0, max_value=100000, required=False, initial=0
    )
    move_from = forms.ChoiceField(
        label=_("from"), choices=Channel.choices, initial=Channel.PHONE, required=False
    )
    move_to = forms.ChoiceField(
        label=_("to"), choices=Channel.choices, initial=Channel.EMAIL, required=False
    )

    def __init__(self, *args: Any, days: list[date], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.days = days

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("contacts_to") is not None and data.get("contacts_from") is None:
            self.add_error("contacts_from", _("Give today's contacts per day as well."))
        if data.get("move_agents") and data.get("move_from") == data.get("move_to"):
            self.add_error("move_to", _("Choose another channel to move agents to."))
        start = data.get("start")
        if start and self.days and not self.days[0] <= start <= self.days[-1]:
            self.add_error(
                "start",
                _("Choose a day between %(first)s and %(last)s.")
                % {"first": self.days[0].isoformat(), "last": self.days[-1].isoformat()},
            )
        return data

    def factor_value(self) -> float:
        d = self.cleaned_data
        if d.get("contacts_from") and d.get("contacts_to") is not None:
            return float(d["contacts_to"]) / float(d["contacts_from"])
        if d.get("factor") is not None:
            return float(d["factor"])
        return 1.0

    def week(self) -> list[date]:
        start = self.cleaned_data.get("start") or (self.days[0] if self.days else None)
        if start is None:
            return []
        return [d for d in (start + timedelta(days=i) for i in range(7)) if d in set(self.days)]
