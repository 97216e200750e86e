"""`veerkracht availability_reminders`: e-mail agents who have not submitted their availability
for a roster period whose deadline is within 3 days.

Run it daily or hourly (cron): each agent gets at most one reminder per period per day
(AvailabilityReminder rows), so running it again sends nothing new.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from veerkracht.scheduling import availability


class Command(BaseCommand):
    help = (
        "E-mail agents who have not submitted availability for a roster period whose deadline "
        "is within 3 days. At most one e-mail per agent per period per day."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        sent = availability.send_reminders()
        self.stdout.write(f"{len(sent)} availability reminder(s) sent")
