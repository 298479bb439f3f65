"""Errors the user can act on. Their message is one plain line, shown as is."""

from __future__ import annotations


class ParallaxError(Exception):
    """Base for every failure Parallax reports to a person (CLI exit 2, a dialog in the app)."""

    def __init__(self, message: str) -> None:
        # One line: a dialog title or a terminal line must never wrap into a traceback look-alike.
        super().__init__(" ".join(str(message).split()))

    @property
    def message(self) -> str:
        return str(self)


class SourceError(ParallaxError):
    """A source could not be read, fetched or cleaned into an article."""


class ComparisonError(ParallaxError):
    """The sources cannot be compared (fewer than two articles, nothing left after cleaning)."""


class ProjectError(ParallaxError):
    """A project file is missing, damaged, hostile or from a newer Parallax."""


class Cancelled(Exception):
    """The user stopped a long computation. Not an error: nothing is reported."""
