"""Bulk employee import: page (upload → preview → confirm), the importer, and the CLI command."""

from __future__ import annotations

import io
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from veerkracht.people import importer
from veerkracht.people.models import AuditAction, AuditEvent, Employee, Role

DATA = Path(__file__).resolve().parent.parent / "data"
URL = reverse("people:employee_import")
GOOD_EMAILS = {"fatima.amrani@example.nl", "jeroen.vanderberg@example.nl", "sanne.kok@example.nl"}
BAD_FILE_ERRORS = {
    (3, "first_name"),
    (4, "email"),
    (5, "employment_start"),
    (6, "contract_hours"),
    (7, "channels"),
    (8, "team"),
    (9, "roles"),
    (10, "email"),  # already exists (alice@example.nl, in another case)
    (11, "email"),  # also on row 2
    (12, "email"),
    (12, "employment_start"),
    (12, "contract_hours"),
}


@pytest.fixture(autouse=True)
def english(world):
    Employee.objects.update(language="en")


def upload(client, name: str, content: bytes):
    return client.post(URL, {"action": "upload", "file": SimpleUploadedFile(name, content)})


def token_of(response) -> str:
    assert response.status_code == 302, response.content.decode()[:2000]
    return parse_qs(urlparse(response.url).query)["preview"][0]


