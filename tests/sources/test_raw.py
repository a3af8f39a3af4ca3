"""A test that needs the raw source files says loudly when they are missing."""

import re

import pytest

from tests.sources.raw import in_ci, require


def test_present_raw_files_are_used_in_ci_and_out(tmp_path):
    assert require(tmp_path, ci=False) == tmp_path
    assert require(tmp_path, ci=True) == tmp_path


def test_missing_raw_files_skip_saying_where_they_were_looked_for(tmp_path):
    absent = tmp_path / "raw"
    where = re.escape(str(absent))
    with pytest.raises(pytest.skip.Exception, match=f"raw source files not found at {where}$"):
        require(absent, ci=False)


def test_missing_raw_files_fail_in_ci(tmp_path):
    absent = tmp_path / "raw"
    where = re.escape(str(absent))
    # Caught with a skip too: a skip escaping pytest.raises would make this test skip, not fail.
    with pytest.raises((pytest.fail.Exception, pytest.skip.Exception)) as outcome:
        require(absent, ci=True)
    assert outcome.type is pytest.fail.Exception
    assert re.search(f"not found at {where}; CI must check", str(outcome.value))


@pytest.mark.parametrize(
    ("value", "ci"), [("true", True), ("1", True), ("", False), ("false", False), ("0", False)]
)
def test_ci_is_set_unless_empty_or_false(monkeypatch, value, ci):
    monkeypatch.setenv("CI", value)
    assert in_ci() is ci


def test_ci_is_not_set_without_the_variable(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    assert not in_ci()
