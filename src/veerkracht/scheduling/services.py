"""Writes to planning data. Every function is keyword-only, atomic, validates before saving and
audits; follow-up work (the forecast job) is queued on commit.

The computation itself is the pure core's (`veerkracht.planning`): this module converts rows
into its inputs and its results into rows.
"""

from __future__ import annotations

import io
import logging
import math
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import numpy as np
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from veerkracht.config.jobs import JobCancelled, JobStatus
from veerkracht.people import audit
from veerkracht.people.models import AuditAction, Channel, Organisation
from veerkracht.planning import backtest as core_backtest
from veerkracht.planning import forecast as core_forecast
from veerkracht.planning.erlang import StaffingInputError
from veerkracht.planning.history import ChannelSeries, History, ParseResult, parse_history

from . import selectors
from .messages import staffing_error_field, staffing_error_message
from .models import (
    DEFERRED_CHANNELS,
    MAX_HORIZON_DAYS,
    ContactVolume,
    Forecast,
    HistoryUpload,
    HistoryUploadStatus,
    ServiceTarget,
)
from .staffing_plan import TargetParams

logger = logging.getLogger(__name__)

PENDING_UPLOAD_TTL = timedelta(hours=12)
INSERT_BATCH = 2000

# --- Service targets ----------------------------------------------------------------------------

# Sensible Dutch defaults (docs/planning-ui.md): 80% in 20 s on the phone, 80% in 60 s for chat
# with two conversations at once, e-mail 95% within 24 hours, webcare 95% within 4 hours.
DEFAULT_TARGETS: dict[str, dict[str, Any]] = {
    Channel.PHONE: {"sl_target": 0.80, "target_s": 20, "aht_s": 300, "shrinkage": 0.30},
    Channel.CHAT: {
        "sl_target": 0.80,
        "target_s": 60,
        "aht_s": 420,
        "shrinkage": 0.30,
        "concurrency": 2,
        "concurrency_slowdown": 0.15,
    },
    Channel.EMAIL: {
        "sl_target": 0.95,
        "target_s": 0,
        "aht_s": 480,
        "shrinkage": 0.30,
        "response_time_h": 24.0,
        "response_share": 0.95,
        "handling_from": time(8, 0),
        "handling_until": time(20, 0),
        "handling_days": [0, 1, 2, 3, 4, 5],
    },
    Channel.SOCIAL: {
        "sl_target": 0.95,
        "target_s": 0,
        "aht_s": 240,
        "shrinkage": 0.30,
        "response_time_h": 4.0,
        "response_share": 0.95,
        "handling_from": time(8, 0),
        "handling_until": time(22, 0),
        "handling_days": [0, 1, 2, 3, 4, 5, 6],
    },
}

TARGET_FIELDS = (
    "sl_target",
    "target_s",
    "aht_s",
    "patience_s",
    "max_occupancy",
    "shrinkage",
    "concurrency",
    "concurrency_slowdown",
    "response_time_h",
    "response_share",
    "handling_from",
    "handling_until",
    "handling_days",
)


def ensure_service_targets(organisation: Organisation) -> dict[str, ServiceTarget]:
    """The organisation's targets per channel, creating the defaults on first use."""
    existing = {t.channel: t for t in ServiceTarget.objects.filter(organisation=organisation)}
    missing = [c for c in Channel.values if c not in existing]
    if missing:
        with transaction.atomic():
            for channel in missing:
                target, _created = ServiceTarget.objects.get_or_create(
                    organisation=organisation, channel=channel, defaults=DEFAULT_TARGETS[channel]
                )
                existing[channel] = target
    return {c: existing[c] for c in Channel.values}


