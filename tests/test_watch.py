"""refute verify --watch: real watch processes on projects in temp dirs, edited while they run.

Each round's JSON line is compared with what a fresh ``refute verify`` reports on the same
tree; the edits that cannot be brought into the running session must start a fresh process,
and Ctrl-C must end everything.
"""

from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import IO, Any

import pytest

from conftest import ROOT, run_refute, write

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="--watch forks its rounds")

OPS = '''"""Arithmetic for the watch tests."""

LIMIT = 10


def add(a, b):
    return a + b


def label(n):
    """A label."""
    if n > LIMIT:
        return "big"
    return "small"


def double(n):
    return add(n, n)
'''

TESTS = '''from calc.ops import add, double, label


def test_add():
    assert add(2, 3) == 5


def test_label():
    assert label(11) == "big"
    assert label(1) == "small"


def test_double():
    assert double(4) == 8
'''

PYPROJECT = '[tool.pytest.ini_options]\ntestpaths = ["tests"]\npythonpath = ["."]\n'


def _project(root: Path, ops: str = OPS) -> Path:
    return write(root, {"pyproject.toml": PYPROJECT, "calc/__init__.py": "",
                        "calc/ops.py": ops, "tests/test_ops.py": TESTS})


def _pump(stream: IO[str], into: queue.Queue[str]) -> None:
    for line in stream:
        into.put(line)


class Watch:
    """A running ``refute verify --watch --format json`` and what it has printed."""

    def __init__(self, root: Path, cwd: Path = ROOT) -> None:
        target = root.relative_to(cwd) if root.is_relative_to(cwd) else root
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "refute", "verify", str(target), "--watch", "--format",
             "json", "--fail-on", "never", "--flaky-reruns", "0"],
            cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.out: queue.Queue[str] = queue.Queue()
        self.err: queue.Queue[str] = queue.Queue()
        self.stderr: list[str] = []
        for stream, into in ((self.proc.stdout, self.out), (self.proc.stderr, self.err)):
            assert stream is not None
            threading.Thread(target=_pump, args=(stream, into), daemon=True).start()

    def document(self, timeout: float = 60) -> dict[str, Any]:
        """The next round's JSON document (one line)."""
        try:
            line = self.out.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError(f"no round reported; stderr: {self.errors()}") from None
        return json.loads(line)  # type: ignore[no-any-return]

    def errors(self) -> list[str]:
        while not self.err.empty():
            self.stderr.append(self.err.get())
        return self.stderr

    def wait_for_error(self, text: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if any(text in line for line in self.errors()):
                return
            time.sleep(0.05)
        raise AssertionError(f"{text!r} not in stderr: {self.errors()}")

    def stop(self) -> int:
        self.proc.send_signal(signal.SIGINT)
        self.proc.wait(timeout=30)
        time.sleep(0.2)  # let the pump threads take the last lines
        self.errors()
        return self.proc.returncode


@pytest.fixture
def watching(tmp_path: Path) -> Any:
    root = _project(tmp_path / "proj")
    watch = Watch(root)
    yield root, watch
    if watch.proc.poll() is None:
        watch.proc.kill()
        watch.proc.wait(timeout=30)


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    time.sleep(0.05)  # a new modification time, whatever the file system's resolution
    path.write_text(text.replace(old, new), encoding="utf-8")


def _fresh(root: Path) -> dict[str, Any]:
    proc = run_refute("verify", str(root), "--format", "json", "--no-cache", "--fail-on",
                      "never", "--flaky-reruns", "0")
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)  # type: ignore[no-any-return]


def _results(doc: dict[str, Any]) -> dict[str, Any]:
    """What a round must agree on with a fresh run: mutants, functions, coverage, tests."""
    return {
        "mutants": sorted((m["function"], m["line"], m["operator"], m["description"],
                           m["status"], m["diff"]) for m in doc["mutants"]),
        "functions": sorted((f["qualname"], f["line"], f["status"], f["mutants"],
                             f["covered_lines"], f["covering_tests"])
                            for f in doc["functions"]),
        "summary": doc["summary"],
        "tests": sorted((t["id"], t["verdict"], t["rules"]) for t in doc["tests"]),
    }


