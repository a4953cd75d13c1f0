"""Mutation operators: extreme mutation of whole bodies first, then classic line-level ones.

Each operator works on a copy of the function's AST (the path to the edited node is copied,
the rest shared); nothing is written anywhere. A
``MutantSpec`` carries the mutated ``FunctionDef`` that ``swap.py`` compiles.
"""

from __future__ import annotations

import ast
import copy
import functools
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from refute.dynamic.functions import NO_MUTATE, FunctionNode, FunctionSpan, docstring_of
from refute.static.nodes import own_nodes


@dataclass(frozen=True)
class MutantSpec:
    span: FunctionSpan
    operator: str
    extreme: bool
    line: int
    description: str
    make: Callable[[], FunctionNode]  # builds the mutated function (only when it is run)

    @functools.cached_property
    def node(self) -> FunctionNode:
        """The mutated function; built on first use, so cached mutants never copy an AST."""
        return self.make()

    @property
    def id(self) -> str:
        return f"{self.span.qualname}:{self.line}:{self.operator}:{self.description}"


# the empty (or zero, or flipped) value of each return type seen in the baseline
EMPTY_OF_TYPE: dict[str, tuple[str, str]] = {
    "str": ("extreme:empty-str", '""'),
    "bytes": ("extreme:empty-bytes", 'b""'),
    "int": ("extreme:zero", "0"),
    "float": ("extreme:zero", "0.0"),
    "list": ("extreme:empty-list", "[]"),
    "dict": ("extreme:empty-dict", "{}"),
    "set": ("extreme:empty-set", "set()"),
    "tuple": ("extreme:empty-tuple", "()"),
    "frozenset": ("extreme:empty-set", "frozenset()"),
}


@functools.cache
def returns_value(node: FunctionNode) -> bool:
    return any(isinstance(n, ast.Return) and n.value is not None and not (
        isinstance(n.value, ast.Constant) and n.value.value is None) for n in own_nodes(node))


@functools.cache
def is_generator(node: FunctionNode) -> bool:
    return any(isinstance(n, (ast.Yield, ast.YieldFrom)) for n in own_nodes(node))


def _with_body(span: FunctionSpan, body_src: str) -> FunctionNode:
    new = copy.copy(span.node)  # a new body list; decorators and arguments are shared
    body = ast.parse(body_src).body
    docstring = docstring_of(new.body)
    line = (docstring.end_lineno or docstring.lineno) + 1 if docstring else new.body[0].lineno
    for stmt in body:
        for sub in ast.walk(stmt):
            if hasattr(sub, "lineno"):
                sub.lineno = sub.end_lineno = line  # type: ignore[attr-defined]
                sub.col_offset = sub.end_col_offset = 0  # type: ignore[attr-defined]
    new.body = ([docstring] if docstring else []) + body
    return new


_NONE = ("none",)


def _outcome(body: list[ast.stmt]) -> tuple[object, ...] | None:
    """What a body that only returns a constant gives back, as (kind, type, value): a body
    that does nothing, or returns None, gives ``("none",)``; None for any other body."""
    if docstring_of(body):
        body = body[1:]
    if not body:
        return _NONE
    if len(body) != 1:
        return None
    stmt = body[0]
    if isinstance(stmt, ast.Pass) or (isinstance(stmt, ast.Expr) and isinstance(
            stmt.value, ast.Constant) and stmt.value.value is Ellipsis):
        return _NONE
    if isinstance(stmt, ast.Return):
        if stmt.value is None or (isinstance(stmt.value, ast.Constant)
                                  and stmt.value.value is None):
            return _NONE
        if isinstance(stmt.value, ast.Constant):
            return ("constant", type(stmt.value.value), stmt.value.value)
    return None


