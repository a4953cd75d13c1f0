"""Discovery follows pytest's configuration and produces pytest's node ids."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import check_json, write

APP = "def add(a, b):\n    return a + b\n"


def ids(tmp_path: Path) -> list[str]:
    _, data = check_json(tmp_path)
    return [t["id"] for t in data["tests"]]


def pytest_ids(tmp_path: Path) -> list[str]:
    proc = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q",
                           "-p", "no:cacheprovider"], cwd=tmp_path, capture_output=True,
                          text=True)
    return sorted({line.split("[")[0] for line in proc.stdout.splitlines() if "::" in line})


@pytest.mark.parametrize(("name", "ini"), [
    ("pytest.ini", "[pytest]\npython_files = check_*.py\npython_classes = Suite\n"
                   "python_functions = should_\n"),
    ("setup.cfg", "[tool:pytest]\npython_files = check_*.py\npython_classes = Suite\n"
                  "python_functions = should_\n"),
    ("tox.ini", "[pytest]\npython_files = check_*.py\npython_classes = Suite\n"
                "python_functions = should_\n"),
    ("pyproject.toml", "[tool.pytest.ini_options]\npython_files = [\"check_*.py\"]\n"
                       "python_classes = [\"Suite\"]\npython_functions = [\"should_\"]\n"),
    # pytest 9's native TOML tables
    ("pyproject.toml", "[tool.pytest]\npython_files = [\"check_*.py\"]\n"
                       "python_classes = [\"Suite\"]\npython_functions = [\"should_\"]\n"),
    ("pytest.toml", "[pytest]\npython_files = [\"check_*.py\"]\n"
                    "python_classes = [\"Suite\"]\npython_functions = [\"should_\"]\n"),
])
def test_pytest_naming_options(tmp_path: Path, name: str, ini: str) -> None:
    write(tmp_path, {name: ini, "calc.py": APP, "tests/check_calc.py": """
        from calc import add

        def should_add():
            assert add(1, 2) == 3

        def test_not_collected():
            pass

        class SuiteCalc:
            def should_add_more(self):
                assert add(2, 2) == 4

        class TestIgnored:
            def should_not_run(self):
                pass
    """, "tests/test_other.py": "def test_x():\n    pass\n"})
    expected = ["tests/check_calc.py::SuiteCalc::should_add_more",
                "tests/check_calc.py::should_add"]
    assert sorted(ids(tmp_path)) == expected
    assert pytest_ids(tmp_path) == expected


def test_unittest_inheritance_init_classes_and_parametrize(tmp_path: Path) -> None:
    write(tmp_path, {"pyproject.toml": "[tool.pytest.ini_options]\n", "calc.py": APP,
                     "tests/test_calc.py": """
        import unittest

        import pytest

        from calc import add


        class Base(unittest.TestCase):
            def test_base(self):
                self.assertEqual(add(1, 1), 2)

            def helper(self):
                return 1


        class Derived(Base):
            def test_more(self):
                self.assertEqual(add(1, 2), 3)


        class TestWithInit:
            def __init__(self):
                self.x = 1

            def test_never(self):
                pass


        class TestOuter:
            class TestInner:
                @pytest.mark.parametrize("a", [1, 2])
                def test_inner(self, a):
                    assert add(a, 0) == a
    """})
    expected = [
        "tests/test_calc.py::Base::test_base",
        "tests/test_calc.py::Derived::test_base",
        "tests/test_calc.py::Derived::test_more",
        "tests/test_calc.py::TestOuter::TestInner::test_inner",
    ]
    assert sorted(ids(tmp_path)) == expected
    assert pytest_ids(tmp_path) == expected


def test_helpers_and_fixtures_from_conftest_count(tmp_path: Path) -> None:
    write(tmp_path, {"pyproject.toml": "[tool.pytest.ini_options]\n", "calc.py": APP,
                     "tests/conftest.py": """
        import pytest

        from calc import add

        def assert_sum(a, b, expected):
            assert add(a, b) == expected

        def assert_exists(value):
            assert value is not None

        @pytest.fixture
        def checked_total():
            total = add(2, 3)
            yield total
            assert total == 5
    """, "tests/test_calc.py": """
        from calc import add
        from conftest import assert_exists, assert_sum

        def test_helper():
            assert_sum(1, 2, 3)

        def test_weak_helper():
            assert_exists(add(1, 2))

        def test_fixture(checked_total):
            print(checked_total)
    """})
    _, data = check_json(tmp_path)
    assert [(t["id"].split("::")[1], t["verdict"], t["rules"]) for t in data["tests"]] == [
        ("test_helper", "ok", []),
        ("test_weak_helper", "weak", ["RF103"]),
        ("test_fixture", "ok", []),
    ]
    weak = [f["message"] for f in data["findings"] if f["test"].endswith("test_weak_helper")]
    assert weak == ["existence-only inside helper `assert_exists`: every assertion on the "
                    "code's output only checks that it exists."]


def test_one_file_gets_the_verdicts_it_gets_in_the_whole_suite(tmp_path: Path) -> None:
    """A pre-commit hook audits the changed files only: the helpers their tests import from
    support modules and from other test modules still count, transitively."""
    write(tmp_path, {"pyproject.toml": "[tool.pytest.ini_options]\ntestpaths = ['tests']\n",
                     "calc.py": APP, "tests/support.py": """
        from calc import add

        def assert_sum(a, b, expected):
            assert add(a, b) == expected
    """, "tests/test_base.py": """
        from calc import add

        def check_sum_is(a, b, expected):
            assert add(a, b) == expected
    """, "tests/test_lib.py": """
        from calc import add
        from test_base import check_sum_is

        def check_sum(a, b, expected):
            check_sum_is(a, b, expected)

        def show_sum(a, b):
            print(add(a, b))
    """, "tests/test_calc.py": """
        from support import assert_sum
        from test_lib import check_sum, show_sum

        def test_support_helper():
            assert_sum(1, 2, 3)

        def test_helper_of_a_test_module():
            check_sum(1, 2, 3)

        def test_helper_that_checks_nothing():
            show_sum(1, 2)
    """})
    expected = [("test_support_helper", "ok", []), ("test_helper_of_a_test_module", "ok", []),
                ("test_helper_that_checks_nothing", "vacuous", ["RF101"])]
    for target in (tmp_path / "tests" / "test_calc.py", tmp_path):
        code, data = check_json(target)
        assert code == 1
        assert [(t["id"].split("::")[1], t["verdict"], t["rules"])
                for t in data["tests"]] == expected
    # the imports resolve as pytest runs the suite (and show_sum checks nothing: it passes)
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
                         cwd=tmp_path, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout
    assert run.stdout.splitlines()[-1].startswith("3 passed")


def test_ids_are_relative_to_rootdir_when_checking_a_subdirectory(tmp_path: Path) -> None:
    write(tmp_path, {"setup.cfg": "[tool:pytest]\n", "pkg/calc.py": APP,
                     "pkg/tests/test_calc.py": "def test_a():\n    assert 1 + 1\n"})
    _, data = check_json(tmp_path / "pkg" / "tests")
    assert data["root"] == str(tmp_path)
    assert [t["id"] for t in data["tests"]] == ["pkg/tests/test_calc.py::test_a"]


def test_an_inherited_test_is_judged_in_each_class_by_what_that_class_defines(
        tmp_path: Path) -> None:
    """The mixin's tests are analysed once per set of classes that resolve their lookups
    alike: a class that overrides the helper a test calls, or the setUp it reads, gets its
    own verdict; a class that does not shares the first class's."""
    write(tmp_path, {"pyproject.toml": "[tool.pytest.ini_options]\n", "calc.py": APP,
                     "tests/test_calc.py": """
        import unittest

        from calc import add


        class Checks:
            def test_loop(self):
                for n in self.numbers:
                    self.assertEqual(add(n, 0), n)

            def test_checked(self):
                self.check(add(2, 3), 5)


        class Real(Checks, unittest.TestCase):
            def setUp(self):
                self.numbers = [1, 2]

            def check(self, got, want):
                self.assertEqual(got, want)


        class AlsoReal(Real):
            def test_extra(self):
                self.assertEqual(add(0, 0), 0)


        class Loaded(Real):
            def setUp(self):
                self.numbers = [n for n in (1, 2) if add(n, 0) > 5]


        class Lenient(Real):
            def check(self, got, want):
                pass
    """})
    code, data = check_json(tmp_path)
    verdicts = {t["id"].split("::", 1)[1]: t["verdict"] for t in data["tests"]}
    assert verdicts == {
        "Real::test_loop": "ok", "Real::test_checked": "ok",
        "AlsoReal::test_loop": "ok", "AlsoReal::test_checked": "ok", "AlsoReal::test_extra": "ok",
        "Loaded::test_loop": "weak", "Loaded::test_checked": "ok",
        "Lenient::test_loop": "ok", "Lenient::test_checked": "vacuous",
    }
    assert code == 1
    found = {(f["test"].split("::", 1)[1], f["rule"], f["line"]) for f in data["findings"]}
    assert found == {("Loaded::test_loop", "RF302", 9), ("Lenient::test_checked", "RF101", 11)}


