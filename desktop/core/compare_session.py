"""What the compare view compares: two reports by path, and the sections the user paired or parted by hand."""

from __future__ import annotations

from collections.abc import Callable

from desktop.core.compare import Comparison, compare_reports
from desktop.core.model import Report


class CompareSelection:
    """The compared paths and the pairings made by hand, kept across rebuilds; each report read once."""

    def __init__(
        self, higher_is_better: Callable[[str], bool | None], load_report: Callable[[str], Report | None]
    ) -> None:
        self._higher_is_better = higher_is_better
        self._load_report = load_report
        self.paths: tuple[str, str] | None = None  # left (normally the older) and right
        self._reports: dict[str, Report] = {}
        self._forced: list[tuple[int, int]] = []  # (left, right) section indexes paired by hand
        self._separated: list[tuple[int, int]] = []  # ... and parted by hand

    def choose(self, left_path: str, right_path: str) -> bool:
        """Compare these two, read afresh. Whether they are another pair: its hand pairings start empty."""
        other = self.paths != (left_path, right_path)
        if other:
            self._forced, self._separated = [], []
        self.paths = (left_path, right_path)
        self._reports = {}
        return other

    def swap(self) -> bool:
        """Exchange the sides, pairings included; False when nothing is compared."""
        if self.paths is None:
            return False
        self.paths = (self.paths[1], self.paths[0])
        self._forced = [(b, a) for a, b in self._forced]
        self._separated = [(b, a) for a, b in self._separated]
        return True

    def pair(self, left_index: int, right_index: int) -> None:
        self._separated = [p for p in self._separated if p != (left_index, right_index)]
        kept = [p for p in self._forced if p[0] != left_index and p[1] != right_index]
        self._forced = [*kept, (left_index, right_index)]

    def unpair(self, left_index: int, right_index: int) -> None:
        self._forced = [p for p in self._forced if p != (left_index, right_index)]
        if (left_index, right_index) not in self._separated:
            self._separated.append((left_index, right_index))

    def reports(self) -> tuple[Report | None, Report | None]:
        """The two reports, or None for one that cannot be read (or when nothing is chosen)."""
        if self.paths is None:
            return None, None
        return self._report(self.paths[0]), self._report(self.paths[1])

    def compare(self, left: Report, right: Report) -> Comparison:
        return compare_reports(
            left, right, self._higher_is_better, forced=self._forced, separated=self._separated
        )

    def _report(self, path: str) -> Report | None:
        if path not in self._reports:
            report = self._load_report(path)
            if report is None:
                return None
            self._reports[path] = report
        return self._reports[path]
