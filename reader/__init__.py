"""Parallax core: load articles, clean them, align their sentences, compare what they say.

This package never imports Qt (an import-linter contract in pyproject.toml guards it).
"""

__version__ = "0.1.0"
