"""Organisation management for admins (sites, teams, employees, bulk import) and the employee
list for team leads, site managers and planners.

Thin views: forms validate, people/services.py writes (and audits), people/access.py scopes
every read. Admin pages call `access.require(..., MANAGE_ORGANISATION)` first (403), then fetch
the object through `access.get_*_for` (404 when it is not in the user's organisation or scope).
"""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from . import access, audit, importer, services
from .access import Capability
from .forms import (
    DeactivateForm,
    EmployeeFilterForm,
    EmployeeForm,
    EraseForm,
    ImportUploadForm,
    SiteForm,
    TeamForm,
    add_service_errors,
)
from .models import AuditAction, Channel, Employee, Role, Site, Team

PAGE_SIZE = 25
# Who may open the employee list (the nav shows it to the same roles).
LIST_CAPABILITIES = (
    Capability.LEAD_TEAMS,
    Capability.MANAGE_SITE,
    Capability.VIEW_PLANNING,
    Capability.MANAGE_ORGANISATION,
)


def _require_admin(request: HttpRequest) -> Employee:
    return access.require(request.user, Capability.MANAGE_ORGANISATION)


def _form_data(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


# --- Sites --------------------------------------------------------------------------------


@login_required
@require_GET
def site_list(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    sites = (
        access.sites_for(request.user)
        .annotate(
            team_count=Count("teams", distinct=True),
            people=Count("teams__members", filter=Q(teams__members__is_active=True), distinct=True),
        )
        .prefetch_related("managers")
        .order_by("name")
    )
    return render(request, "people/site_list.html", {"sites": sites})


@login_required
def site_create(request: HttpRequest) -> HttpResponse:
    me = _require_admin(request)
    return _site_form(request, me, site=None)


@login_required
def site_edit(request: HttpRequest, pk: int) -> HttpResponse:
    me = _require_admin(request)
    return _site_form(request, me, site=access.get_site_for(request.user, pk))


def _site_form(request: HttpRequest, me: Employee, *, site: Site | None) -> HttpResponse:
    form = SiteForm(
        _form_data(request),
        organisation=me.organisation,
        people=access.employees_for(request.user),
        site=site,
    )
    if form.is_bound and form.is_valid():
        target = site or Site(organisation=me.organisation)
        target.name, target.city = form.cleaned_data["name"], form.cleaned_data["city"]
        try:
            services.save_site(site=target, by=request.user, managers=form.cleaned_data["managers"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Site “%(name)s” saved.") % {"name": target.name})
            return redirect("people:site_list")
    status = 400 if form.is_bound else 200
    return render(request, "people/site_form.html", {"form": form, "site": site}, status=status)


# --- Teams --------------------------------------------------------------------------------


@login_required
@require_GET
def team_list(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    teams = (
        access.teams_for(request.user)
        .annotate(size=Count("members", filter=Q(members__is_active=True)))
        .prefetch_related("leads")
        .order_by("site__name", "name")
    )
    return render(request, "people/team_list.html", {"teams": teams})


@login_required
def team_create(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    return _team_form(request, team=None)


@login_required
def team_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _require_admin(request)
    return _team_form(request, team=access.get_team_for(request.user, pk))


def _team_form(request: HttpRequest, *, team: Team | None) -> HttpResponse:
    form = TeamForm(
        _form_data(request),
        sites=access.sites_for(request.user),
        people=access.employees_for(request.user),
        team=team,
    )
    if form.is_bound and form.is_valid():
        target = team or Team()
        target.site, target.name = form.cleaned_data["site"], form.cleaned_data["name"]
        try:
            services.save_team(team=target, by=request.user, leads=form.cleaned_data["leads"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Team “%(name)s” saved.") % {"name": target.name})
            return redirect("people:team_list")
    status = 400 if form.is_bound else 200
    return render(request, "people/team_form.html", {"form": form, "team": team}, status=status)


# --- Employees ------------------------------------------------------------------------------


@login_required
@require_GET
def employee_list(request: HttpRequest) -> HttpResponse:
    access.require_employee(request.user)
    if not any(access.can(request.user, capability) for capability in LIST_CAPABILITIES):
        raise PermissionDenied
    is_admin = access.can(request.user, Capability.MANAGE_ORGANISATION)
    filters = EmployeeFilterForm(
        request.GET or None,
        sites=access.sites_for(request.user),
        teams=access.teams_for(request.user),
        can_see_inactive=is_admin,
    )
    filters.is_valid()  # an invalid filter (e.g. a team out of scope) is ignored and shown as an error
    status = (filters.value("status") or "active") if is_admin else "active"
    employees = access.employees_for(request.user, include_inactive=status != "active")
    if status == "inactive":
        employees = employees.filter(is_active=False)
    for term in (filters.value("q") or "").split():
        employees = employees.filter(
            Q(first_name__icontains=term) | Q(last_name__icontains=term) | Q(email__icontains=term)
        )
    if site := filters.value("site"):
        employees = employees.filter(team__site=site)
    if team := filters.value("team"):
        employees = employees.filter(team=team)
    if channel := filters.value("channel"):
        # Matches the quoted value inside the JSON list; works on SQLite and PostgreSQL alike.
        employees = employees.filter(channels__icontains=f'"{channel}"')
    employees = (
        employees.select_related("team", "team__site")
        .prefetch_related("roles")
        .order_by("last_name", "first_name", "pk")
    )
    page = Paginator(employees, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "people/employee_list.html",
        {"filters": filters, "page": page, "is_admin": is_admin, "status": status},
    )


@login_required
@require_GET
def employee_detail(request: HttpRequest, pk: int) -> HttpResponse:
    access.require_employee(request.user)
    employee = access.get_employee_for(request.user, pk)
    return _render_detail(request, employee)


def _render_detail(
    request: HttpRequest,
    employee: Employee,
    *,
    deactivate_form: DeactivateForm | None = None,
    status: int = 200,
) -> HttpResponse:
    me = access.require_employee(request.user)
    show_address = access.can_see_address(request.user, employee)
    has_address = any((employee.address_line, employee.postcode, employee.city))
    if show_address and has_address and employee.pk != me.pk:
        # The home address is personal data: reading someone else's is audited.
        audit.record(
            actor=request.user,
            action=AuditAction.READ,
            obj=employee,
            summary="home address viewed",
            request=request,
        )
    is_admin = access.can(request.user, Capability.MANAGE_ORGANISATION)
    context = {
        "employee": employee,
        "roles": [role.get_role_display() for role in employee.roles.all()],
        "show_address": show_address,
        "show_birthday": access.can_see_birthday(request.user, employee),
        "full_birthday": employee.pk == me.pk or Role.ADMIN in me.role_set,
        "is_admin": is_admin,
        "can_erase": access.can(request.user, Capability.ERASE_EMPLOYEES) and employee.pk != me.pk,
        "is_me": employee.pk == me.pk,
        "can_list": any(access.can(request.user, capability) for capability in LIST_CAPABILITIES),
        "deactivate_form": deactivate_form
        or (DeactivateForm(employee=employee) if is_admin else None),
    }
    return render(request, "people/employee_detail.html", context, status=status)


@login_required
def employee_create(request: HttpRequest) -> HttpResponse:
    me = _require_admin(request)
    form = EmployeeForm(_form_data(request), teams=access.teams_for(request.user), editor=me)
    if form.is_bound and form.is_valid():
        try:
            employee = services.create_employee(
                organisation=me.organisation, by=request.user, **form.service_fields()
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _(
                    "%(name)s was added. They set a password with “Forgot password?” on the login page."
                )
                % {"name": employee.full_name},
            )
            return redirect("people:employee_detail", pk=employee.pk)
    status = 400 if form.is_bound else 200
    return render(
        request, "people/employee_form.html", {"form": form, "employee": None}, status=status
    )


@login_required
def employee_edit(request: HttpRequest, pk: int) -> HttpResponse:
    me = _require_admin(request)
    employee = access.get_employee_for(request.user, pk)
    if employee.erased_at is not None:
        messages.error(request, _("An erased employee cannot be edited."))
        return redirect("people:employee_detail", pk=employee.pk)
    form = EmployeeForm(
        _form_data(request), instance=employee, teams=access.teams_for(request.user), editor=me
    )
    if form.is_bound and form.is_valid():
        fields = form.service_fields()
        roles = fields.pop("roles")
        # The form has set the new values on its instance; the service gets a fresh copy so
        # that it can record what changed.
        fresh = access.get_employee_for(request.user, pk)
        try:
            services.update_employee(employee=fresh, by=request.user, roles=roles, **fields)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Changes to %(name)s saved.") % {"name": fresh.full_name})
            return redirect("people:employee_detail", pk=fresh.pk)
    status = 400 if form.is_bound else 200
    return render(
        request, "people/employee_form.html", {"form": form, "employee": employee}, status=status
    )


@login_required
@require_POST
def employee_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    me = _require_admin(request)
    employee = access.get_employee_for(request.user, pk)
    if employee.pk == me.pk:
        messages.error(request, _("You cannot deactivate yourself; ask another admin."))
        return redirect("people:employee_detail", pk=employee.pk)
    if not employee.is_active:
        messages.info(request, _("%(name)s is already inactive.") % {"name": employee.full_name})
        return redirect("people:employee_detail", pk=employee.pk)
    form = DeactivateForm(request.POST, employee=employee)
    if form.is_valid():
        try:
            services.deactivate_employee(
                employee=employee, by=request.user, end_date=form.cleaned_data["end_date"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(name)s was deactivated; their login no longer works. Their records are kept.")
                % {"name": employee.full_name},
            )
            return redirect("people:employee_detail", pk=employee.pk)
    employee.refresh_from_db()
    return _render_detail(request, employee, deactivate_form=form, status=400)


@login_required
@require_POST
def employee_reactivate(request: HttpRequest, pk: int) -> HttpResponse:
    _require_admin(request)
    employee = access.get_employee_for(request.user, pk)
    if employee.erased_at is not None:
        messages.error(request, _("An erased employee cannot be reactivated."))
    elif employee.is_active:
        messages.info(request, _("%(name)s is already active.") % {"name": employee.full_name})
    else:
        services.reactivate_employee(employee=employee, by=request.user)
        messages.success(request, _("%(name)s is active again.") % {"name": employee.full_name})
    return redirect("people:employee_detail", pk=employee.pk)


@login_required
def employee_erase(request: HttpRequest, pk: int) -> HttpResponse:
    me = access.require(request.user, Capability.ERASE_EMPLOYEES)
    employee = access.get_employee_for(request.user, pk)
    if employee.erased_at is not None:
        messages.info(request, _("This employee has already been erased."))
        return redirect("people:employee_detail", pk=employee.pk)
    if employee.pk == me.pk:
        messages.error(request, _("You cannot erase yourself; ask another admin."))
        return redirect("people:employee_detail", pk=employee.pk)
    form = EraseForm(_form_data(request), employee=employee)
    if form.is_bound and form.is_valid():
        name = employee.full_name
        try:
            services.erase_employee(employee=employee, by=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("The personal data of %(name)s was erased (now “employee #%(pk)d”).")
                % {"name": name, "pk": employee.pk},
            )
            return redirect("people:employee_list")
    status = 400 if form.is_bound else 200
    return render(
        request, "people/employee_erase.html", {"form": form, "employee": employee}, status=status
    )


# --- Bulk import ----------------------------------------------------------------------------

# The checked file is kept between preview and confirm in the session (server-side: database
# or Redis), signed and compressed, and validated again on confirm. Nothing the browser sends
# back is trusted except the random token that says which preview the person confirmed.
IMPORT_SESSION_KEY = "veerkracht.people.employee_import"
IMPORT_SIGNING_SALT = "veerkracht.people.employee_import"
IMPORT_MAX_AGE_S = 60 * 60
PREVIEW_MAX_ROWS_SHOWN = 500
PREVIEW_MAX_ERRORS_SHOWN = 1000


def _stash_table(request: HttpRequest, table: importer.Table) -> str:
    token = secrets.token_urlsafe(16)
    data = signing.dumps(table.to_json(), salt=IMPORT_SIGNING_SALT, compress=True)
    request.session[IMPORT_SESSION_KEY] = {"token": token, "data": data}
    return token


def _stashed_table(request: HttpRequest, token: str) -> importer.Table | None:
    stash = request.session.get(IMPORT_SESSION_KEY)
    if (
        not isinstance(stash, dict)
        or not token
        or not secrets.compare_digest(str(stash.get("token", "")), token)
    ):
        return None
    try:
        data = signing.loads(stash["data"], salt=IMPORT_SIGNING_SALT, max_age=IMPORT_MAX_AGE_S)
    except (signing.BadSignature, KeyError):
        return None
    return importer.Table.from_json(data)


def _clear_stash(request: HttpRequest) -> None:
    request.session.pop(IMPORT_SESSION_KEY, None)


@login_required
def employee_import(request: HttpRequest) -> HttpResponse:
    """GET: upload form, or the preview of a checked file (?preview=<token>).
    POST action=upload | import_all | import_valid | cancel."""
    me = _require_admin(request)
    if request.method == "POST":
        action = request.POST.get("action", "upload")
        if action == "cancel":
            _clear_stash(request)
            messages.info(request, _("The import was cancelled; nothing was stored."))
            return redirect("people:employee_import")
        if action in {"import_all", "import_valid"}:
            return _import_confirm(request, me, only_valid=action == "import_valid")
        return _import_upload(request)
    token = request.GET.get("preview", "")
    if token:
        table = _stashed_table(request, token)
        if table is None:
            messages.warning(request, _("This preview has expired; upload the file again."))
            return redirect("people:employee_import")
        return _render_preview(request, me, table, token)
    return _render_upload(request, ImportUploadForm())


def _render_upload(
    request: HttpRequest, form: ImportUploadForm, *, status: int = 200
) -> HttpResponse:
    context = {
        "form": form,
        "columns": importer.COLUMNS,
        "max_rows": settings.IMPORT_MAX_ROWS,
        "max_mb": settings.IMPORT_MAX_BYTES / (1024 * 1024),
    }
    return render(request, "people/import_upload.html", context, status=status)


def _import_upload(request: HttpRequest) -> HttpResponse:
    form = ImportUploadForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        content = upload.read(settings.IMPORT_MAX_BYTES + 1)  # one byte more tells "too large"
        try:
            table = importer.read_table(content, upload.name or "")
            importer.map_header(
                table.header
            )  # header problems belong on this page, not the preview
        except importer.ImportFileError as exc:
            form.add_error("file", exc.message)
        else:
            token = _stash_table(request, table)
            return redirect(f"{reverse('people:employee_import')}?preview={token}")
    return _render_upload(request, form, status=400)


def _render_preview(
    request: HttpRequest,
    me: Employee,
    table: importer.Table,
    token: str,
    *,
    status: int = 200,
) -> HttpResponse:
    try:
        preview = importer.validate(table, organisation=me.organisation)
    except importer.ImportFileError as exc:
        form = ImportUploadForm()
        form.add_error(None, exc.message)
        return _render_upload(request, form, status=400)
    channel_labels, role_labels = dict(Channel.choices), dict(Role.choices)
    rows = [
        {
            "number": row.number,
            "name": row.full_name,
            "email": row.cells.get("email", ""),
            "start": row.values.get("employment_start"),
            "start_text": row.cells.get("employment_start", ""),
            "hours": row.values.get("contract_hours"),
            "hours_text": row.cells.get("contract_hours", ""),
            "channels": [channel_labels[c] for c in row.values.get("channels", [])],
            "team": row.values["team"].name
            if row.values.get("team")
            else row.cells.get("team", ""),
            "roles": [role_labels[r] for r in row.values.get("roles", [])],
            "valid": row.is_valid,
        }
        for row in preview.rows[:PREVIEW_MAX_ROWS_SHOWN]
    ]
    errors = [
        {
            "row": error.row,
            "field": preview.label(error.field) if error.field else _("(whole row)"),
            "value": preview.rows_by_number[error.row].cells.get(error.field, "")
            if error.field
            else "",
            "message": error.message,
        }
        for error in preview.errors[:PREVIEW_MAX_ERRORS_SHOWN]
    ]
    context = {
        "preview": preview,
        "token": token,
        "rows": rows,
        "errors": errors,
        "row_count": len(preview.rows),
        "valid_count": len(preview.valid_rows),
        "error_row_count": len(preview.error_rows),
        "error_count": len(preview.errors),
        "rows_hidden": max(0, len(preview.rows) - PREVIEW_MAX_ROWS_SHOWN),
        "errors_hidden": max(0, len(preview.errors) - PREVIEW_MAX_ERRORS_SHOWN),
    }
    return render(request, "people/import_preview.html", context, status=status)


def _import_confirm(request: HttpRequest, me: Employee, *, only_valid: bool) -> HttpResponse:
    token = request.POST.get("token", "")
    table = _stashed_table(request, token)
    if table is None:
        messages.error(request, _("This preview has expired; upload the file again."))
        return redirect("people:employee_import")
    try:
        preview = importer.validate(table, organisation=me.organisation)
        result = importer.import_employees(
            organisation=me.organisation, by=request.user, rows=preview.rows, only_valid=only_valid
        )
    except importer.ImportFileError as exc:
        messages.error(request, exc.message)
        return redirect("people:employee_import")
    except importer.ImportRejected as exc:
        # The check is repeated on confirm; the data may have changed since the preview.
        messages.error(request, exc.message)
        return _render_preview(request, me, table, token, status=400)
    _clear_stash(request)
    message = ngettext(
        "%(count)d employee imported.", "%(count)d employees imported.", len(result.created)
    ) % {"count": len(result.created)}
    if result.skipped:
        message += " " + ngettext(
            "%(count)d row with errors was skipped.",
            "%(count)d rows with errors were skipped.",
            result.skipped,
        ) % {"count": result.skipped}
    messages.success(request, message)
    return redirect("people:employee_list")


@login_required
@require_GET
def employee_import_template(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    response = HttpResponse(importer.template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="veerkracht-medewerkers.csv"'
    return response
