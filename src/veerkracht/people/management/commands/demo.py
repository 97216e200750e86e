from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.test.utils import override_settings
from django.utils import timezone
from django.utils.translation import gettext as _

from veerkracht.people.demo import DEMO_LOGINS, DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = "Load a realistic demo contact center (idempotent: a second run changes nothing unless --reset)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--agents", type=int, default=120, help="number of agents (default 120)"
        )
        parser.add_argument(
            "--seed", type=int, default=7, help="random seed; the same seed gives the same people"
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help="delete the demo organisation first and load it anew",
        )
        parser.add_argument(
            "--history-days",
            type=int,
            default=730,
            help="days of contact history to generate (default 730; 0 for none)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not 0 <= options["history_days"] <= 1500:
            raise CommandError(_("--history-days must be between 0 and 1500."))
        if not 1 <= options["agents"] <= 5000:
            raise CommandError(_("--agents must be between 1 and 5000."))
        result = load_demo(agents=options["agents"], seed=options["seed"], reset=options["reset"])
        if not result.created:
            self.stdout.write(
                f"Demo already loaded ({result.employees} employees); use --reset to load it anew."
            )
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Demo loaded: {result.employees} employees in '{result.organisation}'."
                )
            )
        if result.created:
            # Leading: 1:1s of the last weeks, personal circumstances, home-workplace requests.
            from veerkracht.wellbeing.demo import load_wellbeing_demo

            counts = load_wellbeing_demo(
                result.organisation, seed=options["seed"], today=timezone.localdate()
            )
            self.stdout.write(
                f"Wellbeing: {counts['checkins']} 1:1s, {counts['circumstances']} circumstance profiles, "
                f"{counts['home_requests']} home-workplace requests."
            )
            from veerkracht.pulses.demo import load_pulse_demo

            rounds = load_pulse_demo(
                result.organisation, seed=options["seed"], today=timezone.localdate()
            )
            self.stdout.write(f"Pulses: {len(rounds)} pulse rounds.")
        if result.created and options["history_days"] > 0:
            # Planning data: two years of contact history, service targets and a finished forecast.
            from veerkracht.scheduling.demo import load_history_demo

            timings = load_history_demo(
                result.organisation,
                seed=options["seed"],
                today=timezone.localdate(),
                agents=options["agents"],
                days=options["history_days"],
            )
            self.stdout.write(
                f"Contact history: {int(timings.get('intervals', 0))} intervals in {timings.get('insert_s', 0):.1f} s; "
                f"forecast in {timings.get('forecast_s', 0):.1f} s."
            )
        if result.created:
            # Rostering: an open roster period with agents' availability and preferences.
            from veerkracht.scheduling.availability import load_availability_demo

            # A week later than "today": this week and next are the demo roster's (below).
            period = load_availability_demo(
                result.organisation,
                seed=options["seed"],
                today=timezone.localdate() + timedelta(days=7),
            )
            self.stdout.write(f"Availability: roster period {period} open for input.")
        if result.created and options["history_days"] > 0:
            # Rostering: this week and next solved against the forecast and published (agents
            # have shifts today). Without history there is no demand to roster for.
            from veerkracht.scheduling.demo_roster import load_roster_demo

            # The demo's own publication is not e-mailed to 120 made-up people (the console
            # backend would print every mail); the notices stay on the agents' shifts page.
            with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
                current, run, publication = load_roster_demo(
                    result.organisation, today=timezone.localdate()
                )
            # The demo starts with this roster as the known state: its "new shift" notices count
            # as seen, so an agent's shifts page shows real changes only.
            from veerkracht.scheduling.models_roster import ShiftChange

            now = timezone.now()
            ShiftChange.objects.filter(employee__organisation=result.organisation).update(
                seen_at=now, notified_at=now
            )
            self.stdout.write(
                f"Roster: period {current} solved ({run.solver_status or run.status}) and "
                + (f"published {publication.shifts} shifts." if publication else "not published.")
            )
            # Intraday: today's actual volumes so far (a busy day on the phone) and quick tasks.
            from veerkracht.scheduling.demo_intraday import load_intraday_demo

            intraday = load_intraday_demo(result.organisation, seed=options["seed"])
            self.stdout.write(f"Intraday: {intraday}.")
        for role, email in DEMO_LOGINS.items():
            self.stdout.write(f"  {role:<13} {email}  /  {DEMO_PASSWORD}")
