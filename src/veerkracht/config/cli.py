"""The `veerkracht` command line.

`veerkracht COMMAND ...` runs the Django management command of the same name with the project's
settings, so every command has `--help`, reads and writes CSV or JSON, and exits non-zero with a
clear message on bad input (Django's CommandError).
"""

from __future__ import annotations

import os
import sys

# Commands we document and support; later issues add theirs here.
COMMANDS: dict[str, str] = {
    "demo": "load the demo contact center (--agents N --seed S --reset)",
    "worker": "run the background job worker (roster runs, forecasts, imports, reminders)",
    "import": "import data: `veerkracht import employees FILE [--dry-run] [--only-valid]`",
    "forecast": "forecast contacts: `veerkracht forecast HISTORY.csv --horizon 28 --out forecast.csv`",
    "staffing": "staff needed: `veerkracht staffing FORECAST.csv --channel phone --sl 0.8 --target 20 --aht 300`",
    "backtest": "forecast accuracy against baselines: `veerkracht backtest HISTORY.csv`",
    "roster": "rosters as JSON: `veerkracht roster solve|check|schema` (see docs/roster-format.md)",
    "reminders": "nudge team leads about agents they have not spoken for N days (run daily, e.g. from cron)",
    "availability_reminders": "remind agents to submit availability before a roster deadline (run daily)",
    "pulses": "open due pulse rounds, close expired ones, remind non-respondents (run daily)",
    "expire_swaps": "expire open shift swaps whose shift has started (run hourly)",
    "shift_notices": "e-mail shift-change notices a crash left unsent (run every few minutes)",
    "serve": "run the development web server (use gunicorn in production)",
    "migrate": "create or update the database tables",
    "intraday": "today's actual volumes: `veerkracht intraday import FILE [--organisation NAME]`",
}

USAGE = """usage: veerkracht COMMAND [options]

Veerkracht: planning, personal leadership and honest KPIs for remote contact centers.

commands:
{commands}

Run `veerkracht COMMAND --help` for the options of a command.
Settings come from environment variables (DATABASE_URL, SECRET_KEY, ...): see docs/configuration.md.
"""


def usage() -> str:
    width = max(len(name) for name in COMMANDS)
    lines = "\n".join(f"  {name:<{width}}  {text}" for name, text in COMMANDS.items())
    return USAGE.format(commands=lines)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in {"-h", "--help", "help"}:
        sys.stdout.write(usage())
        return 0
    if argv[0] in {"--version", "version"}:
        from veerkracht import __version__

        sys.stdout.write(f"veerkracht {__version__}\n")
        return 0
    command = argv[0]
    if command not in COMMANDS:
        sys.stderr.write(f"veerkracht: unknown command {command!r}\n\n{usage()}")
        return 2
    if command == "serve":
        argv = ["runserver", *argv[1:]]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "veerkracht.config.settings")
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(["veerkracht", *argv])
    except SystemExit as exc:
        return int(exc.code or 0) if not isinstance(exc.code, str) else 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
