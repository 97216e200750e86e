"""Bulk import of employees from CSV or XLSX: read the file, validate every row, preview, commit.

Pure of HTTP: the import page and the `veerkracht import employees` command both call

    table = read_table(content, filename)            # file-level problems raise ImportFileError
    preview = validate(table, organisation=org)      # header problems raise ImportFileError;
                                                     # row problems are collected per row and field
    result = import_employees(organisation=org, by=user, rows=preview.rows, only_valid=False)

The `Table` is plain JSON-able data, so the page can keep it between preview and confirm and
validate it again (against the database as it is then) before anything is stored. Columns are
documented in docs/import-employees.md; `COLUMNS` below is the single source for the header
names, the template file, the help on the page and the command's --help.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cached_property
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from . import audit, services
from .models import AuditAction, Channel, Employee, Organisation, Role, Site, Team

# An .xlsx is a zip; refuse workbooks that unpack to far more than the upload limit (zip bombs).
XLSX_MAX_UNPACKED_FACTOR = 20
MAX_COLUMNS = 100
ROLE_DEFAULT = (Role.AGENT,)


class ImportFileError(Exception):
    """The file as a whole cannot be used (type, size, encoding, header). The message is translated."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class RowError:
    row: int  # as a spreadsheet shows it: header = 1, first data row = 2
    field: str  # column key (see COLUMNS), "" for the row as a whole
    message: str


