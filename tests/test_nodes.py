"""``refute.static.nodes.walk`` is ``list(ast.walk(node))``, node for node, on real files."""

from __future__ import annotations

import ast
import sysconfig
from pathlib import Path

from refute.static.nodes import walk

STDLIB = Path(sysconfig.get_paths()["stdlib"])


def test_walk_yields_what_ast_walk_yields_in_the_same_order() -> None:
    # files with every kind of syntax between them: match statements, f-strings, async,
    # comprehensions, decorators, annotations, type comments, star expressions
    names = ["ast.py", "asyncio/tasks.py", "dataclasses.py", "typing.py", "test/test_grammar.py",
             "test/test_patma.py", "test/test_fstring.py"]
    compared = 0
    for name in names:
        tree = ast.parse((STDLIB / name).read_bytes(), type_comments=True)
        expected = list(ast.walk(tree))
        got = walk(tree)
        assert [type(n).__name__ for n in got] == [type(n).__name__ for n in expected], name
        assert all(a is b for a, b in zip(got, expected, strict=True)), name
        compared += len(expected)
    assert compared > 60_000


def test_walk_of_a_leaf_and_of_a_subtree() -> None:
    tree = ast.parse("total = price * (1 + rate)")
    assign = tree.body[0]
    assert isinstance(assign, ast.Assign)
    assert [type(n).__name__ for n in walk(assign.value)] == [
        "BinOp", "Name", "Mult", "BinOp", "Load", "Constant", "Add", "Name", "Load"]
    constant = next(n for n in walk(tree) if isinstance(n, ast.Constant))
    assert walk(constant) == [constant]
