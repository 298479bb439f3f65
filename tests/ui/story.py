"""An invented event for the UI tests: a harbour crane collapse in the fictional port of Saltmere.

Built by hand (no embedder, no pipeline) so the widget tests pin what the
window shows, independent of the aligner's choices; the articles are made the
same way as the exporters' flood story (``tests/data/projects/flood_story.py``).
"""

from __future__ import annotations

from collections.abc import Sequence

from data.projects.flood_story import make_article, span

from reader.model import Agreement, Article, Comparison, Discrepancy, Group, Removed


def article(
    aid: str, outlet: str, title: str, paragraphs: Sequence[Sequence[str]], published: str | None = None
) -> Article:
    """The shared hand-made Article (offsets into its body), saved as ``<id>.txt`` with a newsletter box removed."""
    removed = (Removed("Sign up for our morning newsletter", "newsletter box", 4),)
    return make_article(aid, outlet, title, paragraphs, source=f"{aid}.txt", removed=removed, published=published)


def crane_comparison(strictness: float = 0.5) -> Comparison:
    a1 = article(
        "a1",
        "Harbour Gazette",
        "Crane collapses at Saltmere docks",
        [
            [
                "A container crane collapsed at Saltmere docks on Friday morning.",
                "Port officials said four workers were injured.",
            ],
            [
                "Harbourmaster Tomas Reyes said the crane had passed an inspection in March.",
                "The east quay will stay closed for ten days.",
            ],
        ],
        "2029-08-17",
    )
    a2 = article(
        "a2",
        "Coastal Wire",
        "Four hurt as crane falls in Saltmere",
        [
            [
                "A dockside crane fell at the Saltmere port early on Friday.",
                "Six workers were hurt, two of them seriously, the port said.",
            ],
            ["Harbour master Tomás Reyes told reporters the crane was inspected in May."],
        ],
        "2029-08-17",
    )
    a3 = article(
        "a3",
        "Saltmere Evening News",
        "Docks crane collapse",
        [
            [
                "A crane collapsed at the docks in Saltmere on Friday.",
                "Unions have called for an inquiry into safety at the port.",
            ],
        ],
    )
    arts = (a1, a2, a3)
    groups = (
        Group("g1", ("a1.s1", "a2.s1", "a3.s1"), 0.9),
        Group("g2", ("a1.s2", "a2.s2"), 0.8),
        Group("g3", ("a1.s3", "a2.s3"), 0.7),
        Group("g4", ("a1.s4",), 1.0),
        Group("g5", ("a3.s2",), 1.0),
    )
    discrepancies = (
        Discrepancy(
            "d1",
            "figure",
            "g2",
            "four workers injured vs six workers hurt",
            (span(arts, "a1.s2", "four workers"), span(arts, "a2.s2", "Six workers")),
            ("Harbour Gazette", "Coastal Wire"),
            "conflict",
        ),
        Discrepancy(
            "d2",
            "name",
            "g3",
            "Tomas Reyes vs Tomás Reyes",
            (span(arts, "a1.s3", "Tomas Reyes"), span(arts, "a2.s3", "Tomás Reyes")),
            ("Harbour Gazette", "Coastal Wire"),
            "spelling variant",
        ),
        Discrepancy(
            "d3",
            "figure",
            "g3",
            "inspected in March vs in May",
            (span(arts, "a1.s3", "March"), span(arts, "a2.s3", "May")),
            ("Harbour Gazette", "Coastal Wire"),
            "conflict",
        ),
    )
    agreements = (Agreement("figure", "g1", "Friday", ("a1.s1", "a2.s1", "a3.s1"), ("a1", "a2", "a3")),)
    return Comparison(arts, groups, discrepancies, agreements, "fake-hashing-384", strictness)
