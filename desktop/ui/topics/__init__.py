"""One topic across all weeks (timeline) and the progress of work items: presenters, models, views.

Wiring into the window (one loader may serve both presenters; shut it down on close):

    loader = TopicsLoader(window)
    timeline = TimelinePresenter(state, save=ask_and_write, loader=loader)  # save(name, content)
    timeline_view = TimelineView(timeline)
    progress = ProgressPresenter(state, loader=loader)
    progress_view = ProgressView(progress)

    # a section's context menu, in the tree or the viewer:
    action = TimelineAction(section.title, team, menu)
    action.timeline_requested.connect(on_timeline_requested)  # (title, team)
    menu.addAction(action)
    # on_timeline_requested: state.view = "timeline"; timeline.show_topic(cache_path, title, team)

    progress.load(cache_path)  # when the Progress view is shown or the folder was re-indexed
    progress.item_charted.connect(on_item_charted)  # Series → chart.set_rows(series_metric_rows(s))

Clicking an entry or an item calls `state.show_report(path, section)` (when a state is given) and
emits `report_activated(path, section_index)`.
"""

from desktop.ui.topics.loader import TopicsLoader
from desktop.ui.topics.menu import TimelineAction
from desktop.ui.topics.progress_model import ProgressModel, SparklineDelegate
from desktop.ui.topics.progress_view import ProgressPresenter, ProgressView
from desktop.ui.topics.timeline_model import TimelineModel
from desktop.ui.topics.timeline_view import TimelinePresenter, TimelineView

__all__ = [
    "ProgressModel",
    "ProgressPresenter",
    "ProgressView",
    "SparklineDelegate",
    "TimelineAction",
    "TimelineModel",
    "TimelinePresenter",
    "TimelineView",
    "TopicsLoader",
]
