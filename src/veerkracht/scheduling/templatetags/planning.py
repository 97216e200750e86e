"""Filters for the planner's pages: percentages and whole numbers in the user's locale."""

from __future__ import annotations

from typing import Any

from django import template
from django.template.defaultfilters import floatformat

register = template.Library()


@register.filter
def pct(value: Any, decimals: int = 0) -> str:
    """0.8 → '80%' (nl: '80,5%' with decimals=1); empty for None."""
    if value is None or value == "":
        return "–"
    return f"{floatformat(float(value) * 100, f'{int(decimals)}g')}%"


@register.filter
def num(value: Any, decimals: int = 0) -> str:
    """Locale-formatted number with thousands separators; '–' for None."""
    if value is None or value == "":
        return "–"
    return str(floatformat(value, f"{int(decimals)}g"))


@register.filter
def signed(value: Any, decimals: int = 0) -> str:
    """+12 / −3 (a real minus sign), for gaps."""
    if value is None:
        return "–"
    number = float(value)
    text = str(floatformat(abs(number), f"{int(decimals)}g"))
    if round(number, int(decimals)) == 0:
        return text
    return ("+" if number > 0 else "−") + text
