"""Forms for organisation management. They validate; the views write through services.py.

Choices (teams, sites, people) come from access.py, so a form never offers another
organisation's records.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Channel, Employee, Organisation, Role, Site, Team


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class TeamChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Team) -> str:  # type: ignore[override]
        return f"{obj.name} · {obj.site.name}"


class EmployeeChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Employee) -> str:  # type: ignore[override]
        return f"{obj.full_name} ({obj.email})"


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Put a service's ValidationError next to the matching fields (or on top of the form)."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        form.add_error(name if name in form.fields else None, errors)


# --- Sites and teams ----------------------------------------------------------------------


class SiteForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    city = forms.CharField(label=_("City"), max_length=100, required=False)
    managers = EmployeeChoiceField(
        label=_("Site managers"),
        queryset=Employee.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("They get the site manager role and see everyone at this site."),
    )

    def __init__(
        self,
        *args: Any,
        organisation: Organisation,
        people: QuerySet[Employee],
        site: Site | None = None,
        **kwargs: Any,
    ) -> None:
        if site is not None:
            kwargs["initial"] = {
                "name": site.name,
                "city": site.city,
                "managers": list(site.managers.all()),
            }
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.site = site
        self.fields["managers"].queryset = people.order_by("last_name", "first_name")

    def clean_name(self) -> str:
        name: str = self.cleaned_data["name"].strip()
        clash = Site.objects.filter(organisation=self.organisation, name__iexact=name)
        if self.site is not None:
            clash = clash.exclude(pk=self.site.pk)
        if clash.exists():
            raise ValidationError(_("There is already a site with this name."), code="unique")
        return name


class TeamForm(forms.Form):
    site = forms.ModelChoiceField(label=_("Site"), queryset=Site.objects.none())
    name = forms.CharField(label=_("Name"), max_length=200)
    leads = EmployeeChoiceField(
        label=_("Team leads"),
        queryset=Employee.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("They get the team lead role and see this team's members."),
    )

    def __init__(
        self,
        *args: Any,
        sites: QuerySet[Site],
        people: QuerySet[Employee],
        team: Team | None = None,
        **kwargs: Any,
    ) -> None:
        if team is not None:
            kwargs["initial"] = {
                "site": team.site_id,
                "name": team.name,
                "leads": list(team.leads.all()),
            }
        super().__init__(*args, **kwargs)
        self.team = team
        self.fields["site"].queryset = sites
        self.fields["leads"].queryset = people.order_by("last_name", "first_name")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        site, name = cleaned.get("site"), (cleaned.get("name") or "").strip()
        if site is not None and name:
            clash = Team.objects.filter(site=site, name__iexact=name)
            if self.team is not None:
                clash = clash.exclude(pk=self.team.pk)
            if clash.exists():
                self.add_error(
                    "name",
                    ValidationError(
                        _("This site already has a team with this name."), code="unique"
                    ),
                )
            cleaned["name"] = name
        return cleaned


# --- Employees ------------------------------------------------------------------------------


class EmployeeForm(forms.ModelForm):
    """All fields of an employee. Used for validation only: the view calls create_employee or
    update_employee with cleaned_data, so changes are audited."""

    channels = forms.MultipleChoiceField(
        label=_("Trained channels"),
        choices=Channel.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    roles = forms.MultipleChoiceField(
        label=_("Roles"),
        choices=Role.choices,
        widget=forms.CheckboxSelectMultiple,
        initial=[Role.AGENT],
    )
    team = TeamChoiceField(
        label=_("Team"), queryset=Team.objects.none(), required=False, empty_label=_("No team")
    )

    class Meta:
        model = Employee
        fields = [
            "first_name",
            "last_name",
            "email",
            "team",
            "roles",
            "employment_start",
            "employment_end",
            "contract_hours",
            "channels",
            "language",
            "birthday",
            "celebrate_birthday",
            "address_line",
            "postcode",
            "city",
        ]
        localized_fields = ["contract_hours"]  # accepts 24,5 in Dutch
        widgets = {
            "employment_start": DateInput(),
            "employment_end": DateInput(),
            "birthday": DateInput(),
        }

    def __init__(self, *args: Any, teams: QuerySet[Team], editor: Employee, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.editor = editor
        self.fields["team"].queryset = teams.select_related("site").order_by("site__name", "name")
        self.fields["language"].choices = settings.LANGUAGES
        self.fields["contract_hours"].widget.attrs["inputmode"] = "decimal"
        if self.instance.pk:
            self.fields["roles"].initial = sorted(self.instance.role_set)
        else:
            del self.fields["employment_end"]  # leavers are deactivated from their page

    def clean_email(self) -> str:
        email: str = self.cleaned_data["email"].strip().lower()
        if Employee.objects.filter(email__iexact=email).exclude(pk=self.instance.pk).exists():
            raise ValidationError(
                _("An employee with this e-mail address already exists."), code="unique"
            )
        return email

    def clean_birthday(self) -> Any:
        birthday = self.cleaned_data.get("birthday")
        if birthday is not None and birthday >= timezone.localdate():
            raise ValidationError(_("The date of birth must lie in the past."))
        return birthday

    def clean_roles(self) -> list[str]:
        roles: list[str] = self.cleaned_data["roles"]
        if self.instance.pk == self.editor.pk and Role.ADMIN not in roles:
            raise ValidationError(_("You cannot take away your own admin role."))
        return roles

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        start, end = cleaned.get("employment_start"), cleaned.get("employment_end")
        if start and end and end < start:
            self.add_error("employment_end", _("The end date lies before the start date."))
        return cleaned

    def validate_unique(self) -> None:
        pass  # clean_email checks case-insensitively; the service checks again when saving

    def service_fields(self) -> dict[str, Any]:
        """cleaned_data as keyword arguments for services.create_employee / update_employee."""
        data = dict(self.cleaned_data)
        data["channels"] = list(data.get("channels") or [])
        return data


class DeactivateForm(forms.Form):
    end_date = forms.DateField(label=_("Last working day"), widget=DateInput())

    def __init__(self, *args: Any, employee: Employee, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.employee = employee
        self.fields["end_date"].initial = timezone.localdate()

    def clean_end_date(self) -> Any:
        end = self.cleaned_data["end_date"]
        if end < self.employee.employment_start:
            raise ValidationError(_("The end date lies before the start date."))
        return end


class EraseForm(forms.Form):
    confirmation = forms.CharField(
        label=_("Type the employee's e-mail address or full name to confirm"),
        max_length=300,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def __init__(self, *args: Any, employee: Employee, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.employee = employee

    def clean_confirmation(self) -> str:
        typed = " ".join(self.cleaned_data["confirmation"].split()).casefold()
        accepted = {
            self.employee.email.casefold(),
            " ".join(self.employee.full_name.split()).casefold(),
        }
        if typed not in accepted:
            raise ValidationError(_("This does not match the employee's e-mail address or name."))
        return typed


# --- Lists and import -----------------------------------------------------------------------


class EmployeeFilterForm(forms.Form):
    STATUS_CHOICES = [("active", _("Active")), ("inactive", _("Inactive")), ("all", _("All"))]

    q = forms.CharField(
        label=_("Search"), required=False, widget=forms.TextInput(attrs={"type": "search"})
    )
    site = forms.ModelChoiceField(
        label=_("Site"), queryset=Site.objects.none(), required=False, empty_label=_("All sites")
    )
    team = TeamChoiceField(
        label=_("Team"), queryset=Team.objects.none(), required=False, empty_label=_("All teams")
    )
    channel = forms.ChoiceField(
        label=_("Channel"), required=False, choices=[("", _("All channels")), *Channel.choices]
    )
    status = forms.ChoiceField(label=_("Status"), required=False, choices=STATUS_CHOICES)

    def __init__(
        self,
        *args: Any,
        sites: QuerySet[Site],
        teams: QuerySet[Team],
        can_see_inactive: bool,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = sites
        self.fields["team"].queryset = teams.order_by("site__name", "name")
        if not can_see_inactive:
            del self.fields["status"]

    def value(self, name: str) -> Any:
        """The cleaned value, or None when absent or invalid (an invalid filter is ignored)."""
        if not self.is_bound or not hasattr(self, "cleaned_data"):
            return None
        return self.cleaned_data.get(name) or None


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("File (.csv or .xlsx)"),
        widget=forms.FileInput(
            attrs={
                "accept": ".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )
