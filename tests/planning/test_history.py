"""Reading contact-history files (CSV and XLSX) onto the 15-minute grid."""

from __future__ import annotations

import io
from datetime import date, datetime
from pathlib import Path

import numpy as np
import openpyxl
import pytest

from veerkracht.planning.calendar import TZ, to_local_datetimes
from veerkracht.planning.history import (
    ChannelSeries,
    History,
    HistoryParseError,
    RowError,
    load_history,
    parse_history,
    write_history_csv,
)

DATA = Path(__file__).resolve().parent.parent / "data"


def _errors(content: str) -> list[tuple[int, str, str]]:
    result = parse_history(content.encode())
    assert result.history is None
    return [(e.row, e.field, e.code) for e in result.errors]


def _local(series: ChannelSeries) -> list[str]:
    return [d.isoformat(timespec="minutes") for d in to_local_datetimes(series.start_utc_s)]


def test_it_reads_a_well_formed_csv() -> None:
    result = parse_history(
        b"start,channel,contacts,aht_s\n"
        b"2025-03-03T08:00,phone,12,240\n"
        b"2025-03-03T08:15,phone,7,300\n"
        b"2025-03-03 08:00,chat,3,\n"
    )
    assert result.ok and result.history is not None
    assert result.history.channels == ("phone", "chat")
    phone = result.history.series["phone"]
    assert _local(phone) == ["2025-03-03T08:00+01:00", "2025-03-03T08:15+01:00"]
    assert phone.contacts.tolist() == [12.0, 7.0]
    assert phone.aht_s.tolist() == [240.0, 300.0]
    assert np.isnan(result.history.series["chat"].aht_s[0])


def test_it_reports_problems_by_row_and_field() -> None:
    result = parse_history((DATA / "history_errors.csv").read_bytes())
    assert result.history is None
    assert [(e.row, e.field, e.code) for e in result.errors] == [
        (4, "start", "duplicate"),
        (5, "contacts", "negative"),
        (6, "channel", "unknown_channel"),
        (7, "start", "out_of_order"),
        (8, "contacts", "required"),
        (9, "start", "invalid_datetime"),
        (10, "contacts", "not_a_number"),
        (11, "start", "granularity_mismatch"),
    ]
    duplicate, *_ = result.errors
    assert duplicate.params == {"channel": "phone", "start": "2025-03-03T08:15", "first_row": 3}
    out_of_order = result.errors[3]
    assert out_of_order.params["previous_row"] == 3


def test_it_gives_an_english_default_message_with_its_params() -> None:
    error = RowError(6, "channel", "unknown_channel", {"value": "fax", "allowed": "phone, chat"})
    assert error.message == "Unknown channel 'fax'; allowed: phone, chat."
    assert str(error) == "row 6, channel: Unknown channel 'fax'; allowed: phone, chat."


def test_it_reports_duplicate_intervals_with_the_first_row() -> None:
    rows = "start,channel,contacts\n2025-03-03T08:00,phone,1\n2025-03-03T08:00,telefoon,2\n"
    result = parse_history(rows.encode())
    assert [(e.row, e.code, e.params["first_row"]) for e in result.errors] == [(3, "duplicate", 2)]


def test_it_reports_intervals_out_of_order_per_channel() -> None:
    rows = (
        "start,channel,contacts\n"
        "2025-03-03T08:15,phone,1\n"
        "2025-03-03T08:00,chat,1\n"  # another channel may start earlier
        "2025-03-03T08:00,phone,1\n"
    )
    assert _errors(rows) == [(4, "start", "out_of_order")]


def test_it_reports_negative_contacts_and_aht() -> None:
    rows = (
        "start,channel,contacts,aht_s\n2025-03-03T08:00,phone,-1,100\n2025-03-03T08:15,phone,1,-5\n"
    )
    assert _errors(rows) == [(2, "contacts", "negative"), (3, "aht_s", "negative")]


def test_it_reports_unknown_channels_and_accepts_aliases() -> None:
    rows = (
        "start,channel,contacts\n"
        "2025-03-03T08:00,Telefoon,1\n"
        "2025-03-03T08:00,E-mail,1\n"
        "2025-03-03T08:00,Social Media,1\n"
        "2025-03-03T08:00,webcare,1\n"
        "2025-03-03T08:00,fax,1\n"
    )
    assert _errors(rows) == [(5, "start", "duplicate"), (6, "channel", "unknown_channel")]


