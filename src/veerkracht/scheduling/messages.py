"""Translated messages for the planning core's error codes.

The core (`veerkracht.planning`) imports no Django, so it reports problems as stable codes with
parameters (`history.RowError`) or English texts that name the parameter (`StaffingInputError`).
Pages, API and exports show them through these functions, in the user's language.
"""

from __future__ import annotations

import re
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from veerkracht.people.models import Channel
from veerkracht.planning.history import RowError

# msgids use %(name)s placeholders filled from RowError.params.
ROW_ERROR_MESSAGES: dict[str, Any] = {
    "unreadable_file": gettext_lazy(
        "The file could not be read (%(reason)s). Upload a CSV or XLSX file."
    ),
    "empty_file": gettext_lazy("The file contains no data rows."),
    "missing_column": gettext_lazy(
        "Column “%(column)s” is missing (accepted names: %(accepted)s)."
    ),
    "duplicate_column": gettext_lazy("Column “%(column)s” appears more than once."),
    "required": gettext_lazy("A value is required."),
    "invalid_datetime": gettext_lazy(
        "“%(value)s” is not a date and time (expected e.g. 2025-03-03T08:15 or 03-03-2025 08:15)."
    ),
    "nonexistent_local_time": gettext_lazy(
        "%(value)s does not exist in Dutch time: that night the clocks jump from 02:00 to 03:00."
    ),
    "not_a_number": gettext_lazy("“%(value)s” is not a number."),
    "negative": gettext_lazy("The value must not be negative (got %(value)s)."),
    "unknown_channel": gettext_lazy("Unknown channel “%(value)s”; allowed: %(allowed)s."),
    "duplicate": gettext_lazy(
        "Channel %(channel)s already has an interval starting at %(start)s (row %(first_row)s)."
    ),
    "out_of_order": gettext_lazy(
        "Intervals must be in time order per channel: %(start)s comes after %(previous_start)s (row %(previous_row)s)."
    ),
    "granularity_mismatch": gettext_lazy(
        "This interval does not fit the %(interval_min)s-minute intervals of channel %(channel)s."
    ),
    "unsupported_granularity": gettext_lazy(
        "Channel %(channel)s has %(interval_min)s-minute intervals; supported are 5 to 60 minutes that divide an hour (%(allowed)s)."
    ),
    "too_many_errors": gettext_lazy("More than %(max_errors)s problems; the rest is not listed."),
}

FIELD_LABELS: dict[str, Any] = {
    "start": gettext_lazy("start"),
    "channel": gettext_lazy("channel"),
    "contacts": gettext_lazy("contacts"),
    "aht_s": gettext_lazy("AHT (s)"),
    "": "",
}


def row_error_message(error: RowError) -> str:
    """The error in the active language; the core's English text for codes we do not know."""
    template = ROW_ERROR_MESSAGES.get(error.code)
    if template is None:
        return error.message
    params = dict(error.params)
    if "channel" in params:
        params["channel"] = str(
            dict(Channel.choices).get(str(params["channel"]), params["channel"])
        )
    try:
        return str(template) % params
    except (KeyError, ValueError, TypeError):
        return error.message


def row_error_dict(error: RowError) -> dict[str, Any]:
    return {
        "row": error.row,
        "field": error.field,
        "field_label": str(FIELD_LABELS.get(error.field, error.field)),
        "code": error.code,
        "message": row_error_message(error),
        "value": str(error.params.get("value", "")),
    }


# --- StaffingInputError --------------------------------------------------------------------------

# The core names the parameter at the start of its message ("sl_target=1.0 cannot be reached …",
# "shrinkage must be in [0, 1) …"); we map it to the form field and a translated sentence.
_CORE_PARAMETERS = {
    "sl_target": "sl_target",
    "target_s": "target_s",
    "aht_s": "aht_s",
    "patience_s": "patience_s",
    "max_occupancy": "max_occupancy",
    "shrinkage": "shrinkage",
    "concurrency": "concurrency",
    "concurrency_slowdown": "concurrency_slowdown",
    "slowdown": "concurrency_slowdown",
    "handling": "handling_until",
    "response_time_h": "response_time_h",
    "response_time_s": "response_time_h",
    "response_share": "response_share",
    "max_abandon": "max_occupancy",
}


def staffing_error_field(message: str) -> str | None:
    match = re.match(r"\s*([a-z_]+)", message)
    if match and match.group(1) in _CORE_PARAMETERS:
        return _CORE_PARAMETERS[match.group(1)]
    for name, field in _CORE_PARAMETERS.items():
        if re.search(rf"\b{name}\b", message):
            return field
    return None


def staffing_error_message(message: str) -> str:
    """A translated sentence for the core's StaffingInputError text (the text itself as detail)."""
    field = staffing_error_field(message)
    if field == "sl_target" and "cannot be reached" in message:
        return _(
            "A service level of 100% cannot be reached: with any number of agents some contacts wait longer than the target time. Use a target below 100%, e.g. 80%."
        )
    if field == "shrinkage":
        return _(
            "Shrinkage must be at least 0% and below 100% (the share of paid time not available for contacts)."
        )
    if field == "max_occupancy":
        return _("Maximum occupancy must be above 0% and at most 100%.")
    if field == "response_time_h" and "shorter than one interval" in message:
        return _(
            "The response time must be at least 15 minutes; for targets in seconds use the phone or chat model."
        )
    if field == "handling_until":
        return _("Choose handling hours: at least one day, and an end time after the start time.")
    return _("These figures cannot be used for staffing: %(detail)s") % {"detail": message}
