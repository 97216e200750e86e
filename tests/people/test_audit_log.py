"""The audit log page and its CSV export: admins only, own organisation only, filtered, paginated."""

from __future__ import annotations

import csv
import datetime
import io
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.conftest import World
from veerkracht.people import access, audit, services
from veerkracht.people.models import AuditAction, AuditEvent, Employee

URL = reverse("people:audit_log")
EXPORT_URL = reverse("people:audit_log_export")


@pytest.fixture(autouse=True)
def english(world: World) -> None:
    Employee.objects.update(language="en")


def _csv(response: Any) -> list[dict[str, str]]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_it_lists_events_of_my_organisation(world: World) -> None:
    audit.record(
        actor=world.lead.user, action=AuditAction.READ, obj=world.agent, summary="address viewed"
    )
    audit.record(
        actor=world.outsider.user, action=AuditAction.READ, obj=world.outsider, summary="elsewhere"
    )

    response = world.client_for(world.admin).get(URL)

    assert response.status_code == 200
    events = list(response.context["page"].object_list)
    assert [e.summary for e in events] == ["address viewed"]
    assert "lisa@example.nl" in response.content.decode()
    assert "elsewhere" not in response.content.decode()


def test_it_shows_the_outsider_nothing_of_ours(world: World) -> None:
    audit.record(
        actor=world.lead.user, action=AuditAction.READ, obj=world.agent, summary="address viewed"
    )
    services.issue_api_token(user=world.agent.user, name="Sync")

    response = world.client_for(world.outsider).get(URL)
    export = world.client_for(world.outsider).get(EXPORT_URL)

    assert response.status_code == 200
    assert response.context["page"].paginator.count == 0
    assert "address viewed" not in response.content.decode()
    assert [row["summary"] for row in _csv(export)] == []


@pytest.mark.parametrize("persona", ["agent", "lead", "site_manager", "planner"])
def test_it_refuses_everyone_but_admins(world: World, persona: str) -> None:
    client = world.client_for(getattr(world, persona))

    assert client.get(URL).status_code == 403
    assert client.get(EXPORT_URL).status_code == 403
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()


def test_it_scopes_through_access(world: World) -> None:
    audit.record(
        actor=None, action=AuditAction.LOGIN_FAILED, object_type="auth.User", summary="failed login"
    )
    audit.record(actor=None, action=AuditAction.UPDATE, obj=world.agent, summary="system job")

    mine = access.audit_events_for(world.admin.user)

    assert [e.summary for e in mine] == [
        "system job"
    ]  # the failed login belongs to no organisation
    assert not access.audit_events_for(world.agent.user).exists()
    assert not access.audit_events_for(world.outsider.user).exists()


def test_it_keeps_events_by_people_who_were_erased(world: World) -> None:
    services.issue_api_token(user=world.colleague.user, name="Bobs script")
    services.erase_employee(employee=world.colleague, by=world.admin.user)

    events = world.client_for(world.admin).get(URL).context["page"].object_list

    assert f"erased-{world.colleague.pk}" in [e.actor_label for e in events]
    assert not access.audit_events_for(world.outsider.user).exists()


def test_it_filters_by_action_record_type_actor_and_person(world: World) -> None:
    audit.record(
        actor=world.lead.user, action=AuditAction.READ, obj=world.agent, summary="lead read alice"
    )
    audit.record(
        actor=world.admin.user,
        action=AuditAction.READ,
        obj=world.colleague,
        summary="admin read bob",
    )
    services.issue_api_token(user=world.agent.user, name="Sync")
    client = world.client_for(world.admin)

    def summaries(**params: object) -> list[str]:
        response = client.get(URL, params)
        assert response.status_code == 200
        return [e.summary for e in response.context["page"].object_list]

    assert summaries(action="read") == ["admin read bob", "lead read alice"]
    assert summaries(record_type="people.ApiToken") == [
        f"API token {world.agent.user.api_tokens.get().prefix}"
    ]
    assert summaries(actor=world.lead.pk) == ["lead read alice"]
    assert summaries(subject=world.colleague.pk) == ["admin read bob"]
    assert summaries(action="read", subject=world.agent.pk) == ["lead read alice"]


def test_it_filters_by_date_in_local_time(world: World) -> None:
    tz = timezone.get_current_timezone()
    for day, label in [(1, "first"), (2, "second"), (3, "third")]:
        # 00:30 in Amsterdam is the evening before in UTC: the filter must use local days.
        at = datetime.datetime(2025, 3, day, 0, 30, tzinfo=tz)
        AuditEvent.objects.create(
            at=at,
            actor=world.lead.user,
            actor_label="lisa@example.nl",
            action="read",
            object_type="people.Employee",
            subject=world.agent,
            summary=label,
        )

    response = world.client_for(world.admin).get(
        URL, {"date_from": "2025-03-02", "date_to": "2025-03-02"}
    )

    assert [e.summary for e in response.context["page"].object_list] == ["second"]


