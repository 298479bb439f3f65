"""Qt item models over a comparison's fact table: rows are facts (groups), columns are outlets."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt

from reader.facts import Cell, Fact, FactTable
from reader.model import Article, Comparison, Discrepancy
from reader.text import normalise
from ui import cellhtml
from ui.theme import marks, outlet_colour, swatch

HTML_ROLE = Qt.ItemDataRole.UserRole + 1
GROUP_ROLE = Qt.ItemDataRole.UserRole + 2  # the group id of the row
SENTENCES_ROLE = Qt.ItemDataRole.UserRole + 3  # the sentence ids in the cell
SILENT_ROLE = Qt.ItemDataRole.UserRole + 4  # True when the outlet does not report this fact

NOT_REPORTED = "not reported"
NO_MATCH = "no match"  # an outlet that came near a fact one outlet reports alone, without matching it
KIND_WORDS = {"figure": "Figures", "name": "Names", "quote": "Quotes", "claim": "Claims", "wording": "Wording"}

Index = QModelIndex | QPersistentModelIndex


class AlignedModel(QAbstractTableModel):
    """One row per fact in story order, one column per shown outlet; every cell read from the fact table."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.comparison: Comparison | None = None
        self.table: FactTable | None = None
        self.columns: list[str] = []  # article ids, in the order the user chose
        self.colour_of: dict[str, int] = {}
        self.needle = ""  # the search, marked in the cells
        self._html: dict[tuple[int, int], str] = {}
        self._article: dict[str, Article] = {}
        # Row -> its cells by article: Fact.cell scans the row's cells, and with 200 outlets the
        # hundred-odd roles a paint asks for made that scan a third of the table's paint.
        self._cells: dict[int, dict[str, Cell]] = {}

    # -- filling -------------------------------------------------------------
    def set_comparison(
        self, comparison: Comparison | None, table: FactTable | None, columns: Sequence[str], colour_of: dict[str, int]
    ) -> None:
        self.beginResetModel()
        self.comparison, self.table = comparison, table if comparison is not None else None
        self.colour_of = dict(colour_of)
        self._html.clear()
        self._cells.clear()
        self._article = {a.id: a for a in comparison.articles} if comparison else {}
        self.columns = [c for c in columns if c in self._article]
        self.endResetModel()

    def set_needle(self, needle: str) -> None:
        """Mark ``needle`` in the cells (the search box); the rows' text is laid out again."""
        needle = needle.strip()
        if needle == self.needle:
            return
        self.needle = needle
        self._html.clear()
        if self.rowCount() and self.columnCount():
            self.dataChanged.emit(self.index(0, 0), self.index(self.rowCount() - 1, self.columnCount() - 1),
                                  [HTML_ROLE])

    # -- queries used by views and filters ----------------------------------
    def fact(self, row: int) -> Fact:
        assert self.table is not None
        return self.table.facts[row]

    def group_id(self, row: int) -> str:
        return self.fact(row).group

    def row_of_group(self, group_id: str) -> int:
        return self.table.index_of_group(group_id) if self.table else -1

    def row_of_sentence(self, sentence_id: str) -> int:
        return self.table.index_of_sentence(sentence_id) if self.table else -1

    def differences(self, row: int) -> tuple[Discrepancy, ...]:
        return self.fact(row).differences

    def reporting(self, row: int) -> list[str]:
        """The shown outlets that report this fact."""
        present = {c.article for c in self.fact(row).cells}
        return [c for c in self.columns if c in present]

    def shared(self, row: int) -> bool:
        return len(self.reporting(row)) >= 2

    def cell(self, row: int, article_id: str) -> Cell | None:
        cells = self._cells.get(row)
        if cells is None:
            # reversed: the first cell of an article wins, as in Fact.cell
            cells = self._cells[row] = {c.article: c for c in reversed(self.fact(row).cells)}
        return cells.get(article_id)

    def nearest_in(self, row: int, article_id: str) -> int | None:
        """When ``article_id`` does not report this fact but came near it without matching: the number of
        the fact holding its closest sentence (``reader.facts.Nearest``)."""
        near = self.fact(row).nearest_in(article_id)
        return None if near is None else near.fact

    def nearest_group(self, row: int, article_id: str) -> str | None:
        """The group id of the fact ``nearest_in`` names, for going there."""
        number = self.nearest_in(row, article_id)
        return None if number is None or self.table is None else self.table.facts[number - 1].group

    def cell_text(self, row: int, article_id: str) -> str:
        cell = self.cell(row, article_id)
        return cell.text if cell else ""

    def matches(self, row: int, needle: str) -> bool:
        # Sentence.norm is the core's one normalised form: curly and straight quotes, dashes and case alike.
        want = normalise(needle)
        if not want or self.comparison is None:
            return False
        return any(want in self.comparison.sentence(sid).norm for c in self.fact(row).cells for sid in c.sentences)

    def difference_level(self, row: int) -> float:
        """0..1 for the overview's shading: how much this fact varies between outlets."""
        kinds = {d.kind for d in self.differences(row)}
        level = 0.35 * len(kinds - {"wording"}) + (0.2 if "wording" in kinds else 0.0)
        return min(1.0, level)

    # -- Qt model API -----------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() or self.table is None else len(self.table.facts)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or self.table is None:
            return None
        row, aid = index.row(), self.columns[index.column()]
        cell = self.cell(row, aid)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            if cell is not None:
                return cell.text
            near = self.nearest_in(row, aid)
            return NOT_REPORTED if near is None else f"{NO_MATCH}, nearest: fact {near}"
        if role == HTML_ROLE:
            return self._cell_html(row, index.column())
        if role == SILENT_ROLE:
            return cell is None
        if role == SENTENCES_ROLE:
            return cell.sentences if cell else ()
        if role == GROUP_ROLE:
            return self.group_id(row)
        if role == Qt.ItemDataRole.ToolTipRole:
            return cellhtml.plain_tip(self._tooltip(row, aid))
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if self.table is None:
            return None
        if orientation == Qt.Orientation.Horizontal:
            aid = self.columns[section]
            article = self._article[aid]
            if role == Qt.ItemDataRole.DisplayRole:
                return article.outlet
            if role == Qt.ItemDataRole.DecorationRole:
                return swatch(outlet_colour(self.colour_of.get(aid, section)))
            if role == Qt.ItemDataRole.ToolTipRole:
                return cellhtml.plain_tip(f"{article.outlet}: {article.title}")
            return None
        fact = self.fact(section)
        if role == Qt.ItemDataRole.DisplayRole:
            flag = " ●" if fact.differences else ""
            solo = " ¹" if len(self.reporting(section)) == 1 and len(self.columns) > 1 else ""
            return f"{fact.number}{flag}{solo}"
        if role == Qt.ItemDataRole.ToolTipRole:
            lines = [f"Fact {fact.number}"] + [f"{KIND_WORDS[d.kind]}: {d.summary}" for d in fact.differences]
            shown = [n for n in fact.nearest if n.article in self.columns]
            near = [f"{self._article[n.article].outlet} (fact {n.fact})" for n in shown]
            if len(self.reporting(section)) == 1:
                lines.append("Reported by one outlet only" + (", as far as Parallax can tell" if near else ""))
            if near:
                lines.append("Came near without matching, may tell it in other words: " + ", ".join(near))
            return cellhtml.plain_tip("\n".join(lines))
        return None

    def _cell_html(self, row: int, column: int) -> str:
        key = (row, column)
        if key not in self._html:
            m = marks()
            cell = self.cell(row, self.columns[column])
            near = self.nearest_in(row, self.columns[column])
            if cell is None and near is not None:
                # a weak match, not "not reported": on real news a third of one outlet's facts are
                # told elsewhere in other words, and this says where to look
                self._html[key] = f'<span style="color:{m.silent}"><i>— {NO_MATCH} · nearest: fact {near} —</i></span>'
            elif cell is None:
                self._html[key] = f'<span style="color:{m.silent}"><i>— {NOT_REPORTED} —</i></span>'
            else:
                self._html[key] = cellhtml.cell_html(cell, m, needle=self.needle)
        return self._html[key]

    def _tooltip(self, row: int, aid: str) -> str:
        outlet = self._article[aid].outlet
        cell = self.cell(row, aid)
        if cell is None:
            near = self.nearest_in(row, aid)
            if near is not None:
                return (
                    f"No sentence of {outlet} matched this fact. Its closest is in fact {near}, a weak match: "
                    f"{outlet} may tell this in other words there. Double-click to go to fact {near}."
                )
            return f"{outlet} does not report this fact."
        labels = {m.label for m in cell.disputed}
        lines = [f"{KIND_WORDS[d.kind]}: {d.summary}" for d in self.differences(row) if d.id in labels]
        return "\n".join([*lines, "", cellhtml.LEGEND]) if lines else cellhtml.LEGEND


