from __future__ import annotations

import sys
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from veerkracht.planning.forecast import (
    MAX_HORIZON_DAYS,
    Adjustment,
    forecast_contacts,
    write_forecast_csv,
)

from ._files import load_history_file, open_out


def _adjustment(text: str) -> Adjustment:
    """FACTOR@FROM[:TO][/CHANNEL], e.g. 4@2026-12-07 or 1.5@2026-12-07:2026-12-13/phone."""
    try:
        factor_s, _, rest = text.partition("@")
        period, _, channel = rest.partition("/")
        start_s, _, end_s = period.partition(":")
        factor = float(factor_s.replace(",", "."))
        start = date.fromisoformat(start_s)
        end = date.fromisoformat(end_s) if end_s else None
    except ValueError:
        raise CommandError(
            f"--adjust {text!r}: expected FACTOR@YYYY-MM-DD[:YYYY-MM-DD][/channel], e.g. 4@2026-12-07"
        ) from None
    if factor < 0:
        raise CommandError(f"--adjust {text!r}: the factor must not be negative")
    return Adjustment(factor=factor, start=start, end=end, channels=(channel,) if channel else None)


class Command(BaseCommand):
    help = (
        "Forecast contacts per channel per 15-minute interval from a history file (CSV/XLSX with the "
        "columns start, channel, contacts[, aht_s]). Writes CSV: start, channel, contacts, lower, upper "
        "(80% prediction interval). The forecast starts at the first interval after the history ends."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("history", help="history file (CSV or XLSX; - for standard input)")
        parser.add_argument(
            "--horizon",
            type=int,
            default=28,
            help=f"days to forecast, 1..{MAX_HORIZON_DAYS} (default 28)",
        )
        parser.add_argument("--out", default="-", help="output CSV (default: standard output)")
        parser.add_argument(
            "--adjust",
            action="append",
            default=[],
            metavar="FACTOR@FROM[:TO][/CHANNEL]",
            help="event factor, e.g. 4@2026-12-07 (x4 from that day on); may be repeated",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        horizon = options["horizon"]
        if not 1 <= horizon <= MAX_HORIZON_DAYS:
            raise CommandError(
                f"--horizon must be between 1 and {MAX_HORIZON_DAYS} days, got {horizon}"
            )
        adjustments = [_adjustment(a) for a in options["adjust"]]
        history = load_history_file(options["history"])
        forecast = forecast_contacts(history, horizon_days=horizon, adjustments=adjustments)
        out = open_out(options["out"])
        try:
            rows = write_forecast_csv(forecast, out)
        finally:
            if out is not sys.stdout:
                out.close()
        if options["out"] not in (None, "-"):
            self.stderr.write(
                f"{rows} intervals forecast for {', '.join(forecast.channels)} -> {options['out']}"
            )
