"""refute verify side by side with mutmut 3, in one run (a script, not a timed test).

For the bundled example and real projects from their PyPI sdists it measures:

- mutmut 3 (installed from PyPI into its own virtualenv under --workdir): a full ``mutmut run``
  on a private copy of the project, its wall time, mutant count and mutants per second;
- ``refute verify --depth extreme``: wall time of extreme verdicts for every covered function,
  as a fraction of mutmut's full run (goal <= 0.2);
- ``refute verify --depth full`` (every classic mutant): mutants per second against mutmut's
  (goal >= 3x), and the overhead, wall / ideal (goal <= 1.5);
- a warm rerun after touching one function, as a fraction of the cold run (goal < 0.1):
  a plain rerun (a new process, with the cache), and a round of ``refute verify --watch``
  (from the edit written to the round's JSON line), checked against the plain rerun's
  mutant and function statuses.

Tests that mutmut's trampolines cannot run (they inspect module attributes or package
metadata) are deselected for both tools, so both run the same tests.

    python benchmarks/vs_mutmut.py [--workdir DIR] [--projects example toolz more-itertools]
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from real_suites import fetch  # benchmarks/ is not a package

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Project:
    name: str
    sdist: str | None  # PyPI name, or None for the bundled example
    mutate: str  # package directory, relative to the project root
    tests: str
    deselect: list[str] = field(default_factory=list)
    touch: str = ""  # "path::function" whose body the warm rerun changes


PROJECTS = {
    "example": Project("example", None, "cache_service", "tests",
                       touch="cache_service/serializer.py::to_payload"),
    "toolz": Project("toolz", "toolz", "toolz", "toolz/tests", deselect=[
        "toolz/tests/test_curried.py", "toolz/tests/test_curried_doctests.py",
        "toolz/tests/test_signatures.py", "toolz/tests/test_inspect_args.py",
        "toolz/tests/test_tlz.py", "toolz/tests/test_serialization.py",
        "toolz/tests/test_package.py"], touch="toolz/itertoolz.py::frequencies"),
    # two tests are most of the suite's time (a threaded tee test and a prime sieve loop:
    # 5 s and 26 s plain, minutes under either tool's tracing); both tools leave them out so
    # that the comparison fits a CI job
    "more-itertools": Project("more-itertools", "more-itertools", "more_itertools", "tests",
                              deselect=[
                                  "tests/test_more.py::TestConcurrentTee::"
                                  "test_concurrent_consumers",
                                  "tests/test_recipes.py::PrimeFunctionTests::test_primes"],
                              touch="more_itertools/more.py::chunked"),
}


def run(cmd: list[str], cwd: Path, env: dict[str, str] | None = None,
        timeout: int = 3600) -> tuple[float, subprocess.CompletedProcess[str]]:
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=timeout)
    return time.perf_counter() - start, proc


def mutmut_venv(workdir: Path) -> Path:
    venv = workdir / "mutmut-venv"
    python = venv / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", "mutmut>=3,<4",
                        "pytest"], check=True)
    return venv


def source_of(project: Project, workdir: Path) -> Path:
    if project.sdist is None:
        return ROOT / "examples" / "cache_service"
    return fetch(project.sdist, workdir)


def _mutmut_progress(copy: Path) -> tuple[int, int]:
    """(mutants, finished) from mutmut's own .meta files."""
    total = finished = 0
    for meta in (copy / "mutants").rglob("*.meta"):
        try:
            codes = json.loads(meta.read_text(encoding="utf-8")).get("exit_code_by_key", {})
        except (OSError, ValueError):
            continue
        total += len(codes)
        finished += sum(code is not None for code in codes.values())
    return total, finished


def run_mutmut(project: Project, src: Path, workdir: Path, venv: Path,
               limit: float) -> dict[str, float]:
    copy = workdir / f"mutmut-{project.name}"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(src, copy)
    config = (f'\n[tool.mutmut]\npaths_to_mutate = ["{project.mutate}/"]\n'
              f'tests_dir = ["{project.tests}/"]\ndo_not_mutate = ["*/tests/*"]\n')
    if project.deselect:
        args = ", ".join(f'"--deselect", "{d}"' for d in project.deselect)
        config += f"pytest_add_cli_args = [{args}]\n"
    pyproject = copy / "pyproject.toml"
    text = pyproject.read_text(encoding="utf-8") if pyproject.exists() else ""
    pyproject.write_text(text + config, encoding="utf-8")
    env = {**os.environ, "PATH": f"{venv / 'bin'}:{os.environ['PATH']}"}
    start = time.perf_counter()
    child = subprocess.Popen([str(venv / "bin" / "mutmut"), "run"], cwd=copy, env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                             start_new_session=True)
    try:
        output, _ = child.communicate(timeout=limit)
    except subprocess.TimeoutExpired:
        os.killpg(child.pid, signal.SIGKILL)
        child.communicate()
        total, finished = _mutmut_progress(copy)
        return {"wall": time.perf_counter() - start, "mutants": total, "finished": finished,
                "killed": 0, "survived": 0, "rate": finished / limit, "timed_out": 1}
    wall = time.perf_counter() - start
    results = subprocess.run([str(venv / "bin" / "mutmut"), "results", "--all", "true"],
                             cwd=copy, env=env, capture_output=True, text=True).stdout
    statuses = [line.rsplit(": ", 1)[-1].strip() for line in results.splitlines()
                if "__mutmut_" in line]
    rate = re.findall(r"([\d.]+) mutations/second", output)
    return {"wall": wall, "mutants": len(statuses), "finished": len(statuses), "timed_out": 0,
            "killed": statuses.count("killed"), "survived": statuses.count("survived"),
            "reported_rate": float(rate[-1]) if rate else 0.0,
            "rate": len(statuses) / wall if wall else 0.0}


