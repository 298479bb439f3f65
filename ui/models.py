"""Qt item models over a ``Comparison``: rows are facts (groups), columns are outlets."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt

from reader.model import Article, Comparison, Discrepancy
from ui import cellhtml
from ui.theme import marks, outlet_colour, swatch

HTML_ROLE = Qt.ItemDataRole.UserRole + 1
GROUP_ROLE = Qt.ItemDataRole.UserRole + 2  # the group id of the row
SENTENCES_ROLE = Qt.ItemDataRole.UserRole + 3  # the sentence ids in the cell
SILENT_ROLE = Qt.ItemDataRole.UserRole + 4  # True when the outlet does not report this fact

NOT_REPORTED = "not reported"
KIND_WORDS = {"figure": "Figures", "name": "Names", "quote": "Quotes", "claim": "Claims", "wording": "Wording"}

Index = QModelIndex | QPersistentModelIndex


class AlignedModel(QAbstractTableModel):
    """One row per group in story order, one column per shown outlet."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.comparison: Comparison | None = None
        self.columns: list[str] = []  # article ids, in the order the user chose
        self.colour_of: dict[str, int] = {}
        self._cells: list[dict[str, tuple[str, ...]]] = []
        self._diffs: dict[str, list[Discrepancy]] = {}
        self._html: dict[tuple[int, int], str] = {}
        self._texts: list[dict[str, str]] = []  # per row: shown outlet -> its text
        self._article: dict[str, Article] = {}
        self._row_of: dict[str, int] = {}

    # -- filling -------------------------------------------------------------
    def set_comparison(self, comparison: Comparison | None, columns: Sequence[str], colour_of: dict[str, int]) -> None:
        self.beginResetModel()
        self.comparison = comparison
        self.colour_of = dict(colour_of)
        self._html.clear()
        self._cells = []
        self._diffs = defaultdict(list)
        self._texts = []
        self._article = {a.id: a for a in comparison.articles} if comparison else {}
        self._row_of = {g.id: i for i, g in enumerate(comparison.groups)} if comparison else {}
        if comparison is None:
            self.columns = []
        else:
            present = {a.id for a in comparison.articles}
            self.columns = [c for c in columns if c in present]
            for group in comparison.groups:
                cell: dict[str, list[str]] = defaultdict(list)
                for sid in group.sentences:
                    cell[comparison.article_of(sid).id].append(sid)
                self._cells.append({k: tuple(v) for k, v in cell.items()})
            self._texts = cellhtml.row_texts(comparison, self.columns)
            for d in comparison.discrepancies:
                self._diffs[d.group].append(d)
        self.endResetModel()

    # -- queries used by views and filters ----------------------------------
    def group_id(self, row: int) -> str:
        assert self.comparison is not None
        return self.comparison.groups[row].id

    def row_of_group(self, group_id: str) -> int:
        return self._row_of.get(group_id, -1)

    def row_of_sentence(self, sentence_id: str) -> int:
        for i, cell in enumerate(self._cells):
            if any(sentence_id in sids for sids in cell.values()):
                return i
        return -1

    def differences(self, row: int) -> list[Discrepancy]:
        return self._diffs.get(self.group_id(row), [])

    def reporting(self, row: int) -> list[str]:
        return list(self._texts[row])

    def cell_text(self, row: int, article_id: str) -> str:
        return self._texts[row].get(article_id, "")

    def difference_level(self, row: int) -> float:
        """0..1 for the overview's shading: how much this fact varies between outlets."""
        kinds = {d.kind for d in self.differences(row)}
        level = 0.35 * len(kinds - {"wording"}) + (0.2 if "wording" in kinds else 0.0)
        return min(1.0, level)

    # -- Qt model API -----------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._cells)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or self.comparison is None:
            return None
        row, aid = index.row(), self.columns[index.column()]
        sids = self._cells[row].get(aid, ())
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self.cell_text(row, aid) if sids else NOT_REPORTED
        if role == HTML_ROLE:
            return self._cell_html(row, index.column())
        if role == SILENT_ROLE:
            return not sids
        if role == SENTENCES_ROLE:
            return sids
        if role == GROUP_ROLE:
            return self.group_id(row)
        if role == Qt.ItemDataRole.ToolTipRole:
            return cellhtml.plain_tip(self._tooltip(row, aid))
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if self.comparison is None:
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
        if role == Qt.ItemDataRole.DisplayRole:
            flag = " ●" if self.differences(section) else ""
            solo = " ¹" if len(self.reporting(section)) == 1 and len(self.columns) > 1 else ""
            return f"{section + 1}{flag}{solo}"
        if role == Qt.ItemDataRole.ToolTipRole:
            diffs = self.differences(section)
            lines = [f"Fact {section + 1}"] + [f"{KIND_WORDS[d.kind]}: {d.summary}" for d in diffs]
            if len(self.reporting(section)) == 1:
                lines.append("Reported by one outlet only")
            return cellhtml.plain_tip("\n".join(lines))
        return None

    def _cell_html(self, row: int, column: int) -> str:
        key = (row, column)
        if key not in self._html:
            m = marks()
            aid = self.columns[column]
            text = self.cell_text(row, aid)
            if not text:
                self._html[key] = f'<span style="color:{m.silent}"><i>— {NOT_REPORTED} —</i></span>'
            else:
                others = tuple(t for o, t in self._texts[row].items() if o != aid)
                self._html[key] = cellhtml.sentence_html(text, m, others=others, disputed=self._disputed(row, aid))
        return self._html[key]

    def _disputed(self, row: int, aid: str) -> list[tuple[int, int]]:
        """The row's discrepancy spans in this cell, as offsets into the cell's joined text."""
        assert self.comparison is not None
        offset, base = 0, {}
        for sid in self._cells[row].get(aid, ()):
            base[sid] = offset
            offset += len(self.comparison.sentence(sid).text) + 1
        return [
            (base[v.sentence] + v.start, base[v.sentence] + v.end)
            for d in self.differences(row)
            for v in d.values
            if v.sentence in base
        ]

    def _tooltip(self, row: int, aid: str) -> str:
        assert self.comparison is not None
        outlet = self._article[aid].outlet
        if aid not in self._cells[row]:
            return f"{outlet} does not report this fact."
        diffs = [d for d in self.differences(row) if any(v.sentence in self._cells[row][aid] for v in d.values)]
        lines = [f"{KIND_WORDS[d.kind]}: {d.summary}" for d in diffs]
        return "\n".join([*lines, "", cellhtml.LEGEND]) if lines else cellhtml.LEGEND


class AlignedFilter(QSortFilterProxyModel):
    """All rows, rows with differences, or facts only one outlet reports; plus a text search."""

    MODES = ("all", "differences", "single")

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.mode = "all"
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

    def filterAcceptsRow(self, row: int, parent: Index) -> bool:
        model = self.sourceModel()
        assert isinstance(model, AlignedModel)
        if self.mode == "differences" and not model.differences(row):
            return False
        if self.mode == "single" and not (len(model.reporting(row)) == 1 and len(model.columns) > 1):
            return False
        if self.needle:
            return any(self.needle in model.cell_text(row, c).casefold() for c in model.reporting(row))
        return True
