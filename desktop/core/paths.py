"""Where the bundled samples, resources and the cache live, in a checkout and when installed."""

from __future__ import annotations

import hashlib
import os
import re
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
    digest = hashlib.sha1(os.fsencode(real), usedforsecurity=False).hexdigest()[:16]
    safe = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in folder.resolve().name)[:40]
    return cache_dir() / f"{safe or 'root'}-{digest}.sqlite"


# File names that are not valid UTF-8 (a zip made on Chinese Windows holds GBK bytes) reach Python as
# lone surrogates (surrogateescape), which SQLite, JSON and Qt refuse. Inside the app such a name is
# kept as a key where each undecodable byte 0xXX becomes the private-use character U+EFXX (the MirBSD
# convention), which maps back to the very same bytes for opening the file.
_ESCAPED_BYTE = re.compile("[\udc80-\udcff]")
_KEY_BYTE = re.compile("[\uef80-\uefff]")
_CONTROL = re.compile("[\x00-\x1f\x7f]")


def path_key(name: str) -> str:
    """A name as the file system gave it → valid text for the cache (unchanged when it was UTF-8)."""
    if name.isascii() or not _ESCAPED_BYTE.search(name):
        return name
    return _ESCAPED_BYTE.sub(lambda m: chr(ord(m.group()) - 0xDC00 + 0xEF00), name)


def key_to_fs(key: str) -> str:
    """The inverse of path_key: the name to hand to the file system."""
    if key.isascii() or not _KEY_BYTE.search(key):
        return key
    return _KEY_BYTE.sub(lambda m: chr(ord(m.group()) - 0xEF00 + 0xDC00), key)


def readable(text: str) -> str:
    """A name or argument for people: undecodable bytes read as GB18030 where that works, else `\\xNN`.

    Accepts a key or a surrogate-escaped string alike; the result is always valid text.
    """
    if text.isascii() or not (_ESCAPED_BYTE.search(text) or _KEY_BYTE.search(text)):
        return text
    raw = os.fsencode(key_to_fs(text))
    try:
        shown = raw.decode("gb18030")
    except UnicodeDecodeError:
        return raw.decode("utf-8", "backslashreplace")
    # GB18030 decodes almost any bytes; control characters mean it guessed wrong.
    return raw.decode("utf-8", "backslashreplace") if _CONTROL.search(shown) else shown
