"""Names, roles and transliteration variants, on invented stories (a flood, a transfer, a trial)."""

from __future__ import annotations

import pytest

from reader.names import core_tokens, find_names, name_relation, roles_compatible


def test_roles_and_titles() -> None:
    names = {n.text: n for n in find_names("Local official Karim Haddad said the river had burst its banks.")}
    assert names["Karim Haddad"].role == "Local official" and names["Karim Haddad"].kind == "person"
    (n,) = [n for n in find_names("Interior Ministry spokesman Brig Gen Yusuf Qadri said.") if n.kind == "person"]
    assert n.text == "Yusuf Qadri" and {"spokesman", "brigadier general"} <= n.role_heads
    (n,) = find_names("Earlier, Reformist Prime Minister Nouri al-Sabah resigned.")
    assert (n.text, n.role) == ("Nouri al-Sabah", "Reformist Prime Minister")
    assert [n.text for n in find_names("The General Assembly met.")] == ["General Assembly"]


@pytest.mark.parametrize(
    ("a", "b"),
    [("Qasim Haddar", "Qassem Hadar"), ("Nouri Sabah", "Nuri al-Sabah"), ("Aleksandr Petrov", "Alexander Petrov"),
     ("Dmitri Volkov", "Dmitry Volkov"), ("Muammar Gaddafi", "Moammar Qadhafi")],
)  # fmt: skip
def test_spelling_variants(a: str, b: str) -> None:
    assert name_relation(core_tokens(a), core_tokens(b)) == "spelling variant"


@pytest.mark.parametrize(
    ("a", "b"),
    [("Karim Haddad", "Karim Nasser"), ("Abdul Rahman", "Abdul Rahim"), ("Karim Haddad", "Karim Hadi"),
     ("John Kerrigan", "John Kirby")],
)  # fmt: skip
def test_different_names_share_a_first_name(a: str, b: str) -> None:
    assert name_relation(core_tokens(a), core_tokens(b)) == "different name"


def test_shortened_and_unrelated() -> None:
    assert name_relation(("sabah",), core_tokens("Nuri al-Sabah")) == "shortened"
    assert name_relation(core_tokens("Li Wei"), core_tokens("Maria Lopez")) == "unrelated"


def test_role_compatibility() -> None:
    assert roles_compatible("Local official", "Mayor")  # "official" is generic
    assert roles_compatible("army spokesman Lt Gen", "security spokesman, Lieutenant General")
    assert not roles_compatible("coach", "striker")
