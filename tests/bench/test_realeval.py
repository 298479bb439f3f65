"""The real-news report: each half's totals, and each round's when a half holds two rounds."""

from __future__ import annotations

from bench.realeval import Result, summary
from bench.realkey import AlignScore, DiffScore
from bench.realnews import Cluster


def _result(cid: str, held_out: bool, rnd: int, correct: int) -> Result:
    align = AlignScore(
        0.0,
        0.0,
        0.0,
        gold=10,
        predicted=10,
        correct=correct,
        found=correct,
        lookalikes=2,
        lookalikes_joined=0,
        headline_pairs=0,
        lost_sentences=0,
    )
    diffs = DiffScore(
        must=1,
        must_found=1,
        optional=0,
        optional_found=0,
        headline_only=0,
        flags=(),
        missed=(),
        agreements=(),
        key_agreements=0,
        key_agreements_found=0,
    )
    return Result(Cluster(cid, "basil", "2014/x", "t", held_out, rnd), None, None, None, align, diffs)  # type: ignore[arg-type]


def test_a_half_with_two_rounds_reports_each_round_and_both() -> None:
    lines = summary([_result("a", False, 1, 10), _result("b", False, 2, 0), _result("c", True, 1, 5)])
    totals = [line.split(" P=")[0].strip() for line in lines if line.startswith("TOTAL")]
    assert totals == ["TOTAL tuning r1", "TOTAL tuning r2", "TOTAL tuning", "TOTAL held-out"]
    by_name = {line.split(" P=")[0].strip(): line for line in lines if line.startswith("TOTAL")}
    assert "R=1.00" in by_name["TOTAL tuning r1"] and "R=0.00" in by_name["TOTAL tuning r2"]
    assert "R=0.50" in by_name["TOTAL tuning"] and "R=0.50" in by_name["TOTAL held-out"]


def test_confident_flags_are_counted_apart_from_worth_a_look() -> None:
    from bench.realkey import FlagVerdict
    from reader.model import Discrepancy

    def flag(conf: float, verdict: str) -> FlagVerdict:
        return FlagVerdict(Discrepancy("d", "figure", "g1", "s", (), confidence=conf), verdict)

    base = _result("a", False, 1, 5)
    flags = (flag(0.9, "right"), flag(0.9, "trap"), flag(0.4, "unmentioned"), flag(0.45, "trap"))
    diffs = DiffScore(**{**base.diffs.__dict__, "flags": flags})
    line = summary([Result(base.cluster, None, None, None, base.align, diffs)])[-1]  # type: ignore[arg-type]
    assert "flags   4: right   1 trap  2 not in key   1" in line
    assert "(sure: right 1/2    trap 1)" in line
