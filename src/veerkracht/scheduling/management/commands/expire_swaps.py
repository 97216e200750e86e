"""`veerkracht expire_swaps`: open and pending shift swaps whose shift has started expire.

The swap pages do this too when they are opened; run this hourly (cron) so the history and the
team leads' queues are right even when nobody looks.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from veerkracht.scheduling import swaps


class Command(BaseCommand):
    help = "Expire open and pending shift swaps whose shift (or the shift given back) has started."

    def handle(self, *args: Any, **options: Any) -> None:
        count = swaps.expire_swaps()
        self.stdout.write(f"{count} swap(s) expired")
