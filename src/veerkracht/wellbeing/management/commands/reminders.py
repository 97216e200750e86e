"""`veerkracht reminders`: e-mail each team lead the people they have not spoken for N days.

Run it daily (cron, or enqueue `veerkracht.wellbeing.tasks.send_checkin_reminders`). It is safe to
run more often: each lead gets at most one reminder per day (NudgeSent).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from veerkracht.wellbeing import checkins


class Command(BaseCommand):
    help = (
        "E-mail each team lead the members of their teams without a held 1:1 for N days "
        "(default settings.CHECKIN_NUDGE_DAYS, 7). At most one e-mail per lead per day."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--days", type=int, default=None, help="Days without a 1:1 (default: the setting)."
        )
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Queue the work for a task worker instead of running it here.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        days = options["days"]
        if days is not None and days < 1:
            raise CommandError("--days must be 1 or more")
        if options["enqueue"]:
            from veerkracht.wellbeing.tasks import send_checkin_reminders

            result = send_checkin_reminders.enqueue()
            self.stdout.write(f"queued {result.id}")
            return
        sent = checkins.send_nudges(days=days)
        purged = checkins.purge_expired()
        self.stdout.write(f"{len(sent)} reminder(s) sent, {purged} expired 1:1(s) removed")
