"""Every folder Parallax writes to, in one place (platformdirs, the maintained appdirs).

Tests and portable installs point them elsewhere with PARALLAX_HOME: then
config, data, cache and logs are sub-folders of that one directory.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP = "parallax"
REPO_ROOT = Path(__file__).resolve().parent.parent
RESOURCES = REPO_ROOT / "resources"
DEMO_DIR = RESOURCES / "demo" / "tal-afar"


def _dir(kind: str) -> Path:
    home = os.environ.get("PARALLAX_HOME")
    if home:
        return Path(home) / kind
    return Path(getattr(platformdirs, f"user_{kind}_dir")(APP, appauthor=False))


def config_dir() -> Path:
    return _dir("config")


def data_dir() -> Path:
    """Projects' autosave and crash recovery."""
    return _dir("data")


def cache_dir() -> Path:
    """Embedding cache: safe to delete, rebuilt on demand."""
    return _dir("cache")


def log_dir() -> Path:
    return _dir("log")


def demo_sources() -> list[Path]:
    return sorted(DEMO_DIR.glob("*.txt"))