def test_a_packages_own_test_directory_is_test_support_not_source(tmp_path: Path) -> None:
    """pyflakes keeps its tests in ``pyflakes/test/`` with a ``TestCase`` base in
    ``harness.py``: its helper is the tests' assertion, and it is not code under test."""
    write(tmp_path, {"pyproject.toml": "[tool.pytest.ini_options]\n",
                     "calc/__init__.py": "", "calc/core.py": APP,
                     "calc/test/__init__.py": "",
                     "calc/test/harness.py": """
        import unittest

        from calc.core import add


        class TestCase(unittest.TestCase):
            def sums(self, a, b, want):
                self.assertEqual(add(a, b), want)

            def runs(self, a, b):
                add(a, b)
    """,
                     "calc/test/test_core.py": """
        from calc.test.harness import TestCase


        class TestAdd(TestCase):
            def test_checked(self):
                self.sums(1, 2, 3)

            def test_unchecked(self):
                self.runs(1, 2)
    """})
    code, data = check_json(tmp_path)
    assert [(t["id"], t["verdict"]) for t in data["tests"]] == [
        ("calc/test/test_core.py::TestAdd::test_checked", "ok"),
        ("calc/test/test_core.py::TestAdd::test_unchecked", "vacuous")]
    assert code == 1
    proc = subprocess.run([sys.executable, "-c", (
        "from refute.static.context import prepare, CheckOptions\n"
        "ctx = prepare(['.'], CheckOptions())\n"
        "print(sorted(p.relative_to(ctx.root).as_posix() for p in ctx.files.source))\n"
        "print(sorted(p.relative_to(ctx.root).as_posix() for p in ctx.files.support))")],
        cwd=tmp_path, capture_output=True, text=True)
    assert proc.stdout.splitlines() == [
        "['calc/__init__.py', 'calc/core.py']",
        "['calc/test/__init__.py', 'calc/test/harness.py']"]