class AlignedFilter(QSortFilterProxyModel):
    """Which facts the table shows, plus a text search.

    The first screen shows the facts two or more outlets report ("shared"): on a real story most
    facts are one outlet's alone (73 of 115 on the demo), and a table that opens on rows of
    "not reported" shows nothing to compare. One outlet's facts stay a keypress away.
    """

    MODES = ("shared", "differences", "single", "all")

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.mode = "shared"
        self.needle = ""

    def set_mode(self, mode: str) -> None:
        assert mode in self.MODES
        self._refilter(lambda: setattr(self, "mode", mode))

    def set_search(self, needle: str) -> None:
        self._refilter(lambda: setattr(self, "needle", needle.casefold().strip()))

    def _refilter(self, change) -> None:
        # Qt 6.10 replaced invalidateRowsFilter() with a begin/end pair around the change.
        if hasattr(self, "beginFilterChange"):
            self.beginFilterChange()
            change()
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            change()
            self.invalidateRowsFilter()

    def accepts_mode(self, row: int) -> bool:
        """Whether the row passes the mode, whatever the search."""
        model = self.sourceModel()
        assert isinstance(model, AlignedModel)
        if self.mode == "shared":
            return model.shared(row) or len(model.columns) < 2
        if self.mode == "differences":
            return bool(model.differences(row))
        if self.mode == "single":
            return len(model.reporting(row)) == 1 and len(model.columns) > 1
        return True

    def filterAcceptsRow(self, row: int, parent: Index) -> bool:
        model = self.sourceModel()
        assert isinstance(model, AlignedModel)
        if not self.accepts_mode(row):
            return False
        return not self.needle or model.matches(row, self.needle)
