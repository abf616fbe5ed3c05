"""One topic across all weeks (timeline) and the progress of work items: presenters, models, views."""

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
