from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = (
        "Run the background job worker. Jobs are rows in the database (django-tasks-db): a worker that "
        "crashes leaves its job to be marked failed or picked up again, never half-done."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--interval", type=float, default=1.0, help="seconds between polls (default 1)")
        parser.add_argument("--batch", action="store_true", help="run the queued jobs, then exit")
        parser.add_argument("--queue", default="default", help="queue name (default: default)")

    def handle(self, *args: Any, **options: Any) -> None:
        worker_args = ["--interval", str(options["interval"]), "--queue-name", options["queue"], "--no-reload"]
        if options["batch"]:
            worker_args.append("--batch")
        call_command("db_worker", *worker_args)