def test_a_round_after_an_edit_reports_what_a_fresh_run_reports(watching: Any) -> None:
    root, watch = watching
    first = watch.document()
    assert first["run"]["baseline"] == {"ran": 3, "reused": 0,
                                        "time": first["run"]["baseline"]["time"]}
    # a longer body: every line below it moves, `label` and `double` get new line numbers
    _edit(root / "calc/ops.py", "    return a + b\n", "    total = a + b\n    return total\n")
    second = watch.document()
    watch.wait_for_error("refute: round 1: calc.ops.add changed")
    assert second["run"]["baseline"]["ran"] == 2  # test_add and test_double ran add's code
    assert second["run"]["baseline"]["reused"] == 1
    assert _results(second) == _results(_fresh(root))
    functions = {f["qualname"]: (f["line"], f["status"]) for f in second["functions"]}
    assert functions["calc.ops.label"] == (11, "tested")
    assert functions["calc.ops.double"] == (18, "not-mutated")  # pure delegation
    assert watch.stop() == 130
    assert watch.stderr[-1] == "refute: watch ended\n"
    assert "Traceback" not in "".join(watch.stderr)
    assert "Warning" not in "".join(watch.stderr)  # coverage.py's "no data" on Python < 3.12


def test_a_round_follows_the_calls_the_edited_code_makes(watching: Any) -> None:
    root, watch = watching
    first = watch.document()
    covering = {f["qualname"]: f["covering_tests"] for f in first["functions"]}
    assert covering["calc.ops.add"] == ["tests/test_ops.py::test_add",
                                        "tests/test_ops.py::test_double"]
    _edit(root / "calc/ops.py", "    return add(n, n)\n", "    return n * 2\n")
    second = watch.document()
    covering = {f["qualname"]: f["covering_tests"] for f in second["functions"]}
    assert covering["calc.ops.add"] == ["tests/test_ops.py::test_add"]
    assert covering["calc.ops.double"] == ["tests/test_ops.py::test_double"]
    assert _results(second) == _results(_fresh(root))
    watch.stop()


def test_an_edit_that_turns_the_suite_red_is_reported_and_the_watch_goes_on(
        watching: Any) -> None:
    root, watch = watching
    watch.document()
    _edit(root / "calc/ops.py", "    return a + b\n", "    return a - b\n")
    watch.wait_for_error("refute: error: the suite is red before any mutation (2 failing)")
    assert watch.out.empty()  # no document for a red round
    _edit(root / "calc/ops.py", "    return a - b\n", "    return b + a\n")
    doc = watch.document()
    assert _results(doc) == _results(_fresh(root))
    watch.stop()


@pytest.mark.parametrize(("old", "new", "reason"), [
    ("LIMIT = 10\n", "LIMIT = 5 + 5\n", "calc/ops.py changed outside function bodies"),
    ('    """A label."""\n', '    """A label for n."""\n',
     "calc/ops.py changed outside function bodies"),
    ("def add(a, b):\n", "def add(a, b=0):\n", "calc/ops.py changed outside function bodies"),
    ("def add(a, b):\n    return a + b\n", "def add(a, b):\n    return a + b +\n",
     "calc/ops.py does not parse"),
])
def test_an_edit_outside_function_bodies_starts_a_fresh_process(
        watching: Any, old: str, new: str, reason: str) -> None:
    root, watch = watching
    watch.document()
    _edit(root / "calc/ops.py", old, new)
    watch.wait_for_error(f"refute: starting again: {reason}")
    if "parse" in reason:  # the fresh process reports the broken file and waits for a fix
        watch.wait_for_error("refute: error: pytest could not collect the suite")
        _edit(root / "calc/ops.py", new, old)
    doc = watch.document()
    assert doc["run"]["baseline"]["ran"] + doc["run"]["baseline"]["reused"] == 3
    assert _results(doc) == _results(_fresh(root))
    watch.stop()


def test_a_path_relative_to_where_refute_started_works_in_every_round(tmp_path: Path) -> None:
    root = _project(tmp_path / "proj")
    watch = Watch(root, cwd=tmp_path)  # `refute verify proj --watch`, run from tmp_path
    try:
        first = watch.document()
        assert first["summary"] == {"files": 1, "tests": 3, "vacuous": 0, "weak": 0, "ok": 3}
        _edit(root / "calc/ops.py", "    return a + b\n", "    return b + a\n")
        second = watch.document()
        assert second["summary"] == first["summary"]
        assert _results(second) == _results(_fresh(root))
    finally:
        watch.stop()
    assert not any("error" in line for line in watch.stderr), watch.stderr


def test_a_module_a_test_imports_lazily_is_mutated_in_every_round(tmp_path: Path) -> None:
    root = _project(tmp_path / "proj")
    write(root, {"calc/lazy.py": "def triple(n):\n    return 3 * n\n",
                 "tests/test_lazy.py": "def test_triple():\n    from calc.lazy import triple\n"
                                       "\n    assert triple(2) == 6\n"})
    watch = Watch(root)
    try:
        watch.document()
        _edit(root / "calc/ops.py", "    return a + b\n", "    return b + a\n")
        second = watch.document()
    finally:
        watch.stop()
    triple = next(f for f in second["functions"] if f["qualname"] == "calc.lazy.triple")
    assert (triple["status"], triple["mutants"]) == ("tested", 3)
    assert _results(second) == _results(_fresh(root))


