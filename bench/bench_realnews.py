"""`make bench`: Parallax on the real-news corpus (bench/realeval.py), both halves, when .realnews/ is built."""

from __future__ import annotations

from bench.realeval import run


def main() -> None:
    run("all")