def test_a_namespace_package_at_the_top_is_source(tmp_path: Path) -> None:
    """google-auth ships ``google/auth/...`` with no ``google/__init__.py`` (PEP 420): its
    modules are the code under test, so a test that calls one and checks only its mocks is
    judged by those mocks, not as a test that never calls the code. A ``scripts/`` directory
    with packages in it is not the library."""
    write(tmp_path, {"pyproject.toml": "[tool.pytest.ini_options]\n",
                     "acme/wipe/__init__.py": "", "acme/wipe/files.py": """
        import os


        def wipe(path):
            os.remove(path)
    """,
                     "scripts/release/__init__.py": "", "scripts/release/bump.py": APP,
                     "tests/test_wipe.py": """
        import os
        from unittest import mock

        from acme.wipe import files


        @mock.patch.object(os, "remove", autospec=True)
        def test_wipe_removes(remove):
            files.wipe("/tmp/x")
            remove.assert_called_once_with("/tmp/x")
    """})
    code, data = check_json(tmp_path)
    assert (code, data["tests"][0]["verdict"], data["tests"][0]["rules"]) == (0, "ok", [])
    proc = subprocess.run([sys.executable, "-c", (
        "from refute.static.context import prepare, CheckOptions\n"
        "ctx = prepare(['.'], CheckOptions())\n"
        "print(sorted(p.relative_to(ctx.root).as_posix() for p in ctx.files.source))")],
        cwd=tmp_path, capture_output=True, text=True)
    assert proc.stdout.splitlines() == [
        "['acme/wipe/__init__.py', 'acme/wipe/files.py']"]
