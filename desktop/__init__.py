"""Weekly Review: read, chart, compare and search a folder of weekly reports."""

__version__ = "0.1.0"
APP_ID = "io.github.weeklyreview.WeeklyReview"
