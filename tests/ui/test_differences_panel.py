"""The differences panel: confident flags by kind, less certain ones apart under "Worth a look", each saying
why; a difference whose values sit in different rows names every row and shows the sentences side by side."""

from __future__ import annotations

from reader.model import Article, Comparison, Discrepancy, Group, Sentence, Span
from ui.differences_panel import DISC_ROLE, DifferencesPanel


def _article(aid: str, outlet: str, texts: list[str]) -> Article:
    sentences, pos = [], 0
    for i, t in enumerate(texts, start=1):
        sentences.append(Sentence(f"{aid}.s{i}", t, i - 1, pos, pos + len(t)))
        pos += len(t) + 2
    return Article(aid, f"{aid}.txt", outlet, "", "\n\n".join(texts), tuple(sentences))


A = _article("a1", "Harbour Post", ["The ferry sank on Monday.", "Twelve crew were rescued.", "The pilot is 54."])
B = _article("a2", "Coast Radio", ["The ferry went down Monday night.", "Ten crew were rescued.", "Pilot, 55, spoke."])
GROUPS = (
    Group("g1", ("a1.s1", "a2.s1"), 0.9),
    Group("g2", ("a1.s2", "a2.s2"), 0.9),
    Group("g3", ("a1.s3",), 0.9),
    Group("g4", ("a2.s3",), 0.9),
)


def _span(article: Article, k: int, words: str) -> Span:
    s = article.sentences[k]
    start = s.text.index(words)
    return Span(s.id, words, start, start + len(words))


CREW = Discrepancy(
    "d1", "figure", "g2", "Number of crew: Twelve (Harbour Post) vs Ten (Coast Radio)",
    (_span(A, 1, "Twelve"), _span(B, 1, "Ten")), ("Harbour Post", "Coast Radio"), "conflict", 0.8,
    why="Both count the crew rescued",
)  # fmt: skip
AGE = Discrepancy(
    "d2", "figure", "g3", "Age of the pilot: 54 (Harbour Post) vs 55 (Coast Radio)",
    (_span(A, 2, "54"), _span(B, 2, "55")), ("Harbour Post", "Coast Radio"), "conflict", 0.5,
    why="Both give the age of the pilot, in sentences the outlets tell in different places",
)  # fmt: skip


def _panel(qtbot) -> DifferencesPanel:
    comparison = Comparison((A, B), GROUPS, (CREW, AGE), (), "test", 0.5)
    panel = DifferencesPanel()
    qtbot.addWidget(panel)
    panel.resize(600, 400)
    panel.set_comparison(comparison, {g.id: i for i, g in enumerate(GROUPS)})
    panel.finish()
    return panel


def _sections(panel: DifferencesPanel) -> dict[str, list[str]]:
    out = {}
    for i in range(panel.topLevelItemCount()):
        top = panel.topLevelItem(i)
        out[top.text(0)] = [top.child(j).data(0, DISC_ROLE) for j in range(top.childCount())]
    return out


def test_less_certain_flags_are_listed_apart_under_worth_a_look(qtbot) -> None:
    sections = _sections(_panel(qtbot))
    figures = next(k for k in sections if k.endswith("(1)") and not k.startswith("Worth"))
    assert sections[figures] == ["d1"]
    assert sections["Worth a look (1)"] == ["d2"]
    assert list(sections).index(figures) < list(sections).index("Worth a look (1)")


def test_each_flag_says_why_and_names_every_row_its_values_sit_in(qtbot) -> None:
    panel = _panel(qtbot)
    crew, age = panel._items["d1"], panel._items["d2"]
    assert crew.text(0).startswith("Fact 2: Number of crew") and "Both count the crew rescued" in crew.text(0)
    assert age.text(0).startswith("Facts 3 and 4: Age of the pilot")
    tip = age.toolTip(0)
    # the two sentences side by side, each with its outlet, and how sure the pairing is
    assert "Harbour Post: “The pilot is 54.”" in tip and "Coast Radio: “Pilot, 55, spoke.”" in tip
    assert "Confidence 50%" in tip and "Why: Both give the age of the pilot" in tip


def test_choosing_a_flag_goes_to_its_fact(qtbot) -> None:
    panel = _panel(qtbot)
    with qtbot.waitSignal(panel.groupChosen) as chosen:
        panel.itemClicked.emit(panel._items["d2"], 0)
    assert chosen.args == ["g3"]
