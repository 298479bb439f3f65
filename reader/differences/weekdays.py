"""Which day of the week a date of the story falls on, from what the story itself says.

"March 4" and "Tuesday" can only be compared once the week is fixed. A story fixes it when it
writes a weekday beside a date ("on Saturday, Sept. 8"), a full date ("Oct. 2, 2018"), or when an
article's publication date is known: the year that fits every such anchor is the story's year.
Nothing is guessed: with no anchor, a date has no weekday.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "oct": 10,
    "nov": 11, "dec": 12,
}  # fmt: skip
_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|"
    r"Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
MONTH = _MONTH  # for the dates module: a month name as written ("Sept.", "September")
_DAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_ANCHOR = re.compile(
    rf"\b(?P<wd>{_DAY}),?\s+(?P<mon>{_MONTH})\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(?P<y>\d{{4}}))?"
)
_FULL = re.compile(rf"\b(?P<mon>{_MONTH})\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>(?:19|20)\d\d)\b")
_YEAR = re.compile(r"\b(?:19[5-9]\d|20\d\d)\b")


def month_number(word: str) -> int | None:
    return _MONTHS.get(word.casefold().rstrip(".")[:3])


@dataclass(frozen=True)
class Calendar:
    """The story's year, when its anchors fix one; ``weekday`` answers for a month and day."""

    year: int | None

    def weekday(self, month: int, day: int) -> int | None:
        """0 for Monday ... 6 for Sunday, or None when the story does not fix the year (or no such date)."""
        if self.year is None:
            return None
        try:
            return dt.date(self.year, month, day).weekday()
        except ValueError:
            return None


def story_calendar(texts: Iterable[str], published: Iterable[str | None] = ()) -> Calendar:
    """The year every anchor in ``texts`` agrees with: a weekday written beside a date, a full date, a
    publication date (ISO). Among the years that fit, the one the story names most often wins."""
    anchors: list[tuple[int, int, int]] = []  # (weekday, month, day)
    years: dict[int, int] = {}
    candidates: set[int] = set()
    for text in texts:
        for m in _ANCHOR.finditer(text):
            month = month_number(m.group("mon"))
            if month is not None:
                anchors.append((WEEKDAYS.index(m.group("wd").casefold()), month, int(m.group("d"))))
                if m.group("y"):
                    candidates.add(int(m.group("y")))
        for m in _FULL.finditer(text):
            candidates.add(int(m.group("y")))
        for y in _YEAR.findall(text):
            years[int(y)] = years.get(int(y), 0) + 1
    for iso in published:
        if iso and re.match(r"\d{4}-\d\d-\d\d", iso):
            candidates.add(int(iso[:4]))
    if not anchors and not candidates:
        return Calendar(None)
    pool = sorted(candidates or years, key=lambda y: (-years.get(y, 0), -y))
    for year in pool:
        if all(_fits(year, wd, month, day) for wd, month, day in anchors):
            return Calendar(year)
    return Calendar(None)  # the anchors contradict every year the story names: fix nothing


def _fits(year: int, weekday: int, month: int, day: int) -> bool:
    try:
        return dt.date(year, month, day).weekday() == weekday
    except ValueError:
        return False


def article_dates(articles: Iterable[tuple[str, str | None, str]]) -> dict[str, tuple[int, int]]:
    """Each article's own (year, month), by article id, from its publication date (ISO) or a dateline (a full
    date in its first 200 characters: "Wednesday, January 21, 2015, 2:28 PM - ..."); empty unless every
    article has one, so that "last month" is read alike in all of them or in none."""
    out: dict[str, tuple[int, int]] = {}
    for aid, published, text in articles:
        if published and re.match(r"\d{4}-\d\d", published):
            out[aid] = (int(published[:4]), int(published[5:7]))
            continue
        m = _FULL.search(text[:200])
        month = month_number(m.group("mon")) if m else None
        if m is None or month is None:
            return {}
        out[aid] = (int(m.group("y")), month)
    return out
