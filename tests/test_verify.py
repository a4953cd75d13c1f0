"""refute verify on small projects in temp dirs: exact statuses, real pytest runs, no writes."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from conftest import EXAMPLE, ROOT, run_refute, write

VERIFY_SCHEMA = json.loads((ROOT / "src/refute/report/schema/verify-v1.json").read_text())

OPS = '''
import ctypes


def add(a, b):
    return a + b


def label(n):
    return f"#{n}"


def shout(text):
    return text.strip() + "!"


def count_to(n):
    i = 0
    while i < n:
        i += 1
    return i


def risky(flag):
    if flag is True:
        return 1
    return ctypes.string_at(0)


class Greeter:
    def __init__(self, name):
        self.name = name

    @property
    def greeting(self):
        return "hello " + self.name
'''

TESTS = '''
from calc.ops import Greeter, add, count_to, label, risky, shout


def test_add():
    assert add(2, 3) == 5


def test_label_exists():
    assert label(1) is not None


def test_shout_runs():
    shout(" hi ").upper()


def test_count_to():
    assert count_to(3) == 3


def test_risky():
    assert risky(True) == 1


def test_greeting():
    assert Greeter("ann").greeting == "hello ann"
'''

PYPROJECT = '[tool.pytest.ini_options]\ntestpaths = ["tests"]\npythonpath = ["."]\n'


def _project(root: Path, tests: str = TESTS) -> Path:
    return write(root, {"pyproject.toml": PYPROJECT, "calc/__init__.py": "",
                        "calc/ops.py": OPS, "tests/test_ops.py": tests})


def _verify(root: Path, *extra: str) -> tuple[int, dict[str, Any], str]:
    proc = run_refute("verify", str(root), "--format", "json", "--no-cache",
                      "--timeout-constant", "1", *extra)
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc.returncode, json.loads(proc.stdout) if proc.stdout else {}, proc.stderr


def _snapshot(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def calc_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[int, dict[str, Any], Path,
                                                                 dict[str, str]]:
    root = _project(tmp_path_factory.mktemp("calc"))
    before = _snapshot(root)
    code, doc, _ = _verify(root)
    return code, doc, root, before


def test_function_statuses(calc_run: tuple[int, dict[str, Any], Path, dict[str, str]]) -> None:
    code, doc, _, _ = calc_run
    assert code == 1  # pseudo-tested functions fail the default --fail-on
    statuses = {f["qualname"]: (f["status"], f["killed_by_assertion"], f["killed_by_error"],
                                f["survived"], f["timeout"]) for f in doc["functions"]}
    assert statuses == {
        "calc.ops.add": ("tested", 3, 0, 0, 0),
        "calc.ops.label": ("partially-tested", 2, 0, 1, 0),
        "calc.ops.shout": ("pseudo-tested", 0, 2, 1, 0),
        "calc.ops.count_to": ("tested", 4, 0, 1, 1),
        "calc.ops.risky": ("tested", 3, 1, 0, 0),
        # `pass` for __init__ only crashes test_greeting, which checks what __init__ sets:
        # no wrong-but-usable result went unnoticed, so not pseudo-tested (nor checked)
        "calc.ops.Greeter.__init__": ("partially-tested", 0, 1, 0, 0),
        "calc.ops.Greeter.greeting": ("tested", 2, 1, 0, 0),
        "calc.ops.<module>": ("not-mutated", 0, 0, 0, 0),
    }


def test_mutant_statuses(calc_run: tuple[int, dict[str, Any], Path, dict[str, str]]) -> None:
    _, doc, _, _ = calc_run
    by = {(m["function"], m["line"], m["operator"]): (m["status"], m["detail"])
          for m in doc["mutants"]}
    # an empty string satisfies `is not None`: the extreme mutant survives (label has a
    # caught mutant, so its survivor needs no second look)
    assert by["calc.ops.label", 8, "extreme:empty-str"] == ("survived", "1 test passed")
    # shout, pseudo-tested, has its survivor run again from a process that ran no test
    assert by["calc.ops.shout", 12, "extreme:empty-str"] == (
        "survived", "1 test passed; also survived in a process that had run no test before")
    # None makes `.upper()` crash: killed, but by an error, not by an assertion
    assert by["calc.ops.shout", 12, "extreme:none"] == ("killed-by-error", "AttributeError")
    # `i += 1` -> `i -= 1` loops forever in the mutated code: ended once the test has used
    # 3 x its baseline + 0.1 s of CPU there, before the 1 s wall-clock timeout (a loaded
    # machine may reach that first; a starved child is confirmed with twice the time)
    status, detail = by["calc.ops.count_to", 19, "arithmetic"]
    assert status == "timeout"
    assert detail in {f"timeout after {t / 10:.1f}s" for t in range(1, 11)} | {
        "timeout after 2.0s"}
    # `is True` -> `is not True` reaches ctypes.string_at(0): a segfault in the child only
    assert by["calc.ops.risky", 24, "compare"] == ("killed-by-error",
                                                    "crashed with signal SIGSEGV")
    # a property getter is swapped too
    assert by["calc.ops.Greeter.greeting", 34, "extreme:empty-str"] == (
        "killed-by-assertion", "AssertionError")


def test_per_test_verdicts(calc_run: tuple[int, dict[str, Any], Path, dict[str, str]]) -> None:
    _, doc, _, _ = calc_run
    tests = {t["id"].split("::")[1]: t for t in doc["tests"]}
    assert tests["test_shout_runs"]["verdict"] == "vacuous"
    assert tests["test_shout_runs"]["dynamic"]["reasons"] == [
        "executed no assertion in the baseline run",
        "killed 2 mutants only by crashing, none by an assertion"]
    assert tests["test_add"]["verdict"] == "ok"
    assert tests["test_add"]["dynamic"]["killed_by_assertion"] == 3
    assert tests["test_label_exists"]["static_verdict"] == "weak"
    # import-time lines (the import, def and class lines) are covered, never checked
    assert doc["coverage"] == {"source_lines": 22, "covered_lines": 21, "checked_lines": 15,
                               "line_coverage": 0.9545, "checked_coverage": 0.6818,
                               "mutation_score": 0.8696}
    module = next(f for f in doc["functions"] if f["qualname"] == "calc.ops.<module>")
    assert (module["status"], module["covered_lines"], module["reason"]) == (
        "not-mutated", 2, "2 lines, 2 run at import: module-level code runs once, when the "
        "module is imported, before a mutant can be swapped in; refute mutates functions and "
        "methods")
    assert doc["run"]["forced_fail_ok"] is True


def test_source_tree_is_byte_identical(
        calc_run: tuple[int, dict[str, Any], Path, dict[str, str]]) -> None:
    _, _, root, before = calc_run
    assert _snapshot(root) == before


def test_red_baseline_is_refused_and_deselect_works(tmp_path: Path) -> None:
    root = _project(tmp_path, TESTS + "\n\ndef test_red():\n    assert add(1, 1) == 3\n")
    code, doc, err = _verify(root)
    assert (code, doc) == (2, {})
    assert "the suite is red before any mutation (1 failing):\n" \
           "  tests/test_ops.py::test_red\n" in err
    assert "--deselect" in err
    code, doc, _ = _verify(root, "--deselect", "tests/test_ops.py::test_red", "--depth",
                           "extreme")
    assert code == 1
    assert {m["operator"] for m in doc["mutants"]} <= {
        "extreme:none", "extreme:zero", "extreme:empty-str", "extreme:pass"}


def test_fail_on_checked_coverage_and_never(tmp_path: Path) -> None:
    root = _project(tmp_path)
    assert _verify(root, "--depth", "extreme", "--fail-on", "30%")[0] == 0
    assert _verify(root, "--depth", "extreme", "--fail-on", "90%")[0] == 1
    assert _verify(root, "--depth", "extreme", "--fail-on", "never")[0] == 0


def test_example_names_the_buggy_transformation() -> None:
    before = _snapshot(EXAMPLE)
    proc = run_refute("verify", str(EXAMPLE), "--no-cache")
    assert proc.returncode == 1, proc.stderr
    out = proc.stdout
    # the one mutant per line that ran caught nothing, so every classic mutant ran (16)
    assert "cache_service/serializer.py:9 cache_service.serializer.to_payload: 4 of 16 " \
           "mutants survived, 0 killed by an assertion, 12 only by an error; covered by 4 " \
           "tests" in out
    assert "cache_service/cache.py:28 cache_service.cache.InMemoryCache.set: 2 of 2 mutants " \
           "survived, 0 killed by an assertion, 0 only by an error; covered by 1 test\n" in out
    assert "vacuous tests/test_service.py::test_get_profile_smoke: executed no assertion in " \
           "the baseline run" in out
    assert "line coverage 89% (55/62), checked coverage 21% (13/62)" in out
    assert "module-level code: 16 lines in 3 files ran at import and are not mutated" in out
    assert _snapshot(EXAMPLE) == before


def test_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    proc = run_refute("verify", str(tmp_path / "nope"))
    assert proc.returncode == 2
    assert "path does not exist" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_nothing_imports_no_tests(tmp_path: Path) -> None:
    write(tmp_path, {"pyproject.toml": PYPROJECT, "calc/__init__.py": "",
                     "calc/ops.py": OPS, "tests/test_none.py": "X = 1\n"})
    proc = run_refute("verify", str(tmp_path), "--no-cache")
    assert proc.returncode == 2
    assert "pytest collected no tests" in proc.stderr


def test_rerun_uses_the_cache(tmp_path: Path) -> None:
    root = _project(tmp_path)
    first = run_refute("verify", str(root), "--format", "json", "--depth", "extreme")
    second = run_refute("verify", str(root), "--format", "json", "--depth", "extreme")
    a, b = json.loads(first.stdout), json.loads(second.stdout)
    assert a["run"]["cached_mutants"] == 0
    assert b["run"]["cached_mutants"] == len(b["mutants"]) == len(a["mutants"])
    assert [m["status"] for m in a["mutants"]] == [m["status"] for m in b["mutants"]]
    assert os.path.isfile(root / ".refute_cache" / "verify.sqlite")


def test_the_compiled_module_cache_holds_the_project_and_nothing_else(tmp_path: Path) -> None:
    """refute compiles the project's modules into its own cache (a rerun skips compiling
    them, the user's tree gets no __pycache__). A module from elsewhere, imported for the
    first time during the run, is taken from Python's own compiled form: compiling the
    standard library again made a first run in a fresh checkout twice as slow."""
    root = _project(tmp_path, TESTS.replace("from calc.ops import",
                                            "import colorsys\nfrom calc.ops import"))
    proc = run_refute("verify", str(root), "--format", "json", "--depth", "extreme")
    assert proc.returncode == 1, proc.stderr  # the calc project has pseudo-tested code
    tag = sys.implementation.cache_tag
    cache = root / ".refute_cache"
    compiled = list(cache.rglob("*.pyc"))
    # the prefix mirrors each source's absolute directory
    in_project = sorted(p.name for p in compiled
                        if root.as_posix() in p.parent.as_posix().removeprefix(cache.as_posix()))
    assert in_project == sorted([f"__init__.{tag}.pyc", f"ops.{tag}.pyc",
                                 f"test_ops.{tag}-pytest-{pytest.__version__}.pyc"])
    # besides them, only pytest's assertion-rewritten forms of installed plugins
    assert [p.name for p in compiled if "-pytest-" not in p.name
            and p.name not in in_project] == []
    assert not any(p.name.startswith("colorsys.") for p in compiled)
    assert sorted(p.relative_to(root).as_posix() for p in root.rglob("__pycache__")) == []


def test_a_module_from_elsewhere_without_a_compiled_form_is_compiled_into_the_cache(
        tmp_path: Path) -> None:
    """A dependency installed without compiled files is compiled into refute's cache, once,
    and nothing is written beside it; one with a valid compiled form is read from there."""
    import py_compile

    site = write(tmp_path / "site", {"extlib/__init__.py": "",
                                     "extlib/plain.py": "def one():\n    return 1\n",
                                     "extlib/native.py": "def two():\n    return 2\n"})
    native = Path(py_compile.compile(str(site / "extlib" / "native.py")))
    root = _project(tmp_path / "proj", TESTS.replace(
        "from calc.ops import", "from extlib.native import two\nfrom extlib.plain import one"
                                "\nfrom calc.ops import"))
    (root / "pyproject.toml").write_text(PYPROJECT.replace('["."]', '[".", "../site"]'),
                                         encoding="utf-8")
    proc = run_refute("verify", str(root), "--format", "json", "--depth", "extreme")
    assert proc.returncode == 1, proc.stderr
    cache = root / ".refute_cache"
    outside = sorted(p.name for p in cache.rglob("*.pyc") if "extlib" in p.parent.parts)
    assert outside == [f"__init__.{sys.implementation.cache_tag}.pyc",
                       f"plain.{sys.implementation.cache_tag}.pyc"]
    assert sorted(p.name for p in (site / "extlib").rglob("*.pyc")) == [native.name]


def test_json_is_schema_valid_and_extends_check(
        calc_run: tuple[int, dict[str, Any], Path, dict[str, str]]) -> None:
    _, doc, _, _ = calc_run
    schema = VERIFY_SCHEMA
    jsonschema.validate(doc, schema)
    assert doc["format_version"] == 1
    assert doc["kind"] == "verify"
    broken = dict(doc, coverage=dict(doc["coverage"], line_coverage=2))
    with pytest.raises(jsonschema.ValidationError, match="2 is greater than the maximum of 1"):
        jsonschema.validate(broken, schema)


def test_a_suite_that_turns_warnings_into_errors(tmp_path: Path) -> None:
    # refute is itself a pytest plugin, imported before the suite's pytest starts; pytest must
    # not warn that it cannot rewrite it, or `filterwarnings = error` makes that fatal
    root = write(tmp_path, {
        "pyproject.toml": PYPROJECT + 'filterwarnings = ["error"]\n',
        "calc/__init__.py": "", "calc/ops.py": OPS, "tests/test_ops.py": TESTS})
    code, doc, err = _verify(root, "--depth", "extreme")
    assert code == 1, err
    assert {f["qualname"]: f["status"] for f in doc["functions"]}["calc.ops.add"] == "tested"


def test_shards_merge_into_the_unsharded_result(
        calc_run: tuple[int, dict[str, Any], Path, dict[str, str]], tmp_path: Path) -> None:
    _, whole, root, _ = calc_run
    parts = []
    for shard in ("1/2", "2/2"):
        out = tmp_path / f"shard{shard[0]}.json"
        proc = run_refute("verify", str(root), "--format", "json", "--no-cache",
                          "--timeout-constant", "1", "--shard", shard, "-o", str(out),
                          "--fail-on", "never")
        assert proc.returncode == 0, proc.stderr
        parts.append(out)
    shard_mutants = [len(json.loads(p.read_text())["mutants"]) for p in parts]
    assert sum(shard_mutants) == len(whole["mutants"])
    assert min(shard_mutants) > 0
    proc = run_refute("merge", *map(str, parts), "--fail-on", "never")
    assert proc.returncode == 0, proc.stderr
    merged = json.loads(proc.stdout)
    jsonschema.validate(merged, VERIFY_SCHEMA)

    def key(doc: dict[str, Any]) -> Any:
        return ([(m["id"], m["status"], m["killed_by"]) for m in doc["mutants"]],
                [(f["qualname"], f["status"], f["mutants"]) for f in doc["functions"]],
                {k: v for k, v in doc["coverage"].items()},
                [(t["id"], t["verdict"], t["dynamic"]["reasons"] if t["dynamic"] else None)
                 for t in doc["tests"]])

    assert key(merged) == key(whole)
    pseudo = run_refute("merge", *map(str, parts))
    assert pseudo.returncode == 1  # label() is pseudo-tested: --fail-on applies to the merge


def test_merge_refuses_what_is_not_a_verify_result(tmp_path: Path) -> None:
    check = tmp_path / "check.json"
    check.write_text(json.dumps({"format_version": 1, "tests": []}), encoding="utf-8")
    proc = run_refute("merge", str(check))
    assert (proc.returncode, proc.stderr) == (
        2, f"refute: error: {check}: not the JSON output of `refute verify --format json`\n")
    broken = tmp_path / "broken.json"
    broken.write_text("{", encoding="utf-8")
    proc = run_refute("merge", str(broken))
    assert proc.returncode == 2
    assert proc.stderr.startswith(f"refute: error: {broken}: not a JSON document (")


SLOW_OPS = "".join(
    f"def f{i}(x):\n    if x > {i}:\n        return x + {i}\n    return x - {i}\n\n\n"
    for i in range(12))
SLOW_TESTS = "import time\n\nfrom calc import ops\n\n\n" + "".join(
    f"def test_f{i}():\n    time.sleep(0.1)\n    assert ops.f{i}({i + 1}) == {2 * i + 1}\n"
    f"    assert ops.f{i}(0) == -{i}\n\n\n" for i in range(12))


def _live_processes_mentioning(text: str) -> list[int]:
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            cmdline = (proc / "cmdline").read_bytes().decode(errors="replace")
            state = next((line for line in (proc / "status").read_text().splitlines()
                          if line.startswith("State:")), "")
        except OSError:
            continue
        if text in cmdline and "zombie" not in state:
            found.append(int(proc.name))
    return found


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads /proc to find leftover children")
def test_ctrl_c_reports_nothing_leaves_no_child_and_resumes(tmp_path: Path) -> None:
    import signal
    import sqlite3
    import subprocess
    import sys
    import time

    root = write(tmp_path / "slow", {"pyproject.toml": PYPROJECT, "calc/__init__.py": "",
                                     "calc/ops.py": SLOW_OPS, "tests/test_ops.py": SLOW_TESTS})
    before = _snapshot(root)
    proc = subprocess.Popen([sys.executable, "-m", "refute", "verify", str(root), "--format",
                             "json", "--flaky-reruns", "0"], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    db = root / ".refute_cache" / "verify.sqlite"
    deadline = time.monotonic() + 60
    done = 0
    while time.monotonic() < deadline and proc.poll() is None:
        if db.exists():
            try:
                with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
                    done = conn.execute("SELECT COUNT(*) FROM mutants").fetchone()[0]
            except sqlite3.Error:
                done = 0
            if done >= 3:
                break
        time.sleep(0.05)
    assert done >= 3, "the run did not reach the mutation phase"
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130
    assert out == ""
    assert err.endswith("interrupted: nothing was reported; results finished so far are "
                        "cached, run again to resume\n")
    time.sleep(0.2)
    assert _live_processes_mentioning(str(root)) == []
    after = {k: v for k, v in _snapshot(root).items() if not k.startswith(".refute_cache/")}
    assert after == before  # the user's files are byte-identical after an interrupt
    resumed = run_refute("verify", str(root), "--format", "json", "--flaky-reruns", "0")
    doc = json.loads(resumed.stdout)
    assert doc["run"]["cached_mutants"] >= done
    assert len(doc["mutants"]) > doc["run"]["cached_mutants"]


def test_a_run_that_mutates_nothing_is_an_error(tmp_path: Path) -> None:
    root = write(tmp_path, {"pyproject.toml": PYPROJECT, "calc/__init__.py": "",
                            "calc/ops.py": "def f(x):\n    return x\n",
                            "tests/test_ops.py": "def test_nothing():\n    assert 1 + 1 == 2\n"})
    code, doc, err = _verify(root)
    assert (code, doc) == (2, {})
    assert err == ("refute: error: nothing was mutated: the tests cover no function of the "
                   "source (is `source` in [tool.refute] right?)\n")


REGISTRY = '''
registry = {}


def register(name):
    if name != "reserved":
        registry[name] = True
    return name


def describe():
    return "ok"
'''

REGISTRY_TESTS = '''
from reg.state import describe, register, registry


def test_register_returns_the_name():
    assert register("reserved") == "reserved"


def test_describe_leaves_the_registry_alone():
    assert describe() is not None
    assert "reserved" not in registry
'''


def test_a_mutant_that_leaves_state_behind_does_not_decide_the_next(tmp_path: Path) -> None:
    # `!=` -> `==` in register() survives but puts "reserved" into the module's registry; the
    # next mutant in the same child (describe() returning "") would then fail its test for a
    # reason that is not its own. The child notices the registry changed and hands the rest of
    # its batch to a fresh child, so batched results equal one child per mutant.
    root = write(tmp_path, {"pyproject.toml": PYPROJECT, "reg/__init__.py": "",
                            "reg/state.py": REGISTRY, "tests/test_reg.py": REGISTRY_TESTS})
    _, batched, err = _verify(root, "-j", "1", "--depth", "full")
    _, isolated, _ = _verify(root, "-j", "1", "--depth", "full", "--isolate")
    statuses = {(m["function"], m["operator"], m["description"]): m["status"]
                for m in batched["mutants"]}
    assert statuses == {(m["function"], m["operator"], m["description"]): m["status"]
                        for m in isolated["mutants"]}, err
    assert statuses["reg.state.register", "compare", "`!=` -> `==`"] == "survived"
    assert statuses["reg.state.describe", "extreme:empty-str",
                    'body replaced by `return ""`'] == "survived"


SHOP = {
    "pyproject.toml": PYPROJECT,
    "shop/__init__.py": "",
    "shop/price.py": '''
        def total(items):
            return sum(p * q for p, q in items)


        def discount(amount, pct):
            return amount - amount * pct / 100
        ''',
    "shop/names.py": '''
        def slug(text):
            return text.strip().lower().replace(" ", "-")
        ''',
    "tests/test_price.py": '''
        from shop.price import discount, total


        def test_total():
            assert total([(2, 3), (1, 4)]) == 10


        def test_discount():
            assert discount(200, 10) == 180
        ''',
    "tests/test_names.py": '''
        from shop.names import slug


        def test_slug():
            assert slug("Big Box") == "big-box"


        def test_slug_strips():
            assert slug("  a ") == "a"
        ''',
}


def _cached_verify(root: Path) -> dict[str, Any]:
    proc = run_refute("verify", str(root), "--format", "json", "--depth", "extreme",
                      "--fail-on", "never")
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def _counts(doc: dict[str, Any]) -> dict[str, int]:
    base = doc["run"]["baseline"]
    assert base["time"] >= 0
    return {"ran": base["ran"], "reused": base["reused"]}


def _statuses(doc: dict[str, Any]) -> dict[str, str]:
    return {m["id"]: m["status"] for m in doc["mutants"]}


def test_the_baseline_reruns_only_tests_whose_code_changed(tmp_path: Path) -> None:
    root = write(tmp_path, SHOP)
    first = _cached_verify(root)
    assert _counts(first) == {"ran": 4, "reused": 0}
    again = _cached_verify(root)
    assert _counts(again) == {"ran": 0, "reused": 4}
    assert again["run"]["cached_mutants"] == len(again["mutants"]) == len(first["mutants"])
    assert _statuses(again) == _statuses(first)
    assert again["coverage"] == first["coverage"]

    # an edit inside discount(): only the test that ran discount() runs again, and the
    # result equals a run without any cache
    price = root / "shop/price.py"
    price.write_text(price.read_text().replace("amount - amount * pct / 100",
                                               "amount - (amount * pct) / 100"))
    touched = _cached_verify(root)
    assert _counts(touched) == {"ran": 1, "reused": 3}
    _, fresh, _ = _verify(root, "--depth", "extreme", "--fail-on", "never")
    assert _statuses(touched) == _statuses(fresh)
    assert touched["coverage"] == fresh["coverage"]
    assert {t["id"]: t["verdict"] for t in touched["tests"]} == {
        t["id"]: t["verdict"] for t in fresh["tests"]}

    # a test file that changed reruns its own tests, not the others
    names_tests = root / "tests/test_names.py"
    names_tests.write_text(names_tests.read_text() + "\n# reviewed\n")
    assert _counts(_cached_verify(root)) == {"ran": 2, "reused": 2}

    # the pytest configuration is part of every test's environment: all of them run
    (root / "pyproject.toml").write_text(PYPROJECT + "# changed\n")
    assert _counts(_cached_verify(root)) == {"ran": 4, "reused": 0}


def test_a_longer_function_does_not_rerun_the_tests_of_the_functions_below_it(
        tmp_path: Path) -> None:
    root = write(tmp_path, SHOP)
    _cached_verify(root)
    # total() grows by two lines: discount() moves down, its test's stored lines still hold
    price = root / "shop/price.py"
    price.write_text(price.read_text().replace(
        "    return sum(p * q for p, q in items)\n",
        "    pairs = list(items)\n    pairs = pairs\n    return sum(p * q for p, q in pairs)\n"))
    shifted = _cached_verify(root)
    assert _counts(shifted) == {"ran": 1, "reused": 3}
    _, fresh, _ = _verify(root, "--depth", "extreme", "--fail-on", "never")
    assert shifted["coverage"] == fresh["coverage"]
    assert {f["qualname"]: (f["line"], f["covered_lines"], f["covering_tests"])
            for f in shifted["functions"]} == {
        f["qualname"]: (f["line"], f["covered_lines"], f["covering_tests"])
        for f in fresh["functions"]}
    assert [(f["qualname"], f["line"]) for f in shifted["functions"]] == [
        ("shop.names.slug", 1), ("shop.price.total", 1), ("shop.price.discount", 7)]
    assert _statuses(shifted) == _statuses(fresh)

    # a change of module-level code reruns every test: any of them may read what the
    # module computed at import without running a line of it at test time
    price.write_text("RATE = 1\n" + price.read_text())
    assert _counts(_cached_verify(root)) == {"ran": 4, "reused": 0}


def test_a_weakened_assertion_helper_is_not_hidden_by_cached_mutant_results(
        tmp_path: Path) -> None:
    root = write(tmp_path, {
        "pyproject.toml": PYPROJECT,
        "shop/__init__.py": "",
        "shop/price.py": '''
            def discount(amount, pct):
                return amount - amount * pct / 100
            ''',
        "tests/__init__.py": "",
        "tests/checks.py": '''
            def check_equal(actual, expected):
                assert actual == expected
            ''',
        "tests/test_price.py": '''
            from shop.price import discount
            from tests.checks import check_equal


            def test_discount():
                check_equal(discount(200, 10), 180)
            '''})
    first = _cached_verify(root)
    assert set(_statuses(first).values()) == {"killed-by-assertion"}
    helper = root / "tests/checks.py"
    stat = helper.stat()
    helper.write_text(helper.read_text().replace("assert actual == expected",
                                                 "return actual == expected"))
    # the same size and modification time: Python's check of a compiled module (whole
    # seconds and size) takes the old one, as for an edit within the second of the last
    os.utime(helper, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    weakened = _cached_verify(root)
    assert weakened["run"]["cached_mutants"] == 0
    assert set(_statuses(weakened).values()) == {"survived"}
    assert [(f["qualname"], f["status"]) for f in weakened["functions"]] == [
        ("shop.price.discount", "pseudo-tested")]


def test_an_edited_getter_reruns_its_test_although_its_setter_has_the_same_name(
        tmp_path: Path) -> None:
    root = write(tmp_path, {
        "pyproject.toml": PYPROJECT,
        "box/__init__.py": "",
        "box/box.py": '''
            class Box:
                def __init__(self):
                    self._size = 1

                @property
                def size(self):
                    return self._size

                @size.setter
                def size(self, value):
                    self._size = value
            ''',
        "tests/test_box.py": '''
            from box.box import Box


            def test_size():
                assert Box().size == 1


            def test_resize():
                box = Box()
                box.size = 3
                assert box._size == 3
            '''})
    assert _counts(_cached_verify(root)) == {"ran": 2, "reused": 0}
    source = root / "box/box.py"
    source.write_text(source.read_text().replace("return self._size", "return self._size * 1"))
    edited = _cached_verify(root)
    assert _counts(edited) == {"ran": 1, "reused": 1}
    assert [(f["qualname"], f["line"], f["covering_tests"]) for f in edited["functions"]
            if f["line"] > 1] == [
        ("box.box.Box.__init__", 2, ["tests/test_box.py::test_resize",
                                     "tests/test_box.py::test_size"]),
        ("box.box.Box.size", 6, ["tests/test_box.py::test_size"]),
        ("box.box.Box.size#2", 10, ["tests/test_box.py::test_resize"])]


@pytest.mark.skipif(sys.version_info < (3, 12), reason="sys.monitoring needs Python 3.12+")
def test_sys_monitoring_records_what_coverage_records(tmp_path: Path) -> None:
    # on 3.12+ the baseline's lines come from sys.monitoring; coverage.py is the reference
    root = _project(tmp_path)
    _, monitored, _ = _verify(root, "--depth", "extreme", "--fail-on", "never")
    proc = subprocess.run(
        [sys.executable, "-m", "refute", "verify", str(root), "--format", "json", "--no-cache",
         "--timeout-constant", "1", "--depth", "extreme", "--fail-on", "never"],
        capture_output=True, text=True, timeout=120,
        env={**os.environ, "REFUTE_LINES": "coverage"})
    covered = json.loads(proc.stdout)
    assert monitored["coverage"] == covered["coverage"]
    assert {f["qualname"]: (f["covered_lines"], f["covering_tests"], f["status"])
            for f in monitored["functions"]} == {
        f["qualname"]: (f["covered_lines"], f["covering_tests"], f["status"])
        for f in covered["functions"]}
    assert {t["id"]: t["dynamic"]["covered_lines"] for t in monitored["tests"]} == {
        t["id"]: t["dynamic"]["covered_lines"] for t in covered["tests"]}


def test_a_mutant_an_assertion_catches_is_killed_by_assertion_whatever_the_test_order(
        tmp_path: Path) -> None:
    # the fastest covering test only crashes on the mutant (None + 1); a slower one checks
    # the value. Tests run fastest first, and an error must not end the mutant's run there.
    root = write(tmp_path, {
        "pyproject.toml": PYPROJECT,
        "num/__init__.py": "",
        "num/parse.py": '''
            def parse(text):
                return int(text.strip())
            ''',
        "tests/test_parse.py": '''
            import time

            from num.parse import parse


            def test_parse_is_usable():
                parse("1") + 1


            def test_parse_value():
                time.sleep(0.05)
                assert parse(" 2 ") == 2
            '''})
    code, doc, _ = _verify(root, "--depth", "extreme", "--fail-on", "never")
    assert code == 0
    assert [(m["id"], m["status"], m["killed_by"]) for m in doc["mutants"]] == [
        ("num.parse.parse:1:extreme:none:body replaced by `return None`",
         "killed-by-assertion", "tests/test_parse.py::test_parse_value"),
        ("num.parse.parse:1:extreme:zero:body replaced by `return 0`",
         "killed-by-assertion", "tests/test_parse.py::test_parse_value")]
    assert [(f["qualname"], f["status"]) for f in doc["functions"]] == [
        ("num.parse.parse", "tested")]

    # with the checking test gone, the same mutant is only crashed: pseudo-tested
    tests = root / "tests/test_parse.py"
    tests.write_text(tests.read_text().split("\n\n\ndef test_parse_value")[0] + "\n")
    code, doc, _ = _verify(root, "--depth", "extreme", "--fail-on", "never")
    assert [(m["status"], m["killed_by"]) for m in doc["mutants"]] == [
        ("killed-by-error", "tests/test_parse.py::test_parse_is_usable"), ("survived", None)]
    assert [(f["qualname"], f["status"]) for f in doc["functions"]] == [
        ("num.parse.parse", "pseudo-tested")]


def test_a_test_package_is_set_up_again_for_every_mutant(tmp_path: Path) -> None:
    # the tests' package opens a resource in setup_module and closes it in teardown_module;
    # each mutant's tests must find it open, or every mutant after the first in a child would
    # be killed by the closed resource instead of by the tests
    root = write(tmp_path, {
        "pyproject.toml": PYPROJECT,
        "num/__init__.py": "",
        "num/ops.py": '''
            def double(x):
                return x * 2


            def triple(x):
                return x * 3
            ''',
        "tests/__init__.py": '''
            OPEN = []


            def setup_module():
                OPEN.append(True)


            def teardown_module():
                OPEN.clear()
            ''',
        "tests/test_ops.py": '''
            from num.ops import double, triple
            from tests import OPEN


            def test_double_runs():
                assert OPEN, "the package was not set up"
                double(2)


            def test_triple():
                assert OPEN, "the package was not set up"
                assert triple(2) == 6
            '''})
    code, doc, _ = _verify(root, "--depth", "full", "--fail-on", "never")
    assert code == 0
    assert [(m["function"], m["operator"], m["status"]) for m in doc["mutants"]] == [
        ("num.ops.double", "extreme:none", "survived"),
        ("num.ops.double", "extreme:zero", "survived"),
        ("num.ops.double", "arithmetic", "survived"),
        ("num.ops.double", "constant", "survived"),
        ("num.ops.double", "return", "survived"),
        ("num.ops.triple", "extreme:none", "killed-by-assertion"),
        ("num.ops.triple", "extreme:zero", "killed-by-assertion"),
        ("num.ops.triple", "arithmetic", "killed-by-assertion"),
        ("num.ops.triple", "constant", "killed-by-assertion"),
        ("num.ops.triple", "return", "killed-by-assertion")]


def test_cached_functions_are_mutated_and_nothing_in_the_users_namespaces_is_called(
        tmp_path: Path) -> None:
    # `square`'s value was cached by the baseline: a mutant must not be answered from that
    # cache (it would survive a test that checks the value, a false pseudo-tested). A
    # module-level MagicMock answers to any attribute and `from pytest import mark` makes a
    # mark of any name: looking for caches must not call them, or the mock records the call
    # (the next mutant's test then sees it) and pytest warns about a mark `cache_info`
    root = write(tmp_path, {
        "pyproject.toml": PYPROJECT,
        "num/__init__.py": "",
        "num/ops.py": '''
            import functools


            @functools.lru_cache
            def triple(x):
                return x * 3


            @functools.cache
            def square(x):
                return x * x
            ''',
        "tests/test_ops.py": '''
            from unittest.mock import MagicMock

            from pytest import mark

            from num.ops import square, triple

            audit_log = MagicMock()


            @mark.parametrize("x", [2])
            def test_triple_runs(x):
                triple(x)
                assert audit_log.mock_calls == []


            def test_square():
                assert square(3) == 9
            '''})
    code, doc, stderr = _verify(root, "--depth", "full", "--fail-on", "never")
    assert code == 0
    assert "Warning" not in stderr
    assert [(m["function"], m["operator"], m["status"]) for m in doc["mutants"]] == [
        ("num.ops.triple", "extreme:none", "survived"),
        ("num.ops.triple", "extreme:zero", "survived"),
        ("num.ops.triple", "arithmetic", "survived"),
        ("num.ops.triple", "constant", "survived"),
        ("num.ops.triple", "return", "survived"),
        ("num.ops.square", "extreme:none", "killed-by-assertion"),
        ("num.ops.square", "extreme:zero", "killed-by-assertion"),
        ("num.ops.square", "arithmetic", "killed-by-assertion"),
        ("num.ops.square", "return", "killed-by-assertion")]
    assert [(f["qualname"], f["status"]) for f in doc["functions"]] == [
        ("num.ops.triple", "pseudo-tested"), ("num.ops.square", "tested"),
        ("num.ops.<module>", "not-mutated")]


def test_a_failed_forced_fail_check_is_named_as_such(tmp_path: Path) -> None:
    # the only test swallows every exception, so even a function that raises cannot fail it:
    # the run must say that mutants would not be seen, not that nothing was mutated
    root = write(tmp_path, {
        "pyproject.toml": PYPROJECT,
        "num/__init__.py": "",
        "num/ops.py": "def double(x):\n    return x * 2\n",
        "tests/test_ops.py": '''
            from num.ops import double


            def test_double_quietly():
                try:
                    assert double(2) == 4
                except BaseException:
                    pass
            '''})
    code, doc, stderr = _verify(root)
    assert (code, doc) == (2, {})
    assert stderr.strip() == (
        "refute: error: the forced-fail check failed: `num.ops.double` raising AssertionError "
        "did not fail any of its 1 covering tests")


def test_a_forced_fail_try_that_proves_nothing_restarts_the_mutants_after_the_next_try(
        tmp_path: Path) -> None:
    # `core` is the most widely covered function, so the check tries it first, beside the
    # mutants; its tests swallow every exception, so its try proves nothing. The mutants'
    # children stop, `shown` is tried and fails its test, and the mutants run again: the
    # results are those of a run whose check passed, stored once, and a rerun reads them all
    root = write(tmp_path, {
        "pyproject.toml": PYPROJECT,
        "num/__init__.py": "",
        "num/ops.py": "def core(x):\n    return x + 1\n\n\ndef shown(x):\n    return x * 3\n",
        "tests/test_ops.py": '''
            from num.ops import core, shown


            def test_core_quietly():
                try:
                    assert core(1) == 2
                except BaseException:
                    pass


            def test_core_quietly_again():
                try:
                    assert core(2) == 3
                except BaseException:
                    pass


            def test_shown():
                assert shown(2) == 6
            '''})
    args = ("verify", str(root), "--format", "json", "--depth", "extreme", "--fail-on", "never")
    first = run_refute(*args)
    second = run_refute(*args)
    assert (first.returncode, second.returncode) == (0, 0), first.stderr + second.stderr
    a, b = json.loads(first.stdout), json.loads(second.stdout)
    assert a["run"]["forced_fail_ok"] is True
    assert [(m["function"], m["operator"], m["status"]) for m in a["mutants"]] == [
        ("num.ops.core", "extreme:none", "survived"),
        ("num.ops.core", "extreme:zero", "survived"),
        ("num.ops.shown", "extreme:none", "killed-by-assertion"),
        ("num.ops.shown", "extreme:zero", "killed-by-assertion")]
    assert [(f["qualname"], f["status"]) for f in a["functions"]] == [
        ("num.ops.core", "pseudo-tested"), ("num.ops.shown", "tested")]
    assert (a["run"]["cached_mutants"], b["run"]["cached_mutants"]) == (0, 4)
    assert [m["status"] for m in b["mutants"]] == [m["status"] for m in a["mutants"]]


def test_methods_calling_super_are_mutated_and_equivalent_mutants_are_not_made(
        tmp_path: Path) -> None:
    # a mutant of `Child.total` no longer calls super(): it must keep the original's
    # __class__ cell to be swapped in. `hook` already does nothing and `answer` already
    # returns 42: `pass` and `return 42`-like extreme mutants would be the same function
    root = write(tmp_path, {
        "pyproject.toml": PYPROJECT,
        "num/__init__.py": "",
        "num/ops.py": '''
            class Base:
                def total(self):
                    return 1


            class Child(Base):
                def total(self):
                    return super().total() + 1


            def hook(event):
                """Subclasses react to events; the default ignores them."""


            def answer():
                return 42


            def ready():
                return True


            class Registry(dict):
                def __init__(self):
                    super().__init__()
                    self.frozen = False


            class Key:
                def __init__(self, name):
                    self.name = name

                def __hash__(self):
                    return hash(self.name)

                def __eq__(self, other):
                    return self.name == other.name
            ''',
        "tests/test_ops.py": '''
            from num.ops import Child, Key, Registry, answer, hook, ready


            def test_total():
                assert Child().total() == 2


            def test_hook_accepts_any_event():
                hook("start")


            def test_answer():
                assert answer() == 42


            def test_ready():
                assert ready() is True


            def test_registry_starts_empty_and_open():
                registry = Registry()
                assert (dict(registry), registry.frozen) == ({}, False)


            def test_equal_keys_are_one_entry():
                assert len({Key("a"), Key("a"), Key("b")}) == 2
            '''})
    code, doc, _ = _verify(root, "--depth", "full", "--fail-on", "never")
    assert code == 0
    assert [(m["function"], m["operator"], m["status"]) for m in doc["mutants"]] == [
        ("num.ops.Base.total", "extreme:none", "killed-by-error"),  # None + 1 in Child.total
        ("num.ops.Base.total", "extreme:zero", "killed-by-assertion"),
        ("num.ops.Base.total", "constant", "killed-by-assertion"),
        ("num.ops.Base.total", "return", "killed-by-error"),
        ("num.ops.Child.total", "extreme:none", "killed-by-assertion"),
        ("num.ops.Child.total", "extreme:zero", "killed-by-assertion"),
        ("num.ops.Child.total", "arithmetic", "killed-by-assertion"),
        ("num.ops.Child.total", "constant", "killed-by-assertion"),
        ("num.ops.Child.total", "return", "killed-by-assertion"),
        ("num.ops.answer", "extreme:none", "killed-by-assertion"),
        ("num.ops.answer", "extreme:zero", "killed-by-assertion"),
        ("num.ops.answer", "constant", "killed-by-assertion"),
        ("num.ops.answer", "return", "killed-by-assertion"),
        ("num.ops.ready", "extreme:false", "killed-by-assertion"),  # no `return True` mutant
        ("num.ops.ready", "extreme:none", "killed-by-assertion"),
        ("num.ops.ready", "constant", "killed-by-assertion"),
        ("num.ops.ready", "return", "killed-by-assertion"),
        # no mutant removes the bare super().__init__() of a dict subclass (a no-op)
        ("num.ops.Registry.__init__", "extreme:pass", "killed-by-error"),
        ("num.ops.Registry.__init__", "constant", "killed-by-assertion"),
        ("num.ops.Key.__init__", "extreme:pass", "killed-by-error"),
        # `return 0` would be a valid, only slower, hash: not a mutant
        ("num.ops.Key.__hash__", "extreme:none", "killed-by-error"),
        ("num.ops.Key.__hash__", "return", "killed-by-error"),
        ("num.ops.Key.__eq__", "extreme:false", "killed-by-assertion"),
        ("num.ops.Key.__eq__", "extreme:none", "killed-by-assertion"),
        ("num.ops.Key.__eq__", "extreme:true", "survived"),
        ("num.ops.Key.__eq__", "compare", "killed-by-assertion"),
        ("num.ops.Key.__eq__", "return", "killed-by-assertion")]
    assert [(f["qualname"], f["status"], f["reason"]) for f in doc["functions"]] == [
        ("num.ops.Base.total", "partially-tested", ""),
        ("num.ops.Child.total", "tested", ""),
        ("num.ops.hook", "not-mutated", "its body does nothing or only returns a constant, "
                                        "as every extreme mutant would (equivalent)"),
        ("num.ops.answer", "tested", ""),
        ("num.ops.ready", "tested", ""),
        ("num.ops.Registry.__init__", "partially-tested", ""),
        ("num.ops.Key.__init__", "partially-tested", ""),
        ("num.ops.Key.__hash__", "partially-tested", ""),
        ("num.ops.Key.__eq__", "partially-tested", ""),
        ("num.ops.<module>", "not-mutated", "4 lines, 4 run at import: module-level code runs "
                                            "once, when the module is imported, before a "
                                            "mutant can be swapped in; refute mutates "
                                            "functions and methods")]


def test_a_mutant_hidden_by_the_baseline_state_is_caught_from_a_process_that_ran_no_test(
        tmp_path: Path) -> None:
    # `Settings.__getattr__` computes an attribute once and stores it: the baseline run did,
    # so in a mutant's process the stored value answers and the mutated code never runs
    # (3.12+ sees that; 3.11 sees a survivor). A fresh run catches a broken __getattr__:
    # the second look runs those mutants from a process that has collected the suite but
    # run no test, and the function is tested, not pseudo-tested
    root = write(tmp_path, {
        "pyproject.toml": PYPROJECT,
        "num/__init__.py": "",
        "num/lazy.py": '''
            class Settings:
                def __getattr__(self, name):
                    value = name.upper()
                    setattr(self, name, value)
                    return value


            settings = Settings()


            def shout(text):
                return text.upper() + "!"
            ''',
        "tests/test_lazy.py": '''
            from num.lazy import settings, shout


            def test_debug_setting():
                assert settings.debug == "DEBUG"


            def test_shout():
                assert shout("hi") == "HI!"
            '''})
    code, doc, _ = _verify(root, "--depth", "extreme", "--fail-on", "pseudo-tested")
    assert code == 0
    late = ("AssertionError; caught only in a process that had run no test before: state "
            "the baseline run left behind (a module already imported, a value cached on "
            "first use) hid it from the first try")
    assert [(m["function"], m["operator"], m["status"], m["detail"])
            for m in doc["mutants"]] == [
        ("num.lazy.Settings.__getattr__", "extreme:empty-str", "killed-by-assertion", late),
        ("num.lazy.Settings.__getattr__", "extreme:none", "killed-by-assertion", late),
        ("num.lazy.shout", "extreme:empty-str", "killed-by-assertion", "AssertionError"),
        ("num.lazy.shout", "extreme:none", "killed-by-assertion", "AssertionError")]
    assert [(f["qualname"], f["status"], f["killed_by_assertion"], f["survived"])
            for f in doc["functions"]] == [
        ("num.lazy.Settings.__getattr__", "tested", 2, 0), ("num.lazy.shout", "tested", 2, 0),
        ("num.lazy.<module>", "not-mutated", 0, 0)]
    assert doc["coverage"]["checked_lines"] == 6  # both functions' lines; not the module's
    # without the second look the first results stand: a survivor (3.11) or an untried
    # mutant (3.12+, `sys.monitoring` saw its code never start)
    code, doc, _ = _verify(root, "--depth", "extreme", "--no-second-look")
    first = {m["status"] for m in doc["mutants"] if m["function"].endswith("__getattr__")}
    assert first == ({"not-covered"} if sys.version_info >= (3, 12) else {"survived"})


IMPORT_OPS = """def table():
    return [1, 2, 3]


