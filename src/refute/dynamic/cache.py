"""The incremental verify cache: ``<root>/.refute_cache/verify.sqlite``.

Schema version 4 (``PRAGMA user_version``; any other version is dropped and rebuilt; 4
because results stored by earlier versions ran mutants of ``lru_cache``d functions against the
baseline's cached values)::

    mutants(key TEXT PRIMARY KEY, status TEXT, killed_by TEXT, detail TEXT, diff TEXT)
    tests(id TEXT PRIMARY KEY, env TEXT, deps TEXT, data TEXT)
    returns(function TEXT PRIMARY KEY, hash TEXT, types TEXT)

``mutants.key`` is the SHA-256 of refute's build (``refute.build_id()``: its version and a
hash of its source), the mutant's id (its line relative to the function), the function's
source and, for every test that covers it, the test's source,
the environment (below) and the hashes of the test-side files it ran besides its own
(conftest, helpers), so a change anywhere else reuses the result.

``tests`` is the incremental baseline: one row per test that passed in an earlier baseline,
with what it covered and how it ran (``data``, JSON), the environment it ran in (``env``:
Python, pytest and refute versions, pytest configuration, conftest files, deselections) and
what its run depended on (``deps``, JSON): the hash of every project function it executed,
of the module-level code of every source file it touched, and of every test-side file it
ran. A test whose environment and dependencies are unchanged is not run again. Hashes leave
line numbers out and ``data.lines`` keeps each file's executed lines relative (per function,
offsets from its first line; module-level lines by rank), so a shift keeps them valid.

``returns`` keeps the runtime return types seen per function (by qualname), with the hash
of the function's source, for the extreme mutants of functions whose tests were not rerun.

``executable`` keeps the lines coverage.py counts as executable in a source file, keyed by
the SHA-256 of the file's bytes and coverage.py's version (its parser is slow to rerun).
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from refute import build_id
from refute.static.cache import cache_directory

SCHEMA_VERSION = 4
_TABLES = {
    "mutants": "key TEXT PRIMARY KEY, status TEXT NOT NULL, killed_by TEXT, "
               "detail TEXT NOT NULL, diff TEXT NOT NULL",
    "tests": "id TEXT PRIMARY KEY, env TEXT NOT NULL, deps TEXT NOT NULL, data TEXT NOT NULL",
    "returns": "function TEXT PRIMARY KEY, hash TEXT NOT NULL, types TEXT NOT NULL",
    "executable": "digest TEXT PRIMARY KEY, lines TEXT NOT NULL",
}
COMMIT_EVERY = 1.0  # seconds between commits of mutant results (and always on close)


def mutant_key(mutant_id: str, function_source: str, test_sources: list[str]) -> str:
    digest = hashlib.sha256()
    for part in (build_id(), mutant_id, function_source, *sorted(test_sources)):
        digest.update(part.encode("utf-8", "surrogatepass"))
        digest.update(b"\0")
    return digest.hexdigest()


class VerifyCache:
    def __init__(self, directory: Path) -> None:
        cache_directory(directory)
        self.db = sqlite3.connect(directory / "verify.sqlite")
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        if version != SCHEMA_VERSION:
            for table in _TABLES:
                self.db.execute(f"DROP TABLE IF EXISTS {table}")
            self.db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        for table, columns in _TABLES.items():
            self.db.execute(f"CREATE TABLE IF NOT EXISTS {table} ({columns})")
        self._last_commit = time.monotonic()

    # ---- mutants ------------------------------------------------------------------------
    def get(self, key: str) -> tuple[str, str | None, str, str] | None:
        """A mutant's stored (status, killed_by, detail, diff)."""
        row = self.db.execute("SELECT status, killed_by, detail, diff FROM mutants "
                              "WHERE key = ?", (key,)).fetchone()
        return (row[0], row[1], row[2], row[3]) if row else None

    def put(self, key: str, status: str, killed_by: str | None, detail: str,
            diff: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO mutants VALUES (?, ?, ?, ?, ?)",
                        (key, status, killed_by, detail, diff))
        if time.monotonic() - self._last_commit > COMMIT_EVERY:
            self.commit()

    # ---- the incremental baseline -------------------------------------------------------
    def tests(self) -> dict[str, tuple[str, Any, Any]]:
        """Every stored test: id -> (env, deps, data)."""
        return {row[0]: (row[1], json.loads(row[2]), json.loads(row[3]))
                for row in self.db.execute("SELECT id, env, deps, data FROM tests")}

    def replace_tests(self, rows: Iterable[tuple[str, str, Any, Any]]) -> None:
        """The stored baseline becomes exactly ``rows`` (id, env, deps, data)."""
        self.db.execute("DELETE FROM tests")
        self.db.executemany("INSERT INTO tests VALUES (?, ?, ?, ?)",
                            [(i, env, json.dumps(deps), json.dumps(data))
                             for i, env, deps, data in rows])
        self.commit()

    def returns(self) -> dict[str, tuple[str, list[str]]]:
        return {row[0]: (row[1], json.loads(row[2]))
                for row in self.db.execute("SELECT function, hash, types FROM returns")}

    def replace_returns(self, rows: dict[str, tuple[str, list[str]]]) -> None:
        self.db.execute("DELETE FROM returns")
        self.db.executemany("INSERT INTO returns VALUES (?, ?, ?)",
                            [(f, h, json.dumps(sorted(t))) for f, (h, t) in rows.items()])
        self.commit()

    def executable(self, digest: str) -> list[int] | None:
        row = self.db.execute("SELECT lines FROM executable WHERE digest = ?",
                              (digest,)).fetchone()
        return json.loads(row[0]) if row else None

    def put_executable(self, digest: str, lines: Iterable[int]) -> None:
        self.db.execute("INSERT OR REPLACE INTO executable VALUES (?, ?)",
                        (digest, json.dumps(sorted(lines))))

    def commit(self) -> None:
        self.db.commit()
        self._last_commit = time.monotonic()

    def close(self) -> None:
        self.commit()
        self.db.close()
