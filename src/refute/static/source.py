"""Reading Python files safely: every failure becomes a message, never a traceback."""

from __future__ import annotations

import ast
import gc
import io
import tokenize
import warnings
from dataclasses import dataclass
from pathlib import Path

MAX_FILE_BYTES = 10 * 1024 * 1024


class SourceError(Exception):
    """A file that cannot be audited; the message is shown to the user as is."""


@dataclass(frozen=True)
class SourceFile:
    path: Path
    rel: str
    text: str
    tree: ast.Module

    @property
    def lines(self) -> list[str]:
        return self.text.splitlines()


def read_bytes(path: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    try:
        size = path.stat().st_size
        if size > limit:
            raise SourceError(
                f"file too large to audit ({size / 1e6:.1f} MB, limit {limit / 1e6:.0f} MB)"
            )
        return path.read_bytes()
    except OSError as exc:
        raise SourceError(f"cannot read file: {exc.strerror or exc}") from exc


def decode(data: bytes) -> str:
    """Decode as Python does: PEP 263 coding cookie or BOM, UTF-8 by default."""
    if b"\x00" in data:
        raise SourceError("file contains NUL bytes; not a Python source file")
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        return data.decode(encoding)
    except SyntaxError as exc:
        raise SourceError(f"not valid UTF-8: {exc.msg}") from exc
    except (UnicodeDecodeError, LookupError) as exc:
        reason = exc.reason if isinstance(exc, UnicodeDecodeError) else str(exc)
        raise SourceError(f"not valid UTF-8 (or declared encoding): {reason}") from exc


def parse(text: str | bytes, filename: str) -> ast.Module:
    """The file's syntax tree. Given the raw bytes (already checked by ``decode``), the parser
    reads them as they are, which is faster than re-encoding the decoded text; automatic
    garbage collection is paused meanwhile (a tree has no cycles to find, and a big file
    would otherwise trigger collections that walk every node built so far)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return ast.parse(text, filename=filename)
    except SyntaxError as exc:
        where = f"line {exc.lineno}" + (f", column {exc.offset}" if exc.offset else "")
        raise SourceError(f"syntax error at {where}: {exc.msg}") from exc
    except (ValueError, RecursionError, MemoryError) as exc:
        raise SourceError(f"cannot parse: {type(exc).__name__}: {exc}") from exc
    finally:
        if enabled:
            gc.enable()


def load(path: Path, rel: str, data: bytes | None = None,
         tree: ast.Module | None = None) -> SourceFile:
    """The file read (or ``data``, its bytes) and decoded, and its tree: ``tree`` when one
    was already parsed from these bytes, else parsed here."""
    raw = read_bytes(path) if data is None else data
    text = decode(raw)
    return SourceFile(path=path, rel=rel, text=text,
                      tree=tree if tree is not None else parse(raw, rel))
