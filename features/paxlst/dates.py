"""EDIFACT dates and times, and the century of a two-digit year.

PAXLST dates are mostly ``YYMMDD`` (format 101) or ``YYMMDDHHMM`` (201); a century has to be
chosen, and the right one depends on what the date is: a birth lies in the past of the message,
a document expires after it was issued, a flight departs close to when the list was sent.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

# DTM format qualifiers (2379) and the length of the text each expects.
FORMATS: dict[str, int] = {"101": 6, "102": 8, "201": 10, "203": 12, "204": 14}


class DateError(ValueError):
    """A date that cannot be read; the message says why."""


def _split(text: str, fmt: str | None) -> tuple[int | None, int, int, int, int, int]:
    """(year or None when only two digits, two-digit year, month, day, hour, minute)."""
    if not text.isdigit():
        raise DateError("not a date (digits expected)")
    expected = FORMATS.get(fmt or "")
    if fmt and expected is None:
        raise DateError(f"date format {fmt!r} is not one of {', '.join(FORMATS)}")
    if expected is not None and len(text) != expected:
        raise DateError(f"{len(text)} digits where format {fmt} has {expected}")
    if len(text) in (8, 12, 14):
        year: int | None = int(text[:4])
        rest = text[4:]
    elif len(text) in (6, 10):
        year = None
        rest = text[2:]
    else:
        raise DateError(f"{len(text)} digits: 6, 8, 10 or 12 expected")
    yy = int(text[2:4]) if year is not None else int(text[:2])
    hour = int(rest[4:6]) if len(rest) >= 6 else 0
    minute = int(rest[6:8]) if len(rest) >= 8 else 0
    return year, yy, int(rest[:2]), int(rest[2:4]), hour, minute


def _build(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    try:
        return datetime(year, month, day, hour, minute, tzinfo=UTC)
    except ValueError as exc:
        raise DateError(
            f"{year:04d}-{month:02d}-{day:02d} {hour:02d}:{minute:02d}: {exc}"
        ) from None


def _candidates(yy: int, month: int, day: int, hour: int, minute: int) -> list[datetime]:
    found = []
    for century in (1900, 2000, 2100):
        try:
            found.append(_build(century + yy, month, day, hour, minute))
        except DateError:
            continue  # 29 February of a year that is not a leap year in that century
    if not found:
        raise DateError("not a date in any century")
    return found


def past_date(text: str, fmt: str | None, reference: datetime) -> date:
    """A date in the past of ``reference`` (a birth): the latest century that is not after
    it. A four-digit year is taken as written."""
    year, yy, month, day, hour, minute = _split(text, fmt)
    if year is not None:
        return _build(year, month, day).date()
    before = [d for d in _candidates(yy, month, day, hour, minute) if d <= reference]
    if not before:
        raise DateError("lies after the message date in every century")
    return before[-1].date()


def expiry_date(text: str, fmt: str | None, reference: datetime, issued: date | None) -> date:
    """A document's expiry: after its issue date when that is known, else the century that
    puts it nearest the message date (documents run for ten years or so, either way)."""
    year, yy, month, day, hour, minute = _split(text, fmt)
    if year is not None:
        return _build(year, month, day).date()
    options = _candidates(yy, month, day, hour, minute)
    if issued is not None:
        after = [d for d in options if d.date() >= issued]
        if after:
            return after[0].date()
    return min(options, key=lambda d: abs(d - reference)).date()


def near_datetime(text: str, fmt: str | None, reference: datetime) -> datetime:
    """A departure or arrival: the century nearest the message date."""
    year, yy, month, day, hour, minute = _split(text, fmt)
    if year is not None:
        return _build(year, month, day, hour, minute)
    return min(_candidates(yy, month, day, hour, minute), key=lambda d: abs(d - reference))


def interchange_datetime(day: str, time: str | None) -> datetime:
    """The ``UNB`` preparation date and time (``YYMMDD`` or ``CCYYMMDD``, ``HHMM``); a two-digit
    year is in this century (interchanges are read soon after they are sent)."""
    if not day.isdigit() or len(day) not in (6, 8):
        raise DateError("preparation date: YYMMDD or CCYYMMDD expected")
    year = int(day[:4]) if len(day) == 8 else 2000 + int(day[:2])
    rest = day[-4:]
    hhmm = time if time and time.isdigit() and len(time) == 4 else "0000"
    return _build(year, int(rest[:2]), int(rest[2:]), int(hhmm[:2]), int(hhmm[2:]))


def issue_date(text: str, fmt: str | None, reference: datetime) -> date:
    """A document's issue date: in the past of the message."""
    return past_date(text, fmt, reference)
