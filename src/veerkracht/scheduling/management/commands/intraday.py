"""`veerkracht intraday import FILE`: store today's (or yesterday's) actual contact volumes from a
CSV or XLSX file with the columns of the history import (`start`, `channel`, `contacts`, optional
`aht_s`; docs/intraday.md). All or nothing: with any problem nothing is stored.

Exit codes: 0 stored; 1 the file has problems (each listed with its row and column); 2 bad
arguments (no such file, unknown organisation).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from veerkracht.people.models import Organisation
from veerkracht.scheduling import intraday

BAD_FILE = 1
BAD_INPUT = 2
MAX_ERRORS_SHOWN = 50


class Command(BaseCommand):
    help = "Intraday: import today's actual volumes (`veerkracht intraday import FILE`)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        imp = sub.add_parser("import", help="store actual volumes of today or yesterday")
        imp.add_argument("file", help="CSV or XLSX file ('-' for standard input)")
        imp.add_argument(
            "--organisation",
            help="organisation to import into (needed when there is more than one)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        self._import(options["file"], options.get("organisation"))

    def _fail(self, message: str, code: int) -> None:
        self.stderr.write(message)
        sys.exit(code)

    def _organisation(self, name: str | None) -> Organisation:
        if name:
            organisation = Organisation.objects.filter(name__iexact=name.strip()).first()
            if organisation is None:
                self._fail(
                    _("There is no organisation called “%(name)s”.") % {"name": name}, BAD_INPUT
                )
            assert organisation is not None
            return organisation
        organisations = list(Organisation.objects.order_by("name")[:2])
        if len(organisations) != 1:
            self._fail(
                _("There is no organisation yet; create one first.")
                if not organisations
                else _("There is more than one organisation; choose one with --organisation NAME."),
                BAD_INPUT,
            )
        return organisations[0]

    def _import(self, path: str, organisation_name: str | None) -> None:
        if path == "-":
            content = sys.stdin.buffer.read()
        else:
            file = Path(path)
            if not file.is_file():
                self._fail(_("%(path)s: no such file") % {"path": path}, BAD_INPUT)
            content = file.read_bytes()
        organisation = self._organisation(organisation_name)
        try:
            stored = intraday.import_actuals_file(
                organisation=organisation, by=None, filename=Path(path).name, content=content
            )
        except intraday.ActualsFileError as exc:
            lines = [
                _("row %(row)s, field %(field)s: %(message)s")
                % {"row": e["row"] or "-", "field": e["field"] or "-", "message": e["message"]}
                for e in exc.errors[:MAX_ERRORS_SHOWN]
            ]
            more = len(exc.errors) - MAX_ERRORS_SHOWN
            if more > 0:
                lines.append(_("… and %(n)d more") % {"n": more})
            self._fail(
                _("%(path)s has %(n)d problem(s); nothing was stored:")
                % {"path": path, "n": len(exc.errors)}
                + "\n"
                + "\n".join(lines),
                BAD_FILE,
            )
        self.stdout.write(
            _("%(n)d intervals stored for %(organisation)s.")
            % {"n": stored, "organisation": organisation.name}
        )
