"""KPI names: the canonical name for each label a report may use, plus display hints for the charts.

The bundled resources/metrics.toml is read first, then the user's metrics.toml in the config folder,
which may add metrics, add aliases or override any field of a bundled metric.
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
import re
import unicodedata
from dataclasses import astuple, dataclass, field, replace
from pathlib import Path
from typing import Any

from desktop.core.alias_sources import FORMAT_VERSION as _FORMAT_VERSION
from desktop.core.alias_sources import default_paths as _default_paths
from desktop.core.alias_sources import default_sources_digest as default_sources_digest

CHART_GROUPS = ("rates", "stability")
_KEYS = frozenset({"name", "aliases", "english", "higher_is_better", "chart", "unit", "target"})

# Cleaning a label as written: HTML (Notion tables carry <br />), Markdown emphasis, list markers,
# decorative title brackets and a trailing colon.
_HTML_TAG = re.compile(r"</?[A-Za-z][^<>]*>")  # [^<>]: an unclosed `<a<a<a` must not rescan
_EMPHASIS = re.compile(r"\*\*|__|`")
_LIST_MARKER = re.compile(r"^\s*(?:[-*+]\s+(?:\[[ xX]\]\s*)?|\d{1,3}[.)]\s+|\d{1,3}、\s*)+")
_DECORATION = re.compile(r"[【】「」『』〖〗《》]")
_TRAILING = " \t\r\n\f\v\u3000:：="  # stripped by hand: `[\s:=]+$` rescans each run of spaces
_SPACES = re.compile(r"\s+")


def clean_label(label: str) -> str:
    """The label as a person would name it: no markup, list marker, title brackets or trailing colon."""
    text = _HTML_TAG.sub(" ", label)
    text = _EMPHASIS.sub("", text)
    text = _LIST_MARKER.sub("", text)
    text = _DECORATION.sub("", text)
    text = _SPACES.sub(" ", text).strip().rstrip(_TRAILING)
    # A label wholly wrapped in brackets, "(入金成功率)", means the same as without them.
    if len(text) > 2 and text[0] in "([（［" and text[-1] in ")]）］":
        text = text[1:-1].strip()
    return text


def match_key(label: str) -> str:
    """What two labels must share to be the same metric: case, spaces and punctuation do not count."""
    text = unicodedata.normalize("NFKC", clean_label(label)).casefold()
    # Dropping every punctuation mark also makes full- and half-width forms ("：" / ":") equal.
    return "".join(ch for ch in text if not (ch.isspace() or unicodedata.category(ch)[0] == "P"))


class AliasError(Exception):
    """A metrics.toml that cannot be used; the message names the file and what is wrong."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class AliasReadError(AliasError):
    """The file or its folder cannot be read at all (permissions, I/O): a fault, not a bad file."""


@dataclass(frozen=True, slots=True)
class MetricInfo:
    name: str
    english: str | None
    higher_is_better: bool | None
    chart: str | None
    unit: str | None
    target: float | None


@dataclass(slots=True)
class _Entry:
    info: MetricInfo
    aliases: list[str] = field(default_factory=list)


class AliasTable:
    """Immutable once built; load() merges files, later ones extending and overriding earlier ones."""

    def __init__(
        self,
        entries: dict[str, _Entry],
        owners: dict[str, str],
        paths: tuple[Path, ...],
        errors: tuple[str, ...] = (),
        faults: tuple[str, ...] = (),
    ) -> None:
        self._entries = entries
        self._owners = owners  # match_key(label) -> canonical name
        self.paths = paths  # the files actually read, so worker processes can load the same table
        self.errors = errors  # problems with a user file that was skipped, for the UI to show
        self.faults = faults  # those of errors that are faults of the machine (the command line exits 2)
        self._canonical_cache: dict[str, str] = {}
        self._known_cache: dict[str, bool] = {}

    @classmethod
    def load(cls, *paths: Path) -> AliasTable:
        entries: dict[str, _Entry] = {}
        owners: dict[str, str] = {}
        read: list[Path] = []
        for path in paths:
            try:
                present = path.is_file()
            except OSError as exc:  # an unreadable config folder: PermissionError
                raise AliasReadError(
                    path, f"cannot read the config folder {path.parent}: {exc.strerror or exc}"
                ) from exc
            if not present:
                continue  # the user's file is optional
            for info, aliases in _read_file(path):
                _merge(entries, owners, info, aliases)
            read.append(path)
        return cls(entries, owners, tuple(read))

    def canonical(self, label: str) -> str:
        cached = self._canonical_cache.get(label)
        if cached is None:
            cached = self._owners.get(match_key(label)) or clean_label(label)
            if len(self._canonical_cache) < 50_000:  # labels repeat; prose labels must not grow it forever
                self._canonical_cache[label] = cached
        return cached

    def knows(self, label: str) -> bool:
        """Whether the label is a metric name or alias in the table."""
        known = self._known_cache.get(label)
        if known is None:
            known = match_key(label) in self._owners
            if len(self._known_cache) < 50_000:
                self._known_cache[label] = known
        return known

    def info(self, name: str) -> MetricInfo | None:
        entry = self._entries.get(name) or self._entries.get(self.canonical(name))
        return entry.info if entry else None

    def target(self, name: str) -> float | None:
        """The table's target for a metric (`target = 90`), for rows whose report states none."""
        info = self.info(name)
        return info.target if info else None

    def names(self) -> list[str]:
        return list(self._entries)

    def aliases_of(self, name: str) -> list[str]:
        entry = self._entries.get(name)
        return [a for a in entry.aliases if self._owners.get(match_key(a)) == name] if entry else []

    def charted_by_default(self) -> list[str]:
        return [name for name, entry in self._entries.items() if entry.info.chart]

    def fingerprint(self) -> str:
        data = {
            "version": _FORMAT_VERSION,
            "metrics": [[*astuple(e.info), e.aliases] for e in self._entries.values()],
            "owners": sorted(self._owners.items()),
        }
        blob = json.dumps(data, ensure_ascii=False, sort_keys=True)
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:16]

    def __repr__(self) -> str:
        return f"AliasTable({len(self._entries)} metrics from {[str(p) for p in self.paths]})"


