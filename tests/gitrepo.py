"""Real git repositories in temp dirs, with real commits, authors and trailers."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

HUMAN = ("Ada Author", "ada@example.com")
REVIEWER = ("Rita Reviewer", "rita@example.com")
MALLORY = ("Mallory", "mallory@example.com")
BOT = ("Copilot", "198982749+Copilot@users.noreply.github.com")


class Repo:
    def __init__(self, root: Path) -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True)
        empty = root.parent / "gitconfig-empty"
        empty.write_text("", encoding="utf-8")
        self.env = {**os.environ, "GIT_CONFIG_GLOBAL": str(empty), "GIT_CONFIG_NOSYSTEM": "1",
                    "GIT_TERMINAL_PROMPT": "0"}
        self.env.pop("GITHUB_ACTIONS", None)
        self.env.pop("GITHUB_STEP_SUMMARY", None)
        self.git("init", "-q", "-b", "main")
        self.identity(*HUMAN)

    def git(self, *args: str) -> str:
        proc = subprocess.run(["git", *args], cwd=self.root, env=self.env,
                              capture_output=True, text=True, check=False)
        assert proc.returncode == 0, f"git {' '.join(args)}: {proc.stderr}"
        return proc.stdout

    def identity(self, name: str, email: str) -> None:
        self.git("config", "user.name", name)
        self.git("config", "user.email", email)

    def write(self, files: dict[str, str]) -> None:
        for name, text in files.items():
            target = self.root / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")

    def commit(self, message: str, author: tuple[str, str] = HUMAN,
               files: dict[str, str] | None = None, extra: tuple[str, ...] = ()) -> str:
        if files:
            self.write(files)
        self.git("add", "-A")
        self.git("-c", f"user.name={author[0]}", "-c", f"user.email={author[1]}",
                 "commit", "-q", "-m", message, *extra)
        return self.git("rev-parse", "HEAD").strip()

    def refute(self, *args: str, env: dict[str, str] | None = None
               ) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "refute", *args], cwd=self.root,
                              env={**self.env, **(env or {})}, capture_output=True,
                              text=True, timeout=120)

    def gate_json(self, base: str = "main", *extra: str) -> tuple[int, dict[str, Any]]:
        proc = self.refute("gate", "--base", base, "--format", "json", "--no-cache", *extra)
        assert "Traceback" not in proc.stderr, proc.stderr
        assert proc.stdout, proc.stderr
        return proc.returncode, json.loads(proc.stdout)

    def provenance_json(self) -> dict[str, Any]:
        proc = self.refute("provenance", "--format", "json", "--no-cache")
        assert proc.returncode == 0, proc.stderr
        data: dict[str, Any] = json.loads(proc.stdout)
        return data

    def signoff(self, *args: str, who: tuple[str, str] = REVIEWER
                ) -> subprocess.CompletedProcess[str]:
        return self.refute("signoff", *args, "--as", f"{who[0]} <{who[1]}>")


PROJECT = {
    "pyproject.toml": """
        [tool.pytest.ini_options]
        testpaths = ["tests"]
        pythonpath = ["src"]

        [tool.refute]
        reviewers = ["rita@example.com"]
        """,
    "src/calc/__init__.py": """
        def add(a, b):
            return a + b


        def neg(a):
            return -a
        """,
    "tests/conftest.py": """
        import pytest


        @pytest.fixture
        def two():
            return 2
        """,
    "tests/test_calc.py": """
        from calc import add


        def test_add():
            assert add(1, 2) == 3
        """,
}

GENERATED_TEST = """

    def test_add_two(two):
        assert add(two, two) == 4
    """


def project(root: Path) -> Repo:
    """A small project with one human commit on main and a feature branch checked out."""
    repo = Repo(root)
    repo.commit("calc", HUMAN, PROJECT)
    repo.git("checkout", "-q", "-b", "feature")
    return repo


def add_generated_test(repo: Repo, author: tuple[str, str] = BOT) -> str:
    text = (repo.root / "tests/test_calc.py").read_text(encoding="utf-8")
    (repo.root / "tests/test_calc.py").write_text(
        text + textwrap.dedent(GENERATED_TEST), encoding="utf-8")
    return repo.commit("Add a test for add", author)
