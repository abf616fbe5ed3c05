"""Where the bundled samples, resources and the cache live, in a checkout and when installed."""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent.parent


def _bundled(name: str) -> Path:
    # Installed from a wheel (or frozen): the data rides inside the package as desktop/_data/<name>.
    inside = _PACKAGE / "_data" / name
    if inside.is_dir():
        return inside
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root) / name
    # A source checkout: the folders sit at the top of the repo.
    return _PACKAGE.parent / name


def seeds_dir() -> Path:
    return _bundled("seeds")


def resources_dir() -> Path:
    return _bundled("resources")


def cache_dir() -> Path:
    override = os.environ.get("WEEKLY_REVIEW_CACHE_DIR")
    if override:
        return Path(override)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("weekly-review", appauthor=False))


def config_dir() -> Path:
    override = os.environ.get("WEEKLY_REVIEW_CONFIG_DIR")
    if override:
        return Path(override)
    from platformdirs import user_config_dir

    return Path(user_config_dir("weekly-review", appauthor=False))


def cache_path_for(folder: Path) -> Path:
    """One database per opened folder, named so a person can tell which folder it caches."""
    real = str(folder.resolve())
    digest = hashlib.sha1(real.encode("utf-8"), usedforsecurity=False).hexdigest()[:16]
    safe = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in folder.resolve().name)[:40]
    return cache_dir() / f"{safe or 'root'}-{digest}.sqlite"
