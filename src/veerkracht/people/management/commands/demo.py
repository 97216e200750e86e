from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from veerkracht.people.demo import DEMO_LOGINS, DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = "Load a realistic demo contact center (idempotent: a second run changes nothing unless --reset)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--agents", type=int, default=120, help="number of agents (default 120)")
        parser.add_argument("--seed", type=int, default=7, help="random seed; the same seed gives the same people")
        parser.add_argument("--reset", action="store_true", help="delete the demo organisation first and load it anew")

    def handle(self, *args: Any, **options: Any) -> None:
        if not 1 <= options["agents"] <= 5000:
            raise CommandError(_("--agents must be between 1 and 5000."))
        result = load_demo(agents=options["agents"], seed=options["seed"], reset=options["reset"])
        if result.created:
            self.stdout.write(self.style.SUCCESS(f"Demo loaded: {result.employees} employees in '{result.organisation}'."))
        else:
            self.stdout.write(f"Demo already loaded ({result.employees} employees); use --reset to load it anew.")
        for role, email in DEMO_LOGINS.items():
            self.stdout.write(f"  {role:<13} {email}  /  {DEMO_PASSWORD}")