def test_it_rejects_an_inverted_date_range(world: World) -> None:
    audit.record(actor=world.lead.user, action=AuditAction.READ, obj=world.agent, summary="x")

    response = world.client_for(world.admin).get(
        URL, {"date_from": "2025-03-05", "date_to": "2025-03-01"}
    )
    export = world.client_for(world.admin).get(
        EXPORT_URL, {"date_from": "2025-03-05", "date_to": "2025-03-01"}
    )

    assert response.status_code == 200
    assert "The end date lies before the start date." in response.content.decode()
    assert response.context["page"].paginator.count == 0
    assert export.status_code == 400


def test_it_shows_fifty_per_page(world: World) -> None:
    AuditEvent.objects.bulk_create(
        [
            AuditEvent(
                actor=world.lead.user,
                actor_label="lisa@example.nl",
                action="read",
                object_type="people.Employee",
                subject=world.agent,
                summary=f"read {i}",
            )
            for i in range(60)
        ]
    )
    client = world.client_for(world.admin)

    first = client.get(URL)
    second = client.get(URL, {"page": 2})

    assert len(first.context["page"].object_list) == 50
    assert len(second.context["page"].object_list) == 10
    assert "page=2" in first.content.decode()


def test_it_needs_as_many_queries_for_sixty_events_as_for_two(world: World) -> None:
    client = world.client_for(world.admin)
    people = [world.agent, world.colleague, world.agent_b, world.lead, world.planner]

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(URL).status_code == 200
        return len(captured.captured_queries)

    AuditEvent.objects.bulk_create(
        [
            AuditEvent(
                actor=p.user,
                actor_label=p.email,
                action="read",
                object_type="people.Employee",
                subject=p,
            )
            for p in people[:2]
        ]
    )
    few = queries()
    AuditEvent.objects.bulk_create(
        [
            AuditEvent(
                actor=p.user,
                actor_label=p.email,
                action="read",
                object_type="people.Employee",
                subject=p,
            )
            for p in people * 12
        ]
    )

    assert queries() == few <= 12


def test_it_exports_the_filtered_set_as_csv_and_audits_the_export(world: World) -> None:
    audit.record(
        actor=world.lead.user, action=AuditAction.READ, obj=world.agent, summary="lead read alice"
    )
    audit.record(
        actor=world.admin.user,
        action=AuditAction.READ,
        obj=world.colleague,
        summary="admin read bob",
    )

    with time_machine.travel(datetime.datetime(2025, 6, 2, 10, 0, tzinfo=datetime.UTC)):
        response = world.client_for(world.admin).get(
            EXPORT_URL, {"subject": world.agent.pk, "action": "read"}
        )

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert (
        response["Content-Disposition"]
        == 'attachment; filename="veerkracht-audit-log-2025-06-02.csv"'
    )
    rows = _csv(response)
    assert [r["summary"] for r in rows] == ["lead read alice"]
    assert rows[0]["actor"] == "lisa@example.nl" and rows[0]["about_employee"] == "Alice Jansen"
    export = AuditEvent.objects.get(action=AuditAction.EXPORT)
    assert export.actor == world.admin.user
    assert export.changes["rows"] == 1
    assert export.changes["filters"] == {"action": "read", "subject": str(world.agent.pk)}


def test_it_defuses_spreadsheet_formulas_in_the_export(world: World) -> None:
    audit.record(
        actor=world.admin.user, action=AuditAction.UPDATE, obj=world.site_a, summary="=HYPERLINK(1)"
    )

    rows = _csv(world.client_for(world.admin).get(EXPORT_URL, {"record_type": "people.Site"}))

    assert rows[0]["summary"] == "'=HYPERLINK(1)"


def test_it_records_looking_up_a_persons_trail(world: World) -> None:
    world.client_for(world.admin).get(URL, {"subject": world.agent.pk})

    event = AuditEvent.objects.get(action=AuditAction.READ, object_type="people.AuditEvent")
    assert event.subject == world.agent and event.actor == world.admin.user


def test_it_does_not_offer_other_organisations_people_as_filters(world: World) -> None:
    response = world.client_for(world.admin).get(URL, {"subject": world.outsider.pk})

    assert "Buiten" not in response.content.decode()
    assert response.context["form"].errors["subject"]
    assert not AuditEvent.objects.filter(subject=world.outsider).exists()


def test_it_swaps_only_the_results_for_htmx(world: World) -> None:
    audit.record(
        actor=world.lead.user, action=AuditAction.READ, obj=world.agent, summary="lead read alice"
    )

    response = world.client_for(world.admin).get(URL, {"action": "read"}, HTTP_HX_REQUEST="true")

    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="audit-results">')
    assert "lead read alice" in html and "<html" not in html
