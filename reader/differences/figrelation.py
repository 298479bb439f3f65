"""How two figures relate: the same, compatible (rounding, a range, a conversion, a hedge), in conflict, or not
comparable at all (a count and a distance, a rate and a total)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from reader.differences.figures import Figure

FigureRelation = Literal["same", "compatible", "conflict", "incomparable"]
_EXACT_TOL = 0.005  # two stated figures in one unit must match to half a percent
_CONVERTED_TOL = 0.05  # "45 km (28 miles)": outlets round conversions
_APPROX_TOL = 0.15  # "about 200" covers 170..230


def dimension(f: Figure) -> str:
    """What a figure measures, for deciding whether two figures can be compared at all: a rate is apart from
    a total ("$40 a month" is "money:USD/month")."""
    base = "count" if f.kind == "vague" else f.kind
    return f"{base}/{f.per}" if f.per else base


def _interval_of(f: Figure, converted: bool) -> tuple[float, float] | None:
    low, high = (f.base_low, f.base_high) if converted else (f.low, f.high)
    if low is None or high is None:
        return None
    if f.hedge == "approx" and f.kind != "vague" and low == high:
        tol = _approx_tolerance(f.low)
        return low * (1 - tol), high * (1 + tol)
    return low, high


def _approx_tolerance(stated: float | None) -> float:
    """How far "about N" reaches, by how precisely N is stated: "about 200" covers 170..230, but
    "roughly 512 million" names three digits and does not cover 509 million."""
    if stated is None or stated == 0:
        return _APPROX_TOL
    written = f"{abs(stated):.6f}".rstrip("0").rstrip(".")
    digits = written.replace(".", "").lstrip("0").rstrip("0")
    return _APPROX_TOL if len(digits) <= 1 else 0.05 if len(digits) == 2 else 0.005


def figure_relation(a: Figure, b: Figure) -> FigureRelation:
    """Same, compatible (rounding, range, conversion, hedge), conflicting, or not comparable.

    Two bounds in the same direction are compared by their stated values: "within
    30 km" and "less than 45 km" are different claims even though both intervals
    contain 50 km.
    """
    if dimension(a) != dimension(b) or a.kind in ("date", "time"):
        return "incomparable"
    converted = a.unit != b.unit and a.base_low is not None and b.base_low is not None
    if a.unit != b.unit and not converted and a.kind != "vague" and b.kind != "vague":
        return "incomparable"
    ia, ib = _interval_of(a, converted), _interval_of(b, converted)
    if ia is None or ib is None:
        return "incomparable"
    tol = _CONVERTED_TOL if converted else _EXACT_TOL
    if a.kind == "vague" or b.kind == "vague":
        tol = 0.0  # vague amounts already are intervals: "scores" and "hundreds" do not touch
    if a.hedge == b.hedge and a.hedge in ("max", "min"):
        pa, pb = (ia[1], ib[1]) if a.hedge == "max" else (ia[0], ib[0])
        return "same" if _close(pa, pb, tol) else "conflict"
    lo, hi = max(ia[0], ib[0]), min(ia[1], ib[1])
    slack = tol * max(abs(lo), abs(hi)) if hi != float("inf") else tol * abs(lo)
    if lo > hi + slack:
        return "conflict"
    if not converted and a.text.casefold() == b.text.casefold():
        return "same"
    if a.hedge == b.hedge == "" and ia == ib and a.low == a.high:
        return "same"
    return "compatible"


def _close(x: float, y: float, tol: float) -> bool:
    return abs(x - y) <= tol * max(abs(x), abs(y), 1e-12)
