"""`veerkracht import employees FILE`: the bulk employee import from the command line.

Same checks and service as the import page (veerkracht.people.importer). Prints every row
error as `row 3, field e-mail: …` and exits non-zero when a row is wrong, unless --only-valid.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from veerkracht.people import importer
from veerkracht.people.models import Employee, Organisation, Role


def _columns_help() -> str:
    lines = ["columns (header names in Dutch or English; * = required):"]
    for column in importer.COLUMNS:
        names = (
            column.dutch if column.dutch == column.english else f"{column.dutch} / {column.english}"
        )
        lines.append(f"  {'*' if column.required else ' '} {names:<32} {column.description}")
    lines += [
        "",
        "CSV: UTF-8 (with or without BOM), delimiter ; or , (detected). XLSX: the first sheet.",
        "Dates YYYY-MM-DD or DD-MM-YYYY; hours with a decimal comma or point.",
        f"At most {settings.IMPORT_MAX_ROWS} rows and {settings.IMPORT_MAX_BYTES // 1024} KB.",
        "Nothing is stored when any row has an error, unless --only-valid. See docs/import-employees.md.",
    ]
    return "\n".join(lines)


class Command(BaseCommand):
    help = "Import data from CSV or XLSX files. Kinds: employees."

    def add_arguments(self, parser: CommandParser) -> None:
        kinds = parser.add_subparsers(dest="kind", required=True, metavar="KIND")
        employees = kinds.add_parser(
            "employees",
            help="add employees from a CSV or XLSX file",
            description="Add employees from a CSV or XLSX file. Existing employees are never changed.",
            epilog=_columns_help(),
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        employees.add_argument("file", type=Path, help="the .csv or .xlsx file")
        employees.add_argument(
            "--organisation",
            metavar="NAME",
            help="organisation to import into (needed when there is more than one)",
        )
        employees.add_argument(
            "--dry-run", action="store_true", help="check the file and report; store nothing"
        )
        employees.add_argument(
            "--only-valid",
            action="store_true",
            help="store the valid rows and skip rows with errors (default: store nothing if any row is wrong)",
        )
        employees.add_argument(
            "--by",
            metavar="EMAIL",
            help="e-mail of the admin doing the import, for the audit log (default: the system)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["kind"] == "employees":
            self._employees(options)

    def _employees(self, options: dict[str, Any]) -> None:
        by = self._user(options.get("by"))
        organisation = self._organisation(options.get("organisation"), by)
        path: Path = options["file"]
        try:
            with path.open("rb") as handle:
                content = handle.read(settings.IMPORT_MAX_BYTES + 1)
        except OSError as exc:
            raise CommandError(
                _("Cannot read %(path)s: %(error)s") % {"path": path, "error": exc.strerror}
            ) from None
        try:
            preview = importer.validate(
                importer.read_table(content, path.name), organisation=organisation
            )
        except importer.ImportFileError as exc:
            raise CommandError(exc.message) from None

        for error in preview.errors:
            field = preview.label(error.field) if error.field else _("(whole row)")
            self.stderr.write(
                _("row %(row)d, field %(field)s: %(message)s")
                % {"row": error.row, "field": field, "message": error.message}
            )
        valid, bad = len(preview.valid_rows), len(preview.error_rows)
        summary = _("%(rows)d rows checked: %(valid)d valid, %(bad)d with errors.") % {
            "rows": len(preview.rows),
            "valid": valid,
            "bad": bad,
        }
        self.stdout.write(summary)
        if bad and not options["only_valid"]:
            raise CommandError(
                ngettext(
                    "%(count)d row has errors; nothing was imported. Fix the file, or use --only-valid.",
                    "%(count)d rows have errors; nothing was imported. Fix the file, or use --only-valid.",
                    bad,
                )
                % {"count": bad}
            )
        if options["dry_run"]:
            self.stdout.write(
                ngettext(
                    "Dry run: %(count)d employee would be imported.",
                    "Dry run: %(count)d employees would be imported.",
                    valid,
                )
                % {"count": valid}
            )
            return
        try:
            result = importer.import_employees(
                organisation=organisation,
                by=by,
                rows=preview.rows,
                only_valid=options["only_valid"],
            )
        except importer.ImportRejected as exc:
            for error in exc.errors:
                self.stderr.write(
                    _("row %(row)d, field %(field)s: %(message)s")
                    % {"row": error.row, "field": error.field, "message": error.message}
                )
            raise CommandError(exc.message) from None
        self.stdout.write(
            self.style.SUCCESS(
                ngettext(
                    "%(count)d employee imported into %(organisation)s.",
                    "%(count)d employees imported into %(organisation)s.",
                    len(result.created),
                )
                % {"count": len(result.created), "organisation": organisation.name}
            )
        )

    def _user(self, email: str | None) -> Any:
        if not email:
            return None
        employee = (
            Employee.objects.filter(email__iexact=email.strip(), is_active=True, user__isnull=False)
            .select_related("user", "organisation")
            .first()
        )
        if employee is None or not employee.has_role(Role.ADMIN):
            raise CommandError(_("--by must be the e-mail address of an active admin."))
        user = employee.user
        user._veerkracht_employee = employee  # type: ignore[union-attr]
        return user

    def _organisation(self, name: str | None, by: Any) -> Organisation:
        by_organisation = by._veerkracht_employee.organisation if by is not None else None
        if name:
            organisation = Organisation.objects.filter(name__iexact=name.strip()).first()
            if organisation is None:
                raise CommandError(
                    _("There is no organisation called “%(name)s”.") % {"name": name}
                )
            if by_organisation is not None and organisation.pk != by_organisation.pk:
                raise CommandError(
                    _("--by must be an admin of %(name)s.") % {"name": organisation.name}
                )
            return organisation
        if by_organisation is not None:
            return by_organisation
        organisations = list(Organisation.objects.order_by("name")[:2])
        if len(organisations) == 1:
            return organisations[0]
        if not organisations:
            raise CommandError(_("There is no organisation yet; create one first."))
        raise CommandError(
            _("There is more than one organisation; choose one with --organisation NAME.")
        )
