"""Site-wide views: home by role, login with rate limiting, language switch, health check."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.db import connection
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST
from django.views.i18n import set_language as django_set_language

from veerkracht.people import access, audit
from veerkracht.people.models import AuditAction, Channel, Employee, Role

from . import ratelimit


class RateLimitedAuthenticationForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "rate_limited": _(
            "Too many failed attempts. Wait a few minutes and try again, or reset your password."
        ),
    }

    def clean(self) -> dict[str, Any]:
        username = self.data.get("username", "") or ""
        if self.request is not None and ratelimit.is_blocked(self.request, username):
            raise forms.ValidationError(self.error_messages["rate_limited"], code="rate_limited")
        try:
            return super().clean()
        except forms.ValidationError:
            if self.request is not None:
                ratelimit.register_failure(self.request, username)
                # Attach the event to the person whose account was tried, so their organisation's
                # admins see it; unknown addresses are logged without a subject.
                subject = (
                    Employee.objects.filter(email__iexact=username.strip()).first()
                    if username
                    else None
                )
                audit.record(
                    actor=None,
                    action=AuditAction.LOGIN_FAILED,
                    object_type="auth.User",
                    subject=subject,
                    summary="failed login",
                    request=self.request,
                )
            raise


class LoginView(auth_views.LoginView):
    form_class = RateLimitedAuthenticationForm
    redirect_authenticated_user = True

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_valid(form)
        ratelimit.reset(self.request, form.cleaned_data.get("username", ""))
        employee = access.employee_of(self.request.user)
        audit.record(
            actor=self.request.user,
            action=AuditAction.LOGIN,
            object_type="auth.User",
            object_id=self.request.user.pk,
            subject=employee,
            request=self.request,
        )
        if employee is not None:
            # The person's own language choice wins over the browser's.
            response.set_cookie(
                "veerkracht_language", employee.language, samesite="Lax", max_age=365 * 86400
            )
        return response


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's set_language, plus: remember the choice on the employee so it follows them."""
    response = django_set_language(request)
    language = request.POST.get("language")
    employee = access.employee_of(request.user)
    if employee is not None and language in {"nl", "en"} and employee.language != language:
        employee.language = language
        employee.save(update_fields=["language"])
    return response


@login_required
def home(request: HttpRequest) -> HttpResponse:
    me = access.employee_of(request.user)
    if me is None:
        return render(request, "home_no_employee.html", status=403)
    roles = me.role_set
    today = timezone.localdate()
    context: dict[str, Any] = {"today": today, "iso_week": today.isocalendar().week, "roles": roles}
    # Issue 4: the agent's published shift(s) of today, as a card linking to "My shifts".
    from veerkracht.scheduling.selectors_shifts import today_shifts

    context["shifts_today"] = today_shifts(me)
    if me.team_id:
        context["team"] = me.team
        context["team_size"] = me.team.members.filter(is_active=True).count()  # type: ignore[union-attr]
        context["team_leads"] = list(me.team.leads.all())  # type: ignore[union-attr]
    if Role.TEAM_LEAD in roles:
        context["led_teams"] = access.led_teams(request.user).annotate(
            size=Count("members", filter=Q(members__is_active=True))
        )
    if Role.SITE_MANAGER in roles or Role.ADMIN in roles or Role.PLANNER in roles:
        sites = access.sites_for(request.user).annotate(
            team_count=Count("teams", distinct=True),
            people=Count("teams__members", filter=Q(teams__members__is_active=True), distinct=True),
        )
        context["sites"] = sites
    if Role.PLANNER in roles or Role.ADMIN in roles or Role.SITE_MANAGER in roles:
        scoped = access.employees_for(request.user)
        context["channel_counts"] = [
            {
                "label": label,
                "count": sum(
                    1 for chans in scoped.values_list("channels", flat=True) if code in chans
                ),
            }
            for code, label in Channel.choices
        ]
        context["headcount"] = scoped.count()
    return render(request, "home.html", context)


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