def xlsx(rows: list[list[object]]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    workbook.create_sheet("Second sheet")["A1"] = "ignored"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def imported() -> set[str]:
    return set(
        Employee.objects.filter(email__endswith="@example.nl")
        .exclude(
            email__in=[
                "alice@example.nl",
                "bob@example.nl",
                "carol@example.nl",
                "lisa@example.nl",
                "lars@example.nl",
                "sam@example.nl",
                "piet@example.nl",
                "anna@example.nl",
                "otto@example.nl",
            ]
        )
        .values_list("email", flat=True)
    )


# --- The page --------------------------------------------------------------------------------


def test_it_imports_a_dutch_semicolon_csv_after_a_preview(world):
    client = world.client_for(world.admin)
    assert client.get(URL).status_code == 200
    token = token_of(upload(client, "medewerkers.csv", (DATA / "employees_good.csv").read_bytes()))
    preview = client.get(f"{URL}?preview={token}")
    assert preview.status_code == 200
    body = preview.content.decode()
    assert "Import all 3 employees" in body and "Fatima el Amrani" in body
    assert imported() == set()  # nothing stored by the preview

    response = client.post(URL, {"action": "import_all", "token": token})
    assert response.status_code == 302 and response.url == reverse("people:employee_list")
    assert imported() == GOOD_EMAILS
    fatima = Employee.objects.get(email="fatima.amrani@example.nl")
    assert (fatima.first_name, fatima.last_name) == ("Fatima", "el Amrani")
    assert fatima.employment_start == date(2025, 9, 1) and fatima.birthday == date(1995, 4, 12)
    assert fatima.channels == ["phone", "chat"] and fatima.team == world.team_a
    assert (fatima.address_line, fatima.postcode, fatima.city) == (
        "Oudegracht 12",
        "3511 AB",
        "Utrecht",
    )
    assert (
        fatima.role_set == {Role.AGENT}
        and fatima.organisation == world.org
        and fatima.user is not None
    )
    jeroen = Employee.objects.get(email="jeroen.vanderberg@example.nl")
    assert jeroen.contract_hours == Decimal("24.5") and jeroen.channels == ["email", "social"]
    assert jeroen.language == "en" and jeroen.team == world.team_b
    sanne = Employee.objects.get(email="sanne.kok@example.nl")
    assert sanne.role_set == {Role.TEAM_LEAD}
    assert set(world.team_b.leads.all()) == {world.lead_b, sanne}  # the teamleider leads her team
    event = AuditEvent.objects.get(action=AuditAction.IMPORT)
    assert event.actor == world.admin.user and event.changes == {
        "rows": 3,
        "created": 3,
        "skipped": 0,
    }
    assert client.post(URL, {"action": "import_all", "token": token}).status_code == 302  # used up
    assert Employee.objects.filter(email__in=GOOD_EMAILS).count() == 3


def test_it_imports_the_first_sheet_of_an_xlsx(world):
    content = xlsx(
        [
            [
                "First name",
                "Last name",
                "E-mail",
                "Employment start",
                "Contract hours",
                "Channels",
                "Team",
                "Site",
            ],
            [
                "Mila",
                "de Jong",
                "mila@example.nl",
                datetime(2025, 9, 1),
                24.5,
                "chat, email",
                "Team Zeilen",
                "Utrecht",
            ],
            [None, None, None, None, None, None, None, None],
            ["Daan", "Peters", "daan@example.nl", "15-09-2025", 36, "phone", "", ""],
        ]
    )
    client = world.client_for(world.admin)
    token = token_of(upload(client, "people.xlsx", content))
    preview = client.get(f"{URL}?preview={token}")
    assert [r["number"] for r in preview.context["rows"]] == [2, 4]  # blank row 3 keeps numbering
    assert client.post(URL, {"action": "import_all", "token": token}).status_code == 302
    mila = Employee.objects.get(email="mila@example.nl")
    assert mila.contract_hours == Decimal("24.5") and mila.channels == ["chat", "email"]
    assert mila.employment_start == date(2025, 9, 1) and mila.team == world.team_a
    assert Employee.objects.get(email="daan@example.nl").team is None


def test_it_lists_every_bad_row_and_field_and_stores_nothing(world):
    client = world.client_for(world.admin)
    token = token_of(upload(client, "bad.csv", (DATA / "employees_bad.csv").read_bytes()))
    preview = client.get(f"{URL}?preview={token}")
    assert preview.status_code == 200
    found = {(e.row, e.field) for e in preview.context["preview"].errors}
    assert found == BAD_FILE_ERRORS
    body = preview.content.decode()
    assert 'value="import_all"' not in body  # no "Import all" while there are errors
    assert "Import only the 1 valid row" in body
    assert "An employee with this e-mail address already exists." in body
    assert "This e-mail address is also on row 2." in body
    assert body.count('<tr class="error">') >= len(BAD_FILE_ERRORS)

    forced = client.post(URL, {"action": "import_all", "token": token})
    assert forced.status_code == 400
    assert "10 rows have errors; nothing was imported." in forced.content.decode()
    assert imported() == set()
    assert not AuditEvent.objects.filter(action=AuditAction.IMPORT).exists()


def test_it_imports_only_the_valid_rows_when_asked(world):
    client = world.client_for(world.admin)
    token = token_of(upload(client, "bad.csv", (DATA / "employees_bad.csv").read_bytes()))
    response = client.post(URL, {"action": "import_valid", "token": token})
    assert response.status_code == 302
    assert imported() == {"good.row@example.nl"}
    assert (
        Employee.objects.get(email="alice@example.nl").last_name == "Jansen"
    )  # existing untouched
    event = AuditEvent.objects.get(action=AuditAction.IMPORT)
    assert event.changes == {"rows": 11, "created": 1, "skipped": 10}


def test_it_checks_again_on_confirm_and_never_overwrites_an_existing_employee(world):
    client = world.client_for(world.admin)
    token = token_of(upload(client, "good.csv", (DATA / "employees_good.csv").read_bytes()))
    # Someone adds Sanne by hand between preview and confirm.
    Employee.objects.filter(pk=world.colleague.pk).update(email="sanne.kok@example.nl")
    response = client.post(URL, {"action": "import_all", "token": token})
    assert response.status_code == 400
    assert imported() == {"sanne.kok@example.nl"}  # only Bob's changed address, nothing imported
    assert Employee.objects.get(email="sanne.kok@example.nl").first_name == "Bob"


def test_it_does_not_trust_a_token_it_did_not_issue(world):
    client = world.client_for(world.admin)
    token_of(upload(client, "good.csv", (DATA / "employees_good.csv").read_bytes()))
    response = client.post(URL, {"action": "import_all", "token": "made-up"})
    assert response.status_code == 302 and response.url == URL
    other = world.client_for(world.admin)  # another session cannot confirm this preview
    assert other.get(f"{URL}?preview=made-up").status_code == 302
    assert imported() == set()


def test_it_cancels_and_forgets_the_file(world):
    client = world.client_for(world.admin)
    token = token_of(upload(client, "good.csv", (DATA / "employees_good.csv").read_bytes()))
    assert client.post(URL, {"action": "cancel", "token": token}).status_code == 302
    assert client.post(URL, {"action": "import_all", "token": token}).status_code == 302
    assert imported() == set()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.csv", b"", "The submitted file is empty."),
        ("blank.csv", b"\n\n", "The file is empty."),
        (
            "header.csv",
            b"voornaam;achternaam;e-mail;in_dienst;contracturen\n",
            "no employees below it",
        ),
        ("people.pdf", b"%PDF-1.4 ...", "Upload a .csv or .xlsx file."),
        ("people.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "save the file as .xlsx or .csv"),
        ("fake.xlsx", b"not a zip at all", "could not be read as an Excel workbook"),
        ("binary.csv", b"\x00\x01\x02garbage", "binary data"),
        (
            "columns.csv",
            b"naam;email\nAlice;a@example.nl\n",
            "Required columns are missing: voornaam / first_name",
        ),
        (
            "twice.csv",
            b"email;e-mail;voornaam;achternaam;in_dienst;contracturen\na;b;c;d;e;f\n",
            "both mean email",
        ),
    ],
)
def test_it_rejects_unusable_files_with_a_clear_message(world, name, content, message):
    response = upload(world.client_for(world.admin), name, content)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert imported() == set()