def extreme_mutants(span: FunctionSpan, return_types: set[str]) -> list[MutantSpec]:
    """Descartes' extreme mutants: the whole body replaced by the emptiest plausible answer;
    none that gives back what the function's own body already does (a ``return None``
    function and the ``pass`` mutant): it could not be told apart, so it would survive every
    test and call the function pseudo-tested for nothing."""
    specs = _extreme_mutants(span, return_types)
    if span.name == "__hash__":  # any constant is a valid hash: only slower, never wrong
        specs = [s for s in specs if s.operator == "extreme:none"]
    own = _outcome(span.node.body)
    return specs if own is None else [s for s in specs if _outcome(s.node.body) != own]


def _extreme_mutants(span: FunctionSpan, return_types: set[str]) -> list[MutantSpec]:
    node, line = span.node, span.def_line
    if is_generator(node):
        return [MutantSpec(span, "extreme:empty-generator", True, line,
                           "body replaced by an empty generator",
                           functools.partial(_with_body, span, "return\nyield"))]
    if not returns_value(node):
        return [MutantSpec(span, "extreme:pass", True, line, "body replaced by `pass`",
                           functools.partial(_with_body, span, "pass"))]
    out = [MutantSpec(span, "extreme:none", True, line, "body replaced by `return None`",
                      functools.partial(_with_body, span, "return None"))]
    seen: set[str] = set()
    for type_name in sorted(return_types):
        if type_name == "bool":
            for value in ("True", "False"):
                out.append(MutantSpec(span, f"extreme:{value.lower()}", True, line,
                                      f"body replaced by `return {value}`",
                                      functools.partial(_with_body, span, f"return {value}")))
        elif type_name in EMPTY_OF_TYPE:
            operator, value = EMPTY_OF_TYPE[type_name]
            if value in seen:
                continue
            seen.add(value)
            out.append(MutantSpec(span, operator, True, line,
                                  f"body replaced by `return {value}`",
                                  functools.partial(_with_body, span, f"return {value}")))
    return out


# ---------------------------------------------------------------------------- classic operators

_COMPARE_SWAP: dict[type, type] = {
    ast.Lt: ast.LtE, ast.LtE: ast.Lt, ast.Gt: ast.GtE, ast.GtE: ast.Gt, ast.Eq: ast.NotEq,
    ast.NotEq: ast.Eq, ast.In: ast.NotIn, ast.NotIn: ast.In, ast.Is: ast.IsNot,
    ast.IsNot: ast.Is,
}
_BINOP_SWAP: dict[type, type] = {
    ast.Add: ast.Sub, ast.Sub: ast.Add, ast.Mult: ast.Div, ast.Div: ast.Mult,
    ast.FloorDiv: ast.Mult, ast.Mod: ast.FloorDiv, ast.Pow: ast.Mult, ast.BitAnd: ast.BitOr,
    ast.BitOr: ast.BitAnd, ast.LShift: ast.RShift, ast.RShift: ast.LShift,
}
_SYMBOL: dict[type, str] = {ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=", ast.Eq: "==",
           ast.NotEq: "!=", ast.In: "in", ast.NotIn: "not in", ast.Is: "is",
           ast.IsNot: "is not", ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/",
           ast.FloorDiv: "//", ast.Mod: "%", ast.Pow: "**", ast.BitAnd: "&", ast.BitOr: "|",
           ast.LShift: "<<", ast.RShift: ">>", ast.And: "and", ast.Or: "or"}
_LOGGING_ROOTS = {"logging", "logger", "log", "_log", "_logger", "LOGGER", "LOG", "warnings"}

Edit = Callable[[ast.AST], None]


@dataclass(frozen=True)
class _Candidate:
    index: int  # position in ast.walk order of the function node
    line: int
    operator: str
    description: str
    edit: Edit


def _is_logging_call(node: ast.AST) -> bool:
    if not isinstance(node, ast.Call):
        return False
    func = node.func
    while isinstance(func, ast.Attribute):
        func = func.value
    return (isinstance(func, ast.Name) and func.id in _LOGGING_ROOTS) or (
        isinstance(node.func, ast.Name) and node.func.id == "print")


