from __future__ import annotations

import csv
import io
import sys
from datetime import datetime, timedelta
from typing import Any

import numpy as np
from django.core.management.base import BaseCommand, CommandError, CommandParser

from veerkracht.planning.erlang import StaffingInputError
from veerkracht.planning.staffing import CHANNEL_KINDS, ServiceTarget, staff_channel

from ._files import open_out, read_bytes

INTERVAL = timedelta(minutes=15)


def _read_forecast(path: str, channel: str | None) -> tuple[str, list[datetime], list[float]]:
    """Read a forecast CSV (start, channel, contacts[, lower, upper]); errors name row and field."""
    text = read_bytes(path).decode("utf-8-sig", errors="replace")
    reader = csv.DictReader(io.StringIO(text))
    missing = {"start", "channel", "contacts"} - set(reader.fieldnames or [])
    if missing:
        raise CommandError(
            f"{path}: missing column(s) {', '.join(sorted(missing))}; expected start, channel, contacts"
        )
    rows: dict[str, list[tuple[datetime, float]]] = {}
    errors: list[str] = []
    for number, row in enumerate(reader, start=2):
        try:
            start = datetime.fromisoformat(row["start"])
        except (TypeError, ValueError):
            errors.append(
                f"row {number}, field start: {row['start']!r} is not an ISO date and time"
            )
            continue
        if start.tzinfo is None:
            errors.append(
                f"row {number}, field start: {row['start']!r} has no UTC offset (e.g. +01:00)"
            )
            continue
        try:
            contacts = float(row["contacts"])
        except (TypeError, ValueError):
            errors.append(f"row {number}, field contacts: {row['contacts']!r} is not a number")
            continue
        if contacts < 0 or contacts != contacts:
            errors.append(f"row {number}, field contacts: must not be negative")
            continue
        rows.setdefault((row["channel"] or "").strip(), []).append((start, contacts))
    if errors:
        raise CommandError(f"{path} has {len(errors)} error(s):\n" + "\n".join(errors[:50]))
    if not rows:
        raise CommandError(f"{path}: no forecast rows")
    if channel is None:
        if len(rows) > 1:
            raise CommandError(
                f"{path} holds several channels ({', '.join(sorted(rows))}): choose one with --channel"
            )
        channel = next(iter(rows))
    if channel not in rows:
        raise CommandError(
            f"{path} has no rows for channel {channel!r}; it has {', '.join(sorted(rows))}"
        )
    series = sorted(rows[channel])
    starts = [s for s, _ in series]
    if len(set(starts)) != len(starts):
        raise CommandError(f"{path}: channel {channel!r} has the same interval twice")
    return channel, starts, [c for _, c in series]


class Command(BaseCommand):
    help = (
        "Staff needed per 15-minute interval for one channel of a forecast CSV (start, channel, contacts). "
        "Phone and chat: Erlang C (Erlang A with --patience; chat with --concurrency); e-mail and social: "
        "the backlog answered within --response-hours. Writes CSV: start, channel, contacts, required_agents, "
        "scheduled_agents (with shrinkage), service_level, occupancy, asa_s, abandon_rate, backlog."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "forecast", help="forecast CSV from `veerkracht forecast` (- for standard input)"
        )
        parser.add_argument("--channel", help="channel in the file (needed when it holds several)")
        parser.add_argument(
            "--kind", choices=CHANNEL_KINDS, help="staffing model (default: the channel name)"
        )
        parser.add_argument(
            "--sl", type=float, default=0.8, help="service-level target, 0..1 (default 0.8)"
        )
        parser.add_argument(
            "--target",
            type=float,
            default=20.0,
            help="answer within this many seconds (default 20)",
        )
        parser.add_argument(
            "--aht", type=float, required=True, help="average handle time in seconds"
        )
        parser.add_argument(
            "--patience", type=float, help="average patience in seconds: use Erlang A"
        )
        parser.add_argument(
            "--max-abandon", type=float, help="abandonment ceiling, 0..1 (Erlang A)"
        )
        parser.add_argument(
            "--concurrency", type=int, default=1, help="chats per agent at once (chat)"
        )
        parser.add_argument(
            "--slowdown", type=float, default=0.0, help="handle-time growth per extra chat (chat)"
        )
        parser.add_argument(
            "--response-hours",
            type=float,
            help="answer deferred contacts within this many open hours",
        )
        parser.add_argument(
            "--response-share",
            type=float,
            default=0.95,
            help="share answered in time (default 0.95)",
        )
        parser.add_argument(
            "--shrinkage", type=float, default=0.0, help="share of paid time not available, 0..<1"
        )
        parser.add_argument("--max-occupancy", type=float, help="occupancy cap, 0..1")
        parser.add_argument("--out", default="-", help="output CSV (default: standard output)")

    def handle(self, *args: Any, **options: Any) -> None:
        channel, starts, contacts = _read_forecast(options["forecast"], options["channel"])
        kind = options["kind"] or channel
        if kind not in CHANNEL_KINDS:
            raise CommandError(
                f"channel {channel!r} is not a known kind: give --kind ({', '.join(CHANNEL_KINDS)})"
            )
        # A regular 15-minute grid from the first to the last interval; absent intervals are closed.
        first = starts[0]
        index = {int((s - first) / INTERVAL): c for s, c in zip(starts, contacts, strict=True)}
        if any((s - first) % INTERVAL for s in starts):
            raise CommandError("the forecast intervals must lie on a 15-minute grid")
        n = max(index) + 1
        arrivals = np.zeros(n)
        open_mask = np.zeros(n, dtype=bool)
        for i, c in index.items():
            arrivals[i], open_mask[i] = c, True
        try:
            target = ServiceTarget(
                aht_s=options["aht"],
                sl_target=options["sl"],
                target_s=options["target"],
                patience_s=options["patience"],
                max_abandon=options["max_abandon"],
                concurrency=options["concurrency"],
                slowdown=options["slowdown"],
                response_time_s=options["response_hours"] * 3600
                if options["response_hours"] is not None
                else None,
                response_share=options["response_share"],
                shrinkage=options["shrinkage"],
                max_occupancy=options["max_occupancy"],
            )
            result = staff_channel(kind, arrivals, target, open_mask=open_mask)
        except (StaffingInputError, ValueError, TypeError) as exc:
            raise CommandError(str(exc)) from None
        out = open_out(options["out"])
        try:
            writer = csv.writer(out, lineterminator="\n")
            writer.writerow(
                [
                    "start",
                    "channel",
                    "contacts",
                    "required_agents",
                    "scheduled_agents",
                    "service_level",
                    "occupancy",
                    "asa_s",
                    "abandon_rate",
                    "backlog",
                ]
            )
            for i in sorted(index):
                start = first + i * INTERVAL
                writer.writerow(
                    [
                        start.isoformat(timespec="minutes"),
                        channel,
                        f"{arrivals[i]:.2f}",
                        int(result.raw_agents[i]),
                        int(result.scheduled_agents[i]),
                        f"{result.service_level[i]:.4f}",
                        f"{result.occupancy[i]:.4f}",
                        f"{result.asa_s[i]:.1f}",
                        f"{result.abandon_rate[i]:.4f}",
                        f"{result.backlog[i]:.1f}",
                    ]
                )
        finally:
            if out is not sys.stdout:
                out.close()
        if options["out"] not in (None, "-"):
            hours = float(result.scheduled_agents.sum()) * 0.25
            self.stderr.write(
                f"{channel}: {len(index)} intervals, {hours:.0f} scheduled agent-hours -> {options['out']}"
            )