def test_it_reports_bad_dates() -> None:
    rows = (
        "start,channel,contacts\n"
        "2025-02-30T08:00,phone,1\n"
        "morgen,phone,1\n"
        "2025-03-03T08:00:00.5,phone,1\n"
        ",phone,1\n"
    )
    assert _errors(rows) == [
        (2, "start", "invalid_datetime"),
        (3, "start", "invalid_datetime"),
        (4, "start", "invalid_datetime"),
        (5, "start", "required"),
    ]


def test_it_reports_missing_and_non_numeric_values() -> None:
    rows = "start,channel,contacts\n2025-03-03T08:00,,1\n2025-03-03T08:15,phone,\n2025-03-03T08:30,phone,12x\n"
    assert _errors(rows) == [
        (2, "channel", "required"),
        (3, "contacts", "required"),
        (4, "contacts", "not_a_number"),
    ]


def test_it_reports_mixed_granularity() -> None:
    rows = ["start,channel,contacts"]
    rows += [f"2025-03-03T08:{m:02d},phone,1" for m in (0, 15, 30, 45)]
    rows += ["2025-03-03T09:00,phone,1", "2025-03-03T09:05,phone,1", "2025-03-03T09:15,phone,1"]
    result = parse_history("\n".join(rows).encode())
    assert [(e.row, e.field, e.code) for e in result.errors] == [
        (7, "start", "granularity_mismatch")
    ]
    assert result.errors[0].params["interval_min"] == 15


def test_it_reports_an_unsupported_granularity() -> None:
    rows = "start,channel,contacts\n2025-03-03T08:00,phone,1\n2025-03-03T10:00,phone,1\n2025-03-03T12:00,phone,1\n"
    assert _errors(rows) == [(2, "start", "unsupported_granularity")]


def test_it_reports_missing_columns_on_the_header_row() -> None:
    result = parse_history(b"when,channel,count\n2025-03-03T08:00,phone,1\n")
    assert [(e.row, e.field, e.code) for e in result.errors] == [
        (1, "start", "missing_column"),
        (1, "contacts", "missing_column"),
    ]


def test_it_reports_an_empty_file() -> None:
    assert [e.code for e in parse_history(b"").errors] == ["empty_file"]
    assert [e.code for e in parse_history(b"start,channel,contacts\n").errors] == ["empty_file"]


def test_it_sums_5_minute_data_to_15_minutes() -> None:
    history = load_history((DATA / "history_5min.csv").read_bytes())
    phone = history.series["phone"]
    assert phone.source_interval_min == 5
    assert _local(phone) == [
        "2025-03-03T08:00+01:00",
        "2025-03-03T08:15+01:00",
        "2025-03-03T08:30+01:00",  # only 08:40 was present: the quarter is open
    ]
    assert phone.contacts.tolist() == [1 + 2 + 3, 4 + 5 + 6, 7]
    # AHT is contact-weighted over the rows that have one: (1*200 + 2*300) / 3.
    assert phone.aht_s[0] == pytest.approx(800 / 3)


def test_it_splits_60_minute_data_evenly_over_quarters() -> None:
    history = load_history((DATA / "history_60min_nl.csv").read_bytes())
    phone = history.series["phone"]
    assert phone.source_interval_min == 60
    assert len(phone) == 12
    assert phone.contacts.tolist() == [10.0] * 4 + [1.5] * 4 + [0.0] * 4
    assert phone.aht_s[0] == pytest.approx(310.5)
    assert history.series["social"].contacts.tolist() == [3.0] * 4 + [2.0] * 4


def test_it_apportions_20_minute_data_by_overlap() -> None:
    rows = "start,channel,contacts\n2025-03-03T08:00,chat,8\n2025-03-03T08:20,chat,4\n2025-03-03T08:40,chat,12\n"
    chat = load_history(rows.encode()).series["chat"]
    # 08:00-08:20 gives 15/20 to 08:00 and 5/20 to 08:15, and so on.
    assert chat.contacts.tolist() == pytest.approx([6.0, 2.0 + 2.0, 2.0 + 3.0, 9.0])


def test_it_reads_dutch_headers_semicolons_and_decimal_commas() -> None:
    content = "Begin;Kanaal;Contacten;AHT\n03-03-2025 08:00;Telefoon;2,5;310,5\n"
    phone = load_history(content.encode("cp1252")).series["phone"]
    assert phone.contacts.tolist() == [2.5]
    assert phone.aht_s.tolist() == [310.5]


def test_it_reads_a_text_stream() -> None:
    stream = io.StringIO("start,channel,contacts\n2025-03-03T08:00,chat,4\n")
    assert load_history(stream).series["chat"].contacts.tolist() == [4.0]