def _bare_super_init(call: ast.Call) -> bool:
    """``super().__init__()`` without arguments. Removing it is equivalent when the parent is
    ``object`` or a builtin (a ``dict`` subclass starts empty anyway), and otherwise only
    crashes the tests with a missing attribute; it is not worth a mutant."""
    func = call.func
    return not call.args and not call.keywords and isinstance(func, ast.Attribute) and \
        func.attr == "__init__" and isinstance(func.value, ast.Call) and \
        isinstance(func.value.func, ast.Name) and func.value.func.id == "super" and \
        not func.value.args


def _set_attr(name: str, value: object) -> Edit:
    def edit(node: ast.AST) -> None:
        setattr(node, name, value)
    return edit


def _double_not(node: ast.AST) -> None:
    """`not x` -> `not not x`, which is bool(x)."""
    assert isinstance(node, ast.UnaryOp)
    node.operand = ast.UnaryOp(op=ast.Not(), operand=node.operand)


def _candidates(node: FunctionNode, docstrings: set[int]) -> Iterator[_Candidate]:
    for index, sub in enumerate(ast.walk(node)):
        line = getattr(sub, "lineno", None)
        if line is None or sub is node:
            continue
        if isinstance(sub, ast.Compare) and len(sub.ops) == 1 and type(sub.ops[0]) in \
                _COMPARE_SWAP:
            cmp_old: type = type(sub.ops[0])
            cmp_new = _COMPARE_SWAP[cmp_old]
            yield _Candidate(index, line, "compare",
                             f"`{_SYMBOL[cmp_old]}` -> `{_SYMBOL[cmp_new]}`",
                             _set_attr("ops", [cmp_new()]))
        elif isinstance(sub, ast.BoolOp):
            new_op = ast.Or if isinstance(sub.op, ast.And) else ast.And
            yield _Candidate(index, line, "boolean",
                             f"`{_SYMBOL[type(sub.op)]}` -> `{_SYMBOL[new_op]}`",
                             _set_attr("op", new_op()))
        elif isinstance(sub, ast.UnaryOp) and isinstance(sub.op, ast.Not):
            yield _Candidate(index, line, "boolean", "`not x` -> `x`",
                             _double_not)
        elif isinstance(sub, (ast.BinOp, ast.AugAssign)) and type(sub.op) in _BINOP_SWAP:
            op_old: type = type(sub.op)
            op_new = _BINOP_SWAP[op_old]
            yield _Candidate(index, line, "arithmetic",
                             f"`{_SYMBOL[op_old]}` -> `{_SYMBOL[op_new]}`",
                             _set_attr("op", op_new()))
        elif isinstance(sub, ast.Constant) and id(sub) not in docstrings:
            value = sub.value
            if isinstance(value, bool):
                yield _Candidate(index, line, "constant", f"`{value}` -> `{not value}`",
                                 _set_attr("value", not value))
            elif isinstance(value, int):
                yield _Candidate(index, line, "constant", f"`{value}` -> `{value + 1}`",
                                 _set_attr("value", value + 1))
            elif isinstance(value, float):
                new_float = 0.0 if value != 0.0 else 1.0
                yield _Candidate(index, line, "constant", f"`{value}` -> `{new_float}`",
                                 _set_attr("value", new_float))
            elif isinstance(value, str) and value:
                shown = f"`{value[:20]!r}` -> `{('XX' + value[:20] + 'XX')!r}`"
                yield _Candidate(index, line, "string", shown,
                                 _set_attr("value", "XX" + value + "XX"))
        elif isinstance(sub, ast.Return) and sub.value is not None and not (
                isinstance(sub.value, ast.Constant) and sub.value.value is None):
            yield _Candidate(index, line, "return", "`return x` -> `return None`",
                             _set_attr("value", ast.Constant(value=None)))
        elif isinstance(sub, ast.Expr) and isinstance(sub.value, ast.Call) and \
                not _is_logging_call(sub.value) and not _bare_super_init(sub.value):
            yield _Candidate(index, line, "remove-call", "call statement removed",
                             _set_attr("value", ast.Constant(value=None)))
        elif isinstance(sub, ast.Break):
            yield _Candidate(index, line, "loop", "`break` -> `continue`",
                             lambda n: setattr(n, "__class__", ast.Continue))
        elif isinstance(sub, ast.Continue):
            yield _Candidate(index, line, "loop", "`continue` -> `break`",
                             lambda n: setattr(n, "__class__", ast.Break))


