"""The sign-off ledger: ``.refute/signoffs.jsonl``, committed with the tests.

One JSON object per line, one line per test, sorted by test id, keys in a fixed order. Two
branches that sign off different tests touch different lines, so git merges them cleanly.
Every record carries ``"v": 1``; a reader refuses records of a newer version.

The file is only ever replaced whole (write to a temporary file, then rename), and never
rewritten while a line of it cannot be read: a malformed line stops the command with its line
number, and the file is left exactly as it was.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from refute.errors import RefuteError
from refute.model import Signoff

LEDGER_VERSION = 1
_REQUIRED = ("test", "fingerprint", "reviewer", "date")


class LedgerError(RefuteError):
    """The ledger cannot be read or written; it is left untouched."""


@dataclass
class Ledger:
    path: Path
    rel: str  # the ledger's path relative to the repository or project root
    records: dict[str, Signoff] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path, rel: str) -> Ledger:
        ledger = cls(path, rel)
        if not path.exists():
            return ledger
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            raise LedgerError(f"{rel}: not UTF-8 ({exc.reason}); fix the file by hand") from exc
        except OSError as exc:
            raise LedgerError(f"cannot read {rel}: {exc.strerror}") from exc
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            record = _parse(line, rel, number)
            if record.test in ledger.records:
                raise LedgerError(f"{rel}:{number}: a second sign-off of {record.test} (first "
                                  f"on line {ledger.records[record.test].line}); keep one, "
                                  "for example after a merge")
            ledger.records[record.test] = record
        return ledger

    def put(self, record: Signoff) -> None:
        self.records[record.test] = record

    def remove(self, test: str) -> Signoff | None:
        return self.records.pop(test, None)

    def save(self) -> None:
        """Replace the file atomically with the records, sorted by test id."""
        lines = [dump(self.records[t]) for t in sorted(self.records)]
        text = "".join(line + "\n" for line in lines)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".signoffs-", suffix=".tmp",
                                       dir=self.path.parent)
            try:
                with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
                    fh.write(text)
                os.replace(tmp, self.path)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        except OSError as exc:
            raise LedgerError(f"cannot write {self.rel}: {exc.strerror}; it is unchanged") \
                from exc

    def line_numbers(self) -> dict[str, int]:
        """Test id -> the line its record will have after ``save``."""
        return {t: i for i, t in enumerate(sorted(self.records), start=1)}


def dump(record: Signoff) -> str:
    data: dict[str, object] = {"v": LEDGER_VERSION, "test": record.test,
                               "fingerprint": record.fingerprint, "reviewer": record.reviewer,
                               "email": record.email, "date": record.date}
    if record.note:
        data["note"] = record.note
    if record.accepted_vacuous:
        data["accepted_vacuous"] = record.accepted_vacuous
    return json.dumps(data, ensure_ascii=False, separators=(", ", ": "))


def _parse(line: str, rel: str, number: int) -> Signoff:
    where = f"{rel}:{number}"
    try:
        data = json.loads(line)
    except json.JSONDecodeError as exc:
        raise LedgerError(f"{where}: not valid JSON ({exc.msg}); the ledger is left as it is, "
                          "fix or remove that line (git log -p shows who wrote it)") from None
    if not isinstance(data, dict):
        raise LedgerError(f"{where}: a sign-off must be a JSON object")
    version = data.get("v", LEDGER_VERSION)
    if not isinstance(version, int) or version > LEDGER_VERSION:
        raise LedgerError(f"{where}: record version {version!r} is newer than this refute "
                          f"reads ({LEDGER_VERSION}); upgrade refute")
    missing = [k for k in _REQUIRED if not isinstance(data.get(k), str) or not data[k]]
    if missing:
        raise LedgerError(f"{where}: missing or empty {', '.join(missing)}")
    return Signoff(test=data["test"], fingerprint=data["fingerprint"],
                   reviewer=data["reviewer"], email=str(data.get("email", "")),
                   date=data["date"], note=str(data.get("note", "")),
                   accepted_vacuous=str(data.get("accepted_vacuous", "")), line=number)


def renumbered(records: Iterable[Signoff]) -> list[Signoff]:
    return [replace(r, line=i) for i, r in enumerate(sorted(records, key=lambda r: r.test), 1)]