def check_target(target: ServiceTarget) -> None:
    """Model validation plus the staffing core's judgement; ValidationError names the field."""
    target.full_clean()
    errors: dict[str, list[str]] = {}
    if target.channel in DEFERRED_CHANNELS:
        if not target.response_time_h:
            errors.setdefault("response_time_h", []).append(
                _("E-mail and social media need a response time.")
            )
        if target.response_share is None or target.response_share <= 0:
            errors.setdefault("response_share", []).append(
                _("E-mail and social media need the share to answer within the response time.")
            )
        if target.handling_until <= target.handling_from and target.handling_until != time(0, 0):
            errors.setdefault("handling_until", []).append(
                _("The backlog is worked from … until a later time.")
            )
        if not target.handling_days:
            errors.setdefault("handling_days", []).append(_("Choose at least one day."))
    if target.shrinkage >= 0.95:
        errors.setdefault("shrinkage", []).append(_("Shrinkage must be below 95%."))
    if errors:
        raise ValidationError(errors)
    try:
        TargetParams.from_target(target).check()
    except StaffingInputError as exc:
        field = staffing_error_field(str(exc)) or "__all__"
        raise ValidationError({field: [staffing_error_message(str(exc))]}) from exc


@transaction.atomic
def save_service_target(*, target: ServiceTarget, by: Any, **values: Any) -> ServiceTarget:
    unknown = set(values) - set(TARGET_FIELDS)
    if unknown:
        raise TypeError(f"save_service_target() got unexpected fields: {sorted(unknown)}")
    before = {f: getattr(target, f) for f in TARGET_FIELDS}
    for name, value in values.items():
        setattr(target, name, value)
    check_target(target)
    target.save()
    changes = audit.diff(before, {f: getattr(target, f) for f in TARGET_FIELDS})
    if changes:
        audit.record(
            actor=by,
            action=AuditAction.UPDATE,
            obj=target,
            summary=f"service target {target.channel}",
            changes=changes,
        )
    return target


# --- Contact history ---------------------------------------------------------------------------


def _pack(history: History) -> bytes:
    arrays: dict[str, np.ndarray] = {}
    for channel in history.channels:
        s = history.series[channel]
        arrays[f"{channel}__start"] = s.start_utc_s
        arrays[f"{channel}__contacts"] = s.contacts
        arrays[f"{channel}__aht"] = s.aht_s
        arrays[f"{channel}__minutes"] = np.array([s.source_interval_min])
    buffer = io.BytesIO()
    np.savez_compressed(buffer, **arrays)
    return buffer.getvalue()


def _unpack(data: bytes) -> History:
    with np.load(io.BytesIO(bytes(data))) as npz:
        channels = sorted(
            {key.split("__")[0] for key in npz.files}, key=lambda c: Channel.values.index(c)
        )
        return History.of(
            *[
                ChannelSeries(
                    c,
                    npz[f"{c}__start"],
                    npz[f"{c}__contacts"],
                    npz[f"{c}__aht"],
                    int(npz[f"{c}__minutes"][0]),
                )
                for c in channels
            ]
        )


def history_counts(history: History) -> dict[str, dict[str, Any]]:
    counts = {}
    for channel in history.channels:
        s = history.series[channel]
        counts[channel] = {
            "intervals": len(s),
            "contacts": round(float(s.contacts.sum()), 2),
            "first": datetime.fromtimestamp(int(s.start_utc_s[0]), UTC).isoformat(),
            "last": datetime.fromtimestamp(int(s.start_utc_s[-1]), UTC).isoformat(),
            "source_interval_min": s.source_interval_min,
        }
    return counts


@dataclass(frozen=True)
class HistoryCheck:
    """The outcome of checking a file: a pending upload to confirm, or the problems."""

    upload: HistoryUpload | None
    result: ParseResult
    rows: int


def _count_rows(content: bytes) -> int:
    if content[:4] == b"PK\x03\x04":
        return 0  # XLSX: the parser knows; we only show rows for CSV
    return max(0, sum(1 for line in content.splitlines() if line.strip()) - 1)


