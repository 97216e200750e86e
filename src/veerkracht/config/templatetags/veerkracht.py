"""Template filters: locale-aware hours and ISO week numbers (Dutch teams plan per week number)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def isoweek(value: datetime.date | None) -> str:
    if not value:
        return ""
    return _("week %(week)s") % {"week": value.isocalendar().week}


@register.filter
def hours(value: Decimal | float | int | None) -> str:
    """36.0 → '36', 24.5 → '24,5' (nl) / '24.5' (en)."""
    if value is None:
        return ""
    number = Decimal(str(value))
    if number == number.to_integral_value():
        return number_format(int(number))
    return number_format(number, decimal_pos=1)
