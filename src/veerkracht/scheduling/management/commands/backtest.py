from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from veerkracht.planning.backtest import format_report, run_backtest

from ._files import load_history_file


class Command(BaseCommand):
    help = (
        "Backtest the forecast on a history file: WAPE and MASE per channel on rolling weekly origins, "
        "next to a seasonal-naive baseline and the 4-week mean and median, so a planner can trust (or "
        "distrust) the forecast."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("history", help="history file (CSV or XLSX; - for standard input)")
        parser.add_argument(
            "--origins", type=int, default=8, help="number of weekly origins (default 8)"
        )
        parser.add_argument(
            "--horizon", type=int, default=7, help="days forecast from each origin (default 7)"
        )
        parser.add_argument("--json", action="store_true", help="print the figures as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        if not 1 <= options["origins"] <= 52:
            raise CommandError("--origins must be between 1 and 52")
        if not 1 <= options["horizon"] <= 28:
            raise CommandError("--horizon must be between 1 and 28 days")
        history = load_history_file(options["history"])
        try:
            report = run_backtest(
                history, origins=options["origins"], horizon_days=options["horizon"]
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        if options["json"]:
            data = {
                "origins": [d.isoformat() for d in report.origins],
                "horizon_days": report.horizon_days,
                "channels": {
                    name: {m: {"wape": s.wape, "mase": s.mase} for m, s in ch.scores.items()}
                    for name, ch in report.channels.items()
                },
            }
            self.stdout.write(json.dumps(data, indent=2))
        else:
            self.stdout.write(format_report(report))
