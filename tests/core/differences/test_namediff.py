"""Names across outlets on invented stories (a harbour strike, a mine rescue, a border incident): what is one
person written two ways, what is two people, and what is not a person at all."""

from __future__ import annotations

from fakes import article as _article

from reader.differences.discrepancies import find_discrepancies
from reader.differences.names import core_tokens, demonym, find_names, gender_of, name_relation, roles_compatible
from reader.model import Group


def _names_found(a: list[str], b: list[str], groups: list[tuple[str, ...]]) -> list[tuple[str, float, str]]:
    arts = [_article("a1", "Harbour Post", a), _article("a2", "Coast Wire", b)]
    grouped = {s for g in groups for s in g}
    rest = [(s.id,) for art in arts for s in art.sentences if s.id not in grouped]
    gs = [Group(f"g{i}", g, 0.9) for i, g in enumerate([*groups, *rest], start=1)]
    return [(d.detail, d.confidence, d.summary) for d in find_discrepancies(arts, gs) if d.kind == "name"]


def _rel(a: str, b: str) -> str:
    return name_relation(core_tokens(a), core_tokens(b))


def test_a_formal_name_with_initials_and_its_short_form_are_one_name() -> None:
    assert _rel("K. Thomas Rell", "Tom Rell") == "shortened"
    assert _rel("Daniel R. Okafor", "Dan Okafor") == "shortened"
    assert _rel("P. Okafor", "Peter Okafor") == "shortened"  # an initial stands for the given name
    assert _rel("P. Okafor", "Martin Okafor") == "different name"


def test_a_short_form_of_the_given_name_is_the_same_person_and_not_flagged() -> None:
    assert _rel("Kenneth Dorvall", "Ken Dorvall") == "short form"
    found = _names_found(
        ["Union leader Kenneth Dorvall said the strike would go on."],
        ["Union leader Ken Dorvall said the strike would continue."],
        [("a1.s1", "a2.s1")],
    )
    assert found == []


def test_a_name_in_the_possessive_is_the_same_name() -> None:
    (n,) = [n for n in find_names("The letter, sent under Ambassador Thomas Ames' signature, warned of unrest.")]
    assert (n.text, n.role) == ("Thomas Ames", "Ambassador")
    found = _names_found(
        ["The strike began under Ambassador K. Thomas Ames, who was recalled."],
        ["The cable, sent under Ambassador Tom Ames' signature, warned of the strike."],
        [],
    )
    assert found == []


def test_a_name_after_an_owners_possessive_is_read_too() -> None:
    names = [(n.text, n.kind) for n in find_names("HARBOUR LIVE: the Port Authority's Lena Varga speaks to crews.")]
    assert ("Lena Varga", "person") in names


def test_a_title_or_role_of_the_other_gender_is_another_person() -> None:
    assert gender_of("Mr.") == "m" and gender_of("union spokeswoman") == "f" and gender_of("Governor") == ""
    found = _names_found(
        ["The dockers will not return, Mr. Varne said on Monday."],
        ["Union spokeswoman Lia Varn called the offer an insult."],
        [],
    )
    assert found == []


def test_an_outlet_that_names_both_people_tells_they_are_two() -> None:
    story = (
        ["Finance director Varne said the cost was high.", "Lia Varn, a union spokeswoman, disagreed."],
        ["The port will stay shut this week.", "Union spokeswoman Lia Varn called the offer an insult."],
    )
    assert _names_found(*story, [("a1.s2", "a2.s2")]) == []
    # without the outlet's own "Lia Varn", "Varne" and "Lia Varn" would be one name spelled two ways
    assert [d for d, _, _ in _names_found(story[0][:1], story[1], [])] == ["spelling variant"]


def test_a_shared_given_name_across_the_story_is_not_one_person() -> None:
    found = _names_found(
        ["Rescuers were praised by Regional Governor Marta Olsson on Tuesday."],
        ["Marta K. Lindqvist, the mine's safety director, said all 14 miners were out."],
        [],
    )
    assert found == []


def test_a_different_given_name_with_only_a_similar_surname_is_another_person() -> None:
    assert _rel("Osric Varne", "Lia Varn") == "unrelated"
    assert _rel("Lia Varne", "Lia Varn") == "spelling variant"
    assert _rel("Linda P. Varga", "Lorena Varga") == "different name"


def test_different_names_in_one_role_are_still_flagged_in_aligned_sentences() -> None:
    found = _names_found(
        ["Representative Linda P. Varga of the harbour district was elected vice chair."],
        ["Rep. Lorena Varga won the vote for vice chair of the caucus."],
        [("a1.s1", "a2.s1")],
    )
    assert [(d, c) for d, c, _ in found] == [("different name", 0.75)]
    assert roles_compatible("Rep.", "Representative") and roles_compatible("Congresswoman", "Rep.")


def test_a_capitalised_role_noun_is_a_title_not_part_of_the_name() -> None:
    names = {n.text: n.role for n in find_names("State Assembly Majority Leader Ana Ruiz said the port would reopen.")}
    assert names.get("Ana Ruiz") == "State Assembly Majority Leader"


def test_a_nationality_adjective_is_not_a_spelling_of_its_country() -> None:
    assert demonym("freedonia", "freedonian") and demonym("sudan", "sudanese") and demonym("iraq", "iraqi")
    assert not demonym("varga", "vargas")
    assert _rel("North Freedonian", "North Freedonia") == "unrelated"
    found = _names_found(
        ["A soldier crossed the border at dawn, North Freedonian officials said."],
        ["North Freedonia has increased patrols along the border since the soldier crossed."],
        [("a1.s1", "a2.s1")],
    )
    assert found == []
