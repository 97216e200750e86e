"""The works-council governance register (WOR art. 27) and the gate other apps call.

Modules that monitor individual behaviour or performance (`MONITORING_MODULES`) stay off until an
approval is recorded that is in force today. Other modules work by default; the register still
shows whether (and when) the works council approved them.

Apps guard their pages, API endpoints and jobs with::

    from veerkracht.people.governance import require_module
    require_module(employee.organisation, Module.PER_AGENT_KPIS)  # PermissionDenied when off
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from . import audit
from .models import MONITORING_MODULES, AuditAction, Module, ModuleApproval, Organisation


def _module(module: Module | str) -> Module:
    try:
        return Module(module)
    except ValueError:
        raise ValueError(f"Unknown module: {module!r}") from None


def current_approvals(
    organisation: Organisation, *, on: date | None = None
) -> QuerySet[ModuleApproval]:
    """Approvals in force on a day (default today): approved on or before it and not withdrawn by then."""
    on = on or timezone.localdate()
    return (
        ModuleApproval.objects.filter(organisation=organisation)
        .filter(approved_on__lte=on)
        .filter(Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=on))
    )


def current_approval(organisation: Organisation, module: Module | str) -> ModuleApproval | None:
    return (
        current_approvals(organisation)
        .filter(module=_module(module))
        .order_by("-approved_on")
        .first()
    )


def is_monitoring(module: Module | str) -> bool:
    return _module(module) in MONITORING_MODULES


def is_module_enabled(organisation: Organisation, module: Module | str) -> bool:
    """Monitoring modules only with an approval in force today; all other modules always."""
    module = _module(module)
    if module not in MONITORING_MODULES:
        return True
    return current_approval(organisation, module) is not None


def require_module(organisation: Organisation, module: Module | str) -> None:
    """Raise PermissionDenied (403) with an explanation when the module is off for the organisation."""
    module = _module(module)
    if not is_module_enabled(organisation, module):
        raise PermissionDenied(
            _(
                "%(module)s is off. It monitors individual behaviour or performance, so it stays off "
                "until an administrator records the works council's approval on the Works council page."
            )
            % {"module": module.label}
        )


@dataclass
class ModuleStatus:
    """One row of the register page: a module, whether it is on, and its approval history."""

    module: Module
    monitoring: bool
    enabled: bool
    current: ModuleApproval | None
    history: list[ModuleApproval] = field(default_factory=list)

    @property
    def label(self) -> str:
        return str(self.module.label)


def module_statuses(organisation: Organisation) -> list[ModuleStatus]:
    """Every module in declaration order, with its current approval and all earlier ones (one query)."""
    approvals = list(
        ModuleApproval.objects.filter(organisation=organisation)
        .select_related("recorded_by")
        .order_by("-approved_on", "-recorded_at")
    )
    statuses = []
    for module in Module:
        history = [a for a in approvals if a.module == module]
        current = next((a for a in history if a.is_current), None)
        monitoring = module in MONITORING_MODULES
        statuses.append(
            ModuleStatus(
                module=module,
                monitoring=monitoring,
                enabled=current is not None or not monitoring,
                current=current,
                history=history,
            )
        )
    return statuses


@transaction.atomic
def record_approval(
    *,
    organisation: Organisation,
    module: Module | str,
    body: str,
    approved_on: date,
    reference: str = "",
    by: Any,
) -> ModuleApproval:
    """Record a works-council (or staff-representation) decision approving a module. Audited."""
    try:
        module = _module(module)
    except ValueError:
        raise ValidationError({"module": _("Choose a module from the list.")}) from None
    body = body.strip()
    reference = reference.strip()
    errors: dict[str, str] = {}
    if not body:
        errors["body"] = _("Say which body approved it, for example the works council.")
    if approved_on > timezone.localdate():
        errors["approved_on"] = _("The date of approval cannot be in the future.")
    if current_approval(organisation, module) is not None:
        errors["module"] = _(
            "This module already has an approval in force. Withdraw it first if the decision changed."
        )
    if errors:
        raise ValidationError(errors)
    approval = ModuleApproval(
        organisation=organisation,
        module=module,
        body=body,
        approved_on=approved_on,
        reference=reference,
        recorded_by=by if getattr(by, "is_authenticated", False) else None,
    )
    approval.full_clean(exclude=["recorded_by"])
    approval.save()
    audit.record(
        actor=by,
        action=AuditAction.CREATE,
        obj=approval,
        summary=f"module {module.value} approved by {body} on {approved_on.isoformat()}",
        changes={
            "module": module.value,
            "body": body,
            "approved_on": approved_on.isoformat(),
            "reference": reference,
        },
    )
    return approval


@transaction.atomic
def withdraw_approval(
    *, approval: ModuleApproval, by: Any, withdrawn_on: date | None = None
) -> ModuleApproval:
    """Mark an approval withdrawn (default today); a monitoring module switches off at once. Audited."""
    today = timezone.localdate()
    withdrawn_on = withdrawn_on or today
    if approval.withdrawn_on is not None:
        raise ValidationError(_("This approval has already been withdrawn."))
    if withdrawn_on > today:
        raise ValidationError(_("The date of withdrawal cannot be in the future."))
    if withdrawn_on < approval.approved_on:
        raise ValidationError(_("The date of withdrawal lies before the date of approval."))
    approval.withdrawn_on = withdrawn_on
    approval.save(update_fields=["withdrawn_on"])
    audit.record(
        actor=by,
        action=AuditAction.UPDATE,
        obj=approval,
        summary=f"module {approval.module} approval withdrawn on {withdrawn_on.isoformat()}",
        changes={"withdrawn_on": [None, withdrawn_on.isoformat()]},
    )
    return approval