def _merge(entries: dict[str, _Entry], owners: dict[str, str], info: MetricInfo, aliases: list[str]) -> None:
    old = entries.get(info.name)
    if old is None:
        entries[info.name] = _Entry(replace(info, chart=info.chart or None), list(aliases))
    else:
        # Override only what the later file sets; aliases accumulate.
        o = old.info
        old.info = MetricInfo(
            info.name,
            info.english if info.english is not None else o.english,
            info.higher_is_better if info.higher_is_better is not None else o.higher_is_better,
            (info.chart or None) if info.chart is not None else o.chart,
            info.unit if info.unit is not None else o.unit,
            info.target if info.target is not None else o.target,
        )
        old.aliases.extend(a for a in aliases if a not in old.aliases)
    # Later files win: a name or alias seen again now points at this metric.
    owners[match_key(info.name)] = info.name
    for alias in aliases:
        owners[match_key(alias)] = info.name


def _read_file(path: Path) -> list[tuple[MetricInfo, list[str]]]:
    import tomllib  # only where a table is built: a warm re-index does without (default_sources_digest)

    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise AliasError(path, f"not valid TOML: {exc}") from exc
    except UnicodeDecodeError as exc:
        raise AliasError(path, "not UTF-8 text") from exc
    except OSError as exc:
        raise AliasReadError(path, f"cannot read {path}: {exc.strerror or exc}") from exc
    extra = set(data) - {"metric"}
    if extra:
        raise AliasError(
            path, f"unknown top-level key(s) {', '.join(sorted(extra))}; expected [[metric]] tables"
        )
    tables = data.get("metric", [])
    if not isinstance(tables, list) or not all(isinstance(t, dict) for t in tables):
        raise AliasError(path, "'metric' must be a list of [[metric]] tables")
    result: list[tuple[MetricInfo, list[str]]] = []
    claimed: dict[str, str] = {}  # match_key -> name, to catch clashes inside this one file
    names: set[str] = set()
    for number, table in enumerate(tables, 1):
        info, aliases = _parse_metric(path, number, table)
        if info.name in names:
            raise AliasError(path, f"metric #{number}: {info.name!r} is defined twice in this file")
        for label in (info.name, *aliases):
            key = match_key(label)
            if not key:
                raise AliasError(path, f"metric #{number} ({info.name}): label {label!r} has no letters")
            if claimed.setdefault(key, info.name) != info.name:
                raise AliasError(
                    path,
                    f"metric #{number} ({info.name}): {label!r} already names {claimed[key]!r} in this file",
                )
        names.add(info.name)
        result.append((info, aliases))
    return result


def _parse_metric(path: Path, number: int, table: dict[str, Any]) -> tuple[MetricInfo, list[str]]:
    name = table.get("name")
    where = f"metric #{number}"
    if not isinstance(name, str) or not name.strip():
        raise AliasError(path, f"{where}: 'name' must be a non-empty string")
    where = f"metric #{number} ({name})"
    unknown = set(table) - _KEYS
    if unknown:
        raise AliasError(
            path, f"{where}: unknown key(s) {', '.join(sorted(unknown))}; allowed: {', '.join(sorted(_KEYS))}"
        )

    def optional(key: str, kind: type | tuple[type, ...], wanted: str) -> Any:
        value = table.get(key)
        # bool is an int in Python; a target of `true` is a mistake, not 1.
        if value is not None and (
            not isinstance(value, kind) or (key == "target" and isinstance(value, bool))
        ):
            raise AliasError(path, f"{where}: '{key}' must be {wanted}, not {value!r}")
        return value

    aliases = optional("aliases", list, "a list of strings") or []
    if not all(isinstance(a, str) and a.strip() for a in aliases):
        raise AliasError(path, f"{where}: 'aliases' must be a list of non-empty strings")
    chart = optional("chart", str, "a string")
    if chart is not None and chart not in (*CHART_GROUPS, ""):
        raise AliasError(
            path,
            f"{where}: 'chart' must be one of {', '.join(CHART_GROUPS)} (or \"\" for none), not {chart!r}",
        )
    target = optional("target", (int, float), "a number")
    if target is not None and not math.isfinite(target):
        raise AliasError(path, f"{where}: 'target' must be a finite number, not {target!r}")
    info = MetricInfo(
        name=name.strip(),
        english=optional("english", str, "a string"),
        higher_is_better=optional("higher_is_better", bool, "true or false"),
        chart=chart,
        unit=optional("unit", str, "a string"),
        target=float(target) if target is not None else None,
    )
    return info, [a.strip() for a in aliases]


@functools.cache
def default_alias_table() -> AliasTable:
    """The bundled table plus the user's file; a broken user file is skipped and reported in .errors."""
    bundled, user = _default_paths()
    try:
        return AliasTable.load(bundled, user)
    except AliasError as exc:
        if exc.path != user:
            raise  # a broken bundled table is a packaging bug, not something to hide
        table = AliasTable.load(bundled)
        if isinstance(exc, AliasReadError):
            fault = f"{exc.reason}; running without user aliases"
            return AliasTable(table._entries, table._owners, table.paths, (fault,), (fault,))
        return AliasTable(table._entries, table._owners, table.paths, (f"{exc} (file ignored)",))