def test_it_reads_the_first_sheet_of_an_xlsx_file() -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Start", "Kanaal", "Contacten"])
    sheet.append([datetime(2025, 3, 3, 8, 0), "telefoon", 5])
    sheet.append(["2025-03-03T08:15", "telefoon", 6])
    sheet.append([datetime(2025, 3, 3, 8, 30), "telefoon", -1])
    workbook.create_sheet("ignored").append(["start", "channel", "contacts"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = parse_history(buffer.getvalue())
    assert [(e.row, e.field, e.code) for e in result.errors] == [(4, "contacts", "negative")]
    sheet.delete_rows(4)
    buffer = io.BytesIO()
    workbook.save(buffer)
    phone = load_history(buffer.getvalue()).series["phone"]
    assert phone.contacts.tolist() == [5.0, 6.0]


def test_it_keeps_absent_intervals_closed() -> None:
    rows = "start,channel,contacts\n2025-03-07T17:45,phone,3\n2025-03-10T08:00,phone,0\n"
    phone = load_history(rows.encode()).series["phone"]
    # The weekend is absent, not zero: only the two rows become intervals.
    assert len(phone) == 2
    assert phone.contacts.tolist() == [3.0, 0.0]


def test_it_reads_the_autumn_day_with_a_repeated_naive_hour() -> None:
    email = load_history((DATA / "history_dst_autumn.csv").read_bytes()).series["email"]
    assert len(email) == 100
    assert np.all(np.diff(email.start_utc_s) == 900)
    local = _local(email)
    assert local[8:16] == [
        "2025-10-26T02:00+02:00",
        "2025-10-26T02:15+02:00",
        "2025-10-26T02:30+02:00",
        "2025-10-26T02:45+02:00",
        "2025-10-26T02:00+01:00",
        "2025-10-26T02:15+01:00",
        "2025-10-26T02:30+01:00",
        "2025-10-26T02:45+01:00",
    ]


def test_it_reads_the_autumn_day_with_explicit_offsets_in_any_order_of_channels() -> None:
    rows = (
        "start,channel,contacts\n"
        "2025-10-26T02:45+02:00,chat,1\n"
        "2025-10-26T02:00+01:00,chat,2\n"
        "2025-10-26T02:00Z,email,3\n"
    )
    history = load_history(rows.encode())
    assert _local(history.series["chat"]) == ["2025-10-26T02:45+02:00", "2025-10-26T02:00+01:00"]
    assert _local(history.series["email"]) == ["2025-10-26T03:00+01:00"]


def test_it_reports_a_third_occurrence_of_the_repeated_hour_as_duplicate() -> None:
    rows = "start,channel,contacts\n" + "".join(f"2025-10-26T02:00,phone,{i}\n" for i in range(3))
    assert _errors(rows) == [(4, "start", "duplicate")]


def test_it_reads_the_spring_day_with_92_intervals() -> None:
    email = load_history((DATA / "history_dst_spring.csv").read_bytes()).series["email"]
    assert len(email) == 92
    assert np.all(np.diff(email.start_utc_s) == 900)
    assert _local(email)[7:9] == ["2025-03-30T01:45+01:00", "2025-03-30T03:00+02:00"]


def test_it_rejects_a_time_that_does_not_exist_in_spring() -> None:
    rows = "start,channel,contacts\n2025-03-30T01:45,phone,1\n2025-03-30T02:00,phone,1\n"
    result = parse_history(rows.encode())
    assert [(e.row, e.field, e.code) for e in result.errors] == [
        (3, "start", "nonexistent_local_time")
    ]


def test_it_raises_with_all_problems_from_load_history() -> None:
    with pytest.raises(HistoryParseError) as info:
        load_history((DATA / "history_errors.csv").read_bytes())
    assert len(info.value.errors) == 8
    assert "row 5, contacts" in str(info.value)


def test_it_writes_a_history_that_reads_back_identically() -> None:
    starts = [datetime(2025, 10, 26, 1, 45), datetime(2025, 10, 26, 2, 0)]
    starts.append(datetime(2025, 10, 26, 2, 0, fold=1))
    phone = ChannelSeries.from_local("telefoon", starts, [1, 2, 3], [100, np.nan, 300])
    history = History.of(phone)
    buffer = io.StringIO()
    write_history_csv(history, buffer)
    again = load_history(buffer.getvalue().encode()).series["phone"]
    assert again.start_utc_s.tolist() == phone.start_utc_s.tolist()
    assert again.contacts.tolist() == [1, 2, 3]
    assert history.first_day == history.last_day == date(2025, 10, 26)
    assert to_local_datetimes(again.start_utc_s)[2] == datetime(
        2025, 10, 26, 2, 0, fold=1, tzinfo=TZ
    )
