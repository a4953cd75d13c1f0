"""The git facts provenance needs, read with plain ``git`` commands (no git library).

Every call goes through ``Git.run``, which turns a missing git, a missing repository or a
failing command into a ``GitError`` with git's own message.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from refute.errors import RefuteError

UNCOMMITTED = "0" * 40
_FIELD = "\x1f"
_RECORD = "\x1e"
_TRAILER_SEP = "\x1d"


class GitError(RefuteError):
    """git is missing, the directory is not a repository, or a git command failed."""


@dataclass(frozen=True)
class Commit:
    sha: str
    author: str
    email: str
    trailers: tuple[tuple[str, str], ...] = ()
    parents: tuple[str, ...] = ()
    files: tuple[str, ...] = ()  # paths (relative to the repository top) it changed

    def trailer_values(self, key: str) -> list[str]:
        return [v for k, v in self.trailers if k.lower() == key.lower()]


@dataclass
class Blame:
    """Which commit last wrote each line of one file (1-based line -> sha)."""

    lines: dict[int, str] = field(default_factory=dict)
    authors: dict[str, tuple[str, str]] = field(default_factory=dict)  # sha -> (name, email)


class Git:
    """A repository, addressed through its top-level directory."""

    def __init__(self, top: Path) -> None:
        self.top = top

    @classmethod
    def at(cls, path: Path) -> Git:
        """The repository that contains ``path``; GitError when there is none."""
        directory = path if path.is_dir() else path.parent
        out = _git(directory, ["rev-parse", "--show-toplevel"],
                   missing=f"{path} is not inside a git repository")
        return cls(Path(out.strip()).resolve())

    def run(self, args: Sequence[str], input_: str | None = None) -> str:
        return _git(self.top, args, input_=input_)

    def try_run(self, args: Sequence[str]) -> str | None:
        try:
            return self.run(args)
        except GitError:
            return None

    # ------------------------------------------------------------------ revisions
    def resolve(self, rev: str) -> str | None:
        out = self.try_run(["rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}"])
        return out.strip() if out else None

    def is_shallow(self) -> bool:
        out = self.try_run(["rev-parse", "--is-shallow-repository"])
        return (out or "").strip() == "true"

    def merge_base(self, a: str, b: str) -> str | None:
        out = self.try_run(["merge-base", a, b])
        return out.strip() if out else None

    def parents(self, sha: str) -> list[str]:
        return self.run(["rev-list", "--parents", "-n", "1", sha]).split()[1:]

    def head(self) -> str | None:
        return self.resolve("HEAD")

    # ------------------------------------------------------------------ history
    def log(self, revs: Sequence[str] = ("HEAD",), with_files: bool = False) -> list[Commit]:
        """Commits reachable from ``revs`` (newest first) with authors and trailers."""
        fmt = _FIELD.join(["%H", "%an", "%ae", "%P",
                           f"%(trailers:unfold,separator={_TRAILER_SEP})"])
        args = ["log", f"--format={_RECORD}{fmt}{_FIELD}", "--no-renames"]
        if with_files:
            args.append("--name-only")
        out = self.run([*args, *revs, "--"])
        commits = []
        for chunk in out.split(_RECORD)[1:]:
            parts = chunk.split(_FIELD)
            if len(parts) < 6:
                continue
            sha, author, email, parents, trailers, rest = parts[:6]
            files = tuple(f for f in rest.splitlines() if f.strip()) if with_files else ()
            commits.append(Commit(sha, author, email, _trailers(trailers),
                                  tuple(parents.split()), files))
        return commits

    def blame(self, rel: str, rev: str | None = None) -> Blame:
        """Line -> commit for a file of the working tree (or of ``rev``)."""
        args = ["blame", "--porcelain", "-w"]
        if rev:
            args.append(rev)
        out = self.run([*args, "--", rel])
        blame = Blame()
        sha = ""
        author = email = ""
        for line in out.splitlines():
            if line.startswith("\t"):
                continue
            head = line.split(" ")
            if len(head) >= 3 and len(head[0]) == 40 and head[1].isdigit():
                sha = head[0]
                blame.lines[int(head[2])] = sha
            elif line.startswith("author "):
                author = line[7:]
            elif line.startswith("author-mail "):
                email = line[12:].strip().strip("<>")
                blame.authors[sha] = (author, email)
        return blame

    def show_files(self, rev: str, paths: Iterable[str]) -> dict[str, bytes]:
        """The contents of files at a revision, with one ``git cat-file --batch``."""
        wanted = list(paths)
        if not wanted:
            return {}
        request = "".join(f"{rev}:{p}\n" for p in wanted).encode()
        try:
            proc = subprocess.run(["git", "cat-file", "--batch"], cwd=self.top, input=request,
                                  capture_output=True, check=True)
        except (OSError, subprocess.CalledProcessError) as exc:
            raise GitError(f"git cat-file failed: {exc}") from exc
        data = proc.stdout
        out: dict[str, bytes] = {}
        pos = 0
        for path in wanted:
            end = data.index(b"\n", pos)
            header = data[pos:end].split()
            pos = end + 1
            if len(header) == 2 and header[1] == b"missing":
                continue
            size = int(header[2])
            out[path] = data[pos:pos + size]
            pos += size + 1
        return out

    def ls_files(self, rev: str) -> list[str]:
        return self.run(["ls-tree", "-r", "--name-only", rev]).splitlines()

    def changed_files(self, base: str) -> dict[str, str]:
        """Path (at head, or at base for deletions) -> status letter, working tree vs base."""
        out = self.run(["diff", "--name-status", "--no-renames", base, "--"])
        changed: dict[str, str] = {}
        for line in out.splitlines():
            status, _, path = line.partition("\t")
            if path:
                changed[path] = status[:1]
        for path in self.run(["ls-files", "--others", "--exclude-standard"]).splitlines():
            changed[path] = "A"
        return changed

    def verify_commit(self, sha: str) -> bool:
        try:
            proc = subprocess.run(["git", "verify-commit", sha], cwd=self.top,
                                  capture_output=True, text=True, check=False)
        except OSError:
            return False
        return proc.returncode == 0

    def config(self, key: str) -> str | None:
        out = self.try_run(["config", "--get", key])
        return out.strip() if out else None

    def rel(self, path: Path) -> str:
        return path.resolve().relative_to(self.top).as_posix()


def _trailers(text: str) -> tuple[tuple[str, str], ...]:
    out = []
    for item in text.split(_TRAILER_SEP):
        key, sep, value = item.partition(":")
        if sep and key.strip():
            out.append((key.strip(), value.strip()))
    return tuple(out)


_NOT_REPO = re.compile(r"not a git repository", re.IGNORECASE)


def _git(cwd: Path, args: Sequence[str], input_: str | None = None,
         missing: str | None = None) -> str:
    try:
        proc = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True,
                              input=input_, check=False, encoding="utf-8", errors="replace")
    except FileNotFoundError:
        raise GitError("git is not installed (or not on PATH); provenance and the gate "
                       "need it") from None
    except OSError as exc:
        raise GitError(f"cannot run git in {cwd}: {exc.strerror}") from exc
    if proc.returncode != 0:
        message = proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else ""
        if missing and _NOT_REPO.search(proc.stderr):
            raise GitError(missing)
        raise GitError(f"git {' '.join(args[:2])} failed: {message}")
    return proc.stdout
