"""Bring edited function bodies into a process that imported the old source, or say why not.

``refute verify --watch`` keeps a process that has imported and collected the suite and run
no test. After an edit, a child of it brings the project up to date in place, the way a
mutant goes in (``swap``): every live function object whose code changed (a module function,
a method, a closure made at import, a ``__wrapped__`` target) gets the newly compiled code
object. That equals a fresh import only when nothing but function bodies changed, so an
update is refused (and the watcher starts a fresh process) when:

- a file no longer parses, or differs outside function bodies: imports, module and class
  statements, decorators, signatures, defaults and annotations, docstrings, lambdas and
  comprehensions at module level are all run once, at import;
- a function whose source changed ran while the suite was imported or collected (lines of
  its body were recorded in the ``<import>`` context): what it computed then is stale;
- a line that ran at import has no unchanged counterpart in the new text;
- a changed code object with live functions has no unique counterpart in the new code, or
  its closure variables differ from the live function's.

Functions whose text did not change but moved get their new code too (line numbers), and
lines recorded at import are carried to their new numbers (``difflib``'s matching blocks).
"""

from __future__ import annotations

import ast
import difflib
import types
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from refute.dynamic.functions import CodeKey, FunctionSpan, docstring_of, function_spans
from refute.dynamic.swap import LiveFunctions, code_key

_COMPREHENSIONS = frozenset({"<listcomp>", "<dictcomp>", "<setcomp>", "<genexpr>"})


class Refused(Exception):
    """The edit cannot be brought into the running process; the message says why."""


Codes = dict[tuple[str, ...], list[types.CodeType]]


@dataclass
class Version:
    """One text of a source file, parsed, compiled and cut into functions."""

    filename: str
    text: str
    shape: object  # the module outside function bodies (``_shape``)
    spans: list[FunctionSpan]
    codes: Codes  # nested code objects by the names leading to them

    @classmethod
    def of(cls, path: Path, root: Path, text: str) -> Version:
        """Raises SyntaxError or ValueError when the text does not parse."""
        filename = str(path)
        tree = ast.parse(text, filename)
        spans = function_spans(path, root, text, tree)
        return cls(filename, text, _shape(tree), spans,
                   _by_path(compile(tree, filename, "exec", dont_inherit=True)))


@dataclass
class Update:
    swaps: list[tuple[CodeKey, types.CodeType]] = field(default_factory=list)
    moves: dict[str, dict[int, int]] = field(default_factory=dict)  # file -> old -> new line
    changed: list[str] = field(default_factory=list)  # qualnames whose source changed
    spans: dict[str, list[FunctionSpan]] = field(default_factory=dict)  # of edited files


def plan(imported: dict[str, Version], texts: dict[str, str], ran: dict[str, set[int]],
         live: LiveFunctions, root: Path) -> Update:
    """What bringing the files' current ``texts`` into this process takes, given the
    ``imported`` versions and the lines each file ran at import and collection (``ran``).
    Raises ``Refused``."""
    update = Update()
    for filename, text in sorted(texts.items()):
        old = imported.get(filename)
        if old is not None and old.text == text:
            continue
        path = Path(filename)
        rel = path.relative_to(root).as_posix() if path.is_relative_to(root) else filename
        if old is None:
            raise Refused(f"{rel} could not be parsed when the watch started")
        try:
            new = Version.of(path, root, text)
        except (SyntaxError, ValueError) as exc:
            raise Refused(f"{rel} does not parse: {exc}") from None
        if old.shape != new.shape:
            raise Refused(f"{rel} changed outside function bodies")
        lines = ran.get(filename, set())
        split = (old.text.splitlines(), new.text.splitlines())
        update.changed.extend(_changed_bodies(old, new, split, lines))
        update.moves[filename] = _moves(*split, lines, rel)
        update.swaps.extend(_code_swaps(old, new, live, rel))
        update.spans[filename] = _same_spans_kept(old, new, split)
    return update


def apply(update: Update, live: LiveFunctions) -> None:
    """Give every live function of a changed code object its new code, and file it under
    its new code's identity."""
    moved = [(key, code, live.by_key.pop(key, []), live.caches.pop(key, []))
             for key, code in update.swaps]
    for _, code, functions, caches in moved:
        for func in functions:
            func.__code__ = code
        if functions:
            live.by_key[code_key(code)] = functions
        if caches:
            live.caches[code_key(code)] = caches


_POSITIONS = frozenset({"lineno", "col_offset", "end_lineno", "end_col_offset"})