def test_a_function_that_ran_at_import_is_not_swapped_in(tmp_path: Path) -> None:
    ops = OPS + "\n\ndef table():\n    return [1, 2, 3]\n\n\nTABLE = table()\n"
    root = _project(tmp_path / "proj", ops)
    write(root, {"tests/test_table.py": "from calc.ops import TABLE\n\n\n"
                 "def test_table():\n    assert TABLE == [1, 2, 3]\n"})
    watch = Watch(root)
    try:
        watch.document()
        _edit(root / "calc/ops.py", "    return [1, 2, 3]\n", "    return [1, 2]\n")
        watch.wait_for_error("refute: starting again: `calc.ops.table` changed and ran while "
                             "the suite was imported or collected (line 22)")
        # the fresh process imports the new TABLE: the suite is red
        watch.wait_for_error("refute: error: the suite is red before any mutation (1 "
                             "failing)")
    finally:
        watch.stop()


def test_an_edited_test_file_starts_a_fresh_process(watching: Any) -> None:
    root, watch = watching
    watch.document()
    _edit(root / "tests/test_ops.py", "    assert double(4) == 8\n",
          "    assert double(4) == 8\n    assert double(0) == 0\n")
    doc = watch.document()
    assert doc["run"]["baseline"]["ran"] == 3  # the tests of the edited file
    assert _results(doc) == _results(_fresh(root))
    watch.stop()


def test_ctrl_c_ends_the_watch_with_every_process_it_started(watching: Any) -> None:
    root, watch = watching
    watch.document()
    assert watch.stop() == 130
    assert watch.stderr[-1] == "refute: watch ended\n"
    time.sleep(0.3)
    from test_verify import _live_processes_mentioning

    assert _live_processes_mentioning(str(root)) == []


def test_watch_does_not_go_with_shards(tmp_path: Path) -> None:
    root = _project(tmp_path / "proj")
    proc = run_refute("verify", str(root), "--watch", "--shard", "1/2")
    assert proc.returncode == 2
    assert "--watch and --shard do not go together" in proc.stderr


# ---- bringing an edit into a live process (in this process, on modules made from text)
DECORATED = '''def deco(f):
    def wrapper(*args):
        return f(*args) + 1
    return wrapper


@deco
def g(x):
    return x


class Box:
    def size(self):
        return 2
'''


def _module(tmp_path: Path, text: str) -> tuple[Path, dict[str, Any]]:
    path = tmp_path / "m.py"
    path.write_text(text, encoding="utf-8")
    namespace: dict[str, Any] = {}
    exec(compile(text, str(path), "exec"), namespace)  # what importing the module does
    return path, namespace


def _plan(tmp_path: Path, path: Path, old: str, new: str,
          ran: dict[str, set[int]] | None = None, imported: Any = None) -> tuple[Any, Any]:
    from refute.dynamic.hotswap import Version, plan
    from refute.dynamic.swap import LiveFunctions

    live = LiveFunctions({str(path)})
    return plan({str(path): imported or Version.of(path, tmp_path, old)}, {str(path): new},
                ran or {}, live, tmp_path), live


def test_an_edited_body_runs_in_every_live_function_that_had_its_code(tmp_path: Path) -> None:
    from refute.dynamic.hotswap import Version, apply

    path, namespace = _module(tmp_path, DECORATED)
    assert namespace["g"](1) == 2
    assert namespace["Box"]().size() == 2
    new = DECORATED.replace("    return x\n", "    doubled = x * 2\n    return doubled\n")
    imported = Version.of(path, tmp_path, DECORATED)
    update, live = _plan(tmp_path, path, DECORATED, new, {str(path): {1, 2, 4, 7, 8, 12, 13}},
                         imported)
    assert update.changed == ["m.g"]
    # the new spans, where a function kept its text and lines (above the edit), are the old
    # ones (what was computed for them holds); below the edit they moved: new spans
    old_spans = {s.qualname: s for s in imported.spans}
    spans = update.spans[str(path)]
    assert [(s.qualname, s.first_line, s.end_line) for s in spans] == [
        ("m.deco", 1, 4), ("m.g", 7, 10), ("m.Box.size", 14, 15)]
    assert [s is old_spans[s.qualname] for s in spans] == [True, False, False]
    assert update.moves == {str(path): {1: 1, 2: 2, 4: 4, 7: 7, 8: 8, 12: 13, 13: 14}}
    apply(update, live)
    assert namespace["g"](1) == 3  # the decorator's wrapper calls the edited function
    assert namespace["Box"]().size() == 2
    assert namespace["Box"].size.__code__.co_firstlineno == 14  # moved down by one line