@override_settings(IMPORT_MAX_BYTES=1024)
def test_it_rejects_a_file_over_the_size_limit(world):
    content = (DATA / "employees_good.csv").read_bytes() + b"x" * 1024
    response = upload(world.client_for(world.admin), "big.csv", content)
    assert response.status_code == 400
    assert "The file is too large" in response.content.decode()


@override_settings(IMPORT_MAX_ROWS=2)
def test_it_rejects_a_file_with_too_many_rows(world):
    response = upload(
        world.client_for(world.admin), "good.csv", (DATA / "employees_good.csv").read_bytes()
    )
    assert response.status_code == 400
    assert "more than 2 data rows" in response.content.decode()


def test_it_offers_a_template_with_dutch_headers_that_it_reads_back(world):
    response = world.client_for(world.admin).get(reverse("people:employee_import_template"))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    content = response.content
    assert content.startswith(
        b"\xef\xbb\xbfvoornaam;tussenvoegsel;achternaam;e-mail;in_dienst;contracturen"
    )
    table = importer.read_table(content, "template.csv")
    index, _, ignored = importer.map_header(table.header)
    assert set(index) == {c.key for c in importer.COLUMNS} and ignored == []


@pytest.mark.parametrize("persona", ["agent", "lead", "site_manager", "planner"])
def test_it_lets_only_admins_import(world, persona):
    client = world.client_for(getattr(world, persona))
    assert client.get(URL).status_code == 403
    assert upload(client, "good.csv", (DATA / "employees_good.csv").read_bytes()).status_code == 403
    assert client.get(reverse("people:employee_import_template")).status_code == 403


def test_it_imports_into_the_admins_own_organisation_only(world):
    client = world.client_for(world.outsider)
    token = token_of(upload(client, "good.csv", (DATA / "employees_good.csv").read_bytes()))
    preview = client.get(f"{URL}?preview={token}")
    errors = {(e.row, e.field) for e in preview.context["preview"].errors}
    assert (2, "team") in errors or (2, "site") in errors  # our teams are unknown there
    assert imported() == set()


# --- The importer ------------------------------------------------------------------------------


def check(world, text: str, filename: str = "x.csv") -> importer.Preview:
    return importer.validate(importer.read_table(text.encode(), filename), organisation=world.org)


def test_it_sniffs_a_comma_delimiter_and_quoted_lists(world):
    preview = check(
        world,
        "First_Name,Last_Name,Email,Employment_Start,Contract_Hours,Channels,Roles\n"
        'Eva,Smit,eva@example.nl,2025-09-01,"32,5","telefoon, chat","teamleider|planner"\n',
    )
    assert preview.errors == []
    values = preview.rows[0].values
    assert values["contract_hours"] == Decimal("32.5") and values["channels"] == ["phone", "chat"]
    assert values["roles"] == [Role.TEAM_LEAD, Role.PLANNER]


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("2025-09-01", date(2025, 9, 1)),
        ("1-9-2025", date(2025, 9, 1)),
        ("01/09/2025", date(2025, 9, 1)),
        ("01.09.2025", date(2025, 9, 1)),
    ],
)
def test_it_reads_iso_and_dutch_dates(world, cell, expected):
    preview = check(
        world,
        f"voornaam;achternaam;e-mail;in_dienst;contracturen\nEva;Smit;eva@example.nl;{cell};32\n",
    )
    assert preview.errors == [] and preview.rows[0].values["employment_start"] == expected


@pytest.mark.parametrize("hours", ["-1", "60,1", "32,25", "NaN", "veel"])
def test_it_rejects_bad_contract_hours(world, hours):
    preview = check(
        world,
        f"voornaam;achternaam;e-mail;in_dienst;contracturen\nEva;Smit;eva@example.nl;2025-09-01;{hours}\n",
    )
    assert [(e.row, e.field) for e in preview.errors] == [(2, "contract_hours")]


