"""Contact history: upload → preview with every row error → confirm or cancel; the overview."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse

from tests.conftest import World
from veerkracht.people.models import AuditEvent
from veerkracht.scheduling.models import ContactVolume, HistoryUpload, HistoryUploadStatus

pytestmark = pytest.mark.usefixtures("english")

URL = reverse("scheduling:history")

GOOD = (
    "begin;kanaal;contacten;AHT\n"
    "03-03-2025 08:00;Telefoon;40;310,5\n"
    "03-03-2025 09:00;Telefoon;6;300\n"
    "03-03-2025 10:00;Telefoon;0;\n"
    "03-03-2025 08:00;Webcare;12;\n"
)
BAD = (
    "start,channel,contacts\n"
    "2025-03-03T08:00,phone,10\n"
    "2025-03-03T08:15,phone,12\n"
    "2025-03-03T08:15,phone,11\n"
    "2025-03-03T08:30,phone,-3\n"
    "2025-03-03T08:45,fax,1\n"
    "yesterday,phone,1\n"
)


def upload(client, text: str, name: str = "history.csv"):  # type: ignore[no-untyped-def]
    f = io.BytesIO(text.encode())
    f.name = name
    return client.post(URL, {"file": f})


def test_it_shows_a_preview_and_stores_nothing_before_confirming(world: World) -> None:
    client = world.client_for(world.planner)
    response = upload(client, GOOD)
    pending = HistoryUpload.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("scheduling:history_preview", args=[pending.pk])
    assert pending.status == HistoryUploadStatus.PENDING
    assert not ContactVolume.objects.exists()

    preview = client.get(response["Location"])
    assert preview.status_code == 200
    channels = {c["channel"]: c for c in preview.context["channels"]}
    assert set(channels) == {"phone", "social"}
    # 60-minute rows are split evenly over four quarters: 40 + 6 + 0 contacts in 12 quarters.
    assert channels["phone"]["intervals"] == 12
    assert channels["phone"]["contacts"] == 46
    assert channels["phone"]["source_interval_min"] == 60


def test_it_imports_after_confirmation(world: World) -> None:
    client = world.client_for(world.planner)
    pending_url = upload(client, GOOD)["Location"]
    response = client.post(pending_url, {"action": "import"})
    assert response.status_code == 302
    assert ContactVolume.objects.filter(organisation=world.org, channel="phone").count() == 12
    # A single row has no interval length to detect: taken as 15 minutes.
    assert ContactVolume.objects.filter(organisation=world.org, channel="social").count() == 1
    first = ContactVolume.objects.filter(channel="phone").order_by("start").first()
    assert first is not None and first.contacts == 10 and first.aht_s == pytest.approx(310.5)
    upload_row = HistoryUpload.objects.get()
    assert upload_row.status == HistoryUploadStatus.IMPORTED
    assert upload_row.parsed == b""  # the checked data is not kept
    assert AuditEvent.objects.filter(
        action="import", object_type="scheduling.HistoryUpload"
    ).exists()
    page = client.get(URL)
    assert [s.channel for s in page.context["summary"]] == ["phone", "social"]
    assert "Imported 13 intervals: 13 new, 0 replaced." in page.content.decode()


def test_it_replaces_intervals_with_the_same_start_and_keeps_the_others(world: World) -> None:
    client = world.client_for(world.planner)
    client.post(upload(client, GOOD)["Location"], {"action": "import"})
    again = "start,channel,contacts\n2025-03-03T08:00,phone,99\n2025-03-03T11:00,phone,5\n"
    pending_url = upload(client, again)["Location"]
    preview = client.get(pending_url)
    assert preview.context["channels"][0]["existing"] == 12  # stored between 08:00 and 11:00
    client.post(pending_url, {"action": "import"})
    phone = ContactVolume.objects.filter(channel="phone")
    assert phone.count() == 13  # 12 kept or replaced, 1 new
    assert phone.order_by("start").first().contacts == 99  # type: ignore[union-attr]


def test_it_lists_every_row_error_and_stores_nothing(world: World) -> None:
    client = world.client_for(world.planner)
    response = upload(client, BAD, "bad.csv")
    assert response.status_code == 400
    errors = {(e["row"], e["field"], e["code"]) for e in response.context["errors"]}
    assert (4, "start", "duplicate") in errors
    assert (5, "contacts", "negative") in errors
    assert (6, "channel", "unknown_channel") in errors
    assert (7, "start", "invalid_datetime") in errors
    html = response.content.decode()
    assert "The value must not be negative (got -3)." in html
    assert "Unknown channel “fax”" in html
    assert "Nothing was stored." in html
    assert not ContactVolume.objects.exists()
    assert not HistoryUpload.objects.exists()


def test_it_reports_a_missing_column(world: World) -> None:
    response = upload(world.client_for(world.planner), "start,kanaal\n2025-03-03T08:00,phone\n")
    assert response.status_code == 400
    assert [e["code"] for e in response.context["errors"]] == ["missing_column"]
    assert not HistoryUpload.objects.exists()


def test_it_stores_nothing_when_cancelled(world: World) -> None:
    client = world.client_for(world.planner)
    pending_url = upload(client, GOOD)["Location"]
    response = client.post(pending_url, {"action": "cancel"})
    assert response.status_code == 302
    assert not ContactVolume.objects.exists()
    assert HistoryUpload.objects.get().status == HistoryUploadStatus.CANCELLED
    # A cancelled preview cannot be imported afterwards.
    client.post(pending_url, {"action": "import"})
    assert not ContactVolume.objects.exists()


def test_it_reads_xlsx(world: World) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["start", "channel", "contacts"])
    sheet.append(["2025-03-03T08:00", "chat", 3])
    sheet.append(["2025-03-03T08:15", "chat", 4])
    data = io.BytesIO()
    book.save(data)
    data.seek(0)
    data.name = "history.xlsx"
    client = world.client_for(world.planner)
    response = client.post(URL, {"file": data})
    assert response.status_code == 302
    client.post(response["Location"], {"action": "import"})
    assert sorted(ContactVolume.objects.values_list("contacts", flat=True)) == [3, 4]


@pytest.mark.parametrize("persona", ["agent", "lead", "admin"])
def test_it_refuses_people_without_planning_access(world: World, persona: str) -> None:
    client = world.client_for(getattr(world, persona))
    assert client.get(URL).status_code == 403
    assert upload(client, GOOD).status_code == 403
    assert not HistoryUpload.objects.exists()


def test_it_lets_site_managers_in(world: World) -> None:
    assert world.client_for(world.site_manager).get(URL).status_code == 200


def test_it_hides_another_organisations_preview(world: World) -> None:
    pending_url = upload(world.client_for(world.planner), GOOD)["Location"]
    outsider = world.client_for(world.outsider)
    assert outsider.get(pending_url).status_code == 404
    assert outsider.post(pending_url, {"action": "import"}).status_code == 404
    assert not ContactVolume.objects.exists()


def test_it_shows_the_overview_with_a_bounded_number_of_queries(
    history: World,
    django_assert_max_num_queries,  # type: ignore[no-untyped-def]
) -> None:
    client = history.client_for(history.planner)
    for _ in range(3):
        upload(client, GOOD)
    with django_assert_max_num_queries(14):
        response = client.get(URL + "?weeks=8")
    assert response.status_code == 200
    chart = response.context["chart"]
    assert len(chart["labels"]) == 56
    phone = next(s for s in chart["series"] if s["channel"] == "phone")
    assert phone["values"][-1] is None  # the last day (a Sunday) is closed on the phone
    assert max(v for v in phone["values"] if v) > 1000
