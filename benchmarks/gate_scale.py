"""How fast is ``refute gate`` on a big repository? (a script, not a timed test)

Builds a repository with N tests (default 2,000 in 100 files) written over M commits (default
500; every fifth by a bot with a Generated-by trailer), a ledger signing off half of the
tests, and a pull-request branch that adds and changes a few tests. Then it times
``refute gate --base main`` cold (no cache) and warm (second run), and ``refute provenance``.

    python benchmarks/gate_scale.py [--tests 2000] [--commits 500] [--workdir DIR]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HUMAN = ("Ada Author", "ada@example.com")
REVIEWER = ("Rita Reviewer", "rita@example.com")
BOT = ("Copilot", "198982749+Copilot@users.noreply.github.com")


def git(root: Path, *args: str, env: dict[str, str]) -> str:
    return subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True,
                          text=True).stdout


def commit(root: Path, message: str, who: tuple[str, str], env: dict[str, str]) -> None:
    git(root, "add", "-A", env=env)
    git(root, "-c", f"user.name={who[0]}", "-c", f"user.email={who[1]}", "commit", "-q",
        "--allow-empty", "-m", message, env=env)


def case_text(index: int, variant: int = 0) -> str:
    return (f"\n\ndef test_case_{index}(base):\n"
            f"    assert scale(base, {index}) == base * {index + variant}\n")


def build(root: Path, tests: int, commits: int, env: dict[str, str]) -> None:
    files = max(1, tests // 20)
    root.mkdir(parents=True)
    git(root, "init", "-q", "-b", "main", env=env)
    (root / "pyproject.toml").write_text(
        "[tool.pytest.ini_options]\ntestpaths = ['tests']\n\n[tool.refute]\n"
        "reviewers = ['rita@example.com']\n", encoding="utf-8")
    (root / "calc.py").write_text("def scale(a, b):\n    return a * b\n", encoding="utf-8")
    (root / "tests").mkdir()
    (root / "tests/conftest.py").write_text(
        "import pytest\n\n\n@pytest.fixture\ndef base():\n    return 3\n", encoding="utf-8")
    bodies: dict[int, list[str]] = {f: [] for f in range(files)}
    per_commit = max(1, tests // commits)
    written = 0
    for number in range(commits):
        who = BOT if number % 5 == 0 else HUMAN
        for _ in range(per_commit):
            if written < tests:
                bodies[written % files].append(case_text(written))
                written += 1
        if written >= tests and number % 2:  # later commits edit existing tests
            case = number % tests
            bodies[case % files][case // files] = case_text(case)
        for f, parts in bodies.items():
            if parts:
                (root / f"tests/test_mod{f:03d}.py").write_text(
                    "from calc import scale\n" + "".join(parts), encoding="utf-8")
        message = f"tests batch {number}"
        if who is BOT:
            message += "\n\nGenerated-by: Copilot"
        commit(root, message, who, env)
    while written < tests:
        bodies[written % files].append(case_text(written))
        written += 1
    for f, parts in bodies.items():
        (root / f"tests/test_mod{f:03d}.py").write_text(
            "from calc import scale\n" + "".join(parts), encoding="utf-8")
    commit(root, "the remaining tests", HUMAN, env)
    half = [f"tests/test_mod{f:03d}.py" for f in range(0, files, 2)]
    run(root, ["signoff", *half, "--as", f"{REVIEWER[0]} <{REVIEWER[1]}>"], env)
    commit(root, "sign off half of the tests", REVIEWER, env)
    git(root, "checkout", "-q", "-b", "feature", env=env)
    target = root / "tests/test_mod000.py"
    text = target.read_text(encoding="utf-8")
    files = max(1, tests // 20)
    text = text.replace(f"== base * {files}\n", f"== {files} * base\n") + case_text(tests + 1)
    target.write_text(text, encoding="utf-8")
    commit(root, "pr: a new generated test\n\nGenerated-by: Copilot", BOT, env)


def run(root: Path, args: list[str], env: dict[str, str]) -> tuple[float, int]:
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "refute", *args], cwd=root, env=env,
                          capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if proc.returncode == 2:
        raise SystemExit(f"refute {' '.join(args[:2])} failed: {proc.stderr}")
    return elapsed, proc.returncode


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tests", type=int, default=2000)
    parser.add_argument("--commits", type=int, default=500)
    parser.add_argument("--workdir", type=Path, default=None)
    args = parser.parse_args()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="refute-gate-"))
    root = workdir / "repo"
    empty = workdir / "gitconfig"
    workdir.mkdir(parents=True, exist_ok=True)
    empty.write_text("", encoding="utf-8")
    env = {**os.environ, "GIT_CONFIG_GLOBAL": str(empty), "GIT_CONFIG_NOSYSTEM": "1"}
    env.pop("GITHUB_ACTIONS", None)
    started = time.perf_counter()
    build(root, args.tests, args.commits, env)
    count = git(root, "rev-list", "--count", "HEAD", env=env).strip()
    print(f"built {args.tests} tests in {count} commits in "
          f"{time.perf_counter() - started:.1f}s at {root}")
    cold, code = run(root, ["gate", "--base", "main", "--no-cache"], env)
    print(f"gate cold (--no-cache): {cold:.2f}s, exit {code}")
    run(root, ["gate", "--base", "main"], env)  # fills the cache
    warm, code = run(root, ["gate", "--base", "main"], env)
    print(f"gate warm:              {warm:.2f}s, exit {code}")
    prov, _ = run(root, ["provenance", "--format", "json", "-o", str(workdir / "p.json")], env)
    print(f"provenance warm:        {prov:.2f}s")


if __name__ == "__main__":
    main()
