"""False alarms on real test suites: refute check on projects' sdists from PyPI.

Usage: python benchmarks/real_suites.py [--workdir DIR] [--sample N] [--seed S] [PROJECT ...]

Downloads each sdist (`pip download --no-deps --no-binary :all:`), unpacks it under --workdir,
runs `refute check` on it and prints tests, verdicts and non-info findings per 1000 tests. With
--sample N it prints N randomly chosen findings per project with their source lines, for the
manual review recorded in docs/accuracy.md.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tarfile
from collections import Counter
from pathlib import Path
from typing import Any

DEFAULT = ["toolz", "more-itertools", "attrs"]


def fetch(name: str, workdir: Path) -> Path:
    existing = [p for p in workdir.glob("*") if p.is_dir() and
                p.name.lower().replace("_", "-").startswith(name.lower() + "-")]
    if existing:
        return existing[0]
    subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary",
                    ":all:", "-q", "-d", str(workdir), name], check=True)
    archive = max(p for p in workdir.glob("*.tar.gz")
                  if p.name.lower().replace("_", "-").startswith(name.lower() + "-"))
    with tarfile.open(archive) as tar:
        tar.extractall(workdir, filter="data")
    return workdir / archive.name[: -len(".tar.gz")]


def audit(project: Path) -> dict[str, Any]:
    proc = subprocess.run([sys.executable, "-m", "refute", "check", str(project), "--format",
                           "json", "--no-cache", "--fail-on", "never"],
                          capture_output=True, text=True, check=False)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"refute failed on {project}:\n{proc.stderr}")
    doc: dict[str, Any] = json.loads(proc.stdout)
    return doc


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("projects", nargs="*", default=DEFAULT)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/refute-real-suites"))
    parser.add_argument("--sample", type=int, default=0)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    rng = random.Random(args.seed)
    print("| project | tests | vacuous | weak | ok | non-info findings | per 1000 tests |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    samples = []
    for name in args.projects:
        try:
            root = fetch(name, args.workdir)
        except subprocess.CalledProcessError:
            # an sdist whose build backend cannot be installed here (a Rust one, say)
            print(f"| {name} | sdist not fetched (pip download failed) | | | | | |")
            continue
        doc = audit(root)
        s = doc["summary"]
        findings = [f for f in doc["findings"] if f["severity"] != "info"]
        per = 1000 * len(findings) / s["tests"] if s["tests"] else 0.0
        rules = ", ".join(f"{k} {v}" for k, v in Counter(f["rule"] for f in findings).most_common())
        print(f"| {root.name} | {s['tests']} | {s['vacuous']} | {s['weak']} | {s['ok']} | "
              f"{len(findings)} ({rules}) | {per:.0f} |")
        for f in rng.sample(findings, min(args.sample, len(findings))):
            samples.append((root, f))
    for root, f in samples:
        lines = (root / f["path"]).read_text(encoding="utf-8", errors="replace").splitlines()
        print(f"\n{root.name}/{f['path']}:{f['line']} {f['rule']} {f['message']}")
        for line in lines[max(0, f["line"] - 3): f["line"] + 1]:
            print(f"    | {line}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
