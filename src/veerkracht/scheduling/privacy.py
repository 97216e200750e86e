"""What the planning app stores about people: only who uploaded history and who made forecasts.

Contact volumes and service targets are about the contact center, not about a person.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from veerkracht.people import mydata
from veerkracht.people.models import Employee
from veerkracht.people.privacy_register import (
    Audience,
    LegalGround,
    Retention,
    declare_no_personal_data,
    declare_not_personal_fields,
    register_category,
)

declare_no_personal_data(
    "scheduling.ServiceTarget",
    _("Service targets per channel of the organisation; no person is named."),
)
declare_no_personal_data(
    "scheduling.ContactVolume",
    _("Numbers of customer contacts per channel and interval; no person is named."),
)

register_category(
    "planning_work",
    _("Planning files you uploaded and forecasts you made"),
    fields=[
        "scheduling.HistoryUpload.uploaded_by",
        "scheduling.HistoryUpload.uploaded_at",
        "scheduling.Forecast.created_by",
        "scheduling.Forecast.created_at",
    ],
    purpose=_("To show planners who prepared a forecast or imported contact history, and when."),
    legal_ground=LegalGround.LEGITIMATE_INTEREST,
    retention=Retention.ACCOUNT,
    audiences=(Audience.SELF, Audience.PLANNER, Audience.SITE_MANAGER),
)
declare_not_personal_fields(
    "scheduling.HistoryUpload",
    [
        "id",
        "organisation",
        "imported_at",
        "filename",
        "status",
        "rows",
        "channels",
        "first_start",
        "last_start",
        "counts",
        "parsed",
    ],
)
declare_not_personal_fields(
    "scheduling.Forecast",
    [
        "id",
        "status",
        "progress",
        "message",
        "attempts",
        "cancel_requested",
        "queued_at",
        "started_at",
        "heartbeat_at",
        "finished_at",
        "organisation",
        "horizon_days",
        "channels",
        "adjustments",
        "based_on",
        "history_end",
        "first_day",
        "last_day",
        "method",
        "result",
        "metrics",
    ],
)


def _planning_work(employee: Employee) -> list[dict[str, Any]]:
    from .models import Forecast, HistoryUpload

    if employee.user_id is None:
        return []
    uploads = [
        {
            "kind": "history_upload",
            "at": u.uploaded_at.isoformat(),
            "file": u.filename,
            "rows": u.rows,
        }
        for u in HistoryUpload.objects.filter(uploaded_by=employee.user_id).order_by("uploaded_at")
    ]
    forecasts = [
        {
            "kind": "forecast",
            "at": f.created_at.isoformat(),
            "horizon_days": f.horizon_days,
            "channels": f.channels,
        }
        for f in Forecast.objects.filter(created_by=employee.user_id).order_by("created_at")
    ]
    return uploads + forecasts


mydata.register(
    "planning_work",
    _("Planning files you uploaded and forecasts you made"),
    _planning_work,
    visible_to=_("You, planners and site managers"),
)