TABLE = table()


def size():
    return len(TABLE)
"""

IMPORT_TESTS = """from calc.ops import TABLE, size


def test_table():
    assert TABLE == [1, 2, 3]


def test_size():
    assert size() == 3
"""


def test_code_run_at_import_is_a_dependency_of_every_stored_test(tmp_path: Path) -> None:
    root = write(tmp_path / "imp", {"pyproject.toml": PYPROJECT, "calc/__init__.py": "",
                                    "calc/ops.py": IMPORT_OPS,
                                    "tests/test_ops.py": IMPORT_TESTS})
    baseline = _cached_verify(root)["run"]["baseline"]
    assert (baseline["ran"], baseline["reused"]) == (2, 0)
    # a comment and blank lines between functions: no code that ran at import changed, so
    # test_table stays; test_size ran lines of the file, whose text outside functions changed
    ops = root / "calc/ops.py"
    ops.write_text(IMPORT_OPS.replace("TABLE = table()\n", "# the table\n\nTABLE = table()\n"))
    baseline = _cached_verify(root)["run"]["baseline"]
    assert (baseline["ran"], baseline["reused"]) == (1, 1)
    # neither test runs a line of table() at test time; both read what it computed at import
    ops.write_text(IMPORT_OPS.replace("[1, 2, 3]", "[1, 2, 3, 4]"))
    proc = run_refute("verify", str(root), "--format", "json", "--fail-on", "never")
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert "the suite is red before any mutation (2 failing):\n" \
           "  tests/test_ops.py::test_table\n  tests/test_ops.py::test_size\n" in proc.stderr


def test_a_source_file_that_does_not_parse_is_a_collection_error_not_an_interrupt(
        tmp_path: Path) -> None:
    root = _project(tmp_path / "broken")
    (root / "calc/ops.py").write_text(OPS.replace("    return a + b\n", "    return a +\n"))
    code, doc, err = _verify(root)
    assert code == 2
    assert doc == {}
    assert err.startswith("refute: error: pytest could not collect the suite:\n"
                          "tests/test_ops.py: ")
    assert "SyntaxError" in err
    assert "interrupted" not in err


def test_a_module_tests_import_lazily_keeps_its_results_when_its_tests_are_reused(
        tmp_path: Path) -> None:
    root = write(tmp_path / "lazy", {
        "pyproject.toml": PYPROJECT, "calc/__init__.py": "",
        "calc/lazy.py": "def triple(n):\n    return 3 * n\n",
        "tests/test_lazy.py": "def test_triple():\n    from calc.lazy import triple\n\n"
                              "    assert triple(2) == 6\n"})
    first, again = _cached_verify(root), _cached_verify(root)
    assert again["run"]["baseline"]["reused"] == 1  # calc.lazy is never imported this time
    assert [(f["qualname"], f["status"], f["mutants"], f["reason"])
            for f in again["functions"]] == [("calc.lazy.triple", "tested", 2, "")]
    assert _statuses(again) == _statuses(first)



PROFILES = {
    "pyproject.toml": PYPROJECT,
    "people/__init__.py": "",
    "people/profile.py": '''
        def profile(record):
            record.setdefault("seen", True)
            name = record["first"] + " " + record["last"]
            return {"name": name, "id": record["id"]}
        ''',
    "tests/test_profile.py": '''
        from people.profile import profile


        def test_profile():
            result = profile({"id": 7, "first": "Ada", "last": "Lovelace"})
            assert result["name"] == "Ada Lovelace"
            assert result["id"] == 7
        ''',
}


def test_a_function_pseudo_tested_through_one_mutant_per_line_gets_every_mutant(
        tmp_path: Path) -> None:
    # one mutant per line: the extreme ones and `+` -> `-` only crash the test (a KeyError or
    # TypeError), and `True` -> `False` survives, which makes `profile` pseudo-tested; but
    # `+` -> `-` hid `" "` -> `"XX XX"`, which the name's assertion catches: every mutant
    # of `profile` runs before the verdict
    root = write(tmp_path, PROFILES)
    code, doc, _ = _verify(root)
    assert code == 0
    assert doc["functions"][0]["status"] == "partially-tested"
    statuses = {(m["line"], m["operator"], m["description"]): m["status"]
                for m in doc["mutants"]}
    assert statuses[1, "extreme:none", "body replaced by `return None`"] == "killed-by-error"
    assert statuses[2, "constant", "`True` -> `False`"] == "survived"
    assert statuses[3, "arithmetic", "`+` -> `-`"] == "killed-by-error"
    assert statuses[3, "string", "`' '` -> `'XX XX'`"] == "killed-by-assertion"
    # two of a kind on one line keep ids of their own
    assert statuses[4, "string", "`'id'` -> `'XXidXX'`"] == "killed-by-error"
    assert statuses[4, "string", "`'id'` -> `'XXidXX'` (occurrence 2 on the line)"] == \
        "killed-by-error"
    assert len({m["id"] for m in doc["mutants"]}) == len(doc["mutants"])
    # the mutants of --depth full, which makes every classic mutant anyway
    _, full, _ = _verify(root, "--depth", "full")
    assert sorted(m["id"] for m in full["mutants"]) == sorted(m["id"] for m in doc["mutants"])


def test_the_closer_look_leaves_extreme_depth_and_caught_functions_alone(
        tmp_path: Path) -> None:
    root = write(tmp_path, PROFILES)
    code, doc, _ = _verify(root, "--depth", "extreme")
    assert code == 0
    assert [(m["operator"], m["status"]) for m in doc["mutants"]] == [
        ("extreme:empty-dict", "killed-by-error"), ("extreme:none", "killed-by-error")]
    assert doc["functions"][0]["status"] == "partially-tested"
    # a test that catches `True` -> `False`: one mutant per line settles it, and no more
    # mutants are made than that
    write(root, {"tests/test_seen.py": '''
        from people.profile import profile


        def test_marks_seen():
            record = {"id": 7, "first": "Ada", "last": "Lovelace"}
            profile(record)
            assert record["seen"] is True
        '''})
    _, default, _ = _verify(root)
    assert default["functions"][0]["status"] == "partially-tested"
    assert [(m["line"], m["operator"], m["status"]) for m in default["mutants"]] == [
        (1, "extreme:empty-dict", "killed-by-error"), (1, "extreme:none", "killed-by-error"),
        (2, "constant", "killed-by-assertion"), (3, "arithmetic", "killed-by-error"),
        (4, "return", "killed-by-error")]
