"""A strict reader of the source-compare/1 shape, used by the JSON and CLI tests."""

from __future__ import annotations

from typing import Any

KINDS = {"figure", "name", "quote", "wording", "claim"}


def check_source_compare(doc: dict[str, Any]) -> None:
    assert doc["schema"] == "source-compare/1"
    assert isinstance(doc["model"], str) and doc["model"]
    sentences: dict[str, str] = {}
    for art in doc["articles"]:
        assert set(art) >= {"id", "source", "outlet", "title", "published", "sentences", "removed"}
        assert isinstance(art["outlet"], str) and art["outlet"]
        assert art["published"] is None or isinstance(art["published"], str)
        for s in art["sentences"]:
            assert s["id"].startswith(art["id"] + ".s")
            assert isinstance(s["text"], str) and s["text"].strip()
            assert isinstance(s["paragraph"], int) and s["paragraph"] >= 0
            sentences[s["id"]] = s["text"]
        for r in art["removed"]:
            assert isinstance(r["text"], str) and isinstance(r["reason"], str) and r["reason"]
    group_ids = set()
    covered: set[str] = set()
    for g in doc["groups"]:
        assert g["sentences"], g
        assert len(set(g["sentences"])) == len(g["sentences"]), f"sentence twice in {g['id']}"
        assert all(s in sentences for s in g["sentences"])
        assert 0.0 <= g["score"] <= 1.0
        outlets = {s.split(".")[0] for s in g["sentences"]}
        assert all(n in sentences and n.split(".")[0] not in outlets for n in g.get("nearest", [])), g
        group_ids.add(g["id"])
        covered.update(g["sentences"])
    assert covered == set(sentences), "every sentence belongs to at least one group"
    for d in doc["discrepancies"]:
        assert d["kind"] in KINDS and d["group"] in group_ids
        assert isinstance(d["summary"], str) and d["summary"] and "\n" not in d["summary"]
        for v in d["values"]:
            assert v["text"] in sentences[v["sentence"]]
    for a in doc["agreements"]:
        assert a["group"] in group_ids and len(a["sentences"]) >= 2
        assert all(s in sentences for s in a["sentences"])
