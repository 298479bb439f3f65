"""The frozen results every stage of Parallax hands to the next.

Everything here is plain data: no Qt, no torch, no I/O. Text positions are
character offsets into the text they name, so a highlight lands on the right
letters (the CollateX/Meld habit: match on normalised text, show the original).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from reader.text import normalise

DiscrepancyKind = Literal["figure", "name", "quote", "wording", "claim"]
DISCREPANCY_KINDS: tuple[DiscrepancyKind, ...] = ("figure", "name", "quote", "claim", "wording")


@dataclass(frozen=True)
class RawDocument:
    """A source as it arrived, decoded to text but not yet cleaned."""

    source: str  # the path, URL or paste label exactly as the user gave it
    text: str  # decoded text: plain text, or HTML markup when ``is_html``
    is_html: bool = False
    title: str | None = None
    site_name: str | None = None
    published: str | None = None  # ISO date (YYYY-MM-DD) when known
    author: str | None = None
    url: str | None = None
    filename: str | None = None  # file name without folders, for outlet fallback
    outlet_hint: str | None = None  # an outlet the user (or a manifest) named


@dataclass(frozen=True)
class Removed:
    """A piece of the source that cleaning took out, and why."""

    text: str
    reason: str  # plain words: "comment section", "photo caption", ...
    position: int  # index among the source's blocks, so a restore puts it back in place


@dataclass(frozen=True)
class CleanText:
    """The article body after cleaning: headline plus paragraphs in order."""

    title: str
    paragraphs: tuple[str, ...]
    removed: tuple[Removed, ...]
    # block position of each kept paragraph, parallel to ``paragraphs``
    positions: tuple[int, ...] = ()


@dataclass(frozen=True)
class Sentence:
    id: str  # "a1.s1", 1-based within its article
    text: str  # original text, exactly ``article.body[start:end]``
    paragraph: int  # 0-based index into the article's paragraphs
    start: int
    end: int
    norm: str = ""  # reader.text.normalise(text): what comparisons and search match; filled when not given

    def __post_init__(self) -> None:
        if not self.norm and self.text:
            object.__setattr__(self, "norm", normalise(self.text))


@dataclass(frozen=True)
class Article:
    id: str  # "a1", "a2", ... in the order the sources were given
    source: str
    outlet: str
    title: str
    body: str  # cleaned paragraphs joined by a blank line
    sentences: tuple[Sentence, ...]
    removed: tuple[Removed, ...] = ()
    published: str | None = None
    author: str | None = None
    url: str | None = None

    def sentence(self, sentence_id: str) -> Sentence:
        for s in self.sentences:
            if s.id == sentence_id:
                return s
        raise KeyError(sentence_id)


@dataclass(frozen=True)
class Group:
    """Sentences from different outlets that report the same fact."""

    id: str  # "g1", ... in story order
    sentences: tuple[str, ...]  # sentence ids
    score: float  # 0..1, how sure the aligner is that these belong together
    # For each outlet absent from the fact that came near it without matching: its closest sentence (a weak
    # match that may tell the fact in other words), in article order. On the real-news tuning half about
    # half of such outlets do report the fact; of the absent outlets that came nowhere near, a fifth or fewer.
    nearest: tuple[str, ...] = ()


@dataclass(frozen=True)
class Span:
    """An exact piece of one sentence that a finding rests on."""

    sentence: str  # sentence id
    text: str  # == sentence.text[start:end]
    start: int
    end: int


# A flag at or above this confidence is a finding; below it the app and the reports list it apart,
# as "worth a look" (a pairing the finder is not sure of, shown so a reader can judge).
SURE_CONFIDENCE = 0.6


@dataclass(frozen=True)
class Discrepancy:
    id: str
    kind: DiscrepancyKind
    group: str
    summary: str  # one line a teacher could read aloud
    values: tuple[Span, ...]
    outlets: tuple[str, ...] = ()
    detail: str = ""  # finer class, e.g. "spelling variant", "different name", "conflict"
    confidence: float = 1.0  # 0..1; below SURE_CONFIDENCE the app shows the flag apart, as worth a look
    why: str = ""  # plain words: what makes the finder think the values are about one thing


@dataclass(frozen=True)
class Agreement:
    kind: str  # "figure" or "date" (days, dates and times several outlets give alike)
    group: str
    value: str  # the figure as a reader would say it
    sentences: tuple[str, ...]
    outlets: tuple[str, ...] = ()


@dataclass(frozen=True)
class Comparison:
    articles: tuple[Article, ...]
    groups: tuple[Group, ...]
    discrepancies: tuple[Discrepancy, ...]
    agreements: tuple[Agreement, ...]
    model: str
    strictness: float
    sentence_index: dict[str, tuple[int, int]] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        if not self.sentence_index:
            index = {s.id: (ai, si) for ai, a in enumerate(self.articles) for si, s in enumerate(a.sentences)}
            object.__setattr__(self, "sentence_index", index)

    def sentence(self, sentence_id: str) -> Sentence:
        ai, si = self.sentence_index[sentence_id]
        return self.articles[ai].sentences[si]

    def article_of(self, sentence_id: str) -> Article:
        return self.articles[self.sentence_index[sentence_id][0]]
