"""The one error a passenger list is rejected with.

A rejected message is never stored in part: the reader raises before anything is returned, and
storage writes a list in one transaction.
"""

from __future__ import annotations


class PaxlstError(ValueError):
    """A message that is not PAXLST, is truncated or breaks the EDIFACT syntax.

    ``segment`` is the number of the offending segment in the interchange, counting from 1 (the
    ``UNA`` service string advice, when present, is segment 1); ``None`` when the fault is not
    in one segment (an empty file). ``tag`` is that segment's tag when it could be read.
    """

    def __init__(self, reason: str, segment: int | None = None, tag: str | None = None) -> None:
        self.reason = reason
        self.segment = segment
        self.tag = tag
        where = ""
        if segment is not None:
            where = f"segment {segment}" + (f" ({tag})" if tag else "") + ": "
        super().__init__(where + reason)

    def to_json(self) -> dict[str, object]:
        return {"segment": self.segment, "tag": self.tag, "reason": self.reason}