def check_history_file(
    *, organisation: Organisation, by: Any, filename: str, content: bytes
) -> HistoryCheck:
    """Parse a history file. Without problems it is kept as a *pending* upload (nothing is stored
    in the history yet); with problems nothing is kept at all."""
    result = parse_history(content)
    rows = _count_rows(content)
    # Forget previews nobody confirmed.
    HistoryUpload.objects.filter(
        status=HistoryUploadStatus.PENDING, uploaded_at__lt=timezone.now() - PENDING_UPLOAD_TTL
    ).update(status=HistoryUploadStatus.CANCELLED, parsed=b"")
    if not result.ok or result.history is None:
        return HistoryCheck(None, result, rows)
    history = result.history
    counts = history_counts(history)
    upload = HistoryUpload.objects.create(
        organisation=organisation,
        uploaded_by=by if getattr(by, "is_authenticated", False) else None,
        filename=filename[:255],
        status=HistoryUploadStatus.PENDING,
        rows=rows,
        channels=list(history.channels),
        first_start=min(datetime.fromisoformat(c["first"]) for c in counts.values()),
        last_start=max(datetime.fromisoformat(c["last"]) for c in counts.values()),
        counts=counts,
        parsed=_pack(history),
    )
    return HistoryCheck(upload, result, rows)


@dataclass(frozen=True)
class ImportOutcome:
    upload: HistoryUpload
    created: int
    replaced: int


@transaction.atomic
def import_history(*, upload: HistoryUpload, by: Any) -> ImportOutcome:
    """Store a checked upload: its intervals replace those with the same organisation, channel
    and start; other intervals are kept. All or nothing."""
    upload = HistoryUpload.objects.select_for_update().get(pk=upload.pk)
    if upload.status != HistoryUploadStatus.PENDING or not upload.parsed:
        raise ValidationError(_("This upload has already been imported or cancelled."))
    history = _unpack(upload.parsed)
    organisation_id = upload.organisation_id
    before = ContactVolume.objects.filter(organisation_id=organisation_id).count()
    total = 0
    for channel in history.channels:
        s = history.series[channel]
        total += insert_volumes(
            organisation_id=organisation_id,
            channel=channel,
            start_utc_s=s.start_utc_s.tolist(),
            contacts=s.contacts.tolist(),
            aht_s=[None if math.isnan(a) else a for a in s.aht_s.tolist()],
            replace=True,
        )
    created = ContactVolume.objects.filter(organisation_id=organisation_id).count() - before
    upload.status = HistoryUploadStatus.IMPORTED
    upload.imported_at = timezone.now()
    upload.parsed = b""
    upload.save(update_fields=["status", "imported_at", "parsed"])
    audit.record(
        actor=by,
        action=AuditAction.IMPORT,
        obj=upload,
        summary=f"contact history {upload.filename}: {total} intervals",
        changes={"created": created, "replaced": total - created, "channels": upload.channels},
    )
    return ImportOutcome(upload, created, total - created)


def insert_volumes(
    *,
    organisation_id: int,
    channel: str,
    start_utc_s: list[int],
    contacts: list[float],
    aht_s: list[float | None],
    replace: bool,
) -> int:
    """Store intervals in bulk; with `replace`, an interval already stored for the same
    organisation, channel and start gets the new figures (upsert). Call inside a transaction.

    On SQLite, Django's bulk_create spends about 150 µs per row in Python (999-parameter batches
    and per-field preparation: some 30 s for two years of four channels), so there the rows go
    through one prepared INSERT … ON CONFLICT with executemany (about 4x faster); on other
    databases bulk_create with large batches is fast and used as is.
    """
    starts = [datetime.fromtimestamp(t, UTC) for t in start_utc_s]
    if connection.vendor == "sqlite":
        table = ContactVolume._meta.db_table
        conflict = (
            " ON CONFLICT (organisation_id, channel, start) DO UPDATE SET contacts = excluded.contacts, aht_s = excluded.aht_s"
            if replace
            else ""
        )
        sql = f'INSERT INTO "{table}" ("organisation_id", "channel", "start", "contacts", "aht_s") VALUES (%s, %s, %s, %s, %s){conflict}'
        adapt = connection.ops.adapt_datetimefield_value
        rows = [
            (organisation_id, channel, adapt(st), float(c), a)
            for st, c, a in zip(starts, contacts, aht_s, strict=True)
        ]
        with connection.cursor() as cursor:
            for i in range(0, len(rows), 20_000):
                cursor.executemany(sql, rows[i : i + 20_000])
        return len(rows)
    objects = [
        ContactVolume(
            organisation_id=organisation_id, channel=channel, start=st, contacts=c, aht_s=a
        )
        for st, c, a in zip(starts, contacts, aht_s, strict=True)
    ]
    if replace:
        ContactVolume.objects.bulk_create(
            objects,
            batch_size=INSERT_BATCH,
            update_conflicts=True,
            unique_fields=["organisation", "channel", "start"],
            update_fields=["contacts", "aht_s"],
        )
    else:
        ContactVolume.objects.bulk_create(objects, batch_size=INSERT_BATCH)
    return len(objects)


