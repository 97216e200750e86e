"""Forms for personal circumstances and the home workplace. They validate; home.py writes."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models_home import CHECKLIST_ITEMS, HomeItem, HomeRequestStatus

YES_NO = ((True, _("Yes")), (False, _("No")))


class CircumstancesForm(forms.Form):
    living_alone = forms.BooleanField(label=_("I live alone"), required=False)
    cares_for_children = forms.BooleanField(label=_("I care for children"), required=False)
    cares_for_others = forms.BooleanField(
        label=_("I care for someone else (a parent, partner or other)"), required=False
    )
    quiet_workplace = forms.TypedChoiceField(
        label=_("I have a quiet workplace at home"),
        choices=YES_NO,
        coerce=lambda v: v in (True, "True", "true", "1"),
        widget=forms.RadioSelect,
        initial=True,
    )
    preferred_contact_moments = forms.CharField(
        label=_("Preferred moments for contact"),
        max_length=200,
        required=False,
        help_text=_(
            "For example: mornings before 10:00, not on Wednesday afternoons. "
            "Do not write anything about your health."
        ),
    )


class ChecklistForm(forms.Form):
    items = forms.MultipleChoiceField(
        label=_("What I have"),
        choices=[(key, label) for key, label, _tip in CHECKLIST_ITEMS],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class HomeRequestForm(forms.Form):
    item = forms.ChoiceField(label=_("What do you need?"), choices=HomeItem.choices)
    reason = forms.CharField(
        label=_("Why?"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("A short reason, e.g. 'my chair has no lumbar support'. No health details."),
    )


class TransitionForm(forms.Form):
    to = forms.ChoiceField(choices=HomeRequestStatus.choices)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)
    reference = forms.CharField(
        label=_("Carrier and tracking reference"), max_length=100, required=False
    )
