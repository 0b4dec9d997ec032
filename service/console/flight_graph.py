"""A flight's links as a small inline SVG: who shares a booking or a document with whom.

Brokers escort groups on one booking and lend one passport to several people; a drawing shows
that at a glance where a table does not. Nodes are list positions (never names), red where the
person is referred; a solid line is a shared booking, a dashed one a shared document number.
Only people linked to a referred person are drawn, at most :data:`MAX_NODES`. The same links are
in the table beside it for screen-reader users.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from html import escape
from itertools import combinations

MAX_NODES = 24
SIZE = 240
RADIUS = 90
NODE = 13


@dataclass(frozen=True)
class Traveller:
    seq: int
    referred: bool
    booking: str | None
    document: str | None


def links(travellers: Iterable[Traveller]) -> tuple[list[Traveller], list[tuple[int, int, str]]]:
    """The travellers linked (by booking or document) to a referred one, and the links."""
    people = list(travellers)
    groups: dict[tuple[str, str], list[int]] = defaultdict(list)
    for person in people:
        if person.booking:
            groups[("booking", person.booking)].append(person.seq)
        if person.document:
            groups[("document", person.document)].append(person.seq)
    referred = {person.seq for person in people if person.referred}
    edges: dict[tuple[int, int], str] = {}
    for (kind, _value), members in groups.items():
        if len(members) < 2 or not referred.intersection(members):
            continue
        for a, b in combinations(sorted(members), 2):
            edges.setdefault((a, b), kind)
    shown = sorted({seq for pair in edges for seq in pair})[:MAX_NODES]
    keep = set(shown)
    by_seq = {person.seq: person for person in people}
    return (
        [by_seq[seq] for seq in shown],
        [(a, b, kind) for (a, b), kind in sorted(edges.items()) if a in keep and b in keep],
    )


def links_svg(travellers: Iterable[Traveller], title: str) -> str | None:
    """The drawing, or None when nobody referred is linked to anyone."""
    nodes, edges = links(travellers)
    if not edges:
        return None
    centre = SIZE / 2
    place: dict[int, tuple[float, float]] = {}
    for k, node in enumerate(nodes):
        angle = 2 * math.pi * k / len(nodes) - math.pi / 2
        place[node.seq] = (centre + RADIUS * math.cos(angle), centre + RADIUS * math.sin(angle))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {SIZE} {SIZE}" width="{SIZE}" '
        f'height="{SIZE}" role="img" class="flight-links"><title>{escape(title)}</title>'
    ]
    for a, b, kind in edges:
        (x1, y1), (x2, y2) = place[a], place[b]
        dash = ' stroke-dasharray="5 4"' if kind == "document" else ""
        parts.append(
            f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="#4a5568" '
            f'stroke-width="2"{dash} data-kind="{kind}"/>'
        )
    for node in nodes:
        x, y = place[node.seq]
        fill = "#b42318" if node.referred else "#ffffff"
        text = "#ffffff" if node.referred else "#1a202c"
        parts.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{NODE}" fill="{fill}" stroke="#1a202c" '
            f'stroke-width="1.5" data-seq="{node.seq}"/>'
            f'<text x="{x:.1f}" y="{y + 4:.1f}" text-anchor="middle" font-size="11" '
            f'fill="{text}">{node.seq}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
