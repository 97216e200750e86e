"""An admin uploads an employee file with mistakes, sees every bad row and field, and nothing is stored."""

from __future__ import annotations

from pathlib import Path

from veerkracht.people.demo import DEMO_LOGINS
from veerkracht.people.models import Employee

from .conftest import login, screenshot

BAD_CSV = """voornaam;achternaam;e-mail;in_dienst;contracturen;kanalen;team;rollen
Sanne;de Wit;sanne.dewit@example.nl;2026-01-05;32;telefoon|chat;;medewerker
;Jansen;jansen@example.nl;2026-01-05;32;telefoon;;medewerker
Piet;Klaassen;geen-email;2026-01-05;32;telefoon;;medewerker
Noor;Bos;noor.bos@example.nl;31-02-2026;99;fax;;medewerker
"""


def test_it_shows_row_errors_of_a_bad_employee_file_and_stores_nothing(
    demo, new_page, tmp_path: Path
):  # type: ignore[no-untyped-def]
    before = Employee.objects.count()
    file = tmp_path / "medewerkers.csv"
    file.write_text(BAD_CSV, encoding="utf-8")

    page = new_page()
    login(page, DEMO_LOGINS["admin"])
    page.goto("/people/employees/import/")
    page.set_input_files("input[type=file]", str(file))
    with page.expect_navigation():
        page.click("form.stacked button[type=submit]")

    errors = page.locator("tr.error")
    text = " ".join(errors.all_inner_texts())
    # Row numbers as a spreadsheet shows them: the header is row 1.
    for row in ("3", "4", "5"):
        assert any(
            cell.strip() == row for cell in page.locator("tr.error td.num").all_inner_texts()
        ), row
    assert "voornaam" in text.lower() or "first" in text.lower()
    assert "fax" in text
    screenshot(page, "import-bad-file")

    # "Import all" is not offered while rows are bad; nothing was stored by the preview.
    assert page.locator("button[value=import_all]").count() == 0
    assert Employee.objects.count() == before

    with page.expect_navigation():
        page.click("button[value=import_valid]")
    assert Employee.objects.count() == before + 1
    assert Employee.objects.filter(email="sanne.dewit@example.nl").exists()
