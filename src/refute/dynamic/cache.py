"""The incremental mutant cache: ``<root>/.refute_cache/verify.sqlite``.

Schema version 1, one table::

    mutants(key TEXT PRIMARY KEY, status TEXT, killed_by TEXT, detail TEXT)

``key`` is the SHA-256 of refute's version, the mutant's id, the function's source and the
source of every test that covers it, so a change anywhere else reuses the result.
"""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

from refute import __version__

SCHEMA_VERSION = 1


def mutant_key(mutant_id: str, function_source: str, test_sources: list[str]) -> str:
    digest = hashlib.sha256()
    for part in (__version__, mutant_id, function_source, *sorted(test_sources)):
        digest.update(part.encode("utf-8", "surrogatepass"))
        digest.update(b"\0")
    return digest.hexdigest()


class MutantCache:
    def __init__(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        ignore = directory / ".gitignore"
        if not ignore.exists():
            ignore.write_text("*\n", encoding="utf-8")
        self.db = sqlite3.connect(directory / "verify.sqlite")
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        if version != SCHEMA_VERSION:
            self.db.execute("DROP TABLE IF EXISTS mutants")
            self.db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        self.db.execute("CREATE TABLE IF NOT EXISTS mutants (key TEXT PRIMARY KEY, "
                        "status TEXT NOT NULL, killed_by TEXT, detail TEXT NOT NULL)")

    def get(self, key: str) -> tuple[str, str | None, str] | None:
        row = self.db.execute("SELECT status, killed_by, detail FROM mutants WHERE key = ?",
                              (key,)).fetchone()
        return (row[0], row[1], row[2]) if row else None

    def put(self, key: str, status: str, killed_by: str | None, detail: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO mutants VALUES (?, ?, ?, ?)",
                        (key, status, killed_by, detail))
        self.db.commit()

    def close(self) -> None:
        self.db.close()
