"""The ten edge cases of ../shared/domain/working-time.md, each a test of the checker.

Law: Arbeidstijdenwet (ATW), wetten.overheid.nl BWBR0007671; the article is named per test.
Every problem here is permissive apart from the law (availability over the whole period,
shift rules 1-24 h, no demand), so any error is a working-time error.
"""

from __future__ import annotations

from datetime import date, datetime

from veerkracht.planning.calendar import TZ
from veerkracht.planning.roster.model import WorkingTimeSettings
from veerkracht.planning.roster.rules import Duty, LocalClock, ShiftTimes, segment_duties

from .factories import check, employee, errors, problem, shift, warnings


def _minutes(text: str) -> int:
    return int(datetime.fromisoformat(text).replace(tzinfo=TZ).timestamp()) // 60


def _duties(start: str, end: str, *breaks: tuple[str, str]) -> list[Duty]:
    """The duties (shifts in the sense of art. 1:7c) of one rostered shift."""
    times = ShiftTimes(
        _minutes(start), _minutes(end), tuple((_minutes(a), _minutes(b)) for a, b in breaks)
    )
    return segment_duties([times], WorkingTimeSettings(), LocalClock(date(2026, 2, 20), 60))


def test_it_allows_5_and_a_half_hours_without_a_pause() -> None:
    # Edge case 1. Art. 5:4 lid 1 ATW: a pause is required for *more than* 5.5 h of work.
    report = check(problem(), shift("2026-03-02T09:00", "2026-03-02T14:30"))
    assert errors(report) == []
    assert warnings(report) == []


def test_it_needs_a_pause_one_minute_past_5_and_a_half_hours() -> None:
    # Edge case 2. Art. 5:4 lid 1 ATW: 09:00-15:31 is 6 h 31 min > 5.5 h, so >= 30 min pause.
    report = check(problem(), shift("2026-03-02T09:00", "2026-03-02T15:31"))
    assert errors(report) == ["ATW-06"]
    params = report.errors[0].params
    assert params["work_minutes"] == 391
    assert params["pause_minutes"] == 0
    assert params["required_minutes"] == 30


def test_it_counts_two_pauses_of_15_minutes_as_30() -> None:
    # Edge case 3. Art. 5:4 lid 1 ATW: the 30 min may be split into pauses of >= 15 min.
    report = check(
        problem(),
        shift("2026-03-02T09:00", "2026-03-02T15:30", ("11:00", "11:15"), ("13:00", "13:15")),
    )
    assert errors(report) == []


def test_it_ignores_a_pause_shorter_than_15_minutes() -> None:
    # Edge case 4. Art. 1:7 lid 1 (e) ATW: a pause is an interruption of at least 15 minutes;
    # the 10-minute break is working time, so only 20 min of pause remain: too little.
    report = check(
        problem(),
        shift("2026-03-02T09:00", "2026-03-02T15:30", ("11:00", "11:10"), ("13:00", "13:20")),
    )
    assert errors(report) == ["ATW-06"]
    assert report.errors[0].params["pause_minutes"] == 20
    assert report.errors[0].params["work_minutes"] == 370  # 6 h + the 10-minute break


def test_it_does_not_count_18_to_01_as_a_night_shift() -> None:
    # Edge case 5. Art. 1:7 lid 1 (d) ATW: a night shift has *more than* 1 hour of work
    # between 00:00 and 06:00; 00:00-01:00 is exactly 1 hour.
    [duty] = _duties(
        "2026-03-02T18:00", "2026-03-03T01:00", ("2026-03-02T21:00", "2026-03-02T21:30")
    )
    assert duty.night_minutes == 60
    assert not duty.is_night
    # Three such evenings and then a day shift 11 h later: were they night shifts, NA-05
    # (46 h of rest after three consecutive night shifts) would be broken.
    evenings = [
        shift(f"2026-03-0{d}T18:00", f"2026-03-0{d + 1}T01:00", ("21:00", "21:30"))
        for d in (2, 3, 4)
    ]
    report = check(problem(), *evenings, shift("2026-03-05T12:00", "2026-03-05T17:00"))
    assert errors(report) == []


def test_it_counts_18_to_0130_as_a_night_shift_needing_only_11_hours_rest() -> None:
    # Edge case 6. Art. 1:7 lid 1 (d) ATW: 90 minutes between 00:00 and 06:00 make a night
    # shift; it ends before 02:00, so art. 5:8 lid 4 (14 h) does not apply and the daily rest
    # of 11 h (art. 5:3) is enough.
    [duty] = _duties(
        "2026-03-02T18:00", "2026-03-03T01:30", ("2026-03-02T21:00", "2026-03-02T21:30")
    )
    assert duty.is_night
    assert not duty.ends_late
    report = check(
        problem(),
        shift("2026-03-02T18:00", "2026-03-03T01:30", ("21:00", "21:30")),
        shift("2026-03-03T12:30", "2026-03-03T17:00"),  # 11 h after 01:30
    )
    assert errors(report) == []
    assert warnings(report) == []
    # And it is a night shift: three of them then a day shift break NA-05 (art. 5:8 lid 5).
    nights = [
        shift(f"2026-03-0{d}T18:00", f"2026-03-0{d + 1}T01:30", ("21:00", "21:30"))
        for d in (2, 3, 4)
    ]
    report = check(problem(), *nights, shift("2026-03-05T12:30", "2026-03-05T17:00"))
    assert errors(report) == ["NA-05"]