FACTORY = """import functools


def make(n):
    def inner():
        return n
    return inner


@functools.lru_cache
def cached(n):
    return n
"""


def test_live_functions_found_after_a_freeze_add_only_the_objects_made_since(
        tmp_path: Path) -> None:
    import gc

    from refute.dynamic.swap import LiveFunctions

    path, namespace = _module(tmp_path, FACTORY)
    first = namespace["make"](1)
    known = LiveFunctions({str(path)})
    names = {key[2]: len(found) for key, found in known.by_key.items()}
    assert names == {"make": 1, "inner": 1, "cached": 1}
    gc.freeze()  # what the watcher does once it has found its live functions
    try:
        second = namespace["make"](2)  # a closure made later, as a round's baseline makes
        # frozen: a walk of its own meets only the closure made since
        alone = LiveFunctions({str(path)})
        assert [found for found in alone.by_key.values()] == [[second]]
        assert alone.caches == {}
        live = LiveFunctions({str(path)}, known)
    finally:
        gc.unfreeze()
    inner = next(found for key, found in live.by_key.items() if key[2] == "inner")
    assert inner == [first, second]
    assert {key[2]: len(found) for key, found in live.by_key.items()} == {
        "make": 1, "inner": 2, "cached": 1}
    assert [len(wrappers) for wrappers in live.caches.values()] == [1]
    # nothing frozen: the walk meets the known objects again and adds none of them twice
    again = LiveFunctions({str(path)}, live)
    assert {key: len(found) for key, found in again.by_key.items()} == {
        key: len(found) for key, found in live.by_key.items()}
    assert known.by_key[next(k for k in known.by_key if k[2] == "inner")] == [first]


@pytest.mark.parametrize(("old", "new", "ran", "why"), [
    ("        return f(*args) + 1\n", "        return f(*args) + 2\n", {1, 2, 4},
     "`m.deco` changed and ran while the suite was imported or collected (line 2)"),
    ("@deco\n", "@deco\n@deco\n", set(), "m.py changed outside function bodies"),
    ("class Box:\n", "class Box(object):\n", set(), "m.py changed outside function bodies"),
    ("    return x\n", "    return x +\n", set(), "m.py does not parse: invalid syntax"),
    ("        return 2\n", "        return super().size()\n", set(),
     "the closure of Box.size in m.py changed"),
])
def test_an_edit_a_live_process_cannot_take_is_refused_with_its_reason(
        tmp_path: Path, old: str, new: str, ran: set[int], why: str) -> None:
    from refute.dynamic.hotswap import Refused

    path, namespace = _module(tmp_path, DECORATED)
    with pytest.raises(Refused) as caught:
        _plan(tmp_path, path, DECORATED, DECORATED.replace(old, new), {str(path): ran})
    assert str(caught.value).startswith(why)
    assert namespace["g"](1) == 2  # nothing was swapped


def test_lines_run_at_import_between_two_edits_keep_their_text(tmp_path: Path) -> None:
    from refute.dynamic.hotswap import Refused

    path, _ = _module(tmp_path, DECORATED)
    new = DECORATED.replace("    return x\n", "    doubled = x * 2\n    return doubled\n") \
        .replace("        return 2\n", "        two = 2\n        return two\n")
    update, _ = _plan(tmp_path, path, DECORATED, new, {str(path): {1, 2, 4, 7, 8, 12, 13}})
    assert update.changed == ["m.g", "m.Box.size"]
    assert update.moves == {str(path): {1: 1, 2: 2, 4: 4, 7: 7, 8: 8, 12: 13, 13: 14}}
    with pytest.raises(Refused, match=r"line 13 of m\.py ran at import and changed"):
        _plan(tmp_path, path, DECORATED, new.replace("    def size(self):\n",
                                                     "    def size(self):  # two\n"),
              {str(path): {1, 2, 4, 7, 8, 12, 13}})


def test_a_file_that_did_not_parse_when_the_watch_started_needs_a_fresh_process(
        tmp_path: Path) -> None:
    from refute.dynamic.hotswap import Refused, plan
    from refute.dynamic.swap import LiveFunctions

    path = tmp_path / "m.py"
    path.write_text("def f(:\n", encoding="utf-8")
    fixed = "def f():\n    return 1\n"
    with pytest.raises(Refused, match=r"^m\.py could not be parsed when the watch started$"):
        plan({}, {str(path): fixed}, {}, LiveFunctions({str(path)}), tmp_path)
