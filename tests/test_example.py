"""The bundled example: refute flags the tidy mock tests; the one real test catches the bug."""

from __future__ import annotations

import subprocess
import sys

from conftest import EXAMPLE, check_json, run_refute


def test_example_verdicts() -> None:
    code, data = check_json(EXAMPLE)
    assert code == 1
    verdicts = {t["id"].split("::")[-1]: (t["verdict"], t["rules"]) for t in data["tests"]}
    assert verdicts == {
        "test_profile_roundtrip_through_real_cache": ("ok", []),
        "test_unknown_user_is_reported": ("ok", []),
        "test_get_profile_returns_payload": ("weak", ["RF103", "RF205"]),
        "test_get_profile_uses_cache": ("weak", ["RF201", "RF205"]),
        "test_get_profile_stores_payload_in_cache": ("weak", ["RF201", "RF205"]),
        "test_invalidate_deletes_key": ("vacuous", ["RF202", "RF205"]),
        "test_cache_returns_cached_profile": ("vacuous", ["RF105", "RF205"]),
        "test_payload_has_expected_fields": ("weak", ["RF103"]),
        "test_serializer_is_used": ("vacuous", ["RF105", "RF205"]),
        "test_serializer_rejects_bad_records": ("vacuous", ["RF306"]),
        "test_get_profile_smoke": ("vacuous", ["RF101", "RF205"]),
    }
    assert data["summary"] == {"files": 2, "tests": 11, "vacuous": 5, "weak": 4, "ok": 2}
    negative = [f for f in data["findings"] if f["rule"] == "RF402"]
    assert [(f["path"], f["line"], f["message"]) for f in negative] == [
        ("cache_service/cache.py", 11, "missing negative case: `cache_service.cache.InMemoryCache` "
         "raises ValueError but none of the 2 tests that call it expects it"),
        ("cache_service/serializer.py", 9, "missing negative case: "
         "`cache_service.serializer.to_payload` raises ValueError but none of the 2 tests that "
         "call it expects it"),
    ]


def test_example_text_output_names_the_findings() -> None:
    proc = run_refute("check", str(EXAMPLE), "--no-cache")
    assert proc.returncode == 1
    assert "  vacuous test_invalidate_deletes_key" in proc.stdout
    assert ("55:5 RF202 mock-typo mock typo: `cache.delete.was_called_with()` is not a mock "
            "assertion") in proc.stdout
    assert proc.stdout.rstrip().splitlines()[-2] == (
        "11 tests in 2 files: 5 vacuous, 4 weak, 2 ok; 27 findings, 0 unreadable files.")


def test_only_the_integration_test_catches_the_bug() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-vv", "-p", "no:cacheprovider", "--no-header",
         "-rf", "-o", "addopts=", "--runxfail"],
        cwd=EXAMPLE, capture_output=True, text=True, timeout=120)
    # the integration test is marked xfail(strict=True) so `refute verify` gets a green
    # baseline; --runxfail shows it failing on the bug
    assert proc.returncode == 1
    # pytest appends the failure message when the terminal is wide enough: keep the node id only
    failed = [line.split(" - ", 1)[0] for line in proc.stdout.splitlines()
              if line.startswith("FAILED")]
    assert failed == [
        "FAILED tests/test_integration.py::test_profile_roundtrip_through_real_cache"]
    assert "{'email': 'Ada@Example.com'} != {'email': 'ada@example.com'}" in proc.stdout
    assert "1 failed, 10 passed" in proc.stdout
