"""The files the KPI alias table is built from, and a digest of them: all a warm index needs to know.

Apart from desktop.core.aliases so that checking the table is unchanged costs two small reads, not
the import of the table's parser (its patterns and dataclasses: ~10 ms of every command).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from desktop.core import paths as app_paths

FORMAT_VERSION = 1  # part of the table's fingerprint: bump when canonical() matches differently


def default_paths() -> tuple[Path, Path]:
    """The bundled metrics.toml and the user's, in the config folder (which may not exist)."""
    return app_paths.resources_dir() / "metrics.toml", app_paths.config_dir() / "metrics.toml"


def default_sources_digest() -> str | None:
    """A hash of what default_alias_table() is built from (its files' bytes and the table's format).

    Reading two small files costs far less than parsing them into a table: a caller that keeps the
    table's fingerprint beside this digest knows the fingerprint again while the digest is the same.
    None when a file cannot be read (the table itself then says why).
    """
    digest = hashlib.blake2b(f"aliases {FORMAT_VERSION}".encode(), digest_size=16)
    for path in default_paths():
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            data = b""
            digest.update(b"absent")
        except OSError:
            return None
        digest.update(len(data).to_bytes(8, "little") + data)
    return digest.hexdigest()
