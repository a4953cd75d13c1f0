"""Accuracy of `refute check` against a labelled suite.

Usage: python benchmarks/accuracy.py [PROJECT] [--labels FILE] [--show-misses]

PROJECT defaults to benchmarks/corpus; labels default to PROJECT/labels.csv, a CSV with the
columns id,label[,kind] (lines starting with # are comments). It runs refute on PROJECT,
prints precision and recall of "not ok" (weak or vacuous), the 3-class accuracy and the
confusion matrix, and lists every test whose verdict differs from its label.
Exit status 0 when precision >= --min-precision and recall >= --min-recall, else 1.
"""

from __future__ import annotations

import argparse
import csv
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
CLASSES = ("ok", "weak", "vacuous")


def read_labels(path: Path) -> dict[str, tuple[str, str]]:
    lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if not ln.startswith("#")]
    labels: dict[str, tuple[str, str]] = {}
    for row in csv.DictReader(lines):
        label = row["label"].strip()
        if label not in CLASSES:
            raise SystemExit(f"{path}: unknown label {label!r} for {row['id']}")
        labels[row["id"].strip()] = (label, (row.get("kind") or "").strip())
    return labels


def run_refute(project: Path) -> dict[str, tuple[str, tuple[str, ...]]]:
    cmd = [sys.executable, "-m", "refute", "check", str(project), "--format", "json",
           "--no-cache", "--fail-on", "never"]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"refute failed ({proc.returncode}):\n{proc.stderr}")
    doc = json.loads(proc.stdout)
    return {t["id"]: (t["verdict"], tuple(t["rules"])) for t in doc["tests"]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("project", nargs="?", type=Path, default=HERE / "corpus")
    parser.add_argument("--labels", type=Path)
    parser.add_argument("--min-precision", type=float, default=0.95)
    parser.add_argument("--min-recall", type=float, default=0.90)
    args = parser.parse_args()
    labels = read_labels(args.labels or args.project / "labels.csv")
    found = run_refute(args.project)

    missing = sorted(set(labels) - set(found))
    unlabelled = sorted(set(found) - set(labels))
    confusion: Counter[tuple[str, str]] = Counter()
    misses = []
    for test_id, (label, kind) in labels.items():
        if test_id not in found:
            continue
        verdict, rules = found[test_id]
        confusion[label, verdict] += 1
        if verdict != label:
            misses.append((test_id, label, verdict, kind, rules))

    tp = sum(n for (lab, ver), n in confusion.items() if lab != "ok" and ver != "ok")
    fp = sum(n for (lab, ver), n in confusion.items() if lab == "ok" and ver != "ok")
    fn = sum(n for (lab, ver), n in confusion.items() if lab != "ok" and ver == "ok")
    total = sum(confusion.values())
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    accuracy = sum(confusion[c, c] for c in CLASSES) / total if total else 0.0
    kinds = Counter(kind for _, kind in labels.values())

    print(f"corpus: {args.project} ({total} labelled tests; kinds: {dict(kinds)})")
    print(f"precision of not-ok: {precision:.3f}  ({tp} true, {fp} false alarms)")
    print(f"recall of not-ok:    {recall:.3f}  ({fn} missed)")
    print(f"3-class accuracy:    {accuracy:.3f}")
    print("confusion (rows: label, columns: verdict)")
    print("          " + "".join(f"{c:>9}" for c in CLASSES))
    for lab in CLASSES:
        print(f"{lab:>9} " + "".join(f"{confusion[lab, ver]:>9}" for ver in CLASSES))
    for test_id, label, verdict, kind, rules in sorted(misses):
        print(f"  label {label:<7} verdict {verdict:<7} {test_id} {' '.join(rules)} [{kind}]")
    for test_id in missing:
        print(f"  not found by refute: {test_id}")
    for test_id in unlabelled:
        print(f"  no label: {test_id}")
    ok = precision >= args.min_precision and recall >= args.min_recall and not missing
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
