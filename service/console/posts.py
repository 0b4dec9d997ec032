"""Where each consular post and port of entry is, in time: its IANA time zone.

An interview at Manila happens in Manila's time. The outcome form asks for the post's local
time, shows the zone beside the field, and stores the moment with its offset, so a record made
at 09:00 in Manila is 01:00 UTC, not 09:00 UTC. Ports of entry are in Japan.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

POST_ZONES: dict[str, str] = {
    "BJS": "Asia/Shanghai",
    "SHA": "Asia/Shanghai",
    "CAN": "Asia/Shanghai",
    "MNL": "Asia/Manila",
    "CEB": "Asia/Manila",
    "HAN": "Asia/Ho_Chi_Minh",
    "SGN": "Asia/Ho_Chi_Minh",
    "JKT": "Asia/Jakarta",
    "DEL": "Asia/Kolkata",
    "BOM": "Asia/Kolkata",
    "MOW": "Europe/Moscow",
    "VVO": "Asia/Vladivostok",
    "RGN": "Asia/Yangon",
    "KTM": "Asia/Kathmandu",
    "BKK": "Asia/Bangkok",
    "SAO": "America/Sao_Paulo",
    "PNH": "Asia/Phnom_Penh",
    "LIM": "America/Lima",
    "BOG": "America/Bogota",
    "KUL": "Asia/Kuala_Lumpur",
    "SEL": "Asia/Seoul",
    "SIN": "Asia/Singapore",
}
JAPAN = "Asia/Tokyo"


def zone_of(code: str | None) -> ZoneInfo:
    """The time zone of a post or port (Japan's for ports and unknown codes)."""
    return ZoneInfo(POST_ZONES.get((code or "").upper(), JAPAN))


def zone_label(code: str | None, when: datetime | None = None) -> str:
    """``Asia/Manila, UTC+08:00``: the zone's name and its offset at ``when`` (now)."""
    zone = zone_of(code)
    moment = (when or datetime.now(zone)).astimezone(zone)
    offset = moment.strftime("%z")
    return f"{zone.key}, UTC{offset[:3]}:{offset[3:]}"


def local_now(code: str | None) -> datetime:
    """The current time at the post or port."""
    return datetime.now(zone_of(code))


def parse_local(text: str, code: str | None) -> datetime | None:
    """A ``datetime-local`` form value read in the post's zone; None when it is not a time."""
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        return None
    return value if value.tzinfo else value.replace(tzinfo=zone_of(code))
