"""EDIFACT syntax through ``pydifact``: text in, numbered segments out, errors translated.

``pydifact`` reads the ``UNA`` service string advice (custom separators, release character and
segment terminator; the defaults without it), assembles tokens into segments and elements, and
builds the segment objects. Its tokenizer reads one character per Python call, which is most of
the time a 500-passenger list takes, so :class:`_RegexTokenizer` produces the same tokens with
one regular expression (same rules: the release character escapes the next character, spaces
and line breaks after a segment terminator are skipped, text that ends inside a segment is an
error). What the library raises becomes a :class:`PaxlstError` naming the segment that broke.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from pydifact.control import Characters
from pydifact.exceptions import EDISyntaxError, ValidationError
from pydifact.parser import Parser
from pydifact.segments import Segment, SegmentFactory
from pydifact.token import Token
from pydifact.tokenizer import Tokenizer

from mizugiwa.features.paxlst.errors import PaxlstError

_TAG = re.compile(r"^[A-Z]{3}$")


class _UncheckedFactory(SegmentFactory):
    """Segments as read, without pydifact's directory validation: PAXLST is checked by the
    reader itself, and the bundled directories do not describe the service segments."""

    @staticmethod
    def create_segment(
        name: str,
        *elements: Any,
        validate: bool = True,
        version: str = "4",
        directory: str = "",
    ) -> Segment:
        return SegmentFactory.create_segment(name, *elements, validate=False, version=version)


@lru_cache(maxsize=16)
def _token_pattern(component: str, data: str, terminator: str, release: str) -> re.Pattern[str]:
    specials = re.escape(component + data + terminator + release)
    rel = re.escape(release)
    return re.compile(
        rf"(?P<content>(?:[^{specials}]|{rel}[^\n])+)"
        rf"|(?P<component>{re.escape(component)})"
        rf"|(?P<data>{re.escape(data)})"
        rf"|(?P<terminator>{re.escape(terminator)})[ \t\r\n]*"
    )


class _RegexTokenizer(Tokenizer):
    """pydifact's tokenizer contract (same :class:`Token` stream), one regex match per token."""

    def get_tokens(self, message: str, characters: Characters | None = None) -> Iterator[Token]:
        chars = characters or Characters()
        release = chars.escape_character
        pattern = _token_pattern(
            chars.component_separator, chars.data_separator, chars.segment_terminator, release
        )
        unescape = re.compile(re.escape(release) + "(.)")
        # separators are the same token every time: made once (the assembler only reads them)
        component = Token(Token.Type.COMPONENT_SEPARATOR, chars.component_separator)
        data = Token(Token.Type.DATA_SEPARATOR, chars.data_separator)
        terminator = Token(Token.Type.TERMINATOR, chars.segment_terminator)
        content = Token.Type.CONTENT
        position = 0
        last: Token | None = None
        for match in pattern.finditer(message):
            if match.start() != position:
                break
            position = match.end()
            kind = match.lastgroup
            if kind == "content":
                text = match.group("content")
                if release in text:
                    text = unescape.sub(r"\1", text)
                last = Token(content, text)
            elif kind == "component":
                last = component
            elif kind == "data":
                last = data
            else:
                last = terminator
            yield last
        if position != len(message):
            if message[position] == release:
                raise EDISyntaxError("a release character with nothing (or a line break) after it")
            raise EDISyntaxError("Unexpected end of EDI messages.")
        if last is not None and last is not terminator:
            raise EDISyntaxError("Unexpected end of EDI messages.")


class _Parser(Parser):
    """pydifact's parser with :class:`_RegexTokenizer`; the ``UNA`` handling is pydifact's."""

    def parse(self, message: str, characters: Characters | None = None) -> Iterator[Segment]:
        if message.startswith("UNA"):
            chars = Characters.from_str(message[:9])
            yield self.factory.create_segment("UNA", str(chars))
            message = message[9:].lstrip(" \t\r\n")
        else:
            chars = characters or self.characters
        # one pass of pydifact's segment assembly over the whole token stream
        tokens = _RegexTokenizer().get_tokens(message, chars)
        for raw in self.convert_tokens_to_raw_segments(tokens):
            yield self.convert_raw_segment_to_segment(raw, directory=self.directory)


@dataclass(frozen=True)
class Seg:
    """One segment: its number in the interchange, its tag and its data elements (each a
    string, or a list of component strings)."""

    number: int
    tag: str
    elements: tuple[Any, ...]

    def element(self, k: int) -> Any:
        return self.elements[k] if k < len(self.elements) else ""

    def component(self, k: int, c: int = 0) -> str:
        """Component ``c`` of element ``k`` ("" where absent); a simple element is its own
        first component."""
        value = self.element(k)
        if isinstance(value, list):
            return str(value[c]) if c < len(value) else ""
        return str(value) if c == 0 else ""

    def components(self, k: int) -> list[str]:
        value = self.element(k)
        return [str(v) for v in value] if isinstance(value, list) else [str(value)]

    def fail(self, reason: str) -> PaxlstError:
        return PaxlstError(reason, self.number, self.tag)


def read_segments(text: str) -> Iterator[Seg]:
    """The segments of an interchange, numbered from 1 (``UNA`` included when present).

    Leading white space before the first segment is ignored. Raises :class:`PaxlstError`
    with the number of the segment that could not be read."""
    text = text.lstrip()
    if not text:
        raise PaxlstError("the message is empty")
    if text.startswith("UNA") and len(text) < 9:
        raise PaxlstError("truncated: the UNA service string advice needs six characters", 1)
    number = 0
    parsed = _Parser(factory=_UncheckedFactory()).parse(text)
    while True:
        try:
            segment = next(parsed)
        except StopIteration:
            return
        except EDISyntaxError as exc:
            reason = str(exc.args[0]) if exc.args else "syntax error"
            if "end of EDI" in reason:
                reason = "truncated: the message ends inside a segment (no segment terminator)"
            raise PaxlstError(reason, number + 1) from None
        except (ValidationError, IndexError, ValueError) as exc:
            raise PaxlstError(f"cannot be read: {exc}", number + 1) from None
        number += 1
        tag = segment.tag
        if not _TAG.match(tag):
            raise PaxlstError(f"{tag.strip()[:20]!r} is not a segment tag (three capitals)", number)
        yield Seg(number, tag, tuple(segment.elements))