def run_refute(project: Project, src: Path, depth: str, cache: bool) -> dict[str, Any]:
    cmd = [sys.executable, "-m", "refute", "verify", str(src), "--depth", depth,
           "--format", "json", "--fail-on", "never"]
    if not cache:
        cmd.append("--no-cache")
    for node in project.deselect:
        cmd += ["--deselect", node]
    wall, proc = run(cmd, src)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"refute verify failed on {project.name}: {proc.stderr[-1500:]}")
    doc = json.loads(proc.stdout)
    baseline = doc["run"].get("baseline", {})
    return {"wall": wall, "mutants": len(doc["mutants"]), "ideal": doc["run"]["ideal_time"],
            "inner_wall": doc["run"]["wall_time"], "cached": doc["run"]["cached_mutants"],
            "mutation": doc["run"].get("mutation_time", 0.0),
            "ran": baseline.get("ran", 0), "reused": baseline.get("reused", 0),
            "functions": len(doc["functions"]), "doc": proc.stdout}


def run_watch(project: Project, src: Path, where: str, rounds: int = 3,
              extra: tuple[str, ...] = ()) -> tuple[list[float], dict[str, object]]:
    """Start ``refute verify --watch`` (its first round fills nothing new: the cold run's
    cache is there), then ``rounds`` times touch ``where`` and time the edit to the round's
    report. Returns the times and the last round's document. ``extra``: more options."""
    cmd = [sys.executable, "-m", "refute", "verify", str(src), "--depth", "default",
           "--format", "json", "--fail-on", "never", "--watch", *extra]
    for node in project.deselect:
        cmd += ["--deselect", node]
    proc = subprocess.Popen(cmd, cwd=src, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, start_new_session=True)
    assert proc.stdout is not None
    assert proc.stderr is not None
    times: list[float] = []
    doc: dict[str, object] = {}
    try:
        if not proc.stdout.readline():
            raise SystemExit(f"refute verify --watch ended: {proc.stderr.read()[-1500:]}")
        for _ in range(rounds):
            time.sleep(0.3)  # the watcher is idle, as between two edits
            began = time.perf_counter()
            touch(src, where)
            line = proc.stdout.readline()
            times.append(time.perf_counter() - began)
            if not line:
                raise SystemExit(f"refute verify --watch ended: {proc.stderr.read()[-1500:]}")
            doc = json.loads(line)
    finally:
        os.killpg(proc.pid, signal.SIGINT)
        proc.wait(10)
    return times, doc


def statuses(doc: dict[str, object]) -> tuple[dict[str, str], dict[str, str]]:
    """Mutant and function statuses of a verify document (what a rerun must reproduce)."""
    mutants = {m["id"]: m["status"] for m in doc["mutants"]}  # type: ignore[attr-defined]
    functions = {f["qualname"]: f["status"] for f in doc["functions"]}  # type: ignore[attr-defined]
    return mutants, functions


def touch(src: Path, where: str) -> None:
    """Change one function's body (a no-op statement after its docstring), as an edit in a
    pull request would."""
    rel, name = where.split("::")
    path = src / rel
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == name:
            first = node.body[0]
            docstring = isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) \
                and isinstance(first.value.value, str)
            after = (first.end_lineno or first.lineno) if docstring else first.lineno - 1
            indent = " " * first.col_offset
            lines.insert(after, f"{indent}_touched = None\n")
            path.write_text("".join(lines), encoding="utf-8")
            return
    raise SystemExit(f"cannot find {where}")


