"""The Monday overview page: every team's week at a glance (presenter, item models, page widget)."""

from desktop.ui.overview.page import OverviewPage
from desktop.ui.overview.presenter import OverviewPresenter, OverviewResult

__all__ = ["OverviewPage", "OverviewPresenter", "OverviewResult"]
