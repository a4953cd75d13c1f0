"""RF103 existence-only: every assertion on the code's output only checks that it exists.

What it does
    Flags a test whose assertions on values from the code under test are all of the form
    ``is not None``, truthiness, ``isinstance``/``type`` (also ``type(x).__name__``,
    ``x.__class__``), ``hasattr``, ``len(x) > 0``, key presence (``"id" in payload``),
    ``x in (True, False)``, or an ``or`` with such a check on the same value as one side
    (``x is not None or x == []`` holds for any x but None; an implication on another value,
    ``rich is not None or fmt is plain``, is specific). Reported only when no other
    assertion of the test compares something specific.

Why is this bad
    Any non-empty, well-typed result passes: the wrong user, a stale cache entry, a payload with
    every field garbled. The test can fail only when the code returns nothing at all.

Example
    def test_get_user():
        user = service.get_user(42)
        assert user is not None
        assert isinstance(user, dict)
        assert "email" in user

Use instead
    def test_get_user():
        assert service.get_user(42) == {"id": 42, "email": "ann@example.com"}
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from refute.model import Severity
from refute.static.facts import Check, Kind, Src, Strength, all_nodes
from refute.static.module import imported_origin
from refute.static.names import dotted, is_none, leaf
from refute.static.nodes import walk
from refute.static.rules.base import (
    Hit,
    Part,
    TestView,
    caught_exception,
    depends_on_code,
    each_check,
    expr_parts,
    is_empty_literal,
    is_predicate_expr,
    project_function,
    render,
    specific_exception_classes,
)

CODE = "RF103"
NAME = "existence-only"
SEVERITY = Severity.WARNING
PHASE = 1


def _is_len(node: ast.expr) -> bool:
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and \
        node.func.id == "len"


def _is_type_call(node: ast.expr) -> bool:
    """The type of a value, or its name: ``type(x)``, ``x.__class__``,
    ``type(x).__name__``, ``x.__class__.__qualname__``. Not the test's own class
    (``self.__class__.__name__ == "Tester"`` checks that a class decorator kept the class it
    decorated: that is the result)."""
    if isinstance(node, ast.Attribute) and node.attr in ("__name__", "__qualname__"):
        node = node.value
    if isinstance(node, ast.Attribute):
        return node.attr == "__class__" and not _on_self(node.value)
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and \
        node.func.id == "type" and len(node.args) == 1


def _on_self(node: ast.expr) -> bool:
    while isinstance(node, (ast.Attribute, ast.Subscript, ast.Call)):
        node = node.func if isinstance(node, ast.Call) else node.value
    return isinstance(node, ast.Name) and node.id in ("self", "cls")


def _is_bools(node: ast.expr) -> bool:
    """A literal ``(True, False)``, ``[False, True]`` or ``{True, False}``."""
    return isinstance(node, (ast.Tuple, ast.List, ast.Set)) and len(node.elts) == 2 and all(
        isinstance(e, ast.Constant) and isinstance(e.value, bool) for e in node.elts) and \
        {e.value for e in node.elts if isinstance(e, ast.Constant)} == {True, False}


def _a_match(view: TestView, node: ast.expr) -> bool:
    """A call of the project's function that gives a regular expression's match or None
    (oauthlib's ``is_absolute_uri``): whether it is None is its whole answer."""
    fn = project_function(view, node) if isinstance(node, ast.Call) else None
    return fn is not None and fn.returns_match


def _int(node: ast.expr | None) -> int | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, int) and \
            not isinstance(node.value, bool):
        return node.value
    return None


def existence_form(view: TestView, part: Part) -> str | None:
    """Describe ``part`` when it only checks existence, type or presence; else None."""
    left, lval = part.left
    right = part.right[0] if part.right else None
    op = part.op
    if op in ("is not", "!=", "not is") and right is not None and is_none(right):
        return None if _a_match(view, left) else f"`{render(left)} is not None`"
    if op in ("is not", "!=") and is_none(left) and right is not None:
        return None if _a_match(view, right) else f"`{render(right)} is not None`"
    if op == "!=" and right is not None and is_empty_literal(right):
        return f"`{render(left)} != {render(right)}`"
    if op == "truth":
        if _is_len(left):
            return f"`{render(left)}` is non-zero"
        if lval.src & Src.SUT and not is_predicate_expr(view, left) and \
                not _bool_flag(view, left):
            return f"truthiness of `{render(left)}`"
        return None
    if op in ("isinstance", "issubclass"):
        if right is not None and caught_exception(view, left) is not None and \
                specific_exception_classes(right):
            # `with raises(Exception) as ctx: ...` then `isinstance(ctx.value, ResponseError)`:
            # which exception came is the outcome
            return None
        if right is not None and _project_error(view, right):
            # `isinstance(url(value), ValidationError)`: the code's answer is one of its own
            # error objects, a specific outcome as a specific exception is
            return None
        return f"`isinstance({render(left)}, ...)`"
    if op == "hasattr":
        return f"`hasattr({render(left)}, ...)`"
    if op == "callable":
        return f"`callable({render(left)})`"
    if op in ("==", "is", "in", "not in") and _is_type_call(left):
        return f"`{render(part.node or left)}` (a type check)"
    if _is_len(left) and right is not None:
        n = _int(right)
        if n is not None and ((op == ">" and n == 0) or (op == ">=" and n == 1) or
                              (op == "!=" and n == 0)):
            return f"`{render(left)} {op} {n}`"
    if op == "in" and part.right is not None and _is_bools(part.right[0]):
        return f"`{render(part.node or left)}` (true for any bool)"
    if op == "in" and part.right is not None:
        container, cval = part.right
        if isinstance(left, ast.Constant) and isinstance(left.value, str) and \
                left.value.isidentifier():
            keys = isinstance(container, ast.Call) and isinstance(container.func, ast.Attribute) \
                and container.func.attr == "keys"
            if keys or cval.dictlike or _subscripted_elsewhere(view, container) or \
                    _dictish_name(container):
                return f"key presence `{render(left)} in {render(container)}`"
    return None


