"""Privacy pages: my data (view and export), audit log, works-council register, privacy statement,
API tokens. Thin views: reads through access.py, writes through services and governance."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import access, audit, governance, mydata, privacy_register, services
from .access import Capability
from .models import ApiToken, AuditAction, AuditEvent, Employee, Module, ModuleApproval

AUDIT_PAGE_SIZE = 50


# --- My data ----------------------------------------------------------------------------------


@login_required
@require_GET
def my_data(request: HttpRequest) -> HttpResponse:
    me = access.require_employee(request.user)
    sections = [mydata.view_section(section, me) for section in mydata.sections()]
    return render(request, "people/my_data.html", {"sections": sections, "employee": me})


@login_required
@require_GET
def my_data_export(request: HttpRequest) -> HttpResponse:
    me = access.require_employee(request.user)
    data = mydata.collect_my_data(me)
    audit.record(
        actor=request.user,
        action=AuditAction.EXPORT,
        obj=me,
        summary="own data exported (JSON)",
        request=request,
    )
    filename = f"veerkracht-my-data-{timezone.localdate().isoformat()}.json"
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


# --- Audit log --------------------------------------------------------------------------------


class EmployeeChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Employee) -> str:  # type: ignore[override]
        return f"{obj.last_name}, {obj.first_name}" if obj.erased_at is None else obj.full_name


class AuditFilterForm(forms.Form):
    actor = EmployeeChoiceField(
        queryset=Employee.objects.none(),
        required=False,
        label=gettext_lazy("By"),
        empty_label=gettext_lazy("Anyone"),
    )
    action = forms.ChoiceField(required=False, label=gettext_lazy("Action"))
    record_type = forms.ChoiceField(required=False, label=gettext_lazy("Record type"))
    subject = EmployeeChoiceField(
        queryset=Employee.objects.none(),
        required=False,
        label=gettext_lazy("About employee"),
        empty_label=gettext_lazy("Anyone"),
    )
    date_from = forms.DateField(
        required=False, label=gettext_lazy("From"), widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        required=False, label=gettext_lazy("To"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, data: Any, *, user: Any, events: QuerySet[AuditEvent]) -> None:
        super().__init__(data)
        people = access.employees_for(user, include_inactive=True).order_by(
            "last_name", "first_name"
        )
        self.fields["actor"].queryset = people  # type: ignore[attr-defined]
        self.fields["subject"].queryset = people  # type: ignore[attr-defined]
        self.fields["action"].choices = [("", _("Any action")), *AuditAction.choices]  # type: ignore[attr-defined]
        types = events.order_by("object_type").values_list("object_type", flat=True).distinct()
        self.fields["record_type"].choices = [("", _("Any record type"))] + [(t, t) for t in types]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date lies before the start date."))
        return cleaned

    def apply(self, events: QuerySet[AuditEvent]) -> QuerySet[AuditEvent]:
        if not self.is_valid():
            return events.none()
        data = self.cleaned_data
        if data["actor"] is not None:
            actor: Employee = data["actor"]
            if actor.user_id is not None:
                events = events.filter(actor_id=actor.user_id)
            else:  # erased or never had a login: their events keep a label instead of a link
                events = events.filter(actor__isnull=True, actor_label=f"erased-{actor.pk}")
        if data["action"]:
            events = events.filter(action=data["action"])
        if data["record_type"]:
            events = events.filter(object_type=data["record_type"])
        if data["subject"] is not None:
            events = events.filter(subject=data["subject"])
        if data["date_from"]:
            events = events.filter(at__date__gte=data["date_from"])
        if data["date_to"]:
            events = events.filter(at__date__lte=data["date_to"])
        return events

    def summary(self) -> dict[str, str]:
        """The filters in use, for the audit event that records an export."""
        if not self.is_valid():
            return {}
        return {
            name: str(value.pk if isinstance(value, Employee) else value)
            for name, value in self.cleaned_data.items()
            if value not in (None, "")
        }


def _audit_filters(request: HttpRequest) -> tuple[AuditFilterForm, QuerySet[AuditEvent]]:
    access.require(request.user, Capability.VIEW_AUDIT_LOG)
    scoped = access.audit_events_for(request.user)
    form = AuditFilterForm(request.GET or None, user=request.user, events=scoped)
    events = form.apply(scoped) if form.is_bound else scoped
    return form, events.select_related("subject").order_by("-at", "-id")


@login_required
@require_GET
def audit_log(request: HttpRequest) -> HttpResponse:
    form, events = _audit_filters(request)
    page = Paginator(events, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)  # what was there before this visit is recorded below
    subject = form.cleaned_data.get("subject") if form.is_bound and form.is_valid() else None
    if subject is not None and page.number == 1:
        # Looking up someone's trail is a read of data about that person.
        audit.record(
            actor=request.user,
            action=AuditAction.READ,
            object_type="people.AuditEvent",
            subject=subject,
            summary="audit trail viewed",
            request=request,
        )
    context = {"form": form, "page": page, "export_query": request.GET.copy()}
    context["export_query"].pop("page", None)
    template = "people/audit_log.html#results" if request.htmx else "people/audit_log.html"  # type: ignore[attr-defined]
    return render(request, template, context)


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_cell(value: Any) -> str:
    text = "" if value is None else str(value)
    # A cell that starts like a formula would run in a spreadsheet (CSV injection).
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text


@login_required
@require_GET
def audit_log_export(request: HttpRequest) -> HttpResponse:
    form, events = _audit_filters(request)
    if form.is_bound and not form.is_valid():
        return HttpResponse(
            _("The filters are not valid; correct them on the audit log page."), status=400
        )
    count = events.count()
    export_event = audit.record(
        actor=request.user,
        action=AuditAction.EXPORT,
        object_type="people.AuditEvent",
        summary=f"audit log exported (CSV, {count} rows)",
        changes={"filters": form.summary() if form.is_bound else {}, "rows": count},
        request=request,
    )
    events = events.exclude(pk=export_event.pk)  # the file holds what was there when asked for
    writer = csv.writer(_Echo())
    header = [
        "at",
        "actor",
        "action",
        "record_type",
        "record_id",
        "about_employee_id",
        "about_employee",
        "summary",
        "changes",
        "ip_address",
    ]

    def rows() -> Iterator[str]:
        yield "\ufeff" + writer.writerow(header)  # the BOM makes spreadsheets read UTF-8
        for e in events.iterator(chunk_size=500):
            yield writer.writerow(
                [
                    _csv_cell(timezone.localtime(e.at).isoformat()),
                    _csv_cell(e.actor_label),
                    _csv_cell(e.action),
                    _csv_cell(e.object_type),
                    _csv_cell(e.object_id),
                    _csv_cell(e.subject_id),
                    _csv_cell(e.subject.full_name if e.subject else ""),
                    _csv_cell(e.summary),
                    _csv_cell(json.dumps(e.changes, ensure_ascii=False) if e.changes else ""),
                    _csv_cell(e.ip_address),
                ]
            )

    filename = f"veerkracht-audit-log-{timezone.localdate().isoformat()}.csv"
    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


# --- Works-council governance register ---------------------------------------------------------


class ApprovalForm(forms.Form):
    module = forms.ChoiceField(label=gettext_lazy("Module"), choices=Module.choices)
    body = forms.CharField(
        label=gettext_lazy("Approved by"),
        max_length=120,
        initial=gettext_lazy("Works council"),
        help_text=gettext_lazy(
            "The works council (OR) or staff representation (PVT) that decided."
        ),
    )
    approved_on = forms.DateField(
        label=gettext_lazy("Date of the decision"), widget=forms.DateInput(attrs={"type": "date"})
    )
    reference = forms.CharField(
        label=gettext_lazy("Reference"),
        max_length=200,
        required=False,
        help_text=gettext_lazy(
            "Where the decision can be found, e.g. minutes number OR-2025-07. "
            "No names of employees and nothing about anyone's health."
        ),
    )

    def clean_approved_on(self) -> Any:
        value = self.cleaned_data["approved_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("The date of approval cannot be in the future."))
        return value


@login_required
@require_http_methods(["GET", "POST"])
def governance_register(request: HttpRequest) -> HttpResponse:
    me = access.require(request.user, Capability.MANAGE_GOVERNANCE)
    form = ApprovalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            approval = governance.record_approval(
                organisation=me.organisation,
                module=form.cleaned_data["module"],
                body=form.cleaned_data["body"],
                approved_on=form.cleaned_data["approved_on"],
                reference=form.cleaned_data["reference"],
                by=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("Approval of %(module)s recorded.") % {"module": approval.get_module_display()},
            )
            return redirect("people:governance")
    statuses = governance.module_statuses(me.organisation)
    return render(
        request,
        "people/governance.html",
        {"statuses": statuses, "form": form, "organisation": me.organisation},
    )


@login_required
@require_POST
def governance_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    me = access.require(request.user, Capability.MANAGE_GOVERNANCE)
    approval = ModuleApproval.objects.filter(organisation=me.organisation, pk=pk).first()
    if approval is None:
        raise Http404
    try:
        governance.withdraw_approval(approval=approval, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("Approval of %(module)s withdrawn.") % {"module": approval.get_module_display()},
        )
    return redirect("people:governance")


# --- Privacy statement --------------------------------------------------------------------------


@login_required
@require_GET
def privacy_statement(request: HttpRequest) -> HttpResponse:
    me = access.employee_of(request.user)
    organisation = me.organisation if me else None
    context = {
        "organisation": organisation,
        "categories": privacy_register.categories(),
        "retention_terms": privacy_register.retention_terms(),
        "statuses": governance.module_statuses(organisation) if organisation else [],
        "can_view_audit_log": access.can(request.user, Capability.VIEW_AUDIT_LOG),
    }
    return render(request, "people/privacy_statement.html", context)


# --- API tokens ------------------------------------------------------------------------------


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=100,
        help_text=gettext_lazy("What the token is for, e.g. “Roster export to calendar”."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def api_tokens(request: HttpRequest) -> HttpResponse:
    access.require(request.user, Capability.USE_API)
    form = ApiTokenForm(request.POST or None)
    new_key = None
    if request.method == "POST" and form.is_valid():
        try:
            token, new_key = services.issue_api_token(
                user=request.user, name=form.cleaned_data["name"]
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Token “%(name)s” created.") % {"name": token.name})
            form = ApiTokenForm()
    tokens = ApiToken.objects.filter(user=request.user).order_by("-created_at")
    # The key is rendered in this one response and never stored: no redirect, no session, no cache.
    response = render(
        request, "people/api_tokens.html", {"tokens": tokens, "form": form, "new_key": new_key}
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def api_token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    access.require(request.user, Capability.USE_API)
    token = ApiToken.objects.filter(user=request.user, pk=pk).first()
    if token is None:
        raise Http404
    if token.revoked_at is not None:
        messages.info(request, _("Token “%(name)s” was already revoked.") % {"name": token.name})
    else:
        services.revoke_api_token(token=token, by=request.user)
        messages.success(
            request, _("Token “%(name)s” revoked; it no longer works.") % {"name": token.name}
        )
    return redirect("people:api_tokens")
