"""`veerkracht pulses`: open due rounds, close expired pulses, send reminders.

Run it from cron or the worker every few minutes; it is idempotent (a schedule's next date moves
on in the same transaction that opens its round; closing is one atomic update)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from veerkracht.pulses import services


class Command(BaseCommand):
    help = (
        "Open due pulse rounds (from schedules), close pulses whose closing time passed and "
        "remind those who have not answered a day before a pulse closes."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        opened = services.open_due_rounds()
        closed = services.close_expired_pulses()
        reminded = services.send_reminders()
        self.stdout.write(
            f"opened {len(opened)} pulse round(s), closed {closed} pulse(s), "
            f"sent {reminded} reminder(s)"
        )
