"""Structured application logs (structlog) that never carry personal data.

:func:`configure_logging` installs a processor chain whose :class:`Pseudonymiser` replaces the
value of any personal field (names, document numbers, MRZ, phones, addresses, e-mail, dates of
birth) with a keyed pseudonym, ``pn:`` + the first 16 hex digits of HMAC-SHA256 under
``Settings.secret_key``: the same person gets the same pseudonym in every line, so logs can be
correlated, but nobody without the key can test a guess. Free text is scanned for MRZ lines and
phone numbers too, as a net for messages that interpolate them.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
import sys
from collections.abc import Mapping, MutableMapping
from typing import Any

import structlog

PERSONAL_KEYS = frozenset(
    {
        "name",
        "names",
        "family_name",
        "given_names",
        "name_native",
        "full_name",
        "sponsor_name",
        "sponsor_names",
        "sponsored_name",
        "date_of_birth",
        "passport",
        "passport_number",
        "document_number",
        "number",
        "mrz",
        "phone",
        "phone_number",
        "address",
        "declared_address",
        "email",
        "query",
    }
)
_MRZ_LINE = re.compile(r"[A-Z0-9<]{30,44}")
# International numbers (+...), or long runs of digits; dates and times do not match.
_PHONE = re.compile(r"\+\d[\d\s().-]{6,}\d|\b\d{9,}\b")


class Pseudonymiser:
    """A structlog processor: personal values become keyed pseudonyms."""

    def __init__(self, secret_key: str) -> None:
        self._key = secret_key.encode("utf-8")

    def pseudonym(self, value: Any) -> str:
        """``pn:`` + 16 hex digits of HMAC-SHA256(key, value)."""
        digest = hmac.new(self._key, str(value).encode("utf-8"), hashlib.sha256).hexdigest()
        return "pn:" + digest[:16]

    def _scrub_text(self, text: str) -> str:
        text = _MRZ_LINE.sub(lambda m: self.pseudonym(m.group(0)), text)
        return _PHONE.sub(lambda m: self.pseudonym(m.group(0)), text)

    def _clean(self, key: str, value: Any) -> Any:
        if value is None:
            return None
        if key.lower() in PERSONAL_KEYS:
            if isinstance(value, list | tuple | set):
                return [self.pseudonym(v) for v in value]
            return self.pseudonym(value)
        if isinstance(value, Mapping):
            return {k: self._clean(str(k), v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [self._clean(key, v) for v in value]
        if isinstance(value, str):
            return self._scrub_text(value)
        return value

    def __call__(
        self, _logger: Any, _method: str, event_dict: MutableMapping[str, Any]
    ) -> MutableMapping[str, Any]:
        for key in list(event_dict):
            event_dict[key] = self._clean(key, event_dict[key])
        return event_dict


def configure_logging(secret_key: str, level: str = "INFO", json: bool = False) -> None:
    """Route structlog (and the standard library's loggers) through the pseudonymiser."""
    level_no = logging.getLevelName(level.upper())
    if not isinstance(level_no, int):
        level_no = logging.INFO
    renderer: Any = (
        structlog.processors.JSONRenderer() if json else structlog.dev.ConsoleRenderer(colors=False)
    )
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            Pseudonymiser(secret_key),
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            structlog.processors.format_exc_info,
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(level_no),
        logger_factory=structlog.PrintLoggerFactory(file=sys.stderr),
        cache_logger_on_first_use=False,
    )
    logging.basicConfig(
        level=level_no, stream=sys.stderr, format="%(levelname)s %(name)s %(message)s"
    )