@transaction.atomic
def cancel_history_upload(*, upload: HistoryUpload, by: Any) -> None:
    HistoryUpload.objects.filter(pk=upload.pk, status=HistoryUploadStatus.PENDING).update(
        status=HistoryUploadStatus.CANCELLED, parsed=b""
    )


# --- Forecasts ---------------------------------------------------------------------------------


def clean_adjustments(raw: Any) -> list[dict[str, Any]]:
    """Validate event factors: [{"channel": "phone"|"all", "start": "2025-03-02", "end": null,
    "factor": 4.0, "label": ""}, ...]. Raises ValidationError({"adjustments": ...})."""
    if raw in (None, ""):
        return []
    if not isinstance(raw, list):
        raise ValidationError({"adjustments": _("Give the event factors as a list.")})
    cleaned = []
    for number, item in enumerate(raw, start=1):
        try:
            channel = str(item.get("channel") or "all")
            start = _as_date(item.get("start"))
            end = _as_date(item.get("end")) if item.get("end") else None
            factor = float(item.get("factor"))
        except (AttributeError, TypeError, ValueError):
            raise ValidationError(
                {
                    "adjustments": _(
                        "Event factor %(n)s: give a channel, a start date and a factor."
                    )
                    % {"n": number}
                }
            ) from None
        if channel != "all" and channel not in Channel.values:
            raise ValidationError(
                {"adjustments": _("Event factor %(n)s: unknown channel.") % {"n": number}}
            )
        if not math.isfinite(factor) or factor < 0 or factor > 100:
            raise ValidationError(
                {
                    "adjustments": _("Event factor %(n)s: the factor must be between 0 and 100.")
                    % {"n": number}
                }
            )
        if end is not None and end < start:
            raise ValidationError(
                {
                    "adjustments": _("Event factor %(n)s: the end date lies before the start date.")
                    % {"n": number}
                }
            )
        cleaned.append(
            {
                "channel": channel,
                "start": start.isoformat(),
                "end": end.isoformat() if end else None,
                "factor": factor,
                "label": str(item.get("label") or "")[:100],
            }
        )
    return cleaned


def _as_date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def core_adjustments(adjustments: list[dict[str, Any]]) -> list[core_forecast.Adjustment]:
    return [
        core_forecast.Adjustment(
            factor=float(a["factor"]),
            start=_as_date(a["start"]),
            end=_as_date(a["end"]) if a.get("end") else None,
            channels=None if a["channel"] == "all" else (a["channel"],),
            label=a.get("label", ""),
        )
        for a in adjustments
    ]


def _check_forecast_request(
    *, organisation: Organisation, horizon_days: int, channels: list[str], adjustments: Any
) -> tuple[list[str], list[dict[str, Any]]]:
    errors: dict[str, str] = {}
    if not 1 <= int(horizon_days) <= MAX_HORIZON_DAYS:
        errors["horizon_days"] = _("The horizon must be between 1 and %(max)s days.") % {
            "max": MAX_HORIZON_DAYS
        }
    available = selectors.channels_with_history(organisation)
    wanted = [c for c in Channel.values if c in set(channels)]
    unknown = set(channels) - set(Channel.values)
    if unknown:
        errors["channels"] = _("Unknown channel: %(channels)s.") % {
            "channels": ", ".join(sorted(unknown))
        }
    elif not wanted:
        errors["channels"] = _("Choose at least one channel.")
    elif set(wanted) - available:
        missing = ", ".join(str(Channel(c).label) for c in wanted if c not in available)
        errors["channels"] = _(
            "There is no contact history for: %(channels)s. Import it first."
        ) % {"channels": missing}
    try:
        cleaned = clean_adjustments(adjustments)
    except ValidationError as exc:
        errors.update({k: v[0] for k, v in exc.message_dict.items()})
        cleaned = []
    if errors:
        raise ValidationError(errors)
    return wanted, cleaned


