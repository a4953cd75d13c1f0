"""The mutation units of a source file: top-level functions and methods, with their spans.

A nested function or a closure belongs to the function that defines it: mutating the outer
function recompiles it, and the nested code objects come from the recompiled one.
"""

from __future__ import annotations

import ast
import functools
import hashlib
from dataclasses import dataclass
from pathlib import Path

from refute.static.index import delegated_call
from refute.static.module import module_name

FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef
CodeKey = tuple[str, int, str]  # (co_filename, co_firstlineno, co_name) of a code object

NO_MUTATE = "pragma: no mutate"


def docstring_of(body: list[ast.stmt]) -> ast.Expr | None:
    """The docstring statement opening ``body``, if it has one."""
    first = body[0] if body else None
    if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and \
            isinstance(first.value.value, str):
        return first
    return None
_ARID_NAMES = {"__repr__", "__str__", "__rich_repr__", "__format__"}


@dataclass(frozen=True)
class FunctionSpan:
    qualname: str  # dotted module + classes + name; "#2", "#3" for later definitions of it
    name: str
    path: Path  # absolute
    rel: str
    first_line: int  # the first decorator, or the def line (= the code object's co_firstlineno)
    def_line: int
    end_line: int
    classes: tuple[str, ...]
    node: FunctionNode
    arid: str = ""  # why this function is not worth mutating, if it is not
    future_flags: int = 0  # the file's ``from __future__`` compiler flags, to compile mutants

    def lines(self) -> range:
        return range(self.first_line, self.end_line + 1)

    @property
    def code_key(self) -> CodeKey:
        """The identity of the code object compiled from this function."""
        return (str(self.path), self.first_line, self.name)


def _type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _is_delegation(node: FunctionNode) -> bool:
    """``return other(a, b)`` or ``other(a, b)`` passing its own parameters on unchanged."""
    call = delegated_call(node, returned_only=False)
    return call is not None and bool([*call.args, *call.keywords])


def _arid(node: FunctionNode, lines: list[str], guarded: bool) -> str:
    if guarded:
        return "defined under `if TYPE_CHECKING`"
    if node.name in _ARID_NAMES:
        return f"`{node.name}` only formats output"
    if NO_MUTATE in lines[node.lineno - 1]:
        return "`# pragma: no mutate`"
    if _is_delegation(node):
        return "pure delegation to another function"
    return ""


def function_spans(path: Path, root: Path, text: str | None = None,
                   tree: ast.Module | None = None) -> list[FunctionSpan]:
    """Every top-level function and method of a source file (``tree``: the text parsed)."""
    text = text if text is not None else path.read_text(encoding="utf-8")
    tree = tree if tree is not None else ast.parse(text, filename=str(path))
    lines = text.splitlines() or [""]
    rel = path.relative_to(root).as_posix() if path.is_relative_to(root) else path.as_posix()
    module = module_name(rel)
    out: list[FunctionSpan] = []
    seen: dict[str, int] = {}
    flags = future_flags(tree)

    def unique(qualname: str) -> str:
        """A property's setter, an overload or a conditional redefinition shares its dotted
        name with an earlier definition: each gets its own name, in the order of the file."""
        count = seen[qualname] = seen.get(qualname, 0) + 1
        return qualname if count == 1 else f"{qualname}#{count}"

    def visit(body: list[ast.stmt], classes: tuple[str, ...], guarded: bool) -> None:
        for stmt in body:
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
                first = min([stmt.lineno, *(d.lineno for d in stmt.decorator_list)])
                out.append(FunctionSpan(
                    qualname=unique(".".join([module, *classes, stmt.name])), name=stmt.name,
                    path=path, rel=rel, first_line=first, def_line=stmt.lineno,
                    end_line=stmt.end_lineno or stmt.lineno, classes=classes, node=stmt,
                    arid=_arid(stmt, lines, guarded), future_flags=flags))
            elif isinstance(stmt, ast.ClassDef):
                visit(stmt.body, (*classes, stmt.name), guarded)
            elif isinstance(stmt, ast.If):
                inner = guarded or _type_checking(stmt.test)
                visit(stmt.body, classes, inner)
                visit(stmt.orelse, classes, guarded)
            elif isinstance(stmt, ast.Try):
                visit(stmt.body, classes, guarded)
    visit(tree.body, (), False)
    return out


def future_flags(tree: ast.Module) -> int:
    """The compiler flags of a module's ``from __future__`` imports."""
    import __future__

    flags = 0
    for stmt in tree.body:
        if isinstance(stmt, ast.ImportFrom) and stmt.module == "__future__":
            for alias in stmt.names:
                feature = getattr(__future__, alias.name, None)
                if feature is not None:
                    flags |= feature.compiler_flag
    return flags


@functools.cache
def executable_lines(path: Path) -> frozenset[int]:
    """The lines coverage.py counts as executable, as its own parser sees them."""
    return _coverage_statements(None, str(path))


def executable_in(text: str, filename: str) -> frozenset[int]:
    """``executable_lines`` of a file's text."""
    return _coverage_statements(text, filename)


def _coverage_statements(text: str | None, filename: str) -> frozenset[int]:
    from coverage.parser import PythonParser

    parser = PythonParser(text=text, filename=filename)
    parser.parse_source()
    return frozenset(parser.statements) - frozenset(parser.excluded)


def text_digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
