"""Publications tests run on a pinned legal date (Monday 2026-03-16) so that index numbers,
future-date checks and timeliness flags do not depend on the day the suite runs."""

from __future__ import annotations

import datetime as dt

import pytest

from gongkai.core.dates import override_today

TODAY = dt.date(2026, 3, 16)


@pytest.fixture(autouse=True)
def _pinned_today():
    with override_today(TODAY):
        yield TODAY


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