def main() -> None:
    # every tool runs as installed, from compiled bytecode: with PYTHONDONTWRITEBYTECODE set
    # (some shells and CI images set it), a module edited since its last compile would be
    # compiled again in every process the benchmark starts
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--projects", nargs="*", default=list(PROJECTS))
    parser.add_argument("--reuse-mutmut", action="store_true",
                        help="reuse mutmut's result saved in the workdir by an earlier run")
    parser.add_argument("--round-floor", action="store_true",
                        help="also time watch rounds without the flaky rerun and the second "
                             "look (what a round costs without those two checks)")
    parser.add_argument("--mutmut-limit", type=float, default=900.0,
                        help="stop mutmut after this many seconds and report its progress")
    args = parser.parse_args()
    workdir = (args.workdir or Path(tempfile.mkdtemp(prefix="refute-vs-mutmut-"))).resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    venv = mutmut_venv(workdir)
    print(f"machine: {os.cpu_count()} cores, python {sys.version.split()[0]}; "
          f"workdir {workdir}")
    for name in args.projects:
        project = PROJECTS[name]
        pristine = source_of(project, workdir)
        src = workdir / f"refute-{project.name}"
        shutil.rmtree(src, ignore_errors=True)
        shutil.copytree(pristine, src)
        shutil.rmtree(src / ".refute_cache", ignore_errors=True)
        saved = workdir / f"mutmut-{project.name}.json"
        if args.reuse_mutmut and saved.exists():
            mm = json.loads(saved.read_text(encoding="utf-8"))
        else:
            mm = run_mutmut(project, pristine, workdir, venv, args.mutmut_limit)
            mm["limit"] = args.mutmut_limit
            saved.write_text(json.dumps(mm), encoding="utf-8")
        extreme = run_refute(project, src, "extreme", cache=False)
        full = run_refute(project, src, "full", cache=False)
        cold = run_refute(project, src, "default", cache=True)
        touch(src, project.touch)
        warm = run_refute(project, src, "default", cache=True)
        watched, doc = run_watch(project, src, project.touch)
        # the same tree in a new process: what the last round must have reported
        same = statuses(doc) == statuses(json.loads(
            run_refute(project, src, "default", cache=True)["doc"]))
        full_rate = full["mutants"] / full["wall"]
        print(f"\n== {project.name}")
        if mm["timed_out"]:
            limit = mm.get("limit", args.mutmut_limit)
            print(f"mutmut 3 run           : did not finish in {limit:.0f} s: "
                  f"{mm['finished']} of {mm['mutants']} mutants done (at least "
                  f"{mm['rate']:.1f} mutants/s; ratios below are upper bounds)")
        else:
            print(f"mutmut 3 run           : {mm['wall']:7.1f} s, {mm['mutants']} mutants "
                  f"({mm['killed']} killed, {mm['survived']} survived), "
                  f"{mm['rate']:.1f} mutants/s")
        print(f"refute --depth extreme : {extreme['wall']:7.1f} s, {extreme['mutants']} "
              f"mutants, {extreme['functions']} functions; "
              f"{extreme['wall'] / mm['wall']:.3f} of mutmut's wall (goal <= 0.2)")
        print(f"refute --depth full    : {full['wall']:7.1f} s, {full['mutants']} mutants, "
              f"{full_rate:.1f} mutants/s = {full_rate / mm['rate']:.2f}x mutmut (goal >= 3)")
        if full["ideal"]:
            print(f"overhead (goal <= 1.5) : mutation phase {full['mutation']:.1f} s / ideal "
                  f"{full['ideal']:.1f} s = {full['mutation'] / full['ideal']:.2f}; whole run "
                  f"(start-up, baseline included) {full['inner_wall'] / full['ideal']:.2f}")
        print(f"refute default, cold   : {cold['wall']:7.1f} s; after touching "
              f"{project.touch}: {warm['wall']:.1f} s with {warm['cached']} of "
              f"{warm['mutants']} mutants cached, {warm['reused']} of "
              f"{warm['reused'] + warm['ran']} tests' baseline reused = "
              f"{warm['wall'] / cold['wall']:.2f} of cold (goal < 0.1)")
        shown = ", ".join(f"{t:.2f}" for t in watched)
        middle = sorted(watched)[len(watched) // 2]
        print(f"refute --watch round   : edit to report {shown} s, median "
              f"{middle / cold['wall']:.3f} of cold (goal < 0.1); statuses "
              f"{'identical to' if same else 'DIFFER from'} the plain rerun's")
        if args.round_floor:
            bare, _ = run_watch(project, src, project.touch, rounds=5,
                                extra=("--flaky-reruns", "0", "--no-second-look"))
            shown = ", ".join(f"{t:.3f}" for t in bare)
            middle = sorted(bare)[len(bare) // 2]
            print(f"round, two checks off: edit to report {shown} s, median "
                  f"{middle / cold['wall']:.3f} of cold (the floor of a round without the "
                  "flaky rerun and the second look)")


if __name__ == "__main__":
    main()
