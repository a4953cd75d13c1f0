"""``refute.static.nodes.walk`` is ``list(ast.walk(node))`` without the expression contexts,
node for node, on real files, and ``children`` is ``ast.iter_child_nodes`` without them;
``own_nodes`` is a function's body without what is nested in it."""

from __future__ import annotations

import ast
import sysconfig
from pathlib import Path

from refute.static.nodes import children, own_nodes, walk

STDLIB = Path(sysconfig.get_paths()["stdlib"])


def _no_contexts(nodes: list[ast.AST]) -> list[ast.AST]:
    return [n for n in nodes if not isinstance(n, ast.expr_context)]


def test_walk_yields_what_ast_walk_yields_in_the_same_order() -> None:
    # files with every kind of syntax between them: match statements, f-strings, async,
    # comprehensions, decorators, annotations, type comments, star expressions
    names = ["ast.py", "asyncio/tasks.py", "dataclasses.py", "typing.py", "test/test_grammar.py",
             "test/test_patma.py", "test/test_fstring.py"]
    compared = 0
    for name in names:
        tree = ast.parse((STDLIB / name).read_bytes(), type_comments=True)
        expected = _no_contexts(list(ast.walk(tree)))
        got = walk(tree)
        assert [type(n).__name__ for n in got] == [type(n).__name__ for n in expected], name
        assert all(a is b for a, b in zip(got, expected, strict=True)), name
        compared += len(expected)
    assert compared > 40_000


def test_walk_of_a_leaf_and_of_a_subtree() -> None:
    tree = ast.parse("total = price * (1 + rate)")
    assign = tree.body[0]
    assert isinstance(assign, ast.Assign)
    assert [type(n).__name__ for n in walk(assign.value)] == [
        "BinOp", "Name", "Mult", "BinOp", "Constant", "Add", "Name"]
    # the contexts are there, where the tree holds them
    assert [type(n.ctx).__name__ for n in walk(assign) if isinstance(n, ast.Name)] == [
        "Store", "Load", "Load"]
    constant = next(n for n in walk(tree) if isinstance(n, ast.Constant))
    assert walk(constant) == [constant]


def test_walk_of_a_node_made_by_hand_without_all_its_fields() -> None:
    # on 3.10-3.12 a field left out is missing, not empty: the walk reads what is there
    call = ast.Call(func=ast.Name(id="total", ctx=ast.Load()),
                    args=[ast.Constant(value=2), ast.Constant(value=3)])
    assert [type(n).__name__ for n in walk(ast.Expr(value=call))] == [
        "Expr", "Call", "Name", "Constant", "Constant"]
    assert [type(n).__name__ for n in walk(ast.Dict(keys=[None], values=[call]))] == [
        "Dict", "Call", "Name", "Constant", "Constant"]


def test_children_are_the_child_nodes_without_contexts_on_real_files() -> None:
    compared = 0
    for name in ["typing.py", "test/test_patma.py", "test/test_fstring.py"]:
        tree = ast.parse((STDLIB / name).read_bytes(), type_comments=True)
        for node in ast.walk(tree):
            expected = _no_contexts(list(ast.iter_child_nodes(node)))
            got = children(node)
            assert [id(n) for n in got] == [id(n) for n in expected], ast.dump(node)[:80]
            compared += 1
    assert compared > 20_000


def test_children_of_leaves_and_of_nodes_made_by_hand() -> None:
    tree = ast.parse("from pkg import part as alias\nglobal counter\nx = {**base, 'k': 1}")
    imported, declared, assign = tree.body
    assert children(imported) == imported.names  # type: ignore[attr-defined]
    assert children(imported.names[0]) == []  # type: ignore[attr-defined]  # names only
    assert children(declared) == []  # so does global
    assert children(ast.Constant(value=3)) == []
    display = assign.value  # type: ignore[attr-defined]
    # a dict's keys hold None for `**base`: children are the nodes only, keys first
    assert [type(n).__name__ for n in children(display)] == ["Constant", "Name", "Constant"]
    made = ast.Call(func=ast.Name(id="total", ctx=ast.Load()), args=[ast.Constant(value=2)])
    assert [type(n).__name__ for n in children(made)] == ["Name", "Constant"]


def _own_nodes_reference(node: ast.FunctionDef | ast.AsyncFunctionDef) -> list[ast.AST]:
    """What ``own_nodes`` computes, with ``ast.iter_child_nodes``."""
    nested = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)
    out: list[ast.AST] = []
    stack: list[ast.AST] = [s for s in node.body if not isinstance(s, nested)]
    while stack:
        current = stack.pop()
        out.append(current)
        stack.extend(c for c in ast.iter_child_nodes(current)
                     if not isinstance(c, (*nested, ast.expr_context)))
    return out


def test_own_nodes_are_those_of_the_reference_definition_on_real_files() -> None:
    compared = 0
    for name in ["ast.py", "asyncio/tasks.py", "dataclasses.py", "test/test_grammar.py"]:
        tree = ast.parse((STDLIB / name).read_bytes())
        for fn in walk(tree):
            if isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
                expected = _own_nodes_reference(fn)
                got = own_nodes(fn)
                assert all(a is b for a, b in zip(got, expected, strict=True)), fn.name
                compared += len(got)
    assert compared > 15_000


def test_own_nodes_leave_out_nested_definitions_and_their_bodies() -> None:
    tree = ast.parse(
        "def outer(x):\n"
        "    def inner():\n"
        "        return 1\n"
        "    key = lambda v: v\n"
        "    class Box:\n"
        "        size = 2\n"
        "    return x\n")
    outer = tree.body[0]
    assert isinstance(outer, ast.FunctionDef)
    assert [type(n).__name__ for n in own_nodes(outer)] == [
        "Return", "Name", "Assign", "Name"]


def test_a_function_whose_nested_function_returns_and_raises_does_not() -> None:
    from refute.static.index import ProjectIndex
    from refute.static.module import build_tables

    tree = ast.parse(
        "def register(registry):\n"
        "    def callback(event):\n"
        "        if not event:\n"
        "            raise ValueError(event)\n"
        "        return event.upper()\n"
        "    registry.append(callback)\n"
        "def parse(text):\n"
        "    if not text:\n"
        "        raise ValueError(text)\n"
        "    return [part.strip() for part in text.split(',')]\n")
    index = ProjectIndex()
    index.add_source(build_tables("pkg/hooks.py", tree))
    register = index.functions["pkg.hooks.register"]
    assert (register.returns_value, register.raises) == (False, ())
    parse = index.functions["pkg.hooks.parse"]
    assert (parse.returns_value, parse.raises) == (True, ("ValueError",))
