"""Figure extraction and comparison, on sentences about floods, elections, trials, transfers and earthquakes."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.differences.figrelation import figure_relation
from reader.differences.figures import find_figures


def _one(text: str, kind: str | None = None):
    figs = [f for f in find_figures(text) if kind is None or f.kind == kind]
    assert len(figs) == 1, figs
    return figs[0]


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("Officials said 4,350 homes were flooded.", 4350, 4350),
        ("The dam holds back 350,000 tonnes.", 350000, 350000),
        ("Turnout reached 62.5 percent.", 62.5, 62.5),
        ("The quake killed twelve other people.", 12, 12),
        ("The region has two million voters.", 2_000_000, 2_000_000),
        ("A dozen jurors were sworn in.", 12, 12),
        ("Between 3,000 and 5,000 residents were evacuated.", 3000, 5000),
        ("Some 450-500 ballots were spoiled.", 450, 500),
        ("Police said ٣٠٠ people were detained.", 300, 300),
    ],
)
def test_numbers_in_many_spellings(text: str, low: float, high: float) -> None:
    f = next(f for f in find_figures(text) if f.kind not in ("date", "time"))
    assert (f.low, f.high) == (low, high)
    assert text[f.start : f.end] == f.text


def test_units_hedges_and_conversions() -> None:
    figs = find_figures("Floodwaters came within 40 kilometres (25 miles) of the capital.")
    main, conv = figs
    assert (main.kind, main.unit, main.hedge, main.high) == ("distance", "km", "max", 40)
    assert conv.converts_previous and conv.unit == "miles"
    assert conv.base_low == pytest.approx(40.23, abs=0.01)
    assert _one("The striker cost £45 million.").kind == "money:GBP"
    assert _one("The fee was 52 million euros.").low == 52_000_000
    assert _one("The jury deliberated for six hours.").kind == "duration"


def test_dates_days_and_vague_quantities() -> None:
    kinds = {f.kind: f for f in find_figures("The river burst its banks on Monday, and scores of villagers fled.")}
    assert kinds["date"].label == "monday"
    assert kinds["vague"].head == "villagers"
    assert find_figures("The trial began nearly three years ago.")[0].kind == "date"
    assert find_figures("The verdict came on June 9.")[0].label == "june 9"
    assert [f.kind for f in find_figures("Hundreds of homes and dozens of schools were lost.")] == ["vague", "vague"]


@pytest.mark.parametrize("text", ["1e308", "1e999 votes", "9" * 400, "٣٠٠٠٠٠٠٠٠٠٠٠٠٠٠٠٠", "", "£", "--5-"])
def test_absurd_input_never_crashes(text: str) -> None:
    for f in find_figures(text):
        assert text[f.start : f.end] == f.text


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(["4,350", "2.5", "٣٠", "1e308", "km", "miles", "%", "£", "about", "less than", "to", "-",
                         "and", "between", "two", "million", "dozen", "scores of", "on", "Monday", "June", "9", "("]),
        max_size=25,
    ).map(" ".join)
)  # fmt: skip
def test_any_mix_of_number_parts_gives_exact_spans(text: str) -> None:
    for f in find_figures(text):
        assert text[f.start : f.end] == f.text
        assert f.low is None or f.high is None or f.low <= f.high


def test_size_frame_and_head_noun() -> None:
    size, event = find_figures("The town of 40,000 people was flooded; 40,000 people had fled.")
    assert size.frame == "size" and event.frame == ""
    assert size.head == event.head == "people"


def _rel(a: str, b: str) -> str:
    fa = next(f for f in find_figures(a) if not f.converts_previous)
    fb = next(f for f in find_figures(b) if not f.converts_previous)
    return figure_relation(fa, fb)


def test_relations() -> None:
    assert _rel("12 bodies were found", "twelve bodies were found") == "same"
    assert _rel("about 3,000 people", "3,100 people") == "compatible"  # hedge
    assert _rel("3,000 to 5,000 people", "4,200 people") == "compatible"  # range inclusion
    assert _rel("a 40 km stretch", "a 25 mile stretch") == "compatible"  # unit conversion
    assert _rel("less than 45 km away", "30 km away") == "compatible"  # a point inside a bound
    assert _rel("within 40 km of the city", "less than 60 km from the city") == "conflict"  # different bounds
    assert _rel("The fee was £45 million", "The fee was £40 million") == "conflict"
    assert _rel("scores of villagers", "hundreds of villagers") == "conflict"
    assert _rel("40 km", "52%") == "incomparable"
    assert _rel("£45 million", "$45 million") == "incomparable"  # never convert currencies


def test_every_unit_in_the_table_converts_and_decades_are_years() -> None:
    # pint reads "decade" as a logarithmic ratio: "less than two decades" once ended a whole comparison
    from reader.differences.units import UNITS, factor_to_base

    for pint_name, dimension, _label in set(UNITS.values()):
        if pint_name and dimension in ("distance", "mass", "area", "volume", "speed", "duration"):
            assert factor_to_base(pint_name, dimension), pint_name
    fig = _one("It was the second revolt in less than two decades.", "duration")
    assert fig.base_high == pytest.approx(2 * 3652.5)


def test_the_unit_factors_are_pints() -> None:
    """The fixed conversion table (no registry to build at start-up) says what pint says, unit by unit."""
    import pint

    from reader.differences import units

    registry = pint.UnitRegistry()
    for surface, (name, dimension, _label) in units.UNITS.items():
        base = units._BASE.get(dimension)
        if name and base:
            want = float(registry.parse_expression(name).to(base).magnitude)
            assert units.factor_to_base(name, dimension) == pytest.approx(want, rel=1e-12), surface


def test_a_hedged_a_before_a_unit_is_one() -> None:
    f = _one("The boat sank about a mile from the harbour.")
    assert (f.kind, f.low, f.high, f.hedge, f.text) == ("distance", 1.0, 1.0, "approx", "about a mile")
    f = _one("The spill stayed within a kilometre of the shore.")
    assert (f.kind, f.low, f.high, f.hedge) == ("distance", 0.0, 1.0, "max")
    # without a hedge, or before a time, "a" is an article
    assert find_figures("A mile of road was closed.") == ()
    assert [f.kind for f in find_figures("The drive took about an hour.")] == []
    # "about a mile" and "two miles" for one distance conflict
    assert figure_relation(_one("about a mile from the camp"), _one("two miles from the camp")) == "conflict"