class ImportRejected(Exception):
    """Nothing was stored: rows have errors (and only_valid was not asked) or the data changed."""

    def __init__(self, message: str, errors: Sequence[RowError] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.errors = list(errors)


def _norm(text: str) -> str:
    """Header and token matching ignores case, spaces, '-', '_' and '.': 'E-mail' == 'email'."""
    return re.sub(r"[\s_\-.]+", "", text.strip().lower().lstrip("\ufeff"))


@dataclass(frozen=True)
class Column:
    key: str
    dutch: str  # header in the downloadable template
    english: str
    aliases: tuple[str, ...]
    required: bool
    description: Promise
    example: str

    @property
    def names(self) -> frozenset[str]:
        return frozenset(_norm(n) for n in (self.key, self.dutch, self.english, *self.aliases))


COLUMNS: tuple[Column, ...] = (
    Column(
        "first_name",
        "voornaam",
        "first_name",
        ("first name", "given name", "roepnaam"),
        True,
        gettext_lazy("First name."),
        "Fatima",
    ),
    Column(
        "infix",
        "tussenvoegsel",
        "infix",
        ("voorvoegsel", "last name prefix"),
        False,
        gettext_lazy("Dutch name prefix (van, de, van der); put in front of the last name."),
        "el",
    ),
    Column(
        "last_name",
        "achternaam",
        "last_name",
        ("last name", "surname", "family name"),
        True,
        gettext_lazy("Last name."),
        "Amrani",
    ),
    Column(
        "email",
        "e-mail",
        "email",
        ("e-mailadres", "email address", "work email", "werkmail"),
        True,
        gettext_lazy("Work e-mail address; also the login. Must not exist yet."),
        "fatima.amrani@example.nl",
    ),
    Column(
        "employment_start",
        "in_dienst",
        "employment_start",
        ("datum in dienst", "startdatum", "start date", "start"),
        True,
        gettext_lazy("First working day: YYYY-MM-DD or DD-MM-YYYY."),
        "01-09-2025",
    ),
    Column(
        "contract_hours",
        "contracturen",
        "contract_hours",
        ("uren", "uren per week", "hours", "hours per week"),
        True,
        gettext_lazy("Contract hours per week, 0 to 60; decimal comma or point (24,5)."),
        "32",
    ),
    Column(
        "channels",
        "kanalen",
        "channels",
        ("kanaal", "channel"),
        False,
        gettext_lazy(
            "Trained channels separated by | or ,: telefoon/phone, chat, e-mail, webcare/social."
        ),
        "telefoon|chat",
    ),
    Column(
        "team",
        "team",
        "team",
        ("teamnaam", "team name"),
        False,
        gettext_lazy("Name of an existing team."),
        "Team Noord",
    ),
    Column(
        "site",
        "locatie",
        "site",
        ("vestiging", "location"),
        False,
        gettext_lazy("Name of an existing site; needed when team names repeat across sites."),
        "Utrecht",
    ),
    Column(
        "roles",
        "rollen",
        "roles",
        ("rol", "role"),
        False,
        gettext_lazy(
            "medewerker/agent (default), teamleider/team_lead, locatiemanager/site_manager, planner, beheerder/admin; separated by | or ,."
        ),
        "medewerker",
    ),
    Column(
        "birthday",
        "geboortedatum",
        "birthday",
        ("date of birth", "birth date"),
        False,
        gettext_lazy(
            "Date of birth: YYYY-MM-DD or DD-MM-YYYY. Only the person and admins see it unless they opt in."
        ),
        "",
    ),
    Column(
        "address",
        "adres",
        "address",
        ("straat", "straat en huisnummer", "address line", "street"),
        False,
        gettext_lazy(
            "Street and number (home address; seen only by the person, their team lead and admins)."
        ),
        "",
    ),
    Column(
        "postcode",
        "postcode",
        "postcode",
        ("postal code", "zip", "zip code"),
        False,
        gettext_lazy("Postcode."),
        "",
    ),
    Column(
        "city",
        "woonplaats",
        "city",
        ("plaats", "town"),
        False,
        gettext_lazy("Place of residence."),
        "",
    ),
    Column(
        "language",
        "taal",
        "language",
        (),
        False,
        gettext_lazy("nl (default) or en: the language of the app for this person."),
        "nl",
    ),
)
COLUMN_BY_KEY = {c.key: c for c in COLUMNS}
REQUIRED_KEYS = tuple(c.key for c in COLUMNS if c.required)

CHANNEL_ALIASES: dict[str, str] = {
    **{_norm(a): Channel.PHONE for a in ("phone", "telefoon", "telephone", "tel", "voice")},
    **{_norm(a): Channel.CHAT for a in ("chat",)},
    **{_norm(a): Channel.EMAIL for a in ("email", "e-mail", "mail")},
    **{_norm(a): Channel.SOCIAL for a in ("social", "webcare", "social media", "sociale media")},
}
ROLE_ALIASES: dict[str, str] = {
    **{_norm(a): Role.AGENT for a in ("agent", "medewerker")},
    **{_norm(a): Role.TEAM_LEAD for a in ("team_lead", "team lead", "teamleider", "team leader")},
    **{
        _norm(a): Role.SITE_MANAGER
        for a in ("site_manager", "site manager", "locatiemanager", "vestigingsmanager")
    },
    **{_norm(a): Role.PLANNER for a in ("planner", "wfm")},
    **{_norm(a): Role.ADMIN for a in ("admin", "beheerder", "administrator")},
}
LANGUAGE_ALIASES: dict[str, str] = {
    **{_norm(a): "nl" for a in ("nl", "nederlands", "dutch")},
    **{_norm(a): "en" for a in ("en", "engels", "english")},
}
_LIST_SEPARATORS = re.compile(r"[|,;/]")


# --- Reading the file -----------------------------------------------------------------------


@dataclass
class Table:
    """The cells of a file as text, with each row's number as a spreadsheet shows it."""

    header: list[str]
    header_row: int
    rows: list[tuple[int, list[str]]]
    filename: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "header": self.header,
            "header_row": self.header_row,
            "rows": self.rows,
            "filename": self.filename,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Table:
        return cls(
            header=[str(h) for h in data["header"]],
            header_row=int(data["header_row"]),
            rows=[(int(n), [str(c) for c in cells]) for n, cells in data["rows"]],
            filename=str(data.get("filename", "")),
        )


def read_table(
    content: bytes, filename: str, *, max_rows: int | None = None, max_bytes: int | None = None
) -> Table:
    """Read a CSV (UTF-8 with or without BOM, `,` `;` or tab) or the first sheet of an XLSX."""
    max_rows = settings.IMPORT_MAX_ROWS if max_rows is None else max_rows
    max_bytes = settings.IMPORT_MAX_BYTES if max_bytes is None else max_bytes
    if len(content) > max_bytes:
        raise ImportFileError(
            _("The file is too large (%(size)s); the limit is %(limit)s.")
            % {"size": _megabytes(len(content)), "limit": _megabytes(max_bytes)}
        )
    if not content.strip():
        raise ImportFileError(_("The file is empty."))
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    is_zip = content.startswith(b"PK\x03\x04")
    if extension == "xlsx" or (is_zip and extension in {"csv", ""}):
        records = _xlsx_records(content, max_bytes=max_bytes)
    elif extension in {"csv", ""}:
        records = _csv_records(content)
    elif extension in {"xls", "ods", "numbers", "xlsm", "xlsb"}:
        raise ImportFileError(
            _("This spreadsheet format cannot be read; save the file as .xlsx or .csv first.")
        )
    else:
        raise ImportFileError(_("Upload a .csv or .xlsx file."))
    return _build_table(records, filename=filename, max_rows=max_rows)


def _megabytes(size: int) -> str:
    return _("%(mb).1f MB") % {"mb": size / (1024 * 1024)}


def _csv_records(content: bytes) -> Iterator[list[str]]:
    if content.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportFileError(
            _("This is an old Excel file (.xls); save it as .xlsx or .csv first.")
        )
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = content.decode("utf-16")  # Excel's "Unicode text" export
    else:
        if b"\x00" in content[:4096]:
            raise ImportFileError(
                _("This does not look like a CSV file (it contains binary data).")
            )
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            # Excel on Windows writes "CSV (semicolon delimited)" in Windows-1252, not UTF-8.
            try:
                text = content.decode("cp1252")
            except UnicodeDecodeError:
                raise ImportFileError(
                    _("The file's text encoding is not UTF-8; save it as “CSV UTF-8”.")
                ) from None
    first_line = text.lstrip("\ufeff").split("\n", 1)[0]
    delimiter = max(";,\t", key=first_line.count)  # header names never contain these
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        yield from reader
    except csv.Error as exc:
        raise ImportFileError(
            _("The CSV file could not be read: %(error)s") % {"error": exc}
        ) from None


def _xlsx_records(content: bytes, *, max_bytes: int) -> Iterator[list[str]]:
    import openpyxl

    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise ImportFileError(
            _("The file could not be read as an Excel workbook (.xlsx).")
        ) from None
    if unpacked > max_bytes * XLSX_MAX_UNPACKED_FACTOR:
        raise ImportFileError(_("The workbook unpacks to too much data; save it as .csv instead."))
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many types on malformed input; the file is untrusted
        raise ImportFileError(
            _("The file could not be read as an Excel workbook (.xlsx).")
        ) from None
    try:
        if not workbook.worksheets:
            raise ImportFileError(_("The workbook has no sheets."))
        sheet = workbook.worksheets[0]
        try:
            for values in sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True):
                yield [_cell_text(v) for v in values]
        except ImportFileError:
            raise
        except Exception:
            raise ImportFileError(
                _("The file could not be read as an Excel workbook (.xlsx).")
            ) from None
    finally:
        workbook.close()


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


