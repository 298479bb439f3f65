"""Names, roles and transliteration variants, on invented stories (a flood, a transfer, a trial)."""

from __future__ import annotations

import pytest

from reader.differences.names import core_tokens, find_names, name_relation, roles_compatible


def test_roles_and_titles() -> None:
    names = {n.text: n for n in find_names("District official Karim Haddad said the river had burst its banks.")}
    assert names["Karim Haddad"].role == "District official" and names["Karim Haddad"].kind == "person"
    (n,) = [n for n in find_names("Interior Ministry spokesman Brig Gen Yusuf Qadri said.") if n.kind == "person"]
    assert n.text == "Yusuf Qadri" and {"spokesman", "brigadier general"} <= n.role_heads
    (n,) = find_names("Earlier, Reformist Prime Minister Murad al-Sabri resigned.")
    assert (n.text, n.role) == ("Murad al-Sabri", "Reformist Prime Minister")
    assert [n.text for n in find_names("The General Assembly met.")] == ["General Assembly"]


@pytest.mark.parametrize(
    ("a", "b"),
    [("Yousef Haddar", "Youssef Hadar"), ("Mourad Sabri", "Murad al-Sabri"), ("Aleksandr Petrov", "Alexander Petrov"),
     ("Dmitri Volkov", "Dmitry Volkov"), ("Muammar Gaddafi", "Moammar Qadhafi"), ("Farid Khodjaev", "Farid Hodjaev"),
     ("Farid Hodjaev", "Farid Xodjaev")],
)  # fmt: skip
def test_spelling_variants(a: str, b: str) -> None:
    assert name_relation(core_tokens(a), core_tokens(b)) == "spelling variant"


@pytest.mark.parametrize(
    ("a", "b"),
    [("Karim Haddad", "Karim Nasser"), ("Abdul Rahman", "Abdul Rahim"), ("Karim Haddad", "Karim Hadi"),
     ("John Kerrigan", "John Kirwan")],
)  # fmt: skip
def test_different_names_share_a_first_name(a: str, b: str) -> None:
    assert name_relation(core_tokens(a), core_tokens(b)) == "different name"


def test_shortened_and_unrelated() -> None:
    assert name_relation(("sabri",), core_tokens("Murad al-Sabri")) == "shortened"
    assert name_relation(core_tokens("Li Wei"), core_tokens("Maria Lopez")) == "unrelated"


def test_role_compatibility() -> None:
    assert roles_compatible("District official", "Governor")  # "official" is generic
    assert roles_compatible("police spokesman Maj Gen", "interior ministry spokesman, Major General")
    assert not roles_compatible("coach", "striker")


def test_g_and_h_inside_a_name_are_one_letter_written_two_ways() -> None:
    from reader.differences.names import name_relation

    assert name_relation(("bogdan", "halas"), ("bohdan", "khalas")) == "spelling variant"
    assert name_relation(("oleg", "marchenko"), ("oleh", "marchenko")) == "spelling variant"
    assert name_relation(("bogdan", "halas"), ("bogdan", "petrov")) != "spelling variant"


def test_a_name_inside_a_longer_one_is_the_same_name_shortened() -> None:
    from reader.differences.names import name_relation

    assert name_relation(("jonas", "velde"), ("administrator", "jonas", "velde")) == "shortened"
    assert name_relation(("velde",), ("jonas", "velde")) == "shortened"


def test_a_fuller_form_of_one_name_is_the_same_person() -> None:
    assert name_relation(core_tokens("Maria T. Olsen Jr."), core_tokens("Maria Olsen")) == "shortened"
    assert name_relation(core_tokens("Tomas K. Brandt III"), core_tokens("Tomas Brandt")) == "shortened"
    assert name_relation(core_tokens("Linda T. Varga"), core_tokens("Loretta Varga")) == "different name"


def test_number_words_are_not_names() -> None:
    assert find_names("Twelve climbers were rescued near the pass.") == ()


def test_a_title_with_of_stays_with_its_name() -> None:
    names = find_names("US Secretary of State Lena Marsh said the talks would go on.")
    assert [(n.text, n.role, n.kind) for n in names] == [("Lena Marsh", "US Secretary of State", "person")]
    (n,) = find_names("Minister of the Interior Ana B. Ruiz spoke on Monday.")
    assert (n.text, n.role) == ("Ana B. Ruiz", "Minister of the Interior")
    (n,) = find_names("Secretary of State Marsh declined to comment.")
    assert (n.text, n.role) == ("Marsh", "Secretary of State")
