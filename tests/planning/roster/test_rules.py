"""Working-time rules beyond the ten edge cases: weekly and multi-week maxima, weekly rest,
shortened daily rest, night-shift limits, Sundays, the youth rules and daylight saving time.

Law: Arbeidstijdenwet (ATW), wetten.overheid.nl BWBR0007671, articles named per test; the
youth figures also as listed by arboportaal.nl ("Werktijden voor 16- en 17-jarigen").
Expected values are hand calculations written next to each assertion.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from veerkracht.planning.roster.model import WorkingTimeSettings
from veerkracht.planning.roster.rules import (
    LocalClock,
    ShiftTimes,
    check_working_time,
    format_minutes,
    segment_duties,
)

from .factories import START, check, daily, employee, errors, previous, problem, shift, warnings

MONDAY = START  # 2026-03-02


def _at(day: date, hhmm: str) -> str:
    return f"{day.isoformat()}T{hhmm}"


# --- weekly and multi-week maxima --------------------------------------------------------


def test_it_limits_a_week_to_60_hours() -> None:
    # Art. 5:7 lid 1 ATW: at most 60 h in a week. Five days of 12 h (07:00-19:45, 45 min
    # pause) = 60 h, plus one hour on Saturday = 61 h.
    shifts = daily(MONDAY, 5, "07:00", "19:45", ("12:00", "12:45"))
    shifts.append(
        shift(_at(MONDAY + timedelta(days=5), "07:00"), _at(MONDAY + timedelta(days=5), "08:00"))
    )
    prob = problem(employees=[employee(max_minutes_per_week=5000)])
    report = check(prob, *shifts)
    assert errors(report) == ["ATW-02"]
    assert report.errors[0].params["work_minutes"] == 61 * 60
    assert errors(check(prob, *shifts[:5])) == []  # exactly 60 h is allowed


def test_it_limits_any_4_weeks_to_220_hours() -> None:
    # Art. 5:7 lid 2 ATW: at most 55 h a week on average over 4 weeks (220 h). Five shifts of
    # 11 h 12 min work (07:00-18:57, 45 min pause) = 56 h a week, 224 h in 4 weeks.
    shifts = daily(MONDAY, 28, "07:00", "18:57", ("12:00", "12:45"), skip=(5, 6))
    prob = problem(days=28, employees=[employee(max_minutes_per_week=4000)])
    report = check(prob, *shifts)
    assert errors(report) == ["ATW-03"]
    assert report.errors[0].params["work_minutes"] == 224 * 60
    # Three such weeks and a light one stay within 220 h.
    assert errors(check(prob, *shifts[:16])) == []


def test_it_limits_any_16_weeks_to_768_hours_using_previous_shifts() -> None:
    # Art. 5:7 lid 3 ATW: at most 48 h a week on average over 16 weeks (768 h). Five shifts
    # of 9 h 48 min work (07:00-17:18, 30 min pause) = 49 h a week: 196 h per 4 weeks (fine),
    # but 16 x 49 = 784 h > 768 h. The 12 weeks before the period come as previous_shifts.
    before = MONDAY - timedelta(weeks=12)
    history = previous(daily(before, 12 * 7, "07:00", "17:18", ("11:00", "11:30"), skip=(5, 6)))
    prob = problem(days=28, employees=[employee(previous_shifts=history)])
    shifts = daily(MONDAY, 28, "07:00", "17:18", ("11:00", "11:30"), skip=(5, 6))
    report = check(prob, *shifts)
    assert errors(report) == ["ATW-04"]
    assert report.errors[0].params["work_minutes"] == 784 * 60
    # Without the history the period alone is only 196 h.
    assert errors(check(problem(days=28), *shifts)) == []


# --- rest --------------------------------------------------------------------------------


def test_it_allows_one_shortened_daily_rest_per_7_days() -> None:
    # Art. 5:3 lid 1 ATW: 11 h of rest, once per 7 x 24 h at least 8 h. Rests of 9 h on
    # Monday night and on Wednesday night: the second is a violation.
    shifts = [
        shift(_at(MONDAY, "13:00"), _at(MONDAY, "22:00"), ("17:00", "17:30")),
        shift(
            _at(MONDAY + timedelta(days=1), "07:00"),
            _at(MONDAY + timedelta(days=1), "15:00"),
            ("11:00", "11:30"),
        ),
        shift(
            _at(MONDAY + timedelta(days=2), "13:00"),
            _at(MONDAY + timedelta(days=2), "22:00"),
            ("17:00", "17:30"),
        ),
        shift(
            _at(MONDAY + timedelta(days=3), "07:00"),
            _at(MONDAY + timedelta(days=3), "15:00"),
            ("11:00", "11:30"),
        ),
    ]
    report = check(problem(), *shifts)
    assert errors(report) == ["ATW-05"]
    assert report.errors[0].params["rest_minutes"] == 9 * 60
    assert warnings(report) == ["ATW-05"]  # the first, allowed shortening
    # A week later the allowance is back.
    later = [
        shift(
            _at(MONDAY + timedelta(days=8), "13:00"),
            _at(MONDAY + timedelta(days=8), "22:00"),
            ("17:00", "17:30"),
        ),
        shift(
            _at(MONDAY + timedelta(days=9), "07:00"),
            _at(MONDAY + timedelta(days=9), "15:00"),
            ("11:00", "11:30"),
        ),
    ]
    report = check(problem(), *shifts[:2], *later)
    assert errors(report) == []
    assert warnings(report) == ["ATW-05", "ATW-05"]


def test_it_needs_36_hours_of_weekly_rest_in_the_7_day_form() -> None:
    # Art. 5:5 lid 1 (a) ATW: 36 h of uninterrupted rest in every 7 x 24 h. Working every day
    # 09:00-17:00 leaves at most 16 h.
    shifts = daily(MONDAY, 7, "09:00", "17:00", ("12:00", "12:30"))
    report = check(problem(settings={"weekly_rest_rule": "7d"}), *shifts)
    assert errors(report) == ["ATW-07"]
    assert report.errors[0].params["rest_minutes"] == 16 * 60
    # The 14-day form (72 h in 14 days) is met by the free second week: no violation.
    assert errors(check(problem(), *shifts)) == []


def _33_hour_rests(weeks: int) -> list[dict[str, object]]:
    """Every day 08:00-16:00 except one 33-hour rest a week (Tuesday 23:00 - Thursday 08:00)."""
    out: list[dict[str, object]] = []
    for day in (MONDAY + timedelta(days=i) for i in range(7 * weeks)):
        if day.weekday() == 1:
            out.append(shift(_at(day, "15:00"), _at(day, "23:00"), ("19:00", "19:30")))
        elif day.weekday() != 2:
            out.append(shift(_at(day, "08:00"), _at(day, "16:00"), ("12:00", "12:30")))
    return out


def test_it_needs_72_hours_in_14_days_in_blocks_of_32_in_the_14_day_form() -> None:
    # Art. 5:5 lid 1 (b) ATW: 72 h in every 14 x 24 h, in rests of at least 32 h. Two weeks
    # with one 33-hour rest each give 66 h.
    shifts = _33_hour_rests(2)
    report = check(problem(settings={"weekly_rest_rule": "14d"}), *shifts)
    assert "ATW-07" in errors(report)
    two_weeks = [
        v for v in report.errors if v.rule == "ATW-07" and v.params["week"].startswith("2026-W10")
    ]
    assert two_weeks[0].params["rest_minutes"] == 66 * 60
    # With "either" a week passes on a neighbouring two-week window; in the middle of three
    # such weeks both windows have 66 h, so that week breaks both forms.
    report = check(problem(days=21), *_33_hour_rests(3))
    assert errors(report) == ["ATW-07"]
    assert report.errors[0].params["week"].startswith("2026-W11")
    assert report.errors[0].params["rest_minutes"] == 33 * 60


def test_it_gives_young_employees_no_14_day_option() -> None:
    # Art. 5:5 ATW for 16- and 17-year-olds: 36 h in every week, no 72-h-in-14-days form.
    young = problem(employees=[employee(age=16)])
    shifts = daily(MONDAY, 7, "09:00", "15:30", ("12:00", "12:30"))  # 42 h
    assert errors(check(young, *shifts)) == ["JW-03"]
    assert errors(check(problem(), *shifts)) == []  # an adult meets the 14-day form


# --- night shifts ------------------------------------------------------------------------


def test_it_limits_night_shifts_to_12_hours_and_10_hours_normally() -> None:
    # Art. 5:8 lid 1-2 ATW: a night shift at most 10 h, up to 12 h five times in 14 days.
    twelve = shift(
        _at(MONDAY, "20:00"), _at(MONDAY + timedelta(days=1), "08:45"), ("00:00", "00:45")
    )
    assert errors(check(problem(), twelve)) == []  # 12 h 45 min minus 45 min pause: 12 h
    longer = shift(
        _at(MONDAY, "20:00"), _at(MONDAY + timedelta(days=1), "09:00"), ("00:00", "00:45")
    )
    report = check(problem(), longer)
    assert errors(report) == ["NA-01"]
    assert report.errors[0].params["work_minutes"] == 12 * 60 + 15


def test_it_allows_five_extended_night_shifts_in_14_days() -> None:
    # Art. 5:8 lid 2 ATW: up to 12 h at most 5 times in 14 days. Six nights of 10 h 15 min
    # work (20:00-07:00, 45 min pause), every other night (37 h apart).
    nights = [
        shift(
            _at(MONDAY + timedelta(days=2 * i), "20:00"),
            _at(MONDAY + timedelta(days=2 * i + 1), "07:00"),
            (
                _at(MONDAY + timedelta(days=2 * i + 1), "01:00"),
                _at(MONDAY + timedelta(days=2 * i + 1), "01:45"),
            ),
        )
        for i in range(6)
    ]
    report = check(problem(), *nights)
    assert errors(report) == ["NA-01"]
    assert report.errors[0].params["count"] == 6
    assert report.errors[0].start is not None and report.errors[0].start.date() == date(2026, 3, 12)
    assert errors(check(problem(), *nights[:5])) == []


def test_it_needs_12_hours_rest_after_an_extended_night_shift() -> None:
    # Art. 5:8 lid 2 ATW: an extended night shift (> 10 h) is followed by 12 h of rest. The
    # night ends at 07:00 and so also needs 14 h (NA-04); an 11-hour rest breaks NA-01 and is
    # the one allowed NA-04 shortening.
    night = shift(
        _at(MONDAY, "20:00"), _at(MONDAY + timedelta(days=1), "07:00"), ("01:00", "01:45")
    )
    evening = shift(
        _at(MONDAY + timedelta(days=1), "18:00"), _at(MONDAY + timedelta(days=1), "22:00")
    )
    report = check(problem(), night, evening)
    assert errors(report) == ["NA-01"]
    assert report.errors[0].params["rest_minutes"] == 11 * 60


def test_it_limits_a_series_with_night_shifts_to_7_shifts() -> None:
    # Art. 5:8 lid 6 ATW: a series of consecutive shifts with a night shift has at most 7.
    nights = daily(MONDAY, 8, "23:00", "07:00", ("03:00", "03:30"))
    report = check(problem(), *nights)
    assert errors(report) == ["NA-06"]
    assert report.errors[0].params == {"shifts": 8, "limit": 7}
    assert errors(check(problem(), *nights[:7])) == []


def test_it_limits_late_night_shifts_to_36_in_16_weeks() -> None:
    # Art. 5:8 lid 3 ATW: at most 36 night shifts ending after 02:00 in 16 weeks. Three
    # nights a week for 12 weeks before the period (36), and one more in it.
    before = MONDAY - timedelta(weeks=12)
    history = previous(
        daily(before, 12 * 7, "23:00", "07:00", ("03:00", "03:30"), skip=(3, 4, 5, 6))
    )
    assert len(history) == 36
    prob = problem(employees=[employee(previous_shifts=history)])
    report = check(
        prob,
        shift(_at(MONDAY, "23:00"), _at(MONDAY + timedelta(days=1), "07:00"), ("03:00", "03:30")),
    )
    assert errors(report) == ["NA-07"]
    assert report.errors[0].params["night_shifts"] == 37


def test_it_lowers_the_16_week_average_for_frequent_night_work() -> None:
    # Art. 5:8 lid 3 ATW: with 16 or more night shifts in 16 weeks, at most 40 h a week on
    # average. Scaled down through the settings: with 3 night shifts, at most 20 h.
    settings = {
        "night_heavy_min_night_shifts_per_16_weeks": 3,
        "night_heavy_max_16_weeks_work_minutes": 20 * 60,
    }
    nights = daily(MONDAY, 3, "23:00", "07:00", ("03:00", "03:30"))  # 3 x 7.5 h = 22.5 h
    report = check(problem(settings=settings), *nights)
    assert errors(report) == ["NA-03"]
    assert report.errors[0].params["work_minutes"] == 22 * 60 + 30
    assert errors(check(problem(settings=settings), *nights[:2])) == []


# --- Sundays -----------------------------------------------------------------------------


def test_it_warns_pro_rata_about_free_sundays_in_a_short_period() -> None:
    # Art. 5:6 ATW: at least 13 free Sundays in 52 weeks. Over 4 Sundays that is 1 pro rata;
    # later Sundays can still make up for it, so only a warning.
    shifts = daily(MONDAY, 28, "09:00", "17:00", ("12:00", "12:30"), skip=(0, 1, 2))
    report = check(problem(days=28), *shifts)
    assert errors(report) == []
    assert warnings(report) == ["ATW-09"]
    assert report.warnings[0].params == {"free_sundays": 0, "required": 1, "sundays": 4}


def test_it_checks_13_free_sundays_over_52_weeks_with_history() -> None:
    # Art. 5:6 ATW with a year of previous shifts: in the 52 weeks up to the period's Sunday,
    # 39 worked Sundays before it and the period's own leave 12 free.
    year_ago = MONDAY - timedelta(weeks=52)  # known from here: 52 Sundays before the period
    sundays = [MONDAY - timedelta(days=1) - timedelta(weeks=w) for w in range(39)]
    history = previous(
        [shift(_at(year_ago, "10:00"), _at(year_ago, "14:00"))]
        + [shift(_at(d, "10:00"), _at(d, "14:00")) for d in sorted(sundays)]
    )
    prob = problem(days=7, employees=[employee(previous_shifts=history)])
    sunday = MONDAY + timedelta(days=6)
    report = check(prob, shift(_at(sunday, "10:00"), _at(sunday, "14:00")))
    assert errors(report) == ["ATW-09"]
    assert report.errors[0].params == {"free_sundays": 12, "required": 13, "sundays": 52}
    assert check(prob).violations == []  # 13 free with the period's Sunday off


def test_it_needs_consent_for_sunday_work() -> None:
    # Art. 5:6 ATW: Sunday work only when agreed (contract, or consent each time).
    sunday = MONDAY + timedelta(days=6)
    prob = problem(employees=[employee(sunday_work_allowed=False)])
    assert errors(check(prob, shift(_at(sunday, "10:00"), _at(sunday, "14:00")))) == ["ATW-08"]
    assert errors(check(prob, shift(_at(MONDAY, "10:00"), _at(MONDAY, "14:00")))) == []


# --- youth (16 and 17) --------------------------------------------------------------------


def test_it_limits_young_employees_to_9_hours_a_shift() -> None:
    # Art. 5:2 ATW, JW-01: at most 9 h per shift. 08:00-18:00 with 30 min pause = 9.5 h.
    young = problem(employees=[employee(age=17)])
    report = check(young, shift(_at(MONDAY, "08:00"), _at(MONDAY, "18:00"), ("12:00", "12:30")))
    assert errors(report) == ["JW-01"]
    assert report.errors[0].params["work_minutes"] == 570
    assert (
        errors(
            check(problem(), shift(_at(MONDAY, "08:00"), _at(MONDAY, "18:00"), ("12:00", "12:30")))
        )
        == []
    )


def test_it_counts_school_hours_in_the_45_hour_week_of_young_employees() -> None:
    # JW-01: 45 h a week, school hours included. Five shifts of 8 h = 40 h; with 10 h of
    # school = 50 h.
    shifts = daily(MONDAY, 5, "08:00", "16:30", ("12:00", "12:30"))
    assert errors(check(problem(employees=[employee(age=17)]), *shifts)) == []
    with_school = problem(employees=[employee(age=17, school_minutes_per_week=600)])
    report = check(with_school, *shifts)
    assert errors(report) == ["JW-01"]
    assert report.errors[0].params["work_minutes"] == 50 * 60


def test_it_limits_young_employees_to_160_hours_in_4_weeks() -> None:
    # JW-01: 40 h a week on average over 4 weeks. Five shifts of 8 h 24 min = 42 h a week,
    # 168 h in 4 weeks.
    shifts = daily(MONDAY, 28, "08:00", "16:54", ("12:00", "12:30"), skip=(5, 6))
    report = check(problem(days=28, employees=[employee(age=16)]), *shifts)
    assert errors(report) == ["JW-01"]
    assert report.errors[0].params["work_minutes"] == 168 * 60
    assert report.errors[0].params["weeks"] == 4


def test_it_gives_young_employees_12_hours_of_daily_rest() -> None:
    # Art. 5:3 ATW for 16- and 17-year-olds: 12 h of rest in every 24 h, never shortened.
    shifts = [
        shift(_at(MONDAY, "14:00"), _at(MONDAY, "22:00"), ("18:00", "18:30")),
        shift(_at(MONDAY + timedelta(days=1), "09:00"), _at(MONDAY + timedelta(days=1), "13:00")),
    ]
    report = check(problem(employees=[employee(age=17)]), *shifts)
    assert errors(report) == ["JW-02"]
    assert report.errors[0].params["rest_minutes"] == 11 * 60
    assert errors(check(problem(), *shifts)) == []


def test_it_gives_young_employees_a_pause_after_4_and_a_half_hours() -> None:
    # JW-04: more than 4.5 h of work needs 30 min of pause (pauses of at least 15 min).
    young = problem(employees=[employee(age=17)])
    assert errors(check(young, shift(_at(MONDAY, "09:00"), _at(MONDAY, "13:30")))) == []
    report = check(young, shift(_at(MONDAY, "09:00"), _at(MONDAY, "14:00")))
    assert errors(report) == ["JW-04"]
    ok = shift(_at(MONDAY, "09:00"), _at(MONDAY, "14:30"), ("11:00", "11:15"), ("12:30", "12:45"))
    assert errors(check(young, ok)) == []


# --- daylight saving time and the pure API ------------------------------------------------


def _m(text: str) -> int:
    return int(datetime.fromisoformat(text).timestamp()) // 60


def test_it_counts_real_hours_in_a_night_across_the_clock_change() -> None:
    # On 2026-10-25 the clocks go back at 03:00: 22:00-06:00 is 9 hours of work, and on
    # 2026-03-29 they go forward at 02:00: 22:00-06:00 is 7 hours.
    clock = LocalClock(date(2026, 3, 20), 230)
    settings = WorkingTimeSettings()
    autumn = ShiftTimes(_m("2026-10-24T22:00+02:00"), _m("2026-10-25T06:00+01:00"))
    spring = ShiftTimes(_m("2026-03-28T22:00+01:00"), _m("2026-03-29T06:00+02:00"))
    [long_night] = segment_duties([autumn], settings, clock)
    [short_night] = segment_duties([spring], settings, clock)
    assert long_night.work_minutes == 9 * 60
    assert long_night.night_minutes == 7 * 60  # 00:00-06:00 local lasts 7 h that night
    assert short_night.work_minutes == 7 * 60
    assert short_night.night_minutes == 5 * 60


def test_it_reports_only_what_touches_the_period() -> None:
    # A violation wholly in the previous shifts is not the roster's: the period is 2026-03-02..
    before = ShiftTimes(_m("2026-02-23T08:00+01:00"), _m("2026-02-23T15:00+01:00"))  # no pause
    period = (_m("2026-03-02T00:00+01:00"), _m("2026-03-09T00:00+01:00"))
    found = check_working_time(
        [before], employee="a", settings=WorkingTimeSettings(), period=period
    )
    assert found == []
    inside = ShiftTimes(_m("2026-03-02T08:00+01:00"), _m("2026-03-02T15:00+01:00"), ref="shifts[0]")
    found = check_working_time(
        [before, inside], employee="a", settings=WorkingTimeSettings(), period=period
    )
    assert [(v.rule, v.refs) for v in found] == [("ATW-06", ("shifts[0]",))]


def test_it_formats_durations_for_people() -> None:
    assert format_minutes(545) == "9 h 5 min"
    assert format_minutes(660) == "11 h"
    assert format_minutes(20) == "20 min"


def test_it_reports_an_excess_seen_through_several_windows_once() -> None:
    # 39 worked Sundays before a 4-week period with all 4 Sundays worked: every 52-Sunday run
    # that includes a period Sunday is short; one violation, for the worst run (9 free).
    year_ago = MONDAY - timedelta(weeks=52)
    sundays = [MONDAY - timedelta(days=1) - timedelta(weeks=w) for w in range(39)]
    history = previous(
        [shift(_at(year_ago, "10:00"), _at(year_ago, "14:00"))]
        + [shift(_at(d, "10:00"), _at(d, "14:00")) for d in sorted(sundays)]
    )
    prob = problem(days=28, employees=[employee(previous_shifts=history)])
    period_sundays = [MONDAY + timedelta(days=6 + 7 * w) for w in range(4)]
    report = check(prob, *(shift(_at(d, "10:00"), _at(d, "14:00")) for d in period_sundays))
    assert errors(report) == ["ATW-09"]
    assert report.errors[0].params["free_sundays"] == 9
