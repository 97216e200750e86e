"""`veerkracht shift_notices`: e-mail the shift-change notices that were not e-mailed yet.

`shifts.record_change` e-mails a notice right after the change is committed; when a worker or
the mail server fails in between, the notice stays without `notified_at` and this command sends
it. One e-mail per employee with all their pending notices, in their language. Each notice is
claimed with an atomic update before sending, so running it again (or next to the web process)
never sends a notice twice. Run it every few minutes from cron.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from veerkracht.scheduling import shifts


class Command(BaseCommand):
    help = (
        "E-mail shift-change notices that were not e-mailed yet: one e-mail per employee, "
        "in their language. Safe to run repeatedly."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        sent = shifts.send_change_notices()
        self.stdout.write(f"{sent} shift-change e-mail(s) sent")