def _shape(node: object) -> object:
    """A node as nested tuples, without positions, function bodies left out (docstrings
    kept): equal shapes mean the files differ only inside function bodies."""
    if isinstance(node, list):
        return tuple(_shape(item) for item in node)
    if not isinstance(node, ast.AST):
        return node
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
        doc = docstring_of(node.body)
        return (type(node).__name__, node.name, _shape(node.args),
                _shape(node.decorator_list), _shape(node.returns),
                _shape(doc) if doc is not None else None,
                _shape(getattr(node, "type_params", None)))
    return (type(node).__name__, *(_shape(getattr(node, name, None))
                                   for name in node._fields if name not in _POSITIONS))


def _changed_bodies(old: Version, new: Version, texts: tuple[list[str], list[str]],
                    ran: set[int]) -> list[str]:
    """Qualnames of functions whose source changed (``texts``: the two versions' lines);
    refused if one ran at import."""
    old_lines, new_lines = texts
    now = {s.qualname: s for s in new.spans}
    changed = []
    for span in old.spans:
        after = now.get(span.qualname)
        if after is not None and old_lines[span.first_line - 1:span.end_line] == \
                new_lines[after.first_line - 1:after.end_line]:
            continue
        changed.append(span.qualname)
        body = ran.intersection(range(span.node.body[0].lineno, span.end_line + 1))
        if body:
            raise Refused(f"`{span.qualname}` changed and ran while the suite was imported "
                          f"or collected (line {min(body)})")
    return changed


def _same_spans_kept(old: Version, new: Version,
                     texts: tuple[list[str], list[str]]) -> list[FunctionSpan]:
    """The new version's functions, where one has the same text at the same lines as before
    (above the edit) the old version's span of it: what was computed for that span (its
    mutants, remembered while the watcher waited) holds."""
    old_lines, new_lines = texts
    before = {(s.qualname, s.first_line, s.end_line): s for s in old.spans}
    kept = []
    for span in new.spans:
        was = before.get((span.qualname, span.first_line, span.end_line))
        lines = slice(span.first_line - 1, span.end_line)
        kept.append(was if was is not None and old_lines[lines] == new_lines[lines] else span)
    return kept


def _moves(before: list[str], after: list[str], ran: set[int], rel: str) -> dict[int, int]:
    """The new number of every line run at import (``before`` and ``after``: the two
    versions' lines), which must be unchanged text. Lines before the first and after the
    last changed line move as a block; ``difflib`` matches only what lies between."""
    head = 0
    while head < min(len(before), len(after)) and before[head] == after[head]:
        head += 1
    tail = 0
    while tail < min(len(before), len(after)) - head and \
            before[len(before) - 1 - tail] == after[len(after) - 1 - tail]:
        tail += 1
    shift = len(after) - len(before)
    moves = {line: line for line in ran if line <= head}
    moves.update((line, line + shift) for line in ran if line > len(before) - tail)
    middle = [line for line in ran if head < line <= len(before) - tail]
    if middle:
        matcher = difflib.SequenceMatcher(None, before[head:len(before) - tail],
                                          after[head:len(after) - tail], autojunk=False)
        for a, b, size in matcher.get_matching_blocks():
            for line in ran.intersection(range(head + a + 1, head + a + size + 1)):
                moves[line] = line - a + b
    lost = sorted(ran - moves.keys())
    if lost:
        raise Refused(f"line {lost[0]} of {rel} ran at import and changed")
    return moves


def _by_path(code: types.CodeType, prefix: tuple[str, ...] = ()) -> Codes:
    """Every nested code object by the names leading to it (``C.f.<locals>.g``: C, f, g)."""
    out: Codes = defaultdict(list)
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            path = (*prefix, const.co_name)
            out[path].append(const)
            for sub, codes in _by_path(const, path).items():
                out[sub].extend(codes)
    return out


def _code_swaps(old: Version, new: Version, live: LiveFunctions, rel: str
                ) -> list[tuple[CodeKey, types.CodeType]]:
    swaps = []
    for path, olds in old.codes.items():
        if path[-1] in _COMPREHENSIONS:
            continue  # made afresh each time the code around it runs
        news = new.codes.get(path, [])
        for i, code in enumerate(olds):
            targets = live.by_key.get(code_key(code))
            if not targets:
                continue
            if len(olds) != len(news):
                raise Refused(f"{'.'.join(path)} in {rel} has no unique counterpart in the "
                              "new code")
            now = news[i]
            if now == code:
                continue
            if any(len(f.__code__.co_freevars) != len(now.co_freevars) for f in targets):
                raise Refused(f"the closure of {'.'.join(path)} in {rel} changed")
            swaps.append((code_key(code), now))
    return swaps
