"""The raw source files (../shared/data/raw/) that fixtures/ is built from.

Tests that check fixtures/ against them take the ``raw_dir`` fixture. Where the files are
missing those tests skip, and the run's summary says how many did not run; in CI, which must
run them, they fail instead.
"""

import pytest

from tests.sources.raw import RAW_DIR, in_ci, missing, require


@pytest.fixture(scope="session")
def raw_dir():
    return require(RAW_DIR, ci=in_ci())


def pytest_terminal_summary(terminalreporter):
    missed = [
        report
        for outcome in ("skipped", "error", "failed")
        for report in terminalreporter.stats.get(outcome, [])
        if missing(RAW_DIR) in str(getattr(report, "longrepr", ""))
    ]
    if missed:
        terminalreporter.write_line(
            f"{missing(RAW_DIR)}: {len(missed)} tests that check fixtures/ against them "
            "did not run",
            red=in_ci(),
            yellow=not in_ci(),
            bold=True,
        )