def _build_table(records: Iterable[list[str]], *, filename: str, max_rows: int) -> Table:
    header: list[str] | None = None
    header_row = 0
    rows: list[tuple[int, list[str]]] = []
    for number, record in enumerate(records, start=1):
        cells = [c.strip() for c in record[:MAX_COLUMNS]]
        if not any(cells):
            continue  # blank rows (Excel leaves them at the end) count for numbering only
        if header is None:
            header, header_row = cells, number
            continue
        if len(rows) >= max_rows:
            raise ImportFileError(
                ngettext(
                    "The file has more than %(max)d data row; split it into smaller files.",
                    "The file has more than %(max)d data rows; split it into smaller files.",
                    max_rows,
                )
                % {"max": max_rows}
            )
        rows.append((number, cells))
    if header is None:
        raise ImportFileError(_("The file is empty."))
    if not rows:
        raise ImportFileError(_("The file has a header row but no employees below it."))
    return Table(header=header, header_row=header_row, rows=rows, filename=filename)


# --- Validating -----------------------------------------------------------------------------


@dataclass
class PreviewRow:
    number: int
    cells: dict[str, str]  # the text per column key, as in the file
    values: dict[str, Any] = field(
        default_factory=dict
    )  # parsed, ready for services.create_employee
    errors: list[RowError] = field(default_factory=list)

    @property
    def is_valid(self) -> bool:
        return not self.errors

    def error(self, key: str, message: str) -> None:
        self.errors.append(RowError(self.number, key, message))

    @property
    def full_name(self) -> str:
        return " ".join(
            p
            for p in (
                self.cells.get("first_name"),
                self.cells.get("infix"),
                self.cells.get("last_name"),
            )
            if p
        )


