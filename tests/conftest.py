"""Shared test set-up: headless Qt, no network model loads, private user folders."""

from __future__ import annotations

import os
import sys
from pathlib import Path

# Must be set before Qt or sentence-transformers are imported anywhere.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"
os.environ["PARALLAX_STRICT"] = "1"  # a finder's bug fails the test instead of being logged and skipped

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent / "core"))

from fakes import FakeEmbedder  # noqa: E402


@pytest.fixture(autouse=True)
def _private_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own config/data/cache folders: nothing leaks between tests or into ~."""
    home = tmp_path_factory.mktemp("parallax-home")
    monkeypatch.setenv("PARALLAX_HOME", str(home))
    return home


@pytest.fixture
def fake_embedder() -> FakeEmbedder:
    return FakeEmbedder()


@pytest.fixture(scope="session")
def real_embedder():
    """The bundled all-MiniLM-L6-v2, loaded once for the whole session, without a disk cache."""
    from reader.embedding.embed import load_model_embedder

    return load_model_embedder()


@pytest.fixture(scope="session")
def demo_paths() -> list[Path]:
    from reader.paths import demo_sources

    paths = demo_sources()
    assert len(paths) == 5
    return paths
