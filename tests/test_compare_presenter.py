"""The compare presenter: the report list indexed for comparing, and Ctrl+D while that is under way."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from pytestqt.qtbot import QtBot

from desktop.store.queries import ReportRow
from desktop.ui.presenters.compare import ComparePresenter
from desktop.ui.view_state import ViewState
from tests.test_report_tree import row


class _Folder(QObject):
    """What the presenter listens to of the folder: its report list, once per index."""

    reports_listed = Signal(object)


def weeks(count: int) -> list[ReportRow]:
    return [
        row(
            f"team/{2000 + n // 52}-W{1 + n % 52:02}.md",
            f"{2000 + n // 52}-{1 + (n % 52) // 5:02}-{1 + n % 5 * 5:02}",
        )
        for n in range(count)
    ]


def test_ctrl_d_just_after_a_large_list_lands_compares_once_it_is_indexed(qtbot: QtBot) -> None:
    """A list of 500 reports or more is indexed for comparing a moment later, on a pool thread (so as
    not to take the interpreter from the tree's first paint); a Ctrl+D meanwhile is not refused."""
    folder = _Folder()
    presenter = ComparePresenter(ViewState(), folder)  # type: ignore[arg-type]  # (only its reports_listed)
    try:
        rows = sorted(weeks(800), key=lambda r: (r.date, r.path))
        folder.reports_listed.emit(rows)
        assert presenter.busy
        refused: list[str] = []
        presenter.compare_refused.connect(refused.append)
        with qtbot.waitSignal(presenter.compare_requested, timeout=10_000) as shown:
            assert presenter.compare_previous(rows[-1].path)
        assert shown.args == [rows[-2].path, rows[-1].path] and refused == []
        assert not presenter.busy and presenter.reports.rowCount() == 800
        # A small list is indexed at once; a report the list does not hold is refused, with a reason.
        folder.reports_listed.emit(rows[:10])
        assert not presenter.busy
        assert not presenter.compare_previous("team/none.md") and refused
    finally:
        presenter.shutdown()
