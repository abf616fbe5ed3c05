"""What only the whole folder can tell, settled after each index run: whether file modification times
mean anything, which metrics are KPIs, and that no metric series mixes units.

Each step reads the rows as parsed (date_source "mtime", base_name, known), so running it again,
after any number of incremental runs, gives the same answer as a cold index.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Sequence
from typing import NamedTuple

from desktop.core.scanner import FileEntry

# A fresh copy, clone or unzip gives every file nearly the same mtime: then mtime dates nothing.
MTIME_WINDOW_NS = 10 * 60 * 1_000_000_000
MTIME_SHARE = 0.8
MTIME_MIN_FILES = 5
KPI_MIN_REPORTS = 2  # a label that repeats in this many reports with one unit is a KPI, not a one-off
_UNDATED_NOTE = "its folder's files all carry one file time (a copy or unzip), so it is left undated"


def mtimes_are_plausible(entries: Sequence[FileEntry]) -> bool:
    """False when most files' modification times fall within a few minutes of each other."""
    if len(entries) < MTIME_MIN_FILES:
        return True
    times = sorted(e.mtime_ns for e in entries)
    need = max(2, int(len(times) * MTIME_SHARE + 0.999))
    lo = 0
    for hi, t in enumerate(times):  # the largest group inside any window of MTIME_WINDOW_NS
        while t - times[lo] > MTIME_WINDOW_NS:
            lo += 1
        if hi - lo + 1 >= need:
            return False
    return True


# Past this many changed reports, settling every metric at once is cheaper than name by name.
TOUCHED_MAX_REPORTS = 500


# A metric row's settled name and kind follow from these alone, given the folder's series.
_RowKey = tuple[str, str, int]  # base_name, unit, known


class Shares(NamedTuple):
    """What some reports add to the folder's metric series, and the names and kinds they were given.

    Each series' main unit and whether a name is a KPI are counts over the folder's charted rows:
    reports that add to them exactly what they added before leave every count as it was.
    """

    counts: dict[str, tuple[bool, Counter[tuple[str, str, int, int]]]]  # path -> charted, rows
    settled: dict[str, dict[_RowKey, tuple[str, str]]]  # path -> row key -> (name, kind)

    def names(self) -> set[str]:
        """The metric base names these reports hold."""
        return {key[0] for _charted, rows in self.counts.values() for key in rows}


def shares_of(conn: sqlite3.Connection, paths: Sequence[str]) -> Shares | None:
    """The metric rows of these reports as they are now; None (settle every series) when they are too
    many to track."""
    if len(paths) > TOUCHED_MAX_REPORTS:
        return None
    counts: dict[str, tuple[bool, Counter[tuple[str, str, int, int]]]] = {}
    settled: dict[str, dict[_RowKey, tuple[str, str]]] = {}
    for start in range(0, len(paths), 250):
        chunk = list(paths[start : start + 250])
        marks = ", ".join("?" * len(chunk))
        for path, charted, base, unit, derived, known, name, kind in conn.execute(
            "SELECT r.path, r.parent IS NULL AND r.kind IS 'report', m.base_name, m.unit, m.derived,"
            " m.known, m.name, m.kind FROM reports r JOIN metric_rows m ON m.report_id = r.id"
            f" WHERE r.path IN ({marks})",
            chunk,
        ):
            counts.setdefault(path, (bool(charted), Counter()))[1][(base, unit, derived, known)] += 1
            settled.setdefault(path, {})[(base, unit, known)] = (name, kind)
    return Shares(counts, settled)


def refresh(
    conn: sqlite3.Connection,
    entries: Sequence[FileEntry],
    before: Shares | None = None,
    after: Shares | None = None,
) -> None:
    """Run inside the cache's write transaction, after the reports of the run are written.

    before, after: the shares (shares_of) of the run's reports before it, and now with the reports the
    run moved under or out from under a page. Only the series they give can have changed unit or
    kind; either None settles every series (a cold index, or many files changed). When every report
    adds the same rows as before (an edit of its text or its values, not of its labels, units or
    place), no count changes, and only its own rows are given the names and kinds its rows had: at
    50,000 reports settling the touched series took 1.8 s, most of a one-file re-index.
    """
    if not mtimes_are_plausible(entries):
        _undate_mtime_reports(conn)
    if before is None or after is None:
        _settle_metrics(conn, None)
    elif before.counts == after.counts:
        _resettle(conn, before)
    else:
        _settle_metrics(conn, before.names() | after.names())


