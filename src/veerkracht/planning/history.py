"""Contact history: the input of forecasting.

A history file lists, per channel, the contacts that arrived in each interval.  Columns
(header names in Dutch or English, case-insensitive; other columns are ignored):

``start`` (``begin``, ``starttijd``, ``begintijd``, ...)
    Local start of the interval in Europe/Amsterdam, ISO 8601 (``2025-03-03T08:15`` or
    ``2025-03-03 08:15``) or Dutch day-first (``03-03-2025 08:15``), optionally with a UTC
    offset (``2025-10-26T02:15+01:00``).
``channel`` (``kanaal``)
    ``phone``, ``chat``, ``email`` or ``social``; Dutch and common aliases are accepted
    (``telefoon``, ``e-mail``, ``webcare``, ``social media``, ...).
``contacts`` (``contacten``, ``volume``, ``aantal``)
    Number of contacts offered in the interval, >= 0.
``aht_s`` (``aht``, optional)
    Average handling time in seconds, >= 0; a blank cell means unknown.

CSV (comma, semicolon or tab separated, UTF-8 or Windows-1252; with a semicolon or tab
separator a decimal comma is accepted) and XLSX (first sheet, header in row 1) are read.

Every channel has one constant interval length of 5 to 60 minutes that divides an hour
(5, 6, 10, 12, 15, 20, 30, 60).  Data are put on the 15-minute grid: finer intervals are
summed, coarser ones split evenly by overlap (a 60-minute interval gives a quarter to each
quarter hour).  **Intervals absent from the file are closed** (e.g. weekends of a
weekday-only center), not zero-volume intervals.

Daylight saving time: on the spring-forward day 02:00-02:59 does not exist (a row there is
an error).  On the fall-back day 02:00-02:59 happens twice.  With an explicit UTC offset the
row is unambiguous.  Without one, the first row of a channel at a repeated wall-clock time
is taken as the first (summer-time, +02:00) occurrence and a later row of the same channel
at the same wall-clock time as the second (+01:00) occurrence, provided it follows in
chronological order; i.e. a file that simply repeats 02:00, 02:15, ... 02:45 in order is
read correctly.

Problems are reported, not raised: :func:`parse_history` returns every :class:`RowError`
(row number as a spreadsheet user sees it: header = row 1, first data row = row 2, field,
message code and parameters for translation, and an English default message).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import date, datetime, time, timedelta
from typing import IO, Final

import numpy as np
from numpy.typing import ArrayLike, NDArray

from veerkracht.planning.calendar import (
    INTERVAL_S,
    TZ,
    WALL_AMBIGUOUS,
    WALL_NONEXISTENT,
    epoch_day_to_date,
    local_parts,
    to_local_datetimes,
    utc_offsets_s,
    wall_to_utc_s,
)

__all__ = [
    "ALLOWED_INTERVALS_MIN",
    "CHANNELS",
    "ChannelSeries",
    "History",
    "HistoryParseError",
    "ParseResult",
    "RowError",
    "load_history",
    "normalise_channel",
    "parse_history",
    "write_history_csv",
]

CHANNELS: Final = ("phone", "chat", "email", "social")
"""Canonical channel names, in display order."""

ALLOWED_INTERVALS_MIN: Final = (5, 6, 10, 12, 15, 20, 30, 60)
"""Accepted source interval lengths in minutes."""

_CHANNEL_ALIASES: Final[dict[str, str]] = {
    "phone": "phone",
    "telefoon": "phone",
    "telefonie": "phone",
    "telephone": "phone",
    "voice": "phone",
    "chat": "chat",
    "email": "email",
    "e-mail": "email",
    "e mail": "email",
    "mail": "email",
    "social": "social",
    "social media": "social",
    "social-media": "social",
    "socialmedia": "social",
    "webcare": "social",
}

_COLUMN_ALIASES: Final[dict[str, tuple[str, ...]]] = {
    "start": (
        "start",
        "begin",
        "starttijd",
        "begintijd",
        "start_tijd",
        "begin_tijd",
        "interval",
        "interval_start",
        "start_interval",
        "datetime",
        "datum_tijd",
        "tijdstip",
        "timestamp",
    ),
    "channel": ("channel", "kanaal"),
    "contacts": ("contacts", "contacten", "volume", "aantal", "aantal_contacten"),
    "aht_s": ("aht_s", "aht", "aht_sec", "aht_seconds", "aht_seconden", "afhandeltijd_s"),
}
_REQUIRED: Final = ("start", "channel", "contacts")

_MESSAGES: Final[dict[str, str]] = {
    "unreadable_file": "The file could not be read: {reason}.",
    "empty_file": "The file contains no data rows.",
    "missing_column": "Column '{column}' is missing (accepted names: {accepted}).",
    "duplicate_column": "Column '{column}' appears more than once.",
    "required": "A value is required.",
    "invalid_datetime": "'{value}' is not a date and time (expected e.g. 2025-03-03T08:15).",
    "nonexistent_local_time": (
        "{value} does not exist in Europe/Amsterdam: clocks jump from 02:00 to 03:00 that night."
    ),
    "not_a_number": "'{value}' is not a number.",
    "negative": "The value must not be negative (got {value}).",
    "unknown_channel": "Unknown channel '{value}'; allowed: {allowed}.",
    "duplicate": "Channel {channel} already has an interval starting at {start} (row {first_row}).",
    "out_of_order": (
        "Intervals must be in chronological order per channel: {start} comes after "
        "{previous_start} (row {previous_row})."
    ),
    "granularity_mismatch": (
        "This interval does not fit the {interval_min}-minute intervals of channel {channel}."
    ),
    "unsupported_granularity": (
        "Channel {channel} has {interval_min}-minute intervals; supported are 5 to 60 minutes "
        "dividing an hour ({allowed})."
    ),
    "too_many_errors": "More than {max_errors} problems; the rest is not listed.",
}

ParamValue = str | int | float


@dataclass(frozen=True)
class RowError:
    """One problem in a history file.

    Attributes
    ----------
    row : int
        Row number as a spreadsheet shows it: the header is row 1, the first data row 2.
        Problems with the file as a whole use row 0 (unreadable) or 1 (header).
    field : str
        Canonical column name (``start``, ``channel``, ``contacts``, ``aht_s``) or ``""``.
    code : str
        Stable message code for translation, e.g. ``"negative"``.
    params : dict
        Values to interpolate into the translated message.
    """

    row: int
    field: str
    code: str
    params: Mapping[str, ParamValue] = dataclass_field(default_factory=dict)

    @property
    def message(self) -> str:
        """English default message."""
        template = _MESSAGES.get(self.code, self.code)
        try:
            return template.format(**self.params)
        except (KeyError, IndexError):
            return template

    def __str__(self) -> str:
        where = f"row {self.row}" + (f", {self.field}" if self.field else "")
        return f"{where}: {self.message}"


class HistoryParseError(ValueError):
    """Raised by :func:`load_history` when a file has problems; ``errors`` lists them."""

    def __init__(self, errors: Sequence[RowError]) -> None:
        self.errors = tuple(errors)
        lines = [str(e) for e in self.errors[:20]]
        if len(self.errors) > 20:
            lines.append(f"... and {len(self.errors) - 20} more")
        super().__init__("invalid history file:\n" + "\n".join(lines))


@dataclass(frozen=True)
class ChannelSeries:
    """Contact history of one channel on the 15-minute grid.

    Only open intervals are present; an interval missing from ``start_utc_s`` is closed.

    Attributes
    ----------
    channel : str
        Canonical channel name.
    start_utc_s : ndarray of int64
        UTC epoch seconds of the interval starts; strictly increasing multiples of 900.
    contacts : ndarray of float64
        Contacts per interval, >= 0.
    aht_s : ndarray of float64
        Contact-weighted average handling time per interval in seconds; NaN if unknown.
    source_interval_min : int
        Interval length of the source data in minutes.
    """

    channel: str
    start_utc_s: NDArray[np.int64]
    contacts: NDArray[np.float64]
    aht_s: NDArray[np.float64]
    source_interval_min: int = 15

    def __post_init__(self) -> None:
        starts = np.asarray(self.start_utc_s, dtype=np.int64)
        contacts = np.asarray(self.contacts, dtype=np.float64)
        aht = np.asarray(self.aht_s, dtype=np.float64)
        if self.channel not in CHANNELS:
            raise ValueError(f"unknown channel {self.channel!r}")
        if starts.ndim != 1 or contacts.shape != starts.shape or aht.shape != starts.shape:
            raise ValueError("start_utc_s, contacts and aht_s must be 1-D of equal length")
        if np.any(starts % INTERVAL_S != 0):
            raise ValueError("interval starts must lie on the 15-minute grid")
        if np.any(np.diff(starts) <= 0):
            raise ValueError("interval starts must be strictly increasing")
        if np.any(~np.isfinite(contacts)) or np.any(contacts < 0):
            raise ValueError("contacts must be finite and >= 0")
        object.__setattr__(self, "start_utc_s", starts)
        object.__setattr__(self, "contacts", contacts)
        object.__setattr__(self, "aht_s", aht)

    @classmethod
    def from_local(
        cls,
        channel: str,
        starts: Sequence[datetime],
        contacts: ArrayLike,
        aht_s: ArrayLike | None = None,
    ) -> ChannelSeries:
        """Build from 15-minute local start times.

        Parameters
        ----------
        channel : str
            Channel name or alias.
        starts : sequence of datetime
            Aware datetimes, or naive Europe/Amsterdam times (``fold`` picks the occurrence
            of a repeated fall-back time), on the 15-minute grid, increasing.
        contacts : array_like
            Contacts per interval.
        aht_s : array_like, optional
            Average handling time per interval in seconds.
        """
        canonical = normalise_channel(channel)
        if canonical is None:
            raise ValueError(f"unknown channel {channel!r}")
        utc = np.array([_instant_utc_s(s) for s in starts], dtype=np.int64)
        c = np.asarray(contacts, dtype=np.float64)
        a = np.full(c.shape, np.nan) if aht_s is None else np.asarray(aht_s, dtype=np.float64)
        return cls(canonical, utc, c, a)

    def __len__(self) -> int:
        return int(self.start_utc_s.size)


def _instant_utc_s(moment: datetime) -> int:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=TZ)
    return int(moment.timestamp())


@dataclass(frozen=True)
class History:
    """Contact history of one or more channels.

    Attributes
    ----------
    series : mapping of str to ChannelSeries
        Per channel, keyed by canonical channel name.
    """

    series: Mapping[str, ChannelSeries]

    def __post_init__(self) -> None:
        if not self.series:
            raise ValueError("a history needs at least one channel")
        for name, s in self.series.items():
            if name != s.channel:
                raise ValueError(f"series key {name!r} differs from its channel {s.channel!r}")
            if len(s) == 0:
                raise ValueError(f"channel {name!r} has no intervals")

    @classmethod
    def of(cls, *series: ChannelSeries) -> History:
        """Build a history from channel series."""
        return cls({s.channel: s for s in series})

    @property
    def channels(self) -> tuple[str, ...]:
        """Channels present, in canonical order."""
        return tuple(c for c in CHANNELS if c in self.series)

    @property
    def end_utc_s(self) -> int:
        """UTC epoch seconds at which the history ends (end of its last interval)."""
        return max(int(s.start_utc_s[-1]) for s in self.series.values()) + INTERVAL_S

    @property
    def first_day(self) -> date:
        """First local day with data."""
        first = min(int(s.start_utc_s[0]) for s in self.series.values())
        return epoch_day_to_date(int(local_parts(np.array([first], dtype=np.int64))[0][0]))

    @property
    def last_day(self) -> date:
        """Last local day with data."""
        last = self.end_utc_s - INTERVAL_S
        return epoch_day_to_date(int(local_parts(np.array([last], dtype=np.int64))[0][0]))


@dataclass(frozen=True)
class ParseResult:
    """Outcome of :func:`parse_history`: a history, or the problems that prevent one."""

    history: History | None
    errors: tuple[RowError, ...]

    @property
    def ok(self) -> bool:
        """True when the file was read without problems."""
        return self.history is not None and not self.errors


def normalise_channel(value: str) -> str | None:
    """Canonical channel name for a name or alias, or ``None`` if unknown."""
    key = " ".join(value.strip().lower().replace("_", " ").split())
    return _CHANNEL_ALIASES.get(key)


# ----------------------------------------------------------------------------- reading


def _normalise_header(value: object) -> str:
    return re.sub(r"[^a-z0-9]+", "_", str(value or "").strip().lower()).strip("_")


_DUTCH_DATETIME = re.compile(
    r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?$"
)
_EPOCH_NAIVE = datetime(1970, 1, 1)


def _parse_start(value: object) -> tuple[int, int | None] | None:
    """Wall-clock seconds and explicit UTC offset (or None) of a start cell."""
    moment: datetime
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime.combine(value, time())
    elif isinstance(value, str):
        text = value.strip()
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            m = _DUTCH_DATETIME.match(text)
            if m is None:
                return None
            d, mo, y, h, mi, s = (int(g) if g else 0 for g in m.groups())
            try:
                moment = datetime(y, mo, d, h, mi, s)
            except ValueError:
                return None
    else:
        return None
    offset: int | None = None
    if moment.tzinfo is not None:
        delta = moment.utcoffset()
        offset = int(delta.total_seconds()) if delta is not None else 0
        moment = moment.replace(tzinfo=None)
    if moment.microsecond:
        return None
    return (moment - _EPOCH_NAIVE) // timedelta(seconds=1), offset


def _parse_number(value: object, decimal_comma: bool) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    text = str(value).strip().replace("\u00a0", "").replace(" ", "")
    if decimal_comma and "," in text:
        text = text.replace(".", "").replace(",", ".")
    try:
        number = float(text)
    except ValueError:
        return None
    return number if np.isfinite(number) else None


def _is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _has_content(row: Sequence[object]) -> bool:
    try:
        return bool("".join(row).strip())  # type: ignore[arg-type]  # CSV rows: all str
    except TypeError:
        return any(not _is_blank(c) for c in row)


def _csv_rows(text: str) -> tuple[list[list[str]], bool]:
    """Rows of a CSV text and whether a decimal comma is allowed."""
    first_line = text.split("\n", 1)[0]
    counts = {d: first_line.count(d) for d in (",", ";", "\t")}
    delimiter = max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    return rows, delimiter != ","


def _xlsx_rows(data: bytes) -> list[list[object]]:
    import openpyxl

    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        sheet = workbook.worksheets[0]
        return [list(r) for r in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def _read_table(source: bytes | IO[str] | IO[bytes]) -> tuple[Sequence[Sequence[object]], bool]:
    if isinstance(source, bytes | bytearray):
        data: bytes | str = bytes(source)
    else:
        data = source.read()
    if isinstance(data, bytes):
        if data[:4] == b"PK\x03\x04":
            return _xlsx_rows(data), True
        data = _decode(data)
    return _csv_rows(data.lstrip("\ufeff"))


@dataclass
class _Rows:
    """Column-wise parsed rows (only rows without field errors are used later)."""

    row: list[int] = dataclass_field(default_factory=list)
    wall_s: list[int] = dataclass_field(default_factory=list)
    # Explicit UTC offset in seconds, or -1 for a naive time (no real offset is -1 s).
    offset_s: list[int] = dataclass_field(default_factory=list)
    channel: list[str] = dataclass_field(default_factory=list)
    contacts: list[float] = dataclass_field(default_factory=list)
    aht_s: list[float] = dataclass_field(default_factory=list)
    start_text: list[str] = dataclass_field(default_factory=list)


class _Errors:
    def __init__(self, limit: int) -> None:
        self.items: list[RowError] = []
        self.limit = limit
        self.truncated = False

    def add(self, row: int, fld: str, code: str, **params: ParamValue) -> None:
        if len(self.items) >= self.limit:
            self.truncated = True
            return
        self.items.append(RowError(row, fld, code, params))

    def result(self) -> tuple[RowError, ...]:
        items = sorted(self.items, key=lambda e: (e.row, _FIELD_ORDER.get(e.field, 9)))
        if self.truncated:
            items.append(RowError(0, "", "too_many_errors", {"max_errors": self.limit}))
        return tuple(items)


_FIELD_ORDER: Final = {"": 0, "start": 1, "channel": 2, "contacts": 3, "aht_s": 4}


def parse_history(source: bytes | IO[str] | IO[bytes], *, max_errors: int = 1000) -> ParseResult:
    """Read a contact-history file (CSV or XLSX) onto the 15-minute grid.

    Parameters
    ----------
    source : bytes or file-like
        File content as bytes (CSV or XLSX, detected from the content) or an open text or
        binary stream; never a path or a framework upload object.
    max_errors : int
        Stop listing problems after this many (a final ``too_many_errors`` is added).

    Returns
    -------
    ParseResult
        ``history`` is ``None`` whenever ``errors`` is not empty.

    Examples
    --------
    >>> res = parse_history(b"start,channel,contacts\\n2025-03-03T08:00,phone,12\\n")
    >>> res.ok, res.history.channels
    (True, ('phone',))
    """
    errors = _Errors(max_errors)
    try:
        table, decimal_comma = _read_table(source)
    except Exception as exc:  # noqa: BLE001 - any unreadable input becomes one error
        errors.add(0, "", "unreadable_file", reason=type(exc).__name__)
        return ParseResult(None, errors.result())

    rows = [(i + 1, r) for i, r in enumerate(table) if _has_content(r)]
    if not rows:
        errors.add(1, "", "empty_file")
        return ParseResult(None, errors.result())
    header_row, header = rows[0]
    columns: dict[str, int] = {}
    for index, name in enumerate(header):
        key = _normalise_header(name)
        for canonical, aliases in _COLUMN_ALIASES.items():
            if key in aliases:
                if canonical in columns:
                    errors.add(header_row, canonical, "duplicate_column", column=str(name))
                columns.setdefault(canonical, index)
    for canonical in _REQUIRED:
        if canonical not in columns:
            errors.add(
                header_row,
                canonical,
                "missing_column",
                column=canonical,
                accepted=", ".join(_COLUMN_ALIASES[canonical]),
            )
    if errors.items:
        return ParseResult(None, errors.result())
    data_rows = rows[1:]
    if not data_rows:
        errors.add(header_row, "", "empty_file")
        return ParseResult(None, errors.result())

    parsed = _parse_rows(data_rows, columns, decimal_comma, errors)
    series = _build_series(parsed, errors)
    result = errors.result()
    if result or not series:
        return ParseResult(None, result)
    return ParseResult(History({s.channel: s for s in series}), ())


@dataclass(frozen=True)
class _Bad:
    """A cell that failed to parse: message code and parameters."""

    code: str
    value: str = ""


_BLANK: Final = _Bad("required")


def _map_cells(values: list[object], parse: Callable[[object], object]) -> list[object]:
    """Apply ``parse`` to each distinct cell value once (files repeat values a lot)."""
    cache: dict[object, object] = {}
    out: list[object] = []
    append = out.append
    for v in values:
        try:
            append(cache[v])
        except KeyError:
            cache[v] = result = parse(v)
            append(result)
        except TypeError:  # unhashable cell value
            append(parse(v))
    return out


def _start_cell(raw: object) -> object:
    if _is_blank(raw):
        return _BLANK
    start = _parse_start(raw)
    return _Bad("invalid_datetime", str(raw).strip()) if start is None else start


_ISO_TAIL = re.compile(r"^(?::(\d{2}))?(?:(Z)|([+-])(\d{2}):?(\d{2}))?$")


def _fast_starts(values: list[object]) -> list[object] | None:
    """Vectorised parse of ISO ``YYYY-MM-DD[T ]HH:MM[:SS][offset]`` strings.

    Returns ``None`` (use the per-cell parser, which also reports errors) unless every value
    is such a string.  Same results as :func:`_start_cell`.
    """
    strings = [v for v in values if type(v) is str]
    if len(strings) != len(values):
        return None
    unique = sorted(set(strings))
    heads: list[str] = []
    tails: dict[str, tuple[int, int | None]] = {}
    for u in unique:
        text = u.strip()
        if len(text) < 16 or text[10] not in "T " or text[13] != ":":
            return None
        heads.append(text[:16])
        tail = text[16:]
        if tail not in tails:
            m = _ISO_TAIL.match(tail)
            if m is None:
                return None
            seconds, zulu, sign, hh, mm = m.groups()
            offset = None
            if zulu:
                offset = 0
            elif sign:
                offset = (int(hh) * 3600 + int(mm) * 60) * (1 if sign == "+" else -1)
            tails[tail] = (int(seconds or 0), offset)
    try:
        wall = np.array(heads, dtype="datetime64[m]").astype(np.int64) * 60
    except ValueError:
        return None
    parsed: dict[str, object] = {}
    for u, w in zip(unique, wall.tolist(), strict=True):
        extra, offset = tails[u.strip()[16:]]
        parsed[u] = (w + extra, offset)
    return [parsed[v] for v in strings]


def _channel_cell(raw: object) -> object:
    if _is_blank(raw):
        return _BLANK
    channel = normalise_channel(str(raw))
    return _Bad("unknown_channel", str(raw).strip()) if channel is None else channel


def _number_cell(decimal_comma: bool, *, optional: bool) -> Callable[[object], object]:
    def parse(raw: object) -> object:
        if _is_blank(raw):
            return np.nan if optional else _BLANK
        value = _parse_number(raw, decimal_comma)
        if value is None:
            return _Bad("not_a_number", str(raw).strip())
        if value < 0:
            return _Bad("negative", str(raw).strip())
        return value

    return parse


def _parse_rows(
    data_rows: Sequence[tuple[int, Sequence[object]]],
    columns: Mapping[str, int],
    decimal_comma: bool,
    errors: _Errors,
) -> _Rows:
    """Parse the cells column by column; report bad cells; keep the rows without any."""

    def column(index: int | None) -> list[object]:
        if index is None:
            return [None] * len(data_rows)
        return [row[index] if index < len(row) else None for _, row in data_rows]

    raw_start = column(columns["start"])
    cells = {
        "start": _fast_starts(raw_start) or _map_cells(raw_start, _start_cell),
        "channel": _map_cells(column(columns["channel"]), _channel_cell),
        "contacts": _map_cells(
            column(columns["contacts"]), _number_cell(decimal_comma, optional=False)
        ),
        "aht_s": _map_cells(
            column(columns.get("aht_s")), _number_cell(decimal_comma, optional=True)
        ),
    }
    ok = [True] * len(data_rows)
    allowed = ", ".join(CHANNELS)
    for name, values in cells.items():
        for i, v in enumerate(values):
            if type(v) is _Bad:
                ok[i] = False
                params: dict[str, ParamValue] = {}
                if v.code != "required":
                    params["value"] = v.value
                if v.code == "unknown_channel":
                    params["allowed"] = allowed
                errors.add(data_rows[i][0], name, v.code, **params)
    keep = [i for i, good in enumerate(ok) if good]
    starts = cells["start"]
    out = _Rows()
    out.row = [data_rows[i][0] for i in keep]
    out.wall_s = [starts[i][0] for i in keep]  # type: ignore[index]
    out.offset_s = [-1 if starts[i][1] is None else starts[i][1] for i in keep]  # type: ignore[index]
    out.channel = [str(cells["channel"][i]) for i in keep]
    out.contacts = [float(cells["contacts"][i]) for i in keep]  # type: ignore[arg-type]
    out.aht_s = [float(cells["aht_s"][i]) for i in keep]  # type: ignore[arg-type]
    out.start_text = [str(raw_start[i]).strip() for i in keep]
    return out


def _build_series(parsed: _Rows, errors: _Errors) -> list[ChannelSeries]:
    if not parsed.row:
        return []
    rows = np.array(parsed.row, dtype=np.int64)
    wall = np.array(parsed.wall_s, dtype=np.int64)
    offset = np.array(parsed.offset_s, dtype=np.int64)
    channel = np.array(parsed.channel)
    contacts = np.array(parsed.contacts, dtype=np.float64)
    aht = np.array(parsed.aht_s, dtype=np.float64)

    naive = offset == -1
    utc = np.where(naive, 0, wall - offset)
    utc0, status = wall_to_utc_s(wall[naive])
    utc1, _ = wall_to_utc_s(wall[naive], np.ones(int(naive.sum()), dtype=np.int8))
    utc[naive] = utc0
    naive_idx = np.flatnonzero(naive)
    ok = np.ones(rows.size, dtype=bool)
    for nonexistent in np.flatnonzero(status == WALL_NONEXISTENT):
        i = int(naive_idx[nonexistent])
        errors.add(int(rows[i]), "start", "nonexistent_local_time", value=parsed.start_text[i])
        ok[i] = False
    # Repeated fall-back hour without offsets: a channel's second row at the same wall time
    # is the second occurrence when that keeps the channel's rows in order.
    # Rows are visited in file order so that an earlier decision is seen by later rows.
    seen: set[tuple[str, int]] = set()
    ambiguous = naive_idx[status == WALL_AMBIGUOUS]
    fold1_utc = dict(zip(ambiguous.tolist(), utc1[status == WALL_AMBIGUOUS].tolist(), strict=True))
    same_channel = {ch: np.flatnonzero((channel == ch) & ok) for ch in set(channel[ambiguous])}
    for i in ambiguous.tolist():
        if not ok[i]:
            continue
        ch = str(channel[i])
        key = (ch, int(wall[i]))
        if key in seen:
            rows_of_channel = same_channel[ch]
            position = int(np.searchsorted(rows_of_channel, i))
            previous = int(utc[rows_of_channel[position - 1]]) if position else None
            if previous is None or fold1_utc[i] > previous:
                utc[i] = fold1_utc[i]
        seen.add(key)

    result: list[ChannelSeries] = []
    for ch in CHANNELS:
        idx = np.flatnonzero((channel == ch) & ok)
        if idx.size == 0:
            continue
        series = _channel_series(
            ch, rows[idx], utc[idx], contacts[idx], aht[idx], parsed, idx, errors
        )
        if series is not None:
            result.append(series)
    return result


def _channel_series(
    ch: str,
    rows: NDArray[np.int64],
    utc: NDArray[np.int64],
    contacts: NDArray[np.float64],
    aht: NDArray[np.float64],
    parsed: _Rows,
    idx: NDArray[np.int64],
    errors: _Errors,
) -> ChannelSeries | None:
    n_before = len(errors.items)
    # Order and duplicates, in file order.
    running_max = np.maximum.accumulate(utc)
    bad = np.zeros(utc.size, dtype=bool)
    bad[1:] = utc[1:] <= running_max[:-1]
    if bad.any():
        first_row: dict[int, int] = {}
        max_j = 0
        for j in range(utc.size):
            t = int(utc[j])
            if bad[j]:
                if t in first_row:
                    errors.add(
                        int(rows[j]),
                        "start",
                        "duplicate",
                        channel=ch,
                        start=parsed.start_text[int(idx[j])],
                        first_row=first_row[t],
                    )
                else:
                    errors.add(
                        int(rows[j]),
                        "start",
                        "out_of_order",
                        start=parsed.start_text[int(idx[j])],
                        previous_start=parsed.start_text[int(idx[max_j])],
                        previous_row=int(rows[max_j]),
                    )
            elif t > int(utc[max_j]) or j == 0:
                max_j = j
            first_row.setdefault(t, int(rows[j]))
    good = ~bad
    utc_g = utc[good]
    local_wall = utc_g + utc_offsets_s(utc_g)
    step_s = _granularity_s(utc_g, local_wall)
    interval_min = step_s // 60
    if step_s % 60 or interval_min not in ALLOWED_INTERVALS_MIN:
        errors.add(
            int(rows[good][0]),
            "start",
            "unsupported_granularity",
            channel=ch,
            interval_min=round(step_s / 60, 2),
            allowed=", ".join(str(m) for m in ALLOWED_INTERVALS_MIN),
        )
        return None
    misaligned = np.flatnonzero(local_wall % step_s != 0)
    for m in misaligned:
        errors.add(
            int(rows[good][m]),
            "start",
            "granularity_mismatch",
            channel=ch,
            interval_min=interval_min,
        )
    if len(errors.items) > n_before or errors.truncated:
        return None
    slots, values_c, values_a = _to_quarter_hours(utc_g, contacts[good], aht[good], step_s)
    return ChannelSeries(ch, slots, values_c, values_a, interval_min)


def _granularity_s(utc: NDArray[np.int64], local_wall: NDArray[np.int64]) -> int:
    """Interval length of a channel in seconds.

    Steps between consecutive rows longer than an hour are closures, not interval
    lengths.  Among the shorter steps the most common allowed length wins (ties go to the
    length most rows are aligned to, then the longer); a most common step that is not an
    allowed length is returned to be reported as unsupported.  Regular steps longer than
    an hour (e.g. two-hourly data) are unsupported too.  Without usable steps (e.g. a
    single row) 15 minutes is assumed when the rows are on the quarter hour.
    """
    steps = np.diff(utc)
    steps = steps[steps > 0]
    allowed = np.array(ALLOWED_INTERVALS_MIN, dtype=np.int64) * 60
    short = steps[steps <= 3600]
    if short.size == 0:
        if steps.size >= 2:
            values, counts = np.unique(steps, return_counts=True)
            if counts.max() >= 2 and values[np.argmax(counts)] < 86_400:
                return int(values[np.argmax(counts)])
        aligned = [int(g) for g in allowed if g <= 900 and np.all(local_wall % g == 0)]
        return max(aligned) if aligned else int(allowed[0])
    values, counts = np.unique(short, return_counts=True)
    scores = np.array([int(counts[values == g].sum()) for g in allowed])
    if scores.max() == 0 or scores.max() < counts.max():
        return int(values[np.argmax(counts)])
    tied = allowed[scores == scores.max()]
    aligned_share = [float(np.mean(local_wall % g == 0)) for g in tied]
    best = max(range(tied.size), key=lambda i: (aligned_share[i], int(tied[i])))
    return int(tied[best])


def _to_quarter_hours(
    utc: NDArray[np.int64],
    contacts: NDArray[np.float64],
    aht: NDArray[np.float64],
    step_s: int,
) -> tuple[NDArray[np.int64], NDArray[np.float64], NDArray[np.float64]]:
    """Sum or split intervals of ``step_s`` seconds onto 15-minute slots by overlap."""
    end = utc + step_s
    first = utc // INTERVAL_S
    span = int(((end - 1) // INTERVAL_S - first).max()) + 1
    slot_parts: list[NDArray[np.int64]] = []
    weight_parts: list[NDArray[np.float64]] = []
    source_parts: list[NDArray[np.int64]] = []
    for j in range(span):
        slot = first + j
        overlap = np.minimum(end, (slot + 1) * INTERVAL_S) - np.maximum(utc, slot * INTERVAL_S)
        keep = overlap > 0
        slot_parts.append(slot[keep])
        weight_parts.append(overlap[keep] / step_s)
        source_parts.append(np.flatnonzero(keep))
    slot_all = np.concatenate(slot_parts)
    weight = np.concatenate(weight_parts)
    source = np.concatenate(source_parts)
    uniq, inverse = np.unique(slot_all, return_inverse=True)
    share = contacts[source] * weight
    summed = np.bincount(inverse, weights=share, minlength=uniq.size)
    known = ~np.isnan(aht[source])
    handled = np.bincount(
        inverse,
        weights=np.where(known, share * np.nan_to_num(aht[source]), 0.0),
        minlength=uniq.size,
    )
    weight_known = np.bincount(inverse, weights=np.where(known, share, 0.0), minlength=uniq.size)
    any_known = np.bincount(inverse, weights=known.astype(np.float64), minlength=uniq.size) > 0
    with np.errstate(invalid="ignore", divide="ignore"):
        aht_q = np.where(any_known & (weight_known > 0), handled / weight_known, np.nan)
    return (
        (uniq * INTERVAL_S).astype(np.int64),
        np.asarray(summed, dtype=np.float64),
        np.asarray(aht_q, dtype=np.float64),
    )


def load_history(source: bytes | IO[str] | IO[bytes]) -> History:
    """Like :func:`parse_history` but raise :class:`HistoryParseError` on problems."""
    result = parse_history(source)
    if result.history is None:
        raise HistoryParseError(result.errors)
    return result.history


def _iso_local(moments: Iterable[datetime]) -> Iterator[str]:
    for m in moments:
        yield m.isoformat(timespec="minutes")


def write_history_csv(history: History, out: IO[str]) -> None:
    """Write a history as CSV (``start`` with UTC offset, ``channel``, ``contacts``, ``aht_s``)."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["start", "channel", "contacts", "aht_s"])
    for ch in history.channels:
        s = history.series[ch]
        for text, c, a in zip(
            _iso_local(to_local_datetimes(s.start_utc_s)), s.contacts, s.aht_s, strict=True
        ):
            writer.writerow([text, ch, f"{c:g}", "" if np.isnan(a) else f"{a:g}"])