def _late_night_then_evening(day: int) -> list[dict[str, object]]:
    """Night 22:00-06:30 (pause 02:00-02:30) then 18:00-22:00 the same day: 11.5 h of rest."""
    night, morning = f"2026-03-{day:02d}", f"2026-03-{day + 1:02d}"
    return [
        shift(f"{night}T22:00", f"{morning}T06:30", (f"{morning}T02:00", f"{morning}T02:30")),
        shift(f"{morning}T18:00", f"{morning}T22:00"),
    ]


def test_it_needs_14_hours_after_a_late_night_once_the_weeks_shortening_is_used() -> None:
    # Edge case 7. Art. 5:8 lid 4 ATW: after a night shift ending after 02:00, 14 h of rest,
    # which may be shortened to 8 h once in every 7 x 24 h. Two such 11.5 h rests within the
    # same 7 days: the first is the shortening, the second a violation.
    report = check(problem(), *_late_night_then_evening(2), *_late_night_then_evening(4))
    assert errors(report) == ["NA-04"]
    violation = report.errors[0]
    assert violation.params["rest_minutes"] == 690
    assert violation.params["required_minutes"] == 840
    assert (
        violation.start is not None and violation.start.isoformat() == "2026-03-05T06:30:00+01:00"
    )
    assert warnings(report) == ["NA-04"]  # the first: the allowed shortening, reason missing


def test_it_allows_the_one_shortening_after_a_late_night_with_a_warning() -> None:
    # Edge case 7, the exception: the only shortened rest in its 7 days (art. 5:8 lid 4).
    report = check(problem(), *_late_night_then_evening(2))
    assert errors(report) == []
    assert warnings(report) == ["NA-04"]
    assert "record the reason" in report.warnings[0].message


def test_it_accepts_the_shortening_silently_when_its_reason_is_stated() -> None:
    night, evening = _late_night_then_evening(2)
    evening["rest_shortening_reason"] = "stand-in for a sick colleague"
    assert check(problem(), night, evening).violations == []


def test_it_rejects_a_shortening_without_reason_when_reasons_are_required() -> None:
    # With shortening_requires_reason the once-per-week shortening must be claimed.
    strict = problem(settings={"shortening_requires_reason": True})
    night, evening = _late_night_then_evening(2)
    assert errors(check(strict, night, evening)) == ["NA-04"]
    evening["rest_shortening_reason"] = "system outage"
    assert errors(check(strict, night, evening)) == []


def test_it_needs_46_hours_of_rest_after_three_nights() -> None:
    # Edge case 8. Art. 5:8 lid 5 ATW: after a series of 3 or more night shifts, 46 h of rest.
    nights = [
        shift(
            f"2026-03-0{d}T23:00",
            f"2026-03-0{d + 1}T07:00",
            (f"2026-03-0{d + 1}T03:00", f"2026-03-0{d + 1}T03:30"),
        )
        for d in (2, 3, 4)
    ]
    later = shift("2026-03-06T20:00", "2026-03-06T23:00")  # 37 h after Thursday 07:00
    report = check(problem(), *nights, later)
    assert errors(report) == ["NA-05"]
    assert report.errors[0].params == {
        "rest_minutes": 37 * 60,
        "night_shifts": 3,
        "required_minutes": 46 * 60,
    }
    enough = shift("2026-03-07T05:00", "2026-03-07T09:00")  # 46 h later
    assert errors(check(problem(), *nights, enough)) == []


def test_it_counts_blocks_less_than_8_hours_apart_as_one_shift() -> None:
    # Edge case 9. Art. 1:7 lid 1 (c) ATW: a shift (dienst) is the work between two rests of
    # at least 8 h, so 08:00-12:00 and 16:00-21:00 are one shift of 9 h work.
    [duty] = _duties(
        "2026-03-02T08:00", "2026-03-02T21:00", ("2026-03-02T12:00", "2026-03-02T16:00")
    )
    assert duty.work_minutes == 9 * 60
    two = [
        shift("2026-03-02T08:00", "2026-03-02T12:00"),
        shift("2026-03-02T16:00", "2026-03-02T21:00"),
    ]
    report = check(problem(), *two)
    # Not a 4-hour daily rest (ATW-05), and the 4 h between them is the pause (ATW-06).
    assert report.violations == []
    # One shift of 9 h: with a CAO maximum of 8 h per shift, ATW-01 sees the 9 h.
    capped = problem(settings={"max_shift_work_minutes": 480})
    report = check(capped, *two)
    assert errors(report) == ["ATW-01"]
    assert report.errors[0].params["work_minutes"] == 540
    assert report.errors[0].paths == ["shifts[0]", "shifts[1]"]


def test_it_forbids_work_after_23_for_a_17_year_old() -> None:
    # Edge case 10. Art. 5:3 ATW (daily rest) for 16- and 17-year-olds: 12 h of rest in every
    # 24 h including 23:00-06:00, so no work after 23:00 (also arboportaal.nl, "Werktijden
    # voor 16- en 17-jarigen").
    young = problem(employees=[employee(age=17)])
    report = check(young, shift("2026-03-02T17:00", "2026-03-02T23:30", ("20:00", "20:30")))
    assert errors(report) == ["JW-02"]
    assert report.errors[0].params["night_minutes"] == 30
    # The same shift is fine for an adult.
    assert (
        errors(check(problem(), shift("2026-03-02T17:00", "2026-03-02T23:30", ("20:00", "20:30"))))
        == []
    )
