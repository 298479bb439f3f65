"""Hand-made comparisons about invented events, for report, worksheet, notes and classroom tests.

Built by hand (no embedder, no pipeline) so these tests pin the exporters alone:
the River Maren flood in the invented town of Eastbrook, told by three outlets,
plus a hostile variant whose text tries to run script in a report.
"""

from __future__ import annotations

from collections.abc import Sequence

from reader.model import Agreement, Article, Comparison, Discrepancy, Group, RawDocument, Removed, Sentence, Span


def make_article(
    aid: str, outlet: str, title: str, paragraphs: Sequence[Sequence[str]], *,
    source: str | None = None, removed: tuple[Removed, ...] = (Removed("Share this story", "share buttons", 9),),
    **meta: str | None,
) -> Article:
    """An Article whose sentence offsets point into its body, as the real segmenter's do.

    ``source`` defaults to a file named after the outlet; ``meta`` is published, author, url.
    """
    texts = [" ".join(p) for p in paragraphs]
    body = "\n\n".join(texts)
    sentences: list[Sentence] = []
    base = 0
    for pi, para in enumerate(paragraphs):
        pos = base
        for s in para:
            start = body.index(s, pos)
            sentences.append(Sentence(f"{aid}.s{len(sentences) + 1}", s, pi, start, start + len(s)))
            pos = start + len(s)
        base += len(texts[pi]) + 2
    source = source or f"{outlet.lower().replace(' ', '-')}.txt"
    return Article(aid, source, outlet, title, body, tuple(sentences), removed, **meta)


def span(articles: Sequence[Article], sid: str, text: str) -> Span:
    aid = sid.split(".")[0]
    sentence = next(a for a in articles if a.id == aid).sentence(sid)
    start = sentence.text.index(text)
    return Span(sid, text, start, start + len(text))


def flood_comparison() -> Comparison:
    a1 = make_article("a1", "Northern Courier", "Maren bursts its banks in Eastbrook", [
        ["The River Maren burst its banks in Eastbrook on Tuesday night.",
         "Officials said 1,200 residents were evacuated before dawn."],
        ["Mayor Helena Varga said: \"We have never seen water this high.\"",
         "The weather service measured 140 mm of rain in two days."],
        ["The old stone dam upstream held, engineers said."],
    ], published="2031-03-04", author="P. Lind", url="https://courier.example/maren")
    a2 = make_article("a2", "Valley Post", "Eastbrook flood forces 1,500 from homes", [
        ["Floodwater from the Maren swept into Eastbrook late on Tuesday.",
         "About 1,500 people left their homes overnight."],
        ["Mayor Helena Vargas told reporters: \"We have never seen the water so high.\"",
         "Some 140 mm of rain fell over two days, forecasters said."],
        ["Engineers said the upstream dam was breached in two places."],
    ], published="2031-03-05")
    a3 = make_article("a3", "Radio Meridian", "Eastbrook under water", [
        ["Eastbrook woke on Wednesday to streets under a metre of water after the Maren overflowed on Tuesday.",
         "Schools will stay closed until Monday."],
    ], author="R. Okafor")
    arts = (a1, a2, a3)
    groups = (
        Group("g1", ("a1.s1", "a2.s1", "a3.s1"), 0.91),
        Group("g2", ("a1.s2", "a2.s2"), 0.84),
        Group("g3", ("a1.s3", "a2.s3"), 0.88),
        Group("g4", ("a1.s4", "a2.s4"), 0.86),
        Group("g5", ("a1.s5", "a2.s5"), 0.79),
        Group("g6", ("a3.s2",), 1.0),
    )
    discrepancies = (
        Discrepancy("d1", "figure", "g2", "1,200 evacuated vs about 1,500 left their homes",
                    (span(arts, "a1.s2", "1,200 residents"), span(arts, "a2.s2", "1,500 people")),
                    ("Northern Courier", "Valley Post"), "conflict", 0.9),
        Discrepancy("d2", "name", "g3", "Helena Varga vs Helena Vargas",
                    (span(arts, "a1.s3", "Helena Varga"), span(arts, "a2.s3", "Helena Vargas")),
                    ("Northern Courier", "Valley Post"), "spelling variant", 0.8),
        Discrepancy("d3", "quote", "g3", "The mayor's words differ between outlets",
                    (span(arts, "a1.s3", "We have never seen water this high."),
                     span(arts, "a2.s3", "We have never seen the water so high.")),
                    ("Northern Courier", "Valley Post"), "different wording", 0.7),
        Discrepancy("d4", "claim", "g5", "The dam held vs the dam was breached",
                    (span(arts, "a1.s5", "held"), span(arts, "a2.s5", "was breached in two places")),
                    ("Northern Courier", "Valley Post"), "conflict", 0.75),
    )
    agreements = (Agreement("figure", "g4", "140 mm", ("a1.s4", "a2.s4"), ("a1", "a2")),)
    return Comparison(arts, groups, discrepancies, agreements, "fake-hashing-384", 0.5)


SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"


def hostile_comparison() -> Comparison:
    """Article text, titles and outlet names that try to inject markup into every export."""
    a1 = make_article("a1", "Harbour <b>Times</b>", f"Vote count {SCRIPT}", [
        [f"The election count ended at midnight {SCRIPT} in the harbour district.",
         f"Turnout was 61 percent {IMG} officials said."],
    ], url="javascript:alert(1)")
    a2 = make_article("a2", "=cmd|' /C calc'!A0", "Count ends", [
        ["The election count in the harbour district finished at midnight.",
         "Officials put turnout at 64 percent [link](javascript:alert(1))."],
    ])
    arts = (a1, a2)
    groups = (Group("g1", ("a1.s1", "a2.s1"), 0.9), Group("g2", ("a1.s2", "a2.s2"), 0.8))
    discrepancies = (
        Discrepancy("d1", "figure", "g2", f"61 percent vs 64 percent {IMG}",
                    (span(arts, "a1.s2", f"61 percent {IMG}"), span(arts, "a2.s2", "64 percent")),
                    (a1.outlet, a2.outlet), "=HYPERLINK(\"http://evil.example\")"),
    )
    return Comparison(arts, groups, discrepancies, (), "fake-hashing-384", 0.5)


def flood_sources() -> tuple[RawDocument, ...]:
    """The flood story as loaded sources, for project files."""
    return tuple(
        RawDocument(
            source=a.source, text=f"{a.title}\n\n{a.body}", title=a.title, published=a.published,
            author=a.author, url=a.url, filename=a.source, outlet_hint=a.outlet,
        )
        for a in flood_comparison().articles
    )
