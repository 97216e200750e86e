"""Filters of the roster pages."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext_lazy as _

SOLVER_STATUS = {
    "optimal": _("optimal"),
    "feasible": _("feasible"),
    "infeasible": _("not possible"),
    "timeout": _("no roster in time"),
}

register = template.Library()


@register.filter
def minutes_hm(value: Any) -> str:
    """Minutes as hours and minutes: 2250 -> '37:30'; '–' for None."""
    if value is None or value == "":
        return "–"
    total = round(float(value))
    sign = "-" if total < 0 else ""
    hours, minutes = divmod(abs(total), 60)
    return f"{sign}{hours}:{minutes:02d}"


@register.filter
def solver_status(value: Any) -> str:
    """The solver's status (optimal, feasible, infeasible, timeout) in the user's language."""
    return str(SOLVER_STATUS.get(str(value), value))
