from __future__ import annotations

import threading
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections

from veerkracht.config.jobs import reap_stale_jobs

REAP_EVERY_S = 60.0


def _reaper(stop: threading.Event) -> None:
    while not stop.wait(REAP_EVERY_S):
        try:
            reap_stale_jobs()
        finally:
            close_old_connections()


class Command(BaseCommand):
    help = (
        "Run the background job worker. Jobs are rows in the database (django-tasks-db). A worker that "
        "crashes stops sending heartbeats; any running worker then queues its job again or marks it failed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--interval", type=float, default=1.0, help="seconds between polls (default 1)"
        )
        parser.add_argument("--batch", action="store_true", help="run the queued jobs, then exit")
        parser.add_argument("--queue", default="default", help="queue name (default: default)")

    def handle(self, *args: Any, **options: Any) -> None:
        reap_stale_jobs()
        stop = threading.Event()
        if not options["batch"]:
            threading.Thread(
                target=_reaper, args=(stop,), daemon=True, name="veerkracht-reaper"
            ).start()
        worker_args = [
            "--interval",
            str(options["interval"]),
            "--queue-name",
            options["queue"],
            "--no-reload",
        ]
        if options["batch"]:
            worker_args.append("--batch")
        try:
            call_command("db_worker", *worker_args)
        finally:
            stop.set()
