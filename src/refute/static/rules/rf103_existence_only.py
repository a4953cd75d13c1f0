"""RF103 existence-only: every assertion on the code's output only checks that it exists.

What it does
    Flags a test whose assertions on values from the code under test are all of the form
    ``is not None``, truthiness, ``isinstance``/``type``, ``hasattr``, ``len(x) > 0`` or key
    presence (``"id" in payload``). Reported only when no other assertion of the test compares
    something specific.

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
from refute.static.facts import Kind, Src, Strength, all_nodes
from refute.static.rules.base import (
    Hit,
    Part,
    TestView,
    depends_on_code,
    each_check,
    is_empty_literal,
    is_none,
    is_predicate_expr,
    render,
)

CODE = "RF103"
NAME = "existence-only"
SEVERITY = Severity.WARNING
PHASE = 1


def _is_len(node: ast.expr) -> bool:
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and \
        node.func.id == "len"


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
        return f"`{render(left)} is not None`"
    if op in ("is not", "!=") and is_none(left) and right is not None:
        return f"`{render(right)} is not None`"
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
        return f"`isinstance({render(left)}, ...)`"
    if op == "hasattr":
        return f"`hasattr({render(left)}, ...)`"
    if op == "callable":
        return f"`callable({render(left)})`"
    if op in ("==", "is") and isinstance(left, ast.Call) and isinstance(left.func, ast.Name) \
            and left.func.id == "type":
        return f"`{render(part.node or left)}` (a type check)"
    if _is_len(left) and right is not None:
        n = _int(right)
        if n is not None and ((op == ">" and n == 0) or (op == ">=" and n == 1) or
                              (op == "!=" and n == 0)):
            return f"`{render(left)} {op} {n}`"
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


def _dictish_name(node: ast.expr) -> bool:
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


def check(view: TestView) -> Iterator[Hit]:
    for chk in each_check(view, Kind.ASSERT, Kind.UNITTEST):
        parts = view.parts(chk)
        relevant = [p for p in parts if depends_on_code(p.left[1]) or
                    (p.right is not None and depends_on_code(p.right[1]))]
        if not relevant:
            continue
        forms = [existence_form(view, p) for p in relevant]
        if all(forms):
            what = ", ".join(f for f in forms if f)
            yield Hit(chk.line, chk.col,
                      f"existence-only: {what} passes for any non-empty result; compare the "
                      "value itself", chk, Strength.WEAK, decisive_only=True)