@transaction.atomic
def request_forecast(
    *,
    organisation: Organisation,
    by: Any,
    horizon_days: int,
    channels: list[str],
    adjustments: Any = (),
    based_on: Forecast | None = None,
) -> Forecast:
    """Create a queued forecast and hand it to the worker once the transaction commits."""
    wanted, cleaned = _check_forecast_request(
        organisation=organisation,
        horizon_days=horizon_days,
        channels=channels,
        adjustments=list(adjustments or []),
    )
    if based_on is not None and based_on.organisation_id != organisation.pk:
        raise ValidationError({"based_on": _("Unknown forecast.")})
    forecast = Forecast.objects.create(
        organisation=organisation,
        created_by=by if getattr(by, "is_authenticated", False) else None,
        horizon_days=int(horizon_days),
        channels=wanted,
        adjustments=cleaned,
        based_on=based_on,
    )
    audit.record(
        actor=by,
        action=AuditAction.CREATE,
        obj=forecast,
        summary=f"forecast {forecast.pk} queued",
        changes={"channels": wanted, "horizon_days": int(horizon_days), "adjustments": cleaned},
    )
    transaction.on_commit(forecast.requeue)
    return forecast


@transaction.atomic
def adjust_forecast(*, forecast: Forecast, by: Any, adjustment: dict[str, Any]) -> Forecast:
    """A new forecast like `forecast` with one more event factor (the original stays as it was)."""
    return request_forecast(
        organisation=forecast.organisation,
        by=by,
        horizon_days=forecast.horizon_days,
        channels=list(forecast.channels),
        adjustments=[*forecast.adjustments, adjustment],
        based_on=forecast,
    )


@transaction.atomic
def cancel_forecast(*, forecast: Forecast, by: Any) -> Forecast:
    """Queued: cancelled at once. Running: asked to stop; the job stops at its next heartbeat."""
    forecast.request_cancel()
    audit.record(
        actor=by,
        action=AuditAction.UPDATE,
        obj=forecast,
        summary=f"forecast {forecast.pk} cancel requested",
    )
    return forecast


def _claim(forecast_id: int) -> Forecast | None:
    """Take a queued forecast (see JobRow.claim)."""
    if not Forecast.claim(forecast_id):
        return None
    return Forecast.objects.select_related("organisation").get(pk=forecast_id)


def compute_forecast(*, forecast_id: int) -> str:
    """The forecast job: load the history, call the planning core with heartbeats, store the
    result in one write at the end, mark the row finished, failed or cancelled."""
    forecast = _claim(forecast_id)
    if forecast is None:
        return "skipped"
    try:
        forecast.heartbeat(5, _("Reading the contact history…"))
        history = selectors.load_history(forecast.organisation, forecast.channels)
        if history is None:
            raise ValidationError(_("There is no contact history for these channels."))
        forecast.heartbeat(25, _("Forecasting %(n)s channel(s)…") % {"n": len(history.channels)})
        result = core_forecast.forecast_contacts(
            history,
            horizon_days=forecast.horizon_days,
            adjustments=core_adjustments(forecast.adjustments),
        )
        forecast.heartbeat(70, _("Checking the forecast against the past (backtest)…"))
        metrics = _backtest_metrics(history, forecast)
        forecast.heartbeat(95, _("Saving…"))
        payload = forecast_result_json(result)
        with transaction.atomic():
            updated = Forecast.objects.filter(
                pk=forecast.pk, status=JobStatus.RUNNING, cancel_requested=False
            ).update(
                result=payload,
                metrics=metrics,
                method=result.method,
                history_end=datetime.fromtimestamp(history.end_utc_s, UTC),
                first_day=result.days[0],
                last_day=result.days[-1],
            )
            if not updated:
                raise JobCancelled
            forecast.mark_finished(JobStatus.SUCCEEDED, _("Finished."))
        return "succeeded"
    except JobCancelled:
        forecast.mark_finished(JobStatus.CANCELLED, _("Cancelled."))
        return "cancelled"
    except ValidationError as exc:
        forecast.mark_finished(JobStatus.FAILED, " ".join(exc.messages))
        return "failed"
    except Exception as exc:  # noqa: BLE001 - any failure leaves a clear state, never a half result
        logger.exception("Forecast %s failed", forecast_id)
        forecast.mark_finished(
            JobStatus.FAILED,
            _("The forecast could not be computed: %(error)s")
            % {"error": f"{type(exc).__name__}: {exc}"[:300]},
        )
        return "failed"


