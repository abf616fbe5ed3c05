"""Weekly Review: read, chart, compare and search a folder of weekly reports."""

import time

STARTED = time.perf_counter()  # --timings counts from the first import of the package
__version__ = "0.1.0"
APP_ID = "io.github.weeklyreview.WeeklyReview"
