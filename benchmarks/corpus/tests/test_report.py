import logging
import unittest
import warnings

import pytest

from ledger.accounts import Account
from ledger.report import owners, slugify, summarize, to_csv


@pytest.fixture
def accounts():
    return [Account("bo", 250), Account("al", 1000), Account("cy", 5)]


def test_summarize_counts(accounts):
    assert summarize(accounts) == {"count": 3, "total": 1255, "largest": 1000}


def test_summarize_empty():
    assert summarize([]) == {"count": 0, "total": 0, "largest": None}


def test_summarize_empty_largest_is_none():
    assert summarize([])["largest"] is None


def test_summarize_has_keys(accounts):
    result = summarize(accounts)
    assert "count" in result
    assert "total" in result


def test_summarize_is_dict(accounts):
    assert isinstance(summarize(accounts), dict)


def test_summarize_total_only(accounts):
    assert summarize(accounts)["total"] == 1255


def test_summarize_mirrored(accounts):
    expected = summarize(accounts)
    assert summarize(accounts) == expected


def test_summarize_compare_dict_with_itself(accounts):
    result = summarize(accounts)
    assert result["count"] == result["count"]


def test_to_csv(accounts):
    assert to_csv(accounts[:1]) == "owner,balance\nbo,2.50\n"


def test_to_csv_header_line(accounts):
    assert to_csv(accounts).splitlines()[0] == "owner,balance"


def test_to_csv_contains_row(accounts):
    assert "al,10.00" in to_csv(accounts)


def test_to_csv_ends_with_newline(accounts):
    assert to_csv(accounts).endswith("\n")


def test_to_csv_truthy(accounts):
    assert to_csv(accounts)


def test_to_csv_printed(accounts, capsys):
    print(to_csv(accounts[:1]), end="")
    assert capsys.readouterr().out == "owner,balance\nbo,2.50\n"


def test_to_csv_capsys_unchecked(accounts, capsys):
    print(to_csv(accounts))
    capsys.readouterr()


def test_owners_sorted(accounts):
    assert owners(accounts) == ["al", "bo", "cy"]


def test_owners_sorted_against_sorted(accounts):
    assert owners(accounts) == sorted(["cy", "bo", "al"])


def test_owners_len(accounts):
    assert len(owners(accounts)) == 3


def test_owners_empty():
    assert owners([]) == []


def test_owners_falsy_empty():
    assert not owners([])


@pytest.mark.parametrize(
    ("name", "slug"),
    [("Hello World", "hello-world"), ("  A--B ", "a-b"), ("Ünïcode 9", "n-code-9")],
)
def test_slugify_cases(name, slug):
    assert slugify(name) == slug


@pytest.mark.parametrize("name", ["", "!!!", "   "])
def test_slugify_rejects(name):
    with pytest.raises(ValueError, match="nothing left"):
        slugify(name)


@pytest.mark.parametrize(("name", "slug"), [("a b", "a-b"), ("a b", "a-b")])
def test_slugify_duplicate_cases(name, slug):
    assert slugify(name) == slug


def test_slugify_simple():
    assert slugify("Big Spender") == "big-spender"


def test_slugify_simple_copy():
    assert slugify("Big Spender") == "big-spender"


def test_slugify_excinfo_checked():
    with pytest.raises(ValueError) as excinfo:
        slugify("%%")
    assert str(excinfo.value) == "nothing left to slug"


def test_slugify_excinfo_unchecked():
    with pytest.raises(Exception) as excinfo:
        slugify("%%")


def test_slugify_raises_many_statements():
    with pytest.raises(ValueError):
        value = slugify("ok name")
        assert value == "ok-name"
        slugify("")


def test_warns_with_match():
    with pytest.warns(UserWarning, match="deprecated"):
        warnings.warn("deprecated: use slugify", UserWarning, stacklevel=1)
        slugify("x")


def test_logs_checked(caplog):
    with caplog.at_level(logging.INFO):
        logging.getLogger("ledger").info("slug %s", slugify("A B"))
    assert caplog.messages == ["slug a-b"]


def test_logs_unchecked(caplog):
    with caplog.at_level(logging.INFO):
        logging.getLogger("ledger").info("slug %s", slugify("A B"))


def test_result_in_allowed_set():
    assert slugify("Yes") in {"yes", "y"}


def test_summary_values_loop_over_result(accounts):
    summary = summarize(accounts)
    for key in summary:
        assert summary[key] is not None


class TestReportUnit(unittest.TestCase):
    def test_raises_regex(self):
        with self.assertRaisesRegex(ValueError, "nothing left"):
            slugify("--")

    def test_assert_logs(self):
        with self.assertLogs("ledger", level="INFO") as logs:
            logging.getLogger("ledger").info(slugify("Q R"))
        self.assertEqual(logs.output, ["INFO:ledger:q-r"])

    def test_count_equal(self):
        self.assertCountEqual(owners([Account("b"), Account("a")]), ["a", "b"])

    def test_greater(self):
        self.assertGreater(summarize([Account("a", 5)])["total"], 4)

    def test_is_none_spec(self):
        self.assertIsNone(summarize([])["largest"])

    def test_truthy_only(self):
        self.assertTrue(to_csv([]))

    def test_fail_in_else(self):
        try:
            slugify("")
        except ValueError:
            return
        self.fail("slugify accepted an empty name")
