"""The flight's links drawing: only people linked to a referred traveller, by booking or
document, numbered by list position."""

from __future__ import annotations

from mizugiwa.service.console.flight_graph import Traveller, links, links_svg


def test_links_of_referred_travellers_only() -> None:
    people = [
        Traveller(1, True, "GRP1", "D1"),
        Traveller(2, False, "GRP1", "D2"),
        Traveller(3, True, "SOLO", "D1"),
        Traveller(4, False, "FAM2", "D4"),
        Traveller(5, False, "FAM2", "D5"),  # a family nobody referred is linked to
    ]
    nodes, edges = links(people)
    assert [node.seq for node in nodes] == [1, 2, 3]
    assert edges == [(1, 2, "booking"), (1, 3, "document")]
    svg = links_svg(people, "PR428")
    assert svg is not None and svg.startswith("<svg") and "<title>PR428</title>" in svg
    assert svg.count("<circle") == 3 and 'data-kind="document"' in svg


def test_no_drawing_without_links() -> None:
    assert links_svg([Traveller(1, True, "A", "D1"), Traveller(2, False, "B", "D2")], "x") is None
