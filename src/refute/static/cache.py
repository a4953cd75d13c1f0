"""The content-keyed on-disk cache of per-file results (SQLite, one table).

Schema (version 1)::

    meta(key TEXT PRIMARY KEY, value TEXT)      -- 'schema' -> '1'
    entries(key TEXT PRIMARY KEY, value BLOB)   -- sha256 key -> pickled FileResult

A key is the SHA-256 of refute's build (``refute.build_id()``: its version and a hash of its
source), the rule configuration, the project index's content and the file's own bytes, so
any change to what a result depends on is a miss. The directory holds a ``.gitignore`` of
``*`` so it is never committed.
"""

from __future__ import annotations

import pickle
import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import Any

SCHEMA_VERSION = "1"


def cache_directory(directory: Path) -> Path:
    """Create refute's cache directory with a ``.gitignore`` that keeps it out of git (the
    check cache, the verify cache and verify's compiled modules all live there)."""
    directory.mkdir(parents=True, exist_ok=True)
    ignore = directory / ".gitignore"
    if not ignore.exists():
        ignore.write_text("# created by refute\n*\n", encoding="utf-8")
    return directory


class Cache:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    @classmethod
    def open(cls, directory: Path) -> Cache | None:
        """Open (or create) the cache; None when the directory is not writable."""
        try:
            conn = sqlite3.connect(cache_directory(directory) / "check.sqlite", timeout=5)
            conn.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
            conn.execute("CREATE TABLE IF NOT EXISTS entries (key TEXT PRIMARY KEY, value BLOB)")
            row = conn.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
            if row is None or row[0] != SCHEMA_VERSION:
                conn.execute("DELETE FROM entries")
                conn.execute("INSERT OR REPLACE INTO meta VALUES ('schema', ?)",
                             (SCHEMA_VERSION,))
                conn.commit()
            return cls(conn)
        except (OSError, sqlite3.Error):
            return None

    def get(self, key: str) -> Any:
        try:
            row = self.conn.execute("SELECT value FROM entries WHERE key = ?", (key,)).fetchone()
            return pickle.loads(row[0]) if row else None
        except (sqlite3.Error, pickle.UnpicklingError, EOFError, AttributeError, ImportError,
                TypeError):
            return None

    def put(self, key: str, value: Any) -> None:
        self.put_pickled([(key, self.dumps(value))])

    def put_pickled(self, items: Iterable[tuple[str, bytes]]) -> None:
        """Store values pickled already (``dumps``), by whoever made them."""
        try:
            self.conn.executemany("INSERT OR REPLACE INTO entries VALUES (?, ?)", items)
            self.conn.commit()
        except sqlite3.Error:
            pass

    @staticmethod
    def dumps(value: Any) -> bytes:
        return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)

    def close(self) -> None:
        self.conn.close()
