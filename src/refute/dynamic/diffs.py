"""A mutant shown as a unified diff of its function, normalised by ``ast.unparse``.

Every classic mutant of a function shares the original's nodes except along the path to the
edited node (see ``operators._apply``). Unparsing the whole mutated function for each mutant
cost more than running a fast test, so the original is unparsed once per function, recording
where each statement's text lies, and a mutant's text is the original's with its one changed
statement unparsed again in its place. The result is the text a full ``ast.unparse`` of the
mutant gives (a test compares both on real code); anything else (a new body, a changed
signature) is unparsed whole.
"""

from __future__ import annotations

import ast
import difflib
import functools
from dataclasses import dataclass

from refute.dynamic.functions import FunctionNode
from refute.dynamic.operators import MutantSpec

_UNPARSER = getattr(ast, "_Unparser", None)  # CPython's unparser class, 3.9 and later


@dataclass(frozen=True)
class _Unparsed:
    pieces: tuple[str, ...]  # the unparser's output, as it wrote it
    statements: dict[int, tuple[int, int, int]]  # id(stmt) -> (first piece, end piece, indent)
    lines: tuple[str, ...]


if _UNPARSER is not None:
    class _Recorder(_UNPARSER):  # type: ignore[misc, valid-type]
        """The standard unparser, noting which pieces of its output each statement wrote."""

        def __init__(self, **kwargs: object) -> None:  # the unparser makes inner ones
            super().__init__(**kwargs)
            self.statements: dict[int, tuple[int, int, int]] = {}

        def traverse(self, node: object) -> None:
            if isinstance(node, ast.stmt):
                start, indent = len(self._source), self._indent
                super().traverse(node)
                self.statements[id(node)] = (start, len(self._source), indent)
            else:
                super().traverse(node)


@functools.cache
def _unparsed(node: FunctionNode) -> _Unparsed:
    """The original function's unparsed text, once per function and process."""
    if _UNPARSER is None:  # pragma: no cover - every supported CPython has it
        text = ast.unparse(node)
        return _Unparsed((text,), {}, tuple(text.splitlines()))
    recorder = _Recorder()
    text = recorder.visit(node)
    return _Unparsed(tuple(recorder._source), recorder.statements, tuple(text.splitlines()))


def _changed_statement(original: ast.AST, mutant: ast.AST) -> tuple[ast.stmt, ast.stmt] | None:
    """The deepest statement of ``original`` whose counterpart in ``mutant`` is a different
    object, following the single path along which the two trees differ; None when they
    differ in more than one place below the function, or only in the function itself."""
    found: tuple[ast.stmt, ast.stmt] | None = None
    a, b = original, mutant
    while a is not b:
        if a is not original and isinstance(a, ast.stmt) and isinstance(b, ast.stmt):
            found = (a, b)
        if type(a) is not type(b):
            break
        pairs: list[tuple[object, object]] = []
        for name in a._fields:
            va, vb = getattr(a, name, None), getattr(b, name, None)
            if va is vb:
                continue
            if isinstance(va, list) and isinstance(vb, list) and len(va) == len(vb):
                pairs.extend((x, y) for x, y in zip(va, vb, strict=True) if x is not y)
            else:
                pairs.append((va, vb))
        if len(pairs) != 1:
            break
        next_a, next_b = pairs[0]
        if not isinstance(next_a, ast.AST) or not isinstance(next_b, ast.AST):
            break
        a, b = next_a, next_b
    return found


def _mutant_lines(spec: MutantSpec) -> list[str]:
    original = _unparsed(spec.span.node)
    changed = _changed_statement(spec.span.node, spec.node)
    where = original.statements.get(id(changed[0])) if changed else None
    if changed is None or where is None or _UNPARSER is None:
        return ast.unparse(spec.node).splitlines()
    start, end, indent = where
    unparser = _UNPARSER()
    unparser._source = ["\0"]  # not the start of the output: a statement begins on a new line
    unparser._indent = indent
    unparser.traverse(changed[1])
    return "".join([*original.pieces[:start], *unparser._source[1:],
                    *original.pieces[end:]]).splitlines()


def mutant_diff(spec: MutantSpec, source_lines: list[str]) -> str:
    """A unified diff of the function before and after the mutation."""
    span = spec.span
    before = source_lines[span.first_line - 1: span.end_line]
    indent = " " * (len(before[0]) - len(before[0].lstrip()) if before else 0)
    # compare normalised forms so only the mutated statement shows
    original = [indent + ln if ln else ln for ln in _unparsed(span.node).lines]
    after = [indent + ln if ln else ln for ln in _mutant_lines(spec)]
    diff = difflib.unified_diff(original, after, f"{span.rel} (original)",
                                f"{span.rel} (mutant)", n=1, lineterm="")
    return "\n".join(diff)
