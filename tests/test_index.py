"""The project index built by worker processes is the index one process builds.

With several jobs and enough source files, ``build_index`` has workers summarise the source
while the main process parses the test-side files. What the rules read of the index (the
source facts, the order of its functions and of the modules re-exporting a name) must not
depend on how many processes built it, nor may a file that cannot be parsed stop it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import write
from refute.static.context import CheckOptions, prepare
from refute.static.engine import PARALLEL_THRESHOLD, build_index

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="workers are forked")


def _project(root: Path, modules: int) -> Path:
    files = {"pyproject.toml": '[tool.pytest.ini_options]\ntestpaths = ["tests"]\n',
             "shop/__init__.py": "from shop.m0 import f0\nfrom shop.m1 import f1\n",
             "shop/broken.py": "def oops(:\n",
             "shop/testing.py": "import unittest\n\n\nclass Ns:\n"
                                "    class Asserts(unittest.TestCase):\n"
                                "        def assertOk(self, x):\n"
                                "            self.assertTrue(x)\n",
             "tests/conftest.py": "import pytest\n\n\n@pytest.fixture\ndef price():\n"
                                  "    return 3\n",
             "tests/test_shop.py": "from shop import f0\n\n\ndef test_f0(price):\n"
                                   "    assert f0(price) == 3\n"}
    for i in range(modules):
        files[f"shop/m{i}.py"] = (
            f"from shop.m{(i + 1) % modules} import f{(i + 1) % modules}\n\n\n"
            f"def f{i}(x, *, scale={i}):\n    if x < 0:\n        raise ValueError(x)\n"
            f"    return x * scale\n\n\nclass C{i}:\n    def __init__(self, n):\n"
            f"        self.n = n\n\n    def get(self):\n        return self.n\n")
    return write(root, files)


def _index_view(root: Path, jobs: int) -> tuple[object, ...]:
    ctx = prepare([str(root)], CheckOptions())
    index = build_index(ctx, jobs)
    return (index.source_facts(), list(index.source_modules), list(index.functions),
            list(index.classes), {k: list(v) for k, v in index.reexports.items()},
            sorted(index.conftests), [f.line for f in index.functions.values()],
            {name: [(rel, names) for _, rel, names in found]
             for name, found in index.test_bases.items()},
            [(cls.name, mod.dotted) for cls, mod in [index.test_base("Asserts")] if cls])


def test_workers_build_the_index_one_process_builds(tmp_path: Path) -> None:
    root = _project(tmp_path, PARALLEL_THRESHOLD + 8)
    alone = _index_view(root, 1)
    assert _index_view(root, 2) == alone
    assert _index_view(root, 3) == alone
    _, modules, functions, classes, reexports, conftests, lines, test_bases, found = alone
    assert len(modules) == PARALLEL_THRESHOLD + 10  # every module but the broken one
    assert "shop.broken" not in modules
    assert functions[:3] == ["shop.m0.f0", "shop.m1.f1", "shop.m10.f10"]  # file order
    assert classes[:3] == ["shop.m0.C0", "shop.m1.C1", "shop.m10.C10"]
    assert modules[:3] == ["shop", "shop.m0", "shop.m1"]
    assert reexports["shop.m0.f0"] == ["shop", f"shop.m{PARALLEL_THRESHOLD + 7}"]
    assert conftests == ["tests"]
    assert set(lines) == {4}
    # a TestCase subclass of the source, nested in a class: where it is, and the class
    # itself from its file parsed again when a test class needs it
    assert test_bases == {"Asserts": [("shop/testing.py", ("Ns", "Asserts"))]}
    assert found == [("Asserts", "shop.testing")]


def test_a_small_project_is_indexed_in_process(tmp_path: Path) -> None:
    root = _project(tmp_path, 3)
    assert _index_view(root, 2) == _index_view(root, 1)