def _resettle(conn: sqlite3.Connection, before: Shares) -> None:
    conn.executemany(
        "UPDATE metric_rows SET name = ?, kind = ? WHERE report_id = (SELECT id FROM reports WHERE path = ?)"
        " AND base_name IS ? AND unit IS ? AND known IS ? AND (name IS NOT ? OR kind IS NOT ?)",
        [
            (name, kind, path, base, unit, known, name, kind)
            for path, rows in before.settled.items()
            for (base, unit, known), (name, kind) in rows.items()
        ],
    )


def _undate_mtime_reports(conn: sqlite3.Connection) -> None:
    rows = conn.execute("SELECT path FROM reports WHERE date_source = 'mtime'").fetchall()
    if not rows:
        return
    conn.execute(
        "UPDATE reports SET date = NULL, iso_week = '', date_source = 'none',"
        " warnings = replace(warnings, ?, ?) WHERE date_source = 'mtime'",
        (
            "no date found in the report; using the file's modification time",
            f"no date found in the report; {_UNDATED_NOTE}",
        ),
    )
    conn.executemany(
        "UPDATE problems SET message = ? WHERE path = ? AND kind = 'warning'"
        " AND message LIKE 'no date found%'",
        [(f"no date found in the report; {_UNDATED_NOTE}", r[0]) for r in rows],
    )


def _settle_metrics(conn: sqlite3.Connection, touched: set[str] | None = None) -> None:
    if touched is not None and not touched:
        return
    conn.execute("DROP TABLE IF EXISTS temp.touched")
    conn.execute("CREATE TEMP TABLE touched(base_name TEXT PRIMARY KEY)")
    if touched is not None:
        conn.executemany("INSERT OR IGNORE INTO touched VALUES (?)", [(n,) for n in touched])
    only = "" if touched is None else " AND m.base_name IN (SELECT base_name FROM temp.touched)"
    rows_only = "" if touched is None else " AND base_name IN (SELECT base_name FROM temp.touched)"
    # Series come from top-level reports only (not pages, not sub-pages): the few others are listed
    # once, which costs far less than joining every metric row to its report by path.
    charted = "m.report_id NOT IN (SELECT id FROM reports WHERE parent IS NOT NULL OR kind IS NOT 'report')"
    # A name written with several units is several series: all but its most common unit get the unit
    # in their name (`金额（万元）`), so a chart or a delta never puts 322 and 1205万元 on one line.
    conn.execute("DROP TABLE IF EXISTS temp.main_unit")
    conn.execute(
        "CREATE TEMP TABLE main_unit AS SELECT base_name, unit FROM ("
        " SELECT m.base_name, m.unit, row_number() OVER ("
        "  PARTITION BY m.base_name ORDER BY count(*) DESC, m.unit) AS rank"
        f" FROM metric_rows m WHERE {charted}{only} GROUP BY m.base_name, m.unit"
        ") WHERE rank = 1"
    )
    conn.execute("CREATE INDEX temp.main_unit_name ON main_unit(base_name)")
    # Only the rows whose value changes are written: after one report changed that is a handful,
    # where rewriting all of them (650,000 at 50,000 reports) took seconds.
    name = (
        "CASE"
        " WHEN unit = coalesce("
        "  (SELECT u.unit FROM main_unit u WHERE u.base_name = metric_rows.base_name), unit)"
        " THEN base_name"
        " ELSE base_name || '（' || CASE WHEN unit = '' THEN '无单位' ELSE unit END || '）' END"
    )
    conn.execute(f"UPDATE metric_rows SET name = {name} WHERE name IS NOT {name}{rows_only}")
    conn.execute("DROP TABLE temp.main_unit")
    # The names that repeat across reports, found once (the UPDATE below reads them twice a row). One
    # pass over the table beats walking the name index, which fetches every row out of order.
    conn.execute("DROP TABLE IF EXISTS temp.kpi_names")
    conn.execute("CREATE TEMP TABLE kpi_names(name TEXT PRIMARY KEY) WITHOUT ROWID")
    conn.execute(
        "INSERT INTO temp.kpi_names SELECT m.name FROM metric_rows m NOT INDEXED"
        f" WHERE {charted} AND m.derived = 0{only}"
        f" GROUP BY m.name HAVING count(DISTINCT m.report_id) >= {KPI_MIN_REPORTS}"
    )
    kind = "CASE WHEN known = 1 OR name IN (SELECT name FROM temp.kpi_names) THEN 'kpi' ELSE 'figure' END"
    conn.execute(f"UPDATE metric_rows SET kind = {kind} WHERE kind IS NOT {kind}{rows_only}")
    conn.execute("DROP TABLE temp.kpi_names")
    conn.execute("DROP TABLE temp.touched")
