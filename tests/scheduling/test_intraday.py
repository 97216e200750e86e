"""Intraday: the re-forecast ratio, the day view, suggestions and the actions behind them."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from tests.conftest import World
from veerkracht.planning import intraday as core
from veerkracht.scheduling import intraday
from veerkracht.scheduling.models import ContactVolume
from veerkracht.scheduling.models_roster import (
    ExtraHoursOffer,
    QuickTask,
    QuickTaskAssignment,
    Shift,
    ShiftChange,
    ShiftSource,
    ShiftState,
)

from .intraday_world import (
    DAY,
    NOW,
    agent,
    at,
    available,
    make_forecast,
    published_shift,
    store_actuals,
)


@pytest.fixture
def frozen(time_machine):  # type: ignore[no-untyped-def]
    time_machine.move_to(NOW, tick=False)


# --- The ratio (pure core) ----------------------------------------------------------------------


def test_it_weighs_the_last_hour_twice_as_much_as_the_hour_before() -> None:
    # Hand calculation: 8 quarter hours with a forecast of 10; the first hour 10 arrived per
    # quarter, the last hour 15. With a half-life of 1 hour every weight of the last hour is
    # exactly twice the weight of the same quarter an hour earlier (0.5^((7-i)/4)), so
    # ratio = (10·S + 15·2S) / (10·S + 10·2S) = 40/30 = 4/3 (S = sum of the first hour's weights).
    result = core.ratio([10.0] * 8, [10.0] * 4 + [15.0] * 4)
    assert result.applied
    assert result.value == pytest.approx(4 / 3, abs=1e-12)
    # The plain ratio would be 100/80 = 1.25: the recent surge counts more.
    assert result.actual_contacts == 100 and result.forecast_contacts == 80


def test_it_keeps_the_forecast_with_too_little_evidence() -> None:
    # 1h45 elapsed (< 2 h): not applied, whatever the ratio.
    assert core.ratio([10.0] * 7, [20.0] * 7).value == 1.0
    # 2 h but only 16 contacts (< 30): not applied.
    too_few = core.ratio([1.0] * 8, [2.0] * 8)
    assert not too_few.applied and too_few.value == 1.0 and too_few.weighted == pytest.approx(2.0)


def test_it_clamps_the_ratio() -> None:
    assert core.ratio([10.0] * 8, [100.0] * 8).value == 3.0
    assert core.ratio([100.0] * 8, [10.0] * 8).value == 0.5


def test_it_leaves_out_intervals_without_a_figure() -> None:
    nan = float("nan")
    result = core.ratio([10.0, nan] + [10.0] * 8, [10.0, 5.0] + [10.0] * 8)
    assert result.elapsed_s == 9 * 900 and result.value == pytest.approx(1.0)


# --- The day view -------------------------------------------------------------------------------


def test_it_reforecasts_the_rest_of_the_day_with_the_ratio(world: World, frozen: None) -> None:
    make_forecast(world, phone=40.0, email=10.0)
    store_actuals(world, "phone", 52.0)  # 08:00–12:00 at 1.3 × the forecast
    view = intraday.day_view(world.org, DAY)
    phone = view.channel("phone")
    assert phone is not None
    assert phone.ratio.applied and phone.ratio.value == pytest.approx(1.3)
    i_noon = view.labels.index("12:00")
    assert phone.actual[i_noon - 1] == 52.0 and phone.reforecast[i_noon - 1] is None
    assert phone.reforecast[i_noon] == pytest.approx(52.0)
    assert phone.reforecast[view.labels.index("19:45")] == pytest.approx(52.0)
    assert phone.reforecast[view.labels.index("20:00")] is None  # closed
    # E-mail has no actuals yet: the forecast as it is.
    email = view.channel("email")
    assert email is not None and email.ratio.value == 1.0
    assert email.reforecast[i_noon] == pytest.approx(10.0)
    # Required agents follow the expected contacts; nobody is scheduled, so the gap is negative.
    assert phone.required[i_noon] > 0 and phone.scheduled[i_noon] == 0
    assert phone.gap[i_noon] == -phone.required[i_noon]


def test_it_counts_scheduled_agents_without_their_pause(world: World, frozen: None) -> None:
    make_forecast(world)
    bob = world.colleague
    shift = published_shift(bob, at(9), at(17), "phone")  # 8 h: a 30-minute pause in the middle
    view = intraday.day_view(world.org, DAY)
    phone = view.channel("phone")
    assert phone is not None
    pause = shift.breaks[0]["start"][11:16]
    assert phone.scheduled[view.labels.index(pause)] == 0
    assert phone.scheduled[view.labels.index("10:00")] == 1
    assert phone.scheduled[view.labels.index("17:00")] == 0


def test_it_ignores_draft_shifts_and_other_organisations(world: World, frozen: None) -> None:
    make_forecast(world)
    shift = published_shift(world.colleague, at(9), at(13), "phone")
    Shift.objects.filter(pk=shift.pk).update(state=ShiftState.DRAFT)
    published_shift(world.outsider, at(9), at(13), "phone")
    view = intraday.day_view(world.org, DAY)
    assert sum(view.channel("phone").scheduled) == 0  # type: ignore[union-attr]


# --- Suggestions --------------------------------------------------------------------------------


def _kinds(suggestions: list[intraday.Suggestion], kind: str) -> list[intraday.Suggestion]:
    return [s for s in suggestions if s.kind == kind]


def test_it_suggests_moving_an_email_agent_to_the_short_phone(world: World, frozen: None) -> None:
    make_forecast(world)
    dual = agent(world, "Dirk", ("phone", "email"))
    mail_only = agent(world, "Mila", ("email",))
    published_shift(dual, at(12), at(17), "email")
    published_shift(mail_only, at(12), at(17), "email")
    view = intraday.day_view(world.org, DAY)
    assert view.channel("phone").gap[view.labels.index("12:15")] < 0  # type: ignore[union-attr]
    moves = _kinds(intraday.suggestions(view), "move")
    assert [(m.employee, m.from_channel, m.channel) for m in moves] == [(dual, "email", "phone")]
    move = moves[0]
    assert move.start == at(12, 15)  # the next interval, not the one under way
    assert "→" in move.effect

    # The one-click action: the shift's assignments change, and Dirk hears about it.
    shift = intraday.move_agent(
        shift=Shift.objects.get(pk=move.shift_id),
        start=move.start,
        end=move.end,
        channel="phone",
        by=world.planner.user,
    )
    on_phone = [a for a in shift.assignments if a["channel"] == "phone"]
    assert on_phone and on_phone[0]["start"].startswith("2025-06-03T12:15")
    assert ShiftChange.objects.filter(employee=dual, shift=shift, kind="changed").exists()


def test_it_refuses_to_move_an_agent_to_a_channel_they_are_not_trained_for(
    world: World, frozen: None
) -> None:
    mail_only = agent(world, "Mila", ("email",))
    shift = published_shift(mail_only, at(12), at(17), "email")
    with pytest.raises(ValidationError) as exc:
        intraday.move_agent(
            shift=shift, start=at(13), end=at(14), channel="phone", by=world.planner.user
        )
    assert "channel" in exc.value.message_dict
    shift.refresh_from_db()
    assert {a["channel"] for a in shift.assignments} == {"email"}


def test_it_offers_extra_hours_only_to_available_trained_rule_clean_agents(
    world: World, frozen: None
) -> None:
    make_forecast(world, email=0.0)  # only the phone is short
    ok = agent(world, "Anouk", ("phone",))
    available(ok)
    not_available = agent(world, "Bram", ("phone",))
    not_trained = agent(world, "Cees", ("email",))
    available(not_trained)
    tired = agent(world, "Daan", ("phone",))
    available(tired)
    # Daan works 12 hours on each of the other five days of this week: 60 h, the legal maximum
    # (ATW-02), so any extra hour this week is refused by the rule check.
    for d in range(4, 9):
        day = DAY.replace(day=d)
        published_shift(tired, at(7, day=day), at(19, 45, day=day), "phone")
    view = intraday.day_view(world.org, DAY)
    offers = _kinds(intraday.suggestions(view), "extra_hours")
    people = {s.employee for s in offers}
    assert ok in people
    assert not_available not in people and not_trained not in people and tired not in people
    offer = next(s for s in offers if s.employee == ok)
    assert offer.channel == "phone" and offer.start >= at(12, 30)
    assert 60 <= (offer.end - offer.start).total_seconds() / 60 <= 240


def test_it_suggests_extra_hours_when_nobody_is_scheduled(world: World, frozen: None) -> None:
    make_forecast(world)
    ok = agent(world, "Anouk", ("phone",))
    available(ok)
    view = intraday.day_view(world.org, DAY)
    assert not view.presence
    suggestions = intraday.suggestions(view)
    assert _kinds(suggestions, "extra_hours") and not _kinds(suggestions, "move")


def test_it_suggests_quick_tasks_only_for_spare_capacity(world: World, frozen: None) -> None:
    make_forecast(world, phone=0.0, email=0.0)  # a quiet day: nobody needed
    task = QuickTask.objects.create(
        organisation=world.org, title="E-learning nieuwe retourvoorwaarden", minutes=30
    )
    QuickTask.objects.create(organisation=world.org, title="Inactief", minutes=30, active=False)
    worker = agent(world, "Ilse", ("phone",))
    published_shift(worker, at(12), at(16), "phone")
    view = intraday.day_view(world.org, DAY)
    tasks = _kinds(intraday.suggestions(view), "quick_task")
    assert [(s.employee, s.task) for s in tasks] == [(worker, task)]
    assert tasks[0].start == at(12, 15) and tasks[0].end == at(12, 45)


def test_it_suggests_no_quick_tasks_without_spare_capacity(world: World, frozen: None) -> None:
    make_forecast(world, phone=40.0)
    QuickTask.objects.create(organisation=world.org, title="Kennisartikel", minutes=30)
    worker = agent(world, "Ilse", ("phone",))
    published_shift(worker, at(12), at(16), "phone")
    view = intraday.day_view(world.org, DAY)
    assert not _kinds(intraday.suggestions(view), "quick_task")


def test_it_suggests_nothing_for_yesterday(world: World, frozen: None) -> None:
    make_forecast(world)
    view = intraday.day_view(world.org, DAY.replace(day=2))
    assert view.is_past and intraday.suggestions(view) == []


# --- Extra hours --------------------------------------------------------------------------------


def _offer(world: World, employee: object) -> ExtraHoursOffer:
    return intraday.offer_extra_hours(
        organisation=world.org,
        employee=employee,  # type: ignore[arg-type]
        start=at(14),
        end=at(17),
        channel="phone",
        by=world.planner.user,
    )


def test_it_makes_a_published_shift_when_the_agent_accepts(world: World, frozen: None) -> None:
    ok = agent(world, "Anouk", ("phone",))
    available(ok)
    offer = _offer(world, ok)
    mail.outbox.clear()
    with pytest.MonkeyPatch.context():
        intraday.answer_offer(offer=offer, accept=True, by=ok.user)
    offer.refresh_from_db()
    assert offer.status == ExtraHoursOffer.Status.ACCEPTED and offer.shift is not None
    shift = offer.shift
    assert shift.state == ShiftState.PUBLISHED and shift.source == ShiftSource.EXTRA
    assert (shift.start, shift.end) == (at(14), at(17))
    assert {a["channel"] for a in shift.assignments} == {"phone"}
    assert ShiftChange.objects.filter(employee=ok, shift=shift, kind="added").exists()


def test_it_keeps_a_declined_offer_declined(world: World, frozen: None) -> None:
    ok = agent(world, "Anouk", ("phone",))
    available(ok)
    offer = _offer(world, ok)
    intraday.answer_offer(offer=offer, accept=False, by=ok.user)
    with pytest.raises(ValidationError):
        intraday.answer_offer(offer=offer, accept=True, by=ok.user)
    offer.refresh_from_db()
    assert offer.status == ExtraHoursOffer.Status.DECLINED
    assert not Shift.objects.filter(employee=ok).exists()


def test_it_refuses_an_offer_outside_availability(world: World, frozen: None) -> None:
    bram = agent(world, "Bram", ("phone",))
    with pytest.raises(ValidationError):
        _offer(world, bram)
    assert not ExtraHoursOffer.objects.exists()


def test_it_assigns_a_quick_task_only_to_someone_at_work(world: World, frozen: None) -> None:
    task = QuickTask.objects.create(organisation=world.org, title="Terugbelverzoeken", minutes=30)
    worker = agent(world, "Ilse", ("phone",))
    published_shift(worker, at(12), at(16), "phone")
    assignment = intraday.assign_quick_task(
        organisation=world.org, task=task, employee=worker, start=at(13), by=world.planner.user
    )
    assert (assignment.start, assignment.end) == (at(13), at(13, 30))
    with pytest.raises(ValidationError):
        intraday.assign_quick_task(
            organisation=world.org, task=task, employee=worker, start=at(17), by=world.planner.user
        )
    intraday.mark_quick_task_done(assignment=assignment, by=worker.user)
    assert QuickTaskAssignment.objects.get().done_at is not None


# --- Actuals ------------------------------------------------------------------------------------


def test_it_stores_actuals_from_a_file_and_replaces_earlier_figures(
    world: World, frozen: None
) -> None:
    store_actuals(world, "phone", 5.0)
    content = b"start,channel,contacts\n2025-06-03T09:00,telefoon,12\n2025-06-03T09:15,phone,14\n"
    stored = intraday.import_actuals_file(
        organisation=world.org, by=world.planner.user, filename="vandaag.csv", content=content
    )
    assert stored == 2
    assert ContactVolume.objects.get(channel="phone", start=at(9)).contacts == 12


def test_it_stores_nothing_from_a_file_with_row_errors(world: World, frozen: None) -> None:
    content = (
        b"start,channel,contacts\n"
        b"2025-06-03T09:00,phone,12\n"
        b"2025-06-03T09:15,fax,3\n"
        b"2025-06-03T09:30,phone,-1\n"
    )
    with pytest.raises(intraday.ActualsFileError) as exc:
        intraday.import_actuals_file(
            organisation=world.org, by=world.planner.user, filename="x.csv", content=content
        )
    assert {(e["row"], e["field"]) for e in exc.value.errors} == {(3, "channel"), (4, "contacts")}
    assert not ContactVolume.objects.exists()


def test_it_refuses_actuals_of_other_days_and_the_future(world: World, frozen: None) -> None:
    content = b"start,channel,contacts\n2025-06-03T09:00,phone,12\n2025-06-03T15:00,phone,14\n"
    with pytest.raises(intraday.ActualsFileError) as exc:
        intraday.import_actuals_file(
            organisation=world.org, by=world.planner.user, filename="x.csv", content=content
        )
    assert len(exc.value.errors) == 1 and "15:00" in exc.value.errors[0]["message"]
    with pytest.raises(ValidationError) as exc2:
        intraday.save_actuals(
            organisation=world.org,
            by=world.planner.user,
            rows=[
                {"start": at(9), "channel": "phone", "contacts": 3},
                {
                    "start": datetime(2025, 5, 1, 9, tzinfo=at(9).tzinfo),
                    "channel": "phone",
                    "contacts": 3,
                },
            ],
        )
    assert list(exc2.value.message_dict) == ["rows[1].start"]
    assert not ContactVolume.objects.exists()


# --- Demo and CLI -------------------------------------------------------------------------------


def test_it_loads_a_surge_on_the_phone_and_quick_tasks(world: World, frozen: None) -> None:
    from veerkracht.scheduling.demo_intraday import load_intraday_demo

    make_forecast(world, phone=40.0, email=10.0)
    counts = load_intraday_demo(world.org, seed=1)
    assert counts["actual_intervals"] == 2 * 16  # 08:00–12:00, two channels
    assert QuickTask.objects.filter(organisation=world.org).count() == 5
    phone = intraday.day_view(world.org, DAY).channel("phone")
    assert phone is not None and 1.15 < phone.ratio.value < 1.45
    load_intraday_demo(world.org, seed=1)  # again: nothing doubles
    assert QuickTask.objects.filter(organisation=world.org).count() == 5


def test_it_imports_actuals_from_the_command_line(
    world: World, frozen: None, tmp_path: object, capsys: pytest.CaptureFixture[str]
) -> None:
    from pathlib import Path

    from django.core.management import call_command
    from django.utils import translation

    good = Path(str(tmp_path)) / "vandaag.csv"
    good.write_text("start,channel,contacts\n2025-06-03T09:00,phone,12\n")
    bad = Path(str(tmp_path)) / "fout.csv"
    bad.write_text("start,channel,contacts\n2025-06-03T09:15,fax,3\n")
    # The command speaks the active language (LANGUAGE_CODE, Dutch); asserted are the msgids.
    with translation.override("en"):
        call_command("intraday", "import", str(good), "--organisation", world.org.name)
        assert "1 intervals stored" in capsys.readouterr().out
        with pytest.raises(SystemExit) as exc:
            call_command("intraday", "import", str(bad), "--organisation", world.org.name)
        assert exc.value.code == 1
        assert "row 2, field channel" in capsys.readouterr().err
        with pytest.raises(SystemExit) as exc:
            call_command("intraday", "import", "/nope.csv", "--organisation", world.org.name)
        assert exc.value.code == 2
    assert ContactVolume.objects.count() == 1