@dataclass
class Preview:
    table: Table
    headers: dict[str, str]  # column key -> the header as written in the file
    ignored_columns: list[str]
    rows: list[PreviewRow]

    @property
    def valid_rows(self) -> list[PreviewRow]:
        return [r for r in self.rows if r.is_valid]

    @property
    def error_rows(self) -> list[PreviewRow]:
        return [r for r in self.rows if not r.is_valid]

    @property
    def errors(self) -> list[RowError]:
        return [e for r in self.rows for e in r.errors]

    @cached_property
    def rows_by_number(self) -> dict[int, PreviewRow]:
        return {r.number: r for r in self.rows}

    @property
    def has_errors(self) -> bool:
        return any(r.errors for r in self.rows)

    def label(self, key: str) -> str:
        """The column as the person wrote it in their file (what they will look for)."""
        return self.headers.get(key, key)


def map_header(header: Sequence[str]) -> tuple[dict[str, int], dict[str, str], list[str]]:
    """Column key -> index, key -> header text, and the headers not recognised (ignored)."""
    index: dict[str, int] = {}
    labels: dict[str, str] = {}
    ignored: list[str] = []
    lookup = {name: column.key for column in COLUMNS for name in column.names}
    for position, text in enumerate(header):
        key = lookup.get(_norm(text))
        if key is None:
            if text:
                ignored.append(text)
            continue
        if key in index:
            raise ImportFileError(
                _("The columns “%(first)s” and “%(second)s” both mean %(column)s; keep one.")
                % {"first": labels[key], "second": text, "column": key}
            )
        index[key], labels[key] = position, text
    missing = [COLUMN_BY_KEY[k] for k in REQUIRED_KEYS if k not in index]
    if missing:
        raise ImportFileError(
            _("Required columns are missing: %(columns)s.")
            % {"columns": ", ".join(f"{c.dutch} / {c.english}" for c in missing)}
        )
    return index, labels, ignored


def validate(table: Table, *, organisation: Organisation) -> Preview:
    """Check every row fully; return all parsed values and every error (row, field, message)."""
    index, labels, ignored = map_header(table.header)
    rows: list[PreviewRow] = []
    for number, cells in table.rows:
        row = PreviewRow(
            number=number,
            cells={key: cells[i] if i < len(cells) else "" for key, i in index.items()},
        )
        if any(cells[len(table.header) :]):
            row.error(
                "",
                _(
                    "This row has more cells than the header has columns; put values that contain the delimiter between double quotes."
                ),
            )
        rows.append(row)

    context = _Lookups.load(organisation, emails=[r.cells["email"] for r in rows])
    first_row_of_email: dict[str, int] = {}
    for row in rows:
        _parse_row(row, context)
        email = row.values.get("email")
        if email:
            if email in first_row_of_email:
                row.error(
                    "email",
                    _("This e-mail address is also on row %(row)d.")
                    % {"row": first_row_of_email[email]},
                )
            else:
                first_row_of_email[email] = row.number
        if row.is_valid:
            _model_check(row)
    return Preview(table=table, headers=labels, ignored_columns=ignored, rows=rows)


@dataclass
class _Lookups:
    sites: dict[str, Site]
    teams: dict[str, list[Team]]
    taken_emails: set[str]

    @classmethod
    def load(cls, organisation: Organisation, *, emails: list[str]) -> _Lookups:
        sites = {s.name.casefold(): s for s in Site.objects.filter(organisation=organisation)}
        teams: dict[str, list[Team]] = {}
        for team in Team.objects.filter(site__organisation=organisation).select_related("site"):
            teams.setdefault(team.name.casefold(), []).append(team)
        wanted = sorted({e.strip().lower() for e in emails if e.strip()})
        taken: set[str] = set()
        User = get_user_model()
        # Work e-mail is unique across the installation, so look beyond the organisation.
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            taken.update(
                Employee.objects.annotate(lower=Lower("email"))
                .filter(lower__in=chunk)
                .values_list("lower", flat=True)
            )
            taken.update(
                User.objects.annotate(lower=Lower("username"))
                .filter(lower__in=chunk)
                .values_list("lower", flat=True)
            )
        return cls(sites=sites, teams=teams, taken_emails=taken)


