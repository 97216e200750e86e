from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Category, Question, Scale

AGREE_LABELS = {
    1: _("Strongly disagree"),
    2: _("Disagree"),
    3: _("Neutral"),
    4: _("Agree"),
    5: _("Strongly agree"),
}


class AnswerForm(forms.Form):
    """One field per question of the pulse: `q<id>`. Range checks happen in services.clean_answers."""

    def __init__(self, *args: Any, questions: list[Question], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions
        for q in questions:
            name = f"q{q.pk}"
            if q.scale == Scale.TEXT:
                self.fields[name] = forms.CharField(
                    label=q.text,
                    required=False,
                    max_length=2000,
                    widget=forms.Textarea(attrs={"rows": 3}),
                    help_text=_("Optional. Don't write names or anything about health."),
                )
            else:
                low, high = q.value_range  # type: ignore[misc]
                choices = [
                    (v, AGREE_LABELS[v] if q.scale == Scale.AGREE_5 else str(v))
                    for v in range(low, high + 1)
                ]
                # A ChoiceField of strings: values outside the scale become a form error here
                # and, for the API, a 422 from the service.
                self.fields[name] = forms.TypedChoiceField(
                    label=q.text,
                    choices=[(str(v), lab) for v, lab in choices],
                    coerce=int,
                    widget=forms.RadioSelect,
                    error_messages={
                        "required": _("Choose an answer."),
                        "invalid_choice": _("Choose an answer from %(low)d to %(high)d.")
                        % {"low": low, "high": high},
                    },
                )

    def answers(self) -> dict[int, Any]:
        return {q.pk: self.cleaned_data.get(f"q{q.pk}") for q in self.questions}


class PulseForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    audience = forms.ChoiceField(label=_("Who is asked"))
    questions = forms.ModelMultipleChoiceField(
        label=_("Questions"),
        queryset=Question.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    days_open = forms.IntegerField(label=_("Days open"), min_value=1, max_value=28, initial=5)
    cadence = forms.ChoiceField(
        label=_("Repeat"),
        required=False,
        choices=[
            ("", _("Once")),
            ("weekly", _("Weekly")),
            ("biweekly", _("Every two weeks")),
            ("monthly", _("Monthly")),
        ],
    )

    def __init__(self, *args: Any, audiences: list[tuple[str, str]], questions: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["audience"].choices = audiences
        self.fields["questions"].queryset = questions
        self.fields["questions"].label_from_instance = lambda q: (
            f"{q.get_category_display()}: {q.text}"
        )


class QuestionForm(forms.ModelForm):
    class Meta:
        model = Question
        fields = ["category", "scale", "text_en", "text_nl"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Health is not offered; the model and the database refuse it too.
        self.fields["category"].choices = [c for c in Category.choices if c[0] != Category.HEALTH]


class ConversationForm(forms.Form):
    with_whom = forms.ChoiceField(
        choices=[
            ("team_lead", _("My team lead")),
            ("company_doctor", _("The company doctor")),
        ]
    )
