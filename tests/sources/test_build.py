"""The whole build: the committed fixtures/ are exactly what the raw files and yearly.toml
build."""

import filecmp

from django.conf import settings

from sources import build


def test_shipped_fixtures_are_what_the_raw_files_build(raw_dir, tmp_path):
    build.build_fixtures(raw_dir=raw_dir, out_dir=tmp_path)
    shipped = settings.BASE_DIR / "fixtures"
    names = sorted(path.name for path in tmp_path.glob("*.csv"))
    assert "programs.csv" in names and "h1b_filings.csv" in names
    match, mismatch, errors = filecmp.cmpfiles(shipped, tmp_path, names, shallow=False)
    assert (mismatch, errors) == ([], [])
