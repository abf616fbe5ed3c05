"""One presenter per pane: each reads the cache (or has it read off the UI thread), writes the view
state or hands its pane what to show, and never looks into a widget."""

from desktop.ui.presenters.chart import ChartPresenter
from desktop.ui.presenters.compare import ComparePresenter
from desktop.ui.presenters.folder import FolderPresenter
from desktop.ui.presenters.reader import ReaderPresenter
from desktop.ui.presenters.search import SearchPresenter

__all__ = ["ChartPresenter", "ComparePresenter", "FolderPresenter", "ReaderPresenter", "SearchPresenter"]