def _parse_row(row: PreviewRow, context: _Lookups) -> None:
    cells, values = row.cells, row.values
    for key in ("first_name", "last_name"):
        if not cells[key]:
            row.error(key, _("This field is required."))
    values["first_name"] = cells["first_name"]
    values["last_name"] = " ".join(p for p in (cells.get("infix", ""), cells["last_name"]) if p)

    email = cells["email"].lower()
    if not email:
        row.error("email", _("This field is required."))
    else:
        try:
            validate_email(email)
        except ValidationError:
            row.error(
                "email", _("“%(value)s” is not a valid e-mail address.") % {"value": cells["email"]}
            )
        else:
            values["email"] = email
            if email in context.taken_emails:
                row.error("email", _("An employee with this e-mail address already exists."))

    start = _parse_date(row, "employment_start", required=True)
    if start is not None:
        values["employment_start"] = start
    birthday = _parse_date(row, "birthday", required=False)
    if birthday is not None:
        if not dt.date(1900, 1, 1) <= birthday < timezone.localdate():
            row.error("birthday", _("This date of birth is not plausible."))
        values["birthday"] = birthday

    hours = _parse_hours(row)
    if hours is not None:
        values["contract_hours"] = hours

    values["channels"] = _parse_choices(
        row,
        "channels",
        CHANNEL_ALIASES,
        _("Unknown channel “%(value)s”. Use: %(choices)s."),
        choices="telefoon/phone, chat, e-mail, webcare/social",
    )
    roles = _parse_choices(
        row,
        "roles",
        ROLE_ALIASES,
        _("Unknown role “%(value)s”. Use: %(choices)s."),
        choices="medewerker/agent, teamleider/team_lead, locatiemanager/site_manager, planner, beheerder/admin",
    )
    values["roles"] = roles or list(ROLE_DEFAULT)

    site = None
    if cells.get("site"):
        site = context.sites.get(cells["site"].casefold())
        if site is None:
            row.error("site", _("There is no site called “%(value)s”.") % {"value": cells["site"]})
        values["site"] = site
    if cells.get("team"):
        candidates = context.teams.get(cells["team"].casefold(), [])
        if site is not None:
            candidates = [t for t in candidates if t.site_id == site.pk]
        if not candidates:
            if site is not None:
                row.error(
                    "team",
                    _("Site “%(site)s” has no team called “%(value)s”.")
                    % {"site": site.name, "value": cells["team"]},
                )
            elif not cells.get("site"):
                row.error(
                    "team", _("There is no team called “%(value)s”.") % {"value": cells["team"]}
                )
        elif len(candidates) > 1:
            row.error(
                "team",
                _("Several sites have a team called “%(value)s”; fill in the site column.")
                % {"value": cells["team"]},
            )
        else:
            values["team"] = candidates[0]

    for key, target in (("address", "address_line"), ("postcode", "postcode"), ("city", "city")):
        values[target] = cells.get(key, "")
    language = cells.get("language", "")
    if language:
        code = LANGUAGE_ALIASES.get(_norm(language))
        if code is None:
            row.error(
                "language", _("Unknown language “%(value)s”. Use nl or en.") % {"value": language}
            )
        values["language"] = code or "nl"
    else:
        values["language"] = "nl"


_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_DUTCH_DATE = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")


def _parse_date(row: PreviewRow, key: str, *, required: bool) -> dt.date | None:
    text = row.cells.get(key, "")
    if not text:
        if required:
            row.error(key, _("This field is required."))
        return None
    if match := _ISO_DATE.match(text):
        year, month, day = (int(g) for g in match.groups())
    elif match := _DUTCH_DATE.match(text):
        day, month, year = (int(g) for g in match.groups())
    else:
        row.error(
            key, _("“%(value)s” is not a date; use YYYY-MM-DD or DD-MM-YYYY.") % {"value": text}
        )
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        row.error(key, _("“%(value)s” is not an existing date.") % {"value": text})
        return None


def _parse_hours(row: PreviewRow) -> Decimal | None:
    text = row.cells["contract_hours"]
    if not text:
        row.error("contract_hours", _("This field is required."))
        return None
    try:
        hours = Decimal(text.replace(",", ".").replace(" ", ""))
    except InvalidOperation:
        hours = None
    if hours is None or not hours.is_finite():
        row.error("contract_hours", _("“%(value)s” is not a number.") % {"value": text})
        return None
    if not Decimal(0) <= hours <= Decimal(60):
        row.error("contract_hours", _("Contract hours must be between 0 and 60."))
        return None
    if hours != hours.quantize(Decimal("0.1")):
        row.error("contract_hours", _("Use at most one decimal (for example 24,5)."))
        return None
    return hours.quantize(Decimal("0.1"))