_DICTISH = {"payload", "data", "result", "response", "resp", "body", "json", "record", "row",
            "dict", "mapping", "config", "cfg", "params", "headers", "kwargs", "attrs", "fields",
            "meta", "metadata", "context", "ctx", "doc", "document", "info", "profile",
            "settings", "environ", "env", "schema", "options", "opts", "parsed", "decoded",
            "serialized", "output", "out", "obj", "item", "entry", "user", "event", "message"}


# attributes that hold text wherever they appear (click's `result.output`, a capture's
# `.out`/`.err`, `response.text`, an exception's `.message`): `"Hello" in result.output`
# finds a word in the output, it does not ask for a key
_TEXT_ATTRIBUTES = {"output", "out", "err", "stdout", "stderr", "text", "message", "msg"}


def _dictish_name(node: ast.expr) -> bool:
    if isinstance(node, ast.Attribute) and node.attr.lower() in _TEXT_ATTRIBUTES:
        return False
    name = node.id if isinstance(node, ast.Name) else (
        node.attr if isinstance(node, ast.Attribute) else "")
    lowered = name.lower()
    return lowered in _DICTISH or lowered.endswith(("_dict", "_map", "_data", "payload", "_json"))


def _bool_flag(view: TestView, node: ast.expr) -> bool:
    """A name the test only ever sets to ``True``/``False`` (a flag set by a branch)."""
    if not isinstance(node, ast.Name):
        return False
    values = [sub.value for sub in all_nodes(view.facts.node)
              if isinstance(sub, ast.Assign) and any(
                  isinstance(t, ast.Name) and t.id == node.id for t in sub.targets)]
    return bool(values) and all(
        isinstance(v, ast.Constant) and isinstance(v.value, bool) for v in values)


def _subscripted_elsewhere(view: TestView, container: ast.expr) -> bool:
    text = ast.dump(container)
    for node in all_nodes(view.facts.node):
        if isinstance(node, ast.Subscript) and ast.dump(node.value) == text and \
                isinstance(node.slice, ast.Constant) and isinstance(node.slice.value, str):
            return True
    return False


def _on_code(parts: list[Part]) -> list[Part]:
    """The comparisons with an operand from the code under test."""
    return [p for p in parts if depends_on_code(p.left[1]) or
            (p.right is not None and depends_on_code(p.right[1]))]


def _weakest_disjunct(view: TestView, chk: Check, part: Part) -> str | None:
    """An ``or`` holds whenever one of its sides does: it checks no more than its weakest
    side (``result is not None or result == []`` passes for any result but None)."""
    left = part.left[0]
    if part.op != "truth" or not (isinstance(left, ast.BoolOp) and isinstance(left.op, ast.Or)):
        return None
    for value in left.values:
        sub = _on_code(expr_parts(chk, value))
        forms = [existence_form(view, p) for p in sub]
        if sub and all(forms) and all(_mentions(other, _subjects(sub))
                                      for other in left.values if other is not value):
            return f"`{render(left)}` (true whenever {', '.join(f for f in forms if f)} is)"
    return None


def _subjects(parts: list[Part]) -> set[str]:
    """The values an existence check is about (``None`` and types left out)."""
    out = set()
    for part in parts:
        for node in (part.left[0], part.right[0] if part.right else None):
            if node is not None and not is_none(node) and not (
                    part.op in ("isinstance", "issubclass", "hasattr") and node is not
                    part.left[0]):
                out.add(ast.dump(node))
    return out


def _mentions(expr: ast.expr, subjects: set[str]) -> bool:
    """Whether ``expr`` reads one of the subjects: ``result is not None or result == []``
    is about one value; ``rich is not None or formatter is better`` is an implication (if
    there is no rich, the formatter is the other one) and checks something specific."""
    return any(ast.dump(node) in subjects for node in walk(expr) if isinstance(node, ast.expr))


def check(view: TestView) -> Iterator[Hit]:
    for chk in each_check(view, Kind.ASSERT, Kind.UNITTEST):
        parts = view.parts(chk)
        relevant = _on_code(parts)
        if not relevant:
            continue
        forms = [existence_form(view, p) or _weakest_disjunct(view, chk, p) for p in relevant]
        if all(forms):
            what = ", ".join(f for f in forms if f)
            yield Hit(chk.line, chk.col,
                      f"existence-only: {what} passes for any non-empty result; compare the "
                      "value itself", chk, Strength.WEAK, decisive_only=True)


_ERROR_SUFFIXES = ("Error", "Exception", "Failure", "Warning")


def _project_error(view: TestView, node: ast.expr) -> bool:
    """Whether ``node`` names an exception class of the project's own source."""
    name = dotted(node)
    origin = (imported_origin(view.facts.imports, name) or view.module.origin(name)) \
        if name else ""
    cls = view.index.lookup_class(origin) if origin else None
    for _ in range(8):  # up the chain of the project's own bases
        if cls is None:
            return False
        if any(leaf(base).endswith(_ERROR_SUFFIXES) for base in cls.bases):
            return True
        cls = next((found for base in cls.bases
                    if (found := view.index.lookup_class(base)) is not None), None)
    return False
