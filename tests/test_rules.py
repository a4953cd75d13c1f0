"""Every rule against its fixture file: exact verdicts, exact rule lists, exact findings."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from conftest import FIXTURE_PROJECT, ROOT, run_refute, write
from refute.static.rules import BY_CODE, sorted_rules

FIXTURES = sorted((FIXTURE_PROJECT / "tests").glob("test_rf*.py"))
EXPECT = re.compile(r"^(\s*)def (test\w+).*# expect: (\w+)\s*(.*)$")


def expectations(path: Path) -> list[tuple[str, str, set[str]]]:
    out, cls = [], None
    for line in path.read_text().splitlines():
        if m := re.match(r"class (\w+)", line):
            cls = m.group(1)
        if m := EXPECT.match(line):
            indent, name, verdict, codes = m.groups()
            test_id = f"tests/{path.name}::" + (f"{cls}::" if indent else "") + name
            out.append((test_id, verdict, set(codes.split())))
    return out


def test_every_rule_has_a_fixture_with_positive_and_negative_cases() -> None:
    covered = {p.stem.split("_")[1].upper() for p in FIXTURES}
    assert covered == set(BY_CODE)
    for path in FIXTURES:
        rule = path.stem.split("_")[1].upper()
        cases = expectations(path)
        flagged = [c for c in cases if rule in c[2]]
        clean = [c for c in cases if rule not in c[2]]
        if rule != "RF402":  # RF402 flags source functions, not tests
            assert flagged, f"{path.name} has no positive case"
        assert clean, f"{path.name} has no negative case"


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.stem)
def test_verdicts_and_rules(path: Path, fixture_audit: dict[str, Any]) -> None:
    rule = path.stem.split("_")[1].upper()
    tests = {t["id"]: t for t in fixture_audit["tests"]}
    for test_id, verdict, codes in expectations(path):
        got = tests[test_id]
        shown = {c for c in got["rules"] if BY_CODE[c].severity.value != "info" or c == rule}
        assert (got["verdict"], shown) == (verdict, codes), test_id


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.stem)
def test_exact_findings(path: Path, fixture_audit: dict[str, Any]) -> None:
    rule = path.stem.split("_")[1].upper()
    rows = [f for f in fixture_audit["findings"] if f["rule"] == rule and (
        f["path"] == f"tests/{path.name}" or rule == "RF402")]
    got = [f"{f['path']}:{f['line']}:{f['column']} {f['rule']} {f['message']}" for f in rows]
    expected = path.with_suffix(".expected").read_text().splitlines()
    assert got == [line for line in expected if line]


def test_every_verdict_that_is_not_ok_names_its_rules(fixture_audit: dict[str, Any]) -> None:
    unexplained = [t["id"] for t in fixture_audit["tests"]
                   if t["verdict"] != "ok" and not t["rules"]]
    assert unexplained == []
    assert {t["verdict"] for t in fixture_audit["tests"]} == {"ok", "weak", "vacuous"}


def test_rule_docs_have_the_four_sections() -> None:
    assert [s.code for s in sorted_rules()] == sorted(BY_CODE)
    assert len(BY_CODE) == 20
    for spec in sorted_rules():
        assert spec.doc.startswith(f"{spec.code} {spec.name}: ")
        positions = [spec.doc.find(h) for h in
                     ("What it does", "Why is this bad", "Example", "Use instead")]
        assert -1 not in positions, spec.code
        assert positions == sorted(positions), spec.code


def _doc_section(spec: Any) -> str:
    return f"### {spec.code} {spec.name} ({spec.severity.value})\n\n```text\n" \
        f"{spec.doc.strip()}\n```\n"


def test_docs_rules_md_holds_every_rule_doc_as_written_in_its_module() -> None:
    text = (ROOT / "docs" / "rules.md").read_text()
    documentation = text[text.index("## Rule documentation"):]
    sections = ["### " + part for part in documentation.split("\n### ")[1:]]
    assert [s.strip() for s in sections] == [_doc_section(spec).strip()
                                            for spec in sorted_rules()]


def test_rule_command_prints_the_module_doc() -> None:
    proc = run_refute("rule", "RF201")
    assert proc.returncode == 0
    assert proc.stdout.splitlines()[0] == "RF201 interaction-only (warning)"
    assert "Use instead" in proc.stdout
    by_name = run_refute("rule", "mock-typo")
    assert by_name.stdout.splitlines()[0] == "RF202 mock-typo (error)"


def test_unknown_rule_is_a_usage_error() -> None:
    proc = run_refute("rule", "RF999")
    assert proc.returncode == 2
    assert proc.stderr.strip() == "refute: error: unknown rule 'RF999'; `refute rules` lists them"


def test_rules_lists_every_rule_once() -> None:
    proc = run_refute("rules")
    codes = [line.split()[0] for line in proc.stdout.splitlines()]
    assert codes == sorted(BY_CODE)
    assert "RF205  unspecced-mock           info" in proc.stdout


def test_rf401_reads_imported_names_as_what_they_were_imported_from(tmp_path: Path) -> None:
    """The same body in two files is a duplicate only when its names mean the same there:
    `shapes.area` is two functions when one file imported `shapes` from another package."""
    body = "\n\n\ndef test_area():\n    result = shapes.area(2, 3)\n    assert result == 6\n" \
           "    assert shapes.area(0, 3) == 0\n"
    write(tmp_path, {
        "pyproject.toml": "[tool.pytest.ini_options]\n",
        "geo/__init__.py": "", "geo/shapes.py": "def area(a, b):\n    return a * b\n",
        "geo/fast/__init__.py": "", "geo/fast/shapes.py": "def area(a, b):\n    return a * b\n",
        "tests/test_a.py": "from geo import shapes" + body,
        "tests/test_b.py": "from geo import shapes" + body,
        "tests/test_c.py": "from geo.fast import shapes" + body,
    })
    proc = run_refute("check", str(tmp_path), "--format", "json", "--no-cache", "--select",
                      "RF401")
    findings = json.loads(proc.stdout)["findings"]
    assert [(f["path"], f["line"], f["message"]) for f in findings] == [
        ("tests/test_b.py", 4, "duplicate test: same body as `tests/test_a.py::test_area` "
                               "(tests/test_a.py:4)")]
    assert proc.returncode == 0


def test_rf401_reads_module_names_fixtures_and_future_imports_per_file(tmp_path: Path) -> None:
    """The same body in two files is two tests when what its names stand for differs there:
    a module-level `app` built differently, a `price` fixture of each file's own that gives
    another price, or a `from __future__ import annotations` that turns the annotations
    into strings."""
    app_body = "\n\ndef test_app():\n    assert app.run(2) == 4\n    assert app.run(0) == 0\n"
    fixture_body = ("\n\n@pytest.fixture\ndef price():\n    return {}\n\n\n"
                    "def test_price(price):\n    assert tools.double(price) == 4\n"
                    "    assert tools.double(0) == 0\n")
    future_body = ("\n\ndef test_hints():\n    def f(x: int) -> int:\n        return x\n"
                   "    assert tools.hints(f) == {'x': int, 'return': int}\n")
    write(tmp_path, {
        "pyproject.toml": "[tool.pytest.ini_options]\n",
        "tools/__init__.py": "def double(x):\n    return 2 * x\n\n\n"
                            "def hints(f):\n    return f.__annotations__\n\n\n"
                            "class App:\n    def __init__(self, k):\n        self.k = k\n\n"
                            "    def run(self, x):\n        return self.k * x\n",
        "tests/test_app_a.py": "from tools import App\n\napp = App(2)\n" + app_body,
        "tests/test_app_b.py": "from tools import App\n\napp = App(2)\n" + app_body,
        "tests/test_app_c.py": "from tools import App\n\napp = App(3)\n" + app_body,
        "tests/test_price_a.py": "import pytest\nimport tools\n" + fixture_body.format(2),
        "tests/test_price_b.py": "import pytest\nimport tools\n" + fixture_body.format(2),
        "tests/test_price_c.py": "import pytest\nimport tools\n" + fixture_body.format(3),
        "tests/test_hints_a.py": "import tools\n" + future_body,
        "tests/test_hints_b.py": "from __future__ import annotations\n\nimport tools\n"
                                 + future_body,
    })
    proc = run_refute("check", str(tmp_path), "--format", "json", "--no-cache", "--select",
                      "RF401")
    findings = json.loads(proc.stdout)["findings"]
    # test_app_b builds its app as test_app_a does, test_app_c another one; test_price_b's
    # own fixture gives what test_price_a's does, test_price_c's another price; the hints
    # differ by the __future__ import
    assert [(f["path"], f["line"], f["message"]) for f in findings] == [
        ("tests/test_app_b.py", 6, "duplicate test: same body as "
                                   "`tests/test_app_a.py::test_app` (tests/test_app_a.py:6)"),
        ("tests/test_price_b.py", 10, "duplicate test: same body as "
                                      "`tests/test_price_a.py::test_price` "
                                      "(tests/test_price_a.py:10)")]
    assert proc.returncode == 0


def test_rf401_reads_the_parameters_a_module_hook_generates(tmp_path: Path) -> None:
    """Two files whose ``pytest_generate_tests`` read the same but hand their tests each
    file's own classes (vcrpy's sync and async requests over two HTTP clients) hold two
    tests; the same hook over the same classes holds a duplicate."""
    hook = ("\n\ndef pytest_generate_tests(metafunc):\n"
            "    if 'make' in metafunc.fixturenames:\n"
            "        metafunc.parametrize('make', [Maker])\n\n\n"
            "def test_made(make):\n    assert make().run(2) == 4\n    assert make().run(0) == 0\n")
    maker = "from tools import {0}\n\n\nclass Maker({0}):\n    factor = 2\n"
    write(tmp_path, {
        "pyproject.toml": "[tool.pytest.ini_options]\n",
        "tools/__init__.py": "class Base:\n    factor = 1\n\n    def run(self, x):\n"
                            "        return self.factor * x\n\n\nclass Other(Base):\n    pass\n",
        "tests/test_made_a.py": maker.format("Base") + hook,
        "tests/test_made_b.py": maker.format("Base") + hook,
        "tests/test_made_c.py": maker.format("Other") + hook,
    })
    proc = run_refute("check", str(tmp_path), "--format", "json", "--no-cache", "--select",
                      "RF401")
    findings = json.loads(proc.stdout)["findings"]
    assert [(f["path"], f["line"], f["message"]) for f in findings] == [
        ("tests/test_made_b.py", 13, "duplicate test: same body as "
                                     "`tests/test_made_a.py::test_made` "
                                     "(tests/test_made_a.py:13)")]
    assert proc.returncode == 0


def test_rf401_prints_nodes_made_by_hand_field_by_field() -> None:
    """A node made by hand may lack fields (``keywords`` of a ``Call`` before 3.13): its
    print is read field by field, equal for equal trees and different for different ones."""
    import ast

    from refute.static.rules.rf401_duplicate_test import statements_print

    def call(*values: int) -> ast.Call:
        return ast.Call(func=ast.Name(id="total", ctx=ast.Load()),
                        args=[ast.Constant(value=v) for v in values])

    def printed(node: ast.expr) -> bytes:
        return statements_print([ast.Expr(value=node)])

    assert printed(call(2, 3)) == printed(call(2, 3))
    assert printed(call(2, 3)) != printed(call(2, 4))
    assert printed(call(2, 3)) != printed(call(2))