def _parse_choices(
    row: PreviewRow, key: str, aliases: dict[str, str], message: str, *, choices: str
) -> list[str]:
    found: list[str] = []
    for token in _LIST_SEPARATORS.split(row.cells.get(key, "")):
        if not token.strip():
            continue
        value = aliases.get(_norm(token))
        if value is None:
            row.error(key, message % {"value": token.strip(), "choices": choices})
        elif value not in found:
            found.append(value)
    return found


_MODEL_FIELD_TO_COLUMN = {"address_line": "address"}


def _model_check(row: PreviewRow) -> None:
    """The model's own rules (lengths, ranges) as a last check, so a valid preview row saves."""
    values = row.values
    employee = Employee(
        first_name=values["first_name"],
        last_name=values["last_name"],
        email=values["email"],
        employment_start=values["employment_start"],
        contract_hours=values["contract_hours"],
        channels=values["channels"],
        birthday=values.get("birthday"),
        address_line=values["address_line"],
        postcode=values["postcode"],
        city=values["city"],
        language=values["language"],
    )
    try:
        employee.clean_fields(exclude=["organisation", "user", "team"])
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            key = _MODEL_FIELD_TO_COLUMN.get(name, name)
            for message in messages:
                row.error(key, message)


# --- Committing -----------------------------------------------------------------------------


@dataclass
class ImportResult:
    created: list[Employee]
    skipped: int


_CREATE_ARGS = (
    "first_name",
    "last_name",
    "email",
    "employment_start",
    "contract_hours",
    "channels",
    "team",
    "roles",
    "birthday",
    "address_line",
    "postcode",
    "city",
    "language",
)


def import_employees(
    *, organisation: Organisation, by: Any, rows: Sequence[PreviewRow], only_valid: bool
) -> ImportResult:
    """Store the valid rows in one transaction; existing employees are never changed.

    With errors in any row and `only_valid` false, nothing is stored (ImportRejected). A row that
    fails while saving (the data changed since the preview) rolls the whole import back.
    A team lead with a team becomes a lead of that team; a site manager with a site, a manager
    of that site (through the same services as the Teams and Sites pages).
    """
    bad = [r for r in rows if not r.is_valid]
    good = [r for r in rows if r.is_valid]
    if bad and not only_valid:
        raise ImportRejected(
            ngettext(
                "%(count)d row has errors; nothing was imported.",
                "%(count)d rows have errors; nothing was imported.",
                len(bad),
            )
            % {"count": len(bad)},
            [e for r in bad for e in r.errors],
        )
    if not good:
        raise ImportRejected(_("There are no valid rows to import."))
    created: list[Employee] = []
    new_leads: dict[Team, list[Employee]] = {}
    new_managers: dict[Site, list[Employee]] = {}
    with transaction.atomic():
        for row in good:
            kwargs = {k: row.values[k] for k in _CREATE_ARGS if k in row.values}
            try:
                employee = services.create_employee(organisation=organisation, by=by, **kwargs)
            except ValidationError as exc:
                errors = [
                    RowError(row.number, k, m) for k, ms in exc.message_dict.items() for m in ms
                ]
                raise ImportRejected(
                    _(
                        "Row %(row)d could not be saved (the data changed since the check); nothing was imported."
                    )
                    % {"row": row.number},
                    errors,
                ) from exc
            created.append(employee)
            if Role.TEAM_LEAD in row.values["roles"] and row.values.get("team") is not None:
                new_leads.setdefault(row.values["team"], []).append(employee)
            if Role.SITE_MANAGER in row.values["roles"] and row.values.get("site") is not None:
                new_managers.setdefault(row.values["site"], []).append(employee)
        for team, leads in new_leads.items():
            services.save_team(team=team, by=by, leads=[*team.leads.all(), *leads])
        for site, managers in new_managers.items():
            services.save_site(site=site, by=by, managers=[*site.managers.all(), *managers])
        audit.record(
            actor=by,
            action=AuditAction.IMPORT,
            object_type=Employee._meta.label,
            summary=f"employee import: {len(created)} created, {len(bad)} rows skipped",
            changes={"rows": len(rows), "created": len(created), "skipped": len(bad)},
        )
    return ImportResult(created=created, skipped=len(bad))


# --- Template --------------------------------------------------------------------------------


def template_csv() -> bytes:
    """A template with Dutch headers, `;` delimited with a BOM, as Dutch Excel opens it directly."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([c.dutch for c in COLUMNS])
    writer.writerow([c.example for c in COLUMNS])
    return ("\ufeff" + out.getvalue()).encode("utf-8")