_PRIORITY = {"compare": 0, "boolean": 1, "arithmetic": 2, "return": 3, "constant": 4,
             "remove-call": 5, "loop": 6, "string": 7}


def classic_mutants(span: FunctionSpan, source_lines: list[str], full: bool) -> list[MutantSpec]:
    """Line-level mutants; at most one per line unless ``full``."""
    return list(_classic_mutants(span, tuple(source_lines[span.first_line - 1:span.end_line]),
                                 full))


@functools.cache
def _classic_mutants(span: FunctionSpan, own_lines: tuple[str, ...], full: bool
                     ) -> tuple[MutantSpec, ...]:
    """Remembered per function (its node, so one version of its text): a ``--watch``
    watcher computes them once, while it waits, for every round of the files not edited."""
    node = span.node
    docstrings: set[int] = set()
    logging_lines: set[int] = set()
    for sub in ast.walk(node):
        body = getattr(sub, "body", None)
        docstring = docstring_of(body) if isinstance(body, list) else None
        if docstring is not None:
            docstrings.add(id(docstring.value))
        if isinstance(sub, ast.Expr) and _is_logging_call(sub.value):
            for inner in ast.walk(sub):
                if hasattr(inner, "lineno"):
                    logging_lines.add(inner.lineno)  # type: ignore[attr-defined]
    candidates = [c for c in _candidates(node, docstrings)
                  if c.line not in logging_lines and span.def_line < c.line <= span.end_line
                  and NO_MUTATE not in own_lines[c.line - span.first_line]]
    candidates.sort(key=lambda c: (c.line, _PRIORITY[c.operator], c.index))
    out: list[MutantSpec] = []
    used_lines: set[int] = set()
    seen: dict[tuple[int, str, str], int] = {}
    for cand in candidates:
        if not full and cand.line in used_lines:
            continue
        used_lines.add(cand.line)
        # two of a kind on one line (``{'id': r['id']}``) need ids of their own
        key = (cand.line, cand.operator, cand.description)
        seen[key] = same = seen.get(key, 0) + 1
        description = cand.description if same == 1 else \
            f"{cand.description} (occurrence {same} on the line)"
        out.append(MutantSpec(span, cand.operator, False, cand.line, description,
                              functools.partial(_apply, node, cand)))
    return tuple(out)


@functools.cache
def _walk(node: FunctionNode) -> tuple[ast.AST, ...]:
    return tuple(ast.walk(node))


@functools.cache
def _parents(node: FunctionNode) -> dict[int, ast.AST]:
    return {id(child): parent for parent in _walk(node)
            for child in ast.iter_child_nodes(parent)}


def _apply(node: FunctionNode, cand: _Candidate) -> FunctionNode:
    """The function with one node edited. Only the edited node and its ancestors are
    copied (shallow copies, their lists of children rebuilt); every other node is shared
    with the original, which stays as it was: an edit only sets attributes of its own
    node, and compiling does not change a tree. A deep copy of the whole function cost more
    than running a fast test."""
    old = _walk(node)[cand.index]
    new = copy.copy(old)
    cand.edit(new)
    for sub in ast.walk(new):  # nodes the edit created take the edited node's place
        if "lineno" in sub._attributes and not hasattr(sub, "lineno"):
            ast.copy_location(sub, old)
    parents = _parents(node)
    while old is not node:
        parent = parents[id(old)]
        copied = copy.copy(parent)
        for name, value in ast.iter_fields(parent):
            if value is old:
                setattr(copied, name, new)
            elif isinstance(value, list) and any(v is old for v in value):
                setattr(copied, name, [new if v is old else v for v in value])
        old, new = parent, copied
    assert isinstance(new, (ast.FunctionDef, ast.AsyncFunctionDef))
    return new
