"""``walk``: every node under a node, as ``ast.walk`` yields them but for the expression
contexts, as a list, faster.

``ast.walk`` runs three Python generators per node (``walk``, ``iter_child_nodes``,
``iter_fields``) and looks at every field, names and numbers included. The audit walks
hundreds of thousands of subtrees (every argument handed to the code under test, every
test body), so this version keeps one list as its queue and reads, for each node type,
only the fields that can hold nodes. The order is ``ast.walk``'s (breadth first, fields in
declaration order), which a test checks on whole files.

The ``ctx`` of a name, attribute, subscript, starred expression, list or tuple (``Load``,
``Store``, ``Del``) is not yielded: a third of a test's nodes, which no part of the audit
looks for in a walk (it asks ``name.ctx`` of the name), and which where it stands follows
from the tree (a target stores, a ``del`` deletes, everything else loads).
"""

from __future__ import annotations

import ast

# fields that never hold a node, whatever the node type (identifiers, numbers, flags), and
# the expression contexts, which are not walked (see above); not ``name``, which is a node in
# 3.12's ``TypeAlias``
_SCALAR = frozenset({"id", "attr", "arg", "asname", "module", "level", "kind", "type_comment",
                     "conversion", "is_async", "simple", "tag", "ctx"})
_FIELDS: dict[type, tuple[str, ...]] = {ast.Constant: ()}


def _fields_of(kind: type) -> tuple[str, ...]:
    fields = tuple(f for f in kind._fields if f not in _SCALAR)  # type: ignore[attr-defined]
    _FIELDS[kind] = fields
    return fields


def node_fields(kind: type) -> tuple[str, ...]:
    """The fields of a node type that may hold nodes (or lists of them)."""
    fields = _FIELDS.get(kind)
    return fields if fields is not None else _fields_of(kind)


def walk(node: ast.AST) -> list[ast.AST]:
    """``walk(node)``."""
    out = [node]
    fields_of = _FIELDS.get
    append = out.append
    AST = ast.AST
    for current in out:  # the list grows while it is read: a queue without a deque
        fields = fields_of(type(current))
        if fields is None:
            fields = _fields_of(type(current))
        for name in fields:
            value = getattr(current, name, None)
            if isinstance(value, AST):
                append(value)
            elif isinstance(value, list):
                for item in value:
                    if isinstance(item, AST):
                        append(item)
    return out


_NESTED = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)


def own_nodes(node: ast.FunctionDef | ast.AsyncFunctionDef) -> list[ast.AST]:
    """The nodes of a function's body, not those of the functions, lambdas and classes
    nested in it (nor the nested definitions themselves), last statement first; no
    expression contexts, as in ``walk``."""
    out: list[ast.AST] = []
    stack: list[ast.AST] = [stmt for stmt in node.body if not isinstance(stmt, _NESTED)]
    fields_of = _FIELDS.get
    AST = ast.AST
    while stack:
        current = stack.pop()
        out.append(current)
        fields = fields_of(type(current))
        if fields is None:
            fields = _fields_of(type(current))
        for name in fields:
            value = getattr(current, name, None)
            if isinstance(value, AST):
                if not isinstance(value, _NESTED):
                    stack.append(value)
            elif isinstance(value, list):
                stack.extend(item for item in value
                             if isinstance(item, AST) and not isinstance(item, _NESTED))
    return out