def test_it_reads_windows_1252_from_old_excel(world):
    content = "voornaam;achternaam;e-mail;in_dienst;contracturen\nJosé;Müller;jose@example.nl;2025-09-01;32\n".encode(
        "cp1252"
    )
    preview = importer.validate(importer.read_table(content, "x.csv"), organisation=world.org)
    assert preview.errors == [] and preview.rows[0].values["last_name"] == "Müller"


def test_it_asks_for_the_site_when_a_team_name_is_not_unique(world):
    world.team_b.name = "Team Zeilen"
    world.team_b.save()
    header = "voornaam;achternaam;e-mail;in_dienst;contracturen;team;locatie\n"
    preview = check(world, header + "Eva;Smit;eva@example.nl;2025-09-01;32;Team Zeilen;\n")
    assert [(e.field, e.message) for e in preview.errors] == [
        ("team", "Several sites have a team called “Team Zeilen”; fill in the site column.")
    ]
    preview = check(world, header + "Eva;Smit;eva@example.nl;2025-09-01;32;team zeilen;groningen\n")
    assert preview.errors == [] and preview.rows[0].values["team"] == world.team_b


def test_it_flags_rows_with_more_cells_than_the_header(world):
    preview = check(
        world,
        "first_name,last_name,email,employment_start,contract_hours,channels\nEva,Smit,eva@example.nl,2025-09-01,32,phone,chat\n",
    )
    assert [(e.row, e.field) for e in preview.errors] == [(2, "")]


def test_it_reports_ignored_columns(world):
    preview = check(
        world,
        "voornaam;achternaam;e-mail;in_dienst;contracturen;ziekteverzuim\nEva;Smit;eva@example.nl;2025-09-01;32;griep\n",
    )
    assert preview.ignored_columns == ["ziekteverzuim"] and preview.errors == []
    assert "griep" not in str(preview.rows[0].values)


def test_it_makes_a_site_manager_with_a_site_manager_of_that_site(world):
    preview = check(
        world,
        "voornaam;achternaam;e-mail;in_dienst;contracturen;locatie;rollen\nEva;Smit;eva@example.nl;2025-09-01;32;Groningen;locatiemanager\n",
    )
    importer.import_employees(
        organisation=world.org, by=world.admin.user, rows=preview.rows, only_valid=False
    )
    assert world.site_b.managers.filter(email="eva@example.nl").exists()


# --- The command -------------------------------------------------------------------------------


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    with translation.override("en"):
        call_command("import", "employees", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_the_command_imports_a_good_file_with_the_admin_in_the_audit_log(world):
    out, _ = run(str(DATA / "employees_good.csv"), "--by", "anna@example.nl")
    assert "3 employees imported into Klantcontact BV." in out
    assert imported() == GOOD_EMAILS
    assert AuditEvent.objects.get(action=AuditAction.IMPORT).actor == world.admin.user


def test_the_command_prints_every_row_error_and_exits_non_zero(world):
    err = io.StringIO()
    with (
        translation.override("en"),
        pytest.raises(CommandError, match="10 rows have errors; nothing was imported"),
    ):
        call_command(
            "import",
            "employees",
            str(DATA / "employees_bad.csv"),
            "--organisation",
            "Klantcontact BV",
            stderr=err,
            stdout=io.StringIO(),
        )
    lines = err.getvalue().splitlines()
    assert "row 3, field first_name: This field is required." in lines
    assert "row 11, field email: This e-mail address is also on row 2." in lines
    assert len(lines) == len(BAD_FILE_ERRORS)
    assert imported() == set()


def test_the_command_imports_only_valid_rows_when_asked(world):
    out, err = run(
        str(DATA / "employees_bad.csv"), "--organisation", "Klantcontact BV", "--only-valid"
    )
    assert "1 employee imported" in out and "row 4, field email" in err
    assert imported() == {"good.row@example.nl"}


def test_the_command_stores_nothing_on_a_dry_run(world):
    out, _ = run(str(DATA / "employees_good.csv"), "--organisation", "klantcontact bv", "--dry-run")
    assert "Dry run: 3 employees would be imported." in out
    assert imported() == set()


def test_the_command_needs_an_organisation_when_there_are_several(world):
    with translation.override("en"), pytest.raises(CommandError, match="--organisation"):
        call_command("import", "employees", str(DATA / "employees_good.csv"))
    with translation.override("en"), pytest.raises(CommandError, match="active admin"):
        call_command(
            "import", "employees", str(DATA / "employees_good.csv"), "--by", "alice@example.nl"
        )
    with translation.override("en"), pytest.raises(CommandError, match="Cannot read"):
        call_command(
            "import", "employees", str(DATA / "missing.csv"), "--organisation", "Klantcontact BV"
        )
