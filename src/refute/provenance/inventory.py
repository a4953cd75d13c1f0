"""Every test of a project with what provenance needs: where it is, its fingerprint, its
assertion count and the generated claims written in the code or the config.

The same code reads the working tree and, for the gate, file contents of an older revision.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fnmatch import fnmatch
from pathlib import Path

from refute.model import Claim, FileError
from refute.provenance import claims as claim_rules
from refute.provenance.fingerprint import assertion_count, code_hash, test_fingerprint
from refute.static import source as src_io
from refute.static.collect import Collector
from refute.static.context import CheckOptions, RunContext, prepare
from refute.static.engine import build_index
from refute.static.module import build_tables


@dataclass
class Entry:
    id: str
    rel: str  # the file that defines the test function
    line: int  # the def line
    start: int  # first line, decorators included
    end: int
    fingerprint: str
    code: str  # hash of the test's own normalised code
    assertions: int
    claims: list[Claim] = field(default_factory=list)


@dataclass
class Inventory:
    ctx: RunContext
    entries: dict[str, Entry] = field(default_factory=dict)
    errors: list[FileError] = field(default_factory=list)
    files: list[str] = field(default_factory=list)  # test files, relative to the root

    @property
    def root(self) -> Path:
        return self.ctx.root


def _rel(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def load(paths: Sequence[str]) -> Inventory:
    """The tests of the working tree under ``paths`` (default: the configured testpaths)."""
    ctx = prepare(list(paths), CheckOptions(use_cache=False))
    ctx.index = build_index(ctx)
    inventory = Inventory(ctx)
    for path, message in ctx.files.errors:
        inventory.errors.append(FileError(_rel(path, ctx.root), message))
    texts: dict[str, str] = {}
    for path in ctx.files.tests:
        rel = _rel(path, ctx.root)
        inventory.files.append(rel)
        try:
            texts[rel] = src_io.load(path, rel).text
        except src_io.SourceError as exc:
            inventory.errors.append(FileError(rel, str(exc)))
    lines_of = {rel: text.splitlines() for rel, text in texts.items()}
    for rel, text in texts.items():
        for entry in entries_of(ctx, rel, text, lines_of):
            inventory.entries[entry.id] = entry
    return inventory


def entries_of(ctx: RunContext, rel: str, text: str,
               lines_of: Mapping[str, Sequence[str]] | None = None) -> list[Entry]:
    """The tests one file defines, given its text (of any revision)."""
    assert ctx.index is not None
    try:
        tree = ast.parse(text, filename=rel)
    except (SyntaxError, ValueError):
        return []
    mod = build_tables(rel, tree)
    lines = text.splitlines()
    lines_of = lines_of or {}
    out = []
    for item in Collector(mod, ctx.pytest_cfg, ctx.index).collect():
        node = item.node
        start = min([node.lineno, *(d.lineno for d in node.decorator_list)])
        found: list[Claim] = [
            *claim_rules.marker_claims(item, mod),
            *claim_rules.comment_claims(item, mod, lines, lines_of),
            *claim_rules.config_claims(item.id, rel, ctx.cfg.generated, _config_name(ctx)),
        ]
        out.append(Entry(item.id, item.rel, node.lineno, start, node.end_lineno or node.lineno,
                         test_fingerprint(item, mod, ctx.index), code_hash(node),
                         assertion_count(node), found))
    return out


def test_file_at(ctx: RunContext, rel: str) -> bool:
    """Would pytest collect ``rel`` (a path that may no longer exist) as a test file?"""
    from refute.static.discovery import is_test_file

    parts = rel.split("/")
    if not is_test_file(parts[-1], ctx.pytest_cfg.python_files):
        return False
    return not any(fnmatch(part, pattern) for part in parts[:-1]
                   for pattern in ctx.pytest_cfg.norecursedirs)


def _config_name(ctx: RunContext) -> str:
    if ctx.cfg.config_file is None:
        return "pyproject.toml"
    return _rel(ctx.cfg.config_file, ctx.root)
