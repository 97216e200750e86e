"""Write audit events. Reads of sensitive records and all changes go through `record`."""

from __future__ import annotations

from typing import Any

from django.db.models import Model
from django.http import HttpRequest

from .models import AuditAction, AuditEvent, Employee


def _client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def record(
    *,
    actor: Any,
    action: AuditAction | str,
    obj: Model | None = None,
    object_type: str = "",
    object_id: str | int = "",
    subject: Employee | None = None,
    summary: str = "",
    changes: dict[str, Any] | None = None,
    request: HttpRequest | None = None,
) -> AuditEvent:
    """Append one audit event. `actor` is a user (or None for the system)."""
    if obj is not None:
        object_type = object_type or obj._meta.label
        object_id = object_id or str(obj.pk)
    if subject is None and isinstance(obj, Employee):
        subject = obj
    is_user = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditEvent.objects.create(
        actor=actor if is_user else None,
        actor_label=(actor.get_username() if is_user else "system")[:254],
        action=str(action),
        object_type=object_type,
        object_id=str(object_id),
        subject=subject,
        summary=summary[:300],
        changes=changes or {},
        ip_address=_client_ip(request),
    )


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """Field-level changes as {field: [old, new]}, values made JSON-safe."""
    changed: dict[str, Any] = {}
    for key in sorted(set(before) | set(after)):
        old, new = before.get(key), after.get(key)
        if old != new:
            changed[key] = [_jsonable(old), _jsonable(new)]
    return changed


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, float, str, list, dict)):
        return value
    return str(value)