def _backtest_metrics(history: History, forecast: Forecast) -> dict[str, Any] | None:
    """WAPE and MASE on 4 weekly origins, 7 days ahead, against seasonal naive (≈0.4 s for 2
    years × 4 channels). Skipped for short histories."""
    if (history.last_day - history.first_day).days < 8 * 7:
        return None
    out: dict[str, Any] = {}
    for channel in history.channels:
        forecast.heartbeat()
        report = core_backtest.run_backtest(
            History.of(history.series[channel]), origins=4, horizon_days=7
        )
        scores = report.channels[channel].scores
        ours, naive = scores["veerkracht"], scores["seasonal_naive"]
        out[channel] = {
            "wape": _finite(ours.wape),
            "mase": _finite(ours.mase),
            "naive_wape": _finite(naive.wape),
            "origins": report.channels[channel].origins_used,
        }
    return out


def _finite(value: float) -> float | None:
    return round(float(value), 4) if math.isfinite(value) else None


def _r2(values: np.ndarray) -> list[float]:
    return [round(float(v), 2) for v in values]


def forecast_result_json(result: core_forecast.Forecast) -> dict[str, Any]:
    """The core's Forecast as compact JSON: per channel, arrays over its open intervals."""
    channels: dict[str, Any] = {}
    for name, ch in result.channels.items():
        open_ = ch.open
        channels[name] = {
            "start": [int(t) for t in result.start_utc_s[open_]],
            "contacts": _r2(ch.contacts[open_]),
            "lower": [int(v) for v in ch.lower[open_]],
            "upper": [int(v) for v in ch.upper[open_]],
            "unadjusted": _r2(ch.contacts_unadjusted[open_]),
            "daily": {
                "contacts": _r2(ch.daily.contacts),
                "lower": [int(v) for v in ch.daily.lower],
                "upper": [int(v) for v in ch.daily.upper],
                "unadjusted": _r2(ch.daily.contacts_unadjusted),
            },
        }
    first = next(iter(result.channels.values()))
    return {
        "method": result.method,
        "interval_level": result.interval_level,
        "days": [d.isoformat() for d in result.days],
        "holidays": list(first.daily.holiday),
        "channels": channels,
    }


def run_forecast_now(
    *,
    organisation: Organisation,
    by: Any,
    horizon_days: int,
    channels: list[str],
    adjustments: Any = (),
) -> Forecast:
    """Create and compute a forecast in this process (demo data, CLI); no worker needed."""
    wanted, cleaned = _check_forecast_request(
        organisation=organisation,
        horizon_days=horizon_days,
        channels=channels,
        adjustments=list(adjustments or []),
    )
    forecast = Forecast.objects.create(
        organisation=organisation,
        created_by=by if getattr(by, "is_authenticated", False) else None,
        horizon_days=horizon_days,
        channels=wanted,
        adjustments=cleaned,
    )
    compute_forecast(forecast_id=forecast.pk)
    forecast.refresh_from_db()
    return forecast
